"""The transport: a small typed HTTP client for SmartLead's read API.

Modelled on pyairtable's client: one ``requests.Session`` per client, a ``urllib3`` ``Retry``
mounted on its adapter, a timeout on every call and one exception hierarchy
(``smartlead.errors``). Every endpoint goes through one choke point, ``_get_json``, which adds
the key, waits its turn at the account's rate limiter, retries what is worth retrying, and
turns every failure into a ``SmartleadError`` whose message says what happened.

Three rules shape the code:

* **The key never leaks.** It travels in the query string, so every URL holds it, and the
  exceptions of ``requests``/``urllib3`` quote URLs. Those exceptions are therefore only
  inspected inside their ``except`` block (for their *kind*: refused, DNS, timeout, ...),
  never stringified, and our own exception is raised after the block, so its ``__cause__``
  and ``__context__`` stay empty. SmartLead's own error text is redacted *before* it is cut
  or re-spaced (and fragments of the key are masked too), and ``install_log_redaction``
  scrubs urllib3's log lines.
* **The rate limit belongs here.** Every attempt of every request, retries included, takes
  a turn at the one :class:`~smartlead.ratelimit.RateLimiter` of its connection
  (:func:`~smartlead.ratelimit.limiter_for`); every answer's ``x-ratelimit-*`` headers are
  reported to it, and a 429 pauses every caller of the key for the wait SmartLead named.
* **The wait is bounded, but not by our own queue.** Retries honour ``Retry-After`` and back
  off exponentially, and a per-request deadline stops retrying once the next pause would pass
  it, so a dead or throttling server costs about ``deadline`` seconds. Time spent waiting for
  the rate limiter's turn is not the server's fault and does not count. The deadline also
  bounds reading the answer, however slowly its bytes arrive (a watchdog shuts the socket).
"""

from __future__ import annotations

import contextlib
import html
import json
import logging
import math
import re
import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

import numpy as np
import requests
from requests.adapters import HTTPAdapter
from urllib3.exceptions import (
    ConnectTimeoutError,
    InvalidHeader,
    MaxRetryError,
    NameResolutionError,
    NewConnectionError,
    ProtocolError,
    ReadTimeoutError,
    ResponseError,
)
from urllib3.exceptions import SSLError as Urllib3SSLError
from urllib3.util.retry import Retry

from smartlead import perf, settings
from smartlead.connection import Connection
from smartlead.errors import (
    AnalyticsUnavailableError,
    AuthenticationError,
    ConnectionFailedError,
    NotAnAgencyError,
    RateLimitError,
    Remedy,
    RequestTimeoutError,
    ServerError,
    SmartleadError,
    UnexpectedResponseError,
    UnknownCampaignError,
)
from smartlead.passwords import mask_secrets, strip_secrets
from smartlead.ratelimit import (
    RateLimiter,
    WaitTooLong,
    limiter_for,
    parse_rate_headers,
    parse_retry_after,
)
from smartlead.records import campaign_id, holds_analytics, parse_analytics
from smartlead.redact import install_log_redaction

__all__ = [
    "CAMPAIGN_LIST_KEYS",
    "MAX_JSON_DEPTH",
    "RETRY_STATUSES",
    "SmartleadClient",
    "campaigns_in_answer",
    "describe_json",
    "find_list",
    "json_depth",
]

_log = logging.getLogger(__name__)

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
"""Statuses worth asking again for: rate limiting and the server's temporary failures."""

API_TEXT_LIMIT = 200
"""SmartLead's own error text is cut to about this many characters in messages."""

MAX_TURN_SECONDS = 120.0
"""No request waits longer than this for its turn at the rate limiter (unless the deadline is
longer): past it, the wait is reported to the user rather than sat through."""

MAILBOX_PAGE_SIZE = 100
"""The most mailboxes ``GET /email-accounts/`` gives in one answer (it refuses more, 422)."""

ERROR_BODY_LIMIT = 64_000
"""An error answer is read up to this many bytes: enough for any message, never a flood."""

MAX_JSON_DEPTH = 64
"""The deepest nesting of arrays and objects read from an answer. SmartLead's run four deep
(the list, a campaign, its tags, a tag); one nested hundreds deep is refused before it is
parsed, so nothing downstream that walks it recursively (JSON encoders, pickling, the history
store) can run out of stack."""

_USER_AGENT = "smartlead-portfolio/0.2 (+python-requests)"

# What ``redact`` leaves of an ``api_key`` parameter; messages drop even that.
_REDACTED_PARAM = re.compile(r"api_key(?:=|%3D)\*\*\*", re.IGNORECASE)

# Keys of an object that carries nothing but an error report.
_ERROR_ONLY_KEYS = frozenset(
    {"error", "message", "code", "status", "statusCode", "success", "ok", "retry_after"}
)

Gate = Callable[[], float]
"""Called before every attempt; blocks for a turn and returns the seconds it waited."""
Answered = Callable[[int, Any], None]
"""Called with (status, headers) of every answer, retried ones included."""


# --------------------------------------------------------------------------- retries


class _DeadlinePassed(MaxRetryError):
    """Raised by ``_DeadlineRetry`` when the next pause would pass the deadline."""


