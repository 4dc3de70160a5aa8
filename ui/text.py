"""Showing untrusted text (campaign names, SmartLead's error text) safely in Streamlit.

Streamlit renders Markdown in headings, captions, alerts, button labels and other labels: a
campaign named ``![x](https://evil.example/pixel)`` would load an image and ``:red[...]`` would
restyle the page. Raw HTML is never enabled in this app, and every untrusted string that goes
through a Markdown element is escaped here first, so it shows exactly as typed.

Escaping alone does not stop GitHub-flavoured autolinks: Streamlit's renderer (remark-gfm)
finds ``http://…``, ``www.…`` and ``name@host.tld`` in the text *after* backslash escapes are
resolved, and turns them into links. So a word joiner (U+2060, invisible, never a line break)
is put into each ``://``, after each ``www`` before its dot and after each ``@``: the text
reads the same, and no link is made.
"""

from __future__ import annotations

import re

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:&=^])")

WORD_JOINER = "\u2060"
"""An invisible character that is neither a word character nor a space (nor a line break)."""

_AUTOLINK_STARTS = re.compile(r":(?=//)|www(?=\.)|@", re.IGNORECASE)
"""Where GFM's literal autolinks begin: a scheme's ``://``, ``www.`` and an e-mail's ``@``."""


def escape_markdown(text: object) -> str:
    """The text with every Markdown, LaTeX, emoji-shortcode and HTML trigger escaped, and
    bare URLs and e-mail addresses kept from becoming links; white space runs become one space."""
    if text is None:
        return ""
    flat = " ".join(str(text).split())
    flat = _AUTOLINK_STARTS.sub(lambda match: match.group(0) + WORD_JOINER, flat)
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
