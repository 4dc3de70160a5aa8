"""The dashboard's pages in AppTest: demo mode, a live portfolio from the stand-in, filters,
caching, errors, and the key never reaching the page."""

from __future__ import annotations

from datetime import date

import pytest
from streamlit.testing.v1 import AppTest

from smartlead.demo import demo_campaigns, demo_clients
from smartlead.filters import portfolio_kpis
from smartlead.frame import campaigns_frame
from tests.apptest import (
    APP,
    CAMPAIGNS_PAGE,
    OVERVIEW_PAGE,
    all_text,
    caption_texts,
    connect,
    live_app,
    metrics,
    open_app,
    shown,
    table,
)
from tests.builders import campaign
from tests.standin import (
    CANARY_KEY,
    TEST_KEY,
    Reply,
    StandinSmartlead,
    sample_campaigns,
    sample_clients,
)
from ui.page import PAGES

# --------------------------------------------------------------------------- demo mode


def test_without_a_key_the_overview_shows_the_labelled_demo_portfolio():
    at = open_app()
    assert not at.exception
    assert any("Demo portfolio" in info.value for info in at.info)
    frame = campaigns_frame(demo_campaigns(300, seed=7), demo_clients())
    expected = portfolio_kpis(frame, len(frame))
    shown = metrics(at)
    assert shown["Campaigns shown"] == f"{expected['shown']:,}"
    assert shown["Active"] == f"{expected['active']:,}"
    assert shown["Paused"] == f"{expected['paused']:,}"
    assert shown["Clients"] == str(expected["clients"])
    assert shown["Tags"] == str(expected["tags"])
    assert shown["Active daily limit"] == f"{expected['active_daily_limit']:,}"
    # The window's trend and its reply and bounce rates per client (the open tab; per tag is
    # drawn when its tab is opened), then the four settings charts.
    assert len(at.get("vega_lite_chart")) == 6
    assert "No key: showing the demo portfolio." in caption_texts(at)


def test_every_page_renders_in_demo_mode_without_an_exception():
    at = open_app()
    for page in PAGES.values():
        at.switch_page(page.path).run()
        assert not at.exception, page.path
        assert at.title[0].value == page.heading
        assert any("Demo portfolio" in info.value for info in at.info), page.path


def test_the_router_draws_one_sidebar_for_every_page(standin):
    at = live_app(standin)
    at.multiselect(key="status").set_value(["ACTIVE"]).run()
    for page in PAGES.values():
        at.switch_page(page.path).run()
        assert not at.exception, page.path
        assert [h.value for h in at.sidebar.subheader] == [
            "SmartLead account",
            "Window",
            "Filters",
            "All-time figures",
        ], page.path
        assert at.multiselect(key="status").value == ["ACTIVE"], page.path
        assert "Connected with the key you entered." in caption_texts(at), page.path
    assert standin.count("/campaigns") == 1


def test_page_and_app_icons_are_emoji_so_the_browser_fetches_no_icon():
    from ui.page import APP_ICON

    for icon in (APP_ICON, *(page.icon for page in PAGES.values())):
        assert icon, "every page has an icon"
        assert not icon.startswith(":"), icon


def test_a_failed_load_shows_the_pages_title_and_the_error_on_every_page(standin):
    standin.always("/campaigns", Reply.server_error())
    at = live_app(standin)
    for page in PAGES.values():
        at.switch_page(page.path).run()
        assert not at.exception, page.path
        assert at.title[0].value == page.heading
        assert "SmartLead is having trouble" in at.error[0].value
        assert [b.key for b in at.button if b.key == "retry"] == ["retry"]


def test_the_campaigns_page_lists_the_portfolio_with_readable_columns():
    at = open_app()
    at.switch_page(CAMPAIGNS_PAGE).run()
    rows = table(at)
    assert len(rows) == 300
    assert {"name", "status", "tags", "max_leads_per_day"} <= set(rows.columns)
    assert "Showing 300 of 300 campaigns." in caption_texts(at)
    assert [b.label for b in at.get("download_button")] == ["Download CSV", "Download JSON"]


# --------------------------------------------------------------------------- live data


