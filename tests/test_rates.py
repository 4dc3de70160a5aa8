"""Rates: what is divided by what, per campaign and weighted per group (pure; no I/O)."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest

from smartlead.bulk import Batch
from smartlead.frame import SCHEMA, campaigns_frame
from smartlead.rates import (
    METRIC_COLUMNS,
    NO_TAG,
    RATES,
    portfolio_rates,
    rate_outliers,
    rates_by,
    with_metrics,
)
from smartlead.records import ANALYTICS_COUNTERS, LEAD_STAT_COUNTERS
from smartlead.vocab import NO_CLIENT
from tests import builders

ALL_NAMES = (*ANALYTICS_COUNTERS, *LEAD_STAT_COUNTERS.values())


def _record(cid: int, client_id: int | None, tags: list[str] | None, **extra: Any) -> dict:
    """``builders.campaign`` of a client with tags given by name (null when ``None``)."""
    tag_records = (
        None if tags is None else [builders.tag(i, name, "#000000") for i, name in enumerate(tags)]
    )
    return builders.campaign(cid, client_id=client_id, tags=tag_records, **extra)


HAND_RECORDS = [
    _record(1, 11, ["Outbound", "Founders"]),
    _record(2, 11, ["Outbound"], track_settings=["DONT_EMAIL_OPEN"]),
    _record(3, 12, []),
    _record(4, 12, None),
    _record(5, None, ["Founders", "Founders"]),
    _record(6, 12, None),
]
HAND_CLIENTS = [{"id": 11, "name": "Acme"}, {"id": 12, "name": "Northwind"}]


def _counts(sent: Any, reply: Any, bounce: Any, opens: Any, unsub: Any, clicks: Any = 0) -> dict:
    return {
        "unique_sent_count": sent,
        "sent_count": sent,
        "reply_count": reply,
        "bounce_count": bounce,
        "unique_open_count": opens,
        "unsubscribed_count": unsub,
        "unique_click_count": clicks,
    }


HAND_METRICS = {
    1: _counts(100, 10, 2, 50, 1, 5),
    2: _counts(300, 3, 30, 0, 3, 9),  # opens not tracked
    3: _counts(0, 0, 0, 0, 0),  # nothing sent yet
    4: _counts("200", "abc", "4", "80", "2"),  # replies unreadable
    5: _counts(50, 5, 10, 25, 0),
}
HAND_FAILURES = {6: "SmartLead had a server problem (500)."}


@pytest.fixture
def hand() -> pd.DataFrame:
    frame = campaigns_frame(HAND_RECORDS, HAND_CLIENTS)
    return with_metrics(frame, HAND_METRICS, HAND_FAILURES)


def values(series: pd.Series) -> list[Any]:
    """A column as plain values, NA as None, floats rounded for comparison."""
    return [None if pd.isna(v) else (round(v, 9) if isinstance(v, float) else v) for v in series]


def test_rates_per_campaign(hand: pd.DataFrame) -> None:
    assert values(hand["reply_rate"]) == [0.1, 0.01, None, None, 0.1, None]
    assert values(hand["bounce_rate"]) == [0.02, 0.1, None, 0.02, 0.2, None]
    assert values(hand["open_rate"]) == [0.5, None, None, 0.4, 0.5, None]  # 2: not tracked
    assert values(hand["unsubscribe_rate"]) == [0.01, 0.01, None, 0.01, 0.0, None]
    assert values(hand["click_rate"]) == [0.05, 0.03, None, 0.0, 0.0, None]


def test_rates_are_defined_once_and_named_in_the_schema() -> None:
    columns = {column.name: column for column in METRIC_COLUMNS}
    assert len(columns) == len(METRIC_COLUMNS)
    assert {rate.name for rate in RATES} == {
        "reply_rate",
        "bounce_rate",
        "open_rate",
        "unsubscribe_rate",
        "click_rate",
    }
    for rate in RATES:
        assert columns[rate.name].dtype == "Float64"
        assert rate.numerator in columns
        assert rate.denominator == "unique_sent_count"
        assert f"{rate.numerator} / {rate.denominator}" in columns[rate.name].description
    for name in ALL_NAMES:
        assert columns[name].dtype == "Int64"
    assert not set(columns) & {column.name for column in SCHEMA}


def test_with_metrics_keeps_every_row_and_the_schema(hand: pd.DataFrame) -> None:
    frame = campaigns_frame(HAND_RECORDS, HAND_CLIENTS)
    before = frame.copy()
    joined = with_metrics(frame, {1: HAND_METRICS[1]})
    pd.testing.assert_frame_equal(frame, before)  # the input is left alone
    assert len(joined) == len(frame)
    assert joined["id"].tolist() == frame["id"].tolist()
    assert list(joined.columns) == list(frame.columns) + [c.name for c in METRIC_COLUMNS]
    for column in METRIC_COLUMNS:
        assert str(joined[column.name].dtype) == column.dtype, column.name
    assert values(joined["unique_sent_count"]) == [100, None, None, None, None, None]
    assert joined["analytics_error"].isna().all()
    assert values(hand["analytics_error"]) == [None] * 5 + [HAND_FAILURES[6]]
    assert values(hand["reply_count"]) == [10, 3, 0, None, 5, None]


def test_with_metrics_replaces_metrics_and_keeps_the_index(hand: pd.DataFrame) -> None:
    again = with_metrics(hand.set_axis(list("abcdef")), {2: _counts(10, 1, 0, 0, 0)})
    assert list(again.index) == list("abcdef")
    assert values(again["reply_rate"]) == [None, 0.1, None, None, None, None]
    assert again.columns.tolist().count("reply_rate") == 1


def test_with_metrics_accepts_a_batch_and_odd_frames() -> None:
    batch = Batch(results={1: HAND_METRICS[1]}, failures={2: "no"})
    joined = with_metrics(campaigns_frame(HAND_RECORDS[:2]), batch)
    assert values(joined["analytics_error"]) == [None, "no"]
    empty = with_metrics(campaigns_frame([]), {})
    assert len(empty) == 0
    assert "reply_rate" in empty.columns
    odd = with_metrics(campaigns_frame([{"id": 1}, "not a campaign", {"id": 1}]), HAND_METRICS)
    assert values(odd["unique_sent_count"]) == [100, None, 100]
    with pytest.raises(ValueError, match="id column"):
        with_metrics(pd.DataFrame({"x": [1]}), {})


def _row(table: pd.DataFrame, column: str, label: str) -> dict[str, Any]:
    match = table[table[column] == label]
    assert len(match) == 1, label
    return {k: (None if pd.isna(v) else v) for k, v in match.iloc[0].items()}


def test_rates_by_client_are_weighted(hand: pd.DataFrame) -> None:
    table = rates_by(hand, "client_name")
    assert table["client_name"].tolist() == ["Acme", "Northwind", NO_CLIENT]  # most sent first
    acme = _row(table, "client_name", "Acme")
    assert acme["campaigns"] == 2
    assert acme["campaigns_measured"] == 2
    assert acme["unique_sent_count"] == 400
    assert acme["reply_rate"] == pytest.approx(13 / 400)  # not the mean of 0.1 and 0.01
    assert acme["bounce_rate"] == pytest.approx(32 / 400)
    assert acme["open_rate"] == pytest.approx(50 / 100)  # campaign 2 does not track opens
    assert acme["unsubscribe_rate"] == pytest.approx(4 / 400)
    north = _row(table, "client_name", "Northwind")
    assert north["campaigns"] == 3
    assert north["campaigns_measured"] == 2
    assert north["reply_rate"] is None  # 0 sent, and the other's replies are unknown
    assert north["bounce_rate"] == pytest.approx(4 / 200)
    assert north["open_rate"] == pytest.approx(80 / 200)
    solo = _row(table, "client_name", NO_CLIENT)
    assert solo["reply_rate"] == pytest.approx(0.1)
    assert solo["bounce_rate"] == pytest.approx(0.2)


def test_rates_by_tag_count_a_campaign_in_each_of_its_tags(hand: pd.DataFrame) -> None:
    table = rates_by(hand, "tags")
    assert table["tag"].tolist() == ["Outbound", NO_TAG, "Founders"]
    outbound = _row(table, "tag", "Outbound")
    assert outbound["campaigns"] == 2
    assert outbound["reply_rate"] == pytest.approx(13 / 400)
    founders = _row(table, "tag", "Founders")
    assert founders["campaigns"] == 2  # campaign 5 lists Founders twice: counted once
    assert founders["reply_rate"] == pytest.approx(15 / 150)
    assert founders["bounce_rate"] == pytest.approx(12 / 150)
    assert founders["open_rate"] == pytest.approx(75 / 150)
    untagged = _row(table, "tag", NO_TAG)
    assert untagged["campaigns"] == 3  # empty list and null tags alike
    assert untagged["bounce_rate"] == pytest.approx(4 / 200)


def test_rates_by_needs_metrics_and_a_known_column(hand: pd.DataFrame) -> None:
    with pytest.raises(ValueError, match="with_metrics"):
        rates_by(campaigns_frame(HAND_RECORDS))
    with pytest.raises(ValueError, match="no 'nope' column"):
        rates_by(hand, "nope")
    unmeasured = rates_by(with_metrics(campaigns_frame(HAND_RECORDS), {}))
    assert unmeasured["campaigns_measured"].tolist() == [0, 0, 0]
    assert unmeasured["unique_sent_count"].isna().all()  # nothing known is not 0
    by_status = rates_by(hand, "status")
    assert by_status["status"].tolist() == ["ACTIVE"]
    assert by_status["reply_rate"].iloc[0] == pytest.approx(18 / 450)


def test_portfolio_rates(hand: pd.DataFrame) -> None:
    rates = portfolio_rates(hand)
    assert rates["reply_rate"] == pytest.approx(18 / 450)
    assert rates["bounce_rate"] == pytest.approx(46 / 650)
    assert rates["open_rate"] == pytest.approx(155 / 350)
    assert rates["unsubscribe_rate"] == pytest.approx(6 / 650)
    nothing = with_metrics(campaigns_frame(HAND_RECORDS[:1]), {1: _counts(0, 0, 0, 0, 0)})
    assert portfolio_rates(nothing)["reply_rate"] is None


def test_rate_outliers(hand: pd.DataFrame) -> None:
    flagged = rate_outliers(hand, bounce_factor=1.25)
    assert flagged["id"].tolist() == [2]  # 5 bounces 20 % but contacted only 50 leads
    row = flagged.iloc[0]
    assert bool(row["high_bounce"])
    assert bool(row["low_reply"])
    assert row["client_name"] == "Acme"
    assert "bounce rate 10.0% against 7.1% for the portfolio" in row["reason"]
    assert "reply rate 1.0% against 4.0% for the portfolio" in row["reason"]

    wider = rate_outliers(hand, bounce_factor=1.25, min_sent=50)
    assert wider["id"].tolist() == [5, 2]  # the worst bounce first
    assert wider["low_reply"].tolist() == [False, True]

    default = rate_outliers(hand)  # 2 × the portfolio's bounce rate is 14 %: only low reply
    assert default["id"].tolist() == [2]
    assert default["high_bounce"].tolist() == [False]
    assert "bounce" not in default["reason"].iloc[0]
    assert rate_outliers(hand, reply_factor=0.1).empty
    baseline = {"bounce_rate": 0.01, "reply_rate": 0.2}
    against = rate_outliers(hand, baseline=baseline)
    assert set(against["id"]) == {1, 2}  # 1: reply 10 % <= half of 20 %
    assert bool(against.set_index("id").loc[1, "low_reply"])
