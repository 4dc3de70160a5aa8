"""A small typed HTTP client for SmartLead's read API.

Modelled on pyairtable's client: one ``requests.Session`` per client, a ``urllib3`` ``Retry``
mounted on its adapter, a timeout on every call and one exception hierarchy
(``smartlead.errors``). Every endpoint goes through one choke point, ``_get_json``, which adds
the key, retries what is worth retrying, and turns every failure into a ``SmartleadError``
whose message a person can act on.

Two rules shape the code:

* **The key never leaks.** It travels in the query string, so every URL holds it, and the
  exceptions of ``requests``/``urllib3`` quote URLs. Those exceptions are therefore only
  inspected inside their ``except`` block (for their *kind*: refused, DNS, timeout, ...),
  never stringified, and our own exception is raised after the block, so its ``__cause__``
  and ``__context__`` stay empty. SmartLead's own error text is redacted too, and
  ``install_log_redaction`` scrubs urllib3's log lines.
* **The wait is bounded.** Retries honour ``Retry-After`` and back off exponentially, but a
  per-request deadline (``_DeadlineRetry``) stops retrying once the next pause would pass it,
  so a dead or throttling server costs about ``deadline`` seconds, not minutes.

Bulk work (``fetch_analytics``: one request per campaign) needs two more things from the
client, both optional and off by default: a ``gate`` called before *every* HTTP attempt,
retries included (a shared rate limiter's ``acquire``), and an ``on_rate_limited`` hook told
of every 429 answer and its ``Retry-After`` (so the limiter can back off for every worker, not
only the one that was refused).
"""

from __future__ import annotations

import email.utils
import html
import json
import logging
import math
import operator
import re
import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

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
from smartlead.redact import install_log_redaction, redact

if TYPE_CHECKING:  # analytics imports this module; only the type checker needs the reverse
    from smartlead.analytics import AnalyticsBatch, Progress, RateLimiter

__all__ = [
    "ANALYTICS_COUNTERS",
    "LEAD_STAT_COUNTERS",
    "RETRY_STATUSES",
    "SmartleadClient",
    "describe_json",
    "parse_analytics",
    "parse_counter",
]

_log = logging.getLogger(__name__)

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
"""Statuses worth asking again for: rate limiting and the server's temporary failures."""

API_TEXT_LIMIT = 200
"""SmartLead's own error text is cut to about this many characters in messages."""

_USER_AGENT = "smartlead-portfolio/0.1 (+python-requests)"

# What ``redact`` leaves of an ``api_key`` parameter; messages drop even that.
_REDACTED_PARAM = re.compile(r"api_key(?:=|%3D)\*\*\*", re.IGNORECASE)

# Keys of an object that carries nothing but an error report.
_ERROR_ONLY_KEYS = frozenset(
    {"error", "message", "code", "status", "statusCode", "success", "ok", "retry_after"}
)


# --------------------------------------------------------------------------- retries


class _DeadlinePassed(MaxRetryError):
    """Raised by ``_DeadlineRetry`` when the next pause would pass the deadline."""


