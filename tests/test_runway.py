"""Lead runway: the date a campaign sends its last new leads, per client, the refill queue and
the funnel (smartlead.runway), including property tests of the calendar against a day-by-day
reference across weekends, sending-day sets, time zones and daylight-saving changes."""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from smartlead.frame import campaigns_frame
from smartlead.records import parse_analytics
from smartlead.runway import (
    BASIS_LIMIT,
    BASIS_OBSERVED,
    MAX_DATED_DAYS,
    lead_funnel,
    nth_sending_day,
    refill_queue,
    runway_by_client,
    sending_days_between,
    with_lead_stats,
    with_runway,
)
from smartlead.window import Window
from tests.builders import campaign, tag

MON_TO_FRI = [1, 2, 3, 4, 5]
"""SmartLead's day numbers (0 = Sunday) of a Monday-to-Friday schedule."""

THURSDAY_MORNING_NY = datetime(2026, 11, 19, 13, 0, tzinfo=UTC)
"""Thursday 19 November 2026, 08:00 in New York."""


def cron(tz: str = "America/New_York", days=None, start="09:00", end="17:00") -> dict:
    return {
        "tz": tz,
        "days": MON_TO_FRI if days is None else days,
        "startHour": start,
        "endHour": end,
    }


def frame_of(*records: dict[str, Any], leads: list[Any] | None = None) -> pd.DataFrame:
    """The campaign frame of ``records`` with ``leads_not_started`` (one per record)."""
    frame = campaigns_frame(list(records))
    frame["leads_not_started"] = pd.array(leads or [None] * len(records), dtype="Int64")
    return frame


def one(now: datetime = THURSDAY_MORNING_NY, *, leads: Any = 150, **changes: Any) -> pd.Series:
    """The runway columns of one campaign (50 a day, Mon–Fri 09:00–17:00 New York)."""
    record = campaign(1, **({"scheduler_cron_value": cron()} | changes))
    return with_runway(frame_of(record, leads=[leads]), now=now).iloc[0]


# --------------------------------------------------------------------------- the example


def test_three_sending_days_on_a_thursday_morning_end_on_monday():
    row = one()
    assert row["runway_days"] == 3.0
    assert row["runway_date"] == date(2026, 11, 23)  # Thu, Fri, (weekend), Mon
    assert row["runway_basis"] == BASIS_LIMIT
    assert row["runway_pace"] == 50
    assert row["runway_note"] == "at its daily limit of 50 new leads"


def test_a_window_closed_for_today_starts_counting_tomorrow():
    evening = datetime(2026, 11, 19, 23, 30, tzinfo=UTC)  # Thursday 18:30 in New York
    assert one(evening)["runway_date"] == date(2026, 11, 24)  # Fri, Mon, Tue


def test_a_window_past_midnight_is_open_all_evening():
    evening = datetime(2026, 11, 20, 3, 0, tzinfo=UTC)  # Thursday 22:00 in New York
    row = one(evening, scheduler_cron_value=cron(start="20:00", end="02:00"))
    assert row["runway_date"] == date(2026, 11, 23)  # Thu (tonight), Fri, Mon


def test_days_are_counted_in_the_campaigns_own_time_zone():
    # 14:00 UTC on Thursday is already Friday 01:00 in Sydney.
    now = datetime(2026, 11, 19, 14, 0, tzinfo=UTC)
    row = one(now, leads=50, scheduler_cron_value=cron("Australia/Sydney"))
    assert row["runway_date"] == date(2026, 11, 20)
    # 03:00 UTC on Friday is still Thursday 22:00 in New York: its window has closed.
    late = datetime(2026, 11, 20, 3, 0, tzinfo=UTC)
    assert one(late, leads=50)["runway_date"] == date(2026, 11, 20)


def test_a_sunday_to_thursday_week_sends_on_sunday():
    friday = datetime(2026, 11, 20, 6, 0, tzinfo=UTC)  # Friday 09:00 in Riyadh
    row = one(friday, leads=100, scheduler_cron_value=cron("Asia/Riyadh", days=[0, 1, 2, 3, 4]))
    assert row["runway_date"] == date(2026, 11, 23)  # Sun 22, Mon 23


def test_a_fraction_of_a_day_is_a_sending_day_and_the_days_stay_a_fraction():
    row = one(leads=125)  # 2.5 days
    assert row["runway_days"] == 2.5
    assert row["runway_date"] == date(2026, 11, 23)


