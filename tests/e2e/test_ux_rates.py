"""Issue 16 in Chromium: rates that read at a glance on the Overview. Replies are green (good),
bounces red (bad), and the bounce rate Health flags is a named dashed line on the chart."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from smartlead import audit
from smartlead.charts import BAD_COLOR, GOOD_COLOR
from tests.e2e.harness import Dashboard, open_page
from tests.e2e.test_ux_charts import chart

BARS = (
    "chart => [...chart.querySelectorAll('svg .mark-rect path')].map(p => p.getAttribute('fill'))"
)
RULES = (
    "chart => [...chart.querySelectorAll('svg .mark-rule.role-mark line')]"
    ".map(l => [l.getAttribute('stroke'), l.getAttribute('stroke-dasharray')])"
)


def test_the_windows_rate_chart_colours_replies_good_bounces_bad_and_shows_the_limit(
    page: Page, dashboard: Dashboard
):
    open_page(page, dashboard.url, "[data-testid='stMetric']")
    rates = chart(page, "Reply and bounce rate per client")
    fills = {fill.lower() for fill in rates.evaluate(BARS)}
    assert fills == {GOOD_COLOR, BAD_COLOR}, fills
    limit = audit.DEFAULT_SETTINGS.max_window_bounce_rate
    expect(rates.locator("svg text", has_text=f"Bounce limit {limit:.0%} (Health)")).to_be_visible()
    stroke, dashes = rates.evaluate(RULES)[0]
    assert stroke.lower() == BAD_COLOR
    assert dashes
