"""How campaign tables look: column labels, formats and widths (``st.column_config``)."""

from __future__ import annotations

import streamlit as st
from streamlit.delta_generator import DeltaGenerator


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


NAME_COLUMN = st.column_config.TextColumn("Campaign", width=300, pinned=True)
"""A campaign's name: pinned, so it stays in sight while the table scrolls sideways."""

TABLE_TOP_PX = 330
"""How far down a full-screen table starts (title, banners, controls), for its height."""

MIN_TABLE_PX = 420
"""The least height of a full-screen table (about ten rows), however short the window."""


def fill_the_screen(key: str) -> DeltaGenerator:
    """A container as tall as the browser window leaves below the page's head (never less
    than :data:`MIN_TABLE_PX`), for one ``st.dataframe(height="stretch")``: the table shows
    as many rows as the screen holds, at any window size. Streamlit cannot size an element
    by the window, so the height is plain CSS on this container (no script, no request)."""
    st.html(
        f"<style>.st-key-{key} {{ height: max({MIN_TABLE_PX}px, calc(100vh - "
        f"{TABLE_TOP_PX}px)) !important; flex: 0 0 auto !important; }}</style>"
    )
    return st.container(key=key)


def campaign_columns(
    with_performance: bool = False, window_words: str | None = None
) -> dict[str, object]:
    """The campaigns table's columns, in display order, with readable labels and formats.

    With the date window's figures (``window_words`` names the window), sent, replies and
    rates over it come right after the name; with the all-time performance loaded, leads
    contacted and the all-time rates follow (rates as bars: the fuller the bar, the higher
    the rate within its usual range).
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
        **(window_columns(window_words) if window_words else {}),
        **(performance if with_performance else {}),
        "status": config.TextColumn("Status"),  # sized to fit WARMING_UP, never cut
        "client_name": config.TextColumn("Client"),
        "tags": config.ListColumn("Tags"),
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
        "client_name": "Client",
        "status": "Status",
        "schedule_summary": "Sending window",
        **own,
    }