def test_a_later_first_send_starts_the_count_then():
    row = one(leads=50, schedule_start_time="2026-12-01T15:00:00.000Z")  # a Tuesday
    assert row["runway_date"] == date(2026, 12, 1)


def test_daylight_saving_changes_move_the_local_day_not_the_count():
    # London springs forward at 01:00 UTC on Sunday 29 March 2026: 01:30 UTC is 02:30 BST.
    spring = datetime(2026, 3, 29, 1, 30, tzinfo=UTC)
    row = one(spring, leads=50, scheduler_cron_value=cron("Europe/London"))
    assert row["runway_date"] == date(2026, 3, 30)
    # New York falls back at 06:00 UTC on Sunday 1 November 2026 (02:00 EDT becomes 01:00
    # EST): 04:30, 05:30, 06:30 and 07:30 UTC are all Sunday there, 1:30 twice among them.
    for hour in (4, 5, 6, 7):
        fall = datetime(2026, 11, 1, hour, 30, tzinfo=UTC)
        assert one(fall, leads=50)["runway_date"] == date(2026, 11, 2), hour
    # Friday 6 March 2026, 18:30 in New York (23:30 UTC, still EST): the window has closed, so
    # two days of leads go out on Monday and Tuesday, after Sunday's change to EDT.
    friday_evening = datetime(2026, 3, 6, 23, 30, tzinfo=UTC)
    assert one(friday_evening, leads=100)["runway_date"] == date(2026, 3, 10)


# --------------------------------------------------------------------------- missing inputs


@pytest.mark.parametrize(
    ("changes", "leads", "note"),
    [
        ({}, None, "no lead statistics"),
        ({"max_leads_per_day": None}, 100, "no daily limit"),
        ({"max_leads_per_day": 0}, 100, "a daily limit of 0: no new leads go out"),
        ({"scheduler_cron_value": None}, 100, "no usable schedule (days, hours or time zone)"),
        ({"scheduler_cron_value": cron(days=[])}, 100, "no usable schedule"),
        ({"scheduler_cron_value": cron("Mars/Olympus")}, 100, "no usable schedule"),
        ({"scheduler_cron_value": cron(start="09:00", end="09:00")}, 100, "no usable schedule"),
        ({"status": "PAUSED"}, 100, "not sending (PAUSED)"),
        ({"status": "COMPLETED"}, 0, "not sending (COMPLETED)"),
    ],
)
def test_missing_inputs_give_a_missing_runway_never_zero_or_infinity(changes, leads, note):
    row = one(leads=leads, **changes)
    assert pd.isna(row["runway_days"])
    assert pd.isna(row["runway_date"])
    assert pd.isna(row["runway_basis"])
    assert row["runway_note"].startswith(note)


def test_no_lead_left_is_zero_days_and_dry_today():
    saturday = datetime(2026, 11, 21, 15, 0, tzinfo=UTC)
    row = one(saturday, leads=0)
    assert row["runway_days"] == 0
    assert row["runway_date"] == date(2026, 11, 21)
    assert row["runway_note"] == "no leads left"


def test_an_answer_without_lead_statistics_stays_unknown():
    older = {"sent_count": "10", "unique_sent_count": "5"}  # no campaign_lead_stats at all
    partial = {"campaign_lead_stats": {"total": 10, "completed": 4}}  # no notStarted
    frame = campaigns_frame([campaign(1), campaign(2), campaign(3)])
    joined = with_lead_stats(frame, {1: parse_analytics(older), 2: parse_analytics(partial)})
    assert joined["leads_not_started"].isna().all()
    assert joined["leads_total"].tolist()[1] == 10
    runway = with_runway(joined, now=THURSDAY_MORNING_NY)
    assert runway["runway_note"].tolist() == ["no lead statistics"] * 3
    assert "reply_rate" not in joined.columns, "only the lead statistics are joined"


def test_a_runway_too_long_to_date_keeps_its_days():
    row = one(leads=50 * (MAX_DATED_DAYS + 1))
    assert row["runway_days"] == MAX_DATED_DAYS + 1
    assert pd.isna(row["runway_date"])
    assert "no date" in row["runway_note"]


def test_hostile_counts_do_not_overflow():
    row = one(leads=2**62)
    assert math.isfinite(row["runway_days"])
    assert pd.isna(row["runway_date"])


