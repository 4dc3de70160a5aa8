"""The portfolio's week: DST conversions on known dates, odd windows, capacity sums by hand.

The truths below are worked out by hand (and cross-checked with zoneinfo): in 2026 the US
moves its clocks forward on Sunday 8 March and back on Sunday 1 November; the UK and the EU
move forward on Sunday 29 March and back on Sunday 25 October.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from smartlead import campaigns_frame, demo_campaigns, vocab
from smartlead import schedule as sched
from tests import builders

NEW_YORK = ZoneInfo("America/New_York")
LONDON = ZoneInfo("Europe/London")
_UNSET: Any = object()


def campaign(
    campaign_id: int,
    *,
    tz: Any = "America/New_York",
    days: Any = (1, 2, 3, 4, 5),  # as the API sends them: SmartLead's 0 = Sunday
    start: Any = "09:00",
    end: Any = "17:00",
    schedule: Any = _UNSET,
    limit: Any = 100,
    **fields: Any,
) -> dict[str, Any]:
    """``builders.campaign`` with a weekly window made of its parts (or ``schedule`` as sent)
    and a daily limit of ``limit``; ``fields`` (status, name, client_id, tags) as given."""
    if schedule is _UNSET:
        schedule = {"tz": tz, "days": list(days), "startHour": start, "endHour": end}
    return builders.campaign(
        campaign_id, scheduler_cron_value=schedule, max_leads_per_day=limit, **fields
    )


def sending_hours(heatmap: pd.DataFrame, weekday: int) -> list[int]:
    """The hours of one weekday (0 = Monday) in which at least one campaign sends."""
    day = heatmap[(heatmap["weekday"] == weekday) & (heatmap["campaigns"] > 0)]
    return day["hour"].tolist()


# --------------------------------------------------------------------------- weeks


@pytest.mark.parametrize(
    ("given_date", "monday"),
    [
        (date(2026, 3, 11), date(2026, 3, 9)),  # a Wednesday
        (date(2026, 3, 9), date(2026, 3, 9)),  # the Monday itself
        (date(2026, 3, 15), date(2026, 3, 9)),  # the Sunday ends the ISO week
        (datetime(2026, 3, 11, 23, 30), date(2026, 3, 9)),
        ("2026-03-11", date(2026, 3, 9)),
    ],
)
def test_week_start_is_the_iso_monday(given_date: Any, monday: date) -> None:
    assert sched.week_start(given_date) == monday


def test_heatmap_has_168_tidy_rows_monday_first() -> None:
    heatmap = sched.weekly_heatmap(campaigns_frame([campaign(1)]), date(2026, 3, 2), "UTC")
    assert len(heatmap) == 168
    assert list(heatmap.columns) == list(sched.HEATMAP_COLUMNS)
    assert heatmap["weekday"].tolist() == [d for d in range(7) for _ in range(24)]
    assert heatmap["hour"].tolist() == list(range(24)) * 7
    assert heatmap["weekday_name"].unique().tolist() == list(vocab.WEEKDAYS)
    assert heatmap["hour_start"].iloc[0] == pd.Timestamp("2026-03-02 00:00", tz="UTC")
    assert heatmap["hour_start"].iloc[-1] == pd.Timestamp("2026-03-08 23:00", tz="UTC")


def test_unknown_viewer_zone_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="unknown time zone"):
        sched.weekly_heatmap(campaigns_frame([campaign(1)]), date(2026, 3, 2), "Mars/Olympus")


# --------------------------------------------------------------------------- DST


@pytest.mark.parametrize(
    ("week", "first_london_hour"),
    [
        (date(2026, 3, 2), 14),  # both on standard time: NY is UTC−5, London UTC+0
        (date(2026, 3, 9), 13),  # US on DST since 8 March (UTC−4), UK not yet
        (date(2026, 3, 23), 13),  # still: the UK changes on Sunday 29 March
        (date(2026, 3, 30), 14),  # both on summer time: NY UTC−4, London UTC+1
        (date(2026, 10, 26), 13),  # UK back on GMT since 25 October, US on DST until 1 Nov
        (date(2026, 11, 2), 14),  # both on standard time again
    ],
)
def test_new_york_nine_to_five_seen_from_london(week: date, first_london_hour: int) -> None:
    # Cross-check the hand-written truth with zoneinfo itself.
    monday_nine = datetime.combine(week, datetime.min.time()).replace(hour=9, tzinfo=NEW_YORK)
    assert monday_nine.astimezone(LONDON).hour == first_london_hour

    frame = campaigns_frame([campaign(1, tz="America/New_York")])
    heatmap = sched.weekly_heatmap(frame, week, "Europe/London")
    expected = list(range(first_london_hour, first_london_hour + 8))
    for weekday in range(5):
        assert sending_hours(heatmap, weekday) == expected
    assert sending_hours(heatmap, 5) == []
    assert sending_hours(heatmap, 6) == []
    assert heatmap["campaign_hours"].sum() == pytest.approx(40.0)


def test_week_of_the_us_change_shifts_only_after_the_sunday() -> None:
    # The week of 2 March 2026 ends on Sunday 8 March, the day the US changes; a campaign
    # sending every day shows 14:00–22:00 London on Saturday and 13:00–21:00 on that Sunday.
    frame = campaigns_frame([campaign(1, days=range(7))])
    heatmap = sched.weekly_heatmap(frame, date(2026, 3, 2), "Europe/London")
    assert sending_hours(heatmap, 5) == list(range(14, 22))
    assert sending_hours(heatmap, 6) == list(range(13, 21))


def test_viewer_spring_forward_hour_is_empty_and_autumn_hour_is_double() -> None:
    frame = campaigns_frame([campaign(1, tz="UTC", days=range(7), start="00:00", end="24:00")])
    spring = sched.weekly_heatmap(frame, date(2026, 3, 23), "Europe/London")
    sunday_one = spring[(spring["weekday"] == 6) & (spring["hour"] == 1)].iloc[0]
    assert sunday_one["cell_minutes"] == 0
    assert sunday_one["campaigns"] == 0
    assert spring["cell_minutes"].sum() == 167 * 60

    autumn = sched.weekly_heatmap(frame, date(2026, 10, 19), "Europe/London")
    sunday_one = autumn[(autumn["weekday"] == 6) & (autumn["hour"] == 1)].iloc[0]
    assert sunday_one["cell_minutes"] == 120
    assert sunday_one["campaigns"] == 1
    assert sunday_one["campaign_hours"] == pytest.approx(1.0)
    assert autumn["cell_minutes"].sum() == 169 * 60

    # Real hours at the weekend that autumn week: Saturday 24 h + Sunday 25 h.
    off = sched.off_hours(frame, "Europe/London", date(2026, 10, 19))
    assert off["weekend_hours"].iloc[0] == pytest.approx(49.0)


def test_campaign_start_skipped_by_spring_forward_opens_at_the_jump() -> None:
    # 02:30 does not exist in New York on 8 March 2026: the clock jumps from 02:00 to 03:00.
    frame = campaigns_frame([campaign(1, days=[0], start="02:30", end="04:00")])
    coverage = sched.week_coverage(frame, date(2026, 3, 2), "America/New_York")
    sunday = coverage.campaign_matrix()[0, 6 * 24 : 7 * 24]
    assert sunday[2] == 0.0  # the skipped hour has no length
    assert sunday[3] == pytest.approx(1.0)  # 03:00–04:00 EDT
    assert sunday.sum() == pytest.approx(1.0)


# --------------------------------------------------------------------------- odd windows


def test_window_crossing_midnight_belongs_to_the_next_day() -> None:
    frame = campaigns_frame([campaign(1, tz="UTC", days=[5], start="22:00", end="06:00")])
    heatmap = sched.weekly_heatmap(frame, date(2026, 3, 2), "UTC")
    assert sending_hours(heatmap, 4) == [22, 23]  # opens on Friday (day 5 = Friday)
    assert sending_hours(heatmap, 5) == [0, 1, 2, 3, 4, 5]  # ends Saturday morning
    assert heatmap["campaign_hours"].sum() == pytest.approx(8.0)


def test_sunday_night_window_of_the_previous_week_reaches_monday_morning() -> None:
    frame = campaigns_frame([campaign(1, tz="UTC", days=[0], start="22:00", end="02:00")])
    heatmap = sched.weekly_heatmap(frame, date(2026, 3, 2), "UTC")
    assert sending_hours(heatmap, 0) == [0, 1]  # from Sunday 1 March's window
    assert sending_hours(heatmap, 6) == [22, 23]  # this Sunday's window (ends next week)


def test_half_hour_window_counts_any_part_and_measures_the_fraction() -> None:
    frame = campaigns_frame([campaign(1, tz="UTC", days=[1], start="09:30", end="17:00")])
    heatmap = sched.weekly_heatmap(frame, date(2026, 3, 2), "UTC")
    monday = heatmap[heatmap["weekday"] == 0].set_index("hour")
    assert monday.loc[9, "campaigns"] == 1
    assert monday.loc[9, "campaign_hours"] == pytest.approx(0.5)
    assert monday.loc[16, "campaign_hours"] == pytest.approx(1.0)
    assert monday.loc[17, "campaigns"] == 0
    assert monday["campaign_hours"].sum() == pytest.approx(7.5)


def test_kolkata_window_seen_from_utc_starts_and_ends_on_half_hours() -> None:
    # 09:00–17:00 IST (UTC+05:30) is 03:30–11:30 UTC.
    frame = campaigns_frame([campaign(1, tz="Asia/Kolkata", days=[1], limit=40)])
    heatmap = sched.weekly_heatmap(frame, date(2026, 3, 2), "UTC")
    monday = heatmap[heatmap["weekday"] == 0].set_index("hour")
    assert sending_hours(heatmap, 0) == list(range(3, 12))
    assert monday.loc[3, "campaign_hours"] == pytest.approx(0.5)
    assert monday.loc[11, "campaign_hours"] == pytest.approx(0.5)
    assert monday.loc[3, "daily_limit"] == 40
    assert monday["campaign_hours"].sum() == pytest.approx(8.0)


def test_broken_schedules_are_left_out_of_the_heatmap_and_reported() -> None:
    frame = campaigns_frame(
        [
            campaign(1, tz="UTC"),
            campaign(2, tz="Mars/Olympus"),
            campaign(3, days=[]),
            campaign(4, schedule=None),
            campaign(5, start="09:00", end="09:00"),
            campaign(6, schedule="{not json"),
            campaign(7, tz=None),
            campaign(8, start="25:00"),
        ]
    )
    heatmap = sched.weekly_heatmap(frame, date(2026, 3, 2), "UTC")
    assert heatmap["campaigns"].max() == 1  # only campaign 1 is drawn
    assert sending_hours(heatmap, 0) == list(range(9, 17))

    problems = sched.schedule_problems(frame)
    assert list(problems.columns) == list(sched.PROBLEM_COLUMNS)
    by_id = problems.groupby("id")["problem_code"].apply(set).to_dict()
    assert 1 not in by_id
    assert by_id[2] == {"unknown_timezone"}
    assert by_id[3] == {"no_days"}
    assert by_id[4] == {"no_schedule"}
    assert by_id[5] == {"empty_window"}
    assert by_id[6] == {"unreadable", "no_schedule"}
    assert by_id[7] == {"no_timezone"}
    assert by_id[8] >= {"unreadable", "no_hours"}
    assert not problems["in_heatmap"].any()
    words = problems.set_index("problem_code")["problem"]
    assert "Mars/Olympus" in words["unknown_timezone"]
    assert "09:00–09:00" in words["empty_window"]


def test_statuses_choose_which_campaigns_count() -> None:
    frame = campaigns_frame([campaign(1, tz="UTC"), campaign(2, tz="UTC", status="PAUSED")])
    active = sched.weekly_heatmap(frame, date(2026, 3, 2), "UTC")
    everyone = sched.weekly_heatmap(frame, date(2026, 3, 2), "UTC", statuses=None)
    assert active["campaigns"].max() == 1
    assert everyone["campaigns"].max() == 2


def test_busiest_names_the_three_largest_limits_as_plain_text() -> None:
    long_name = "Very long campaign name " * 5
    frame = campaigns_frame(
        [
            campaign(1, tz="UTC", limit=10, name="Small"),
            campaign(2, tz="UTC", limit=500, name="<b>Big</b>"),
            campaign(3, tz="UTC", limit=300, name="=HYPERLINK(1)"),
            campaign(4, tz="UTC", limit=300, name=long_name, start="10:00"),
            campaign(5, tz="UTC", limit=300, name="Tie loser", start="10:00"),
            campaign(6, tz="UTC", limit=None, name="No limit"),
        ]
    )
    heatmap = sched.weekly_heatmap(frame, date(2026, 3, 2), "UTC").set_index(["weekday", "hour"])
    nine = heatmap.loc[(0, 9)]
    assert nine["campaigns"] == 4  # 1, 2, 3 and 6 open at 09:00; 4 and 5 at 10:00
    assert nine["daily_limit"] == 810
    assert nine["busiest"] == "<b>Big</b> (500/day); =HYPERLINK(1) (300/day); Small (10/day)"
    ten = heatmap.loc[(0, 10)]["busiest"].split("; ")
    assert ten[0] == "<b>Big</b> (500/day)"
    assert ten[1] == "=HYPERLINK(1) (300/day)"  # ties go to the lower id
    assert ten[2].startswith("Very long campaign name")
    assert "…" in ten[2]
    assert len(ten[2]) <= sched.BUSIEST_NAME_LENGTH + len(" (300/day)")
    assert heatmap.loc[(0, 20)]["busiest"] == ""


# --------------------------------------------------------------------------- a reference


def reference_sends(record: dict[str, Any], instant: datetime) -> bool:
    """Does a campaign send at ``instant``? Read straight off its local wall clock."""
    schedule = record["scheduler_cron_value"]
    local = instant.astimezone(ZoneInfo(schedule["tz"]))
    day = (local.weekday() + 1) % 7  # 0 = Sunday
    previous_day = (day - 1) % 7
    minute = local.hour * 60 + local.minute + local.second / 60
    start = _clock(schedule["startHour"])
    end = _clock(schedule["endHour"])
    days = set(schedule["days"])
    if end > start:
        return day in days and start <= minute < end
    if end < start:
        return (day in days and minute >= start) or (previous_day in days and minute < end)
    return False


def _clock(text: str) -> int:
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


def reference_heatmap(records: list[dict[str, Any]], monday: date, viewer: str) -> np.ndarray:
    """(168 × campaigns) fraction of each viewer hour a campaign sends in, sampled per 15 min."""
    zone = ZoneInfo(viewer)
    result = np.zeros((168, len(records)))
    for cell in range(168):
        wall = datetime.combine(monday, datetime.min.time()) + timedelta(hours=cell)
        begin = pd.Timestamp(wall).tz_localize(zone, nonexistent="shift_forward", ambiguous=True)
        finish = pd.Timestamp(wall + timedelta(hours=1)).tz_localize(
            zone, nonexistent="shift_forward", ambiguous=True
        )
        quarters = int((finish - begin).total_seconds() // 900)
        for quarter in range(quarters):
            middle = (begin + pd.Timedelta(minutes=15 * quarter + 7.5)).to_pydatetime()
            for column, record in enumerate(records):
                if reference_sends(record, middle):
                    result[cell, column] += 1 / quarters
    return result


_REFERENCE_ZONES = (
    "UTC",
    "America/New_York",
    "America/Los_Angeles",
    "Europe/London",
    "Europe/Berlin",
    "Asia/Kolkata",
    "Asia/Kathmandu",
    "Australia/Sydney",
    "Pacific/Auckland",
)
_REFERENCE_WEEKS = (date(2026, 3, 4), date(2026, 3, 26), date(2026, 4, 1), date(2026, 10, 28))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    records=st.lists(
        st.builds(
            lambda tz, days, start, end: {
                "scheduler_cron_value": {
                    "tz": tz,
                    "days": sorted(days),
                    "startHour": f"{start // 4:02d}:{start % 4 * 15:02d}",
                    "endHour": f"{end // 4:02d}:{end % 4 * 15:02d}",
                }
            },
            st.sampled_from(_REFERENCE_ZONES),
            st.sets(st.integers(0, 6), min_size=1),
            # Quarter hours from 04:00 to 24:00: clear of the 01:00–03:00 DST changes, where
            # "the first occurrence" and a minute-by-minute wall clock legitimately differ.
            st.integers(16, 96),
            st.integers(16, 96),
        ),
        min_size=1,
        max_size=4,
    ),
    viewer=st.sampled_from(_REFERENCE_ZONES),
    week=st.sampled_from(_REFERENCE_WEEKS),
)
def test_coverage_matches_a_wall_clock_reference(
    records: list[dict[str, Any]], viewer: str, week: date
) -> None:
    for position, record in enumerate(records):
        record.update(id=position + 1, status="ACTIVE", max_leads_per_day=10 * (position + 1))
    frame = campaigns_frame(records)
    expected = reference_heatmap(records, sched.week_start(week), viewer)
    coverage = sched.week_coverage(frame, week, viewer)
    np.testing.assert_allclose(coverage.campaign_matrix().T, expected, atol=1e-9)

    heatmap = sched.weekly_heatmap(frame, week, viewer)
    sending = expected > 0
    np.testing.assert_array_equal(heatmap["campaigns"], sending.sum(axis=1))
    limits = np.array([record["max_leads_per_day"] for record in records])
    np.testing.assert_array_equal(heatmap["daily_limit"], sending @ limits)
    np.testing.assert_allclose(heatmap["campaign_hours"], expected.sum(axis=1), atol=1e-6)


def test_big_portfolio_agrees_with_per_campaign_coverage() -> None:
    frame = campaigns_frame(demo_campaigns(600, seed=3))
    coverage = sched.week_coverage(frame, date(2026, 3, 25), "America/Chicago")
    heatmap = sched.weekly_heatmap(frame, date(2026, 3, 25), "America/Chicago")
    per_campaign = coverage.campaign_matrix()
    active = (frame["status"] == "ACTIVE").to_numpy()
    limits = frame["max_leads_per_day"].fillna(0).to_numpy(dtype=float)
    np.testing.assert_array_equal(heatmap["campaigns"], (per_campaign[active] > 0).sum(axis=0))
    np.testing.assert_array_equal(
        heatmap["daily_limit"], (per_campaign[active] > 0).T.astype(float) @ limits[active]
    )


def test_heatmap_covers_a_5000_campaign_portfolio() -> None:
    # Speed is measured by bench/bench_analysis.py, not asserted here.
    frame = campaigns_frame(demo_campaigns(5000, seed=7))
    heatmap = sched.weekly_heatmap(frame, date(2026, 3, 11), "Europe/London")
    assert len(heatmap) == 168
    assert heatmap["campaigns"].max() > 500


# --------------------------------------------------------------------------- capacity


CLIENTS = [{"id": 1, "name": "Acme"}, {"id": 2, "name": "Bluebird"}]


TAG_IDS = {"Q1": 1, "US": 9}


def tag(name: str) -> dict[str, Any]:
    return builders.tag(TAG_IDS[name], name, "#000000")


@pytest.fixture
def small_portfolio() -> pd.DataFrame:
    """Five campaigns, two clients, mixed days, statuses and tags; sums worked out by hand.

    A  Acme      ACTIVE  Mon–Fri           100/day  tags Q1, US
    B  Acme      ACTIVE  Sat, Sun           50/day  tag Q1
    C  Bluebird  ACTIVE  Mon, Wed 22–06     30/day  no tags (empty list)
    D  Bluebird  PAUSED  Mon–Fri          1000/day  tag US          (paused: not counted)
    E  Bluebird  ACTIVE  no schedule        70/day  tags not fetched (unscheduled)
    """
    records = [
        campaign(1, tz="America/New_York", limit=100, client_id=1, tags=[tag("Q1"), tag("US")]),
        campaign(2, tz="Europe/London", days=[0, 6], limit=50, client_id=1, tags=[tag("Q1")]),
        campaign(3, days=[1, 3], start="22:00", end="06:00", limit=30, client_id=2, tags=[]),
        campaign(4, status="PAUSED", limit=1000, client_id=2, tags=[tag("US")]),
        campaign(5, schedule=None, limit=70, client_id=2, tags=None),
    ]
    return campaigns_frame(records, clients=CLIENTS)


def capacity_table(capacity: pd.DataFrame, by: str) -> dict[str, list[int]]:
    """{group: [Mon … Sun daily limits]} from the long capacity table."""
    pivot = capacity.pivot(index=by, columns="weekday", values="daily_limit")
    return {str(group): [int(v) for v in row] for group, row in pivot.iterrows()}


def test_daily_capacity_per_client_by_hand(small_portfolio: pd.DataFrame) -> None:
    capacity = sched.daily_capacity(small_portfolio)
    assert list(capacity.columns) == [
        "weekday",
        "weekday_name",
        "client_name",
        "daily_limit",
        "campaigns",
    ]
    assert len(capacity) == 14  # 7 weekdays × 2 clients, zeros included
    assert capacity_table(capacity, "client_name") == {
        "Acme": [100, 100, 100, 100, 100, 50, 50],
        "Bluebird": [30, 0, 30, 0, 0, 0, 0],
    }
    monday = capacity[(capacity["weekday"] == 0) & (capacity["client_name"] == "Acme")]
    assert monday["weekday_name"].item() == "Mon"
    assert monday["campaigns"].item() == 1


def test_daily_capacity_with_paused_campaigns(small_portfolio: pd.DataFrame) -> None:
    capacity = sched.daily_capacity(small_portfolio, statuses=("ACTIVE", "PAUSED"))
    assert capacity_table(capacity, "client_name")["Bluebird"] == [
        1030,
        1000,
        1030,
        1000,
        1000,
        0,
        0,
    ]


def test_daily_capacity_per_tag_by_hand(small_portfolio: pd.DataFrame) -> None:
    capacity = sched.daily_capacity(small_portfolio, by="tags")
    assert capacity_table(capacity, "tags") == {
        vocab.UNTAGGED: [30, 0, 30, 0, 0, 0, 0],
        "Q1": [100, 100, 100, 100, 100, 50, 50],
        "US": [100, 100, 100, 100, 100, 0, 0],
    }


def test_weekly_capacity_by_hand(small_portfolio: pd.DataFrame) -> None:
    per_client = sched.weekly_capacity(small_portfolio)
    assert per_client.total == 660
    assert per_client.by_group.to_dict("list") == {
        "client_name": ["Acme", "Bluebird"],
        "weekly_limit": [600, 60],
        "campaigns": [2, 1],
    }
    per_tag = sched.weekly_capacity(small_portfolio, by="tags")
    assert per_tag.total == 660
    assert per_tag.by_group.to_dict("list") == {
        "tags": ["Q1", "US", vocab.UNTAGGED],
        "weekly_limit": [600, 500, 60],
        "campaigns": [2, 1, 1],
    }
    assert per_tag.by_group["weekly_limit"].sum() > per_tag.total  # A counts in Q1 and US


def test_unscheduled_active_lists_what_capacity_leaves_out(small_portfolio: pd.DataFrame) -> None:
    missing = sched.unscheduled_active(small_portfolio)
    assert missing["id"].tolist() == [5]
    assert missing["client_name"].tolist() == ["Bluebird"]
    assert missing["max_leads_per_day"].tolist() == [70]
    assert missing["problem"].tolist() == ["no schedule set"]


def test_capacity_counts_a_campaign_with_an_unknown_zone_on_its_days() -> None:
    frame = campaigns_frame([campaign(1, tz="Not/AZone", days=[2], limit=25)])
    capacity = sched.weekly_capacity(frame, by="status")
    assert capacity.total == 25
    assert sched.unscheduled_active(frame).empty


def test_capacity_rejects_unknown_and_clashing_columns(small_portfolio: pd.DataFrame) -> None:
    with pytest.raises(ValueError, match="no column"):
        sched.daily_capacity(small_portfolio, by="nope")
    with pytest.raises(ValueError, match="own columns"):
        sched.daily_capacity(small_portfolio, by="campaigns")


# --------------------------------------------------------------------------- off hours


def test_off_hours_in_the_viewers_zone() -> None:
    frame = campaigns_frame(
        [
            campaign(1, tz="America/New_York"),  # 13:00–21:00 London that week: 1 h of night
            campaign(2, tz="Europe/London", days=[0, 6], start="10:00", end="14:00"),
            campaign(3, tz="Europe/London", start="09:00", end="17:00"),  # office hours
            campaign(4, tz="Europe/London", status="PAUSED", days=[6]),  # not selected
        ]
    )
    off = sched.off_hours(frame, "Europe/London", date(2026, 3, 9))
    assert list(off.columns) == list(sched.OFF_HOURS_COLUMNS)
    rows = off.set_index("id")
    assert sorted(rows.index) == [1, 2]
    assert rows.loc[1, "night_hours"] == pytest.approx(5.0)
    assert rows.loc[1, "weekend_hours"] == 0
    assert rows.loc[2, "weekend_hours"] == pytest.approx(8.0)
    assert rows.loc[2, "night_hours"] == 0
    assert rows.loc[1, "reason"] == ("sends 5 h at night (20:00–07:00) in Europe/London time")
    assert "Sat, Sun" in rows.loc[2, "schedule_summary"]
    # A narrower night and a week when New York is back to 14:00–22:00 London.
    narrow = sched.off_hours(frame, "Europe/London", date(2026, 3, 2), night=(21, 6))
    assert narrow.set_index("id").loc[1, "night_hours"] == pytest.approx(5.0)


def test_off_hours_rejects_a_bad_night() -> None:
    with pytest.raises(ValueError, match="night"):
        sched.off_hours(campaigns_frame([campaign(1)]), "UTC", date(2026, 3, 2), night=(25, 6))


# --------------------------------------------------------------------------- the demo


def test_demo_portfolio_views_are_consistent() -> None:
    frame = campaigns_frame(demo_campaigns(400, seed=11))
    heatmap = sched.weekly_heatmap(frame, date(2026, 6, 3), "Europe/Berlin")
    capacity = sched.daily_capacity(frame)
    weekly = sched.weekly_capacity(frame)
    assert capacity["daily_limit"].sum() == weekly.total == weekly.by_group["weekly_limit"].sum()
    tags = sched.weekly_capacity(frame, by="tags")
    assert tags.total == weekly.total
    assert tags.by_group["weekly_limit"].sum() >= tags.total
    assert heatmap["campaigns"].max() <= int((frame["status"] == "ACTIVE").sum())
    problems = sched.schedule_problems(frame)
    assert set(problems["problem_code"]) <= {
        "no_schedule",
        "unreadable",
        "no_timezone",
        "unknown_timezone",
        "no_days",
        "no_hours",
        "hours_out_of_range",
        "empty_window",
    }


def test_off_hours_judge_the_weekend_where_the_viewer_is() -> None:
    """Seen from Riyadh the weekend is Friday and Saturday; from London, Saturday and Sunday."""
    frame = campaigns_frame(
        [
            campaign(1, tz="Asia/Riyadh", days=[0, 1, 2, 3, 4], start="10:00", end="14:00"),
            campaign(2, tz="Asia/Riyadh", days=[5], start="10:00", end="14:00"),  # a Friday
        ]
    )
    from_riyadh = sched.off_hours(frame, "Asia/Riyadh", date(2026, 3, 9)).set_index("id")
    assert list(from_riyadh.index) == [2]
    assert from_riyadh.loc[2, "weekend_hours"] == pytest.approx(4.0)
    from_london = sched.off_hours(frame, "Europe/London", date(2026, 3, 9)).set_index("id")
    assert list(from_london.index) == [1]  # its Sunday is London's weekend
    assert from_london.loc[1, "weekend_hours"] == pytest.approx(4.0)


def test_day_masks_and_capacity_use_the_one_weekday_numbering() -> None:
    """SmartLead's Sunday (0) arrives as weekday 6; nothing downstream converts again."""
    frame = campaigns_frame(
        [
            campaign(1, tz="Asia/Riyadh", days=[0, 1, 2, 3, 4], limit=10),
            campaign(2, days=[6], limit=20),  # a Saturday
        ]
    )
    assert sched.day_masks(frame).tolist() == [0b1001111, 0b0100000]
    assert sched.days_text(0b1001111) == "Sun–Thu"
    capacity = sched.daily_capacity(frame, by="status")
    assert capacity["daily_limit"].tolist() == [10, 10, 10, 10, 0, 20, 10]
    schedules = sched.distinct_schedules(frame)
    assert schedules.weekdays()[schedules.codes[0]].tolist() == [1, 1, 1, 1, 0, 0, 1]
