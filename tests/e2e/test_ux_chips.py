"""Issue 16 in Chromium: tag chips in the tag's own colour, in the sidebar's tag filter and in
a campaign's details, with a readable text colour, and a hostile tag name still plain text.

The colours are read the way a person sees them: the computed style of each chip."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import quote

import pytest
from playwright.sync_api import Page, expect

from smartlead.colors import parse_hex, text_color_on
from tests.builders import campaign, sample_clients, tag
from tests.e2e.conftest import serving
from tests.e2e.harness import Dashboard, open_page, settle
from tests.e2e.test_dashboard import SIDEBAR
from tests.standin import StandinSmartlead

CHIPS_KEY = "sk-CHIPS-CANARY-4e1f7a"
HOSTILE_TAG = (
    '"]{}</style><script>window.__pwned=1</script>'
    '<img src=x onerror="window.__pwned=2"> \\\'\n*{display:none}'
)
"""A tag name that tries to close the CSS string, the rule and the ``<style>`` element."""
COLORS = {"EMEA": "#C0392B", "Webinar": "#FFEB3B", HOSTILE_TAG: "#2E7D32"}
"""Three tags: one dark (white text), one light (black text), one hostile."""
CHIPS = f"{SIDEBAR} .st-key-tag [data-tag]"
"""The chosen tags' chips in the sidebar's tag filter."""
CHIP_STYLES = """selector => [...document.querySelectorAll(selector)].map(chip => ({
    name: chip.querySelector('span[title]').textContent,
    background: getComputedStyle(chip).backgroundColor,
    color: getComputedStyle(chip.querySelector('span[title]')).color,
}))"""
"""Each chip's name as shown, its computed background and its text's computed colour."""


def rgb(color: str) -> str:
    """A hex colour as Chromium's computed style writes it."""
    red, green, blue = parse_hex(color)
    return f"rgb({red}, {green}, {blue})"


def portfolio() -> list[dict]:
    tags = {name: tag(number, name, color) for number, (name, color) in enumerate(COLORS.items())}
    return [
        campaign(301, "Europe push", client_id=11, tags=[tags["EMEA"], tags["Webinar"]]),
        campaign(302, "Webinar series", client_id=12, tags=[tags["Webinar"]]),
        campaign(303, "Strange tags", client_id=11, tags=[tags[HOSTILE_TAG], tags["EMEA"]]),
        campaign(304, "No tags", status="PAUSED", client_id=12),
    ]


@pytest.fixture(scope="module")
def chips_dashboard(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Dashboard]:
    """A team deployment of an account whose tags have their own colours, one tag hostile."""
    server = StandinSmartlead(
        portfolios={CHIPS_KEY: portfolio()}, clients={CHIPS_KEY: sample_clients()}
    )
    with (
        server,
        serving("chips", server, tmp_path_factory, SMARTLEAD_API_KEY=CHIPS_KEY) as running,
    ):
        yield running


def link(*tags: str) -> str:
    return "&".join(f"tag={quote(name)}" for name in tags)


def open_with_chips(page: Page, url: str, count: int) -> None:
    """Open ``url`` and wait for the tag filter to show its ``count`` chips (the script's
    first run may finish before the browser has drawn the sidebar's widgets)."""
    open_page(page, url, "h1")
    expect(page.locator(CHIPS)).to_have_count(count, timeout=30_000)
    settle(page)


def assert_nothing_injected(page: Page, dashboard: Dashboard, requests_made: list[str]) -> None:
    """The hostile name ran no script, made no element and asked no other server."""
    assert page.evaluate("window.__pwned") is None
    assert page.locator("img[src='x']").count() == 0
    assert page.dialogs == []  # type: ignore[attr-defined]
    own = (dashboard.url + "/", "data:", "blob:", "about:")
    assert [url for url in requests_made if not url.startswith(own)] == []
    assert page.locator(SIDEBAR).is_visible(), "no rule of the name's hid the page"


def test_the_tag_filters_chips_wear_their_tags_colours_with_readable_text(
    page: Page, chips_dashboard: Dashboard, requests_made: list[str]
):
    open_with_chips(page, f"{chips_dashboard.url}/?status=ACTIVE&{link('EMEA', 'Webinar')}", 2)
    chips = page.evaluate(CHIP_STYLES, CHIPS)
    assert chips == [
        {"name": name, "background": rgb(COLORS[name]), "color": rgb(text_color_on(COLORS[name]))}
        for name in ("EMEA", "Webinar")
    ]
    assert chips[0]["color"] == "rgb(255, 255, 255)", "white on the dark red"
    assert chips[1]["color"] == "rgb(0, 0, 0)", "black on the yellow"
    # Only the tag filter's chips: the status filter's chip keeps the theme's colour.
    (status_chip,) = page.evaluate(CHIP_STYLES, f"{SIDEBAR} .st-key-status [data-tag]")
    assert status_chip["background"] not in {rgb(color) for color in COLORS.values()}
    # Taken out and picked again in the browser: coloured on the run the pick starts.
    page.locator(f"{CHIPS} button[aria-label='Remove Webinar']").click()
    expect(page.locator(CHIPS)).to_have_count(1)
    settle(page)
    page.locator(f"{SIDEBAR} .st-key-tag [data-testid='stMultiSelect']").click()
    page.get_by_role("option", name="Webinar", exact=True).click()
    page.keyboard.press("Escape")
    expect(page.locator(CHIPS)).to_have_count(2)
    settle(page)
    picked = page.evaluate(CHIP_STYLES, CHIPS)
    assert [(chip["name"], chip["background"]) for chip in picked] == [
        ("EMEA", rgb(COLORS["EMEA"])),
        ("Webinar", rgb(COLORS["Webinar"])),
    ]
    assert_nothing_injected(page, chips_dashboard, requests_made)