def test_a_key_typed_in_the_sidebar_switches_to_the_live_portfolio(standin: StandinSmartlead):
    at = live_app(standin)
    assert not at.exception
    assert not any("Demo portfolio" in info.value for info in at.info)
    assert metrics(at)["Campaigns shown"] == "5"
    assert any(text.startswith("5 campaigns fetched") for text in caption_texts(at))
    assert at.multiselect(key="client").options == ["(no client)", "Acme Corp", "Northwind Clinics"]


def test_one_upstream_fetch_serves_reruns_filter_changes_and_page_switches(standin):
    at = live_app(standin)
    at.multiselect(key="status").set_value(["ACTIVE"]).run()
    at.text_input(key="q").set_value("founder").run()
    at.switch_page(CAMPAIGNS_PAGE).run()
    at.toggle(key="subseq").set_value(False).run()
    at.switch_page(OVERVIEW_PAGE).run()
    for _ in range(5):
        at.run()
    assert not at.exception
    assert standin.count("/campaigns") == 1
    assert metrics(at)["Campaigns shown"] == "1"


def test_refresh_fetches_that_portfolio_again(standin):
    at = live_app(standin)
    refresh = next(b for b in at.button if b.label == "Refresh")
    refresh.click().run()
    assert standin.count("/campaigns") == 2
    assert metrics(at)["Campaigns shown"] == "5"


@pytest.mark.parametrize(
    ("widget", "key", "value", "shown", "active"),
    [
        ("multiselect", "status", ["PAUSED", "DRAFTED"], 2, 0),
        ("multiselect", "client", ["Acme Corp"], 2, 2),
        ("multiselect", "tag", ["Outbound"], 2, 2),
        ("multiselect", "tag", ["(untagged)"], 2, 0),
        ("multiselect", "tag", ["Healthcare", "Founders"], 2, 1),
        ("text_input", "q", "FOUNDER", 2, 2),
        ("text_input", "q", "no such campaign", 0, 0),
        ("toggle", "subseq", False, 4, 1),
        ("slider", "limit", (100, 120), 1, 0),
        ("date_input", "created", (date(2025, 11, 23), date(2025, 11, 25)), 3, 2),
        ("date_input", "updated", (date(2025, 11, 26), date(2025, 11, 26)), 1, 1),
    ],
)
def test_each_filter_narrows_rows_and_kpis(standin, widget, key, value, shown, active):
    at = live_app(standin)
    getattr(at, widget)(key=key).set_value(value).run()
    assert not at.exception
    if shown == 0:
        assert any("No campaign matches these filters." in i.value for i in at.info)
        return
    kpis = metrics(at)
    assert kpis["Campaigns shown"] == str(shown)
    assert kpis["Active"] == str(active)
    at.switch_page(CAMPAIGNS_PAGE).run()
    assert len(table(at)) == shown, "the table follows the same filters"


def test_filters_survive_a_page_switch_and_reset_clears_them(standin):
    at = live_app(standin)
    at.multiselect(key="status").set_value(["ACTIVE"]).run()
    at.switch_page(CAMPAIGNS_PAGE).run()
    assert at.multiselect(key="status").value == ["ACTIVE"]
    assert len(table(at)) == 2
    next(b for b in at.button if b.label == "Reset filters").click().run()
    assert at.multiselect(key="status").value == []
    assert len(table(at)) == 5


def test_a_filter_matching_nothing_offers_a_reset(standin):
    at = live_app(standin)
    at.text_input(key="q").set_value("zzz").run()
    assert any("No campaign matches" in info.value for info in at.info)
    at.button(key="reset_empty").click().run()
    assert metrics(at)["Campaigns shown"] == "5"


def test_filter_values_in_the_url_open_the_same_filtered_view(standin, monkeypatch):
    monkeypatch.setenv("SMARTLEAD_API_KEY", TEST_KEY)
    monkeypatch.setenv("SMARTLEAD_BASE_URL", standin.base_url)
    at = AppTest.from_file(str(APP), default_timeout=30)
    at.query_params["status"] = ["ACTIVE"]
    at.query_params["q"] = "follow"
    at.run()
    assert at.multiselect(key="status").value == ["ACTIVE"]
    assert metrics(at)["Campaigns shown"] == "1"


def test_each_browser_session_sees_only_its_own_keys_portfolio():
    other_key = "sk-other-account"
    other = [campaign(999, "Other account's only campaign")]
    with StandinSmartlead(portfolios={TEST_KEY: sample_campaigns(), other_key: other}) as server:
        first = live_app(server)
        second = live_app(server, key=other_key)
        assert metrics(first)["Campaigns shown"] == "5"
        assert metrics(second)["Campaigns shown"] == "1"
        first.run()
        assert metrics(first)["Campaigns shown"] == "5"
        assert server.count("/campaigns") == 2


