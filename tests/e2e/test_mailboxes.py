"""The Mailboxes page in Chromium: loading on request, the table and its downloads, the way
from a campaign to its mailboxes and back, and no mailbox password anywhere the browser sees.

The stand-in serves the live portfolio's mailboxes (the demo's, for it) with canary passwords
in every record, as SmartLead serves real ones.
"""

from __future__ import annotations

import csv
import json
import re
from urllib.parse import parse_qs, urlsplit

from playwright.sync_api import Page, expect

from smartlead import vocab
from smartlead.demo import demo_mailboxes
from tests.builders import PASSWORD_CANARIES
from tests.e2e.conftest import LIVE_KEY, live_portfolio
from tests.e2e.harness import Dashboard, open_page, settle
from tests.e2e.test_dashboard import connect, download, go_to, metric, pick_status
from ui.text import campaign_label

MAILBOXES, LINKS = demo_mailboxes(live_portfolio())
"""What the stand-in serves for the live key (its passwords added on the way out)."""


def load_mailboxes(page: Page) -> None:
    """Press the Mailboxes page's load button and wait for the fetch to finish."""
    button = page.get_by_role("button", name="Load mailboxes")
    expect(button).to_be_visible()
    button.click()
    settle(page)
    expect(page.locator("[data-testid='stMetric']").first).to_be_visible(timeout=60_000)


def mailbox_rows(page: Page) -> int:
    """Rows of the mailbox table (the grid announces its size for screen readers)."""
    table = page.locator("[data-testid='stDataFrame']").filter(
        has=page.locator("[role='columnheader']", has_text=re.compile(r"^\s*Mailbox\s*$"))
    )
    grid = table.locator("[aria-rowcount]").first
    expect(grid).to_be_attached(timeout=30_000)
    return int(grid.get_attribute("aria-rowcount")) - 1  # minus the header row


def a_campaign_with_mailboxes() -> tuple[int, str]:
    """An active live campaign with a plain name and mailboxes: its id and filter label."""
    for record in live_portfolio():
        cid, name = record["id"], record.get("name")
        plain = isinstance(name, str) and name.strip() and not set(name) & set('<=@"')
        if record.get("status") == vocab.ACTIVE and LINKS.get(cid) and plain:
            return cid, campaign_label(name, cid)
    raise AssertionError("the live portfolio has an active campaign with mailboxes")


def test_mailboxes_load_on_request_and_no_password_reaches_the_browser(
    page: Page, dashboard: Dashboard
):
    frames: list[bytes] = []
    page.on(
        "websocket",
        lambda socket: socket.on(
            "framereceived",
            lambda payload: frames.append(
                payload if isinstance(payload, bytes) else payload.encode()
            ),
        ),
    )
    open_page(page, dashboard.url, "[data-testid='stMetric']")
    connect(page, LIVE_KEY)
    go_to(page, "Mailboxes")
    expect(page.get_by_text("Loading them costs")).to_be_visible()
    load_mailboxes(page)
    assert metric(page, "Mailboxes") == f"{len(MAILBOXES):,}"
    assert mailbox_rows(page) == len(MAILBOXES)
    assert page.locator("[data-testid='stException']").count() == 0
    files = [download(page, "Download CSV"), download(page, "Download JSON")]
    with files[0].open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert sorted(int(row["id"]) for row in rows) == sorted(m["id"] for m in MAILBOXES)
    assert len(json.loads(files[1].read_text(encoding="utf-8"))) == len(MAILBOXES)
    seen = [page.content(), page.url]
    go_to(page, "Health")
    expect(page.get_by_role("button", name="Download mailbox findings (CSV)")).to_be_visible()
    files.append(download(page, "Download mailbox findings (CSV)"))
    seen += [page.content(), *(f.read_text(encoding="utf-8-sig") for f in files)]
    seen.append(page.evaluate("JSON.stringify(localStorage) + JSON.stringify(sessionStorage)"))
    seen += [dashboard.log(), dashboard.history_bytes().decode("latin-1")]
    assert frames, "the websocket was watched"
    for canary in PASSWORD_CANARIES:
        assert not any(canary in text for text in seen), f"{canary[:8]}… leaked"
        assert not any(canary.encode() in frame for frame in frames), f"{canary[:8]}… sent"


def test_from_a_campaign_to_its_mailboxes_and_back(page: Page, dashboard: Dashboard):
    campaign_id, label = a_campaign_with_mailboxes()
    open_page(page, dashboard.url, "[data-testid='stMetric']")
    connect(page, LIVE_KEY)
    pick_status(page, "ACTIVE")
    go_to(page, "Mailboxes")
    if page.get_by_role("button", name="Load mailboxes").count():
        load_mailboxes(page)
    picker = page.locator("[data-testid='stMultiSelect']").filter(has_text="Campaigns (their")
    picker.click()
    page.get_by_role("option", name=label, exact=True).click()
    page.keyboard.press("Escape")
    settle(page)
    assert parse_qs(urlsplit(page.url).query).get("mb_campaign") == [label]
    mine = len(LINKS[campaign_id])
    expect(page.get_by_text(f"Showing {mine} of {len(MAILBOXES):,} mailboxes.")).to_be_visible()
    page.get_by_role("button", name=f"Back to {label}").click()
    settle(page)
    settle(page)
    assert urlsplit(page.url).path == "/campaigns"
    expect(page.locator("h3").filter(has_text=label.split(" (#")[0]).first).to_be_visible()
    show = page.get_by_role("button", name="Show these on the Mailboxes page")
    expect(show).to_be_visible()
    show.click()
    settle(page)
    settle(page)
    assert urlsplit(page.url).path == "/mailboxes"
    params = parse_qs(urlsplit(page.url).query)
    assert params.get("mb_campaign") == [label], "a link that opens the same view"
    assert params.get("status") == ["ACTIVE"], "the shared filters come along"
    expect(page.get_by_text(f"Showing {mine} of {len(MAILBOXES):,} mailboxes.")).to_be_visible()
