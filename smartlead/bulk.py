"""One request per campaign, for many campaigns, within the account's rate limit.

Some of SmartLead's figures exist only per campaign (all-time analytics with their lead
statistics, the mailboxes a campaign sends from), so a portfolio of 400 campaigns costs 400
requests. :func:`fetch_each` makes that affordable and honest:

- **The transport paces it.** Every worker's client shares the connection's one limiter
  (:func:`smartlead.ratelimit.limiter_for`), which keeps every published limit, follows
  SmartLead's headers and pauses everyone after a 429. The threads only hide each answer's
  latency; the limiter, not the thread count, sets the pace.
- **Failures are data.** A campaign that still fails after the client's retries goes into
  :attr:`Batch.failures` with the error's sentence (never a URL, so never the key); the
  others are fetched regardless. Only a rejected key (401/403) stops the batch early, since
  every further request would be refused too.
- **Progress in the caller's thread.** ``progress(done, total, elapsed, eta)`` is called from
  the thread that called :func:`fetch_each` (Streamlit can only draw from there).

Caching is the caller's: any set of ids goes in, per-id results come out, so a dashboard can
keep answers per (account, campaign) and fetch only what is missing or stale.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from smartlead.client import SmartleadClient
from smartlead.connection import Connection
from smartlead.errors import AuthenticationError, SmartleadError
from smartlead.ratelimit import RateLimiter, limiter_for
from smartlead.records import campaign_id

__all__ = [
    "ANSWER_SECONDS",
    "DEFAULT_WORKERS",
    "Batch",
    "Progress",
    "estimate_seconds",
    "fetch_analytics",
    "fetch_each",
]

_log = logging.getLogger(__name__)

T = TypeVar("T")

DEFAULT_WORKERS = 4
"""Worker threads of a bulk fetch. At 5 requests a second and a few hundred milliseconds an
answer, two or three requests in flight keep the limiter the bottleneck; four leave slack."""

ANSWER_SECONDS = 0.5
"""What :func:`estimate_seconds` adds for the last answers to arrive."""

Progress = Callable[[int, int, float, float], None]
"""``progress(done, total, elapsed_seconds, eta_seconds)``, called in the caller's thread."""


@dataclass
class Batch(Generic[T]):
    """What :func:`fetch_each` brings back: per-campaign results and failures, and figures.

    Every requested id is in exactly one of ``results`` and ``failures`` (a sentence saying
    why). ``requests`` counts HTTP answers (retries included), ``rate_limited`` those that
    were 429, ``elapsed`` is wall time in seconds, and ``aborted`` says why the batch stopped
    early (a rejected key), else None.
    """

    results: dict[int, T] = field(default_factory=dict)
    failures: dict[int, str] = field(default_factory=dict)
    requests: int = 0
    rate_limited: int = 0
    elapsed: float = 0.0
    aborted: str | None = None

    @property
    def total(self) -> int:
        """How many campaigns were asked for."""
        return len(self.results) + len(self.failures)

    @property
    def metrics(self) -> dict[int, T]:
        """The results, under the name the analytics callers use."""
        return self.results


class _Cancelled(Exception):
    """Raised at a worker's turn once the batch is being abandoned, to end its retries."""


def unique_ids(campaign_ids: Iterable[Any]) -> list[int]:
    """The ids in order, once each; null ids (NA, None, NaN) are skipped; others must be
    positive integers (``ValueError`` before any request otherwise)."""
    seen: dict[int, None] = {}
    for value in campaign_ids:
        if value is None or (isinstance(value, float) and math.isnan(value)):
            continue
        if type(value).__name__ in ("NAType", "NaTType"):
            continue
        seen.setdefault(campaign_id(value), None)
    return list(seen)


def estimate_seconds(count: int, limiter: RateLimiter) -> float:
    """About how long ``count`` requests take through ``limiter``, as things stand now.

    The time the limits in force impose (what was spent recently and what SmartLead's headers
    said is left included) plus :data:`ANSWER_SECONDS`; retries and 429s are not foreseen.
    0 for no requests.
    """
    if count <= 0:
        return 0.0
    return limiter.seconds_for(count) + ANSWER_SECONDS