def test_rows_index_and_other_columns_are_kept():
    frame = frame_of(campaign(1), campaign(2), leads=[10, 20])
    frame.index = [7, 3]
    out = with_runway(frame, now=THURSDAY_MORNING_NY)
    assert out.index.tolist() == [7, 3]
    assert out.columns[: len(frame.columns)].tolist() == frame.columns.tolist()
    assert "runway_days" not in frame.columns
    again = with_runway(out, now=THURSDAY_MORNING_NY)
    assert again.columns.tolist() == out.columns.tolist()
    assert with_runway(frame.iloc[:0], now=THURSDAY_MORNING_NY).empty


# --------------------------------------------------------------------------- the observed pace

WINDOW = Window(date(2026, 11, 2), date(2026, 11, 15), "UTC")
"""Two full weeks, Monday to Sunday: ten Monday-to-Friday sending days."""
WINDOW_TODAY = date(2026, 11, 16)


def paced(leads: int = 100, **figures: Any) -> pd.Series:
    created = figures.pop("created_at", "2025-11-01T10:43:46.826Z")
    frame = frame_of(campaign(1, created_at=created), leads=[leads])
    for name in ("window_sent", "window_leads_contacted"):
        frame[name] = pd.array([figures.get(name)], dtype="Int64")
    now = datetime(2026, 11, 16, 13, 0, tzinfo=UTC)  # Monday 08:00 in New York
    return with_runway(frame, now=now, window=WINDOW, window_today=WINDOW_TODAY).iloc[0]


def test_a_campaign_sending_fewer_new_leads_than_its_limit_runs_at_that_pace():
    row = paced(window_leads_contacted=200, window_sent=600)  # 20 leads a sending day < 50
    assert row["runway_basis"] == BASIS_OBSERVED
    assert row["runway_pace"] == 20
    assert row["runway_days"] == 5
    assert row["runway_date"] == date(2026, 11, 20)  # Mon to Fri
    assert "at most 20.0 leads emailed a sending day over 10 sending days" in row["runway_note"]


def test_without_leads_emailed_the_emails_sent_bound_the_pace():
    row = paced(window_sent=300)  # full_data missing: 30 emails a sending day < 50
    assert row["runway_basis"] == BASIS_OBSERVED
    assert row["runway_pace"] == 30
    assert "emails a sending day" in row["runway_note"]


def test_a_pace_at_or_above_the_limit_says_nothing_and_the_limit_is_used():
    assert paced(window_leads_contacted=500)["runway_basis"] == BASIS_LIMIT
    assert paced(window_leads_contacted=900)["runway_pace"] == 50
    assert paced()["runway_basis"] == BASIS_LIMIT, "no figures: the limit"


def test_sending_days_count_from_the_campaigns_creation():
    row = paced(window_leads_contacted=200, created_at="2026-11-09T12:00:00.000Z")
    assert row["runway_pace"] == 40  # 200 over the five days from Monday 9 November
    too_new = paced(window_leads_contacted=10, created_at="2026-11-13T12:00:00.000Z")
    assert too_new["runway_basis"] == BASIS_LIMIT, "one sending day says too little"


def test_a_campaign_that_sent_nothing_has_no_runway_rather_than_an_infinite_one():
    row = paced(window_sent=0, window_leads_contacted=0)
    assert pd.isna(row["runway_days"])
    assert pd.isna(row["runway_date"])
    assert row["runway_note"].startswith("sent nothing in 10 sending days")


# --------------------------------------------------------------------------- properties

ZONES = (
    "Europe/London",
    "America/New_York",
    "Australia/Sydney",
    "Asia/Kolkata",
    "Asia/Riyadh",
    "Pacific/Chatham",
    "America/Sao_Paulo",
    "UTC",
)
DST_CHANGES = (
    datetime(2026, 3, 8, 7, 0, tzinfo=UTC),  # New York springs forward
    datetime(2026, 3, 29, 1, 0, tzinfo=UTC),  # London springs forward
    datetime(2026, 10, 25, 1, 0, tzinfo=UTC),  # London falls back
    datetime(2026, 11, 1, 6, 0, tzinfo=UTC),  # New York falls back
    datetime(2026, 4, 5, 16, 0, tzinfo=UTC),  # Sydney falls back
    datetime(2026, 10, 3, 16, 0, tzinfo=UTC),  # Sydney springs forward
)


