"""Issue 17 in Chromium: hostile names, colours and error text do nothing in a real browser.

AppTest sees the Markdown the server sends; only a browser shows what the renderer makes of it:
whether an image is fetched, a link is made, LaTeX or colour is rendered, a bar is hidden.
Every test records the browser's requests: none may go anywhere but the dashboard itself (the
hostile values all point at ``attacker.invalid``).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from urllib.parse import quote

import pytest
from playwright.sync_api import Locator, Page, expect

from smartlead import audit, vocab
from smartlead.frame import campaigns_frame
from smartlead.views import sort_campaigns
from tests.e2e.conftest import serving
from tests.e2e.harness import Dashboard, open_page, settle
from tests.e2e.test_dashboard import SIDEBAR, connect, download, go_to, metric
from tests.standin import Reply, StandinSmartlead, sample_campaigns
from tests.standin_hostile import (
    ATTACKER,
    DUPLICATE_ID,
    HOSTILE_KEY,
    LONG_KEY,
    PARENT_ID,
    hostile_clients,
    hostile_portfolio,
    leaked_fragment,
    markdown_error,
    markdown_names,
    serve_client_names_failing,
    serve_hostile,
)

ATTACKER_HOST = ATTACKER.split("//")[1]
NOTICE_KEY = "sk-NOTICE-CANARY-5a2c"
"""An account whose client names fail with Markdown, LaTeX and bare URLs in the error text."""
FILLS = (
    "chart => [...chart.querySelectorAll('svg .mark-rect path')].map(p => p.getAttribute('fill'))"
)
"""The fill of every bar a chart drew."""
TABLE = "[data-testid='stDataFrame']"
HEADING = "[data-testid='stMain'] h3"
LINK = "a:not([href^='#'])"
"""A link that leaves the page (a heading's own anchor links to itself)."""
"""A subheading of the page itself (the sidebar has its own)."""
ROW = 35
"""Pixels per row of Streamlit's table (header included)."""


@pytest.fixture(scope="module")
def hostile_dashboard(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Dashboard]:
    """A team deployment of an account full of hostile values: every visitor sees it without
    typing anything. Typing :data:`NOTICE_KEY` shows an account whose client names fail with
    hostile text."""
    server = StandinSmartlead()
    serve_hostile(server)
    server.portfolios[NOTICE_KEY] = sample_campaigns()
    serve_client_names_failing(server, NOTICE_KEY, markdown_error())
    with (
        server,
        serving("hostile", server, tmp_path_factory, SMARTLEAD_API_KEY=HOSTILE_KEY) as running,
    ):
        yield running


ECHO_TITLE = (
    f"![x]({ATTACKER}/err.png) :red[down] $\\sqrt{{2}}$ see {ATTACKER}/status key {LONG_KEY}"
)
"""An upstream error page whose title renders as Markdown, holds a bare URL and echoes the key."""


@pytest.fixture(scope="module")
def long_key_dashboard(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Dashboard]:
    """A team deployment with a 10 kB key, behind an upstream that answers with an error page
    echoing it (finding 7's case: an anonymous visitor, a server-configured key)."""
    server = StandinSmartlead()
    server.always("/campaigns", Reply.html(502, title=ECHO_TITLE))
    with (
        server,
        serving("long-key", server, tmp_path_factory, SMARTLEAD_API_KEY=LONG_KEY) as running,
    ):
        yield running


def assert_only_own_origin(requested: list[str], dashboard: Dashboard) -> None:
    foreign = [
        url
        for url in requested
        if not url.startswith((dashboard.url + "/", "data:", "blob:", "about:"))
    ]
    assert not [url for url in requested if ATTACKER_HOST in url], "the attacker's host was asked"
    assert foreign == [], "the browser asked another server for something"


def assert_inert(page: Page) -> None:
    """Nothing hostile became live: no image, link, LaTeX or coloured text of the attacker's."""
    assert page.locator(f"img[src*='{ATTACKER_HOST}']").count() == 0
    assert page.locator(f"a[href*='{ATTACKER_HOST}']").count() == 0
    assert page.locator("a[href^='mailto:']").count() == 0
    assert page.locator(".katex").count() == 0, "LaTeX was rendered"
    assert page.locator("[data-testid='stMarkdownColoredText'], .red").count() == 0
    assert page.dialogs == []  # type: ignore[attr-defined]


def read(locator: Locator) -> str:
    """What a person reads in an element (the invisible word joiners left out)."""
    expect(locator).to_be_visible()
    return locator.inner_text().replace("\u2060", "")


def select_row(page: Page, row: int) -> None:
    """Tick the selection cell of the table's ``row`` (0 = first data row)."""
    box = page.locator(TABLE).first.bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + 18, box["y"] + ROW + row * ROW + ROW / 2)
    settle(page)


