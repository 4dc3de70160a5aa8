"""What the dashboard says about a failure: a title, what happened, and what to do here.

The package's errors say *what happened* in neutral words and carry a
:class:`~smartlead.errors.Remedy` as data; this module turns the remedy into the dashboard's
own words (its sidebar, its Refresh button). The command line has its own phrasing
(``smartlead.cli``). Nothing here is Markdown: callers show the text with elements that
render plain text, or escape it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from smartlead import settings
from smartlead.errors import (
    AuthenticationError,
    ConnectionFailedError,
    HistoryUnavailableError,
    PortfolioError,
    RateLimitError,
    Remedy,
    RequestTimeoutError,
    ServerError,
    SettingsError,
    UnexpectedResponseError,
    WindowError,
)

TITLES: tuple[tuple[type[PortfolioError], str], ...] = (
    (SettingsError, "The dashboard is not set up right"),
    (AuthenticationError, "Not connected to SmartLead"),
    (RateLimitError, "SmartLead is rate-limiting this key"),
    (ServerError, "SmartLead is having trouble"),
    (ConnectionFailedError, "SmartLead could not be reached"),
    (RequestTimeoutError, "SmartLead did not answer in time"),
    (UnexpectedResponseError, "SmartLead sent an answer the dashboard cannot read"),
    (HistoryUnavailableError, "History is unavailable"),
    (WindowError, "This window cannot be shown"),
)
"""A short title per kind of failure (the first matching class wins)."""


@dataclass(frozen=True)
class Explained:
    """A failure in the dashboard's words: ``title``, ``what`` happened, ``action`` to take."""

    title: str
    what: str
    action: str


def remedy_text(
    error: PortfolioError, *, can_refresh: bool = True, again: str | None = None
) -> str:
    """What the user can do about ``error`` in this dashboard, as one sentence.

    ``again`` names the way to ask once more that the place showing the error offers
    ("press Try again"); by default the sidebar's Refresh, or reloading the page when
    ``can_refresh`` is False (never a button that is not on the screen).
    """
    if again is None:
        again = "press Refresh" if can_refresh else "reload the page"
    remedy = error.remedy
    if remedy is Remedy.ENTER_KEY:
        return (
            "Enter a valid API key in the sidebar (in SmartLead under Settings → API), or ask "
            f"whoever runs this dashboard to check {settings.ENV_API_KEY}."
        )
    if remedy is Remedy.WAIT:
        wait = getattr(error, "retry_after", None)
        when = f"about {max(1, math.ceil(wait))} s" if wait else "a minute"
        return f"Wait {when}, then {again}."
    if remedy is Remedy.CHECK_ADDRESS:
        return (
            f"Check the server's {settings.ENV_BASE_URL} setting: it should be SmartLead's API "
            "address, ending in /api/v1."
        )
    if remedy is Remedy.CHECK_NETWORK:
        return f"Check this server's network connection, then {again}."
    if remedy is Remedy.RAISE_SIZE_LIMIT:
        return f"If the account really is that large, raise {settings.ENV_MAX_RESPONSE_MB}."
    if remedy is Remedy.CHECK_CAMPAIGN:
        return "Check the campaign in SmartLead; it may have been deleted or moved."
    if remedy is Remedy.FIX_SETTING:
        named = error.setting or "the setting"
        return f"Whoever runs this dashboard needs to correct {named}."
    if remedy is Remedy.CHECK_HISTORY:
        return (
            "Whoever runs this dashboard can move the file aside or fix its permissions, or "
            f"point {settings.ENV_HISTORY_PATH} at another file; the rest of the dashboard "
            "works without history."
        )
    if remedy is Remedy.CHECK_DATABASE:
        return (
            "Whoever runs this dashboard can check that the PostgreSQL server named by "
            f"{settings.ENV_HISTORY_PATH} is running, reachable from here and accepts its "
            "login; the rest of the dashboard works without history."
        )
    if remedy is Remedy.TRY_AGAIN:
        return f"Try again in a few minutes: {again}."
    if remedy is Remedy.CHOOSE_WINDOW:
        return "Pick another window next to Window in the sidebar."
    return ""


def title_of(error: PortfolioError) -> str:
    """The short title of a failure: what kind of trouble it is."""
    return next((text for kind, text in TITLES if isinstance(error, kind)), "Something went wrong")


def explain(
    error: PortfolioError, *, can_refresh: bool = True, again: str | None = None
) -> Explained:
    """The title, what happened and what to do, for an error box (``again``: see
    :func:`remedy_text`)."""
    return Explained(
        title_of(error), str(error), remedy_text(error, can_refresh=can_refresh, again=again)
    )
