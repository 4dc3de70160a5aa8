"""The CSV and JSON download pair every table page offers, drawn in one place so the files
are built the same way (formula-safe CSV, built only when clicked) on every page."""

from __future__ import annotations

from functools import partial

import pandas as pd
import streamlit as st

from smartlead.export import to_csv_bytes, to_json_bytes


def export_buttons(frame: pd.DataFrame, stem: str, what: str, key: str | None = None) -> None:
    """Draw "Download CSV" and "Download JSON" side by side for exactly ``frame``'s rows.

    ``stem`` names the files (``smartlead-<stem>.csv``), ``what`` the rows in the help text;
    ``key`` keeps the buttons apart when a page draws several pairs. The bytes are built on
    click only (``data`` is a callable), so a large view costs nothing until it is wanted.
    """
    left, right, _ = st.columns([1, 1, 4])
    left.download_button(
        "Download CSV",
        data=partial(to_csv_bytes, frame),
        file_name=f"smartlead-{stem}.csv",
        mime="text/csv",
        icon=":material/download:",
        on_click="ignore",
        help=f"Exactly the {what} shown, every column; formulas in names are neutralised.",
        key=f"{key}_csv" if key else None,
    )
    right.download_button(
        "Download JSON",
        data=partial(to_json_bytes, frame),
        file_name=f"smartlead-{stem}.json",
        mime="application/json",
        icon=":material/data_object:",
        on_click="ignore",
        key=f"{key}_json" if key else None,
    )
