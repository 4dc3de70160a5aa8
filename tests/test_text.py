"""``ui.text``: untrusted text shown through Markdown elements reads as typed and does nothing.

Streamlit's renderer turns bare URLs and e-mail addresses into links (GitHub-flavoured
autolinks) *after* backslash escapes are resolved, so escaping alone leaves them live
(finding 10 of issue 17). These tests apply the renderer's own patterns, read from the
JavaScript bundle Streamlit ships, to the text the renderer would see.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import streamlit

from ui.text import WORD_JOINER, campaign_label, escape_markdown

BUNDLE = Path(streamlit.__file__).parent / "static" / "static" / "js"

URL_AUTOLINK = re.compile(r"(https?://|www(?=\.))([-.\w]+)([^ \t\r\n]*)", re.IGNORECASE | re.ASCII)
"""remark-gfm's literal autolink for URLs, as Streamlit's bundle holds it (checked below)."""
EMAIL_AUTOLINK = re.compile(r"([-.\w+]+)@([-\w]+(?:\.[-\w]+)+)", re.ASCII)
"""Its e-mail autolink (JavaScript's ``\\w`` is ASCII-only, hence ``re.ASCII``)."""


def rendered_text(markdown: str) -> str:
    """The text the renderer's autolink step sees: backslash escapes resolved."""
    return re.sub(r"\\(.)", r"\1", markdown)


SHORTCODE = re.compile(r":[\w+-][\w_+-]*:", re.ASCII)
"""What makes the renderer load its emoji plugin, which turns ``:name:`` into an emoji."""
MATERIAL = re.compile(r":material_(\w+):", re.ASCII)
"""An icon, once the renderer has rewritten ``:material/`` to ``:material_`` in the source."""
TYPOGRAPHY = [
    re.compile(pattern)
    for pattern in (
        r"(^|\s)<->(\s|$)",
        r"(^|\s)->(\s|$)",
        r"(^|\s)<-(\s|$)",
        r"(^|\s)--(\s|$)",
        r"(^|\s)>=(\s|$)",
        r"(^|\s)<=(\s|$)",
        r"(^|\s)~=(\s|$)",
    )
]
"""The arrows and dashes the renderer puts in place of these pairs."""


def test_the_patterns_are_the_ones_streamlits_renderer_uses() -> None:
    bundle = "".join(path.read_text(encoding="utf-8") for path in BUNDLE.glob("*Markdown*.js"))
    assert r"/(https?:\/\/|www(?=\.))([-.\w]+)([^ \t\r\n]*)/gi" in bundle
    assert r"([-.\w+]+)@([-\w]+(?:\.[-\w]+)+)/gu" in bundle
    assert "t.replaceAll(`:material/`,`:material_`)" in bundle
    assert r"/:material_(\w+):/g" in bundle
    assert r"/:streamlit:/g" in bundle
    assert r"/:(?!material\/|streamlit:)[\w+-][\w_+-]*:/" in bundle
    for pattern in TYPOGRAPHY:
        assert f"/{pattern.pattern}/g" in bundle, pattern.pattern


@pytest.mark.parametrize(
    "text",
    [
        ":material/warning: alarm",
        "Q4 :streamlit: launch",
        "Party :tada: time",
        "a -> b <- c <-> d -- e >= f <= g ~= h",
    ],
)
def test_icons_emoji_and_arrows_stay_as_typed(text: str) -> None:
    rewritten = [
        ":material/" in text,
        SHORTCODE.search(text),
        *(pattern.search(text) for pattern in TYPOGRAPHY),
    ]
    assert any(rewritten), "the renderer would rewrite the raw text"
    source = escape_markdown(text)
    assert ":material/" not in source, "the renderer rewrites this in the source"
    assert not SHORTCODE.search(source)
    seen = rendered_text(source)
    assert not MATERIAL.search(seen.replace(":material/", ":material_"))
    assert not SHORTCODE.search(seen)
    for pattern in TYPOGRAPHY:
        assert not pattern.search(seen), pattern.pattern
    assert seen.replace(WORD_JOINER, "") == text


@pytest.mark.parametrize(
    "text",
    [
        "Visit http://attacker.invalid/landing now",
        "HTTPS://ATTACKER.INVALID",
        "See www.attacker.invalid today",
        "Write to boss@attacker.invalid",
        "mailto:boss@attacker.invalid and https://a.b/c?d=e",
    ],
)
def test_bare_urls_and_addresses_do_not_become_links(text: str) -> None:
    # Without the word joiners, every one of these is a link once escapes are resolved.
    assert URL_AUTOLINK.search(rendered_text(text)) or EMAIL_AUTOLINK.search(rendered_text(text))
    seen = rendered_text(escape_markdown(text))
    assert not URL_AUTOLINK.search(seen), seen
    assert not EMAIL_AUTOLINK.search(seen), seen
    assert seen.replace(WORD_JOINER, "") == text, "the text reads the same"


@pytest.mark.parametrize(
    "text",
    [
        "![pixel](http://attacker.invalid/x.png)",
        "[Open me](http://attacker.invalid/phish)",
        ":red[alarm] :material/warning: **bold** _it_ ~~no~~ `code`",
        "$x^2$ and $$\\frac{1}{0}$$",
        "<img src=x onerror=alert(1)> &amp; # Heading",
        "> quote\n- item\n1. item",
    ],
)
def test_markdown_latex_and_html_triggers_are_escaped(text: str) -> None:
    escaped = escape_markdown(text)
    unescaped_specials = set(re.sub(r"\\.", "", escaped)) & set("\\`*_{}[]()#+-.!|<>~$:&=^")
    assert not unescaped_specials, escaped
    assert rendered_text(escaped).replace(WORD_JOINER, "") == " ".join(text.split())


def test_nothing_and_white_space() -> None:
    assert escape_markdown(None) == ""
    assert escape_markdown("  two\n\r lines\t") == "two lines"


def test_campaign_labels_are_plain_text_to_escape_where_markdown_renders() -> None:
    assert campaign_label("![x](http://a.b/c)", 5) == "![x](http://a.b/c) (#5)"
    assert campaign_label("", 6) == "(no name) (#6)"
    assert len(campaign_label("x" * 200, 7)) < 100