def test_a_key_without_agency_access_falls_back_to_client_ids():
    with StandinSmartlead(portfolios={TEST_KEY: sample_campaigns()}) as server:
        at = live_app(server)
        assert not at.exception
        assert "Client #11" in at.multiselect(key="client").options
        assert any("Client names are unavailable" in text for text in caption_texts(at))


def test_an_account_without_campaigns_gets_a_friendly_empty_state():
    with StandinSmartlead(
        portfolios={TEST_KEY: []}, clients={TEST_KEY: sample_clients()}
    ) as server:
        at = live_app(server)
        assert not at.exception
        assert any("no campaigns yet" in info.value for info in at.info)
        at.switch_page(CAMPAIGNS_PAGE).run()
        assert not at.exception
        assert any("no campaigns yet" in info.value for info in at.info)


def test_a_key_from_the_environment_is_used_without_being_shown(standin, monkeypatch):
    standin.portfolios[CANARY_KEY] = sample_campaigns()
    monkeypatch.setenv("SMARTLEAD_API_KEY", CANARY_KEY)
    monkeypatch.setenv("SMARTLEAD_BASE_URL", standin.base_url)
    at = open_app()
    assert "Connected with the key from the environment (SMARTLEAD_API_KEY)." in caption_texts(at)
    assert at.text_input(key="api_key_input").value == ""
    assert metrics(at)["Campaigns shown"] == "5"
    assert CANARY_KEY not in all_text(at)


def test_disconnecting_returns_to_the_demo(standin):
    at = live_app(standin)
    next(b for b in at.button if b.label == "Disconnect").click().run()
    assert any("Demo portfolio" in info.value for info in at.info)


def test_a_key_from_streamlit_secrets_is_used(standin, monkeypatch):
    monkeypatch.setenv("SMARTLEAD_BASE_URL", standin.base_url)
    at = AppTest.from_file(str(APP), default_timeout=30)
    at.secrets["SMARTLEAD_API_KEY"] = TEST_KEY
    at.run()
    assert "Connected with the key from the server's secrets." in caption_texts(at)
    assert metrics(at)["Campaigns shown"] == "5"


# --------------------------------------------------------------------------- errors


@pytest.mark.parametrize(
    ("reply", "title"),
    [
        (Reply.invalid_key(), "SmartLead rejected the API key"),
        (Reply.server_error(), "SmartLead is having trouble"),
        (Reply.html(502), "SmartLead is having trouble"),
        (Reply.rate_limited(retry_after=1), "SmartLead is rate-limiting this key"),
        (Reply.html(200, title="Login"), "SmartLead sent an answer the dashboard cannot read"),
        (Reply.invalid_json(), "SmartLead sent an answer the dashboard cannot read"),
        (Reply.json({"success": False, "message": "Plan expired"}), "cannot read"),
        (Reply.json({"unexpected": True}), "cannot read"),
    ],
)
def test_an_api_error_is_a_message_in_words_and_the_sidebar_still_works(standin, reply, title):
    standin.always("/campaigns", reply)
    at = live_app(standin, key=CANARY_KEY)
    assert not at.exception
    assert len(at.error) == 1
    assert title in at.error[0].value
    assert CANARY_KEY not in all_text(at)
    standin.clear_scripts()
    connect(at, TEST_KEY)
    assert not at.error
    assert metrics(at)["Campaigns shown"] == "5"


def test_an_unreachable_server_is_reported_in_words(monkeypatch):
    monkeypatch.setenv("SMARTLEAD_BASE_URL", "http://127.0.0.1:9/api/v1")
    at = connect(open_app(), CANARY_KEY)
    assert not at.exception
    assert "SmartLead could not be reached" in at.error[0].value
    assert CANARY_KEY not in all_text(at)


def test_the_key_appears_in_no_element_on_any_page(standin):
    standin.portfolios[CANARY_KEY] = sample_campaigns()
    at = live_app(standin, key=CANARY_KEY)
    texts = [all_text(at)]
    at.switch_page(CAMPAIGNS_PAGE).run()
    at.session_state["detail_id"] = 105
    at.run()
    texts.append(all_text(at))
    assert all(CANARY_KEY not in text for text in texts)


