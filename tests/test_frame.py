"""The campaign frame: schema, nulls, vocabularies, unknown fields, odd records."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from smartlead import frame as frame_module
from smartlead.demo import demo_campaigns, demo_clients
from smartlead.frame import (
    COLUMNS,
    KNOWN_FIELDS,
    NO_SCHEDULE,
    SCHEMA,
    campaigns_frame,
    describe_days,
    empty_frame,
    parse_clock,
)
from smartlead.vocab import NO_CLIENT
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
    assert list(row["schedule_days"]) == [0, 1, 2, 3, 4], "Monday to Friday, 0 = Monday"
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
        "Sat, Sun 22:00–06:30 Europe/London",
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
        ([0, 1, 2, 3, 4], "Mon–Fri"),
        ([5, 6], "Sat, Sun"),
        (list(range(7)), "Every day"),
        ([0, 2], "Mon, Wed"),
        ([0, 1, 2, 3, 4, 5], "Mon–Sat"),
        ([6, 0, 1, 2, 3], "Sun–Thu"),  # a week that runs over the week's end reads as one run
        ([4, 5, 6, 0], "Fri–Mon"),
        ([2, 4, 5, 6, 0], "Fri–Mon, Wed"),
        ([6, 0], "Sun, Mon"),
        ([2, 6], "Wed, Sun"),
        ([6, 0, 1, 2, 3, 4], "Sun–Fri"),
        ([], "no days"),
    ],
)
def test_describe_days(days, words):
    assert describe_days(days) == words


def test_describe_days_refuses_days_outside_the_week():
    with pytest.raises(ValueError, match="0 \\(Monday\\) to 6 \\(Sunday\\)"):
        describe_days([7])


def test_smartleads_sunday_first_days_are_converted_once_when_read():
    riyadh = {
        "tz": "Asia/Riyadh",
        "days": [0, 1, 2, 3, 4],
        "startHour": "09:00",
        "endHour": "17:00",
    }
    row = campaigns_frame([{"id": 1, "scheduler_cron_value": riyadh}]).iloc[0]
    assert list(row["schedule_days"]) == [0, 1, 2, 3, 6], "Sunday is 6, Monday 0"
    assert row["schedule_summary"] == "Sun–Thu 09:00–17:00 Asia/Riyadh"
    assert row["schedule_days_per_week"] == 5


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


def test_known_fields_are_the_schema_sources_and_the_fields_arrow_reads():
    assert {c.source for c in SCHEMA if c.source} == KNOWN_FIELDS
    assert set(frame_module._FIELD_TYPES) == KNOWN_FIELDS
    assert len(KNOWN_FIELDS) == 19  # the 18 documented fields and tags


def test_both_timestamp_formats_of_one_account_are_read_and_other_forms_still_are():
    stamps = [
        "2025-11-25T10:43:46.826Z",
        "2022-05-26T03:47:31.448094+00:00",
        None,
    ]
    frame = campaigns_frame([{"id": i, "created_at": s} for i, s in enumerate(stamps)])
    assert frame["created_at"].tolist()[:2] == [
        pd.Timestamp("2025-11-25 10:43:46.826", tz="UTC"),
        pd.Timestamp("2022-05-26 03:47:31.448094", tz="UTC"),
    ]
    assert str(frame["created_at"].dtype) == "datetime64[us, UTC]"
    # Forms Arrow is not trusted with go to pandas' ISO 8601 reader, as before.
    odd = ["2025-11-25T10:43:46", "2025-11-25 12:00:00+02:00", "2025-02-30T10:00:00Z", "soon"]
    frame = campaigns_frame([{"id": i, "updated_at": s} for i, s in enumerate(odd)])
    assert frame["updated_at"].tolist()[:2] == [
        pd.Timestamp("2025-11-25 10:43:46", tz="UTC"),
        pd.Timestamp("2025-11-25 10:00:00", tz="UTC"),
    ]
    assert frame["updated_at"].iloc[2:].isna().all()
    assert frame["unreadable_fields"].tolist()[2:] == ["updated_at", "updated_at"]


def plain_row(frame: pd.DataFrame, position: int) -> dict:
    """One row as plain Python values, so rows of different frames compare."""
    row = {}
    for column in frame.columns:
        value = frame[column].iloc[position]
        if isinstance(value, (list, tuple, np.ndarray)):
            value = [None if pd.isna(item) else item for item in value]
        elif pd.isna(value):
            value = None
        row[column] = value
    return row


ISO_LIKE = st.builds(
    "{:04d}-{:02d}-{:02d}{}{:02d}:{:02d}:{:02d}{}{}".format,
    st.integers(0, 9999),
    st.integers(0, 13),
    st.integers(0, 32),
    st.sampled_from(["T", " ", "t"]),
    st.integers(0, 25),
    st.integers(0, 61),
    st.integers(0, 61),
    st.sampled_from(["", ".5", ".826", ".448094", ".1234567", "."]),
    st.sampled_from(["Z", "+00:00", "-05:00", "+0530", "+01", "", "z", "+24:00"]),
)


VALID_ISO = st.builds(
    "{:04d}-{:02d}-{:02d}T{:02d}:{:02d}:{:02d}{}{}".format,
    st.integers(1, 9999),
    st.integers(1, 12),
    st.integers(1, 28),
    st.integers(0, 23),
    st.integers(0, 59),
    st.integers(0, 59),
    st.sampled_from(["", ".5", ".826", ".448094"]),
    st.sampled_from(["Z", "+00:00", "-05:00", "+0530", "+01"]),
)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(VALID_ISO | st.none(), min_size=1, max_size=6)
    | st.lists(ISO_LIKE | VALID_ISO | st.none(), min_size=1, max_size=6)
)
def test_times_read_by_arrow_are_the_times_pandas_reads(texts):
    """Arrow reads the column when it can read every text; pandas' ISO 8601 reader must agree."""
    frame = campaigns_frame([{"created_at": text} for text in texts])
    expected = pd.to_datetime(texts, utc=True, format="ISO8601", errors="coerce").as_unit("us")
    assert frame["created_at"].tolist() == list(expected)


