"""The campaign frame: schema, nulls, vocabularies, unknown fields, odd records."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from smartlead.demo import demo_campaigns, demo_clients
from smartlead.frame import (
    COLUMNS,
    NO_CLIENT,
    NO_SCHEDULE,
    SCHEMA,
    campaigns_frame,
    describe_days,
    empty_frame,
    parse_clock,
)
from tests import strategies

DOCUMENTED_EXAMPLE = {
    "id": 2710262,
    "user_id": 196026,
    "created_at": "2025-11-25T10:43:46.826Z",
    "updated_at": "2025-11-25T14:02:21.776Z",
    "status": "ACTIVE",
    "name": "Cold Outreach Q1 2024",
    "track_settings": ["DONT_EMAIL_OPEN", "DONT_LINK_CLICK"],
    "scheduler_cron_value": {
        "tz": "America/New_York",
        "days": [1, 2, 3, 4, 5],
        "endHour": "19:00",
        "startHour": "09:00",
    },
    "min_time_btwn_emails": 24,
    "max_leads_per_day": 100,
    "stop_lead_settings": "REPLY_TO_AN_EMAIL",
    "schedule_start_time": None,
    "enable_ai_esp_matching": True,
    "send_as_plain_text": False,
    "follow_up_percentage": 20,
    "unsubscribe_text": "",
    "parent_campaign_id": None,
    "client_id": None,
    "tags": [{"tag_id": 1, "tag_name": "Q1", "tag_color": "#FF5733"}],
}


def dtype_names(frame: pd.DataFrame) -> list[str]:
    return [str(dtype) for dtype in frame.dtypes]


SCHEMA_DTYPES = [str(pd.Series([], dtype=column.dtype).dtype) for column in SCHEMA]


def test_documented_example_is_flattened_into_typed_columns():
    row = campaigns_frame([DOCUMENTED_EXAMPLE]).iloc[0]
    assert row["id"] == 2710262
    assert row["name"] == "Cold Outreach Q1 2024"
    assert row["status"] == "ACTIVE"
    assert row["created_at"] == pd.Timestamp("2025-11-25T10:43:46.826Z")
    assert row["created_at"].tz is not None
    assert str(row["created_at"].tz) == "UTC"
    assert row["max_leads_per_day"] == 100
    assert row["min_time_btwn_emails"] == 24
    assert row["track_opens"] is False or row["track_opens"] == False  # noqa: E712
    assert not row["track_clicks"]
    assert list(row["tags"]) == ["Q1"]
    assert list(row["tag_ids"]) == [1]
    assert list(row["tag_colors"]) == ["#FF5733"]
    assert row["schedule_timezone"] == "America/New_York"
    assert list(row["schedule_days"]) == [1, 2, 3, 4, 5]
    assert row["schedule_start_minute"] == 9 * 60
    assert row["schedule_end_minute"] == 19 * 60
    assert row["schedule_window_hours"] == 10
    assert row["schedule_days_per_week"] == 5
    assert row["schedule_summary"] == "Mon–Fri 09:00–19:00 America/New_York"
    assert row["client_name"] == NO_CLIENT
    assert pd.isna(row["schedule_start_time"])
    assert pd.isna(row["extra"])
    assert pd.isna(row["unreadable_fields"])


def test_frame_has_exactly_the_schema_columns_and_dtypes():
    frame = campaigns_frame(demo_campaigns(200))
    assert tuple(frame.columns) == COLUMNS
    assert dtype_names(frame) == SCHEMA_DTYPES


def test_empty_input_gives_an_empty_frame_with_the_full_schema():
    for empty in ([], None):
        frame = campaigns_frame(empty)
        assert frame.empty
        assert tuple(frame.columns) == COLUMNS
        assert dtype_names(frame) == SCHEMA_DTYPES
    assert dtype_names(empty_frame()) == SCHEMA_DTYPES


def test_rows_keep_the_order_received():
    records = [{"id": 3}, {"id": 1}, {"id": 2}]
    assert campaigns_frame(records)["id"].tolist() == [3, 1, 2]


def test_nulls_and_missing_keys_keep_the_row():
    nulls = dict.fromkeys(DOCUMENTED_EXAMPLE)
    frame = campaigns_frame([nulls, {}, {"id": 5}])
    assert len(frame) == 3
    assert frame["status"].tolist() == ["UNKNOWN"] * 3
    assert frame["tags"].isna().all()
    assert frame["track_opens"].isna().all(), "no track_settings means 'unknown', not 'tracked'"
    assert (frame["schedule_summary"] == NO_SCHEDULE).all()
    assert frame["unreadable_fields"].isna().all(), "a null is missing, not unreadable"


@pytest.mark.parametrize(
    ("flags", "opens", "clicks", "replies"),
    [
        (["DONT_EMAIL_OPEN", "DONT_LINK_CLICK"], False, False, True),
        (["DONT_TRACK_EMAIL_OPEN", "DONT_TRACK_LINK_CLICK"], False, False, True),
        (["DONT_TRACK_REPLY_TO_AN_EMAIL"], True, True, False),
        (["DONT_LINK_CLICK"], True, False, True),
        ([], True, True, True),
        ("DONT_EMAIL_OPEN,DONT_LINK_CLICK", False, False, True),
        ("DONT_TRACK_EMAIL_OPEN", False, True, True),
        ("", True, True, True),
    ],
)
def test_both_track_settings_vocabularies_and_the_old_string_form(flags, opens, clicks, replies):
    row = campaigns_frame([{"id": 1, "track_settings": flags}]).iloc[0]
    assert (row["track_opens"], row["track_clicks"], row["track_replies"]) == (
        opens,
        clicks,
        replies,
    )


def test_status_vocabulary_folds_draft_and_keeps_unknown_values():
    statuses = ["ACTIVE", "DRAFT", "drafted", "WARMING_UP", None, "", 7]
    frame = campaigns_frame([{"status": s} for s in statuses])
    assert frame["status"].tolist() == [
        "ACTIVE",
        "DRAFTED",
        "DRAFTED",
        "WARMING_UP",
        "UNKNOWN",
        "UNKNOWN",
        "7",
    ]
    known_first = list(frame["status"].cat.categories[:6])
    assert known_first == ["ACTIVE", "PAUSED", "STOPPED", "DRAFTED", "COMPLETED", "ARCHIVED"]


def test_unknown_fields_are_kept_as_json():
    record = {**DOCUMENTED_EXAMPLE, "sequence_count": 4, "owner": {"email": "a@b.c"}}
    extra = campaigns_frame([record]).iloc[0]["extra"]
    assert json.loads(extra) == {"owner": {"email": "a@b.c"}, "sequence_count": 4}


def test_records_that_are_not_objects_still_become_rows():
    frame = campaigns_frame([DOCUMENTED_EXAMPLE, None, 5, "text", [1, 2]])
    assert len(frame) == 5
    assert [json.loads(x)["record"] for x in frame["extra"].iloc[1:]] == [None, 5, "text", [1, 2]]


def test_wrong_types_become_null_and_are_named_in_unreadable_fields():
    record = {
        "id": "12",
        "max_leads_per_day": "lots",
        "min_time_btwn_emails": 2.5,
        "created_at": "yesterday",
        "send_as_plain_text": "maybe",
        "enable_ai_esp_matching": "true",
        "follow_up_percentage": True,
        "tags": "Q1",
        "scheduler_cron_value": {"tz": "UTC", "days": "weekdays", "startHour": "9am"},
    }
    row = campaigns_frame([record]).iloc[0]
    assert row["id"] == 12, "a numeric string is still an id"
    assert pd.isna(row["max_leads_per_day"])
    assert pd.isna(row["min_time_btwn_emails"])
    assert pd.isna(row["created_at"])
    assert pd.isna(row["send_as_plain_text"])
    assert row["enable_ai_esp_matching"] is True or row["enable_ai_esp_matching"] == True  # noqa: E712
    assert pd.isna(row["follow_up_percentage"]), "true is not a percentage"
    unreadable = set(row["unreadable_fields"].split(", "))
    assert unreadable == {
        "max_leads_per_day",
        "min_time_btwn_emails",
        "created_at",
        "send_as_plain_text",
        "follow_up_percentage",
        "tags",
        "scheduler_cron_value",
    }


def test_tags_in_odd_shapes():
    record_tags = [
        [{"tag_id": 1, "tag_name": "Q1", "tag_color": "#FF5733"}],
        [],
        None,
        ["loose"],
        [{"tag_id": 9}],
        [{"id": 2, "name": "Other keys", "color": ""}],
    ]
    frame = campaigns_frame([{"tags": t} for t in record_tags])
    tags = [
        None if t is None or (not hasattr(t, "__len__") and pd.isna(t)) else list(t)
        for t in frame["tags"]
    ]
    assert tags == [["Q1"], [], None, ["loose"], ["Tag #9"], ["Other keys"]]
    assert list(frame["tag_colors"].iloc[5]) == [None], "an empty colour is no colour"


def test_schedule_crossing_midnight_half_hours_and_no_days():
    schedules = [
        {"tz": "Europe/London", "days": [0, 6], "startHour": "22:00", "endHour": "06:30"},
        {"tz": "Asia/Kolkata", "days": [], "startHour": "09:30", "endHour": "17:00"},
        None,
        '{"tz": "UTC", "days": [1], "startHour": "08:00", "endHour": "10:00"}',
    ]
    frame = campaigns_frame([{"scheduler_cron_value": s} for s in schedules])
    assert frame["schedule_window_hours"].tolist()[:2] == [8.5, 7.5]
    assert frame["schedule_summary"].tolist() == [
        "Sun, Sat 22:00–06:30 Europe/London",
        "no days 09:30–17:00 Asia/Kolkata",
        NO_SCHEDULE,
        "Mon 08:00–10:00 UTC",
    ]
    assert frame["schedule_days_per_week"].tolist()[:2] == [2, 0]


def test_client_names_come_from_the_client_list_with_fallbacks():
    records = [{"client_id": 41001}, {"client_id": 5}, {"client_id": None}]
    frame = campaigns_frame(records, clients=demo_clients())
    assert frame["client_name"].tolist() == ["Northwind Logistics", "Client #5", NO_CLIENT]


def test_two_clients_with_one_name_stay_apart():
    clients = [{"id": 1, "name": "Acme"}, {"id": 2, "name": "Acme"}]
    frame = campaigns_frame([{"client_id": 1}, {"client_id": 2}], clients)
    assert frame["client_name"].nunique() == 2


@pytest.mark.parametrize(
    ("text", "minutes"),
    [("09:00", 540), ("9", 540), ("17:30", 1050), ("24:00", 1440), ("25:00", None), ("x", None)],
)
def test_parse_clock(text, minutes):
    assert parse_clock(text) == minutes


@pytest.mark.parametrize(
    ("days", "words"),
    [
        ([1, 2, 3, 4, 5], "Mon–Fri"),
        ([0, 6], "Sun, Sat"),
        (list(range(7)), "Every day"),
        ([1, 3], "Mon, Wed"),
    ],
)
def test_describe_days(days, words):
    assert describe_days(days) == words


def test_memory_is_compact_for_a_large_portfolio():
    records = demo_campaigns(3000)
    payload = len(json.dumps(records).encode())
    frame = campaigns_frame(records)
    assert frame.memory_usage(deep=True).sum() < payload / 2


json_values = strategies.json_values(max_leaves=12)
field_names = st.sampled_from(
    [*(c.source for c in SCHEMA if c.source), "tag_name", "days", "tz", "startHour", "other"]
)
campaign_like = st.dictionaries(field_names, json_values, max_size=12) | json_values


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(campaign_like, max_size=12))
def test_any_json_like_list_gives_the_schema_and_one_row_per_record(records):
    frame = campaigns_frame(records)
    assert len(frame) == len(records)
    assert tuple(frame.columns) == COLUMNS
    assert dtype_names(frame) == SCHEMA_DTYPES


def test_lone_surrogates_in_the_json_do_not_lose_the_portfolio():
    # json.loads accepts "\ud800", which no UTF-8 text (and so no Arrow column) can hold.
    records = [
        {"id": 1, "name": "Caf\ud800", "tags": [{"tag_id": 1, "tag_name": "x\udc00"}]},
        {"id": 2, "name": "fine", "odd": "\ud83d"},
    ]
    frame = campaigns_frame(records, clients=[{"id": 3, "name": "\ud800"}])
    assert frame["id"].tolist() == [1, 2]
    assert frame["name"].iloc[0].startswith("Caf")
    assert "\ufffd" in frame["name"].iloc[0]
    assert frame["name"].iloc[1] == "fine"
