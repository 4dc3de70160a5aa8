"""The demo portfolio: deterministic, realistic in shape, and as awkward as a live account."""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import date, datetime, timedelta
from itertools import pairwise

import pandas as pd
import pytest

from smartlead import demo, vocab
from smartlead.demo import (
    AWKWARD_NAMES,
    DEMO_CLIENTS,
    DEMO_TAGS,
    demo_campaigns,
    demo_clients,
)
from smartlead.frame import COLUMNS, KNOWN_FIELDS, campaigns_frame

DOCUMENTED_FIELDS = KNOWN_FIELDS - {"tags"}


@pytest.fixture(scope="module")
def portfolio() -> list[dict]:
    return demo_campaigns(300)


def test_same_size_and_seed_give_the_same_portfolio() -> None:
    assert demo_campaigns(300) == demo_campaigns(300)
    assert demo_campaigns(50, seed=11) == demo_campaigns(50, seed=11)
    assert demo_campaigns(300) == demo_campaigns(300, seed=7)  # 7 is the default seed


def test_a_different_seed_gives_a_different_portfolio() -> None:
    first, second = demo_campaigns(100, seed=1), demo_campaigns(100, seed=2)
    assert first != second
    assert [r["name"] for r in first] != [r["name"] for r in second]


def test_the_caller_gets_fresh_records() -> None:
    first = demo_campaigns(30)
    first[0]["name"] = "changed"
    assert demo_campaigns(30)[0]["name"] != "changed"


@pytest.mark.parametrize("n", [0, 1, 5, 19, 20, 300])
def test_size_is_what_was_asked(n: int) -> None:
    assert len(demo_campaigns(n)) == n


def test_ids_strictly_descending_and_unique(portfolio: list[dict]) -> None:
    ids = [r["id"] for r in portfolio]
    assert all(a > b for a, b in pairwise(ids))
    assert all(isinstance(i, int) for i in ids)


def test_records_are_in_the_apis_shape(portfolio: list[dict]) -> None:
    for record in portfolio:
        assert isinstance(record, dict)
        assert {"id", "name", "status", "created_at", "updated_at", "tags"} <= set(record)
        assert set(record) <= KNOWN_FIELDS | {"sequence_count"}
    complete = [r for r in portfolio if set(r) >= DOCUMENTED_FIELDS]
    assert len(complete) > 250
    created = [r["created_at"] for r in portfolio]
    # Both forms a live account holds: 2025-11-25T10:43:46.826Z and …03:47:31.448094+00:00.
    assert {len(t) for t in created} == {24, 32}
    assert all(t.endswith(("Z", "+00:00")) and "T" in t for t in created)
    moments = [(datetime.fromisoformat(r["created_at"]), r) for r in portfolio]
    assert all(datetime.fromisoformat(r["updated_at"]) >= moment for moment, r in moments)


def test_records_are_json_serialisable(portfolio: list[dict]) -> None:
    assert json.loads(json.dumps(portfolio)) == portfolio
    assert json.loads(json.dumps(demo_clients())) == demo_clients()


def test_every_status_is_present_at_300(portfolio: list[dict]) -> None:
    raw = Counter(r["status"] for r in portfolio)
    for status in vocab.STATUSES:
        assert raw[status] > 0, status
    # and the spellings a live account shows: the DRAFT alias and a status we do not know
    assert raw["DRAFT"] > 0
    assert raw["WARMING_UP"] > 0
    canonical = {vocab.canonical_status(s) for s in raw}
    assert set(vocab.STATUSES) <= canonical


def test_daily_limits_between_10_and_1000(portfolio: list[dict]) -> None:
    limits = [r["max_leads_per_day"] for r in portfolio]
    assert all(isinstance(limit, int) and 10 <= limit <= 1000 for limit in limits)
    assert min(limits) < 50
    assert max(limits) > 500


@pytest.mark.parametrize("n", [20, 300])
def test_awkward_records_are_present(n: int) -> None:
    records = demo_campaigns(n, awkward_names=True)
    names = {r["name"] for r in records}
    assert set(AWKWARD_NAMES) <= names
    assert any(r["tags"] is None for r in records)
    assert any(r["tags"] == [] for r in records)
    assert any(r["scheduler_cron_value"] is None for r in records)
    assert any("unsubscribe_text" not in r for r in records)
    assert any(r["status"] == "WARMING_UP" for r in records)
    assert any(r["status"] == "DRAFT" for r in records)
    assert any(isinstance(r["track_settings"], str) for r in records)
    assert any(
        r["track_settings"] == ["DONT_TRACK_EMAIL_OPEN", "DONT_TRACK_LINK_CLICK"] for r in records
    )
    ids = {r["id"] for r in records}
    assert any(r["parent_campaign_id"] == 99 and 99 not in ids for r in records)
    assert any("sequence_count" in r for r in records)


