"""Campaigns whose per-campaign figures could not be fetched: listed with the reason and a
button to try them again, never hidden (the same box for performance and lead statistics)."""

from __future__ import annotations

from collections.abc import Callable, Mapping

import pandas as pd
import streamlit as st

from smartlead.connection import Connection


def missing_figures(
    what: str,
    failures: Mapping[int, str],
    view: pd.DataFrame,
    retry: Callable[[Connection], None],
    connection: Connection | None,
    key: str,
) -> None:
    """An expander "<what> missing for N campaigns": each campaign's id, name and why, and a
    "Try these again" button calling ``retry(connection)``. Draws nothing without failures."""
    if not failures:
        return
    count = len(failures)
    with st.expander(
        f"{what} missing for {count} campaign{'s' if count != 1 else ''}",
        icon=":material/warning:",
    ):
        failures_table(failures, view, key=f"{key}_failures")
        st.button("Try these again", on_click=retry, args=(connection,), key=key)


def failures_table(failures: Mapping[int, str], campaigns: pd.DataFrame, key: str) -> None:
    """One row per campaign that failed: its id, its name (from ``campaigns``) and why."""
    names = dict(zip(campaigns["id"], campaigns["name"], strict=True))
    st.dataframe(
        pd.DataFrame(
            {
                "id": list(failures),
                "name": [names.get(cid) for cid in failures],
                "reason": list(failures.values()),
            }
        ),
        hide_index=True,
        column_config={"id": "ID", "name": "Campaign", "reason": "Why"},
        key=key,
    )
