"""The lead runway in AppTest: the Schedule page's section in demo mode and live (its cost
said before anything is fetched, the figures kept across a restart), the Campaigns table's
columns and a campaign's details, and the Health rules."""

from __future__ import annotations

import re

import pandas as pd
import streamlit as st

from smartlead import demo, vocab
from smartlead.frame import campaigns_frame
from smartlead.records import parse_analytics
from smartlead.runway import with_lead_stats
from tests.apptest import CAMPAIGNS_PAGE, caption_texts, live_app, metrics, open_app, table
from tests.standin import StandinSmartlead, sample_campaigns
from ui.page import DETAIL_KEY, PAGES

SCHEDULE_PAGE = PAGES["schedule"].path
HEALTH_PAGE = PAGES["health"].path
ANALYTICS = re.compile(r"^/campaigns/\d+/analytics$")


def analytics_requests(standin: StandinSmartlead) -> list[int]:
    """Campaigns whose all-time analytics were asked for (one request each)."""
    return [int(r.path.split("/")[2]) for r in standin.requests if ANALYTICS.match(r.path)]


def dataframe_with(at, column: str) -> pd.DataFrame:
    """The first table on the page that has ``column``."""
    return next(frame.value for frame in at.dataframe if column in frame.value.columns)


def button(at, label: str):
    return next(b for b in at.button if b.label == label)


def demo_leads() -> pd.DataFrame:
    records = demo.demo_campaigns(300, seed=7)
    figures = {
        r["id"]: parse_analytics(demo.demo_analytics(r["id"], r)) for r in records if "id" in r
    }
    return with_lead_stats(campaigns_frame(records, demo.demo_clients()), figures)


def test_the_demo_schedule_page_shows_the_lead_runway():
    at = open_app()
    at.switch_page(SCHEDULE_PAGE).run()
    assert not at.exception
    assert "Lead runway" in [h.value for h in at.subheader]
    frame = demo_leads()
    active = frame[frame["status"] == vocab.ACTIVE]
    paused = frame[frame["status"] == vocab.PAUSED]
    shown = metrics(at)
    assert shown["Dry now"] == f"{int((active['leads_not_started'] == 0).sum()):,}"
    assert shown["Leads not started (active)"] == f"{int(active['leads_not_started'].sum()):,}"
    assert shown["Leads waiting (paused)"] == f"{int(paused['leads_not_started'].sum()):,}"
    assert int(shown["Dry now"]) > 0, "the demo has a campaign with no leads left"
    assert int(shown["Dry within 5 sending days"]) > 0, "and some running dry this week"
    queue = dataframe_with(at, "runway_date")
    assert len(queue) > 0
    keys = list(zip(queue["runway_date"], queue["runway_days"], strict=True))
    assert keys == sorted(keys), "the refill queue is in date order, the emptiest first"
    clients = dataframe_with(at, "earliest_dry_date")
    assert clients["client_name"].nunique() == len(clients)
    funnels = [f.value for f in at.dataframe if "completed_share" in f.value.columns]
    assert [f.columns[0] for f in funnels] == ["client_name", "tags"]
    assert "Demo figures, computed here: no request." in caption_texts(at)


def test_the_refill_queue_horizon_narrows_it():
    at = open_app()
    at.switch_page(SCHEDULE_PAGE).run()
    week = len(dataframe_with(at, "runway_date"))
    at.segmented_control(key="runway_until").set_value("Any date").run()
    every = len(dataframe_with(at, "runway_date"))
    assert every > week
    assert every == int(metrics(at)["Active with a runway"].split(" of ")[0])