@pytest.mark.parametrize("n", [20, 300, 2_000])
def test_the_default_demo_reads_like_a_real_agency(n: int) -> None:
    """A first-time visitor sees campaign names, not attacks: no markup, formula, empty or
    run-on name; the hostile ones are only in the portfolio the tests ask for."""
    names = [r["name"] for r in demo_campaigns(n)]
    assert not set(AWKWARD_NAMES) & set(names)
    assert all(name and len(name) < 120 for name in names)
    assert not [name for name in names if re.search(r"[<>]|^[=+@-]|onerror", name)]


def test_asking_for_awkward_names_changes_only_names() -> None:
    plain, awkward = demo_campaigns(300), demo_campaigns(300, awkward_names=True)
    differ = [i for i, (a, b) in enumerate(zip(plain, awkward, strict=True)) if a != b]
    assert differ
    for i in differ:
        assert {**awkward[i], "name": plain[i]["name"]} == plain[i]


def test_subsequences_follow_an_older_campaign_of_the_portfolio(portfolio: list[dict]) -> None:
    by_id = {r["id"]: r for r in portfolio}
    children = [r for r in portfolio if r["parent_campaign_id"] in by_id]
    assert len(children) > 10
    for child in children:
        assert child["parent_campaign_id"] < child["id"]


def test_clients_and_tags_come_from_the_fixed_lists(portfolio: list[dict]) -> None:
    client_ids = {client_id for client_id, _ in DEMO_CLIENTS}
    assert {r["client_id"] for r in portfolio} - {None} <= client_ids
    assert len({r["client_id"] for r in portfolio} - {None}) == len(DEMO_CLIENTS)
    assert any(r["client_id"] is None for r in portfolio)  # campaigns outside any client
    colours = {name: colour for _, name, colour in DEMO_TAGS}
    for record in portfolio:
        for tag in record["tags"] or []:
            assert colours[tag["tag_name"]] == tag["tag_color"]
    assert [c["id"] for c in demo_clients()] == [client_id for client_id, _ in DEMO_CLIENTS]


@pytest.mark.parametrize("n", [0, 1, 20, 300])
def test_the_frame_keeps_every_demo_row(n: int) -> None:
    records = demo_campaigns(n)
    frame = campaigns_frame(records, demo_clients())
    assert len(frame) == n
    assert list(frame.columns) == list(COLUMNS)
    assert frame["id"].tolist() == [r["id"] for r in records]
    if n:
        assert frame["client_name"].isin([name for _, name in DEMO_CLIENTS] + ["(no client)"]).all()


def test_the_frame_of_the_demo_shows_its_oddities(portfolio: list[dict]) -> None:
    frame = campaigns_frame(portfolio, demo_clients())
    assert frame["tags"].isna().any()
    assert "DRAFT" not in set(frame["status"])
    assert "WARMING_UP" in set(frame["status"])
    assert frame["extra"].notna().any()  # the undocumented sequence_count is kept
    assert pd.Series(frame["max_leads_per_day"]).between(10, 1000).all()


def test_like_the_live_api_drafts_may_have_a_null_unsubscribe_text(portfolio: list[dict]) -> None:
    drafts = [r for r in portfolio if r["status"] == vocab.DRAFTED]
    assert any(r.get("unsubscribe_text", "") is None for r in drafts)
    assert all(
        r.get("unsubscribe_text", "") is not None for r in portfolio if r["status"] != vocab.DRAFTED
    )


def test_riyadh_campaigns_work_sunday_to_thursday(portfolio: list[dict]) -> None:
    riyadh = [
        r["scheduler_cron_value"]
        for r in portfolio
        if (r["scheduler_cron_value"] or {}).get("tz") == "Asia/Riyadh"
    ]
    assert any(schedule["days"] == [0, 1, 2, 3, 4] for schedule in riyadh)