# ------------------------------------------------------------------------ 3, 4, 12: Overview


def test_hostile_colours_and_client_names_do_nothing_on_the_overview(
    page: Page, hostile_dashboard: Dashboard, requests_made: list[str]
) -> None:
    open_page(page, hostile_dashboard.url, "[data-testid='stMetric']")
    records = hostile_portfolio()
    assert metric(page, "Campaigns shown") == str(len(records))
    # 3: every tag's bars are drawn, each in a plain colour.
    tag_chart = page.locator(".vega-embed").filter(has_text="Campaigns per tag").first
    tag_chart.scroll_into_view_if_needed()
    fills = tag_chart.evaluate(FILLS)
    tags = {tag["tag_name"] for record in records for tag in record["tags"]}
    assert len(fills) == 2 * (len(tags) + 1), "two bars per tag and for the untagged group"
    assert all(re.fullmatch(r"#[0-9a-fA-F]{3}([0-9a-fA-F]{3})?", fill or "") for fill in fills), (
        fills
    )
    # 12: a client literally named "(no client)" is an option of its own.
    label = page.locator("[data-testid='stWidgetLabel']").filter(has_text=re.compile(r"^Client$"))
    box = page.locator(SIDEBAR).locator("[data-testid='stMultiSelect']").filter(has=label)
    box.scroll_into_view_if_needed()
    box.click()
    expect(page.get_by_role("option", name="(no client) (#41)", exact=True)).to_be_visible()
    expect(page.get_by_role("option", name=vocab.NO_CLIENT, exact=True)).to_be_visible()
    logo = hostile_clients()[1]["name"]
    expect(page.get_by_role("option", name=logo, exact=True)).to_be_visible()
    page.keyboard.press("Escape")
    assert_inert(page)
    assert_only_own_origin(requests_made, hostile_dashboard)


def test_upstream_error_text_in_the_sidebar_notice_is_shown_as_text(
    page: Page, hostile_dashboard: Dashboard, requests_made: list[str]
) -> None:
    open_page(page, hostile_dashboard.url, "[data-testid='stMetric']")
    connect(page, NOTICE_KEY)
    assert metric(page, "Campaigns shown") == str(len(sample_campaigns()))
    notice = page.locator(SIDEBAR).get_by_text("Client names are unavailable", exact=False)
    assert f"![x]({ATTACKER}/err.png) :red[down] $\\sqrt{{2}}$ see {ATTACKER}/status" in read(
        notice
    )
    assert notice.locator("a, img").count() == 0
    assert_inert(page)
    assert_only_own_origin(requests_made, hostile_dashboard)


# --------------------------------------------------------------------------- 2, 10: Campaigns


def open_details(page: Page, dashboard: Dashboard, name_filter: str) -> None:
    """The Campaigns page filtered to one campaign, with its details open."""
    open_page(page, f"{dashboard.url}/campaigns?q={quote(name_filter)}", TABLE)
    select_row(page, 0)
    expect(page.locator(HEADING).first).to_be_visible()