class _DeadlineRetry(Retry):
    """A ``Retry`` that also gives up once the next pause would pass a deadline.

    ``started`` (``time.monotonic()``) is carried through ``new()``, so every retry of one
    request measures from that request's start; time spent at the ``gate`` (the rate
    limiter's queue) moves ``started`` forward, so it is not counted. ``on_answer`` is told
    of every answered attempt that is retried (the adapter tells it of the final one).
    """

    def __init__(
        self,
        *args: Any,
        deadline: float | None = None,
        started: float | None = None,
        on_answer: Answered | None = None,
        gate: Gate | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.deadline = deadline
        self.started = started
        self.on_answer = on_answer
        self.gate = gate

    def new(self, **kw: Any) -> _DeadlineRetry:
        kw.setdefault("deadline", self.deadline)
        kw.setdefault("started", self.started)
        kw.setdefault("on_answer", self.on_answer)
        kw.setdefault("gate", self.gate)
        return super().new(**kw)

    def sleep(self, response: Any = None) -> None:
        """Wait as urllib3 does (Retry-After, else backoff), then take a turn at the gate."""
        super().sleep(response)
        if self.gate is not None:
            waited = self.gate()
            if self.started is not None:
                self.started += waited

    def get_retry_after(self, response: Any) -> float | None:
        # A Retry-After urllib3 cannot parse falls back to the backoff instead of failing.
        try:
            return super().get_retry_after(response)
        except InvalidHeader:
            return None

    def next_pause(self, response: Any = None) -> float:
        """How long ``sleep(response)`` will wait before the next attempt (gate excluded)."""
        if response is not None and self.respect_retry_after_header:
            after = self.get_retry_after(response)
            if after:
                return after
        return self.get_backoff_time()

    def increment(
        self,
        method: str | None = None,
        url: str | None = None,
        response: Any = None,
        error: Exception | None = None,
        _pool: Any = None,
        _stacktrace: Any = None,
    ) -> _DeadlineRetry:
        started = self.started if self.started is not None else time.monotonic()
        # Raises MaxRetryError when the retries are spent: the adapter then reports the answer.
        new_retry = super().increment(method, url, response, error, _pool, _stacktrace)
        if response is not None and self.on_answer is not None:
            self.on_answer(response.status, response.headers)
        if new_retry.started is None:
            new_retry.started = started
        if self.deadline is not None:
            elapsed = time.monotonic() - started
            if elapsed + new_retry.next_pause(response) > self.deadline:
                reason = error or ResponseError("the time allowed for this request ran out")
                raise _DeadlinePassed(_pool, url, reason)  # type: ignore[arg-type]
        return new_retry


class _DeadlineAdapter(HTTPAdapter):
    """An adapter that takes a turn at the gate, then hands each request a fresh
    ``_DeadlineRetry`` whose clock starts after that turn.

    ``HTTPAdapter.send`` reads ``self.max_retries`` once per request; making it a property
    stamps the start time per request without shared mutable state (thread-safe).
    """

    def __init__(self, retry: _DeadlineRetry, gate: Gate, on_answer: Answered) -> None:
        self._gate = gate
        self._on_answer = on_answer
        super().__init__(max_retries=retry)

    @property  # type: ignore[override]
    def max_retries(self) -> Retry:
        return self._retry_template.new(started=time.monotonic())

    @max_retries.setter
    def max_retries(self, value: Retry) -> None:
        self._retry_template = value

    def send(self, request: requests.PreparedRequest, *args: Any, **kwargs: Any) -> Any:
        self._gate()
        response = super().send(request, *args, **kwargs)
        self._on_answer(response.status_code, response.headers)
        return response


# --------------------------------------------------------------------------- helpers


def _shorten(text: str, limit: int = API_TEXT_LIMIT) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _html_title(text: str) -> str | None:
    for tag in ("title", "h1"):
        match = re.search(rf"<{tag}[^>]*>(.*?)</{tag}\s*>", text, re.IGNORECASE | re.DOTALL)
        if match:
            title = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", match.group(1))).split())
            if title:
                return title
    return None


def _looks_like_html(body: bytes, content_type: str) -> bool:
    return "html" in content_type.lower() or body.lstrip()[:1] == b"<"


def _api_text(payload: Any) -> str | None:
    """SmartLead's own error text in a decoded body, if it holds one."""
    if not isinstance(payload, dict):
        return None
    message = payload.get("message")
    if isinstance(message, list):
        message = "; ".join(str(item) for item in message)
    if isinstance(message, str) and message.strip():
        return message
    error = payload.get("error")
    if isinstance(error, str) and error.strip():
        return error
    if isinstance(error, dict):
        for key in ("message", "code"):
            value = error.get(key)
            if isinstance(value, str) and value.strip():
                return value
    return None


def _body_retry_after(payload: Any) -> float | None:
    if not isinstance(payload, dict):
        return None
    error = payload.get("error")
    candidates = [error.get("retry_after")] if isinstance(error, dict) else []
    candidates.append(payload.get("retry_after"))
    for value in candidates:
        if isinstance(value, bool):
            continue
        try:
            seconds = float(value)
        except (TypeError, ValueError):
            continue
        if math.isfinite(seconds) and seconds >= 0:
            return seconds
    return None


def _error_report(payload: Any) -> str | None:
    """The error text when a 2xx body is an error report, "" when it names none, else None."""
    if not isinstance(payload, dict):
        return None
    if payload.get("success") is False or payload.get("ok") is False:
        return _api_text(payload) or ""
    has_error = bool(payload.get("error")) or bool(payload.get("message"))
    if has_error and set(payload) <= _ERROR_ONLY_KEYS:
        return _api_text(payload) or ""
    return None


_NOT_STRUCTURE = bytes(set(range(256)) - set(b'"[]{}'))
"""Every byte but a quote and the four brackets: what :func:`json_depth` throws away."""
_ESCAPED_QUOTE_OR_BACKSLASH = re.compile(rb'\\[\\"]')
"""An escape pair that can hide a quote from the scan: ``\\"`` and ``\\\\``."""
_ESCAPED_QUOTE = re.compile(rb'\\"')
"""The sign that the escape pairs must go first (a regular expression finds it three times
faster than ``in`` does: the quote it ends with is the commonest byte of JSON)."""
_NESTING_STEP = np.zeros(256, dtype=np.int8)
_NESTING_STEP[list(b"[{")] = 1
_NESTING_STEP[list(b"]}")] = -1


def json_depth(body: bytes) -> int:
    """How deeply the JSON text ``body`` nests arrays and objects (brackets in strings ignored).

    Done on the bytes, without parsing and without recursion, in a few linear passes at C
    speed: escaped quotes and backslashes are dropped (only when a quote may be escaped), then
    every byte but quotes and brackets, then every pair of adjacent quotes (an empty string or
    a string without brackets: most of them; dropping a pair moves no bracket in or out of a
    string); numpy counts what is left, telling inside from outside strings by the parity of
    the quotes before a bracket only when a quote is left. About a third of the CPU time
    ``json.loads`` takes on the same text (``bench/bench_guards.py``). For text that is not
    JSON the answer means nothing, but it is always a number.
    """
    if _ESCAPED_QUOTE.search(body):
        body = _ESCAPED_QUOTE_OR_BACKSLASH.sub(b"", body)
    structure = body.translate(None, _NOT_STRUCTURE).replace(b'""', b"")
    marks = np.frombuffer(structure, dtype=np.uint8)
    steps = _NESTING_STEP[marks]
    if b'"' in structure:
        steps = steps[~np.logical_xor.accumulate(marks == ord('"'))]
    return int(np.cumsum(steps, dtype=np.int32).max(initial=0))


CAMPAIGN_LIST_KEYS = ("campaigns", "data")
"""Where ``GET /campaigns/`` may hold its list when it is not a bare array."""


def find_list(payload: Any, keys: tuple[str, ...]) -> list[Any] | None:
    """The list inside a decoded answer: a bare array, or under the first of ``keys`` present
    (null there: an empty list; a ``data`` object holding one of the other keys is looked
    into); None when there is none (the client then says what was there instead)."""
    if isinstance(payload, list):
        return list(payload)
    if not isinstance(payload, dict):
        return None
    for key in keys:
        if key not in payload:
            continue
        inner = payload[key]
        if inner is None:
            return []
        if isinstance(inner, list):
            return list(inner)
        nested = isinstance(inner, dict) and key == "data"
        if nested and any(k != "data" and k in inner for k in keys):
            return find_list(inner, keys)
        return None
    return None


def campaigns_in_answer(body: bytes) -> list[Any]:
    """The campaign records in a ``GET /campaigns/`` answer kept as it came (one that
    :meth:`SmartleadClient.list_campaigns_as_sent` read, so it decodes)."""
    return find_list(perf.loads(body), CAMPAIGN_LIST_KEYS) or []


def describe_json(value: Any) -> str:
    """A few words saying what a decoded JSON value is ("an object with keys a, b", ...)."""
    if value is None:
        return "null (nothing)"
    if isinstance(value, bool):
        return f"the boolean {'true' if value else 'false'}"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a piece of text"
    if isinstance(value, list):
        return f"a list of {len(value)} item{'s' if len(value) != 1 else ''}"
    if isinstance(value, dict):
        if not value:
            return "an empty object"
        keys = [_shorten(str(key), 40) for key in list(value)[:8]]
        more = f" and {len(value) - 8} more" if len(value) > 8 else ""
        return f"an object with key{'s' if len(value) != 1 else ''} {', '.join(keys)}{more}"
    return f"a {type(value).__name__}"


def _walk_exception(exc: BaseException) -> Iterable[BaseException]:
    """Every exception reachable from ``exc`` (args, ``reason``, cause and context)."""
    seen: set[int] = set()
    stack: list[BaseException] = [exc]
    while stack:
        current = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        linked = [current.__cause__, current.__context__, getattr(current, "reason", None)]
        linked.extend(current.args)
        stack.extend(item for item in linked if isinstance(item, BaseException))


def _transport_kind(exc: BaseException) -> tuple[str, bool]:
    """The kind of a transport failure and whether the deadline cut the retries short.

    Kinds: ``tls``, ``dns``, ``refused``, ``connect-timeout``, ``read-timeout``, ``broken``
    (reset, closed early, incomplete answer), ``url`` (bad base URL), ``wait`` (the rate
    limiter's turn is too far away) and ``other``.
    """
    chain = list(_walk_exception(exc))
    deadline = any(isinstance(item, _DeadlinePassed) for item in chain)
    if any(isinstance(item, WaitTooLong) for item in chain):
        return "wait", deadline

    def has(*types: type[BaseException]) -> bool:
        return any(isinstance(item, types) for item in chain)

    if has(requests.exceptions.SSLError, Urllib3SSLError, ssl.SSLError):
        return "tls", deadline
    if has(NameResolutionError, socket.gaierror):
        return "dns", deadline
    if has(ConnectionRefusedError):
        return "refused", deadline
    if has(requests.exceptions.ConnectTimeout) or any(
        isinstance(item, ConnectTimeoutError) and not isinstance(item, NewConnectionError)
        for item in chain
    ):
        return "connect-timeout", deadline
    if has(requests.exceptions.ReadTimeout, ReadTimeoutError, TimeoutError):
        return "read-timeout", deadline
    if has(
        requests.exceptions.ChunkedEncodingError,
        requests.exceptions.ContentDecodingError,
        ProtocolError,
        ConnectionError,
    ):
        return "broken", deadline
    if has(
        requests.exceptions.InvalidURL,
        requests.exceptions.MissingSchema,
        requests.exceptions.InvalidSchema,
    ):
        return "url", deadline
    return "other", deadline


# --------------------------------------------------------------------------- the client


def _socket_of(response: requests.Response) -> socket.socket | None:
    """The socket an answer is being read from, when urllib3 exposes it."""
    raw = getattr(response, "raw", None)
    connection = getattr(raw, "connection", None) or getattr(raw, "_connection", None)
    sock = getattr(connection, "sock", None)
    return sock if isinstance(sock, socket.socket) else None


class SmartleadClient:
    """Reads one SmartLead account through its public API (``/api/v1``).

    >>> from smartlead.connection import Connection
    >>> with SmartleadClient(Connection.to("my-key")) as client:  # doctest: +SKIP
    ...     campaigns = client.list_campaigns()

    ``timeout`` bounds each wait for bytes (connects get ``min(5, timeout)``; default
    ``SMARTLEAD_TIMEOUT``, 20 s), ``retries`` is how often a connect failure, a 429 or a 5xx
    is retried (read failures once), ``backoff`` the exponential backoff factor, and
    ``deadline`` the most one call may spend, retries and reading included (waiting for the
    rate limiter's turn excluded). ``limiter`` defaults to the connection's one limiter
    (:func:`~smartlead.ratelimit.limiter_for`); tests may give their own.

    Every failure raises a ``smartlead.errors.SmartleadError`` subclass. A client is not
    thread-safe (its ``requests.Session`` is not): give each thread its own.
    """

    def __init__(
        self,
        connection: Connection,
        *,
        timeout: float | None = None,
        retries: int = 3,
        backoff: float = 0.5,
        deadline: float = 45.0,
        limiter: RateLimiter | None = None,
    ) -> None:
        if not isinstance(connection, Connection):
            raise TypeError("SmartleadClient takes a Connection: Connection.to(api_key)")
        if timeout is None:
            timeout = settings.request_timeout_seconds()
        if retries < 0 or timeout <= 0 or deadline <= 0 or backoff < 0:
            raise ValueError("retries and backoff must be >= 0, timeout and deadline > 0")
        install_log_redaction()
        self.connection = connection
        self.timeout = float(timeout)
        self.deadline = float(deadline)
        self.retries = int(retries)
        self.backoff = float(backoff)
        self.limiter = limiter if limiter is not None else limiter_for(connection)
        self._timeouts = (min(5.0, self.timeout), self.timeout)
        self._count_lock = threading.Lock()
        self._request_count = 0
        self._rate_limited_count = 0
        self._granted_at: float | None = None
        self._last_wait: float | None = None
        self._active = 0.0
        self._resumed: float | None = None

        retry = _DeadlineRetry(
            total=retries,
            connect=retries,
            read=1,
            status=retries,
            status_forcelist=RETRY_STATUSES,
            allowed_methods=frozenset({"GET"}),
            backoff_factor=backoff,
            backoff_max=8,
            respect_retry_after_header=True,
            retry_after_max=min(10.0, self.deadline),  # type: ignore[arg-type]
            raise_on_status=False,
            deadline=self.deadline,
            on_answer=self._answered,
            gate=self._take_turn,
        )
        self._session = requests.Session()
        self._session.headers.update({"Accept": "application/json", "User-Agent": _USER_AGENT})
        adapter = _DeadlineAdapter(retry, gate=self._take_turn, on_answer=self._answered)
        self._session.mount("http://", adapter)
        self._session.mount("https://", adapter)

    # ------------------------------------------------------------------ housekeeping

    @property
    def base_url(self) -> str:
        """The API root this client calls (it never holds the key)."""
        return self.connection.base_url

    @property
    def host(self) -> str:
        """The API's host name (and port, when one is given), for messages."""
        return self.connection.host

    @property
    def request_count(self) -> int:
        """How many HTTP answers this client has received, retried attempts included."""
        with self._count_lock:
            return self._request_count

    @property
    def rate_limited_count(self) -> int:
        """How many of those answers were 429 (SmartLead's rate limit), retried ones included."""
        with self._count_lock:
            return self._rate_limited_count

    def _take_turn(self) -> float:
        """Wait for the rate limiter's turn; the seconds waited do not count to the deadline.

        A turn further away than :meth:`max_wait` (SmartLead asked for a long pause, or its
        budget for the hour is spent) ends the request with a rate-limit error instead.
        """
        now = time.monotonic()
        if self._resumed is not None:
            self._active += now - self._resumed
        try:
            waited = self.limiter.acquire(max_wait=self.max_wait())
        except WaitTooLong as too_long:
            self._last_wait = too_long.seconds
            raise
        self._granted_at = self.limiter.now()
        self._resumed = time.monotonic()
        return waited

    def max_wait(self) -> float:
        """The longest turn at the rate limiter a request waits for before giving up.

        A whole window of the longest limit in force (SmartLead's 60-a-minute budget waited
        out) is normal pacing; a longer wait (an hourly budget spent, a long Retry-After) is
        reported as a rate-limit error instead of holding a page for many minutes.
        """
        longest = max(rule.per_seconds for rule in self.limiter.in_force())
        return max(self.deadline, min(longest + 2.0, MAX_TURN_SECONDS))

    def _active_seconds(self) -> float:
        """Seconds this request has spent on the wire so far (turns at the limiter excluded)."""
        if self._resumed is None:
            return self._active
        return self._active + time.monotonic() - self._resumed

    def _answered(self, status: int, headers: Any) -> None:
        """Count an answer and tell the limiter what SmartLead said about the budget."""
        limit, remaining, reset = parse_rate_headers(headers)
        self.limiter.observe(limit, remaining, reset, sent_at=self._granted_at)
        with self._count_lock:
            self._request_count += 1
            if status == 429:
                self._rate_limited_count += 1
        if status == 429:
            wait = parse_retry_after(headers.get("Retry-After"))
            if wait is None:
                wait = reset
            self._last_wait = wait
            # Everyone of this key holds back: for what SmartLead named, else one window.
            self.limiter.pause(wait if wait is not None else self.limiter.rules[0].per_seconds)

    def close(self) -> None:
        """Close the underlying HTTP session and its pooled connections."""
        self._session.close()

    def __enter__(self) -> SmartleadClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"SmartleadClient(host={self.host!r})"

    def _clean(self, text: str, limit: int = API_TEXT_LIMIT) -> str:
        """Upstream text for a message: the key (whole or in part) removed *first*, then cut.

        Redacting after cutting or re-spacing would miss a key split by either.
        """
        redacted = self.connection.redact(text)
        return _REDACTED_PARAM.sub("[API key removed]", _shorten(redacted, limit))

    @staticmethod
    def _said(api_text: str | None) -> str:
        return f" SmartLead said: “{api_text}”" if api_text else ""

    # ------------------------------------------------------------------ the choke point

    def _get_json(
        self,
        path: str,
        params: dict[str, Any] | None = None,
        *,
        not_found_ok: bool = False,
        holds_passwords: bool = False,
    ) -> Any:
        """GET ``path`` (relative to the base URL) with the key added; return decoded JSON.

        With ``not_found_ok`` a 404 or an empty 2xx body returns None instead of raising.
        Raises a ``SmartleadError`` subclass for every failure, never a ``requests`` error.
        With ``holds_passwords`` (mailbox answers carry them) an error never quotes the
        answer's text, and SmartLead's own error text has any password-like value masked.
        """
        return self._get_answer(
            path, params, not_found_ok=not_found_ok, holds_passwords=holds_passwords
        )[0]

    def _get_answer(
        self,
        path: str,
        params: dict[str, Any] | None = None,
        *,
        not_found_ok: bool = False,
        holds_passwords: bool = False,
    ) -> tuple[Any, bytes]:
        """:meth:`_get_json`'s decoded JSON, and the body's bytes as they came (empty for an
        answer holding passwords, which are never kept)."""
        query = {key: value for key, value in (params or {}).items() if value is not None}
        query["api_key"] = self.connection.api_key
        url = f"{self.connection.base_url}/{path.lstrip('/')}"
        failure: SmartleadError | None = None
        response: requests.Response | None = None
        body = b""
        limit = settings.max_response_bytes()
        self._last_wait = None
        self._active, self._resumed = 0.0, None
        try:
            response = self._session.get(
                url, params=query, timeout=self._timeouts, allow_redirects=False, stream=True
            )
            body, failure = self._read_body(response, limit)
        except Exception as exc:  # every transport failure becomes a SmartleadError
            # Only the *kind* of failure leaves this block: exc and its chain quote the URL.
            kind, deadline_hit = _transport_kind(exc)
            failure = self._transport_error(kind, deadline_hit)
        finally:
            if response is not None:
                response.close()
        del query  # holds the key: keep it out of this frame's locals once sent
        if failure is not None:
            raise failure
        assert response is not None
        status = response.status_code
        _log.debug("GET %s -> %s (%d bytes)", path, status, len(body))
        headers = response.headers
        if status == 404 and not_found_ok:
            return None, b""
        if not holds_passwords:
            if not 200 <= status < 300:
                raise self._status_error(path, status, body, headers)
            content_type = headers.get("Content-Type", "")
            return self._decode(path, status, body, content_type, not_found_ok), body
        payload: Any = None
        try:
            if not 200 <= status < 300:
                failure = self._status_error(path, status, body, headers)
            else:
                payload = self._decode(
                    path, status, body, headers.get("Content-Type", ""), not_found_ok, quote=False
                )
        except SmartleadError as exc:
            failure = exc
        del body
        if failure is not None:
            raise _without_passwords(failure)  # outside the except block: nothing chained
        return payload, b""

    def _read_body(
        self, response: requests.Response, limit: int
    ) -> tuple[bytes, SmartleadError | None]:
        """The answer's body: at most ``limit`` bytes, within the deadline, however it arrives.

        A read timeout only bounds each wait for the next bytes, so a server that drips one
        byte at a time (even within a Content-Length) would hold the call for ever. A watchdog
        shuts the socket down when the deadline passes, which ends any blocked read.
        """
        cut = threading.Event()
        sock = _socket_of(response)

        def shut() -> None:
            cut.set()
            if sock is not None:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)

        watchdog = threading.Timer(max(self.deadline - self._active_seconds(), 0.05), shut)
        watchdog.daemon = True
        watchdog.start()
        chunks: list[bytes] = []
        size = 0
        try:
            for chunk in response.iter_content(chunk_size=1 << 16):
                size += len(chunk)
                if size > limit:
                    return b"", UnexpectedResponseError(
                        f"SmartLead's answer is larger than {limit / 1e6:.0f} MB, the most that "
                        "is read (SMARTLEAD_MAX_RESPONSE_MB); nothing was loaded.",
                        status=response.status_code,
                        remedy=Remedy.RAISE_SIZE_LIMIT,
                        setting=settings.ENV_MAX_RESPONSE_MB,
                    )
                if cut.is_set():
                    break
                chunks.append(chunk)
        except Exception:
            if not cut.is_set():
                raise
        finally:
            watchdog.cancel()
        if cut.is_set():
            return b"", RequestTimeoutError(
                f"SmartLead at {self.host} was still sending its answer after "
                f"{self.deadline:.0f} s; nothing was loaded.",
                status=response.status_code,
            )
        return b"".join(chunks), None

    def _transport_error(self, kind: str, deadline_hit: bool) -> SmartleadError:
        where = f"SmartLead could not be reached at {self.host}"
        address = {"remedy": Remedy.CHECK_ADDRESS, "setting": settings.ENV_BASE_URL}
        if kind == "wait":
            wait = self._last_wait
            named = f" for about {math.ceil(wait)} s" if wait else ""
            return RateLimitError(
                f"SmartLead's rate limit for this key is used up{named}, longer than one "
                "request may wait; nothing was sent.",
                status=None,
                retry_after=wait,
            )
        if kind == "tls":
            return ConnectionFailedError(
                f"{where}: the secure (TLS) connection failed, a certificate or protocol problem."
            )
        if kind == "dns":
            return ConnectionFailedError(f"{where}: the host name was not found.", **address)
        if kind == "refused":
            return ConnectionFailedError(f"{where}: the connection was refused.", **address)
        if kind == "broken":
            return ConnectionFailedError(
                f"The connection to SmartLead at {self.host} broke off before the whole answer "
                "arrived."
            )
        if kind == "url":
            return ConnectionFailedError(
                f"The SmartLead API address for {self.host} is not usable.", **address
            )
        if kind in ("connect-timeout", "read-timeout") or deadline_hit:
            if deadline_hit:
                what = (
                    f"SmartLead at {self.host} did not answer within {self.deadline:.0f} s, "
                    "the time allowed for one request, retries included"
                )
            elif kind == "connect-timeout":
                what = (
                    f"SmartLead at {self.host} could not be connected to within "
                    f"{self._timeouts[0]:g} s, even after retrying"
                )
            else:
                what = (
                    f"SmartLead at {self.host} did not answer within {self.timeout:g} s, "
                    "even after retrying"
                )
            return RequestTimeoutError(f"{what}.")
        return ConnectionFailedError(f"{where}: the request failed before an answer.")

    def _error_body(self, body: bytes, content_type: str) -> tuple[Any, str | None]:
        """(decoded JSON or None, SmartLead's redacted text) of an error answer."""
        text = body[:ERROR_BODY_LIMIT].decode("utf-8", errors="replace")
        if _looks_like_html(body, content_type):
            title = _html_title(text)
            return None, self._clean(title) if title else None
        try:
            payload = json.loads(text)
        except (ValueError, RecursionError):
            stripped = text.strip()
            return None, self._clean(stripped) if stripped else None
        api_text = _api_text(payload)
        return payload, self._clean(api_text) if api_text else None

    def _status_error(self, path: str, status: int, body: bytes, headers: Any) -> SmartleadError:
        payload, api_text = self._error_body(body, headers.get("Content-Type", ""))
        said = self._said(api_text)
        address = {"remedy": Remedy.CHECK_ADDRESS, "setting": settings.ENV_BASE_URL}
        if status == 401:
            return AuthenticationError(
                f"SmartLead rejected the API key (HTTP 401).{said}",
                status=status,
                api_message=api_text,
            )
        if status == 403:
            return AuthenticationError(
                "SmartLead refused this API key access (HTTP 403): the account may not be "
                f"allowed to use the API.{said}",
                status=status,
                api_message=api_text,
            )
        if status == 429:
            _, _, reset = parse_rate_headers(headers)
            retry_after = parse_retry_after(headers.get("Retry-After"))
            if retry_after is None:
                retry_after = reset if reset is not None else _body_retry_after(payload)
            wait = f"; it asked to wait {max(1, math.ceil(retry_after))} s" if retry_after else ""
            tries = self.retries + 1
            return RateLimitError(
                f"SmartLead refused the request for its rate limit (HTTP 429), {tries} "
                f"time{'s' if tries != 1 else ''}{wait}.{said}",
                status=status,
                api_message=api_text,
                retry_after=retry_after,
            )
        if status >= 500:
            return ServerError(
                f"SmartLead had a server problem (HTTP {status}) that lasted through "
                f"{self.retries} retr{'ies' if self.retries != 1 else 'y'}.{said}",
                status=status,
                api_message=api_text,
            )
        if 300 <= status < 400:
            target = _redirect_host(headers.get("Location", ""))
            return UnexpectedResponseError(
                f"SmartLead answered {path} with a redirect (HTTP {status}) to {target}, which "
                "is not followed (the key would travel along).",
                status=status,
                api_message=api_text,
                **address,
            )
        return UnexpectedResponseError(
            f"SmartLead refused the request for {path} (HTTP {status}).{said}",
            status=status,
            api_message=api_text,
            **address,
        )

    def _decode(
        self,
        path: str,
        status: int,
        body: bytes,
        content_type: str,
        not_found_ok: bool,
        *,
        quote: bool = True,
    ) -> Any:
        """The decoded answer, or the error saying why it cannot be read; with ``quote`` an
        answer that is not JSON is quoted (its first 60 characters) in the message."""
        if not body.strip():
            if not_found_ok:
                return None
            raise UnexpectedResponseError(
                f"SmartLead's answer to {path} (HTTP {status}) was empty.", status=status
            )
        if _looks_like_html(body, content_type):
            title = _html_title(body[:ERROR_BODY_LIMIT].decode("utf-8", errors="replace"))
            title = self._clean(title) if title else None
            named = f" titled “{title}”" if title else ""
            raise UnexpectedResponseError(
                f"SmartLead answered {path} with a web page{named} (HTTP {status}) instead of "
                "data.",
                status=status,
                api_message=title,
                remedy=Remedy.CHECK_ADDRESS,
                setting=settings.ENV_BASE_URL,
            )
        problem: str | None = None
        text = ""
        try:
            text = body.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            problem = f"is not valid UTF-8 text (bad byte at position {exc.start})"
        payload: Any = None
        if problem is None and json_depth(body) > MAX_JSON_DEPTH:
            problem = (
                f"is nested too deeply to be read as JSON (more than {MAX_JSON_DEPTH} levels of "
                "lists and objects)"
            )
        if problem is None:
            try:
                payload = perf.loads(text)
            except RecursionError:
                problem = "is nested too deeply to be read as JSON"
            except ValueError as exc:
                detail = getattr(exc, "msg", "unreadable")
                where = f": line {exc.lineno}, column {exc.colno}" if hasattr(exc, "lineno") else ""
                began = f"; it began: {self._clean(text, 60)}" if quote else ""
                problem = f"is not valid JSON ({detail}{where}){began}"
        if problem is not None:
            raise UnexpectedResponseError(
                f"SmartLead's answer to {path} (HTTP {status}) {problem}.", status=status
            )
        report = _error_report(payload)
        if report is not None:
            api_text = self._clean(report) if report else None
            raise UnexpectedResponseError(
                f"SmartLead answered {path} with an error report instead of data "
                f"(HTTP {status}).{self._said(api_text)}",
                status=status,
                api_message=api_text,
            )
        return payload

    # ------------------------------------------------------------------ shapes

    def _unwrap_list(self, payload: Any, keys: tuple[str, ...], path: str, what: str) -> list[Any]:
        """The list inside ``payload``: a bare array or the first of ``keys`` present."""
        found = find_list(payload, keys)
        if found is not None:
            return found
        # No list anywhere find_list looks: say what was at the first key present, if any.
        present = [key for key in keys if key in payload] if isinstance(payload, dict) else []
        if present:
            key, inner = present[0], payload[present[0]]
            nested = key == "data" and isinstance(inner, dict)
            if nested and any(k != "data" and k in inner for k in keys):
                return self._unwrap_list(inner, keys, path, what)
            raise UnexpectedResponseError(
                f"SmartLead's answer to {path} held {self._clean(describe_json(inner))} "
                f"under “{self._clean(key, 40)}” instead of {what}.",
                status=200,
            )
        raise UnexpectedResponseError(
            f"SmartLead's answer to {path} was {self._clean(describe_json(payload))}, not {what}.",
            status=200,
        )

    # ------------------------------------------------------------------ endpoints

    def list_campaigns(self, client_id: int | None = None, include_tags: bool = True) -> list[Any]:
        """Every campaign of the account (``GET /campaigns/``), newest first.

        ``client_id`` limits the list to one agency client. Records are returned exactly as
        SmartLead sent them (even ones that are not objects); nothing is dropped here.
        """
        return self.list_campaigns_as_sent(client_id, include_tags)[0]

    def list_campaigns_as_sent(
        self, client_id: int | None = None, include_tags: bool = True
    ) -> tuple[list[Any], bytes]:
        """:meth:`list_campaigns`, and the answer's bytes exactly as SmartLead sent them: a
        history store keeps those (:func:`campaigns_in_answer` reads them back) rather than
        encoding every record again after each fetch."""
        params: dict[str, Any] = {"include_tags": "true" if include_tags else "false"}
        if client_id is not None:
            params["client_id"] = client_id
        payload, body = self._get_answer("/campaigns/", params)
        records = self._unwrap_list(payload, CAMPAIGN_LIST_KEYS, "/campaigns/", "a campaign list")
        return records, body

    def list_clients(self) -> list[Any]:
        """The agency's clients (``GET /client/``): ``[{"id", "name", "email", ...}, ...]``.

        Raises ``NotAnAgencyError`` when SmartLead answers 403 or 404 (a key without agency
        access); the caller then shows campaigns by client id.
        """
        refused: tuple[int | None, str | None] | None = None
        try:
            payload = self._get_json("/client/")
        except (AuthenticationError, UnexpectedResponseError) as exc:
            if exc.status not in (403, 404):
                raise
            refused = (exc.status, exc.api_message)
        if refused is not None:
            status, api_text = refused
            raise NotAnAgencyError(
                "This key has no agency access (HTTP "
                f"{status}), so client names are unavailable.{self._said(api_text)}",
                status=status,
                api_message=api_text,
            )
        return self._unwrap_list(payload, ("clients", "data"), "/client/", "a client list")

    def get_campaign(self, campaign: int) -> dict[str, Any] | None:
        """One campaign (``GET /campaigns/{id}``) as SmartLead sent it, or None if it has none.

        SmartLead documents a 404 for an unknown id, but the live API has answered 200 with
        ``{}`` or with an empty body: all three mean None here.
        """
        cid = campaign_id(campaign)
        path = f"/campaigns/{cid}"
        payload = self._get_json(path, not_found_ok=True)
        if payload is None or payload == {}:
            return None
        if isinstance(payload, dict):
            return payload
        raise UnexpectedResponseError(
            f"SmartLead's answer to {path} was {self._clean(describe_json(payload))}, not a "
            "campaign.",
            status=200,
        )

    def campaign_analytics(self, campaign: int) -> dict[str, int | None]:
        """One campaign's all-time totals (``GET /campaigns/{id}/analytics``) as numbers.

        Returns :func:`smartlead.records.parse_analytics` of the answer (every counter name
        present, None when unknown, never 0). An answer wrapped in ``data`` is unwrapped.
        A campaign SmartLead does not know for this key (400, 404, an empty body or ``{}``)
        raises :class:`UnknownCampaignError` saying so, rather than passing for a campaign
        that sent nothing, or blaming the API address.
        """
        cid = campaign_id(campaign)
        path = f"/campaigns/{cid}/analytics"
        unknown = _unknown_campaign(cid)
        try:
            payload = self._get_json(path, not_found_ok=True)
        except UnexpectedResponseError as exc:
            if exc.status != 400:
                raise
            payload, unknown.status = None, 400
        return self._campaign_analytics_of(payload, path, unknown)

    def _campaign_analytics_of(
        self, payload: Any, path: str, unknown: UnknownCampaignError
    ) -> dict[str, int | None]:
        """One campaign's analytics answer read: unwrapped from ``data``, ``unknown`` raised
        for an empty one (SmartLead's way of not knowing the campaign), an answer without any
        counter refused, then :func:`smartlead.records.parse_analytics`."""
        if (
            isinstance(payload, dict)
            and not holds_analytics(payload)
            and isinstance(payload.get("data"), dict)
        ):
            payload = payload["data"]
        if payload is None or payload == {}:
            raise unknown
        if not isinstance(payload, dict) or not holds_analytics(payload):
            raise UnexpectedResponseError(
                f"SmartLead's answer to {path} was {self._clean(describe_json(payload))}, not "
                "a campaign's analytics (none of sent_count, reply_count, ... was there).",
                status=200,
            )
        return parse_analytics(payload)

    def list_email_accounts(self, offset: int = 0, limit: int = MAILBOX_PAGE_SIZE) -> list[Any]:
        """One page of the account's mailboxes (``GET /email-accounts/?offset=&limit=``).

        SmartLead answers a bare array and refuses ``limit`` above 100 (422), so a caller pages
        until a page is shorter than ``limit`` (:mod:`smartlead.mailbox_loader` does). Each
        record comes back as SmartLead sent it **without** ``password``, ``imap_password`` or
        any other credential (:func:`smartlead.passwords.strip_secrets`): even a caller that
        logs the answer cannot leak one.
        """
        if not 1 <= limit <= MAILBOX_PAGE_SIZE:
            raise ValueError(f"limit is 1 to {MAILBOX_PAGE_SIZE} (SmartLead refuses more)")
        if offset < 0:
            raise ValueError("offset is 0 or more")
        path = "/email-accounts/"
        payload = self._get_json(
            path, {"offset": int(offset), "limit": int(limit)}, holds_passwords=True
        )
        records = self._unwrap_list(payload, ("email_accounts", "data"), path, "a mailbox list")
        return strip_secrets(records)

    def campaign_email_accounts(self, campaign: int) -> list[Any]:
        """The mailboxes a campaign sends from (``GET /campaigns/{id}/email-accounts``), the
        same objects as :meth:`list_email_accounts` (passwords dropped); ``[]`` for none.

        A campaign SmartLead does not know for this key (400, 404, an empty body or ``{}``)
        raises :class:`UnknownCampaignError`.
        """
        cid = campaign_id(campaign)
        path = f"/campaigns/{cid}/email-accounts"
        unknown = _unknown_campaign(cid)
        try:
            payload = self._get_json(path, not_found_ok=True, holds_passwords=True)
        except UnexpectedResponseError as exc:
            if exc.status != 400:
                raise
            payload, unknown.status = None, 400
        if payload is None or payload == {}:
            raise unknown
        records = self._unwrap_list(payload, ("email_accounts", "data"), path, "a mailbox list")
        return strip_secrets(records)

    # ------------------------------------------------------------------ window analytics

    def _analytics_json(self, path: str, params: dict[str, Any]) -> Any:
        """GET an analytics endpoint; a 404 means this account or plan lacks it."""
        missing: UnexpectedResponseError | None = None
        try:
            return self._get_json(path, params)
        except UnexpectedResponseError as exc:
            if exc.status != 404:
                raise
            missing = exc
        raise AnalyticsUnavailableError(
            f"SmartLead answered {path} with “not found” (HTTP 404): this account or its plan "
            f"does not offer these analytics.{self._said(missing.api_message)}",
            endpoint=path,
            api_message=missing.api_message,
        )

    def campaign_overall_stats(
        self,
        start: date,
        end: date,
        *,
        timezone: str | None = None,
        client_ids: Iterable[int] | None = None,
        campaign_ids: Iterable[int] | None = None,
        limit: int | None = None,
        offset: int | None = None,
        full_data: bool = True,
    ) -> list[Any]:
        """One page of many campaigns' figures for a date range
        (``GET /analytics/campaign/overall-stats``): the rows of ``campaign_wise_performance``
        exactly as SmartLead sent them.

        ``client_ids``/``campaign_ids`` narrow the answer (sent comma-separated); ``limit`` and
        ``offset`` page it; ``full_data`` asks for the extras (leads emailed, positive replies,
        unsubscribes, rates). A 404 raises :class:`AnalyticsUnavailableError`.
        """
        path = "/analytics/campaign/overall-stats"
        params = {
            **_range_params(start, end, timezone, client_ids, campaign_ids),
            "limit": limit,
            "offset": offset,
            "full_data": "true" if full_data else None,
        }
        payload = self._analytics_json(path, params)
        return self._unwrap_list(
            payload, ("campaign_wise_performance", "data"), path, "a list of campaign figures"
        )

    def day_wise_overall_stats(
        self,
        start: date,
        end: date,
        *,
        timezone: str | None = None,
        client_ids: Iterable[int] | None = None,
        campaign_ids: Iterable[int] | None = None,
    ) -> list[Any]:
        """The account's sending per day for a date range
        (``GET /analytics/day-wise-overall-stats``): the rows of ``day_wise_stats`` exactly as
        SmartLead sent them (their dates carry no year). A 404 raises
        :class:`AnalyticsUnavailableError`.
        """
        path = "/analytics/day-wise-overall-stats"
        payload = self._analytics_json(
            path, _range_params(start, end, timezone, client_ids, campaign_ids)
        )
        return self._unwrap_list(payload, ("day_wise_stats", "data"), path, "a list of days")

    def campaign_analytics_by_date(
        self, campaign: int, start: date, end: date
    ) -> dict[str, int | None]:
        """One campaign's figures for a date range of at most 30 days
        (``GET /campaigns/{id}/analytics-by-date``), read like :meth:`campaign_analytics`.

        SmartLead's refusal of a longer range (400, "Date difference should be max of
        30days") is raised as it came; another 400, a 404 or an empty answer means SmartLead
        does not know the campaign (:class:`UnknownCampaignError`).
        """
        cid = campaign_id(campaign)
        path = f"/campaigns/{cid}/analytics-by-date"
        unknown = _unknown_campaign(cid)
        try:
            payload = self._get_json(
                path,
                {"start_date": start.isoformat(), "end_date": end.isoformat()},
                not_found_ok=True,
            )
        except UnexpectedResponseError as exc:
            if exc.status != 400 or "date" in (exc.api_message or "").lower():
                raise
            payload, unknown.status = None, 400
        return self._campaign_analytics_of(payload, path, unknown)