@pytest.mark.parametrize("n", [0, 20, 2_000])
def test_distinct_schedules_give_every_campaign_its_own_window(n: int) -> None:
    records = demo_campaigns(n, distinct_schedules=True)
    assert records == demo_campaigns(n, distinct_schedules=True)
    schedules = [json.dumps(r["scheduler_cron_value"]) for r in records]
    present = [s for s in schedules if s != "null"]
    assert len(set(present)) == len(present)
    plain = demo_campaigns(n)
    assert [r["id"] for r in records] == [r["id"] for r in plain]
    assert [r["name"] for r in records] == [r["name"] for r in plain]


# --------------------------------------------------------------------------- window history

HISTORY_TODAY = date(2026, 12, 2)


def _history(records, start, end, today=HISTORY_TODAY):
    return demo.demo_daily_history(records, start, end, today=today)


def test_the_window_history_is_the_same_whichever_window_asks():
    records = demo.demo_campaigns(200, seed=7)
    whole = _history(records, date(2026, 9, 4), HISTORY_TODAY)
    parts = pd.concat(
        [
            _history(records, date(2026, 9, 4), date(2026, 10, 20)),
            _history(records, date(2026, 10, 21), HISTORY_TODAY),
        ]
    )
    key = ["id", "date"]
    pd.testing.assert_frame_equal(
        whole.sort_values(key).reset_index(drop=True), parts.sort_values(key).reset_index(drop=True)
    )


def test_weekday_campaigns_do_not_send_at_weekends_and_drafts_never_send():
    records = demo.demo_campaigns(300, seed=7)
    history = _history(records, date(2026, 11, 1), HISTORY_TODAY)
    by_id = {r["id"]: r for r in records if isinstance(r, dict)}
    weekdays_only = {
        cid
        for cid, r in by_id.items()
        if isinstance(r.get("scheduler_cron_value"), dict)
        and sorted(r["scheduler_cron_value"]["days"]) == [1, 2, 3, 4, 5]
    }
    sent_on = history[history["id"].isin(weekdays_only)]["date"].dt.day_of_week
    assert len(sent_on) > 0
    assert set(sent_on) <= {0, 1, 2, 3, 4}, "Monday-to-Friday campaigns rest at weekends"
    drafts = {cid for cid, r in by_id.items() if r.get("status") in ("DRAFTED", "DRAFT")}
    assert not set(history["id"]) & drafts
    assert history["date"].max().date() <= HISTORY_TODAY
    assert _history(records, date(2026, 12, 3), date(2026, 12, 9)).empty, "nothing after today"


def test_one_campaign_starts_bouncing_before_today():
    records = demo.demo_campaigns(300, seed=7)
    bouncing = demo.demo_bouncing_campaign(records)
    start = HISTORY_TODAY - timedelta(days=demo.DEMO_BOUNCE_START_DAYS)
    history = _history(records, start - timedelta(days=40), HISTORY_TODAY)
    mine = history[history["id"] == bouncing]
    before = mine[mine["date"].dt.date < start]
    after = mine[mine["date"].dt.date >= start]
    assert before["bounced"].sum() / before["sent"].sum() < 0.03
    assert after["bounced"].sum() / after["sent"].sum() > 0.07
    others = history[history["id"] != bouncing]
    assert others["bounced"].sum() / others["sent"].sum() < 0.03


def test_the_window_answers_have_smartleads_shapes():
    records = demo.demo_campaigns(100, seed=7)
    rows = demo.demo_window_stats(records, date(2026, 11, 3), HISTORY_TODAY, today=HISTORY_TODAY)
    assert rows, "active campaigns sent in the last 30 days"
    assert all(row["sent"] > 0 for row in rows), "only campaigns that sent are listed"
    assert [row["id"] for row in rows] == sorted((row["id"] for row in rows), reverse=True)
    assert rows[0]["reply_rate"].endswith("%")
    assert set(rows[0]) >= {"id", "campaign_name", "sent", "opened", "replied", "bounced"}
    bare = demo.demo_window_stats(
        records, date(2026, 11, 3), HISTORY_TODAY, today=HISTORY_TODAY, full_data=False
    )
    assert set(bare[0]) == {"id", "campaign_name", "sent", "opened", "replied", "bounced"}
    days = demo.demo_day_stats(records, date(2026, 12, 30), date(2027, 1, 2), today=HISTORY_TODAY)
    assert [d["date"] for d in days] == ["30 Dec", "31 Dec", "1 Jan", "2 Jan"]
    assert days[0]["email_engagement_metrics"] == {
        "sent": 0,
        "opened": 0,
        "replied": 0,
        "bounced": 0,
        "unsubscribed": 0,
    }, "after today: nothing"