# --------------------------------------------------------------------------- campaign details


def test_the_detail_pane_shows_settings_parent_and_subsequences(standin):
    at = live_app(standin)
    at.switch_page(CAMPAIGNS_PAGE).run()
    at.session_state["detail_id"] = 104
    at.run()
    boxes = [frame.value for frame in at.dataframe if "Setting" in frame.value.columns]
    assert len(boxes) >= 6, "the settings are grouped by topic"
    values = {
        setting: value
        for box in boxes
        for setting, value in zip(box["Setting"], box["Value"], strict=True)
    }
    assert values["Daily limit (new leads per day)"] == "50"
    assert values["Tags"] == "Outbound"
    assert values["Parent campaign id"] == "105"
    parent = at.button(key="open_parent")
    assert shown(parent.label) == "Q4 Founder Outreach (#105)"  # escaped: labels are Markdown
    parent.click().run()
    assert "Q4 Founder Outreach" in at.subheader[0].value
    children = [b for b in at.button if b.key and b.key.startswith("open_child_")]
    assert [shown(b.label) for b in children] == ["Q4 Founder Outreach – follow-up (#104) · ACTIVE"]


def test_a_missing_parent_is_reported_not_hidden():
    campaigns = sample_campaigns()
    campaigns[1]["parent_campaign_id"] = 4242
    with StandinSmartlead(portfolios={TEST_KEY: campaigns}) as server:
        at = live_app(server)
        at.switch_page(CAMPAIGNS_PAGE).run()
        at.session_state["detail_id"] = 104
        at.run()
        assert any("Parent #4242 is not in this portfolio" in w.value for w in at.warning)


def test_campaign_names_are_shown_as_text_not_markup():
    hostile = "<img src=x onerror=alert(1)> ![x](http://evil.example/p.png) :red[boo]"
    campaigns = sample_campaigns()
    campaigns[0]["name"] = hostile
    with StandinSmartlead(portfolios={TEST_KEY: campaigns}) as server:
        at = live_app(server)
        at.switch_page(CAMPAIGNS_PAGE).run()
        assert hostile in table(at)["name"].tolist(), "the table shows the name verbatim"
        at.session_state["detail_id"] = 105
        at.run()
        heading = at.subheader[0].value
        assert "\\<img" in heading
        assert "\\!\\[x\\]" in heading
        assert "\\:\u2060red\\[" in heading  # the word joiner keeps it from being rewritten
        assert shown(heading) == f"{hostile} (#105)"


def test_malformed_or_out_of_range_link_filters_are_ignored_with_a_notice():
    at = AppTest.from_file(str(APP), default_timeout=30)
    at.query_params.update(
        {
            "status": ["NOT_A_STATUS", "PAUSED"],
            "limit": "lots",
            "created": "2020-13-45",
            "subseq": "maybe",
            "q": "cfo",
        }
    )
    at.run()
    assert not at.exception
    assert at.multiselect(key="status").value == ["PAUSED"], "the valid part is kept"
    notice = at.warning[0].value
    for ignored in ("NOT\\_A\\_STATUS", "lots", "2020\\-13\\-45", "maybe"):
        assert ignored in notice
    at.run()
    assert not at.warning, "the notice is shown once, when the link is opened"


def test_a_link_that_spells_out_default_values_gets_no_notice():
    at = AppTest.from_file(str(APP), default_timeout=30)
    at.query_params.update({"limit": ["10", "1000"], "subseq": "true", "status": "PAUSED"})
    at.run()
    assert not at.warning
    assert metrics(at)["Paused"] == metrics(at)["Campaigns shown"]


# --------------------------------------------------------------------------- schedule & health

SCHEDULE_PAGE = PAGES["schedule"].path
HEALTH_PAGE = PAGES["health"].path


def test_the_schedule_page_shows_the_week_capacity_and_attention_lists(standin):
    at = live_app(standin)
    at.switch_page(SCHEDULE_PAGE).run()
    assert not at.exception
    assert len(at.get("vega_lite_chart")) == 3, "heatmap, capacity per client, capacity per tag"
    shown = metrics(at)
    # Two active sample campaigns, 50 leads/day, Monday to Friday.
    assert shown["Weekly send limit of active campaigns"] == "500"
    assert shown["Active campaigns with no usable schedule"] == "0"
    assert shown["Schedule problems (any status)"] == "1", "the draft without a schedule"
    at.selectbox(key="tz").set_value("Asia/Tokyo").run()
    assert not at.exception
    assert "hours in Asia/Tokyo" in str(at.get("vega_lite_chart")[0].proto)


