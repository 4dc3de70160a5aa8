"""Tags as chips in the tag's own colour: the sidebar's tag filter and a campaign's details.

Streamlit 1.67 gives ``st.multiselect`` one chip colour (the theme's), so the tag filter's
chips are coloured by one ``<style>`` block sent with ``st.html``: style-only HTML goes to
Streamlit's event container (no iframe, no space taken) and DOMPurify keeps ``<style>``.
Each rule picks a chosen tag's chip by its accessible name, which the chip carries as its
``aria-label`` (``<span data-tag aria-label="EMEA">`` inside the widget's
``.st-key-<key>`` container, as Chromium shows 1.67's DOM).

Tag names are upstream text, so they never reach the CSS as they are: every character
outside ``[A-Za-z0-9 _-]`` becomes a CSS escape (:func:`css_string`), so a name cannot
close the string, the rule or the ``<style>`` element (no ``"``, ``\\``, ``<``, ``{`` or
line break is left in it). Colours are validated again here (:func:`smartlead.vocab.css_color`);
anything else is left out. The details' chips are a small HTML fragment whose names go
through :func:`html.escape`.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import streamlit as st

from smartlead.colors import text_color_on
from smartlead.frame import list_array
from smartlead.vocab import css_color, tag_color

MAX_COLOURED_CHIPS = 200
"""The most filter chips given their colour: the CSS grows with the chips chosen, not with
the portfolio's tags (2,000 tags, all but one chosen by a link, still send 200 chips' rules,
about 45 kB; two chosen send under 0.5 kB). The chips past it keep the theme's colour.
A Streamlit upgrade that changes the chip's markup shows in ``tests/e2e/test_ux_chips.py``."""

_PLAIN = re.compile(r"[A-Za-z0-9 _-]")
"""Characters a CSS string may hold as they are; every other one is escaped."""

CHIP_STYLE = "border-radius:0.5rem;padding:0.1rem 0.5rem;font-size:0.875rem;white-space:nowrap"
"""How a details chip looks, close to the filter's chips."""


def css_string(text: str) -> str:
    """``text`` as a double-quoted CSS string whose every character outside
    ``[A-Za-z0-9 _-]`` is a six-digit hex escape followed by a space (``<`` is
    ``\\00003C ``): whatever a tag is called, the string stays one string."""
    escaped = "".join(char if _PLAIN.fullmatch(char) else f"\\{ord(char):06X} " for char in text)
    return f'"{escaped}"'


def tag_filter_css(
    chosen: Iterable[str],
    colors: Mapping[str, str],
    *,
    key: str = "tag",
    limit: int = MAX_COLOURED_CHIPS,
) -> str:
    """The ``<style>`` block that colours the chips of the sidebar multiselect ``key``: one
    rule per chosen tag with a valid colour, at most ``limit`` of them (empty: no rule).

    ``key`` is our own widget key (a constant), never upstream text.
    """
    rules: list[str] = []
    for name in dict.fromkeys(chosen):
        background = css_color(colors.get(name))
        if background is None:
            continue
        chip = (
            f'section[data-testid="stSidebar"] .st-key-{key} '
            f"[data-tag][aria-label={css_string(name)}]"
        )
        rules.append(
            f"{chip}{{background-color:{background};color:{text_color_on(background)}}}"
            f"{chip} *{{color:inherit}}"
        )
        if len(rules) >= limit:
            break
    return f"<style>{''.join(rules)}</style>" if rules else ""


def colour_tag_filter(chosen: Iterable[str], colors: Mapping[str, str], key: str = "tag") -> None:
    """Send the chips' colours to the browser (nothing when no chip has one)."""
    css = tag_filter_css(chosen, colors, key=key)
    if css:
        st.html(css)


def tag_chips_html(tags: Iterable[str], colors: Mapping[str, str]) -> str:
    """The tags as chips in their colours (a tag without a known colour gets the one every
    page gives it), names escaped; empty when there is no tag."""
    chips = []
    for name in tags:
        background = css_color(colors.get(name)) or tag_color(name)
        chips.append(
            f'<span class="tag-chip" style="background-color:{background};'
            f'color:{text_color_on(background)};{CHIP_STYLE}">{html.escape(str(name))}</span>'
        )
    if not chips:
        return ""
    return (
        '<div class="tag-chips" style="display:flex;flex-wrap:wrap;gap:0.25rem">'
        + "".join(chips)
        + "</div>"
    )


def tag_chips(tags: Iterable[str], colors: Mapping[str, str], where: object = st) -> None:
    """Draw the tags as coloured chips in ``where`` (nothing for no tags)."""
    fragment = tag_chips_html(tags, colors)
    if fragment:
        where.html(fragment)  # type: ignore[attr-defined]


def tags_of(campaign: pd.Series) -> list[str]:
    """A campaign's tag names (a frame row's ``tags``: a list, an array read back from
    Parquet, or missing), without empty values."""
    tags = campaign.get("tags")
    if tags is None or isinstance(tags, (str, bytes)) or not hasattr(tags, "__iter__"):
        return []
    return [str(name) for name in tags if name is not None and str(name) != ""]


def tag_colors_in(view: pd.DataFrame, colors: Mapping[str, str]) -> dict[str, str]:
    """The colours of the tags the campaigns of ``view`` carry (what a table of them needs:
    a portfolio's 2,000 tags are not sent with a table showing 20 of them)."""
    present = set(pc.unique(pc.list_flatten(list_array(view["tags"], pa.string()))).to_pylist())
    return {name: color for name, color in colors.items() if name in present}
