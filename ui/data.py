"""Where the dashboard's data comes from: the API key, the one cached fetch, the demo portfolio.

The fetch is cached with ``st.cache_data`` keyed by (API key, base URL, client filter). The key
is an ordinary, hashed argument on purpose: the cache is shared by every browser session on
the server, so two people with different keys get different entries and never each other's
campaigns. Streamlit stores only a hash of the arguments, not the key itself.

Failures are cached too (as a message, not an exception): a wrong key or a SmartLead outage
costs one request per TTL, not one per click; the Refresh button asks again at once.
"""

from __future__ import annotations

import json
import logging
import zlib
from dataclasses import dataclass, field
from datetime import UTC, datetime

import pandas as pd
import streamlit as st

from smartlead import demo, settings
from smartlead.analytics import shared_limiter
from smartlead.client import SmartleadClient
from smartlead.errors import (
    AuthenticationError,
    ConnectionFailedError,
    NotAnAgencyError,
    RateLimitError,
    RequestTimeoutError,
    ServerError,
    SmartleadError,
    UnexpectedResponseError,
)
from smartlead.filters import FilterOptions, filter_options
from smartlead.frame import campaigns_frame
from smartlead.redact import RedactingFilter

SECRET_NAME = settings.ENV_API_KEY
"""The name of the key in ``.streamlit/secrets.toml`` (the same as the environment variable)."""

ERROR_TITLES: dict[type[SmartleadError], str] = {
    AuthenticationError: "SmartLead rejected the API key",
    RateLimitError: "SmartLead is rate-limiting this key",
    ServerError: "SmartLead is having trouble",
    ConnectionFailedError: "SmartLead could not be reached",
    RequestTimeoutError: "SmartLead did not answer in time",
    UnexpectedResponseError: "SmartLead sent an answer the dashboard cannot read",
}


@dataclass(frozen=True)
class KeyChoice:
    """The key to use and where it came from ('sidebar', 'environment', 'secrets' or None)."""

    key: str | None
    source: str | None


@dataclass(frozen=True)
class LoadResult:
    """One fetch of the portfolio: a frame, or a failure in words. Picklable for the cache."""

    frame: pd.DataFrame
    fetched_at: datetime
    source: str  # "demo" or "live"
    options: FilterOptions = field(default_factory=FilterOptions)
    """What the filters offer for this portfolio, worked out once per fetch, not per rerun."""
    error_title: str | None = None
    error_message: str | None = None
    notices: tuple[str, ...] = ()
    raw: bytes = field(default=b"", repr=False)
    """Campaigns and clients exactly as fetched, as zlib-compressed JSON (for history).

    Kept compressed so that the copy ``st.cache_data`` hands every rerun stays cheap."""

    @property
    def failed(self) -> bool:
        return self.error_message is not None

    def as_fetched(self) -> tuple[list, list]:
        """The campaigns and clients exactly as SmartLead sent them (live fetches only)."""
        if not self.raw:
            return [], []
        payload = json.loads(zlib.decompress(self.raw))
        return payload["campaigns"], payload["clients"]


def configured_key() -> KeyChoice:
    """A key set by whoever runs the server: ``SMARTLEAD_API_KEY``, then ``st.secrets``."""
    key = settings.api_key_from_env()
    if key:
        return KeyChoice(key, "environment")
    try:
        secret = st.secrets.get(SECRET_NAME)
    except FileNotFoundError:  # no secrets.toml at all: Streamlit raises rather than returning
        secret = None
    except Exception:  # a malformed secrets.toml must not take the dashboard down
        secret = None
    if isinstance(secret, str) and secret.strip():
        return KeyChoice(secret.strip(), "secrets")
    return KeyChoice(None, None)


def choose_key(typed: str | None) -> KeyChoice:
    """The key typed in the sidebar wins; else the configured one; else none (demo mode)."""
    if typed and typed.strip():
        return KeyChoice(typed.strip(), "sidebar")
    return configured_key()


@st.cache_data(
    ttl=settings.cache_ttl_seconds(),
    max_entries=64,
    show_spinner="Fetching campaigns from SmartLead…",
)
def fetch_portfolio(api_key: str, base_url: str, client_id: int | None = None) -> LoadResult:
    """GET /campaigns/ (and /client/ for names) once per key, base URL and client per TTL."""
    fetched_at = datetime.now(UTC)
    notices: list[str] = []
    failure: tuple[str, str] | None = None
    try:
        with SmartleadClient(
            api_key,
            base_url=base_url,
            gate=shared_limiter(api_key, base_url).acquire,
        ) as client:
            records = client.list_campaigns(client_id=client_id, include_tags=True)
            try:
                clients = client.list_clients()
            except NotAnAgencyError:
                clients = []
                notices.append(
                    "Client names are unavailable for this key (not an agency account); "
                    "clients are shown by id."
                )
            except SmartleadError as error:
                clients = []
                notices.append(f"Client names are unavailable right now: {error}")
    except SmartleadError as error:
        title = next(
            (t for kind, t in ERROR_TITLES.items() if isinstance(error, kind)),
            "SmartLead answered with an error",
        )
        failure = (title, str(error))
    if failure is not None:
        return LoadResult(
            frame=campaigns_frame([]),
            fetched_at=fetched_at,
            source="live",
            error_title=failure[0],
            error_message=failure[1],
        )
    frame = campaigns_frame(records, clients)
    return LoadResult(
        frame=frame,
        fetched_at=fetched_at,
        source="live",
        options=filter_options(frame),
        notices=tuple(notices),
        raw=zlib.compress(
            json.dumps({"campaigns": records, "clients": clients}).encode("utf-8"), 3
        ),
    )


@st.cache_data(show_spinner=False)
def demo_portfolio(size: int) -> LoadResult:
    """The built-in demo portfolio, built once per size for the life of the server."""
    frame = campaigns_frame(demo.demo_campaigns(size, seed=7), demo.demo_clients())
    return LoadResult(
        frame=frame, fetched_at=demo.DEMO_ANCHOR, source="demo", options=filter_options(frame)
    )


def load(choice: KeyChoice) -> LoadResult:
    """The portfolio for this key (the demo one when there is none)."""
    server_logging()
    if choice.key is None:
        return demo_portfolio(settings.demo_size())
    return fetch_portfolio(choice.key, settings.base_url(), None)


def refresh(choice: KeyChoice) -> None:
    """Forget this key's cached portfolio only, so the next load asks SmartLead again."""
    if choice.key is not None:
        fetch_portfolio.clear(choice.key, settings.base_url(), None)


@st.cache_resource(show_spinner=False)
def server_logging() -> None:
    """Show the HTTP layer's warnings (retries, dropped connections) in the server's log.

    urllib3 stays silent by default (it installs a NullHandler); an operator wants to see
    that SmartLead is being retried. Every line passes ``smartlead.redact``'s filter twice:
    on the loggers that write URLs, and on this handler itself (which sees every record it
    prints, whichever child logger made it), so no key is ever printed.
    """
    handler = logging.StreamHandler()
    handler.addFilter(RedactingFilter())
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.setLevel(logging.WARNING)
    for name in ("urllib3", "smartlead"):
        logger = logging.getLogger(name)
        if any(getattr(existing, "smartlead_server_log", False) for existing in logger.handlers):
            continue  # the cache was cleared, not the process: one handler is enough
        handler.smartlead_server_log = True  # type: ignore[attr-defined]
        logger.addHandler(handler)
