"""The date window in the dashboard (AppTest): the shared control and its URL, on by default,
the Overview opening with it, the request count of a large account, a 404 and failures."""

from __future__ import annotations

import os
from datetime import timedelta

import pytest
from streamlit.proto.Metric_pb2 import Metric as MetricProto
from streamlit.testing.v1 import AppTest

from smartlead import demo
from smartlead.frame import campaigns_frame
from smartlead.window import Window, today_in, window_kpis, with_window
from smartlead.window_fetch import PAGE_SIZE, demo_window_fetch, estimate_requests
from tests.apptest import (
    APP,
    CAMPAIGNS_PAGE,
    OVERVIEW_PAGE,
    all_text,
    caption_texts,
    live_app,
    metrics,
    open_app,
    shown,
    table,
)
from tests.standin import CANARY_KEY, TEST_KEY, Reply, StandinSmartlead
from tests.standin_analytics import analytics_requests
from ui.page import PAGES

TODAY = today_in("UTC")
WINDOW_KPIS = ["Sent", "Replies", "Reply rate", "Positive replies", "Bounce rate"]


@pytest.fixture(autouse=True)
def fast_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    """No test here is about pacing: the limiter never holds a request."""
    monkeypatch.setenv("SMARTLEAD_RATE_LIMIT", "1000/1")


def demo_expected(days: int) -> dict[str, str]:
    """The demo's headline figures for the last ``days`` days, as the Overview shows them."""
    records = demo.demo_campaigns(300, seed=7)
    frame = campaigns_frame(records, demo.demo_clients())
    window = Window(TODAY - timedelta(days=days - 1), TODAY)
    now = with_window(frame, demo_window_fetch(records, window, TODAY).metrics())
    before = with_window(frame, demo_window_fetch(records, window.previous(), TODAY).metrics())
    return {kpi.label: kpi for kpi in window_kpis(now, before)}


def labels(at: AppTest) -> list[str]:
    return [metric.label for metric in at.metric]


# --------------------------------------------------------------------------- demo mode


def test_the_overview_opens_with_the_windows_figures_and_their_change():
    at = open_app()
    assert not at.exception
    assert labels(at)[:5] == WINDOW_KPIS, "the window's figures come first"
    expected = demo_expected(30)
    for metric in at.metric[:5]:
        kpi = expected[metric.label]
        assert metric.value == kpi.value_text(), metric.label
        assert metric.proto.delta == (kpi.change_text() or ""), metric.label
    bounce = next(m for m in at.metric if m.label == "Bounce rate")
    rising = expected["Bounce rate"].change > 0
    assert bounce.proto.color == (MetricProto.RED if rising else MetricProto.GREEN), (
        "a rising bounce rate is bad"
    )
    assert at.subheader[0].value.startswith("Performance · Last 30 days")
    assert "Demo window figures, made up here: no request." in caption_texts(at)


def test_the_window_control_changes_the_figures():
    at = open_app()
    at.selectbox(key="window").set_value("7d").run()
    assert not at.exception
    expected = demo_expected(7)
    assert metrics(at)["Sent"] == expected["Sent"].value_text()
    assert at.subheader[0].value.startswith("Performance · Last 7 days")


def test_a_link_opens_with_its_window_and_time_zone():
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.query_params.update({"window": "Custom range", "from": "2026-10-01", "to": "2026-10-14"})
    at.query_params["tz"] = "Asia/Tokyo"
    at.run()
    assert not at.exception
    assert at.selectbox(key="window").value == "custom"
    assert at.selectbox(key="tz").value == "Asia/Tokyo"
    assert str(at.date_input(key="from").value) == "2026-10-01"
    assert "Performance · Custom range (1–14 Oct 2026, days in Asia/Tokyo)" in (
        at.subheader[0].value.replace("\\", "")
    )
    assert not at.warning, "a valid link gets no notice"


def test_a_custom_window_that_runs_backwards_is_refused_in_words():
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.query_params.update({"window": "Custom range", "from": "2026-10-14", "to": "2026-10-01"})
    at.run()
    assert not at.exception
    assert "before it starts" in at.sidebar.error[0].value
    assert any("before it starts" in w.value for w in at.warning)
    assert "Sent" not in metrics(at), "no figures for a window that cannot be asked for"
    assert metrics(at)["Campaigns shown"] == "300", "the rest of the page still works"


def test_the_control_and_the_time_zone_survive_every_page_and_schedule_reads_the_zone():
    at = open_app()
    at.selectbox(key="window").set_value("90d").run()
    at.selectbox(key="tz").set_value("Asia/Tokyo").run()
    for page in PAGES.values():
        at.switch_page(page.path).run()
        assert not at.exception, page.path
        assert at.selectbox(key="window").value == "90d", page.path
        assert at.selectbox(key="tz").value == "Asia/Tokyo", page.path
    at.switch_page(PAGES["schedule"].path).run()
    assert "hours in Asia/Tokyo" in str(at.get("vega_lite_chart")[0].proto)
    assert [box.key for box in at.main.selectbox] == [], "one time zone setting, in the sidebar"


def test_the_campaigns_table_has_the_windows_columns_and_sorts_by_them():
    at = open_app()
    at.switch_page(CAMPAIGNS_PAGE).run()
    rows = table(at)
    assert {"window_sent", "window_replied", "window_reply_rate", "window_bounce_rate"} <= set(
        rows.columns
    )
    at.selectbox(key="sort").set_value("Most sent in the window").run()
    sent = table(at)["window_sent"].tolist()
    assert sent == sorted(sent, reverse=True)


