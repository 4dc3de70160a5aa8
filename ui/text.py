"""Showing untrusted text (campaign names, SmartLead's error text) safely in Streamlit.

Streamlit renders Markdown in headings, captions, alerts and labels: a campaign named
``![x](https://evil.example/pixel)`` would load an image and ``:red[...]`` would restyle the
page. Raw HTML is never enabled in this app, and every untrusted string that goes through a
Markdown element is escaped here first, so it shows exactly as typed.
"""

from __future__ import annotations

import re

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:&=^])")


def escape_markdown(text: object) -> str:
    """The text with every Markdown, LaTeX, emoji-shortcode and HTML trigger escaped."""
    if text is None:
        return ""
    flat = " ".join(str(text).split())
    return _MARKDOWN_SPECIAL.sub(r"\\\1", flat)


def campaign_label(name: object, campaign_id: object) -> str:
    """'Name (#id)' as plain text, for selectboxes and headings; empty names say so."""
    shown = " ".join(str(name).split()) if isinstance(name, str) and name.strip() else "(no name)"
    if len(shown) > 80:
        shown = shown[:79] + "…"
    return f"{shown} (#{campaign_id})"