@pytest.mark.parametrize(
    ("record", "column", "value", "unreadable"),
    [
        ({"max_leads_per_day": 2.5}, "max_leads_per_day", None, "max_leads_per_day"),
        ({"max_leads_per_day": 30.0}, "max_leads_per_day", 30, None),
        ({"max_leads_per_day": True}, "max_leads_per_day", None, "max_leads_per_day"),
        ({"max_leads_per_day": 2**64}, "max_leads_per_day", None, "max_leads_per_day"),
        ({"tags": ""}, "tags", None, "tags"),
        (
            {"tags": [{"tag_id": 1.5, "tag_name": "Q1", "tag_color": "#fff"}]},
            "tag_ids",
            [None],
            None,
        ),
        ({"track_settings": "DONT_EMAIL_OPEN"}, "track_settings", ["DONT_EMAIL_OPEN"], None),
        ({"scheduler_cron_value": []}, "schedule_summary", NO_SCHEDULE, "scheduler_cron_value"),
        (
            {"scheduler_cron_value": {"tz": "UTC", "days": "", "startHour": "09:00"}},
            "schedule_days",
            None,
            "scheduler_cron_value",
        ),
        (
            {"scheduler_cron_value": {"tz": "UTC", "days": [2.5, 1], "startHour": "09:00"}},
            "schedule_days",
            [0],  # SmartLead's 1 is Monday; 2.5 is no day
            "scheduler_cron_value",
        ),
        (
            {"scheduler_cron_value": {"tz": "UTC", "days": [True, 1], "startHour": "09:00"}},
            "schedule_days",
            [0],
            "scheduler_cron_value",
        ),
        (
            {"scheduler_cron_value": {"tz": "UTC", "days": [1.0], "startHour": "09:00"}},
            "schedule_days",
            [0],
            None,
        ),
    ],
)
def test_values_arrow_would_misread_are_read_the_careful_way(record, column, value, unreadable):
    """Arrow reads 2.5 as 2, a string as a list of its letters and [] as an empty object; the
    frame must not, whether the odd value is alone or among well-formed records."""
    for records in ([record], [*demo_campaigns(30), record]):
        frame = campaigns_frame(records)
        row = plain_row(frame, len(frame) - 1)
        assert row[column] == value
        assert row["unreadable_fields"] == unreadable


# --------------------------------------------------------------------------- fast = careful

