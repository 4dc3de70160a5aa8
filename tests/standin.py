"""A stand-in SmartLead API server for tests, benchmarks and manual runs.

It is a real HTTP server on 127.0.0.1 (a free port unless one is given), so the client is
tested through ``requests``, ``urllib3`` and real sockets rather than mocks. It serves
``GET /api/v1/campaigns/`` and ``GET /api/v1/client/`` the way SmartLead documents them,
can be taught more routes (``add_route``), logs every request (``requests``, ``count``), and
can be scripted to misbehave (``script``, ``always`` with ``Reply``: error statuses, HTML
pages, invalid JSON or UTF-8, delays, connections reset or cut short).

It also serves ``GET /campaigns/{id}`` and ``GET /campaigns/{id}/analytics`` as the live API
does: a campaign the key does not own is answered 200 with ``{}`` (its analytics with 400 and
``{"error": "Invalid campaign id'"}``), and analytics come with
counters as strings, derived deterministically from the id (``sample_analytics``: some sent
as numbers, some null, a few malformed). Two options make it behave like SmartLead under
load: ``rate_limit=(10, 2.0)`` answers 429 with ``Retry-After`` and SmartLead's error body to
a key that sent more than 10 requests in the last 2 seconds (a sliding window over accepted
requests, across every endpoint, checked before anything else, as the help centre's limit
reads); ``rate_limit=(60, 60.0), rate_headers=True`` behaves as the API reference describes
(a fixed window per key, ``x-ratelimit-limit``, ``-remaining`` and ``-reset`` on every
answer, a 429 that names its wait only in ``x-ratelimit-reset``); and ``analytics_errors=0.02``
answers the first analytics request of about 2 % of the campaigns (always the same ones) with
SmartLead's 500.

Manual use, serving the demo portfolio to the dashboard::

    python -m tests.standin --port 8765 --campaigns 300 --key demo-key --rate-limit 10/2
    SMARTLEAD_BASE_URL=http://127.0.0.1:8765/api/v1 streamlit run app.py

It never prints a request line: those hold API keys.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import math
import random
import re
import socket
import struct
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from smartlead.demo import demo_analytics
from tests.builders import sample_campaigns, sample_clients
from tests.standin_mailboxes import register_mailboxes

API_PREFIX = "/api/v1"
"""Every route lives under this prefix, as on server.smartlead.ai."""

TEST_KEY = "sk-test-key"
"""The key the ``standin`` fixture's portfolio belongs to."""

CANARY_KEY = "sk-LEAK-CANARY-7f3a9c1e"
"""A key that must never show up in any message, log line or traceback (leak tests)."""

FAULTS = ("reset", "truncate", "drop")
"""Ways a ``Reply`` can break the connection mid-answer."""

SHAPES = ("bare", "campaigns", "data", "success")
"""How ``/campaigns/`` may wrap its list (SmartLead documents more than one)."""

RESET_FORMATS = ("seconds", "epoch")
"""How ``x-ratelimit-reset`` may be written: seconds to wait, or the Unix time of the reset."""


# --------------------------------------------------------------------------- sample data


def sample_analytics(campaign_id: int, record: dict[str, Any] | None = None) -> dict[str, Any]:
    """What the stand-in answers to ``GET /campaigns/{id}/analytics`` (the demo's figures)."""
    return demo_analytics(campaign_id, record)


def _flaky(campaign_id: int, fraction: float) -> bool:
    """Whether ``campaign_id`` is among the ``fraction`` whose first analytics call fails."""
    return random.Random(campaign_id * 31 + 7).random() < fraction


# --------------------------------------------------------------------------- replies


