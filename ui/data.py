"""Where the dashboard's data comes from: the key's connection and the one cached load.

The load is :func:`smartlead.loader.load_portfolio` wrapped in ``st.cache_data``, keyed by
the :class:`~smartlead.connection.Connection` (a dataclass Streamlit hashes whole, key
included, and never stores) and the client filter. The cache is shared by every browser
session on the server, so two people with different keys get different entries and never
each other's campaigns.

Failures are cached too (the load returns its error rather than raising): a wrong key or a
SmartLead outage costs one request per TTL, not one per click; Refresh asks again at once.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from datetime import datetime

import pandas as pd
import streamlit as st

from smartlead import loader, perf, settings
from smartlead.client import campaigns_in_answer
from smartlead.connection import Connection
from smartlead.errors import PortfolioError
from smartlead.filters import FilterOptions, filter_options
from smartlead.loader import PortfolioLoad
from smartlead.redact import RedactingFilter

SECRET_NAME = settings.ENV_API_KEY
"""The name of the key in ``.streamlit/secrets.toml`` (the same as the environment variable)."""

AnswerKey = tuple[str, int | None, str]
"""An account's fingerprint, its client filter and when it was fetched (ISO time)."""


@dataclass(frozen=True)
class KeyChoice:
    """The connection to use and where its key came from.

    ``source`` is 'sidebar', 'environment', 'secrets' or None (no key: the demo).
    ``problem`` is set when a key was given but no connection can be made from it (a
    malformed ``SMARTLEAD_BASE_URL``): the page shows it instead of the demo.
    """

    connection: Connection | None
    source: str | None
    problem: PortfolioError | None = None

    @property
    def is_live(self) -> bool:
        """Whether a key was given (whether or not it works)."""
        return self.source is not None


@dataclass(frozen=True)
class LoadResult:
    """One load for the dashboard: the package's load, the filter options, history's copy."""

    load: PortfolioLoad
    options: FilterOptions = field(default_factory=FilterOptions)
    """What the filters offer for this portfolio, worked out once per fetch, not per rerun."""
    answer_key: AnswerKey | None = None
    """Where the answers as fetched are kept for history (live loads with history on): in
    :func:`kept_answers`, outside this cached value, so no rerun copies them."""

    @property
    def frame(self) -> pd.DataFrame:
        return self.load.frame

    @property
    def failed(self) -> bool:
        return self.load.failed

    @property
    def error(self) -> PortfolioError | None:
        return self.load.error

    @property
    def source(self) -> str:
        return self.load.source

    @property
    def fetched_at(self) -> datetime:
        return self.load.fetched_at

    def as_fetched(self) -> tuple[list, list] | None:
        """The campaigns and clients exactly as SmartLead sent them (live loads, history
        on); None when they are not kept (history off, the demo, or a newer fetch of the
        same account replaced them)."""
        if self.answer_key is None:
            return None
        kept = kept_answers().get(self.answer_key)
        if kept is None:
            return None
        return campaigns_in_answer(kept.body), list(kept.clients)


def configured_key() -> tuple[str | None, str | None]:
    """A key set by whoever runs the server, and where: ``SMARTLEAD_API_KEY``, then
    ``st.secrets``; ``(None, None)`` when there is none."""
    key = settings.api_key_from_env()
    if key:
        return key, "environment"
    try:
        secret = st.secrets.get(SECRET_NAME)
    except FileNotFoundError:  # no secrets.toml at all: Streamlit raises rather than returning
        secret = None
    except Exception:  # a malformed secrets.toml must not take the dashboard down
        secret = None
    if isinstance(secret, str) and secret.strip():
        return secret.strip(), "secrets"
    return None, None


def choose_key(typed: str | None) -> KeyChoice:
    """The key typed in the sidebar wins; else the configured one; else none (the demo)."""
    if typed and typed.strip():
        key, source = typed.strip(), "sidebar"
    else:
        key, source = configured_key()
    if key is None:
        return KeyChoice(None, None)
    try:
        return KeyChoice(Connection.to(key), source)
    except PortfolioError as problem:
        return KeyChoice(None, source, problem)