ZONES = st.sampled_from(
    ["Europe/London", "Asia/Riyadh", "Etc/GMT+5", " UTC ", "", "Mars/Olympus", "\u00a0UTC"]
)
CLOCKS = st.one_of(
    st.sampled_from(
        ["09:00", "9", "17:30", "24:00", "24:30", "25:00", "09:00:00", " 9:00", "9am", "", "09:5"]
    ),
    st.sampled_from(["\u0669:\u0660\u0660", "09:00\n"]),  # Arabic-Indic digits, a newline
    st.integers(-2, 30),
    st.none(),
)
DAYS = st.one_of(
    st.none(),
    st.lists(st.integers(-2, 8), max_size=8),
    st.lists(st.sampled_from([0, 1, 6, 2.5, 3.0, True, False, None, "1", 2**70]), max_size=4),
    st.sampled_from(["", "weekdays", {}]),
)
WELL_FORMED = st.fixed_dictionaries(
    {
        "tz": st.sampled_from(["Europe/London", "Asia/Riyadh", "America/New_York"]),
        "days": st.lists(st.integers(0, 6), max_size=7),
        "startHour": st.sampled_from(["09:00", "08:30", "22:00", "24:00"]),
        "endHour": st.sampled_from(["17:00", "06:00", "09:00"]),
    }
)
ODD = st.fixed_dictionaries(
    {"tz": ZONES | st.none(), "days": DAYS, "startHour": CLOCKS, "endHour": CLOCKS},
    optional={"timezone": ZONES | st.integers(), "other": strategies.json_values(max_leaves=3)},
)
SCHEDULES = st.one_of(
    st.none(),
    WELL_FORMED,
    ODD,
    ODD.map(json.dumps),
    st.just([]),
    strategies.json_values(max_leaves=6),
)


def read_both_ways(values: list) -> tuple:
    field = frame_module._read_fields([{"scheduler_cron_value": v} for v in values])
    fast = frame_module._read_schedules(field["scheduler_cron_value"])
    careful = frame_module._read_schedules(field["scheduler_cron_value"], careful_only=True)
    return fast, careful


def as_lists(fields) -> dict:
    return {
        "present": fields.present.tolist(),
        "timezone": fields.timezone.to_pylist(),
        "day_mask": fields.day_mask.tolist(),
        "start": fields.start.tolist(),
        "end": fields.end.tolist(),
        "readable": fields.readable.tolist(),
    }


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(SCHEDULES, max_size=10))
def test_vectorised_and_careful_schedule_readings_agree(values):
    fast, careful = read_both_ways(values)
    assert as_lists(fast) == as_lists(careful)
    assert careful.careful_rows.tolist() == list(range(len(values)))


@settings(max_examples=100, deadline=None)
@given(st.lists(WELL_FORMED | st.none(), min_size=1, max_size=10), st.data())
def test_well_formed_schedules_never_take_the_careful_path(values, data):
    fast, careful = read_both_ways(values)
    assert fast.careful_rows.tolist() == []
    assert as_lists(fast) == as_lists(careful)
    # One odd value among them is read carefully, alone.
    odd = data.draw(ODD.map(json.dumps))
    position = data.draw(st.integers(0, len(values)))
    fast, careful = read_both_ways([*values[:position], odd, *values[position:]])
    assert fast.careful_rows.tolist() == [position]
    assert as_lists(fast) == as_lists(careful)


RECORD = st.fixed_dictionaries(
    {},
    optional={
        "id": st.integers(1, 10**6) | strategies.json_scalars(nan=False),
        "max_leads_per_day": st.integers(0, 500) | st.sampled_from([2.5, 30.0, True, "40"]),
        "status": st.sampled_from(["ACTIVE", "DRAFT", "paused"]) | st.none() | st.integers(),
        "created_at": st.sampled_from(
            ["2025-11-25T10:43:46.826Z", "2022-05-26T03:47:31.448094+00:00", "soon", ""]
        ),
        "send_as_plain_text": st.booleans() | st.sampled_from(["yes", 0, None]),
        "unsubscribe_text": st.none() | st.sampled_from(["", "Reply stop"]) | st.integers(),
        "track_settings": st.one_of(
            st.lists(st.sampled_from(["DONT_EMAIL_OPEN", "dont_link_click", "ı", "x"])),
            st.sampled_from(["DONT_EMAIL_OPEN,DONT_LINK_CLICK", "", [None, 1]]),
            st.none(),
        ),
        "tags": st.one_of(
            st.lists(
                st.fixed_dictionaries(
                    {"tag_id": st.integers(1, 9), "tag_name": st.sampled_from(["Q1", "EMEA"])},
                    optional={"tag_color": st.sampled_from(["#fff", ""])},
                ),
                max_size=3,
            ),
            st.sampled_from(["", "Q1", [{"id": 4, "name": "Other"}], [{"tag_id": 1.5}]]),
            st.none(),
        ),
        "scheduler_cron_value": SCHEDULES,
        "sequence_count": st.integers(0, 3),
    },
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(RECORD, min_size=1, max_size=8))
def test_a_records_row_does_not_depend_on_its_neighbours(records):
    """Read with its neighbours, a record may take a careful path it would not take alone (one
    odd value sends a whole column there): the row must be the same either way."""
    together = campaigns_frame(records)
    for position, record in enumerate(records):
        alone = campaigns_frame([record])
        assert plain_row(together, position) == plain_row(alone, 0)


