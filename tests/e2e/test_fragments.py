"""Issue 18 in Chromium: a click that changes one part of a page reruns that part only.

Picking a rule on the Health page lists the campaigns behind it; nothing else on the page
changes, so only that part runs again (``st.fragment``): the score, the sidebar and the trend
are not sent again. What reaches the browser after the click is read from Streamlit's own
messages on the websocket, as ``bench/bench_scale.py`` does.
"""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from tests.e2e.harness import Dashboard, open_page, settle

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