def test_a_hostile_tag_name_is_a_chip_of_its_colour_and_nothing_else(
    page: Page, chips_dashboard: Dashboard, requests_made: list[str]
):
    open_with_chips(page, f"{chips_dashboard.url}/?{link(HOSTILE_TAG, 'EMEA')}", 2)
    chips = page.evaluate(CHIP_STYLES, CHIPS)
    assert [(chip["background"], chip["color"]) for chip in chips] == [
        (rgb(COLORS[HOSTILE_TAG]), rgb(text_color_on(COLORS[HOSTILE_TAG]))),
        (rgb(COLORS["EMEA"]), "rgb(255, 255, 255)"),
    ], "the escaped selector picks the hostile chip by its exact name"
    shown = page.locator(CHIPS).first.locator("span[title]").get_attribute("title")
    assert shown == HOSTILE_TAG
    styles = page.evaluate(
        "[...document.querySelectorAll('style')].filter(s => s.textContent.includes('data-tag'))"
        ".map(s => s.parentElement.children.length)"
    )
    assert styles == [1], "one <style> element, alone in its container: nothing broke out"
    assert_nothing_injected(page, chips_dashboard, requests_made)


def test_a_campaigns_details_show_its_tags_as_chips_in_their_colours(
    page: Page, chips_dashboard: Dashboard, requests_made: list[str]
):
    open_page(page, f"{chips_dashboard.url}/campaigns?q=Strange", "[data-testid='stDataFrame']")
    table = page.locator("[data-testid='stDataFrame']").first.bounding_box()
    assert table is not None
    page.mouse.click(table["x"] + 18, table["y"] + 35 + 35 / 2)  # the first row's tick box
    settle(page)
    page.wait_for_selector(".tag-chip", timeout=30_000)
    chips = page.evaluate(
        """[...document.querySelectorAll('.tag-chip')].map(chip => ({
            name: chip.textContent,
            background: getComputedStyle(chip).backgroundColor,
            color: getComputedStyle(chip).color,
        }))"""
    )
    assert chips == [
        {"name": name, "background": rgb(COLORS[name]), "color": rgb(text_color_on(COLORS[name]))}
        for name in (HOSTILE_TAG, "EMEA")
    ]
    assert page.locator(".tag-chips *").count() == 2, "two chips, nothing else in them"
    assert_nothing_injected(page, chips_dashboard, requests_made)


CANVAS_COLOURS = """([frame, wanted]) => {
    const counts = Object.fromEntries(wanted.map(rgb => [rgb.join(','), 0]));
    for (const canvas of document.querySelectorAll(frame + ' canvas')) {
        if (!canvas.width || !canvas.height) continue;
        const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
        for (let i = 0; i < pixels.length; i += 4) {
            const key = pixels[i] + ',' + pixels[i + 1] + ',' + pixels[i + 2];
            if (key in counts) counts[key] += 1;
        }
    }
    return counts;
}"""
"""How many pixels of each wanted colour the table's canvases hold (the grid draws itself)."""


def test_the_campaign_tables_tags_are_drawn_in_their_colours(
    page: Page, chips_dashboard: Dashboard, requests_made: list[str]
):
    frame = "[data-testid='stDataFrame']"
    open_page(page, f"{chips_dashboard.url}/campaigns", frame)
    box = page.locator(frame).first.bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + 100)
    page.mouse.wheel(600, 0)  # across to the Tags column
    page.wait_for_timeout(800)
    wanted = {name: list(parse_hex(color)) for name, color in COLORS.items()}
    counts = page.evaluate(CANVAS_COLOURS, [frame, list(wanted.values())])
    drawn = {name: counts[",".join(map(str, rgb))] for name, rgb in wanted.items()}
    # a label is about 20 px tall and 40 px or more wide, every pixel of it in the colour
    assert all(pixels >= 300 for pixels in drawn.values()), drawn
    assert_nothing_injected(page, chips_dashboard, requests_made)