def test_turning_the_window_off_says_so():
    at = open_app()
    at.toggle(key="window_on").set_value(False).run()
    assert not at.exception
    assert labels(at)[0] == "Campaigns shown"
    assert any("turned off" in info.value for info in at.info)


# --------------------------------------------------------------------------- live


def test_window_performance_is_on_by_default_for_a_live_key(standin):
    at = live_app(standin)
    assert not at.exception
    assert analytics_requests(standin) > 0, "fetched without anyone asking"
    assert labels(at)[:5] == WINDOW_KPIS
    assert metrics(at)["Sent"] != "—"
    assert any("requests," in text and "kept for" in text for text in caption_texts(at))
    at.switch_page(PAGES["health"].path).run()
    assert any("read the window" in text for text in caption_texts(at))
    rules = at.dataframe[0].value.set_index("title")
    assert rules.loc["High bounce rate", "note"] == "", "evaluated on the window's figures"


def test_reruns_and_page_switches_reuse_the_window_and_refresh_fetches_it_again(standin):
    at = live_app(standin)
    first = analytics_requests(standin)
    for page in PAGES.values():
        at.switch_page(page.path).run()
    at.switch_page(OVERVIEW_PAGE).run()
    at.run()
    assert analytics_requests(standin) == first, "cached per connection and window"
    next(b for b in at.button if b.label == "Refresh").click().run()
    assert analytics_requests(standin) == 2 * first


def test_a_2000_campaign_account_costs_a_handful_of_requests_for_90_days(monkeypatch):
    records = demo.demo_campaigns(2000, seed=7)
    with StandinSmartlead(
        portfolios={TEST_KEY: records}, clients={TEST_KEY: demo.demo_clients()}
    ) as server:
        monkeypatch.setenv("SMARTLEAD_BASE_URL", server.base_url)
        monkeypatch.setenv("SMARTLEAD_API_KEY", TEST_KEY)
        at = AppTest.from_file(str(APP), default_timeout=120)
        at.query_params["window"] = "Last 90 days"
        at.run()
        assert not at.exception
        assert labels(at)[:5] == WINDOW_KPIS
        window = Window(TODAY - timedelta(days=89), TODAY)
        asked = [r for r in server.requests if r.path.startswith("/analytics/")]
        current = [r for r in asked if r.query["start_date"] >= window.start.isoformat()]
        previous = [r for r in asked if r.query["start_date"] < window.start.isoformat()]
        sending = [
            len(demo.demo_window_stats(records, piece.start, piece.end, today=TODAY))
            for piece in window.chunks()
        ]
        # Per 30-day piece: a page per 200 campaigns that sent, the short page that ends the
        # paging, and the days; the comparison asks for pages only.
        assert len(current) == sum(n // PAGE_SIZE + 1 for n in sending) + 3
        assert len(current) <= 35, "the goal: at most 35 requests per 90-day window"
        assert len(current) + len(previous) <= 70, "and about 70 with the comparison"
        assert len(current) <= estimate_requests(window, len(records))
        print(f"\n2,000 campaigns, 90 days: {len(current)} + {len(previous)} requests")


def test_an_account_without_window_analytics_is_offered_the_per_campaign_path(standin):
    standin.analytics.missing = True
    at = live_app(standin)
    assert not at.exception
    assert any("does not offer these analytics" in w.value for w in at.warning)
    assert any("5 requests" in text for text in caption_texts(at)), "the cost, before asking"
    before = standin.count("/campaigns/")
    at.button(key="window_per_campaign").click().run()
    assert not at.exception
    assert standin.count("/campaigns/") - before == 5, "one per campaign and 30 days"
    assert labels(at)[:5] == WINDOW_KPIS
    assert metrics(at)["Positive replies"] == "—", "not on the per-campaign path"


def test_a_failed_page_is_listed_and_the_rest_still_shows(standin):
    standin.always("/analytics/day-wise-overall-stats", Reply.server_error())
    at = live_app(standin)
    assert not at.exception
    assert any(e.label.startswith("Not everything could be fetched") for e in at.expander)
    assert "could not be fetched" in all_text(at)
    assert metrics(at)["Sent"] != "—", "the campaigns' figures still came"


def test_the_key_appears_in_no_element_of_the_window(standin):
    standin.portfolios[CANARY_KEY] = standin.portfolios[TEST_KEY]
    standin.clients[CANARY_KEY] = []
    standin.always("/analytics/day-wise-overall-stats", Reply.server_error())
    at = live_app(standin, key=CANARY_KEY)
    texts = [all_text(at)]
    at.switch_page(CAMPAIGNS_PAGE).run()
    texts.append(all_text(at))
    assert all(CANARY_KEY not in text for text in texts)
    assert os.environ.get("SMARTLEAD_API_KEY") != CANARY_KEY


def test_a_link_with_a_window_or_zone_that_does_not_exist_says_so_and_uses_the_default():
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.query_params.update({"window": "Forever", "tz": "Mars/Olympus"})
    at.run()
    assert not at.exception
    notice = shown(at.warning[0].value)
    assert "window=Forever" in notice
    assert "tz=Mars/Olympus" in notice
    assert at.selectbox(key="window").value == "30d"
    assert at.selectbox(key="tz").value == "UTC"
    assert labels(at)[:5] == WINDOW_KPIS


def test_a_link_that_spells_out_the_default_window_gets_no_notice():
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.query_params.update({"window": "Last 30 days", "tz": "UTC"})
    at.run()
    assert not at.warning