def _history_on() -> bool:
    return settings.history_enabled()


@dataclass(frozen=True)
class KeptAnswer:
    """One fetch's answers as they came: the campaigns answer's bytes and the client list."""

    body: bytes = field(repr=False)
    clients: tuple = field(repr=False)


class AnswerShelf:
    """The latest answers of each account and client filter, as fetched, for history.

    Kept as the bytes SmartLead sent, so keeping them costs nothing at fetch time (no
    encoding, no compression) and nothing on reruns (``st.cache_data`` would copy them on
    every rerun); a newer fetch of the same account replaces the older one, so Refreshes
    never pile copies up.
    """

    def __init__(self) -> None:
        self._answers: dict[tuple[str, int | None], tuple[str, KeptAnswer]] = {}
        self._lock = threading.Lock()

    def keep(self, key: AnswerKey, answer: KeptAnswer) -> None:
        account, client_id, fetched_at = key
        with self._lock:
            self._answers[(account, client_id)] = (fetched_at, answer)

    def get(self, key: AnswerKey) -> KeptAnswer | None:
        account, client_id, fetched_at = key
        with self._lock:
            kept = self._answers.get((account, client_id))
        return kept[1] if kept is not None and kept[0] == fetched_at else None

    def held_bytes(self) -> int:
        """Bytes of answers held (for benchmarks)."""
        with self._lock:
            return sum(len(answer.body) for _, answer in self._answers.values())


@st.cache_resource(show_spinner=False)
def kept_answers() -> AnswerShelf:
    """The server's one shelf of answers kept for history."""
    return AnswerShelf()


@st.cache_data(
    ttl=settings.cache_ttl_seconds(),
    max_entries=64,
    show_spinner="Fetching campaigns from SmartLead…",
)
def fetch_portfolio(connection: Connection, client_id: int | None = None) -> LoadResult:
    """The live portfolio of one connection and client filter, once per TTL."""
    load = loader.load_portfolio(connection, client_id=client_id)
    if load.failed:
        return LoadResult(load)
    answer_key: AnswerKey | None = None
    if _history_on():  # nothing at all is done for history when it is off
        answer_key = (connection.fingerprint, client_id, load.fetched_at.isoformat())
        kept_answers().keep(answer_key, KeptAnswer(load.answer, tuple(load.clients)))
    # The records stay out of the cached value: the frame is what pages need.
    slim = PortfolioLoad(
        frame=load.frame,
        source=load.source,
        fetched_at=load.fetched_at,
        notices=load.notices,
        client_id=load.client_id,
    )
    result = LoadResult(slim, options=filter_options(load.frame), answer_key=answer_key)
    del load  # the decoded records: the biggest thing a fetch builds, freed here...
    perf.release_freed_memory()  # ...and handed back, so Refreshes do not pile it up
    return result


@st.cache_data(show_spinner=False)
def demo_portfolio(size: int) -> LoadResult:
    """The built-in demo portfolio, built once per size for the life of the server."""
    load = loader.load_portfolio(None, demo_size=size)
    slim = PortfolioLoad(frame=load.frame, source="demo", fetched_at=load.fetched_at)
    return LoadResult(slim, options=filter_options(load.frame))


def load(choice: KeyChoice) -> LoadResult | None:
    """The portfolio for this choice (the demo one when there is no key); None when a key
    was given but cannot be used (``choice.problem`` says why)."""
    server_logging()
    if choice.connection is None:
        if choice.problem is not None:
            return None
        return demo_portfolio(settings.demo_size())
    return fetch_portfolio(choice.connection, None)


def refresh(choice: KeyChoice) -> None:
    """Forget this connection's cached portfolio only, so the next load asks SmartLead again."""
    if choice.connection is not None:
        fetch_portfolio.clear(choice.connection, None)


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
