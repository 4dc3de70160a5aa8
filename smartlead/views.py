"""Reading one campaign or an ordered list of them out of the frame, for tables and detail panes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from smartlead import vocab
from smartlead.frame import format_clock

SORT_ORDERS: dict[str, tuple[list[str], list[bool]]] = {
    "Newest first": (["created_at", "id"], [False, False]),
    "Oldest first": (["created_at", "id"], [True, True]),
    "Recently updated": (["updated_at", "id"], [False, False]),
    "Daily limit, high to low": (["max_leads_per_day", "id"], [False, False]),
    "Name, A to Z": (["name", "id"], [True, True]),
    "Most sent in the window": (["window_sent", "id"], [False, False]),
    "Highest reply rate in the window": (["window_reply_rate", "id"], [False, False]),
    "Highest bounce rate in the window": (["window_bounce_rate", "id"], [False, False]),
    "Runs out of leads soonest": (["runway_date", "runway_days", "id"], [True, True, True]),
}
"""The campaigns table's sort choices: columns and directions; missing values go last. The
window's orders need its columns, the runway's its own (:func:`sort_orders_for` offers only
what a frame can do)."""


def sort_orders_for(frame: pd.DataFrame) -> list[str]:
    """The sort orders ``frame`` has the columns for, in :data:`SORT_ORDERS` order."""
    return [
        name
        for name, (columns, _) in SORT_ORDERS.items()
        if all(column in frame.columns for column in columns)
    ]


SETTING_LABELS: tuple[tuple[str, str], ...] = (
    ("id", "Campaign id"),
    ("name", "Name"),
    ("status", "Status"),
    ("client_name", "Client"),
    ("client_id", "Client id"),
    ("parent_campaign_id", "Parent campaign id"),
    ("created_at", "Created"),
    ("updated_at", "Last updated"),
    ("schedule_start_time", "First send"),
    ("max_leads_per_day", "Daily limit (new leads per day)"),
    ("min_time_btwn_emails", "Minutes between emails"),
    ("follow_up_percentage", "Follow-up share (%)"),
    ("stop_lead_settings", "Stops a lead on"),
    ("track_opens", "Tracks opens"),
    ("track_clicks", "Tracks clicks"),
    ("track_replies", "Tracks replies"),
    ("track_settings", "Tracking flags (raw)"),
    ("send_as_plain_text", "Plain text"),
    ("enable_ai_esp_matching", "AI mailbox matching"),
    ("unsubscribe_text", "Unsubscribe text"),
    ("tags", "Tags"),
    ("schedule_summary", "Sending window"),
    ("schedule_timezone", "Time zone"),
    ("schedule_window_hours", "Window length (hours)"),
    ("schedule_days_per_week", "Sending days per week"),
    ("extra", "Other fields from SmartLead"),
    ("unreadable_fields", "Fields that could not be read"),
)
"""The campaign detail pane: every setting, with a label a sales-ops person understands (the
times' labels name the zone they are shown in: :func:`setting_labels`)."""

TIME_SETTINGS: tuple[str, ...] = ("created_at", "updated_at", "schedule_start_time")
"""The settings that are moments (UTC in the frame), shown in the viewer's time zone."""


def setting_labels(zone: str = "UTC") -> dict[str, str]:
    """Column → label of every setting, the times' labels naming ``zone``: 'Created
    (Europe/Paris)'."""
    return {
        column: f"{label} ({zone})" if column in TIME_SETTINGS else label
        for column, label in SETTING_LABELS
    }


SETTING_TOPICS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Campaign", ("id", "name", "status", "parent_campaign_id", "created_at", "updated_at")),
    (
        "Sending",
        (
            "max_leads_per_day",
            "min_time_btwn_emails",
            "send_as_plain_text",
            "enable_ai_esp_matching",
            "unsubscribe_text",
        ),
    ),
    (
        "Schedule",
        (
            "schedule_summary",
            "schedule_timezone",
            "schedule_start_time",
            "schedule_window_hours",
            "schedule_days_per_week",
        ),
    ),
    ("Tracking", ("track_opens", "track_clicks", "track_replies", "track_settings")),
    ("Sequence", ("follow_up_percentage", "stop_lead_settings")),
    ("Client and tags", ("client_name", "client_id", "tags")),
    ("Other", ("extra", "unreadable_fields")),
)
"""The detail pane's topics, in order, each with the columns of :data:`SETTING_LABELS` it
shows: a campaign reads as a form grouped by what a setting is about."""

WINDOW_LABEL = "Window (local time)"
"""The detail row of the sending window's hours, shown under Schedule."""


def settings_by_topic(settings: pd.DataFrame, zone: str = "UTC") -> list[tuple[str, pd.DataFrame]]:
    """:attr:`CampaignDetails.settings` (shown in ``zone``) split by :data:`SETTING_TOPICS`
    (every row in exactly one topic, in the pane's order; a row no topic names goes under
    the last)."""
    labels = setting_labels(zone)
    topic_of = {labels[column]: topic for topic, columns in SETTING_TOPICS for column in columns}
    topic_of[WINDOW_LABEL] = "Schedule"
    last = SETTING_TOPICS[-1][0]
    topics = settings["Setting"].map(lambda label: topic_of.get(str(label), last))
    return [
        (topic, settings[topics == topic].reset_index(drop=True))
        for topic, _ in SETTING_TOPICS
        if (topics == topic).any()
    ]