def reference_date(
    now: datetime, zone: str, weekdays: set[int], start: int, end: int, sending_days: int
) -> date:
    """The ``sending_days``-th sending day, walking the calendar one day at a time."""
    local = now.astimezone(ZoneInfo(zone))
    today, minute = local.date(), local.hour * 60 + local.minute
    closed = end > start and minute >= end
    day, counted = today, 0
    while True:
        if day.weekday() in weekdays and not (day == today and closed):
            counted += 1
            if counted == sending_days:
                return day
        day += timedelta(days=1)


moments = st.one_of(
    st.datetimes(
        min_value=datetime(2025, 1, 1), max_value=datetime(2028, 1, 1), timezones=st.just(UTC)
    ),
    st.builds(
        lambda change, minutes: change + timedelta(minutes=minutes),
        st.sampled_from(DST_CHANGES),
        st.integers(min_value=-26 * 60, max_value=26 * 60),
    ),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    now=moments,
    zone=st.sampled_from(ZONES),
    days=st.sets(st.integers(min_value=0, max_value=6), min_size=1),
    start=st.integers(min_value=0, max_value=24 * 60 - 1),
    end=st.integers(min_value=0, max_value=24 * 60 - 1),
    leads=st.integers(min_value=1, max_value=3_000),
    limit=st.integers(min_value=1, max_value=1_000),
)
@example(
    now=THURSDAY_MORNING_NY,
    zone="America/New_York",
    days={1, 2, 3, 4, 5},
    start=9 * 60,
    end=17 * 60,
    leads=150,
    limit=50,
)
def test_the_date_is_never_before_today_never_a_non_sending_day_and_counts_right(
    now, zone, days, start, end, leads, limit
):
    if start == end:
        start = (end + 1) % (24 * 60)
    record = campaign(
        1,
        max_leads_per_day=limit,
        scheduler_cron_value={
            "tz": zone,
            "days": sorted(days),
            "startHour": f"{start // 60:02d}:{start % 60:02d}",
            "endHour": f"{end // 60:02d}:{end % 60:02d}",
        },
    )
    row = with_runway(frame_of(record, leads=[leads]), now=now).iloc[0]
    today = now.astimezone(ZoneInfo(zone)).date()
    sends_on = {(day + 6) % 7 for day in days}  # SmartLead's Sunday = 0 → Monday = 0
    assert row["runway_days"] == pytest.approx(leads / limit)
    assert 0 < row["runway_days"] < math.inf
    expected = reference_date(now, zone, sends_on, start, end, math.ceil(leads / limit))
    if (expected - today).days > MAX_DATED_DAYS:
        assert pd.isna(row["runway_date"])
        assert row["runway_note"].endswith("no date")
        return
    when = row["runway_date"]
    assert when >= today
    assert when.weekday() in sends_on
    assert when == expected


@settings(max_examples=200, deadline=None)
@given(
    first=st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 1, 1)),
    length=st.integers(min_value=-3, max_value=400),
    mask=st.integers(min_value=0, max_value=127),
)
def test_sending_days_between_counts_like_a_walk_through_the_calendar(first, length, mask):
    last = first + timedelta(days=length)
    walked = sum(
        1 for offset in range(length + 1) if mask >> (first + timedelta(offset)).weekday() & 1
    )
    counted = sending_days_between(
        np.array([first.toordinal()]), np.array([last.toordinal()]), np.array([mask])
    )
    assert counted.tolist() == [walked]


def test_nth_sending_day_needs_a_sending_day():
    with pytest.raises(ValueError, match="needs a sending day"):
        nth_sending_day(np.array([1]), np.array([1]), np.array([0]))


# --------------------------------------------------------------------------- summaries


