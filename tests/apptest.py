"""Helpers for the AppTest page tests: open the app, read what a user would see."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pandas as pd
from streamlit.testing.v1 import AppTest

from tests.standin import TEST_KEY, StandinSmartlead
from ui.page import PAGES
from ui.text import WORD_JOINER

ROOT = Path(__file__).resolve().parents[1]
APP = ROOT / "app.py"
"""The router: every test opens the app through it, as a browser does."""
OVERVIEW_PAGE = PAGES["overview"].path
CAMPAIGNS_PAGE = PAGES["campaigns"].path
TIMEOUT = 60


def open_app() -> AppTest:
    """The app's home page after its first run (demo mode unless a key is configured)."""
    return AppTest.from_file(str(APP), default_timeout=TIMEOUT).run()


def live_app(standin: StandinSmartlead, key: str = TEST_KEY) -> AppTest:
    """The home page with ``key`` typed into the sidebar, fetching from the stand-in."""
    os.environ["SMARTLEAD_BASE_URL"] = standin.base_url
    return connect(open_app(), key)


def connect(at: AppTest, key: str) -> AppTest:
    """Type ``key`` into the sidebar's key field and press Connect."""
    at.text_input(key="api_key_input").set_value(key)
    next(b for b in at.get("form_submit_button") if b.label == "Connect").click()
    return at.run()


def metrics(at: AppTest) -> dict[str, str]:
    """The KPI row: label → shown value."""
    return {metric.label: metric.value for metric in at.metric}


def shown(markdown: str) -> str:
    """Markdown source as the user reads it: backslash escapes and the invisible word joiners
    that keep bare URLs from becoming links removed (untrusted text is escaped before it
    reaches a Markdown element, so the source differs from what shows)."""
    return re.sub(r"\\(.)", r"\1", markdown).replace(WORD_JOINER, "")


def caption_texts(at: AppTest) -> list[str]:
    """Every caption, as the user reads it."""
    return [shown(caption.value) for caption in at.caption]


def table(at: AppTest, key: str = "campaign_table") -> pd.DataFrame:
    """The rows of the table with this key (the Campaigns page's by default), as sent."""
    return next(frame for frame in at.dataframe if frame.key == key).value


def _walk(node: Any):
    proto = getattr(node, "proto", None)
    if proto is not None:
        yield node
    children = getattr(node, "children", None)
    if isinstance(children, dict):
        for child in children.values():
            yield from _walk(child)


def all_text(at: AppTest) -> str:
    """Every element the page sent to the browser, as text (protobuf text format)."""
    return "\n".join(str(element.proto) for element in _walk(at._tree))
