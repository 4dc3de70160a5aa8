"""The Health score's trend from history: settings rules only, the same filters on every point.

A stored snapshot keeps campaign settings only, so the trend scores every point (the current
view included) with the rules that read settings, and the change compares like with like.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pandas as pd
import pytest

from smartlead import audit, history
from smartlead.filters import Filters
from smartlead.frame import campaigns_frame
from smartlead.history import SnapshotInfo, SQLiteSnapshotStore
from tests.history_builders import CLIENTS, T0, campaign, set_payload

QUIET = ["DONT_TRACK_EMAIL_OPEN", "DONT_TRACK_LINK_CLICK"]
"""Tracking off: a campaign with no settings finding."""


def clean(campaign_id: int, **changes: object) -> dict:
    """A campaign no settings rule flags (Acme's, unless told otherwise)."""
    return campaign(campaign_id, track_settings=QUIET, **changes)


def tracking(campaign_id: int, **changes: object) -> dict:
    """A campaign that tracks opens and clicks: two medium findings, weight 4 of the cap 6."""
    return campaign(campaign_id, track_settings=[], **changes)


def frame_of(records: list[dict]) -> pd.DataFrame:
    return campaigns_frame(records, CLIENTS)


ALL = Filters()


def score_of(store: SQLiteSnapshotStore, filters: Filters = ALL):
    return lambda info: history.snapshot_score(store.load(info.id), filters)


@pytest.fixture
def store(tmp_path: Path) -> SQLiteSnapshotStore:
    return SQLiteSnapshotStore(tmp_path / "history.sqlite3")


def test_the_settings_rules_are_those_a_snapshot_can_be_audited_by() -> None:
    ids = {rule.id for rule in audit.SETTINGS_RULES}
    assert {"open_tracking", "no_unsubscribe_text", "stale_draft", "limit_outlier"} <= ids
    figures = {"high_bounce_rate", "no_replies", "no_leads_left", "runway_short"}
    assert not ids & figures, "rules reading sent, bounce, reply or lead figures are left out"
    snapshot_frame = frame_of([clean(1)])
    assert all(not rule.missing_columns(snapshot_frame) for rule in audit.SETTINGS_RULES)


def test_settings_score_of_known_findings() -> None:
    assert audit.settings_score(frame_of([clean(1), clean(2)]), now=T0) == 100.0
    # one campaign of three carries 4 of the 6 points a campaign can weigh: 100 × (1 − 4/18)
    assert audit.settings_score(frame_of([clean(1), clean(2), tracking(3)]), now=T0) == 77.8


def test_window_figures_change_the_headline_score_but_not_the_settings_score() -> None:
    records = [clean(1), clean(2)]
    view = frame_of(records).assign(
        window_sent=pd.array([1_000, 1_000], dtype="Int64"),
        window_bounced=pd.array([200, 0], dtype="Int64"),
        window_bounce_rate=pd.array([0.2, 0.0], dtype="Float64"),
        window_replied=pd.array([0, 0], dtype="Int64"),
    )
    headline, _ = audit.health_score(view, audit.run_audit(view, now=T0))
    assert headline < 100.0, "the bounce and no-reply rules read the window"
    assert audit.settings_score(view, now=T0) == 100.0
    # ...which is what the same campaigns score as a snapshot (no window columns at all)
    assert audit.settings_score(frame_of(records), now=T0) == audit.settings_score(view, now=T0)


def info(snapshot_id: int, days_ago: float, client_filter: int | None = None) -> SnapshotInfo:
    return SnapshotInfo(
        id=snapshot_id,
        taken_at=T0 - timedelta(days=days_ago),
        account="a",
        client_filter=client_filter,
        source=history.SOURCE_AUTO,
        campaign_count=1,
    )


def test_the_baseline_is_the_newest_snapshot_a_week_old_else_the_oldest_kept() -> None:
    kept = [info(1, 20), info(2, 8), info(3, 6), info(4, 0.1), info(9, 3, client_filter=11)]
    chosen, baseline, week_old = history.trend_snapshots(kept, T0)
    assert [i.id for i in chosen] == [1, 2, 3, 4], "oldest first; a client's snapshot left out"
    assert (baseline.id, week_old) == (2, True)

    chosen, baseline, week_old = history.trend_snapshots([info(3, 6), info(4, 0.1)], T0)
    assert (baseline.id, week_old) == (3, False), "history younger than a week: the oldest"

    chosen, baseline, _ = history.trend_snapshots([info(4, 0.1)], T0)
    assert [i.id for i in chosen] == [4]
    assert baseline is None, "a lone snapshot is the present, not a past to compare with"


def test_the_points_are_capped_and_the_baseline_is_always_among_them() -> None:
    kept = [info(i, days_ago=30 - i) for i in range(1, 30)]  # one a day, for four weeks
    chosen, baseline, _ = history.trend_snapshots(kept, T0, latest=12)
    assert baseline.id == 23, "taken 7 days before"
    assert [i.id for i in chosen] == list(range(18, 30))
    chosen, baseline, _ = history.trend_snapshots(kept, T0, latest=3)
    assert [i.id for i in chosen] == [23, 27, 28, 29]


def test_score_trend_scores_every_snapshot_and_now_the_same_way(store) -> None:
    store.save([tracking(1), tracking(2)], account="a", clients=CLIENTS, taken_at=T0 - timedelta(8))
    store.save([tracking(1), clean(2)], account="a", clients=CLIENTS, taken_at=T0 - timedelta(2))
    store.save([tracking(1)], account="b", clients=CLIENTS, taken_at=T0 - timedelta(9))
    current = frame_of([clean(1), clean(2)]).assign(
        window_sent=pd.array([1_000, 1_000], dtype="Int64"),
        window_bounce_rate=pd.array([0.5, 0.5], dtype="Float64"),  # not counted: no past value
    )
    trend = history.score_trend(store.list("a"), current, score_of(store), now=T0)
    assert list(trend.points.columns) == list(history.TREND_COLUMNS)
    # 100 × (1 − 8/12), 100 × (1 − 4/12), then now: nothing but the window's bounces
    assert trend.points["score"].tolist() == [33.3, 66.7, 100.0]
    assert trend.points["point"].tolist() == ["snapshot #1", "snapshot #2", "now"]
    assert trend.points["taken_at"].iloc[-1] == pd.Timestamp(T0)
    assert (trend.baseline.id, trend.baseline_score, trend.week_old) == (1, 33.3, True)
    assert trend.delta == 66.7
    assert trend.snapshots == 2


def test_a_damaged_snapshot_costs_its_own_point_and_the_rest_is_drawn(store, tmp_path) -> None:
    store.save([tracking(1), tracking(2)], account="a", clients=CLIENTS, taken_at=T0 - timedelta(8))
    middle = store.save([tracking(1)], account="a", clients=CLIENTS, taken_at=T0 - timedelta(4))
    store.save([tracking(1), clean(2)], account="a", clients=CLIENTS, taken_at=T0 - timedelta(2))
    set_payload(tmp_path / "history.sqlite3", middle.id, b"not what was saved")
    trend = history.score_trend(store.list("a"), frame_of([clean(1)]), score_of(store), now=T0)
    assert trend.points["point"].tolist() == ["snapshot #1", "snapshot #3", "now"]
    assert trend.points["score"].tolist() == [33.3, 66.7, 100.0]
    assert [info.id for info in trend.unreadable] == [middle.id]
    assert trend.snapshots == 2
    assert (trend.baseline.id, trend.delta) == (1, 66.7), "the change still compares"


def test_a_damaged_baseline_gives_no_change_but_keeps_the_other_points(store, tmp_path) -> None:
    old = store.save([tracking(1)], account="a", clients=CLIENTS, taken_at=T0 - timedelta(8))
    store.save([clean(1)], account="a", clients=CLIENTS, taken_at=T0 - timedelta(2))
    set_payload(tmp_path / "history.sqlite3", old.id, b"")
    trend = history.score_trend(store.list("a"), frame_of([clean(1)]), score_of(store), now=T0)
    assert trend.baseline.id == old.id
    assert trend.baseline_score is None
    assert trend.delta is None
    assert trend.points["point"].tolist() == ["snapshot #2", "now"]


def test_the_filters_apply_to_every_snapshot(store) -> None:
    globex = {"client_id": 12}
    store.save(
        [clean(1), tracking(2, **globex)], account="a", clients=CLIENTS, taken_at=T0 - timedelta(8)
    )
    store.save(
        [tracking(1), clean(2, **globex)], account="a", clients=CLIENTS, taken_at=T0 - timedelta(1)
    )
    acme = Filters(clients=("Acme",))
    current = frame_of([clean(1)])
    trend = history.score_trend(store.list("a"), current, score_of(store, acme), now=T0)
    assert trend.points["score"].tolist() == [100.0, 33.3, 100.0], "Acme's campaign 1 only"
    globex_trend = history.score_trend(
        store.list("a"),
        frame_of([clean(2, **globex)]),
        score_of(store, Filters(clients=("Globex",))),
        now=T0,
    )
    assert globex_trend.points["score"].tolist() == [33.3, 100.0, 100.0]
    assert globex_trend.delta == 66.7


def test_a_past_snapshot_is_audited_as_of_when_it_was_taken(store) -> None:
    """A draft last edited 20 days before a snapshot was not stale then (30 days), even if
    it is now: the past score is not rewritten by today's date."""
    edited = (T0 - timedelta(days=40)).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    draft = clean(1, status="DRAFTED", updated_at=edited)
    store.save([draft], account="a", clients=CLIENTS, taken_at=T0 - timedelta(days=20))
    trend = history.score_trend(store.list("a"), frame_of([draft]), score_of(store), now=T0)
    then, now = trend.points["score"].tolist()
    assert then == 100.0
    assert now < 100.0, "stale today"


def test_no_snapshot_gives_the_current_point_only_and_no_delta() -> None:
    trend = history.score_trend(
        [], frame_of([clean(1)]), lambda _: pytest.fail("nothing to load"), now=T0
    )
    assert trend.snapshots == 0
    assert trend.baseline is None
    assert trend.delta is None
    assert trend.points["point"].tolist() == ["now"]