def test_live_lead_statistics_cost_is_said_first_then_kept_across_a_restart(standin):
    at = live_app(standin)
    at.switch_page(SCHEDULE_PAGE).run()
    assert not at.exception
    assert analytics_requests(standin) == [], "nothing fetched before the user asks"
    offer = next(info.value for info in at.info if "need their lead statistics" in info.value)
    assert "3 active or paused campaigns" in offer
    assert "costs 3 requests" in offer
    button(at, "Fetch lead statistics").click().run()
    assert not at.exception
    assert sorted(analytics_requests(standin)) == [103, 104, 105], "active and paused only"
    assert "Lead runway" in [h.value for h in at.subheader]
    assert any("Lead statistics of 3 of the 3" in text for text in caption_texts(at))
    assert "Refresh lead statistics" in [b.label for b in at.button]
    at.segmented_control(key="runway_until").set_value("Any date").run()
    queue = dataframe_with(at, "runway_date")
    assert set(queue["id"]) == {104, 105}

    for page in PAGES.values():  # every page reads them; none asks again
        at.switch_page(page.path).run()
        assert not at.exception, page.path
    assert len(analytics_requests(standin)) == 3

    # A restart: the server's caches are gone, the history store is the same file.
    st.cache_data.clear()
    st.cache_resource.clear()
    again = live_app(standin)
    again.switch_page(SCHEDULE_PAGE).run()
    assert len(analytics_requests(standin)) == 3, "kept in the history store"
    assert "Fetch lead statistics" not in [b.label for b in again.button]
    assert any("Lead statistics of 3 of the 3" in text for text in caption_texts(again))
    assert any("Kept in the history store" in text for text in caption_texts(again))


def test_the_campaigns_table_details_and_health_read_the_kept_statistics(standin):
    at = live_app(standin)
    at.switch_page(CAMPAIGNS_PAGE).run()
    assert "runway_days" not in table(at).columns, "no statistics kept yet: no columns"
    at.switch_page(SCHEDULE_PAGE).run()
    button(at, "Fetch lead statistics").click().run()
    at.switch_page(CAMPAIGNS_PAGE).run()
    rows = table(at).set_index("id")
    assert {"leads_not_started", "runway_days", "runway_date"} <= set(rows.columns)
    assert rows.loc[[103, 104, 105], "leads_not_started"].notna().all()
    assert rows.loc[[104, 105], "runway_days"].notna().all()
    assert rows.loc[[101, 102, 103], "runway_days"].isna().all(), "only active campaigns"
    assert "Runs out of leads soonest" in at.selectbox(key="sort").options
    at.session_state[DETAIL_KEY] = 105
    at.run()
    details = dataframe_with(at, "What").set_index("What")["Value"]
    expected = sample_analytics_not_started(105)
    assert details["Leads not started"] == f"{expected:,}"
    assert "sending days" in details["Runway"] or details["Runway"].startswith("no leads")
    assert details["Days counted in"] == "America/New_York"
    at.switch_page(HEALTH_PAGE).run()
    rules = at.dataframe[0].value.set_index("title")
    for title in (
        "Active campaign with no leads left",
        "Runs out of leads within a week",
        "Paused campaign with many leads waiting",
    ):
        assert rules.loc[title, "note"] == "", f"{title} is evaluated"


def sample_analytics_not_started(campaign_id: int) -> int:
    record = next(r for r in sample_campaigns() if r["id"] == campaign_id)
    return parse_analytics(demo.demo_analytics(campaign_id, record))["leads_not_started"]


def test_a_campaign_whose_statistics_fail_is_listed_with_a_way_to_try_again(standin):
    from tests.standin import Reply

    standin.always("/campaigns/104/analytics", Reply.server_error())
    at = live_app(standin)
    at.switch_page(SCHEDULE_PAGE).run()
    button(at, "Fetch lead statistics").click().run()
    assert not at.exception
    assert "Lead statistics are missing for 1 campaign" in [e.label for e in at.expander]
    missing = next(
        f.value for f in at.dataframe if f.value.columns.tolist() == ["id", "name", "reason"]
    )
    assert missing["id"].tolist() == [104]
    asked = len(analytics_requests(standin))
    at.run()
    assert len(analytics_requests(standin)) == asked, "a failure is not asked again per rerun"
    standin.always("/campaigns/104/analytics", None)
    button(at, "Try these again").click().run()
    assert "Lead statistics are missing for 1 campaign" not in [e.label for e in at.expander]


def test_with_history_off_the_section_says_the_figures_live_in_memory(standin, monkeypatch):
    monkeypatch.setenv("SMARTLEAD_HISTORY_PATH", "off")
    at = live_app(standin)
    at.switch_page(SCHEDULE_PAGE).run()
    button(at, "Fetch lead statistics").click().run()
    assert not at.exception
    assert any("Kept in this server's memory" in text for text in caption_texts(at))


def test_the_demo_campaigns_page_has_the_runway_columns():
    at = open_app()
    at.switch_page(CAMPAIGNS_PAGE).run()
    rows = table(at)
    assert {"leads_not_started", "runway_days", "runway_date"} <= set(rows.columns)
    assert rows["runway_date"].notna().any()