@dataclass(frozen=True)
class CampaignDetails:
    """One campaign's settings as text, its parent (if any) and its subsequences.

    ``row`` is the campaign's row label in the frame. SmartLead's ids should be unique but
    are not always: ``same_id`` counts the campaigns carrying this campaign's id and
    ``parents_with_id`` those carrying its parent's (more than one: the first is shown).
    """

    campaign: pd.Series
    settings: pd.DataFrame
    parent_id: int | None
    parent: pd.Series | None
    children: pd.DataFrame
    row: Any = None
    same_id: int = 1
    parents_with_id: int = 0

    @property
    def id_repeats(self) -> bool:
        """Whether other campaigns of the portfolio carry this campaign's id."""
        return self.same_id > 1


def sort_campaigns(frame: pd.DataFrame, order: str) -> pd.DataFrame:
    """The frame in one of the :data:`SORT_ORDERS` (unknown orders, and orders whose columns
    the frame lacks, keep the API's order)."""
    if order not in sort_orders_for(frame):
        return frame
    columns, ascending = SORT_ORDERS[order]
    if "name" in columns:
        return frame.sort_values(
            columns,
            ascending=ascending,
            na_position="last",
            kind="stable",
            key=lambda s: s.str.lower() if s.name == "name" else s,
        )
    return frame.sort_values(columns, ascending=ascending, na_position="last", kind="stable")


def setting_text(value: Any) -> str:
    """A setting as plain words: lists joined, yes/no for flags, '—' for missing."""
    if isinstance(value, np.ndarray):  # list cells of a frame read back from Parquet
        value = value.tolist()
    if isinstance(value, (list, tuple)):
        # An empty list (no tags, no flags) reads as the views' word for an empty value.
        return ", ".join(str(v) for v in value) if value else vocab.NO_GROUP
    if value is None or value is pd.NA or (not isinstance(value, str) and pd.isna(value)):
        return "—"
    if isinstance(value, (bool, np.bool_)):
        return "yes" if value else "no"
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, float):
        return f"{value:g}"
    if value == "":
        return "(empty)"
    return str(value)


def _in_zone(value: Any, zone: str) -> Any:
    """A UTC moment converted to ``zone``; any other value as it is."""
    if isinstance(value, pd.Timestamp) and value.tzinfo is not None:
        return value.tz_convert(zone)
    return value


def _with_id(frame: pd.DataFrame, campaign_id: Any) -> pd.DataFrame:
    """The campaigns of ``frame`` carrying ``campaign_id`` (usually one; ids may repeat)."""
    return frame[frame["id"].eq(campaign_id).fillna(False).to_numpy(dtype=bool)]


def campaign_details(
    frame: pd.DataFrame, campaign_id: Any, row: Any = None, zone: str = "UTC"
) -> CampaignDetails | None:
    """Everything the detail pane shows for one campaign, or None when it is not there.

    ``row`` (a row label of ``frame``, e.g. of the table row the user selected) picks the
    campaign when it still carries ``campaign_id``: ids can repeat in an answer, and the
    campaign selected must be the one shown, not the first with its id. Without a ``row``,
    or when it no longer fits (the portfolio was fetched again), the first campaign with the
    id is shown. Times are shown in ``zone`` (the viewer's), their labels naming it.
    """
    if campaign_id is None or frame.empty:
        return None
    matches = _with_id(frame, campaign_id)
    if matches.empty:
        return None
    campaign = matches.loc[row] if row is not None and row in matches.index else matches.iloc[0]
    rows = [
        (label, setting_text(_in_zone(campaign[column], zone)))
        for column, label in setting_labels(zone).items()
    ]
    start, end = campaign["schedule_start_minute"], campaign["schedule_end_minute"]
    if not pd.isna(start):
        rows.append((WINDOW_LABEL, f"{format_clock(start)}–{format_clock(end)}"))
    settings = pd.DataFrame(rows, columns=["Setting", "Value"]).astype("string")
    parent_id = campaign["parent_campaign_id"]
    parent_id = None if pd.isna(parent_id) else int(parent_id)
    parent = None
    parents = frame.iloc[:0]
    if parent_id is not None:
        parents = _with_id(frame, parent_id)
        parent = parents.iloc[0] if not parents.empty else None
    is_child = frame["parent_campaign_id"].eq(campaign["id"]).fillna(False).to_numpy(dtype=bool)
    return CampaignDetails(
        campaign=campaign,
        settings=settings,
        parent_id=parent_id,
        parent=parent,
        children=frame.loc[is_child, ["id", "name", "status"]],
        row=campaign.name,
        same_id=len(matches),
        parents_with_id=len(parents),
    )