def test_subsequence_buttons_and_headings_show_hostile_names_as_text(
    page: Page, hostile_dashboard: Dashboard, requests_made: list[str]
) -> None:
    open_details(page, hostile_dashboard, "Parent of hostile children")
    expect(page.locator(HEADING).first).to_have_text(f"Parent of hostile children (#{PARENT_ID})")
    buttons = page.locator("[data-testid='stButton'] button").filter(has_text="· ACTIVE")
    expect(buttons).to_have_count(len(markdown_names()))
    labels = [text.strip() for text in buttons.all_inner_texts()]
    for offset, name in enumerate(markdown_names().values(), start=1):
        expected = f"{name} (#{PARENT_ID + offset}) · ACTIVE"
        assert any(expected in label.replace("\u2060", "") for label in labels), (expected, labels)
    assert buttons.locator("img, a, strong, .katex").count() == 0
    # 10: the subsequence named with a bare URL opens, and its heading is no link either.
    buttons.filter(has_text="Visit").click()
    settle(page)
    heading = page.locator(HEADING).first
    assert read(heading) == f"Visit {ATTACKER}/landing now (#{PARENT_ID + 4})"
    assert heading.locator(LINK).count() == 0
    assert_inert(page)
    assert_only_own_origin(requests_made, hostile_dashboard)


@pytest.mark.parametrize("name", ["Landing page", "See www", "Write to boss"])
def test_a_bare_address_in_a_name_is_no_link_in_the_heading(
    page: Page, hostile_dashboard: Dashboard, requests_made: list[str], name: str
) -> None:
    open_details(page, hostile_dashboard, name)
    heading = page.locator(HEADING).first
    assert read(heading).startswith(name)
    assert heading.locator(LINK).count() == 0
    assert_inert(page)
    assert_only_own_origin(requests_made, hostile_dashboard)


# --------------------------------------------------------------------------- 11: repeated ids


def test_clicking_a_row_whose_id_repeats_opens_that_row(
    page: Page, hostile_dashboard: Dashboard
) -> None:
    records = hostile_portfolio()
    client = hostile_clients()[1]["name"]
    frame = campaigns_frame(records, hostile_clients())
    shown = sort_campaigns(frame[frame["client_name"] == client], "Newest first")
    open_page(page, f"{hostile_dashboard.url}/campaigns?client={quote(client)}", TABLE)
    for name in ("second", "third", "first"):
        row = shown["name"].tolist().index(name)
        select_row(page, row)
        expect(page.locator(HEADING).first).to_have_text(f"{name} (#{DUPLICATE_ID})")
        expect(page.locator("[data-testid='stAlertContentWarning']")).to_contain_text(
            f"3 campaigns in this portfolio carry id #{DUPLICATE_ID}"
        )


# --------------------------------------------------------------------------- 13: Health CSV


def test_the_health_csv_holds_the_findings_of_the_rule_shown(
    page: Page, hostile_dashboard: Dashboard
) -> None:
    frame = campaigns_frame(hostile_portfolio(), hostile_clients())
    rules = audit.summarize(audit.run_audit(frame), frame=frame)
    first_broken = int((rules["campaigns"] > 0).to_numpy().argmax())
    open_page(page, f"{hostile_dashboard.url}/health", TABLE)
    select_row(page, first_broken)  # a rule that some campaigns break
    heading = page.locator(HEADING).filter(has_text="campaigns").first.inner_text()
    listed = int(re.search(r": ([\d,]+) campaigns", heading).group(1).replace(",", ""))
    with download(page, "Download these findings (CSV)").open(
        encoding="utf-8-sig", newline=""
    ) as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == listed
    assert {row["title"] for row in rows} == {heading.split(":")[0]}
    go_to(page, "Overview")


# ----------------------------------------------------------------------- 4, 7, 10: the error box


def test_an_anonymous_visitor_sees_the_upstreams_error_as_text_and_no_part_of_the_key(
    page: Page, long_key_dashboard: Dashboard, requests_made: list[str]
) -> None:
    open_page(page, long_key_dashboard.url, "[data-testid='stAlertContentError']")
    alert = page.locator("[data-testid='stAlertContentError']")
    shown = read(alert)
    assert "SmartLead is having trouble" in shown
    assert f"![x]({ATTACKER}/err.png) :red[down] $\\sqrt{{2}}$ see {ATTACKER}/status" in shown
    assert alert.locator("a, img").count() == 0
    for text in (page.content(), page.locator("body").inner_text(), page.url):
        assert leaked_fragment(text.replace("\u2060", ""), LONG_KEY) is None
    assert leaked_fragment(long_key_dashboard.log(), LONG_KEY) is None
    assert_inert(page)
    assert_only_own_origin(requests_made, long_key_dashboard)