class _DeadlineRetry(Retry):
    """A ``Retry`` that also gives up once the next pause would pass a deadline.

    The start time (``time.monotonic()``) is carried through ``new()``, so every retry of
    one request measures from that request's start. ``on_response`` is called for each
    answered attempt that is retried (the final answer is counted by the adapter), and
    ``on_rate_limited(retry_after)`` for each of those that was a 429. ``gate`` is called
    after every pause, right before the next attempt goes out (a rate limiter's turn).
    """

    def __init__(
        self,
        *args: Any,
        deadline: float | None = None,
        started: float | None = None,
        on_response: Callable[[], None] | None = None,
        gate: Callable[[], Any] | None = None,
        on_rate_limited: Callable[[float | None], None] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.deadline = deadline
        self.started = started
        self.on_response = on_response
        self.gate = gate
        self.on_rate_limited = on_rate_limited

    def new(self, **kw: Any) -> _DeadlineRetry:
        kw.setdefault("deadline", self.deadline)
        kw.setdefault("started", self.started)
        kw.setdefault("on_response", self.on_response)
        kw.setdefault("gate", self.gate)
        kw.setdefault("on_rate_limited", self.on_rate_limited)
        return super().new(**kw)

    def sleep(self, response: Any = None) -> None:
        """Wait as urllib3 does (Retry-After, else backoff), then take a turn at the gate."""
        super().sleep(response)
        if self.gate is not None:
            self.gate()

    def get_retry_after(self, response: Any) -> float | None:
        # A Retry-After urllib3 cannot parse falls back to the backoff instead of failing.
        try:
            return super().get_retry_after(response)
        except InvalidHeader:
            return None

    def next_pause(self, response: Any = None) -> float:
        """How long ``sleep(response)`` will wait before the next attempt."""
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
        new_retry = super().increment(method, url, response, error, _pool, _stacktrace)
        if new_retry.started is None:
            new_retry.started = started
        if self.deadline is not None:
            elapsed = time.monotonic() - started
            if elapsed + new_retry.next_pause(response) > self.deadline:
                reason = error or ResponseError("the time allowed for this request ran out")
                raise _DeadlinePassed(_pool, url, reason)  # type: ignore[arg-type]
        if response is not None and self.on_response is not None:
            self.on_response()
        if response is not None and response.status == 429 and self.on_rate_limited:
            self.on_rate_limited(self.get_retry_after(response))
        return new_retry


class _DeadlineAdapter(HTTPAdapter):
    """An adapter that hands each request a fresh ``_DeadlineRetry`` whose clock starts now.

    ``HTTPAdapter.send`` reads ``self.max_retries`` once per request; making it a property
    stamps the start time per request without any shared mutable state (thread-safe).
    """

    def __init__(
        self,
        retry: _DeadlineRetry,
        on_response: Callable[[], None],
        gate: Callable[[], Any] | None = None,
        on_rate_limited: Callable[[float | None], None] | None = None,
    ) -> None:
        self._on_response = on_response
        self._gate = gate
        self._on_rate_limited = on_rate_limited
        super().__init__(max_retries=retry)

    @property  # type: ignore[override]
    def max_retries(self) -> Retry:
        return self._retry_template.new(started=time.monotonic())

    @max_retries.setter
    def max_retries(self, value: Retry) -> None:
        self._retry_template = value

    def send(self, request: requests.PreparedRequest, *args: Any, **kwargs: Any) -> Any:
        if self._gate is not None:
            self._gate()
        response = super().send(request, *args, **kwargs)
        self._on_response()
        if response.status_code == 429 and self._on_rate_limited is not None:
            after = _header_retry_after(response.headers.get("Retry-After"))
            limit = self._retry_template.retry_after_max
            self._on_rate_limited(None if after is None else min(after, limit))
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


def _header_retry_after(value: str | None) -> float | None:
    if not value or not value.strip():
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        parsed = email.utils.parsedate_tz(value)
        if parsed is None:
            return None
        seconds = email.utils.mktime_tz(parsed) - time.time()
    if not math.isfinite(seconds):
        return None
    return max(seconds, 0.0)


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
    (reset, closed early, incomplete answer), ``url`` (bad base URL) and ``other``.
    """
    chain = list(_walk_exception(exc))
    deadline = any(isinstance(item, _DeadlinePassed) for item in chain)

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


# --------------------------------------------------------------------------- analytics

ANALYTICS_COUNTERS: tuple[str, ...] = (
    "sent_count",
    "unique_sent_count",
    "open_count",
    "unique_open_count",
    "click_count",
    "unique_click_count",
    "reply_count",
    "bounce_count",
    "block_count",
    "unsubscribed_count",
    "total_count",
    "drafted_count",
    "sequence_count",
)
"""The counters of ``GET /campaigns/{id}/analytics``, under their API names."""

LEAD_STAT_COUNTERS: dict[str, str] = {
    "total": "leads_total",
    "notStarted": "leads_not_started",
    "inprogress": "leads_in_progress",
    "completed": "leads_completed",
    "paused": "leads_paused",
    "stopped": "leads_stopped",
    "blocked": "leads_blocked",
    "interested": "leads_interested",
}
"""``campaign_lead_stats`` keys → the flat names ``parse_analytics`` gives them."""

_INT64_MAX = 2**63 - 1
_DIGITS = re.compile(r"^[0-9]+(?:\.0*)?$")


def parse_counter(value: Any) -> int | None:
    """A SmartLead counter as an int, or None when it is missing or cannot be a count.

    SmartLead sends counters as strings (``"30"``); numbers are accepted too. ``"30"``,
    ``" 30 "``, ``30``, ``30.0`` and ``"30.0"`` give 30. None (null or missing), booleans,
    text that is not a whole number (``"abc"``, ``"3.5"``, ``""``), negative values (a count
    cannot be below zero: ``-1`` reads as a sentinel for "unknown", not as a number) and values
    past the 64-bit range give None: an unreadable counter is unknown, never 0.
    """
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    elif isinstance(value, float):
        if not math.isfinite(value) or not value.is_integer():
            return None
        number = int(value)
    elif isinstance(value, str):
        text = value.strip()
        if not _DIGITS.match(text):
            return None
        number = int(text.split(".", 1)[0])
    else:
        return None
    return number if 0 <= number <= _INT64_MAX else None


def parse_analytics(payload: Any) -> dict[str, int | None]:
    """The counters of one analytics answer, parsed: every name always present, None if unknown.

    Keys: ``ANALYTICS_COUNTERS`` under their API names, then ``campaign_lead_stats`` flattened
    to the names in ``LEAD_STAT_COUNTERS`` (``leads_total``, ``leads_not_started``, ...).
    Each value goes through ``parse_counter``. The client fields of the answer (``client_id``,
    ``client_name``, ...) are not counters and are left out: the campaign frame has them.
    """
    record = payload if isinstance(payload, dict) else {}
    parsed = {name: parse_counter(record.get(name)) for name in ANALYTICS_COUNTERS}
    stats = record.get("campaign_lead_stats")
    stats = stats if isinstance(stats, dict) else {}
    for api_name, name in LEAD_STAT_COUNTERS.items():
        parsed[name] = parse_counter(stats.get(api_name))
    return parsed


def _holds_analytics(payload: dict[str, Any]) -> bool:
    return "campaign_lead_stats" in payload or any(name in payload for name in ANALYTICS_COUNTERS)


def _campaign_id(value: Any) -> int:
    """A campaign id as a positive int (numpy integers are fine); ValueError otherwise."""
    if isinstance(value, bool):
        raise ValueError("a campaign id is a positive integer, not a boolean")
    try:
        number = operator.index(value)
    except TypeError:
        raise ValueError(
            f"a campaign id is a positive integer, not {type(value).__name__}"
        ) from None
    if number <= 0:
        raise ValueError(f"a campaign id is a positive integer, not {number}")
    return number


# --------------------------------------------------------------------------- the client


class SmartleadClient:
    """Reads a SmartLead account through its public API (``/api/v1``).

    >>> with SmartleadClient("my-key") as client:  # doctest: +SKIP
    ...     campaigns = client.list_campaigns()

    ``timeout`` bounds each read (connects get ``min(5, timeout)``; default
    ``SMARTLEAD_TIMEOUT``, 20 s), ``retries`` is how often
    a connect failure, a 429 or a 5xx is retried (read failures once), ``backoff`` the
    exponential backoff factor, and ``deadline`` the most one call may spend retrying.
    Every failure raises a ``smartlead.errors.SmartleadError`` subclass.

    ``gate`` (optional) is called before every HTTP attempt, retries included, and may block:
    pass a shared ``smartlead.analytics.RateLimiter``'s ``acquire``. ``on_rate_limited``
    (optional) is called with the wait SmartLead asked for (seconds, or None) on every 429
    answer. A client is not thread-safe (its ``requests.Session`` is not): give each thread
    its own.
    """

    def __init__(
        self,
        api_key: str,
        base_url: str | None = None,
        timeout: float | None = None,
        retries: int = 3,
        backoff: float = 0.5,
        deadline: float = 45.0,
        *,
        gate: Callable[[], Any] | None = None,
        on_rate_limited: Callable[[float | None], None] | None = None,
    ) -> None:
        if not isinstance(api_key, str) or not api_key.strip():
            raise AuthenticationError(
                "No API key given: enter your SmartLead API key (in SmartLead under "
                "Settings → API) or set SMARTLEAD_API_KEY."
            )
        if timeout is None:
            timeout = settings.request_timeout_seconds()
        if retries < 0 or timeout <= 0 or deadline <= 0 or backoff < 0:
            raise ValueError("retries and backoff must be >= 0, timeout and deadline > 0")
        install_log_redaction()
        self._api_key = api_key.strip()
        self._base_url = settings.base_url(base_url)
        parts = urlsplit(self._base_url)
        try:
            port = parts.port
        except ValueError:  # a port that is not a number
            port = -1
        if parts.scheme not in ("http", "https") or not parts.hostname or port == -1:
            shown = _shorten(self._redact(self._base_url), 80)
            raise ConnectionFailedError(
                f"The SmartLead API address “{shown}” is not an http(s) URL: check "
                "SMARTLEAD_BASE_URL."
            )
        self._host = parts.hostname + (f":{port}" if port else "")
        self.timeout = float(timeout)
        self.deadline = float(deadline)
        self.retries = int(retries)
        self.backoff = float(backoff)
        self._timeouts = (min(5.0, self.timeout), self.timeout)
        self._count_lock = threading.Lock()
        self._request_count = 0
        self._rate_limited_count = 0
        self._on_rate_limited = on_rate_limited

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
            on_response=self._count_response,
            gate=gate,
            on_rate_limited=self._note_rate_limited,
        )
        self._session = requests.Session()
        self._session.headers.update({"Accept": "application/json", "User-Agent": _USER_AGENT})
        adapter = _DeadlineAdapter(
            retry,
            on_response=self._count_response,
            gate=gate,
            on_rate_limited=self._note_rate_limited,
        )
        self._session.mount("http://", adapter)
        self._session.mount("https://", adapter)

    # ------------------------------------------------------------------ housekeeping

    @property
    def base_url(self) -> str:
        """The API root this client calls (it never holds the key)."""
        return self._base_url

    @property
    def host(self) -> str:
        """The API's host name (and port, when one is given), for messages."""
        return self._host

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

    def _count_response(self) -> None:
        with self._count_lock:
            self._request_count += 1

    def _note_rate_limited(self, retry_after: float | None) -> None:
        with self._count_lock:
            self._rate_limited_count += 1
        if self._on_rate_limited is not None:
            self._on_rate_limited(retry_after)

    def close(self) -> None:
        """Close the underlying HTTP session and its pooled connections."""
        self._session.close()

    def __enter__(self) -> SmartleadClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"SmartleadClient(host={self._host!r})"

    def redacted_url(self, path: str) -> str:
        """The URL of ``path`` without any query (and so without the key), for messages."""
        return f"{self._base_url}/{path.lstrip('/')}"

    def _redact(self, text: str) -> str:
        # Text for a message: no key, and not even a redacted "api_key=***" parameter.
        return _REDACTED_PARAM.sub("[API key removed]", redact(text, [self._api_key]))

    def _said(self, api_text: str | None) -> str:
        return f" SmartLead said: {api_text}" if api_text else ""

    # ------------------------------------------------------------------ the choke point

    def _get_json(
        self, path: str, params: dict[str, Any] | None = None, *, not_found_ok: bool = False
    ) -> Any:
        """GET ``path`` (relative to the base URL) with the key added; return decoded JSON.

        With ``not_found_ok`` a 404 or an empty 2xx body returns None instead of raising.
        Raises a ``SmartleadError`` subclass for every failure, never a ``requests`` error.
        """
        query = {key: value for key, value in (params or {}).items() if value is not None}
        query["api_key"] = self._api_key
        url = f"{self._base_url}/{path.lstrip('/')}"
        started = time.monotonic()
        failure: SmartleadError | None = None
        response: requests.Response | None = None
        body = b""
        limit = settings.max_response_bytes()
        try:
            response = self._session.get(
                url, params=query, timeout=self._timeouts, allow_redirects=False, stream=True
            )
            body, failure = self._read_body(response, limit, started)
        except Exception as exc:  # every transport failure becomes a SmartleadError
            # Only the *kind* of failure leaves this block: exc and its chain quote the URL.
            kind, deadline_hit = _transport_kind(exc)
            failure = self._transport_error(kind, deadline_hit, time.monotonic() - started)
        finally:
            if response is not None:
                response.close()
        del query  # holds the key: keep it out of this frame's locals once sent
        if failure is not None:
            raise failure
        assert response is not None
        status = response.status_code
        _log.debug(
            "GET %s -> %s (%d bytes, %.2f s)", path, status, len(body), time.monotonic() - started
        )
        headers = response.headers
        if status == 404 and not_found_ok:
            return None
        if not 200 <= status < 300:
            raise self._status_error(path, status, body, headers)
        return self._decode(path, status, body, headers.get("Content-Type", ""), not_found_ok)

    def _read_body(
        self, response: requests.Response, limit: int, started: float
    ) -> tuple[bytes, SmartleadError | None]:
        """The answer's body, read in chunks: at most ``limit`` bytes, within the deadline.

        A read timeout only bounds each wait for the next bytes, so a server that drips one
        byte every few seconds, or an endless answer, would otherwise hold the page forever.
        """
        chunks: list[bytes] = []
        size = 0
        for chunk in response.iter_content(chunk_size=1 << 20):
            size += len(chunk)
            if size > limit:
                return b"", UnexpectedResponseError(
                    f"SmartLead's answer is larger than {limit / 1e6:.0f} MB, the most the "
                    f"dashboard reads (SMARTLEAD_MAX_RESPONSE_MB); nothing was loaded. If the "
                    "account really is that large, raise the limit.",
                    status=response.status_code,
                )
            if time.monotonic() - started > self.deadline:
                return b"", RequestTimeoutError(
                    f"SmartLead at {self._host} was still sending after {self.deadline:.0f} s; "
                    "nothing was loaded. Try again later or press Refresh.",
                    status=response.status_code,
                )
            chunks.append(chunk)
        return b"".join(chunks), None

    def _transport_error(self, kind: str, deadline_hit: bool, elapsed: float) -> SmartleadError:
        where = f"SmartLead could not be reached at {self._host}"
        check = "check the network or SMARTLEAD_BASE_URL."
        if kind == "tls":
            return ConnectionFailedError(
                f"{where} (the secure TLS connection failed: certificate or protocol problem): "
                f"{check}"
            )
        if kind == "dns":
            return ConnectionFailedError(f"{where} (the host name was not found): {check}")
        if kind == "refused":
            return ConnectionFailedError(f"{where} (the connection was refused): {check}")
        if kind == "broken":
            return ConnectionFailedError(
                f"The connection to SmartLead at {self._host} broke off before the whole answer "
                "arrived; try again, and if it keeps happening check the network or "
                "SMARTLEAD_BASE_URL."
            )
        if kind == "url":
            return ConnectionFailedError(
                f"The SmartLead API address for {self._host} is not usable: check "
                "SMARTLEAD_BASE_URL."
            )
        if kind in ("connect-timeout", "read-timeout") or deadline_hit:
            if deadline_hit or elapsed >= self.deadline:
                what = f"SmartLead at {self._host} did not answer within {elapsed:.0f} s"
                hint = "the time allowed for one load, retries included"
            elif kind == "connect-timeout":
                what = f"SmartLead at {self._host} could not be connected to within "
                what += f"{self._timeouts[0]:g} s"
                hint = "even after retrying"
            else:
                what = f"SmartLead at {self._host} did not answer within {self.timeout:g} s"
                hint = "even after retrying"
            return RequestTimeoutError(
                f"{what} ({hint}); try again in a minute, or check the network."
            )
        return ConnectionFailedError(f"{where} (the request failed before an answer): {check}")

    def _error_body(self, body: bytes, content_type: str) -> tuple[Any, str | None]:
        """(decoded JSON or None, SmartLead's redacted text) of an error answer."""
        text = body.decode("utf-8", errors="replace")
        if _looks_like_html(body, content_type):
            title = _html_title(text)
            return None, self._redact(_shorten(title)) if title else None
        try:
            payload = json.loads(text)
        except ValueError:
            stripped = text.strip()
            return None, self._redact(_shorten(stripped)) if stripped else None
        api_text = _api_text(payload)
        return payload, self._redact(_shorten(api_text)) if api_text else None

    def _status_error(self, path: str, status: int, body: bytes, headers: Any) -> SmartleadError:
        payload, api_text = self._error_body(body, headers.get("Content-Type", ""))
        said = self._said(api_text)
        if status == 401:
            return AuthenticationError(
                f"SmartLead rejected the API key (401): check it in SmartLead under "
                f"Settings → API.{said}",
                status=status,
                api_message=api_text,
            )
        if status == 403:
            return AuthenticationError(
                "SmartLead refused this API key access (403): check the key in SmartLead "
                f"under Settings → API and that the account may use the API.{said}",
                status=status,
                api_message=api_text,
            )
        if status == 429:
            retry_after = _header_retry_after(headers.get("Retry-After"))
            if retry_after is None:
                retry_after = _body_retry_after(payload)
            wait = (
                f"wait about {max(1, math.ceil(retry_after))} s"
                if retry_after is not None
                else "wait a minute"
            )
            return RateLimitError(
                f"SmartLead is rate-limiting this key (429); {wait} and press Refresh.{said}",
                status=status,
                api_message=api_text,
                retry_after=retry_after,
            )
        if status >= 500:
            return ServerError(
                f"SmartLead had a server problem ({status}) that lasted through the retries; "
                f"try again in a few minutes.{said}",
                status=status,
                api_message=api_text,
            )
        if 300 <= status < 400:
            target = urlsplit(headers.get("Location", "")).hostname or "another address"
            return UnexpectedResponseError(
                f"SmartLead answered {path} with a redirect ({status}) to {target}, which is "
                "not followed (the key would travel along): check SMARTLEAD_BASE_URL.",
                status=status,
                api_message=api_text,
            )
        return UnexpectedResponseError(
            f"SmartLead refused the request for {path} ({status}); check SMARTLEAD_BASE_URL, "
            f"or the API may have changed.{said}",
            status=status,
            api_message=api_text,
        )

    def _decode(
        self, path: str, status: int, body: bytes, content_type: str, not_found_ok: bool
    ) -> Any:
        if not body.strip():
            if not_found_ok:
                return None
            raise UnexpectedResponseError(
                f"SmartLead's answer to {path} (HTTP {status}) was empty; try again later.",
                status=status,
            )
        if _looks_like_html(body, content_type):
            title = _html_title(body.decode("utf-8", errors="replace"))
            title = self._redact(_shorten(title)) if title else None
            named = f" titled “{title}”" if title else ""
            raise UnexpectedResponseError(
                f"SmartLead answered {path} with a web page{named} (HTTP {status}) instead of "
                "data: check that SMARTLEAD_BASE_URL points at the API (…/api/v1).",
                status=status,
                api_message=title,
            )
        problem: str | None = None
        text = ""
        try:
            text = body.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            problem = f"is not valid UTF-8 text (bad byte at position {exc.start})"
        payload: Any = None
        if problem is None:
            try:
                payload = perf.loads(text)
            except ValueError as exc:
                detail = getattr(exc, "msg", "unreadable")
                where = f": line {exc.lineno}, column {exc.colno}" if hasattr(exc, "lineno") else ""
                excerpt = self._redact(_shorten(text, 60))
                problem = f"is not valid JSON ({detail}{where}); it began: {excerpt}"
        if problem is not None:
            raise UnexpectedResponseError(
                f"SmartLead's answer to {path} (HTTP {status}) {problem}. Try again later.",
                status=status,
            )
        report = _error_report(payload)
        if report is not None:
            api_text = self._redact(_shorten(report)) if report else None
            raise UnexpectedResponseError(
                f"SmartLead answered {path} with an error report instead of data "
                f"(HTTP {status}); check the key and try again later.{self._said(api_text)}",
                status=status,
                api_message=api_text,
            )
        return payload

    # ------------------------------------------------------------------ shapes

    def _unwrap_list(self, payload: Any, keys: tuple[str, ...], path: str, what: str) -> list[Any]:
        """The list inside ``payload``: a bare array or the first of ``keys`` present."""
        if isinstance(payload, list):
            return list(payload)
        if isinstance(payload, dict):
            for key in keys:
                if key not in payload:
                    continue
                inner = payload[key]
                if inner is None:
                    return []
                if isinstance(inner, list):
                    return list(inner)
                if isinstance(inner, dict) and key == "data":
                    nested = [k for k in keys if k != "data" and k in inner]
                    if nested:
                        return self._unwrap_list(inner, keys, path, what)
                raise UnexpectedResponseError(
                    f"SmartLead's answer to {path} held {describe_json(inner)} under “{key}” "
                    f"instead of {what}; the dashboard cannot read it. Try again later; if it "
                    "persists, the API may have changed.",
                    status=200,
                )
        raise UnexpectedResponseError(
            f"SmartLead's answer to {path} was {self._redact(describe_json(payload))}, not "
            f"{what}; the dashboard cannot read it. Try again later; if it persists, the API "
            "may have changed.",
            status=200,
        )

    # ------------------------------------------------------------------ endpoints

    def list_campaigns(self, client_id: int | None = None, include_tags: bool = True) -> list[Any]:
        """Every campaign of the account (``GET /campaigns/``), newest first.

        ``client_id`` limits the list to one agency client. Records are returned exactly as
        SmartLead sent them (even ones that are not objects); nothing is dropped here.
        """
        params: dict[str, Any] = {"include_tags": "true" if include_tags else "false"}
        if client_id is not None:
            params["client_id"] = client_id
        payload = self._get_json("/campaigns/", params)
        return self._unwrap_list(payload, ("campaigns", "data"), "/campaigns/", "a campaign list")

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
                "This key has no agency access, so client names are unavailable; campaigns "
                f"are shown by client id.{self._said(api_text)}",
                status=status,
                api_message=api_text,
            )
        return self._unwrap_list(payload, ("clients", "data"), "/client/", "a client list")

    def get_campaign(self, campaign_id: int) -> dict[str, Any] | None:
        """One campaign (``GET /campaigns/{id}``) as SmartLead sent it, or None if it has none.

        SmartLead documents a 404 for an unknown id, but the live API has answered 200 with
        ``{}`` or with an empty body: all three mean None here.
        """
        cid = _campaign_id(campaign_id)
        path = f"/campaigns/{cid}"
        payload = self._get_json(path, not_found_ok=True)
        if payload is None or payload == {}:
            return None
        if isinstance(payload, dict):
            return payload
        raise UnexpectedResponseError(
            f"SmartLead's answer to {path} was {self._redact(describe_json(payload))}, not a "
            "campaign; the dashboard cannot read it. Try again later; if it persists, the API "
            "may have changed.",
            status=200,
        )

    def campaign_analytics(self, campaign_id: int) -> dict[str, int | None]:
        """One campaign's totals (``GET /campaigns/{id}/analytics``) as numbers.

        Returns ``parse_analytics`` of the answer: every counter name present, each an int or
        None (missing, null or malformed: unknown, never 0). An answer wrapped in ``data`` is
        unwrapped. A campaign SmartLead has no analytics for (404, an empty body or ``{}``,
        which the live API sends for a missing campaign) raises ``UnexpectedResponseError``
        saying so, rather than passing for a campaign with nothing sent.
        """
        cid = _campaign_id(campaign_id)
        path = f"/campaigns/{cid}/analytics"
        payload = self._get_json(path, not_found_ok=True)
        if (
            isinstance(payload, dict)
            and not _holds_analytics(payload)
            and isinstance(payload.get("data"), dict)
        ):
            payload = payload["data"]
        if payload is None or payload == {}:
            raise UnexpectedResponseError(
                f"SmartLead has no analytics for campaign {cid}: it answered with nothing. "
                "The campaign may have been deleted, or belong to another account.",
                status=None,
            )
        if not isinstance(payload, dict) or not _holds_analytics(payload):
            described = self._redact(describe_json(payload))
            raise UnexpectedResponseError(
                f"SmartLead's answer to {path} was {described}, not a campaign's analytics "
                "(none of sent_count, reply_count, ... was there); the dashboard cannot read "
                "it. Try again later; if it persists, the API may have changed.",
                status=200,
            )
        return parse_analytics(payload)

    def fetch_analytics(
        self,
        campaign_ids: Iterable[Any],
        *,
        limiter: RateLimiter | None = None,
        workers: int | None = None,
        progress: Progress | None = None,
    ) -> AnalyticsBatch:
        """Analytics of many campaigns at once: ``smartlead.analytics.fetch_analytics``.

        Runs with this client's key, address, timeout, retries, backoff and deadline, on
        clients of its own (one per worker thread); this client is not used by the workers.
        """
        from smartlead.analytics import fetch_analytics  # analytics imports this module

        return fetch_analytics(
            self._api_key,
            campaign_ids,
            base_url=self._base_url,
            limiter=limiter,
            workers=workers,
            progress=progress,
            timeout=self.timeout,
            retries=self.retries,
            backoff=self.backoff,
            deadline=self.deadline,
        )
