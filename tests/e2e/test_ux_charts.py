"""Issue 16's chart points in Chromium at 1400 × 1000: a readable week heatmap on a scale from
zero (#2, #11), whole-number count axes and words for an empty chart (#8), one Changes
timeline look (#9), and tag colours that read apart (the near-grey demo tag included)."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Locator, Page, expect

from smartlead import vocab
from smartlead.colors import MIN_DISTANCE, distance
from tests.builders import campaign, sample_clients
from tests.e2e.conftest import serving
from tests.e2e.harness import Dashboard, open_page
from tests.standin import StandinSmartlead

FEW_KEY = "sk-FEW-CANARY-6c1f"
ROUND_THE_CLOCK = {
    "tz": "UTC",
    "days": [0, 1, 2, 3, 4, 5, 6],
    "startHour": "00:00",
    "endHour": "23:59",
}
FEW = [
    campaign(1, "Always on", client_id=11, scheduler_cron_value=ROUND_THE_CLOCK),
    campaign(2, "Office hours", client_id=11),
    campaign(3, "On hold", client_id=12, status="PAUSED"),
]
"""Three campaigns: one sends every hour of the week, one office hours, one is paused; so
every heatmap cell holds 1 or 2 campaigns and every count axis runs from 0 to 2."""


@pytest.fixture(scope="module")
def few_dashboard(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Dashboard]:
    server = StandinSmartlead(portfolios={FEW_KEY: FEW}, clients={FEW_KEY: sample_clients()})
    with server, serving("few", server, tmp_path_factory, SMARTLEAD_API_KEY=FEW_KEY) as running:
        yield running


def chart(page: Page, title: str) -> Locator:
    """The drawn chart whose title is ``title``."""
    found = page.locator(".vega-embed").filter(has=page.locator("svg text", has_text=title))
    expect(found.first).to_be_visible(timeout=30_000)
    found.first.scroll_into_view_if_needed()
    return found.first


def texts(where: Locator, role: str) -> list[str]:
    """The drawn text of every element of a Vega role (e.g. 'axis-label', 'legend-label')."""
    return [t.strip() for t in where.locator(f"svg .role-{role} text").all_text_contents()]


HEATMAP = "When the portfolio sends"


def test_every_weekday_of_the_heatmap_has_a_named_row_of_readable_height(
    page: Page, few_dashboard: Dashboard
):
    open_page(page, f"{few_dashboard.url}/schedule", "[data-testid='stMetric']")
    heatmap = chart(page, HEATMAP)
    labels = heatmap.locator("svg .role-axis-label text")
    days = [
        label for label in labels.all() if (label.text_content() or "").strip() in vocab.WEEKDAYS
    ]
    assert [(day.text_content() or "").strip() for day in days] == list(vocab.WEEKDAYS)
    tops = [day.bounding_box()["y"] for day in days]
    rows = [below - above for above, below in itertools.pairwise(tops)]
    assert min(rows) >= 24, f"weekday rows {rows} px apart"
    hours = [label for label in labels.all() if (label.text_content() or "").strip().isdigit()]
    assert len(hours) == 24, "every hour is labelled"
    assert all("rotate" not in (h.get_attribute("transform") or "") for h in hours)


def test_the_heatmap_colour_scale_starts_at_zero(page: Page, few_dashboard: Dashboard):
    open_page(page, f"{few_dashboard.url}/schedule", "[data-testid='stMetric']")
    legend = texts(chart(page, HEATMAP), "legend-label")
    assert legend[0] == "0", f"the scale starts at {legend[0]} (every cell holds 1 or 2)"


WHOLE = re.compile(r"^\d[\d,]*$")


def test_count_axes_show_whole_campaigns_only(page: Page, few_dashboard: Dashboard):
    open_page(page, few_dashboard.url, "[data-testid='stMetric']")
    for title in ("Campaigns by status", "Campaigns per tag", "Distribution of daily"):
        numbers = [t for t in texts(chart(page, title), "axis-label") if t[:1].isdigit()]
        assert numbers, title
        assert all(WHOLE.match(t) for t in numbers), (title, numbers)


def test_a_chart_with_nothing_to_draw_says_so_in_words(page: Page, few_dashboard: Dashboard):
    open_page(page, f"{few_dashboard.url}/?status=PAUSED", "[data-testid='stMetric']")
    expect(page.get_by_text("No active campaign in this view, so no daily limit")).to_be_visible()
    assert (
        page.locator(".vega-embed")
        .filter(has_text="Daily send limit of active campaigns, per client")
        .count()
        == 0
    )
    open_page(page, f"{few_dashboard.url}/schedule?status=PAUSED", "[data-testid='stMetric']")
    expect(page.get_by_text("Every hour of this week is empty.")).to_be_visible()
    expect(page.get_by_text("No active campaign in this view, so nothing")).to_have_count(3)


def test_the_changes_timeline_has_one_legend_one_line_colour_and_one_date_format(
    page: Page, dashboard: Dashboard
):
    open_page(page, f"{dashboard.url}/changes", "[data-testid='stMetric']")
    timeline = chart(page, "Daily send limit of active campaigns, per snapshot")
    assert texts(timeline, "legend-title") == ["Status"], "one legend, for the stacked statuses"
    line = timeline.locator("svg .mark-line.role-mark path").first
    points = timeline.locator("svg .mark-symbol.role-mark path")
    assert points.count() >= 2
    colour = line.get_attribute("stroke")
    assert {points.nth(i).get_attribute("fill") for i in range(points.count())} == {colour}
    dates = [t for t in texts(timeline, "axis-label") if not t[:1].isdigit() or " " in t]
    assert dates
    assert all(re.fullmatch(r"\d\d [A-Z][a-z]{2}", t) for t in dates), dates


def test_tag_bars_read_apart_from_each_other_and_from_the_untagged_grey(
    page: Page, dashboard: Dashboard
):
    open_page(page, dashboard.url, "[data-testid='stMetric']")
    bars = chart(page, "Campaigns per tag").locator("svg .mark-rect path[aria-label*='Tag: ']")
    fills: dict[str, str] = {}
    for i in range(bars.count()):
        label = bars.nth(i).get_attribute("aria-label") or ""
        name = re.search(r"Tag: ([^;]+)", label).group(1).strip()
        fills[name] = bars.nth(i).get_attribute("fill") or ""
    assert fills[vocab.UNTAGGED].lower() == vocab.UNTAGGED_COLOR.lower()
    assert distance(fills["Test"], vocab.UNTAGGED_COLOR) >= MIN_DISTANCE, "Test looked untagged"
    colours = list(fills.values())
    closest = min(distance(a, b) for i, a in enumerate(colours) for b in colours[i + 1 :] if a != b)
    assert closest >= MIN_DISTANCE - 0.005
    assert len(set(colours)) == len(colours)
