"""The Overview's "Download report" in Chromium: the file downloads, holds the campaigns the
filters show, opens with no network, and a selected client's version names no other client.
The downloaded report is rendered in Chromium and screenshot (docs/report.png, the README's
picture, with ``SMARTLEAD_UPDATE_DOCS=1``)."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import quote

from playwright.sync_api import Page, expect

from smartlead import demo
from smartlead.demo import AWKWARD_NAMES
from tests.e2e.conftest import LIVE_SIZE
from tests.e2e.harness import ROOT, Dashboard, open_page
from tests.report_checks import external_references, parse_html
from tests.standin import CANARY_KEY

METRIC = "[data-testid='stMetric']"
CLIENT = "Northwind Logistics"


def download(page: Page, label: str, tmp_path: Path) -> str:
    """Click the download button called ``label``; the file's text."""
    button = page.get_by_role("button", name=label)
    expect(button).to_be_visible(timeout=60_000)
    with page.expect_download(timeout=60_000) as started:
        button.click()
    target = tmp_path / started.value.suggested_filename
    started.value.save_as(target)
    assert target.suffix == ".html"
    return target.read_text(encoding="utf-8")


def section_text(document: str, key: str) -> str:
    start = document.index(f'<section id="{key}">')
    return document[start : document.index("</section>", start)]


def test_the_overview_downloads_the_report_of_what_the_filters_show(
    page: Page, dashboard: Dashboard, tmp_path: Path
):
    open_page(page, f"{dashboard.url}/?status=ACTIVE", METRIC)
    document = download(page, "Download report", tmp_path)
    assert document.startswith("<!DOCTYPE html>")
    assert external_references(document) == []
    overview = section_text(document, "overview")
    active = sum(
        1
        for record in demo.demo_campaigns(300, seed=7)
        if isinstance(record, dict) and record.get("status") == "ACTIVE"
    )
    assert f"{active:,} campaigns" in overview
    assert "paused" not in overview.lower(), "the status filter is applied"
    assert "for the campaigns shown (filters applied)" in document
    assert '<section id="health">' in document
    assert "<svg" in document

    # The report opens in the browser with no network: nothing is requested.
    requests: list[str] = []
    viewer = page.context.new_page()
    viewer.on("request", lambda request: requests.append(request.url))
    viewer.set_viewport_size({"width": 1000, "height": 1400})
    viewer.set_content(document, wait_until="load")
    expect(viewer.get_by_role("heading", name="SmartLead portfolio report")).to_be_visible()
    assert requests == []
    shots = ROOT / "artifacts" / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    viewer.screenshot(path=str(shots / "report.png"), full_page=False)
    if os.environ.get("SMARTLEAD_UPDATE_DOCS") == "1":
        viewer.screenshot(path=str(ROOT / "docs" / "report.png"), full_page=False)
    viewer.close()


def test_a_selected_client_gets_a_version_that_names_no_other_client(
    page: Page, dashboard: Dashboard, tmp_path: Path
):
    open_page(page, f"{dashboard.url}/?client={quote(CLIENT)}", METRIC)
    document = download(page, f"Download the report for {CLIENT}", tmp_path)
    parsed = parse_html(document)
    assert "script" not in parsed.tags
    assert external_references(document) == []
    assert f"Campaign report: {CLIENT}" in document
    others = [c["name"] for c in demo.demo_clients() if c["name"] != CLIENT]
    for name in others:
        assert name not in document, name
    assert '<section id="health">' not in document, "no settings audit for a client"
    assert "finding" not in document.lower()


def test_a_live_dashboard_reports_its_own_account_with_the_key_nowhere(
    page: Page, team_dashboard: Dashboard, tmp_path: Path
):
    open_page(page, team_dashboard.url, METRIC)
    document = download(page, "Download report", tmp_path)
    assert external_references(document) == []
    assert CANARY_KEY not in document
    assert f"{LIVE_SIZE} campaigns" in section_text(document, "overview")
    changes = section_text(document, "changes")
    # The dashboard saved a snapshot of this very load: compared with it, nothing changed.
    assert "0 changes." in changes
    parsed = parse_html(document)
    assert "script" not in parsed.tags
    for name in AWKWARD_NAMES:  # every awkward name is text, never markup
        assert "<" not in name or name not in document
