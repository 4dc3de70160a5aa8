"""Drawing charts on a page: a chart with nothing to draw says so in words, never bare axes."""

from __future__ import annotations

from typing import Any

import altair as alt
import streamlit as st

from smartlead.charts import is_empty


def draw_chart(chart: alt.TopLevelMixin, *, empty: str, where: Any = st, **options: Any) -> Any:
    """``st.altair_chart`` (``options`` passed on), or ``empty`` (our own words, e.g. "No
    active campaign in this view.") where the chart would be when it has no row to draw."""
    if is_empty(chart):
        where.info(empty, icon=":material/bar_chart_off:")
        return None
    return where.altair_chart(chart, **options)