@dataclass
class Reply:
    """One scripted answer: status, body, headers, and optionally a delay or a fault.

    ``body``: bytes are sent as they are, a str is UTF-8 encoded, anything else is JSON
    encoded (so ``Reply(body=None)`` sends ``null``). ``delay`` sleeps before answering;
    ``fault="reset"`` sends the headers and part of the body, then resets the connection
    (RST); ``fault="truncate"`` announces the whole body but sends half, then closes;
    ``fault="drop"`` resets the connection before any answer (a crashed upstream).
    ``drip`` sends the body one byte every ``drip`` seconds, its whole length announced in
    Content-Length (a server that never stalls long enough for a read timeout).
    """

    status: int = 200
    body: bytes | str | object = b""
    headers: dict[str, str] | None = None
    content_type: str | None = None
    delay: float = 0.0
    fault: str | None = None
    drip: float = 0.0

    def __post_init__(self) -> None:
        if self.fault is not None and self.fault not in FAULTS:
            raise ValueError(f"fault must be one of {FAULTS}, not {self.fault!r}")

    def payload(self) -> bytes:
        """The body as bytes."""
        if isinstance(self.body, bytes):
            return self.body
        if isinstance(self.body, str):
            return self.body.encode("utf-8")
        return json.dumps(self.body).encode("utf-8")

    def resolved_content_type(self) -> str:
        """The Content-Type header to send (JSON unless told otherwise)."""
        return self.content_type or "application/json; charset=utf-8"

    @classmethod
    def json(cls, body: object, status: int = 200, **kwargs: Any) -> Reply:
        """A JSON answer (unlike ``Reply(body=...)``, a str is sent as a JSON string)."""
        return cls(status=status, body=json.dumps(body).encode("utf-8"), **kwargs)

    @classmethod
    def invalid_key(cls) -> Reply:
        """SmartLead's 401 for an unknown or missing key."""
        return cls(status=401, body={"message": "Invalid API Key"})

    @classmethod
    def not_an_agency(cls) -> Reply:
        """The 403 a key without agency access gets on ``/client/``."""
        return cls(status=403, body={"message": "Forbidden: not an agency account"})

    @classmethod
    def not_found(cls, path: str) -> Reply:
        """The 404 for a route that does not exist (names the path, never the query)."""
        return cls(status=404, body={"message": f"Cannot GET {path}"})

    @classmethod
    def rate_limited(cls, retry_after: int = 1) -> Reply:
        """SmartLead's documented 429: a Retry-After header and the error object."""
        return cls(
            status=429,
            headers={"Retry-After": str(retry_after)},
            body={
                "error": {
                    "code": "RATE_LIMIT_EXCEEDED",
                    "message": "Rate limit exceeded",
                    "retry_after": retry_after,
                }
            },
        )

    @classmethod
    def server_error(cls, status: int = 500) -> Reply:
        """SmartLead's documented 500 body."""
        return cls(status=status, body={"error": "Internal server error occurred"})

    @classmethod
    def html(cls, status: int = 502, title: str | None = None) -> Reply:
        """An nginx-style error page, as a load balancer sends it."""
        from http import HTTPStatus

        try:
            phrase = HTTPStatus(status).phrase
        except ValueError:
            phrase = "Error"
        title = title or f"{status} {phrase}"
        page = (
            f"<html>\r\n<head><title>{title}</title></head>\r\n<body>\r\n"
            f"<center><h1>{title}</h1></center>\r\n<hr><center>nginx</center>\r\n"
            "</body>\r\n</html>\r\n"
        )
        return cls(status=status, body=page, content_type="text/html")

    @classmethod
    def invalid_json(cls, status: int = 200) -> Reply:
        """A body that claims to be JSON but is cut off mid-object."""
        return cls(status=status, body=b'{"campaigns": [{"id": 1, "name": "Broken')

    @classmethod
    def invalid_utf8(cls, status: int = 200) -> Reply:
        """JSON whose text holds bytes that are not UTF-8."""
        return cls(status=status, body=b'[{"id": 1, "name": "Caf\xe9 \xff\xfe"}]')


# --------------------------------------------------------------------------- requests


@dataclass(frozen=True)
class LoggedRequest:
    """One request the stand-in received (the query includes ``api_key``: do not print it)."""

    method: str
    path: str
    query: dict[str, str]
    status: int
    time: float
    fault: str | None = None


@dataclass
class StandinRequest:
    """What a route handler gets: the parsed request and the server it arrived at.

    ``path`` is relative to ``/api/v1`` as sent (trailing slash kept); ``params`` holds
    the route pattern's named groups; ``query`` the first value of each query parameter.
    """

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    params: dict[str, str]
    standin: StandinSmartlead

    @property
    def api_key(self) -> str | None:
        """The ``api_key`` query parameter, if any."""
        return self.query.get("api_key")

    def flag(self, name: str) -> bool:
        """A boolean query parameter: true when it reads ``true``/``1``/``yes``."""
        return self.query.get(name, "").strip().lower() in ("true", "1", "yes")


Handler = Callable[[StandinRequest], Reply]


@dataclass
class _Route:
    method: str
    pattern: re.Pattern[str]
    handler: Handler
    auth: bool = True