def test_categories_taken_unchecked_from_arrow_equal_pandas_checked_ones(monkeypatch):
    """The frame skips pandas' uniqueness check on categories that come from an Arrow
    dictionary (distinct by construction); without that shortcut the frame is the same."""
    records = demo_campaigns(300, distinct_schedules=True)
    quick = campaigns_frame(records, demo_clients())
    monkeypatch.setattr(frame_module, "_UNCHECKED_DTYPE", None)
    checked = campaigns_frame(records, demo_clients())
    pd.testing.assert_frame_equal(quick, checked)


# ------------------------------------------------------------------ hostile values (issue 17)


@pytest.mark.parametrize(
    ("field", "value", "kept"),
    [
        ("max_leads_per_day", 0, True),
        ("max_leads_per_day", 10**9, True),
        ("max_leads_per_day", 10**9 + 1, False),
        ("max_leads_per_day", 2**62, False),
        ("max_leads_per_day", 2**53 - 1, False),
        ("max_leads_per_day", -1, False),
        ("max_leads_per_day", "-(2**53)", False),
        ("max_leads_per_day", str(2**62), False),
        ("min_time_btwn_emails", -5, False),
        ("min_time_btwn_emails", 15, True),
        ("follow_up_percentage", 100, True),
        ("follow_up_percentage", 150, False),
    ],
)
def test_values_outside_a_sane_range_are_unreadable_and_named(field, value, kept):
    # alone (Arrow reads the column) and among odd values (the careful path) alike
    for records in ([{"id": 1, field: value}], [{"id": 1, field: value}, {"id": 2, field: "x"}]):
        row = campaigns_frame(records).iloc[0]
        if kept:
            assert row[field] == value
            assert pd.isna(row["unreadable_fields"])
        else:
            assert pd.isna(row[field])
            assert row["unreadable_fields"] == field


def test_the_sane_ranges_keep_sums_exact_in_a_browser() -> None:
    low, high = frame_module.SANE_RANGES["max_leads_per_day"]
    assert low == 0
    assert high * 7 * 1_000_000 < 2**53, "a week of a million campaigns' limits stays exact"


def test_a_client_named_like_a_placeholder_is_told_apart_by_its_id() -> None:
    frame = campaigns_frame(
        [{"id": 1, "client_id": 41}, {"id": 2}, {"id": 3, "client_id": 43}],
        [{"id": 41, "name": "(no client)"}, {"id": 43, "name": "(untagged)"}],
    )
    assert frame["client_name"].tolist() == ["(no client) (#41)", NO_CLIENT, "(untagged) (#43)"]


@pytest.mark.parametrize(
    ("tags", "expected"),
    [
        ([{"tag_id": 7, "tag_name": "(untagged)", "tag_color": "#fff"}], ["(untagged) (#7)"]),
        ([{"tag_id": 8, "tag_name": " (none)", "tag_color": "#fff"}], ["(none) (#8)"]),
        (["(untagged)", "Q1"], ["“(untagged)”", "Q1"]),
        ([{"tag_id": 9, "tag_name": "(untagged) ok", "tag_color": "#fff"}], ["(untagged) ok"]),
    ],
)
def test_a_tag_named_like_a_placeholder_is_told_apart(tags, expected):
    plain = {"tag_id": 1, "tag_name": "Plain", "tag_color": "#000"}
    frame = campaigns_frame([{"id": 1, "tags": tags}, {"id": 2, "tags": [plain]}])
    assert list(frame["tags"].iloc[0]) == expected
    assert list(frame["tags"].iloc[1]) == ["Plain"]