def test_the_schedule_page_follows_the_shared_filters(standin):
    at = live_app(standin)
    at.multiselect(key="status").set_value(["PAUSED"]).run()
    at.switch_page(SCHEDULE_PAGE).run()
    assert metrics(at)["Weekly send limit of active campaigns"] == "0"


def test_the_health_page_scores_lists_rules_and_opens_a_campaign(standin):
    at = live_app(standin)
    at.switch_page(HEALTH_PAGE).run()
    assert not at.exception
    shown = metrics(at)
    assert shown["Health score"].endswith("/ 100")
    rules = at.dataframe[0].value
    counts = dict(zip(rules["title"], rules["campaigns"], strict=True))
    # The two sending campaigns that track opens; the draft's tracking is unknown (null, as
    # the live API sends it for drafts), which is not flagged.
    assert counts["Open tracking is on"] == 2
    assert counts["Leads not stopped on reply"] == 0, "the only NEVER campaign is completed"
    assert [b.label for b in at.get("download_button")] == ["Download these findings (CSV)"]
    at.session_state["_health_open_campaign"] = 103
    at.run()
    assert at.title[0].value == "Campaigns"
    assert "Clinic owners" in at.subheader[0].value


def test_opening_a_campaign_from_health_keeps_the_filters(standin):
    at = live_app(standin)
    at.multiselect(key="status").set_value(["PAUSED"]).run()
    at.switch_page(HEALTH_PAGE).run()
    at.query_params["status"] = "PAUSED"  # what the browser's URL holds on Health
    at.session_state["_health_open_campaign"] = 103
    at.run()
    assert not at.exception
    assert at.title[0].value == "Campaigns"
    assert "Clinic owners" in at.subheader[0].value
    assert at.multiselect(key="status").value == ["PAUSED"]
    assert at.query_params.get("status") == "PAUSED", "the filter is still in the URL"
    assert table(at)["status"].unique().tolist() == ["PAUSED"]


# --------------------------------------------------------------------------- changes (history)

CHANGES_PAGE = PAGES["changes"].path


def test_the_changes_page_tells_the_demo_history():
    from smartlead.demo import demo_history
    from smartlead.history import diff_snapshots, diff_summary

    at = open_app()
    at.switch_page(CHANGES_PAGE).run()
    assert not at.exception
    weeks = demo_history(300, seed=7)
    expected = diff_summary(diff_snapshots(weeks[-2][1], weeks[-1][1]))
    shown = metrics(at)
    assert shown["Added"] == str(expected["added"])
    assert shown["Status"] == str(expected["status"])
    assert len(at.get("vega_lite_chart")) == 1, "the timeline"
    at.multiselect(key="change_kinds").set_value(["status"]).run()
    assert set(at.dataframe[0].value["kind"]) == {"status"}


def test_a_live_fetch_saves_one_snapshot_and_a_manual_save_shows_the_change(standin):
    at = live_app(standin)
    assert "History: Saved snapshot #1 (5 campaigns) to history." in caption_texts(at)
    at.switch_page(CHANGES_PAGE).run()
    assert any(
        i.value.startswith("History starts now: snapshot #1 of this account was taken")
        for i in at.info
    )
    assert metrics(at)["Campaigns"] == "5", "the snapshot just taken"
    for _ in range(3):  # reruns and page switches never save again
        at.switch_page(OVERVIEW_PAGE).run()
    standin.portfolios[TEST_KEY][0]["status"] = "PAUSED"
    next(b for b in at.button if b.label == "Refresh").click().run()
    assert any(text.startswith("History: Not saved") for text in caption_texts(at)), (
        "within the hour, an automatic snapshot is not due"
    )
    at.switch_page(CHANGES_PAGE).run()
    next(b for b in at.button if b.label == "Save a snapshot now").click().run()
    at.run()
    assert not at.exception
    assert metrics(at)["Status"] == "1"
    change = at.dataframe[0].value.iloc[0]
    assert (change["kind"], change["before"], change["after"]) == ("status", "ACTIVE", "PAUSED")