def _unknown_campaign(cid: int) -> UnknownCampaignError:
    """The error for a campaign SmartLead does not know for this key (its status is set to
    the 400 that said so, where one did)."""
    return UnknownCampaignError(
        f"SmartLead does not know campaign {cid} for this key: it may have been deleted, "
        "or belong to another account.",
        status=None,
    )


def _without_passwords(error: SmartleadError) -> SmartleadError:
    """``error`` with every password-like value in its message and SmartLead's text masked,
    and without the traceback of the frames that held the answer."""
    error.args = tuple(mask_secrets(arg) if isinstance(arg, str) else arg for arg in error.args)
    if error.api_message:
        error.api_message = mask_secrets(error.api_message)
    return error.with_traceback(None)


def _redirect_host(location: str) -> str:
    """The host a redirect points at (never its path or query), for messages."""
    from urllib.parse import urlsplit

    try:
        host = urlsplit(location).hostname
    except ValueError:
        host = None
    return host or "another address"


def _id_list(ids: Iterable[int] | None) -> str | None:
    """Ids as SmartLead takes them in a query: comma-separated (None for no narrowing)."""
    if ids is None:
        return None
    return ",".join(str(campaign_id(value)) for value in ids)


def _range_params(
    start: date,
    end: date,
    timezone: str | None,
    client_ids: Iterable[int] | None,
    campaign_ids: Iterable[int] | None,
) -> dict[str, Any]:
    """The query of a window analytics request (absent values are left out)."""
    return {
        "start_date": start.isoformat(),
        "end_date": end.isoformat(),
        "timezone": timezone,
        "client_ids": _id_list(client_ids),
        "campaign_ids": _id_list(campaign_ids),
    }