def _normalise(path: str) -> str:
    """A path relative to the API prefix, without query or trailing slash ("/" stays)."""
    path = urlsplit(path).path or "/"
    if path == API_PREFIX or path.startswith(API_PREFIX + "/"):
        path = path[len(API_PREFIX) :] or "/"
    if len(path) > 1:
        path = path.rstrip("/") or "/"
    return path


# --------------------------------------------------------------------------- the server


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    standin: StandinSmartlead

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Stay quiet: clients hang up on purpose in tests (timeouts, faults)."""


class _RequestHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "StandinSmartlead/1.0"
    timeout = 30  # an idle keep-alive connection frees its thread after this long
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        """Print nothing: a request line holds the API key."""

    def do_GET(self) -> None:
        self._dispatch("GET")

    def do_POST(self) -> None:
        self._dispatch("POST")

    def do_DELETE(self) -> None:
        self._dispatch("DELETE")

    def _dispatch(self, method: str) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        reply = self.server.standin._answer(method, self.path, dict(self.headers))
        self._send(reply)

    def _send(self, reply: Reply) -> None:
        if reply.delay > 0:
            time.sleep(reply.delay)
        if reply.fault == "drop":
            self.close_connection = True
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()
            return
        body = reply.payload()
        announced = len(body)
        sent = body
        if reply.fault == "reset":
            announced = len(body) + 1024
            sent = body[: len(body) // 2]
        elif reply.fault == "truncate":
            sent = body[: len(body) // 2]
        self.send_response(reply.status)
        self.send_header("Content-Type", reply.resolved_content_type())
        self.send_header("Content-Length", str(announced))
        for name, value in (reply.headers or {}).items():
            self.send_header(name, value)
        if reply.fault is not None:
            self.send_header("Connection", "close")
        self.end_headers()
        if reply.drip > 0:
            self._drip(sent, reply.drip)
            return
        self.wfile.write(sent)
        self.wfile.flush()
        if reply.fault is None:
            return
        self.close_connection = True
        if reply.fault == "reset":
            time.sleep(0.05)  # let the client read the headers before the reset arrives
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()  # linger 0: the kernel sends RST, not FIN
        else:
            self.connection.shutdown(socket.SHUT_RDWR)

    def _drip(self, body: bytes, seconds_per_byte: float) -> None:
        """Send ``body`` one byte at a time until it is sent or the client hangs up."""
        self.close_connection = True
        try:
            for position in range(len(body)):
                self.wfile.write(body[position : position + 1])
                self.wfile.flush()
                time.sleep(seconds_per_byte)
        except OSError:
            return  # the client gave up: what a drip is for


class StandinSmartlead:
    """A local, scriptable SmartLead API (see the module docstring).

    ``portfolios`` maps each known API key to the campaign records it owns (any JSON
    values); ``clients`` maps a key to its client list, or None (absent) for a key
    without agency access, which ``/client/`` answers with 403. ``shape`` chooses how
    ``/campaigns/`` wraps its list: ``bare``, ``campaigns``, ``data`` or ``success``.
    ``rate_limit=(requests, seconds)`` enforces SmartLead's rate limit per key and
    ``analytics_errors`` fails the first analytics call of that fraction of campaigns (see
    the module docstring); both may also be set on a running stand-in.
    """

    def __init__(
        self,
        portfolios: dict[str, list] | None = None,
        clients: dict[str, list[dict] | None] | None = None,
        shape: str = "bare",
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        rate_limit: tuple[int, float] | None = None,
        rate_headers: bool = False,
        reset_format: str = "seconds",
        analytics_errors: float = 0.0,
    ) -> None:
        if shape not in SHAPES:
            raise ValueError(f"shape must be one of {SHAPES}, not {shape!r}")
        if rate_limit is not None and (rate_limit[0] < 1 or rate_limit[1] <= 0):
            raise ValueError("rate_limit is (requests >= 1, seconds > 0)")
        if reset_format not in RESET_FORMATS:
            raise ValueError(f"reset_format must be one of {RESET_FORMATS}")
        self.rate_limit = rate_limit
        self.rate_headers = rate_headers
        self.reset_format = reset_format
        self.analytics_errors = analytics_errors
        self._windows: dict[str | None, deque[float]] = {}
        self._fixed: dict[str | None, list[float]] = {}
        self._failed_once: set[int] = set()
        self.portfolios: dict[str, list] = dict(portfolios or {})
        self.clients: dict[str, list[dict] | None] = dict(clients or {})
        self.shape = shape
        self._host = host
        self._requested_port = port
        self._lock = threading.Lock()
        self._log: list[LoggedRequest] = []
        self._scripts: dict[str, deque[Reply]] = {}
        self._always: dict[str, Reply] = {}
        self._routes: list[_Route] = []
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self.add_route("GET", r"/campaigns", self._campaigns)
        self.add_route("GET", r"/client", self._clients)
        self.add_route("GET", r"/campaigns/(?P<campaign_id>\d+)", self._campaign)
        self.add_route("GET", r"/campaigns/(?P<campaign_id>\d+)/analytics", self._analytics)
        register_mailboxes(self)  # /email-accounts/ and /campaigns/{id}/email-accounts
        from tests.standin_analytics import register  # window analytics, in their own module

        register(self)

    # ------------------------------------------------------------------ lifecycle

    def start(self) -> StandinSmartlead:
        """Bind the port and serve from a daemon thread; returns self."""
        if self._server is not None:
            return self
        server = _Server((self._host, self._requested_port), _RequestHandler)
        server.standin = self
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"standin-smartlead-{self.port}",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and free the port (requests still sleeping are abandoned)."""
        server, self._server = self._server, None
        if server is None:
            return
        server.shutdown()
        server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> StandinSmartlead:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        """The port being served (only known once started)."""
        if self._server is None:
            raise RuntimeError("the stand-in is not running: call start() first")
        return self._server.server_address[1]

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:<port>/api/v1``, the value for SMARTLEAD_BASE_URL."""
        return f"http://{self._host}:{self.port}{API_PREFIX}"

    # ------------------------------------------------------------------ routes

    def add_route(self, method: str, pattern: str, handler: Handler, *, auth: bool = True):
        """Serve ``method pattern`` with ``handler(request) -> Reply``.

        ``pattern`` is a regular expression matched in full against the path relative to
        ``/api/v1`` without its trailing slash (``r"/campaigns/(?P<campaign_id>\\d+)"``);
        named groups arrive in ``request.params``. With ``auth`` (the default) a missing
        or unknown key is answered 401 before the handler runs. Routes added later win.
        """
        route = _Route(method.upper(), re.compile(pattern), handler, auth)
        with self._lock:
            self._routes.append(route)

    def known_key(self, key: str | None) -> bool:
        """Whether ``key`` is one this stand-in serves."""
        return key is not None and (key in self.portfolios or key in self.clients)

    def _campaigns(self, request: StandinRequest) -> Reply:
        records = list(self.portfolios.get(request.api_key or "", []))
        client_id = request.query.get("client_id")
        if client_id is not None:
            records = [
                record
                for record in records
                if isinstance(record, dict) and str(record.get("client_id")) == client_id
            ]
        if not request.flag("include_tags"):
            records = [
                {k: v for k, v in record.items() if k != "tags"}
                if isinstance(record, dict)
                else record
                for record in records
            ]
        if self.shape == "campaigns":
            return Reply.json({"campaigns": records})
        if self.shape == "data":
            return Reply.json({"data": records})
        if self.shape == "success":
            return Reply.json({"success": True, "campaigns": records})
        return Reply.json(records)

    def _clients(self, request: StandinRequest) -> Reply:
        clients = self.clients.get(request.api_key or "")
        if clients is None:
            return Reply.not_an_agency()
        return Reply.json(list(clients))

    def _owned(self, request: StandinRequest) -> dict[str, Any] | None:
        """The campaign named in the path if the request's key owns it, else None."""
        wanted = int(request.params["campaign_id"])
        for record in self.portfolios.get(request.api_key or "", []):
            if isinstance(record, dict) and record.get("id") == wanted:
                return record
        return None

    def _campaign(self, request: StandinRequest) -> Reply:
        # The live API answers 200 with {} for a campaign it does not know (docs: 404).
        return Reply.json(self._owned(request) or {})

    def _analytics(self, request: StandinRequest) -> Reply:
        record = self._owned(request)
        if record is None:  # the live API: 400 for an unknown or another account's campaign
            return Reply.json({"error": "Invalid campaign id'"}, status=400)
        campaign_id = int(request.params["campaign_id"])
        if self.analytics_errors > 0 and _flaky(campaign_id, self.analytics_errors):
            with self._lock:
                first = campaign_id not in self._failed_once
                self._failed_once.add(campaign_id)
            if first:
                return Reply.server_error()
        return Reply.json(sample_analytics(campaign_id, record))

    def _over_limit(self, key: str | None, now: float) -> tuple[Reply | None, dict[str, str]]:
        """SmartLead's 429 when ``key`` has used up its budget, else None (and count it);
        with the rate-limit headers every answer carries, when the stand-in sends them.

        Without headers (``rate_headers=False``, as the help centre's "10 requests every 2
        seconds" reads): a sliding window over accepted requests, and a 429 with
        ``Retry-After``. With headers (the API reference's "60 per 60 s"): a fixed window
        that starts with the first request after the last one ended, ``x-ratelimit-limit``,
        ``-remaining`` and ``-reset`` on every answer, and a 429 without ``Retry-After``
        (its wait is in ``x-ratelimit-reset``).
        """
        if self.rate_limit is None:
            return None, {}
        allowed, seconds = self.rate_limit
        if not self.rate_headers:
            with self._lock:
                window = self._windows.setdefault(key, deque())
                while window and window[0] <= now - seconds:
                    window.popleft()
                if len(window) < allowed:
                    window.append(now)
                    return None, {}
                wait = window[0] + seconds - now
            return Reply.rate_limited(retry_after=max(1, math.ceil(wait))), {}
        with self._lock:
            state = self._fixed.setdefault(key, [now, 0])
            if now >= state[0] + seconds:
                state[0], state[1] = now, 0
            accepted = state[1] < allowed
            if accepted:
                state[1] += 1
            remaining, reset_in = allowed - state[1], state[0] + seconds - now
        if self.reset_format == "epoch":
            reset = str(math.ceil(time.time() + reset_in))
        else:
            reset = str(math.ceil(reset_in))
        headers = {
            "x-ratelimit-limit": str(allowed),
            "x-ratelimit-remaining": str(remaining),
            "x-ratelimit-reset": reset,
        }
        if accepted:
            return None, headers
        refused = Reply.rate_limited(retry_after=max(1, math.ceil(reset_in)))
        refused.headers = dict(headers)  # no Retry-After: the wait is in x-ratelimit-reset
        return refused, headers

    # ------------------------------------------------------------------ scripting

    def script(self, path: str, *replies: Reply) -> None:
        """Queue ``replies`` for ``path`` (e.g. ``"/campaigns/"``), used first in, first out.

        Scripted replies come before routing and key checks; ``"*"`` matches every path.
        """
        with self._lock:
            self._scripts.setdefault(_script_key(path), deque()).extend(replies)

    def always(self, path: str, reply: Reply | None) -> None:
        """Answer ``path`` with ``reply`` whenever its queue is empty (None: stop doing so)."""
        with self._lock:
            if reply is None:
                self._always.pop(_script_key(path), None)
            else:
                self._always[_script_key(path)] = reply

    def clear_scripts(self) -> None:
        """Forget every queued and standing reply."""
        with self._lock:
            self._scripts.clear()
            self._always.clear()

    def _scripted(self, path: str) -> Reply | None:
        with self._lock:
            for key in (path, "*"):
                queue = self._scripts.get(key)
                if queue:
                    return queue.popleft()
            for key in (path, "*"):
                if key in self._always:
                    return self._always[key]
        return None

    # ------------------------------------------------------------------ log

    @property
    def requests(self) -> list[LoggedRequest]:
        """A copy of the request log, oldest first."""
        with self._lock:
            return list(self._log)

    def count(self, path_prefix: str = "/campaigns") -> int:
        """How many logged requests have a path (relative to /api/v1) starting so."""
        with self._lock:
            return sum(1 for entry in self._log if entry.path.startswith(path_prefix))

    def count_status(self, status: int, path_prefix: str = "") -> int:
        """How many logged requests were answered ``status`` (e.g. 429), optionally by path."""
        with self._lock:
            return sum(
                1
                for entry in self._log
                if entry.status == status and entry.path.startswith(path_prefix)
            )

    @property
    def rate_limited(self) -> int:
        """How many requests were answered 429 (the rate limit's or a scripted one)."""
        return self.count_status(429)

    def reset_log(self) -> None:
        """Forget every logged request."""
        with self._lock:
            self._log.clear()

    # ------------------------------------------------------------------ answering

    def _answer(self, method: str, raw_path: str, headers: dict[str, str]) -> Reply:
        parts = urlsplit(raw_path)
        full_path = parts.path or "/"
        under_api = full_path == API_PREFIX or full_path.startswith(API_PREFIX + "/")
        path = (full_path[len(API_PREFIX) :] or "/") if under_api else full_path
        query = {name: values[0] for name, values in parse_qs(parts.query).items()}
        reply, rate_headers = self._over_limit(query.get("api_key"), time.monotonic())
        if reply is None and under_api:
            reply = self._scripted(_normalise(full_path))
        if reply is None:
            reply = self._route(method, full_path, path, query, headers, under_api)
        if rate_headers:
            reply = dataclasses.replace(reply, headers={**(reply.headers or {}), **rate_headers})
        entry = LoggedRequest(method, path, query, reply.status, time.monotonic(), reply.fault)
        with self._lock:
            self._log.append(entry)
        return reply

    def _route(
        self,
        method: str,
        full_path: str,
        path: str,
        query: dict[str, str],
        headers: dict[str, str],
        under_api: bool,
    ) -> Reply:
        if not under_api:
            return Reply.not_found(full_path)
        normalised = _normalise(full_path)
        with self._lock:
            routes = list(reversed(self._routes))
        for route in routes:
            if route.method != method:
                continue
            match = route.pattern.fullmatch(normalised)
            if match is None:
                continue
            request = StandinRequest(method, path, query, headers, match.groupdict(), self)
            if route.auth and not self.known_key(request.api_key):
                return Reply.invalid_key()
            return route.handler(request)
        return Reply.not_found(full_path)


