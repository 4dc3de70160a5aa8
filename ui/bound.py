"""Filters bound to the URL (``bind="query-params"``): drawing a multiselect filter, and
clearing one, the way that works in a browser.

Two things about Streamlit 1.67's bound widgets decide how this is done:

- **Clearing means setting, never deleting.** A bound widget whose session state was deleted
  counts as newly loaded, so Streamlit seeds it again from the URL the session was *opened*
  with: "Reset" brought the link's filters straight back in the browser (AppTest, which opens
  with no URL, never showed it). A value set in session state before the widget is drawn (or
  in a callback) wins over the browser's, and Streamlit drops the parameter from the URL.
- **Everything chosen is nothing chosen.** A multiselect's "Select all" would write every
  value into the link; a filter holding every option is put back to empty (no filter), so a
  link with everything selected is the link with nothing selected.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Sequence
from typing import Any

import streamlit as st
from streamlit.errors import StreamlitAPIException

NORMALISED = "_filters_normalised"
"""Session state: filter key → the options it held all of when it was put back to empty
(so the link's notice does not call those values ignored)."""


def covers_all(chosen: Iterable[object] | None, options: Sequence[object]) -> bool:
    """Whether ``chosen`` holds every one of ``options`` (there being at least one)."""
    return bool(options) and chosen is not None and set(options) <= set(chosen)


def set_filter(key: str, value: object) -> None:
    """Give a bound filter a value, in its widget and in the URL (see the module's note)."""
    st.session_state[key] = value


def _keep_known(key: str, allowed: Sequence[str]) -> None:
    """Drop remembered choices the options no longer offer (e.g. after a key change)."""
    current = st.session_state.get(key)
    if isinstance(current, list) and any(value not in allowed for value in current):
        set_filter(key, [value for value in current if value in allowed])


def _everything_is_nothing(key: str, options: tuple[str, ...]) -> None:
    """``on_change`` callback: every option chosen ("Select all") becomes no filter."""
    if covers_all(st.session_state.get(key), options):
        set_filter(key, [])


def multiselect_filter(
    label: str, options: Iterable[str], *, key: str, where: Any = st, **kwargs: Any
) -> tuple[str, ...]:
    """A multiselect bound to the URL under ``key``; what it filters on (empty: nothing).

    Choices the options no longer hold are dropped, and every option chosen is no filter, in
    the widget and the URL: when the user picks them all (``on_change``), and when a link
    lists them all. The URL decides a widget's value on the run that binds it, so then the
    parameter is taken out of the link before the widget binds it, and the run starts over
    once to draw the widget empty.
    """
    offered = tuple(options)
    _keep_known(key, offered)
    if covers_all(st.session_state.get(key), offered):
        set_filter(key, [])
    if covers_all(st.query_params.get_all(key), offered):
        with contextlib.suppress(StreamlitAPIException):  # raised once the widget binds it
            del st.query_params[key]
    normalised: dict[str, tuple[str, ...]] = st.session_state.setdefault(NORMALISED, {})
    chosen = where.multiselect(
        label,
        offered,
        key=key,
        bind="query-params",
        on_change=_everything_is_nothing,
        args=(key, offered),
        **kwargs,
    )
    if covers_all(chosen, offered) and normalised.get(key) != offered:
        normalised[key] = offered
        st.rerun()  # once: the next run empties the filter before it is drawn
    return () if covers_all(chosen, offered) else tuple(chosen)


def normalised_values(key: str) -> tuple[str, ...]:
    """The values a link held all of for filter ``key``, now read as no filter."""
    return st.session_state.get(NORMALISED, {}).get(key, ())
