"""How campaign tables look: column labels, formats and widths (``st.column_config``)."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import streamlit as st
from pandas.io.formats.style import Styler
from streamlit.delta_generator import DeltaGenerator

from smartlead import settings
from smartlead.links import campaign_urls
from smartlead.vocab import css_color


def window_columns(window_words: str) -> dict[str, object]:
    """The date window's columns of the campaigns table. Their headers are short (the page
    names the window above the table, each header's help names it again) so that most of the
    table fits a 1400 px screen; ``window_words`` is the window ('last 30 days')."""
    config = st.column_config
    return {
        "window_sent": config.NumberColumn(
            "Sent", format="%d", width="small", help=f"Emails sent, {window_words}."
        ),
        "window_replied": config.NumberColumn(
            "Replies", format="%d", width="small", help=f"Replies received, {window_words}."
        ),
        "window_reply_rate": config.NumberColumn(
            "Reply rate",
            format="percent",
            width="small",
            help=f"Replies per email sent, {window_words}; None when nothing was sent.",
        ),
        "window_positive_replied": config.NumberColumn(
            "Positive",
            format="%d",
            width="small",
            help=f"Replies SmartLead categorised as positive, {window_words}; None when it "
            "did not say.",
        ),
        "window_bounce_rate": config.NumberColumn(
            "Bounce rate",
            format="percent",
            width="small",
            help=f"Bounces per email sent, {window_words}; None when nothing was sent.",
        ),
    }


def runway_columns() -> dict[str, object]:
    """The lead runway's columns of the campaigns table (:mod:`smartlead.runway`)."""
    config = st.column_config
    return {
        "leads_not_started": config.NumberColumn(
            "Leads not started",
            format="%d",
            help="Leads not emailed yet (SmartLead's lead statistics, as last fetched).",
        ),
        "runway_days": config.NumberColumn(
            "Runway (sending days)",
            format="%.1f",
            help="Sending days of new leads left at the campaign's pace; empty when an input "
            "is missing or the campaign is not active.",
        ),
        "runway_date": config.DateColumn(
            "Last new leads on",
            format="ddd D MMM YYYY",
            help="The day it sends its last new leads, in its own time zone.",
        ),
    }


NAME_COLUMN = st.column_config.TextColumn("Campaign", width=300, pinned=True)
"""A campaign's name: pinned, so it stays in sight while the table scrolls sideways."""

TABLE_TOP_PX = 330
"""How far down a full-screen table starts (title, banners, controls), for its height."""

MIN_TABLE_PX = 420
"""The least height of a full-screen table (about ten rows), however short the window."""


MAX_TABLE_PX = 1400
"""The most height a full-screen table takes (about 38 rows), however tall the window."""


def fill_the_screen(key: str) -> DeltaGenerator:
    """A container as tall as the browser window leaves below the page's head (never less
    than :data:`MIN_TABLE_PX`), for one ``st.dataframe(height="stretch")``: the table shows
    as many rows as the screen holds, at any window size. Streamlit cannot size an element
    by the window, so the height is plain CSS on this container (no script, no request)."""
    st.html(
        f"<style>.st-key-{key} {{ height: max({MIN_TABLE_PX}px, calc(100vh - "
        f"{TABLE_TOP_PX}px)) !important; max-height: {MAX_TABLE_PX}px; "
        "flex: 0 0 auto !important; }</style>"
    )
    return st.container(key=key)


def tags_column(tag_colors: Mapping[str, str] | None = None) -> object:
    """The Tags column: each tag a label in its own colour when ``tag_colors`` names them.

    Streamlit 1.67's ``MultiselectColumn`` is read-only in ``st.dataframe`` and draws each
    option in its colour (the grid picks black or white text by the colour's lightness); a
    tag it was not given stays a plain label. Only plain hex colours are passed on.
    """
    safe = {name: color for name, color in (tag_colors or {}).items() if css_color(color)}
    if not safe:
        return st.column_config.ListColumn("Tags")
    return st.column_config.MultiselectColumn("Tags", options=list(safe), color=list(safe.values()))


