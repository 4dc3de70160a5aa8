"""How campaign tables look: column labels, formats and widths (``st.column_config``)."""

from __future__ import annotations

import streamlit as st


def campaign_columns(with_performance: bool = False) -> dict[str, object]:
    """The campaigns table's columns, in display order, with readable labels and formats.

    With performance loaded, leads contacted and the rates come right after the name (rates
    as bars: the fuller the bar, the higher the rate within its usual range).
    """
    config = st.column_config
    performance = {
        "unique_sent_count": config.NumberColumn(
            "Leads contacted", format="%d", help="Leads that received at least one email."
        ),
        "reply_rate": config.ProgressColumn(
            "Reply rate",
            format="percent",
            min_value=0.0,
            max_value=0.1,
            help="Replies per lead contacted (the bar is full at 10 %).",
        ),
        "bounce_rate": config.ProgressColumn(
            "Bounce rate",
            format="percent",
            min_value=0.0,
            max_value=0.1,
            help="Bounces per lead contacted (the bar is full at 10 %).",
        ),
        "open_rate": config.ProgressColumn(
            "Open rate",
            format="percent",
            min_value=0.0,
            max_value=1.0,
            help="Leads who opened per lead contacted; empty when opens are not tracked.",
        ),
    }
    return {
        "id": config.NumberColumn("ID", format="%d", width="small"),
        "name": config.TextColumn("Campaign", width="large"),
        **(performance if with_performance else {}),
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
