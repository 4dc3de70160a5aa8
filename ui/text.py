"""Showing untrusted text (campaign names, SmartLead's error text) safely in Streamlit.

Streamlit renders Markdown in headings, captions, alerts, button labels and other labels: a
campaign named ``![x](https://evil.example/pixel)`` would load an image and ``:red[...]`` would
restyle the page. Raw HTML is never enabled in Markdown in this app, and every untrusted string
that goes through a Markdown element is escaped here first, so it shows exactly as typed. The
little HTML the app sends with ``st.html`` (a table's height, tag chips in their colours: see
:mod:`ui.chips`) holds untrusted text only HTML- or CSS-escaped.

Escaping alone is not enough: Streamlit's renderer rewrites the text *after* backslash
escapes are resolved. It turns ``http://…``, ``www.…`` and ``name@host.tld`` into links
(remark-gfm's autolinks), ``:material/name:`` into an icon (it rewrites the source before
parsing), ``:streamlit:`` into a logo, ``:smile:`` into an emoji, and ``->``, ``<=``, ``--``
and the like into arrows and dashes. So a word joiner (U+2060: invisible, never a line break)
goes after each colon that precedes a word character or a slash, after each ``www`` before its
dot, after each ``@`` and between the two characters of each arrow: the text reads the same,
and the renderer finds nothing to rewrite.
"""

from __future__ import annotations

import re

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:&=^])")

WORD_JOINER = "\u2060"
"""An invisible character that is neither a word character nor a space (nor a line break)."""

_REWRITTEN_AFTER_ESCAPES = re.compile(
    r":(?=[\w+\-/])"  # :material/…:, :streamlit:, :emoji: and a URL's ://
    r"|www(?=\.)"  # www.example.com
    r"|@"  # name@example.com
    r"|(?<=[-<>~])(?=[-<>=])",  # ->, <-, <->, --, >=, <=, ~=
    re.IGNORECASE,
)
"""Where the renderer would rewrite text: a word joiner goes right after each match."""


def escape_markdown(text: object) -> str:
    """The text with every Markdown, LaTeX and HTML trigger escaped, and every pattern the
    renderer rewrites after escapes (links, icons, emoji, arrows) broken by an invisible word
    joiner; white space runs become one space."""
    if text is None:
        return ""
    flat = " ".join(str(text).split())
    flat = _REWRITTEN_AFTER_ESCAPES.sub(lambda match: match.group(0) + WORD_JOINER, flat)
    return _MARKDOWN_SPECIAL.sub(r"\\\1", flat)


def campaign_label(name: object, campaign_id: object) -> str:
    """'Name (#id)' as plain text, for selectboxes and headings; empty names say so.

    The result is not escaped: pass it through :func:`escape_markdown` wherever Streamlit
    renders Markdown (headings, button labels).
    """
    shown = " ".join(str(name).split()) if isinstance(name, str) and name.strip() else "(no name)"
    if len(shown) > 80:
        shown = shown[:79] + "…"
    return f"{shown} (#{campaign_id})"
