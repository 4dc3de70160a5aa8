"""Issue 18 in Chromium: a click that changes one part of a page reruns that part only.

Picking a rule on the Health page lists the campaigns behind it; nothing else on the page
changes, so only that part runs again (``st.fragment``): the score, the sidebar and the trend
are not sent again. What reaches the browser after the click is read from Streamlit's own
messages on the websocket, as ``bench/bench_scale.py`` does.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from playwright.sync_api import Page, expect
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from tests.e2e.harness import Dashboard, open_page, settle
from tests.e2e.test_dashboard import DEMO_FRAME

TABLE = "[data-testid='stDataFrame']"
HEADING = "[data-testid='stMain'] h3"
SIDEBAR = "[data-testid='stSidebar']"


class Elements:
    """The kinds of elements the server sends (``metric``, ``dataframe``, …)."""

    def __init__(self, page: Page) -> None:
        self.kinds: list[str] = []
        page.on("websocket", lambda socket: socket.on("framereceived", self.add))

    def add(self, payload: bytes | str) -> None:
        message = ForwardMsg()
        message.ParseFromString(payload.encode() if isinstance(payload, str) else payload)
        delta = message.delta if message.WhichOneof("type") == "delta" else None
        if delta is not None and delta.WhichOneof("type") == "new_element":
            self.kinds.append(delta.new_element.WhichOneof("type") or "other")


def pick_first_rule(page: Page) -> None:
    rules = page.locator(TABLE).first
    rules.scroll_into_view_if_needed()
    box = rules.bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + 18, box["y"] + 35 + 18)  # the first rule's selection cell


def test_picking_a_rule_on_health_reruns_the_findings_only(page: Page, dashboard: Dashboard):
    sent = Elements(page)
    open_page(page, f"{dashboard.url}/health", TABLE)
    expect(page.get_by_text("Settings score per snapshot, and now")).to_be_visible()
    assert "metric" in sent.kinds, "a whole run sends the score and the severity counts"

    sent.kinds.clear()
    pick_first_rule(page)
    behind = page.locator(HEADING).filter(has_text=re.compile(r": [\d,]+ campaigns$"))
    expect(behind).to_be_visible()
    settle(page)
    assert "dataframe" in sent.kinds, "the rules and the campaigns behind the rule"
    assert "metric" not in sent.kinds, "the score and the counts are not sent again"
    assert "vega_lite_chart" not in sent.kinds, "nor the trend"
    # The rest of the page is still there, as it was.
    expect(page.locator("[data-testid='stMetric']").first).to_contain_text("Health score")
    expect(page.get_by_text("Settings score per snapshot, and now")).to_be_visible()

    # A filter in the sidebar still reruns the whole page, the score with it.
    sent.kinds.clear()
    page.goto(f"{dashboard.url}/health?status=ACTIVE")
    page.wait_for_selector(TABLE)
    settle(page)
    assert "metric" in sent.kinds


def test_picking_a_campaign_reruns_the_table_and_its_settings_only(
    page: Page, dashboard: Dashboard
):
    sent = Elements(page)
    open_page(page, f"{dashboard.url}/campaigns", TABLE)
    sort_box = page.locator("[data-testid='stSelectbox']").filter(has_text="Sort by")
    expect(sort_box).to_be_visible()

    for row in (0, 1):
        sent.kinds.clear()
        before = "\n".join(page.locator(HEADING).all_inner_texts())
        table = page.locator(TABLE).first
        box = table.bounding_box()
        assert box is not None
        page.mouse.click(box["x"] + 18, box["y"] + 35 + row * 35 + 18)
        expect(page.locator(HEADING).first).to_contain_text("(#")
        expect(page.locator(HEADING).first).not_to_have_text(before)
        settle(page)
        assert "dataframe" in sent.kinds, "the table and the campaign's settings"
        assert "selectbox" not in sent.kinds, "neither the sort order nor the sidebar again"
        assert "multiselect" not in sent.kinds
    expect(sort_box).to_be_visible()
    expect(page.locator(SIDEBAR).get_by_text("Filters", exact=True)).to_be_visible()


def test_a_parent_or_subsequence_opens_in_the_same_part_of_the_page(
    page: Page, dashboard: Dashboard
):
    children = DEMO_FRAME[DEMO_FRAME["parent_campaign_id"].notna()]
    parent = DEMO_FRAME[DEMO_FRAME["id"] == children["parent_campaign_id"].iloc[0]].iloc[0]
    open_page(page, f"{dashboard.url}/campaigns?q={quote(str(parent['name']))}", TABLE)
    box = page.locator(TABLE).first.bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + 18, box["y"] + 35 + 18)
    expect(page.locator(HEADING).first).to_contain_text("(#")
    settle(page)
    shown = page.locator(HEADING).first.inner_text()
    other = page.locator("[data-testid='stMain'] button").filter(has_text="(#").first
    # "Name (#id)" for the parent, "Name (#id) · STATUS" for a subsequence, after its icon
    target = re.search(r"([^\n]*\(#\d+\))", other.inner_text()).group(1).strip()
    sent = Elements(page)  # from here on
    other.click()
    expect(page.locator(HEADING).first).to_have_text(target)
    settle(page)
    assert target != shown
    assert "selectbox" not in sent.kinds, "neither the sort order nor the sidebar again"
    assert "multiselect" not in sent.kinds
