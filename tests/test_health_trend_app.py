"""The Health page's score trend in AppTest: a delta against the snapshot a week back and a
chart of the kept snapshots, settings rules only, the sidebar's filters on every snapshot;
words instead of a chart without history."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

from smartlead import audit, history
from smartlead.connection import Connection
from smartlead.filters import Filters, apply_filters
from smartlead.frame import campaigns_frame
from tests.apptest import caption_texts, live_app
from tests.builders import sample_campaigns, sample_clients
from tests.history_builders import set_payload
from tests.standin import TEST_KEY, StandinSmartlead
from ui.page import PAGES

HEALTH_PAGE = PAGES["health"].path


def tidy_week() -> list[dict]:
    """The sample portfolio as it was a week ago: an unsubscribe text everywhere and no
    tracking (since then, texts were cleared and tracking turned on)."""
    records = sample_campaigns()
    for record in records:
        record["unsubscribe_text"] = "Reply STOP to opt out"
        record["track_settings"] = ["DONT_TRACK_EMAIL_OPEN", "DONT_TRACK_LINK_CLICK"]
    return records


def seed_history(standin: StandinSmartlead, days_ago: float) -> history.SnapshotInfo:
    """One snapshot of the tidy week, kept ``days_ago`` days back under the test key's
    account (the store the dashboard opens: SMARTLEAD_HISTORY_PATH, set for every test)."""
    store = history.SQLiteSnapshotStore(os.environ["SMARTLEAD_HISTORY_PATH"])
    account = store.account_for(Connection.to(TEST_KEY, standin.base_url))
    saved = store.save(
        tidy_week(),
        account=account,
        clients=sample_clients(),
        taken_at=datetime.now(UTC) - timedelta(days=days_ago),
        source=history.SOURCE_AUTO,
    )
    assert saved is not None
    return saved


def settings_score(records: list[dict], filters: Filters = Filters()) -> float:  # noqa: B008
    frame = apply_filters(campaigns_frame(records, sample_clients()), filters)
    return audit.settings_score(frame)


def health_metric(at):
    return next(metric for metric in at.metric if metric.label == "Health score")


def trend_charts(at) -> list:
    return [c for c in at.get("vega_lite_chart") if "Settings score per snapshot" in c.proto.spec]


def test_the_health_score_shows_its_change_since_a_week_ago_and_the_trend(standin):
    baseline = seed_history(standin, days_ago=8)
    at = live_app(standin)  # the fetch saves snapshot #2, the portfolio as it is now
    at.switch_page(HEALTH_PAGE).run()
    assert not at.exception
    before, now = settings_score(tidy_week()), settings_score(sample_campaigns())
    assert now < before, "the test's premise: the settings got worse since"
    metric = health_metric(at)
    assert metric.proto.delta == f"{now - before:+.1f}"
    assert f"snapshot #{baseline.id}" in metric.help
    assert "newest snapshot at least a week old" in metric.help
    assert f"scored {now:.1f} now, against {before:.1f}" in metric.help
    charts = trend_charts(at)
    assert len(charts) == 1
    assert "2 snapshots are scored" in " ".join(caption_texts(at))
    assert "settings rules only" in " ".join(caption_texts(at))


def test_a_filtered_view_trends_its_own_campaigns(standin):
    seed_history(standin, days_ago=3)
    at = live_app(standin)
    at.switch_page(HEALTH_PAGE).run()
    at.multiselect(key="client").set_value(["Acme Corp"]).run()
    assert not at.exception
    acme = Filters(clients=("Acme Corp",))
    before = settings_score(tidy_week(), acme)
    now = settings_score(sample_campaigns(), acme)
    everyone = settings_score(sample_campaigns()) - settings_score(tidy_week())
    assert round(now - before, 1) != round(everyone, 1), "the premise: the filter matters"
    metric = health_metric(at)
    assert metric.proto.delta == f"{now - before:+.1f}"
    assert "the oldest snapshot kept (history does not reach a week back yet)" in metric.help


def test_one_snapshot_is_a_point_and_says_the_trend_needs_a_second(standin):
    at = live_app(standin)  # the first fetch saves the first snapshot
    at.switch_page(HEALTH_PAGE).run()
    assert not at.exception
    assert not health_metric(at).proto.delta, "nothing earlier to compare with"
    assert len(trend_charts(at)) == 1
    assert "the trend needs a second one" in " ".join(caption_texts(at))


def test_without_history_the_page_says_how_the_trend_starts(standin, monkeypatch):
    monkeypatch.setenv("SMARTLEAD_HISTORY_PATH", "off")
    at = live_app(standin)
    at.switch_page(HEALTH_PAGE).run()
    assert not at.exception
    assert not trend_charts(at), "never a blank chart"
    told = " ".join(info.value for info in at.info)
    assert "History is turned off" in told
    assert "The score's trend starts once snapshots of the portfolio are kept" in told
    assert "Changes page" in told
    assert health_metric(at).value.endswith("/ 100"), "the rest of the page works"


def test_a_damaged_history_file_costs_the_trend_only(standin, tmp_path, monkeypatch):
    broken = tmp_path / "broken.sqlite3"
    broken.write_bytes(b"this is not a database" * 100)
    monkeypatch.setenv("SMARTLEAD_HISTORY_PATH", str(broken))
    at = live_app(standin)
    at.switch_page(HEALTH_PAGE).run()
    assert not at.exception
    assert not trend_charts(at)
    assert "History is unavailable" in " ".join(info.value for info in at.info)
    assert health_metric(at).value.endswith("/ 100")
    assert at.dataframe, "the findings are still listed"


def test_a_damaged_snapshot_costs_its_own_point_and_the_page_says_which(standin):
    damaged = seed_history(standin, days_ago=8)  # the baseline the change would compare with
    set_payload(Path(os.environ["SMARTLEAD_HISTORY_PATH"]), damaged.id, b"garbled")
    at = live_app(standin)  # the fetch saves snapshot #2, readable
    at.switch_page(HEALTH_PAGE).run()
    assert not at.exception
    metric = health_metric(at)
    assert not metric.proto.delta, "no change against a snapshot that cannot be read"
    assert f"snapshot #{damaged.id}, the one it would compare with, could not be read" in (
        metric.help
    )
    assert len(trend_charts(at)) == 1, "the readable snapshot and now are still drawn"
    captions = " ".join(caption_texts(at))
    assert f"Snapshot #{damaged.id} could not be read back" in captions
    assert "1 snapshots are scored" not in captions
    assert at.dataframe, "the findings are still listed"


def test_past_the_budget_a_filtered_view_shows_the_whole_portfolios_trend_until_asked(
    standin, monkeypatch
):
    # 2 snapshots of the sample portfolio are more campaigns than a budget of 1 allows.
    monkeypatch.setenv("SMARTLEAD_TREND_BUDGET", "1")
    seed_history(standin, days_ago=3)
    at = live_app(standin)
    at.switch_page(HEALTH_PAGE).run()
    assert health_metric(at).proto.delta, "no filter: the trend is the view's, however big"
    at.multiselect(key="client").set_value(["Acme Corp"]).run()
    assert not at.exception
    told = " ".join(caption_texts(at))
    assert "This trend is the whole portfolio's" in told
    assert not health_metric(at).proto.delta, "no change of other campaigns than the score's"
    whole = settings_score(sample_campaigns())
    assert trend_charts(at), "the whole portfolio's trend is still drawn"
    asked = next(b for b in at.button if b.label == "Score the snapshots under these filters")
    asked.click().run()
    assert not at.exception
    acme = Filters(clients=("Acme Corp",))
    before = settings_score(tidy_week(), acme)
    now = settings_score(sample_campaigns(), acme)
    assert now != whole, "the premise: the filter matters"
    assert health_metric(at).proto.delta == f"{now - before:+.1f}"
    assert "The sidebar's filters apply to every snapshot" in " ".join(caption_texts(at))