def campaign_columns(
    with_performance: bool = False,
    window_words: str | None = None,
    with_runway: bool = False,
    tag_colors: Mapping[str, str] | None = None,
) -> dict[str, object]:
    """The campaigns table's columns, in display order, with readable labels and formats.

    With the date window's figures (``window_words`` names the window), sent, replies and
    rates over it come right after the name; with the all-time performance loaded, leads
    contacted and the all-time rates follow (rates as bars: the fuller the bar, the higher
    the rate within its usual range). ``tag_colors`` (the tags in the table: see
    :func:`tags_column`) colours the Tags column.
    """
    config = st.column_config
    performance = {
        "unique_sent_count": config.NumberColumn(
            "Leads contacted (all time)",
            format="%d",
            help="Leads that received at least one email.",
        ),
        "reply_rate": config.ProgressColumn(
            "Reply rate (all time)",
            format="percent",
            min_value=0.0,
            max_value=0.1,
            help="Replies per lead contacted (the bar is full at 10 %).",
        ),
        "bounce_rate": config.ProgressColumn(
            "Bounce rate (all time)",
            format="percent",
            min_value=0.0,
            max_value=0.1,
            help="Bounces per lead contacted (the bar is full at 10 %).",
        ),
        "open_rate": config.ProgressColumn(
            "Open rate (all time)",
            format="percent",
            min_value=0.0,
            max_value=1.0,
            help="Leads who opened per lead contacted; empty when opens are not tracked.",
        ),
    }
    return {
        "id": config.NumberColumn("ID", format="%d", width="small"),
        "name": NAME_COLUMN,
        APP_LINK: APP_LINK_COLUMN,
        **(window_columns(window_words) if window_words else {}),
        **(performance if with_performance else {}),
        "status": config.TextColumn("Status"),  # sized to fit WARMING_UP, never cut
        "client_name": config.TextColumn("Client"),
        **(runway_columns() if with_runway else {}),
        "tags": tags_column(tag_colors),
        "max_leads_per_day": config.NumberColumn(
            "Daily limit", format="%d", help="New leads contacted per day (max_leads_per_day)."
        ),
        "schedule_summary": config.TextColumn("Sending window", width="medium"),
        "track_opens": config.CheckboxColumn("Tracks opens", width="small"),
        "track_clicks": config.CheckboxColumn("Tracks clicks", width="small"),
        "send_as_plain_text": config.CheckboxColumn("Plain text", width="small"),
        "stop_lead_settings": config.TextColumn("Stops a lead on"),
        "created_at": config.DatetimeColumn("Created", format="D MMM YYYY"),
        "updated_at": config.DatetimeColumn("Last updated", format="D MMM YYYY, HH:mm"),
        "parent_campaign_id": config.NumberColumn(
            "Parent", format="%d", help="Set on subsequences: the campaign this one follows."
        ),
    }


def labelled(**own: object) -> dict[str, object]:
    """The usual labels of campaign columns (id, name, client, status, window) and a table's."""
    config = st.column_config
    return {
        "id": config.NumberColumn("ID", format="%d"),
        "name": NAME_COLUMN,
        APP_LINK: APP_LINK_COLUMN,
        "client_name": "Client",
        "status": "Status",
        "schedule_summary": "Sending window",
        **own,
    }


APP_LINK = "smartlead_url"
"""The column holding each campaign's link to its page in SmartLead's app."""

APP_LINK_COLUMN = st.column_config.LinkColumn(
    "SmartLead",
    display_text="Open ↗",
    width="small",
    help="The campaign's page in SmartLead's own app (the address is set by "
    f"{settings.ENV_CAMPAIGN_URL}).",
)


def with_app_links(frame: pd.DataFrame, ids: pd.Series) -> pd.DataFrame:
    """``frame`` with a link to each campaign's page in SmartLead's app right after its name
    (``ids`` in the frame's order), or unchanged when the links are turned off. The link
    shows fixed words, never the campaign's name."""
    template = settings.campaign_url_template()
    if template is None:
        return frame
    linked = frame.copy()
    at = linked.columns.get_loc("name") + 1 if "name" in linked.columns else len(linked.columns)
    linked.insert(at, APP_LINK, campaign_urls(ids, template).array)
    return linked


SEVERITY_LOOKS: dict[str, tuple[str, str]] = {
    "high": ("▲", "#c62828"),
    "medium": ("◆", "#e65100"),
    "low": ("●", "#1565c0"),
}
"""How each of :data:`smartlead.vocab.SEVERITIES` reads in a table: a mark (plain text
characters every font has, not emoji) and a colour, so the severity shows at a glance."""


def with_severity_looks(frame: pd.DataFrame, column: str = "severity") -> Styler:
    """``frame`` styled for ``st.dataframe``: its severity marked ("▲ high") and coloured,
    so it reads at a glance. Only the display is changed: downloads use the audit's frame."""
    colours = {f"{mark} {name}": colour for name, (mark, colour) in SEVERITY_LOOKS.items()}
    shown = frame.reset_index(drop=True)
    shown[column] = [
        f"{SEVERITY_LOOKS[str(v)][0]} {v}" if str(v) in SEVERITY_LOOKS else v for v in shown[column]
    ]

    def look(value: object) -> str:
        colour = colours.get(str(value))
        return f"color: {colour}; font-weight: 600" if colour else ""

    # Streamlit shows a styled table's display text in every cell: missing values read blank
    return shown.style.format(na_rep="").map(look, subset=[column])
