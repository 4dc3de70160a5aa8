"""Per-campaign figures kept between reviews: the freshness rule (smartlead.freshness) and the
cache that keeps them in the history store (smartlead.analytics_cache), counted against the
stand-in's request log across restarts, on SQLite and on PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from smartlead.analytics_cache import AnalyticsCache
from smartlead.connection import Connection
from smartlead.errors import HistoryUnavailableError
from smartlead.freshness import STATUS_KEY, needs_fetch, plan_refresh
from smartlead.history.model import StoredFigures
from tests.builders import campaign
from tests.conftest import UNLIMITED
from tests.standin import TEST_KEY, Reply, StandinSmartlead

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
SIX_HOURS = timedelta(hours=6)

STATUSES = {
    201: "ACTIVE",
    202: "ACTIVE",
    203: "PAUSED",
    204: "COMPLETED",
    205: "STOPPED",
    206: "DRAFTED",
}
UNFINISHED = (201, 202, 203, 206)


def kept(status: str | None, age: timedelta) -> StoredFigures:
    return StoredFigures(NOW - age, {"leads_not_started": 10, STATUS_KEY: status})


# --------------------------------------------------------------------------- the rule


@pytest.mark.parametrize(
    ("status", "then", "age", "fetch"),
    [
        ("ACTIVE", "ACTIVE", timedelta(hours=1), False),
        ("ACTIVE", "ACTIVE", SIX_HOURS, True),
        ("PAUSED", "PAUSED", timedelta(hours=7), True),
        ("DRAFTED", "DRAFTED", timedelta(hours=5), False),
        ("COMPLETED", "COMPLETED", timedelta(days=400), False),
        ("ARCHIVED", "ARCHIVED", timedelta(days=4), False),
        ("COMPLETED", "ACTIVE", timedelta(minutes=1), True),  # finished since: fetch once more
        ("ACTIVE", "COMPLETED", timedelta(minutes=1), True),  # reactivated with new leads
        ("ACTIVE", None, timedelta(minutes=1), True),  # kept without a status
        ("SOMETHING_NEW", "SOMETHING_NEW", timedelta(hours=7), True),
    ],
)
def test_finished_campaigns_are_final_and_others_age(status, then, age, fetch):
    assert needs_fetch(status, kept(then, age), now=NOW, max_age=SIX_HOURS) is fetch


def test_nothing_kept_is_fetched_and_a_refresh_makes_older_figures_stale():
    assert needs_fetch("ACTIVE", None, now=NOW, max_age=SIX_HOURS)
    figures = kept("ACTIVE", timedelta(hours=1))
    asked = NOW - timedelta(minutes=5)
    assert needs_fetch("ACTIVE", figures, now=NOW, max_age=SIX_HOURS, refreshed_after=asked)
    done = kept("COMPLETED", timedelta(hours=1))
    assert not needs_fetch("COMPLETED", done, now=NOW, max_age=SIX_HOURS, refreshed_after=asked)


def test_a_plan_sorts_fresh_stale_and_missing_in_the_order_asked():
    statuses = {1: "ACTIVE", 2: "COMPLETED", 3: "ACTIVE", 4: "PAUSED"}
    plan = plan_refresh(
        statuses,
        {1: kept("ACTIVE", timedelta(hours=8)), 2: kept("COMPLETED", timedelta(days=9))},
        now=NOW,
        max_age=SIX_HOURS,
        ids=[4, 3, 2, 1],
    )
    assert plan.fresh == (2,)
    assert plan.final == 1
    assert plan.stale == (1,)
    assert plan.missing == (4, 3)
    assert plan.to_fetch == (1, 4, 3)


# --------------------------------------------------------------------------- against the stand-in


@pytest.fixture
def server():
    records = [campaign(cid, status=status) for cid, status in STATUSES.items()]
    with StandinSmartlead(portfolios={TEST_KEY: records}) as standin:
        yield standin


def connection_to(server: StandinSmartlead) -> Connection:
    return Connection.to(TEST_KEY, server.base_url, rate_rules=UNLIMITED)


def analytics_requests(server: StandinSmartlead) -> list[int]:
    """The campaigns whose analytics were asked for, in order."""
    return [
        int(request.path.split("/")[2])
        for request in server.requests
        if request.path.endswith("/analytics")
    ]


def test_the_figures_survive_a_restart_and_only_what_is_stale_is_fetched_again(
    history_backend, server
):
    connection = connection_to(server)
    morning = AnalyticsCache(history_backend.open())
    first = morning.review(connection, STATUSES)
    assert sorted(analytics_requests(server)) == sorted(STATUSES)
    assert first.fetched == len(STATUSES)
    assert first.plan.missing == tuple(STATUSES)
    assert first.counters[201]["leads_not_started"] is not None
    assert STATUS_KEY not in first.counters[201]
    assert first.problem is None

    morning.review(connection, STATUSES)
    assert len(analytics_requests(server)) == len(STATUSES), "the same process asks nothing"

    restarted = AnalyticsCache(history_backend.open())  # a new process on the same store
    again = restarted.review(connection, STATUSES)
    assert len(analytics_requests(server)) == len(STATUSES), "a restart asks nothing"
    assert again.requests == 0
    assert again.counters == first.counters
    assert again.plan.fresh == tuple(STATUSES)

    evening = AnalyticsCache(history_backend.open())
    later = evening.review(connection, STATUSES, now=datetime.now(UTC) + timedelta(hours=7))
    assert sorted(analytics_requests(server)[len(STATUSES) :]) == sorted(UNFINISHED), (
        "the second review of the day costs only the campaigns that can change"
    )
    assert later.plan.final == 2
    assert later.requests == len(UNFINISHED)


def test_a_campaign_that_finished_since_is_fetched_once_more_then_never(history_backend, server):
    connection = connection_to(server)
    AnalyticsCache(history_backend.open()).review(connection, STATUSES)
    finished = {**STATUSES, 201: "COMPLETED"}
    cache = AnalyticsCache(history_backend.open())
    cache.review(connection, finished)
    assert analytics_requests(server)[len(STATUSES) :] == [201]
    AnalyticsCache(history_backend.open()).review(
        connection, finished, now=datetime.now(UTC) + timedelta(days=30)
    )
    assert 201 not in analytics_requests(server)[len(STATUSES) + 1 :]


def test_only_the_campaigns_asked_for_are_fetched_and_the_others_are_read(server, tmp_path):
    from smartlead.history import SQLiteSnapshotStore

    connection = connection_to(server)
    store = SQLiteSnapshotStore(tmp_path / "figures.sqlite3")
    AnalyticsCache(store).review(connection, {204: "COMPLETED"})
    cache = AnalyticsCache(store)
    found = cache.review(connection, {201: "ACTIVE", 204: "COMPLETED"}, fetch=False)
    assert set(found.figures) == {204}
    assert found.plan.missing == (201,)
    assert analytics_requests(server) == [204]


def test_a_failed_campaign_is_listed_not_asked_again_until_told(server):
    server.always("/campaigns/202/analytics", Reply.server_error())
    connection = connection_to(server)
    cache = AnalyticsCache(None)
    found = cache.review(connection, STATUSES)
    assert set(found.failures) == {202}
    assert "SmartLead" in found.failures[202]
    assert 202 not in found.figures
    asked = len(analytics_requests(server))
    cache.review(connection, STATUSES)
    assert len(analytics_requests(server)) == asked, "a failure is not asked again every rerun"
    cache.forget_failures(connection.fingerprint)
    server.always("/campaigns/202/analytics", None)
    found = cache.review(connection, STATUSES)
    assert 202 in found.figures
    assert not found.failures


def test_with_history_off_the_memory_keeps_them_for_the_analytics_ttl(server, monkeypatch):
    monkeypatch.setenv("SMARTLEAD_ANALYTICS_TTL", "60")
    connection = connection_to(server)
    cache = AnalyticsCache(None)
    assert cache.max_age() == timedelta(seconds=60)
    cache.review(connection, STATUSES)
    cache.review(connection, STATUSES, now=datetime.now(UTC) + timedelta(seconds=61))
    assert len(analytics_requests(server)) == len(STATUSES) + len(UNFINISHED)


def test_the_leads_max_age_setting(monkeypatch, tmp_path):
    from smartlead.history import SQLiteSnapshotStore

    cache = AnalyticsCache(SQLiteSnapshotStore(tmp_path / "h.sqlite3"))
    assert cache.max_age() == SIX_HOURS
    monkeypatch.setenv("SMARTLEAD_LEADS_MAX_AGE", "1.5")
    assert cache.max_age() == timedelta(hours=1.5)
    for bad in ("0", "-2", "soon", "inf"):
        monkeypatch.setenv("SMARTLEAD_LEADS_MAX_AGE", bad)
        assert cache.max_age() == SIX_HOURS, bad


def test_a_refresh_refetches_the_unfinished_ones(server):
    connection = connection_to(server)
    cache = AnalyticsCache(None)
    cache.review(connection, STATUSES)
    cache.refresh_from(connection.fingerprint)
    cache.review(connection, STATUSES)
    assert sorted(analytics_requests(server)[len(STATUSES) :]) == sorted(UNFINISHED)


class UnavailableStore:
    """A history store whose database does not answer."""

    def load_figures(self, *args, **kwargs):
        raise HistoryUnavailableError("The history database does not answer.")

    def save_figures(self, *args, **kwargs):
        raise HistoryUnavailableError("The history database does not answer.")


def test_a_store_that_does_not_answer_costs_the_keeping_not_the_review(server):
    connection = connection_to(server)
    cache = AnalyticsCache(UnavailableStore())  # type: ignore[arg-type]
    found = cache.review(connection, STATUSES)
    assert set(found.figures) == set(STATUSES)
    assert "does not answer" in found.problem
    cache.review(connection, STATUSES)
    assert len(analytics_requests(server)) == len(STATUSES), "memory still keeps them"


def test_the_store_holds_no_key(history_backend, server):
    connection = connection_to(server)
    AnalyticsCache(history_backend.open()).review(connection, STATUSES)
    rows = history_backend.execute("SELECT account, kind, figures FROM campaign_figures")
    assert len(rows) == len(STATUSES)
    assert {row[0] for row in rows} == {connection.fingerprint}
    assert not any(TEST_KEY in str(row) for row in rows)
