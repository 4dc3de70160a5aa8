"""The date window's pure logic: pieces, presets, coercion, day labels, frames, rates."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from smartlead.errors import WindowError
from smartlead.frame import campaigns_frame
from smartlead.rates import rates_by
from smartlead.window import (
    MAX_CHUNK_DAYS,
    WINDOW_COLUMNS,
    WINDOW_RATES,
    CampaignChunk,
    DayChunk,
    Window,
    campaign_metrics,
    daily_figures,
    parse_last,
    preset_window,
    read_campaign_row,
    read_count,
    read_number,
    read_percent,
    rebuild_dates,
    today_in,
    window_kpis,
    with_window,
)
from tests import strategies
from tests.builders import campaign, campaign_window_row, day_window_row

TODAY = date(2026, 12, 2)
DAYS = st.dates(min_value=date(2019, 1, 1), max_value=date(2031, 12, 31))


# --------------------------------------------------------------------------- the window


@given(DAYS, st.integers(min_value=1, max_value=800), st.integers(min_value=1, max_value=45))
def test_pieces_cover_the_window_exactly_without_overlap(start, length, size):
    window = Window(start, start + timedelta(days=length - 1))
    pieces = window.chunks(size)
    assert pieces[0].start == window.start
    assert pieces[-1].end == window.end
    for before, after in itertools.pairwise(pieces):
        assert after.start == before.end + timedelta(days=1), "no gap, no overlap"
    assert all(1 <= piece.days <= size for piece in pieces)
    assert sum(piece.days for piece in pieces) == window.days
    assert len(pieces) == -(-length // size)


def test_a_90_day_window_is_three_pieces_of_30_days():
    pieces = Window(date(2026, 9, 4), TODAY).chunks()
    assert [piece.days for piece in pieces] == [MAX_CHUNK_DAYS] * 3


@given(DAYS, st.integers(min_value=1, max_value=400))
def test_the_previous_window_has_the_same_length_and_ends_the_day_before(start, length):
    window = Window(start, start + timedelta(days=length - 1), "Europe/London")
    before = window.previous()
    assert before.days == window.days
    assert before.end == window.start - timedelta(days=1)
    assert before.timezone == "Europe/London"


@pytest.mark.parametrize(
    ("preset", "start", "end"),
    [
        ("7d", date(2026, 11, 26), TODAY),
        ("30d", date(2026, 11, 3), TODAY),
        ("90d", date(2026, 9, 4), TODAY),
        ("this_month", date(2026, 12, 1), TODAY),
        ("last_month", date(2026, 11, 1), date(2026, 11, 30)),
    ],
)
def test_presets_end_today_or_cover_last_month(preset, start, end):
    assert preset_window(preset, TODAY) == Window(start, end)


def test_last_month_in_january_is_last_years_december():
    assert preset_window("last_month", date(2027, 1, 15)) == Window(
        date(2026, 12, 1), date(2026, 12, 31)
    )


def test_today_depends_on_the_viewers_time_zone():
    moment = datetime(2026, 12, 2, 23, 30, tzinfo=UTC)
    assert today_in("UTC", moment) == date(2026, 12, 2)
    assert today_in("Asia/Tokyo", moment) == date(2026, 12, 3)
    assert today_in("America/Los_Angeles", moment) == date(2026, 12, 2)


@pytest.mark.parametrize(
    ("window", "words"),
    [
        (Window(date(2026, 11, 30), date(2026, 11, 1)), "before it starts"),
        (Window(date(2026, 12, 5), date(2026, 12, 1)), "starts on 2026-12-05, after today"),
        (Window(date(2026, 11, 1), date(2026, 12, 3)), "after today"),
        (Window(date(2024, 1, 1), TODAY), "the longest supported is 366 days"),
        (Window(date(2026, 11, 1), TODAY, "Mars/Olympus"), "not a time zone"),
    ],
)
def test_a_window_that_cannot_be_asked_for_is_refused_in_words(window, words):
    with pytest.raises(WindowError) as refused:
        window.check(TODAY)
    assert words in str(refused.value)
    assert refused.value.remedy.value == "choose_window"


def test_a_window_of_a_year_ending_today_is_accepted():
    window = Window(TODAY - timedelta(days=365), TODAY)
    assert window.check(TODAY) is window


@pytest.mark.parametrize(("text", "days"), [("30d", 30), ("7", 7), ("4w", 28), (" 90 days ", 90)])
def test_last_reads_days_and_weeks(text, days):
    assert parse_last(text) == days


@pytest.mark.parametrize("text", ["", "abc", "0d", "-3d", "3m"])
def test_last_refuses_what_is_not_a_length(text):
    with pytest.raises(WindowError):
        parse_last(text)


def test_a_window_reads_in_words():
    assert Window(date(2026, 11, 3), TODAY).label() == "3 Nov – 2 Dec 2026"
    assert Window(date(2026, 11, 1), date(2026, 11, 30)).label() == "1–30 Nov 2026"
    assert Window(date(2026, 12, 28), date(2027, 1, 3)).label() == "28 Dec 2026 – 3 Jan 2027"
    assert Window(TODAY, TODAY).label() == "2 Dec 2026"


# --------------------------------------------------------------------------- coercion


@pytest.mark.parametrize(
    ("value", "count"),
    [
        (153, 153),
        ("153", 153),
        (" 153 ", 153),
        ("1,234", 1234),
        (153.0, 153),
        ("153.0", 153),
        ("9%", None),
        ("3.5", None),
        (-1, None),
        ("", None),
        (None, None),
        (True, None),
        ("N/A", None),
    ],
)
def test_counts_come_as_numbers_or_text_and_anything_else_is_unknown(value, count):
    assert read_count(value) == count


@pytest.mark.parametrize(
    ("value", "fraction"),
    [("9%", 0.09), ("26.67%", 0.2667), (" 0.00% ", 0.0), (12.5, 0.125), ("12.5", 0.125)],
)
def test_rates_in_percent_become_fractions(value, fraction):
    assert read_percent(value) == pytest.approx(fraction)


@pytest.mark.parametrize("value", ["abc%", "%", None, "-3%", False])
def test_unreadable_rates_are_unknown(value):
    assert read_percent(value) is None


@given(st.integers(min_value=0, max_value=10**12))
def test_any_count_reads_back_whatever_its_spelling(number):
    for spelled in (number, str(number), f"{number:,}", float(number)):
        assert read_count(spelled) == number


@given(st.floats(min_value=0, max_value=1000, allow_nan=False).map(lambda x: round(x, 2)))
def test_percent_text_reads_as_its_fraction(percent):
    assert read_number(f"{percent:.2f}%") == pytest.approx(percent / 100)
    assert read_percent(f"{percent:.2f}%") == pytest.approx(percent / 100)


# --------------------------------------------------------------------------- day labels


def test_day_labels_without_a_year_are_rebuilt_across_a_new_year():
    window = Window(date(2026, 12, 20), date(2027, 1, 10))
    labels = [f"{day.day} {day:%b}" for day in window.dates()]
    assert rebuild_dates(labels, window) == window.dates()
    assert rebuild_dates(["31 Dec", "1 Jan"], window) == [date(2026, 12, 31), date(2027, 1, 1)]


@given(DAYS, st.integers(min_value=1, max_value=366))
def test_every_label_of_any_window_is_rebuilt_to_its_day(start, length):
    window = Window(start, start + timedelta(days=length - 1))
    labels = [f"{day.day} {day:%b}" for day in window.dates()]
    assert rebuild_dates(labels, window) == window.dates()


def test_other_spellings_of_a_day_and_unreadable_labels():
    window = Window(date(2028, 2, 20), date(2028, 3, 5))
    assert (
        rebuild_dates(["29 Feb", "Feb 29", "29-Feb", "2028-02-29"], window)
        == [date(2028, 2, 29)] * 4
    )
    assert rebuild_dates(["31 Feb", "Blursday", None, "20 Apr", "2027-02-29"], window) == [None] * 5


# --------------------------------------------------------------------------- campaign rows


def test_a_row_reads_numbers_text_and_missing_fields_apart():
    cid, values = read_campaign_row(
        campaign_window_row("7", full_data=False, sent="1,200", replied="12", opened=None)
    )
    assert cid == 7
    assert values == {
        "window_sent": 1200,
        "window_opened": None,
        "window_replied": 12,
        "window_bounced": 1,
    }, "missing fields are left out, never 0; an unreadable one is unknown"


def test_positive_replies_come_from_the_rate_when_only_the_rate_comes():
    _, values = read_campaign_row(
        campaign_window_row(7, replied=8, positive_replied=..., positive_reply_rate="12.50%")
    )
    assert values["window_positive_replied"] == 1


PIECE_A = Window(date(2026, 10, 4), date(2026, 11, 2))
PIECE_B = Window(date(2026, 11, 3), TODAY)
WHOLE = Window(PIECE_A.start, PIECE_B.end)


def test_pieces_are_summed_and_absent_campaigns_sent_nothing():
    metrics = campaign_metrics(
        WHOLE,
        [
            CampaignChunk(PIECE_A, (campaign_window_row(1, sent=100), campaign_window_row(2))),
            CampaignChunk(PIECE_B, (campaign_window_row(1, sent=50),)),
        ],
    )
    assert metrics.counters[1]["window_sent"] == 150
    assert metrics.counters[2]["window_sent"] == 100, "absent from piece B: sent nothing then"
    assert metrics.counters[2]["window_positive_replied"] == 2
    assert metrics.complete


def test_a_field_missing_from_an_answer_stays_unknown_and_so_does_a_failed_piece():
    metrics = campaign_metrics(
        WHOLE,
        [
            CampaignChunk(PIECE_A, (campaign_window_row(1, full_data=False),)),
            CampaignChunk(PIECE_B, (campaign_window_row(2),), complete=False),
        ],
    )
    assert metrics.counters[1]["window_sent"] is None, "piece B failed: not listed is unknown"
    assert metrics.counters[2]["window_sent"] == 100, "piece A answered: not listed sent nothing"
    assert metrics.counters[2]["window_positive_replied"] == 2
    assert not metrics.complete
    only_a = campaign_metrics(PIECE_A, [CampaignChunk(PIECE_A, (campaign_window_row(1, False),))])
    assert "window_positive_replied" not in only_a.known
    assert only_a.counters[1]["window_positive_replied"] is None, "no extras: unknown, not 0"
    assert with_window(FRAME, only_a).set_index("id").loc[2, "window_positive_replied"] is pd.NA


FRAME = campaigns_frame(
    [
        campaign(1, client_id=11),
        campaign(2, client_id=11),
        campaign(3, client_id=12),
        campaign(4, client_id=None, track_settings=["DONT_EMAIL_OPEN"]),
    ]
)


def test_with_window_joins_every_campaign_and_never_divides_by_zero():
    metrics = campaign_metrics(
        WHOLE,
        [CampaignChunk(WHOLE, (campaign_window_row(1, sent=200, replied=6, bounced=4),))],
    )
    joined = with_window(FRAME, metrics)
    assert list(joined["id"]) == [1, 2, 3, 4]
    assert {column.name for column in WINDOW_COLUMNS} <= set(joined.columns)
    row = joined.set_index("id")
    assert row.loc[1, "window_reply_rate"] == pytest.approx(0.03)
    assert row.loc[1, "window_bounce_rate"] == pytest.approx(0.02)
    assert row.loc[2, "window_sent"] == 0, "not listed in a complete answer: no sending"
    assert pd.isna(row.loc[2, "window_reply_rate"]), "0 sent: no rate, not 0"
    assert row.loc[2, "window_positive_replied"] == 0, "the answers report positive replies"
    assert pd.isna(row.loc[4, "window_open_rate"]), "opens not tracked"


def test_campaigns_outside_the_scope_asked_for_are_unknown():
    metrics = campaign_metrics(
        WHOLE, [CampaignChunk(WHOLE, (campaign_window_row(1),))], client_ids=[11]
    )
    row = with_window(FRAME, metrics).set_index("id")
    assert row.loc[2, "window_sent"] == 0
    assert pd.isna(row.loc[3, "window_sent"]), "client 12 was not asked for"
    assert pd.isna(row.loc[4, "window_sent"]), "no client: not asked for either"


def test_without_figures_every_window_column_is_unknown():
    joined = with_window(FRAME, None)
    assert joined["window_sent"].isna().all()
    assert joined["window_reply_rate"].isna().all()


def test_window_rates_are_weighted_per_group_by_emails_sent():
    metrics = campaign_metrics(
        WHOLE,
        [
            CampaignChunk(
                WHOLE,
                (
                    campaign_window_row(1, sent=1000, replied=10),
                    campaign_window_row(2, sent=10, replied=5),
                ),
            )
        ],
    )
    joined = with_window(FRAME, metrics)
    per_client = rates_by(joined, "client_id", rates=WINDOW_RATES).set_index("client_id")
    assert per_client.loc["11", "window_reply_rate"] == pytest.approx(15 / 1010)
    assert per_client.loc["11", "window_sent"] == 1010


def test_the_headline_figures_and_their_change():
    now = with_window(
        FRAME,
        campaign_metrics(
            WHOLE, [CampaignChunk(WHOLE, (campaign_window_row(1, sent=200, replied=6),))]
        ),
    )
    before = with_window(
        FRAME,
        campaign_metrics(
            WHOLE.previous(),
            [CampaignChunk(WHOLE.previous(), (campaign_window_row(1, sent=100, replied=4),))],
        ),
    )
    figures = {kpi.key: kpi for kpi in window_kpis(now, before)}
    assert figures["window_sent"].value == 200
    assert figures["window_sent"].change_text() == "+100.0%"
    assert figures["window_reply_rate"].change_text() == "-1.00 pp"
    assert not figures["window_bounce_rate"].higher_is_better
    assert figures["window_bounce_rate"].value_text() == "0.5%"
    alone = {kpi.key: kpi for kpi in window_kpis(now)}
    assert alone["window_sent"].change_text() is None


# --------------------------------------------------------------------------- the trend


def test_the_trend_has_every_day_with_unknown_for_a_failed_piece():
    window = Window(date(2026, 12, 28), date(2027, 1, 3))
    first = Window(window.start, date(2026, 12, 31))
    second = Window(date(2027, 1, 1), window.end)
    daily = daily_figures(
        window,
        [
            DayChunk(first, (day_window_row("28 Dec", sent=5), day_window_row("31 Dec", sent=7))),
            DayChunk(second, (), complete=False),
        ],
    )
    frame = daily.frame
    assert list(frame["date"].dt.date) == window.dates()
    assert frame["sent"].tolist()[:4] == [5, 0, 0, 7], "a day not listed sent nothing"
    assert frame["sent"].iloc[4:].isna().all(), "the failed piece is unknown"


def test_unreadable_day_labels_are_counted_and_missing_counters_stay_unknown():
    window = Window(date(2026, 11, 30), TODAY)
    daily = daily_figures(
        window,
        [
            DayChunk(
                window,
                (
                    day_window_row("30 Nov", unsubscribed=...),
                    day_window_row("Blursday"),
                    day_window_row("1 Dec", sent="12"),
                ),
            )
        ],
    )
    frame = daily.frame.set_index(daily.frame["date"].dt.date)
    assert daily.unreadable == 1
    assert pd.isna(frame.loc[date(2026, 11, 30), "unsubscribed"])
    assert frame.loc[date(2026, 12, 1), "sent"] == 12
    assert frame.loc[TODAY, "sent"] == 0


# --------------------------------------------------------------------------- hostile answers


@given(
    st.lists(strategies.json_values(max_leaves=8), max_size=8),
    st.lists(strategies.json_values(max_leaves=8), max_size=8),
)
def test_any_json_in_the_answers_is_read_without_a_crash(campaign_rows, day_rows):
    window = Window(date(2026, 11, 25), TODAY)
    metrics = campaign_metrics(window, [CampaignChunk(window, tuple(campaign_rows))])
    joined = with_window(FRAME, metrics)
    assert len(joined) == len(FRAME)
    rates = joined["window_reply_rate"].dropna()
    assert ((rates >= 0) & (rates < float("inf"))).all()
    readable = sum(1 for row in campaign_rows if read_campaign_row(row)[0] is not None)
    assert metrics.unreadable == len(campaign_rows) - readable, "every row counted or named"
    daily = daily_figures(window, [DayChunk(window, tuple(day_rows))])
    assert len(daily.frame) == window.days
    assert daily.unreadable <= len(day_rows)
