"""How campaign tables look: column labels, formats and widths (``st.column_config``)."""

from __future__ import annotations

import streamlit as st


def window_columns(window_words: str) -> dict[str, object]:
    """The date window's columns of the campaigns table, labelled with the window
    (``window_words``: 'last 30 days')."""
    config = st.column_config
    return {
        "window_sent": config.NumberColumn(
            f"Sent, {window_words}", format="%d", help="Emails sent in the window."
        ),
        "window_replied": config.NumberColumn(
            f"Replies, {window_words}", format="%d", help="Replies received in the window."
        ),
        "window_reply_rate": config.NumberColumn(
            f"Reply rate, {window_words}",
            format="percent",
            help="Replies per email sent in the window; None when nothing was sent.",
        ),
        "window_positive_replied": config.NumberColumn(
            f"Positive, {window_words}",
            format="%d",
            help="Replies SmartLead categorised as positive; None when it did not say.",
        ),
        "window_bounce_rate": config.NumberColumn(
            f"Bounce rate, {window_words}",
            format="percent",
            help="Bounces per email sent in the window; None when nothing was sent.",
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


def campaign_columns(
    with_performance: bool = False, window_words: str | None = None, with_runway: bool = False
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
        "name": config.TextColumn("Campaign", width="large"),
        **(window_columns(window_words) if window_words else {}),
        **(performance if with_performance else {}),
        **(runway_columns() if with_runway else {}),
        "status": config.TextColumn("Status", width="small"),
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
        "name": config.TextColumn("Campaign", width="large"),
        "client_name": "Client",
        "status": "Status",
        "schedule_summary": "Sending window",
        **own,
    }