def test_history_turned_off_leaves_the_rest_working(standin, monkeypatch):
    monkeypatch.setenv("SMARTLEAD_HISTORY_PATH", "off")
    at = live_app(standin)
    assert metrics(at)["Campaigns shown"] == "5"
    at.switch_page(CHANGES_PAGE).run()
    assert not at.exception
    assert "turned off" in at.warning[0].value


def test_a_damaged_history_file_is_a_warning_not_a_crash(standin, tmp_path, monkeypatch):
    broken = tmp_path / "broken.sqlite3"
    broken.write_bytes(b"this is not a database" * 100)
    monkeypatch.setenv("SMARTLEAD_HISTORY_PATH", str(broken))
    at = live_app(standin)
    assert not at.exception
    assert metrics(at)["Campaigns shown"] == "5"
    assert any("History is unavailable" in text for text in caption_texts(at))
    at.switch_page(CHANGES_PAGE).run()
    assert not at.exception
    assert "unavailable" in at.warning[0].value


# --------------------------------------------------------------------------- performance


def analytics_requests(standin: StandinSmartlead) -> int:
    return sum(1 for request in standin.requests if request.path.endswith("/analytics"))


def test_all_time_performance_is_opt_in_and_says_what_it_costs(standin):
    at = live_app(standin)
    assert at.toggle(key="metrics").value is False
    assert "Turning this on costs 5 requests" in " ".join(caption_texts(at))
    assert analytics_requests(standin) == 0, "no per-campaign request before the user asks"
    assert "Reply rate (all time)" not in metrics(at)


def test_performance_is_fetched_once_and_shown_on_every_page(standin):
    at = live_app(standin)
    at.toggle(key="metrics").set_value(True).run()
    assert not at.exception
    assert analytics_requests(standin) == 5, "one per campaign"
    shown = metrics(at)
    assert shown["Reply rate (all time)"].endswith("%")
    assert len(at.get("vega_lite_chart")) == 8, (
        "plus all-time reply and bounce rate per client and tag"
    )
    at.switch_page(CAMPAIGNS_PAGE).run()
    assert {"unique_sent_count", "reply_rate", "bounce_rate"} <= set(table(at).columns)
    at.switch_page(HEALTH_PAGE).run()
    rules = at.dataframe[0].value.set_index("title")
    assert rules.loc["High bounce rate", "note"] == "", "the metric rules are evaluated"
    for _ in range(3):
        at.switch_page(OVERVIEW_PAGE).run()
    assert analytics_requests(standin) == 5, "cached per campaign"


def test_a_campaign_whose_analytics_fail_is_listed_and_the_rest_still_show(standin):
    standin.always("/campaigns/103/analytics", Reply.server_error())
    at = live_app(standin)
    at.toggle(key="metrics").set_value(True).run()
    assert not at.exception
    assert [e.label for e in at.expander] == ["Performance is missing for 1 campaign"]
    missing = at.dataframe[0].value
    assert missing["id"].tolist() == [103]
    assert "SmartLead" in missing["reason"].iloc[0]
    at.switch_page(CAMPAIGNS_PAGE).run()
    rows = table(at).set_index("id")
    assert rows["unique_sent_count"].notna().sum() == 4


def test_campaigns_created_after_the_last_fetch_are_not_hidden_by_the_date_filters(standin):
    at = live_app(standin)
    created = "2026-11-27T09:00:00.000Z"
    newest = campaign(
        106, "Brand new", created_at=created, updated_at=created, max_leads_per_day=900
    )
    standin.portfolios[TEST_KEY].insert(0, newest)
    next(b for b in at.button if b.label == "Refresh").click().run()
    assert metrics(at)["Campaigns shown"] == "6", "untouched range filters follow the data"


def test_a_narrowed_date_filter_keeps_its_moved_side_after_a_refresh(standin):
    at = live_app(standin)
    at.date_input(key="created").set_value((date(2025, 11, 22), date(2025, 11, 24))).run()
    assert metrics(at)["Campaigns shown"] == "3"
    newest = campaign(106, created_at="2026-11-27T09:00:00.000Z")
    standin.portfolios[TEST_KEY].insert(0, newest)
    next(b for b in at.button if b.label == "Refresh").click().run()
    assert at.date_input(key="created").value == (date(2025, 11, 22), date(2025, 11, 24))
    assert metrics(at)["Campaigns shown"] == "3"
