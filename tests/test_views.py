"""Sorting the campaigns table and the campaign detail pane."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import numpy as np
import pandas as pd
import pytest

from smartlead import vocab
from smartlead.frame import campaigns_frame, empty_frame
from smartlead.runway import with_runway
from smartlead.views import (
    SETTING_LABELS,
    SORT_ORDERS,
    campaign_details,
    setting_labels,
    setting_text,
    settings_by_topic,
    sort_campaigns,
    sort_orders_for,
)
from smartlead.window import CampaignChunk, Window, campaign_metrics, with_window
from tests import builders
from tests.builders import campaign_window_row

NEW_YORK_WEEKDAYS = {
    "tz": "America/New_York",
    "days": [1, 2, 3, 4, 5],
    "startHour": "09:00",
    "endHour": "17:30",
}


def record(campaign_id: int | None, **fields: Any) -> dict[str, Any]:
    """``builders.campaign`` of Acme, sending 09:00–17:30 New York time, no unsubscribe text."""
    defaults = {"client_id": 11, "scheduler_cron_value": NEW_YORK_WEEKDAYS, "unsubscribe_text": ""}
    return builders.campaign(campaign_id, **{**defaults, **fields})


RECORDS = [
    record(
        5,
        name="Echo",
        created_at="2025-01-05T10:30:00Z",
        updated_at="2025-02-01T00:00:00Z",
        max_leads_per_day=100,
        track_settings=["DONT_EMAIL_OPEN"],
        send_as_plain_text=True,
        tags=[
            builders.tag(1, "Q1", "#FF0000"),
            builders.tag(2, "EMEA", None),
        ],
    ),
    record(
        4,
        name="delta",
        created_at="2025-01-05T10:30:00Z",
        updated_at="2025-03-01T00:00:00Z",
        max_leads_per_day=300,
        parent_campaign_id=5,
    ),
    record(
        3,
        name="Charlie",
        created_at="2025-01-03T00:00:00Z",
        updated_at=None,
        max_leads_per_day=100,
        parent_campaign_id=99,  # a parent that no longer exists
        scheduler_cron_value=None,
    ),
    record(
        2,
        name=None,
        created_at=None,
        updated_at="2025-01-10T00:00:00Z",
        max_leads_per_day=None,
        parent_campaign_id=5,
    ),
    record(
        1,
        name="alpha",
        created_at="2025-01-01T00:00:00Z",
        updated_at="2025-01-02T00:00:00Z",
        max_leads_per_day=50,
    ),
]


@pytest.fixture(scope="module")
def frame() -> pd.DataFrame:
    return campaigns_frame(RECORDS, [{"id": 11, "name": "Acme"}])


def ids(view: pd.DataFrame) -> list[Any]:
    return view["id"].tolist()


# --------------------------------------------------------------------------- sorting


@pytest.mark.parametrize(
    ("order", "expected"),
    [
        # ties on the time broken by id, newest id first; no creation time goes last
        ("Newest first", [5, 4, 3, 1, 2]),
        ("Oldest first", [1, 3, 4, 5, 2]),
        ("Recently updated", [4, 5, 2, 1, 3]),
        ("Daily limit, high to low", [4, 5, 3, 1, 2]),
        # case-insensitive (a plain sort would put "Charlie" and "Echo" before "alpha")
        ("Name, A to Z", [1, 3, 4, 5, 2]),
    ],
)
def test_sort_orders_put_missing_values_last(
    frame: pd.DataFrame, order: str, expected: list[int]
) -> None:
    assert order in SORT_ORDERS
    shuffled = frame.iloc[[2, 4, 0, 3, 1]]
    assert ids(sort_campaigns(frame, order)) == expected
    assert ids(sort_campaigns(shuffled, order)) == expected


def test_every_sort_order_is_tested() -> None:
    assert set(SORT_ORDERS) == {
        "Newest first",
        "Oldest first",
        "Recently updated",
        "Daily limit, high to low",
        "Name, A to Z",
        *WINDOW_ORDERS,
        "Runs out of leads soonest",
    }


WINDOW_ORDERS = {
    # sent: 1 → 300, 2 → 0 (no rate), 3 → 100, 4 unknown, 5 → 100; ties (and rates unknown
    # for 2 and 4) are broken by id, newest first
    "Most sent in the window": [1, 5, 3, 2, 4],
    "Highest reply rate in the window": [3, 5, 1, 4, 2],
    "Highest bounce rate in the window": [1, 5, 3, 4, 2],
}


def test_the_window_orders_sort_by_its_figures_with_unknowns_last(frame: pd.DataFrame) -> None:
    window = Window(date(2026, 11, 3), date(2026, 12, 2))
    rows = (
        campaign_window_row(1, sent=300, replied=3, bounced=9),
        campaign_window_row(3, sent=100, replied=5, bounced=1),
        campaign_window_row(5, sent=100, replied=4, bounced=2),
        campaign_window_row(4, sent=None),
    )
    joined = with_window(frame, campaign_metrics(window, [CampaignChunk(window, rows)]))
    assert sort_orders_for(joined) == [o for o in SORT_ORDERS if o != "Runs out of leads soonest"]
    for order, expected in WINDOW_ORDERS.items():
        assert ids(sort_campaigns(joined, order)) == expected, order


def test_without_window_figures_their_orders_are_not_offered(frame: pd.DataFrame) -> None:
    assert not set(WINDOW_ORDERS) & set(sort_orders_for(frame))
    assert ids(sort_campaigns(frame, "Most sent in the window")) == ids(frame)


def test_unknown_sort_order_keeps_the_apis_order(frame: pd.DataFrame) -> None:
    assert ids(sort_campaigns(frame, "By colour")) == [5, 4, 3, 2, 1]


def test_sorting_keeps_rows_and_leaves_the_frame_alone(frame: pd.DataFrame) -> None:
    before = frame.copy()
    for order in SORT_ORDERS:
        result = sort_campaigns(frame, order)
        assert sorted(ids(result)) == [1, 2, 3, 4, 5]
        assert list(result.columns) == list(frame.columns)
    pd.testing.assert_frame_equal(frame, before)


def test_sorting_an_empty_frame_or_one_with_a_missing_id() -> None:
    for order in SORT_ORDERS:
        assert sort_campaigns(empty_frame(), order).empty
    frame = campaigns_frame(
        [
            record(None, name="b", created_at="2025-01-01T00:00:00Z", max_leads_per_day=10),
            record(7, name="A", created_at="2025-01-01T00:00:00Z", max_leads_per_day=10),
        ]
    )
    assert ids(sort_campaigns(frame, "Newest first"))[0] == 7
    assert ids(sort_campaigns(frame, "Name, A to Z"))[0] == 7


# --------------------------------------------------------------------------- details


def settings_of(details: Any) -> dict[str, str]:
    return dict(zip(details.settings["Setting"], details.settings["Value"], strict=True))


def test_details_of_a_main_campaign(frame: pd.DataFrame) -> None:
    details = campaign_details(frame, 5)
    assert details is not None
    assert details.campaign["name"] == "Echo"
    assert details.parent_id is None
    assert details.parent is None
    assert ids(details.children) == [4, 2]
    assert list(details.children.columns) == ["id", "name", "status"]
    shown = settings_of(details)
    assert shown["Campaign id"] == "5"
    assert shown["Name"] == "Echo"
    assert shown["Client"] == "Acme"
    assert shown["Parent campaign id"] == "—"
    assert shown["Created (UTC)"] == "2025-01-05 10:30"
    assert shown["Daily limit (new leads per day)"] == "100"
    assert shown["Tags"] == "Q1, EMEA"
    assert shown["Tracks opens"] == "no"
    assert shown["Tracks clicks"] == "yes"
    assert shown["Plain text"] == "yes"
    assert shown["Unsubscribe text"] == "(empty)"
    assert shown["Window length (hours)"] == "8.5"
    assert shown["Window (local time)"] == "09:00–17:30"
    assert shown["Sending window"].startswith("Mon–Fri 09:00–17:30")


def test_details_show_times_in_the_viewers_zone_and_name_it(frame: pd.DataFrame) -> None:
    details = campaign_details(frame, 5, zone="Asia/Tokyo")
    assert details is not None
    shown = settings_of(details)
    assert shown["Created (Asia/Tokyo)"] == "2025-01-05 19:30"
    assert not any("UTC" in label for label in shown)
    topics = dict(settings_by_topic(details.settings, "Asia/Tokyo"))
    assert "Created (Asia/Tokyo)" in topics["Campaign"]["Setting"].tolist()


def test_details_list_every_setting_with_a_label(frame: pd.DataFrame) -> None:
    details = campaign_details(frame, 5)
    assert details is not None
    labels = details.settings["Setting"].tolist()
    assert labels[: len(SETTING_LABELS)] == list(setting_labels("UTC").values())
    assert all(isinstance(value, str) and value for value in details.settings["Value"])
    assert not any("_" in label for label in labels)


def test_details_of_a_subsequence_whose_parent_is_present(frame: pd.DataFrame) -> None:
    details = campaign_details(frame, 4)
    assert details is not None
    assert details.parent_id == 5
    assert details.parent is not None
    assert details.parent["id"] == 5
    assert details.parent["name"] == "Echo"
    assert details.children.empty
    assert settings_of(details)["Parent campaign id"] == "5"


def test_details_of_a_subsequence_whose_parent_is_gone(frame: pd.DataFrame) -> None:
    details = campaign_details(frame, 3)
    assert details is not None
    assert details.parent_id == 99
    assert details.parent is None
    shown = settings_of(details)
    assert shown["Last updated (UTC)"] == "—"
    assert shown["Tags"] == vocab.NO_GROUP
    assert shown["Sending window"] == "No schedule"
    assert "Window (local time)" not in shown


def test_details_of_a_campaign_with_missing_fields(frame: pd.DataFrame) -> None:
    details = campaign_details(frame, 2)
    assert details is not None
    shown = settings_of(details)
    assert shown["Name"] == "—"
    assert shown["Created (UTC)"] == "—"
    assert shown["Daily limit (new leads per day)"] == "—"


@pytest.mark.parametrize("campaign_id", [12345, None, pd.NA, 99])
def test_details_of_an_unknown_id_is_none(frame: pd.DataFrame, campaign_id: Any) -> None:
    assert campaign_details(frame, campaign_id) is None


def test_details_accept_numpy_ids(frame: pd.DataFrame) -> None:
    details = campaign_details(frame, np.int64(4))
    assert details is not None
    assert details.parent_id == 5


def test_details_in_an_empty_frame_are_none() -> None:
    assert campaign_details(empty_frame(), 1) is None


def test_a_campaign_without_an_id_in_the_frame_does_not_break_details() -> None:
    frame = campaigns_frame(
        [
            record(None, name="No id", parent_campaign_id=8),
            record(8, name="Main"),
            record(9, name="Child", parent_campaign_id=8),
        ]
    )
    details = campaign_details(frame, 8)
    assert details is not None
    assert details.campaign["name"] == "Main"
    assert details.children["name"].tolist() == ["No id", "Child"]
    child = campaign_details(frame, 9)
    assert child is not None
    assert child.parent is not None
    assert child.parent["name"] == "Main"
    assert campaign_details(frame, pd.NA) is None


# --------------------------------------------------------------------------- setting_text


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (["Q1", "EMEA"], "Q1, EMEA"),
        ([], vocab.NO_GROUP),
        (("a",), "a"),
        (np.array(["x", "y"]), "x, y"),  # list cells of a frame read back from Parquet
        (np.array([], dtype=object), vocab.NO_GROUP),
        (True, "yes"),
        (False, "no"),
        (np.bool_(True), "yes"),
        (np.bool_(False), "no"),
        (pd.array([True], dtype="boolean")[0], "yes"),
        (None, "—"),
        (pd.NA, "—"),
        (pd.NaT, "—"),
        (float("nan"), "—"),
        ("", "(empty)"),
        ("Reply STOP", "Reply STOP"),
        (pd.Timestamp("2025-11-25 10:43:46.826", tz="UTC"), "2025-11-25 10:43"),
        (8.5, "8.5"),
        (24.0, "24"),
        (np.float64(7.25), "7.25"),
        (0, "0"),
        (np.int64(120), "120"),
    ],
)
def test_setting_text(value: Any, expected: str) -> None:
    assert setting_text(value) == expected


# -------------------------------------------------------------------- repeated ids (issue 17)


def test_a_repeated_id_opens_the_row_selected_and_says_that_it_repeats() -> None:
    frame = campaigns_frame(
        [
            record(5, name="first"),
            record(5, name="second"),
            record(5, name="third"),
            record(6, name="child", parent_campaign_id=5),
        ]
    )
    for row, name in enumerate(["first", "second", "third"]):
        details = campaign_details(frame, 5, row)
        assert details is not None
        assert details.campaign["name"] == name
        assert details.row == row
        assert details.same_id == 3
        assert details.id_repeats
    child = campaign_details(frame, 6, 3)
    assert child is not None
    assert child.parents_with_id == 3, "the parent's id is ambiguous, and that is said"
    assert child.parent is not None
    assert child.parent["name"] == "first"
    assert not child.id_repeats


def test_a_row_that_no_longer_carries_the_id_falls_back_to_the_id() -> None:
    frame = campaigns_frame([record(7, name="seven"), record(8, name="eight")])
    details = campaign_details(frame, 8, 0)  # row 0 is campaign 7 now (fetched again)
    assert details is not None
    assert details.campaign["name"] == "eight"
    details = campaign_details(frame, 8, 99)  # a row that is gone
    assert details is not None
    assert details.campaign["name"] == "eight"
    assert details.same_id == 1


def test_the_runway_order_puts_the_soonest_dry_first_and_unknowns_last(frame: pd.DataFrame) -> None:
    leads = frame.assign(leads_not_started=pd.array([500, 0, 50, None, 100], dtype="Int64"))
    joined = with_runway(leads, now=datetime(2026, 11, 19, 13, 0, tzinfo=UTC))
    assert "Runs out of leads soonest" in sort_orders_for(joined)
    assert "Runs out of leads soonest" not in sort_orders_for(frame)
    order = ids(sort_campaigns(joined, "Runs out of leads soonest"))
    dated = joined[joined["runway_date"].notna()]
    keys = zip(dated["runway_date"], dated["runway_days"], dated["id"], strict=True)
    assert len(dated) >= 2
    assert order[: len(dated)] == [cid for *_, cid in sorted(keys)]
    assert set(order[len(dated) :]) == set(joined["id"]) - set(dated["id"])


def test_the_details_read_as_a_form_grouped_by_topic_with_every_setting_once(
    frame: pd.DataFrame,
) -> None:
    details = campaign_details(frame, 5)
    assert details is not None
    topics = settings_by_topic(details.settings)
    names = [topic for topic, _ in topics]
    assert names[:6] == [
        "Campaign",
        "Sending",
        "Schedule",
        "Tracking",
        "Sequence",
        "Client and tags",
    ]
    shown = [label for _, rows in topics for label in rows["Setting"]]
    assert sorted(shown) == sorted(details.settings["Setting"]), "every setting, once"
    grouped = {topic: set(rows["Setting"]) for topic, rows in topics}
    assert {"Daily limit (new leads per day)", "Unsubscribe text"} <= grouped["Sending"]
    assert {"Sending window", "Time zone"} <= grouped["Schedule"]
    assert {"Tracks opens", "Tracks clicks"} <= grouped["Tracking"]
    assert {"Client", "Tags"} <= grouped["Client and tags"]