def fetch_each(
    connection: Connection,
    campaign_ids: Iterable[Any],
    fetch: Callable[[SmartleadClient, int], T],
    *,
    workers: int | None = None,
    progress: Progress | None = None,
    limiter: RateLimiter | None = None,
    client_options: dict[str, Any] | None = None,
) -> Batch[T]:
    """``fetch(client, campaign_id)`` for every id, within the account's rate limit.

    ``campaign_ids``: duplicates and nulls are skipped; anything else that is not a positive
    integer raises ``ValueError`` before a request is made. ``limiter`` defaults to the
    connection's one limiter; ``workers`` to :data:`DEFAULT_WORKERS`; ``client_options``
    (timeout, retries, backoff, deadline) configure each worker's client.
    ``progress(done, total, elapsed, eta)`` is called in this thread once before the first
    answer and after each campaign (the last call has ``done == total``); if it raises (a
    Streamlit rerun does), the batch is abandoned and the exception passes through.

    Every failure other than a programming error is reported per campaign in
    :attr:`Batch.failures`.
    """
    ids = unique_ids(campaign_ids)
    options = dict(client_options or {})
    total = len(ids)
    started = time.monotonic()
    batch: Batch[T] = Batch()
    shared = limiter if limiter is not None else limiter_for(connection)
    if progress is not None:
        progress(0, total, 0.0, estimate_seconds(total, shared))
    if not ids:
        return batch

    stop = threading.Event()
    local = threading.local()
    clients: list[SmartleadClient] = []
    clients_lock = threading.Lock()

    class _StoppableLimiter:
        """The shared limiter, refusing new turns once the batch is abandoned."""

        def __getattr__(self, name: str) -> Any:
            return getattr(shared, name)

        def acquire(self, max_wait: float | None = None) -> float:
            if stop.is_set():
                raise _Cancelled
            waited = shared.acquire(max_wait=max_wait)
            if stop.is_set():  # abandoned while waiting for a turn
                raise _Cancelled
            return waited

    gate = _StoppableLimiter()

    def client() -> SmartleadClient:
        made = getattr(local, "client", None)
        if made is None:
            made = SmartleadClient(connection, limiter=gate, **options)  # type: ignore[arg-type]
            local.client = made
            with clients_lock:
                clients.append(made)
        return made

    def fetch_one(cid: int) -> tuple[int, Any, str | None, bool]:
        """(id, result, failure, key_rejected) for one campaign; never raises."""
        if stop.is_set():
            return cid, None, None, False
        try:
            return cid, fetch(client(), cid), None, False
        except AuthenticationError as exc:
            stop.set()
            return cid, None, str(exc), True
        except SmartleadError as exc:
            return cid, None, (None if stop.is_set() else str(exc)), False
        except Exception as exc:  # a bug must not sink the batch; its text may quote data
            _log.warning("campaign %s failed: %s", cid, type(exc).__name__)
            return cid, None, f"Reading this campaign failed ({type(exc).__name__}).", False

    executor = ThreadPoolExecutor(
        max_workers=max(1, min(workers or DEFAULT_WORKERS, 32, total)),
        thread_name_prefix="smartlead-bulk",
    )
    finished = False
    got: dict[int, Any] = {}
    failed: dict[int, str] = {}
    try:
        futures = [executor.submit(fetch_one, cid) for cid in ids]
        for done, future in enumerate(as_completed(futures), start=1):
            cid, result, failure, rejected = future.result()
            if rejected and batch.aborted is None:
                batch.aborted = failure
            if failure is None and result is not None:
                got[cid] = result
            else:
                failed[cid] = failure or ""  # "": skipped, said once the loop ends
            if progress is not None:
                elapsed = time.monotonic() - started
                remaining = total - done
                eta = 0.0 if remaining == 0 else estimate_seconds(remaining, shared)
                if remaining > 0:
                    eta = max(eta, elapsed / done * remaining)
                progress(done, total, elapsed, eta)
        finished = True
    finally:
        stop.set()
        executor.shutdown(wait=finished, cancel_futures=True)
    with clients_lock:
        batch.requests = sum(made.request_count for made in clients)
        batch.rate_limited = sum(made.rate_limited_count for made in clients)
        for made in clients:
            made.close()
    # Keep the order the ids were asked in, whatever order the answers came in.
    skipped = f"Not fetched, because the batch stopped: {batch.aborted or 'it was cancelled.'}"
    batch.results = {cid: got[cid] for cid in ids if cid in got}
    batch.failures = {cid: failed[cid] or skipped for cid in ids if cid in failed}
    batch.elapsed = time.monotonic() - started
    return batch


def fetch_analytics(
    connection: Connection,
    campaign_ids: Iterable[Any],
    **options: Any,
) -> Batch[dict[str, int | None]]:
    """All-time analytics (``GET /campaigns/{id}/analytics``) of every campaign: see
    :func:`fetch_each` for ``options``."""
    return fetch_each(
        connection,
        campaign_ids,
        lambda client, cid: client.campaign_analytics(cid),
        **options,
    )
