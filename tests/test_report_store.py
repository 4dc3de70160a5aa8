"""The report-run memory of both history stores (SQLite and PostgreSQL): what the previous
report covered, so the next one says exactly what is new since."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from smartlead import history
from tests.history_backends import Backend

T0 = datetime(2026, 11, 2, 7, 0, tzinfo=UTC)


def test_the_newest_report_of_each_scope_is_remembered(history_backend: Backend) -> None:
    store = history_backend.open()
    assert store.last_report("acct", None) is None
    info = store.save([{"id": 1, "name": "A"}], account="acct", taken_at=T0)
    store.remember_report("acct", None, snapshot_id=info.id, findings={"r:1", "r:2"}, made_at=T0)
    later = T0 + timedelta(days=7)
    store.remember_report("acct", None, snapshot_id=None, findings=["x:3"], made_at=later)
    store.remember_report("acct", 41, snapshot_id=info.id, findings=[], made_at=later)
    store.remember_report("other", None, snapshot_id=info.id, findings=["o:9"], made_at=later)

    run = history_backend.open().last_report("acct", None)  # another process reads it back
    assert run == history.ReportRun(later, "acct", None, None, frozenset({"x:3"}))
    client = store.last_report("acct", 41)
    assert client is not None
    assert client.client_filter == 41
    assert client.findings == frozenset()
    assert store.last_report("acct", 42) is None
    assert store.last_report("other", None).findings == frozenset({"o:9"})
    assert "report_runs" in history_backend.tables()


def test_report_runs_older_than_the_retention_are_pruned(history_backend: Backend) -> None:
    store = history_backend.open()
    store.remember_report("acct", None, snapshot_id=None, findings=["a:1"], made_at=T0)
    recent = T0 + timedelta(days=200)
    store.remember_report("acct", None, snapshot_id=None, findings=["b:2"], made_at=recent)
    store.prune(keep_days=180, now=recent)
    rows = history_backend.execute("SELECT findings FROM report_runs")
    assert rows == [('["b:2"]',)]