def portfolio(now: datetime = THURSDAY_MORNING_NY) -> pd.DataFrame:
    """Three clients' campaigns with known runways (see each line)."""
    records = [
        campaign(1, "Zeta", client_id=11, tags=[tag(1, "Q1"), tag(2, "EMEA")]),  # 150: Mon 23
        campaign(2, "alpha", client_id=12, tags=[tag(1, "Q1")]),  # 50: Thu 19
        campaign(3, "Beta", client_id=12),  # 0 left: dry today (Thu 19)
        campaign(4, "Gamma", client_id=11, max_leads_per_day=25),  # 50: 2 days, Fri 20
        campaign(5, "Delta", client_id=13),  # no statistics: no runway
        campaign(6, "Eta", client_id=13, status="PAUSED"),  # 900 waiting
        campaign(7, "Theta", client_id=12, status="COMPLETED"),  # finished: never queued
        campaign(8, "Iota", client_id=11),  # 100: Fri 20, emptier than Gamma? no: 2 days
    ]
    frame = frame_of(*records, leads=[150, 50, 0, 50, None, 900, 0, 100])
    frame["leads_total"] = pd.array([300, 100, 80, 60, None, 1000, 500, 100], dtype="Int64")
    frame["leads_in_progress"] = pd.array([100, 30, 50, 5, None, 50, 0, None], dtype="Int64")
    frame["leads_completed"] = pd.array([50, 20, 30, 5, None, 50, 500, None], dtype="Int64")
    frame["leads_blocked"] = pd.array([1, 0, 0, 0, None, 2, 3, None], dtype="Int64")
    frame["leads_interested"] = pd.array([4, 2, 1, 0, None, 0, 9, None], dtype="Int64")
    frame["client_name"] = frame["client_id"].map({11: "Acme", 12: "Bolt", 13: "Cask"})
    return with_runway(frame, now=now)


def test_the_refill_queue_is_in_date_order_then_emptiest_then_client_and_name():
    queue = refill_queue(portfolio())
    assert queue["id"].tolist() == [3, 2, 4, 8, 1]
    assert [str(d) for d in queue["runway_date"]] == [
        "2026-11-19",
        "2026-11-19",
        "2026-11-20",
        "2026-11-20",
        "2026-11-23",
    ]
    assert queue["runway_days"].tolist() == [0, 1, 2, 2, 3]
    assert queue.columns[0] == "runway_date"


def test_the_refill_queue_can_stop_at_a_day():
    queue = refill_queue(portfolio(), until=date(2026, 11, 20))
    assert queue["id"].tolist() == [3, 2, 4, 8]
    assert refill_queue(portfolio(), until=date(2026, 11, 18)).empty


def test_per_client_the_earliest_dry_date_and_the_leads_left():
    clients = runway_by_client(portfolio()).set_index("client_name")
    assert clients.index.tolist() == ["Bolt", "Acme", "Cask"]
    bolt, acme, cask = (clients.loc[name] for name in ("Bolt", "Acme", "Cask"))
    assert str(bolt["earliest_dry_date"]) == "2026-11-19"
    assert bolt["first_to_run_dry"] == "Beta"  # the emptier of the two that end today
    assert bolt["dry_now"] == 1
    assert bolt["active_campaigns"] == 2
    assert bolt["leads_not_started"] == 50
    assert str(acme["earliest_dry_date"]) == "2026-11-20"
    assert acme["leads_not_started"] == 300
    assert acme["new_leads_per_day"] == 125
    assert pd.isna(cask["earliest_dry_date"])
    assert pd.isna(cask["leads_not_started"]), "nothing known is unknown, not 0"
    assert cask["without_runway"] == 1
    assert cask["leads_waiting_paused"] == 900


def test_the_funnel_per_client_and_per_tag():
    frame = portfolio()
    clients = lead_funnel(frame, "client_name").set_index("client_name")
    assert clients.loc["Bolt", "campaigns"] == 3
    assert clients.loc["Bolt", "leads_total"] == 680
    assert clients.loc["Bolt", "leads_completed"] == 550
    assert clients.loc["Bolt", "completed_share"] == pytest.approx(550 / 680)
    assert clients.loc["Cask", "campaigns"] == 1, "the campaign without statistics is left out"
    assert clients.loc["Acme", "leads_in_progress"] == 105, "an unknown stage adds nothing"
    tags = lead_funnel(frame, "tags").set_index("tags")
    assert tags.loc["Q1", "campaigns"] == 2
    assert tags.loc["Q1", "leads_total"] == 400
    assert tags.loc["EMEA", "leads_total"] == 300
    assert tags.loc["(untagged)", "campaigns"] == 5
    assert lead_funnel(frame, "client_name")["leads_total"].is_monotonic_decreasing


def test_summaries_need_the_runway_columns():
    with pytest.raises(ValueError, match="with_runway"):
        refill_queue(campaigns_frame([campaign(1)]))