def _script_key(path: str) -> str:
    return "*" if path == "*" else _normalise(path)


# --------------------------------------------------------------------------- manual use


def _main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m tests.standin",
        description="Serve a demo SmartLead portfolio on a local stand-in API.",
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--campaigns", type=int, default=300, help="portfolio size")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--key", default="demo-key", help="the API key to accept")
    parser.add_argument("--shape", choices=SHAPES, default="bare")
    parser.add_argument("--no-agency", action="store_true", help="answer /client/ with 403")
    parser.add_argument(
        "--rate-limit",
        default=None,
        metavar="N/S",
        help="answer 429 past N requests per S seconds per key (e.g. 10/2)",
    )
    parser.add_argument(
        "--rate-headers",
        action="store_true",
        help="a fixed window with x-ratelimit-* headers (the API reference's behaviour)",
    )
    parser.add_argument(
        "--analytics-errors",
        type=float,
        default=0.0,
        metavar="FRACTION",
        help="fail the first analytics call of this fraction of campaigns with 500",
    )
    args = parser.parse_args(argv)
    rate_limit = None
    if args.rate_limit:
        allowed, _, seconds = args.rate_limit.partition("/")
        rate_limit = (int(allowed), float(seconds or 1))

    from smartlead import demo  # lazily: only the manual run needs it

    campaigns = demo.demo_campaigns(args.campaigns, seed=args.seed, awkward_names=True)
    client_ids = {c.get("client_id") for c in campaigns if isinstance(c, dict)} - {None}
    named = getattr(demo, "demo_clients", list)()
    known = {client.get("id") for client in named}
    clients = list(named) + [
        {"id": cid, "name": f"Client {cid}", "email": f"client{cid}@example.com"}
        for cid in sorted(client_ids - known, key=str)
    ]
    standin = StandinSmartlead(
        portfolios={args.key: campaigns},
        clients={} if args.no_agency else {args.key: clients},
        shape=args.shape,
        host=args.host,
        port=args.port,
        rate_limit=rate_limit,
        rate_headers=args.rate_headers,
        analytics_errors=args.analytics_errors,
    )
    with standin:
        print(f"Stand-in SmartLead serving {len(campaigns)} campaigns at {standin.base_url}")
        print(f"  SMARTLEAD_BASE_URL={standin.base_url}  SMARTLEAD_API_KEY={args.key}")
        print("Press Ctrl-C to stop.", flush=True)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            print("Stopped.")


if __name__ == "__main__":
    _main()


__all__ = [
    "API_PREFIX",
    "CANARY_KEY",
    "FAULTS",
    "SHAPES",
    "TEST_KEY",
    "LoggedRequest",
    "Reply",
    "StandinRequest",
    "StandinSmartlead",
    "sample_analytics",
    "sample_campaigns",
    "sample_clients",
]
