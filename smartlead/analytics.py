"""Campaign performance: every campaign's analytics, fetched within the rate limit, and rated.

SmartLead gives performance only per campaign (``GET /campaigns/{id}/analytics``), so a
portfolio of 400 campaigns costs 400 requests, under a limit of about 10 requests every 2
seconds per key (``SMARTLEAD_RATE_LIMIT``). This module is what makes that affordable and
honest:

- **A rate limiter shared by every worker** (:class:`RateLimiter`). It allows at most
  ``requests`` grants in any window of ``per_seconds`` (plus a small margin for network
  jitter): a token bucket whose tokens come back one window after they were spent. A classic
  bucket that refills continuously at ``requests / per_seconds`` can send up to ``2 × requests``
  in one window (a full bucket, then its refill), which a server counting "10 in any 2
  seconds" answers with 429s; this one satisfies both readings of the limit. Every HTTP
  attempt passes it, retries included (the client's ``gate`` hook), and a 429 pauses it for
  every worker for the ``Retry-After`` SmartLead named, so one refusal does not become four.
- **Bounded concurrency.** A few worker threads (:data:`DEFAULT_WORKERS`), each with its own
  :class:`~smartlead.client.SmartleadClient` (a ``requests.Session`` is not thread-safe).
  The limiter, not the thread count, sets the pace; the threads only hide each answer's
  latency.
- **Failures are data.** A campaign that still fails after the client's retries goes into
  :attr:`AnalyticsBatch.failures` with the error's sentence (never a URL, so never the key);
  the others are fetched regardless. Only a rejected key (401/403) stops the batch early,
  since every further request would be refused too.
- **Progress in the caller's thread.** ``progress(done, total, elapsed, eta)`` is called from
  the thread that called :func:`fetch_analytics` (Streamlit can only draw from there).

Rates (:data:`RATES`) are defined once, here, each as one counter divided by another, and
weighted the same way wherever campaigns are grouped: a client's reply rate is the sum of its
replies over the sum of its leads contacted, never a mean of per-campaign rates (which would
let a 20-lead test campaign weigh as much as a 5,000-lead one). What SmartLead says, and where:

- *Open rate*: SmartLead's help centre ("Main Dashboard Analytics Explanation",
  helpcenter.smartlead.ai/en/articles/100) defines it as unique opens divided by the number of
  leads that have received at least one email, which is ``unique_sent_count``.
- *Reply rate*: the same article lists a Replied Rate beside the open rate over the same
  leads reached; write-ups of SmartLead's metrics describe it as replies / leads emailed. So:
  ``reply_count / unique_sent_count``.
- *Bounce rate*: SmartLead uses two divisors. Its bounce auto-pause (help centre, "Bounce
  Autopause and Webhook", articles/210) divides bounces by the campaign's total lead count;
  its Email Bounce Rate Calculator (smartlead.ai) divides bounced by attempted emails. We
  divide by leads contacted (``unique_sent_count``): a lead bounces at most once (a bounced
  address gets no follow-ups), so dividing by every email sent dilutes the rate by the
  sequence length, and dividing by every lead counts leads not yet emailed (a running
  campaign's rate would start near zero and climb). Per lead contacted is what a list-quality
  check needs, and it puts all four rates on one divisor. It reads higher than SmartLead's
  auto-pause figure while a campaign still has leads to contact.
- *Unsubscribe rate*: no SmartLead definition was found; ``unsubscribed_count /
  unique_sent_count``, like the others.
- *Click rate*: unique clicks over leads contacted, by analogy with the open rate (the help
  centre lists a Clicked Rate without a divisor in what could be read).

A rate is NA (never 0) when its divisor is 0 or unknown, when its counter is unknown, and,
for opens and clicks, when the campaign does not track them (``track_opens`` /
``track_clicks`` false in the campaign frame: its counters would read 0). Rates are fractions
(0.031 is 3.1 %).

Caching is the caller's: :func:`fetch_analytics` takes any set of ids and returns per-id
results, so a dashboard can cache per (key, campaign) and fetch only what is missing or stale
(:func:`smartlead.settings.analytics_ttl_seconds`).
"""

from __future__ import annotations

import hashlib
import logging
import math
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from smartlead import settings
from smartlead.client import (
    ANALYTICS_COUNTERS,
    LEAD_STAT_COUNTERS,
    SmartleadClient,
    _campaign_id,
    parse_analytics,
    parse_counter,
)
from smartlead.errors import AuthenticationError, SmartleadError
from smartlead.filters import UNTAGGED
from smartlead.frame import NO_CLIENT, Column

__all__ = [
    "COUNTER_COLUMNS",
    "DEFAULT_WORKERS",
    "METRIC_COLUMNS",
    "NO_TAG",
    "RATES",
    "RATE_COLUMNS",
    "AnalyticsBatch",
    "Progress",
    "Rate",
    "RateLimiter",
    "estimate_seconds",
    "fetch_analytics",
    "parse_analytics",
    "parse_counter",
    "portfolio_rates",
    "rate_outliers",
    "rates_by",
    "shared_limiter",
    "with_metrics",
]

_log = logging.getLogger(__name__)

DEFAULT_WORKERS = 4
"""Worker threads of a bulk fetch. At 5 requests a second and a few hundred milliseconds an
answer, two or three requests in flight keep the limiter the bottleneck; four leave slack.
More threads would only queue at the limiter."""

ANSWER_SECONDS = 0.5
"""What :func:`estimate_seconds` adds for the last answers to arrive."""

NO_TAG = UNTAGGED
"""The group of campaigns without tags in :func:`rates_by` (``by="tags"``), as everywhere."""

Progress = Callable[[int, int, float, float], None]
"""``progress(done, total, elapsed_seconds, eta_seconds)``, called in the caller's thread."""


# --------------------------------------------------------------------------- rate limiter


def _margin(per_seconds: float) -> float:
    """Slack added to each window: 5 % of it, at least 20 ms and at most 0.5 s."""
    return min(0.5, max(0.02, 0.05 * per_seconds))


class RateLimiter:
    """At most ``requests`` grants in any ``per_seconds`` window (plus a margin); thread-safe.

    A token bucket whose ``requests`` tokens each come back one window after they were spent
    (see the module docstring for why not a continuously refilled one). ``acquire()`` blocks
    until a token is free; ``pause(seconds)`` makes every ``acquire()`` wait at least that long
    (SmartLead's ``Retry-After`` after a 429). ``margin`` (default: 5 % of the window, 20 ms
    to 0.5 s) absorbs the jitter between leaving here and arriving at SmartLead.
    """

    def __init__(
        self, requests: int = 10, per_seconds: float = 2.0, *, margin: float | None = None
    ) -> None:
        if isinstance(requests, bool) or int(requests) != requests or requests < 1:
            raise ValueError("requests must be a whole number >= 1")
        if not (math.isfinite(per_seconds) and per_seconds > 0):
            raise ValueError("per_seconds must be > 0")
        self._requests = int(requests)
        self._per_seconds = float(per_seconds)
        self._margin = _margin(self._per_seconds) if margin is None else max(0.0, float(margin))
        self._window = self._per_seconds + self._margin
        self._grants: deque[float] = deque(maxlen=self._requests)
        self._paused_until = 0.0
        self._cond = threading.Condition()

    @classmethod
    def from_settings(cls) -> RateLimiter:
        """A limiter for ``SMARTLEAD_RATE_LIMIT`` (default 10 requests per 2 s)."""
        requests, per_seconds = settings.rate_limit()
        return cls(requests, per_seconds)

    @property
    def rate(self) -> tuple[int, float]:
        """``(requests, per_seconds)`` as configured (without the margin)."""
        return self._requests, self._per_seconds

    @property
    def window(self) -> float:
        """The window actually enforced: ``per_seconds`` plus the margin."""
        return self._window

    def acquire(self) -> float:
        """Block until a request may go out; returns the seconds waited."""
        started = time.monotonic()
        with self._cond:
            while True:
                now = time.monotonic()
                ready = self._paused_until
                if len(self._grants) >= self._requests:
                    ready = max(ready, self._grants[0] + self._window)
                if ready <= now:
                    self._grants.append(now)  # the deque's maxlen drops the oldest grant
                    return now - started
                self._cond.wait(ready - now)

    def pause(self, seconds: float | None) -> None:
        """Hold every ``acquire()`` for ``seconds`` from now (never shortens a pause)."""
        if seconds is None or not math.isfinite(seconds) or seconds <= 0:
            return
        with self._cond:
            self._paused_until = max(self._paused_until, time.monotonic() + seconds)
            self._cond.notify_all()

    def seconds_for(self, n: int) -> float:
        """The least time ``n`` grants take from an idle limiter (the first window is free)."""
        if n <= 0:
            return 0.0
        return max(0, math.ceil(n / self._requests) - 1) * self._window

    def __repr__(self) -> str:
        return f"RateLimiter({self._requests}, {self._per_seconds:g})"


_shared: dict[tuple[str, str, int, float], RateLimiter] = {}
_shared_lock = threading.Lock()


def shared_limiter(
    api_key: str, base_url: str | None = None, rate: tuple[int, float] | None = None
) -> RateLimiter:
    """The process-wide limiter of one key at one API address (SmartLead limits per key).

    Every bulk fetch for the same key shares it, so two fetches at once (two browser tabs,
    or a batch per page) stay within the limit together. ``rate`` defaults to
    ``SMARTLEAD_RATE_LIMIT``. The key itself is not kept, only its SHA-256.
    """
    requests, per_seconds = rate or settings.rate_limit()
    digest = hashlib.sha256(api_key.strip().encode("utf-8")).hexdigest()
    slot = (digest, settings.base_url(base_url), int(requests), float(per_seconds))
    with _shared_lock:
        limiter = _shared.get(slot)
        if limiter is None:
            limiter = _shared[slot] = RateLimiter(requests, per_seconds)
        return limiter


def estimate_seconds(n_campaigns: int, rate: tuple[int, float] | None = None) -> float:
    """About how long fetching ``n_campaigns`` analytics takes at ``rate`` (one request each).

    ``rate`` is ``(requests, per_seconds)``, default ``SMARTLEAD_RATE_LIMIT``. The time the
    rate limit imposes (the first window's requests go at once, each further window waits
    its turn) plus :data:`ANSWER_SECONDS`; retries and 429s are not foreseen. 300 campaigns at
    10 per 2 s: about 61 s. 0 for no campaigns.
    """
    if n_campaigns <= 0:
        return 0.0
    requests, per_seconds = rate or settings.rate_limit()
    window = per_seconds + _margin(per_seconds)
    return max(0, math.ceil(n_campaigns / requests) - 1) * window + ANSWER_SECONDS


# --------------------------------------------------------------------------- bulk fetch


@dataclass
class AnalyticsBatch:
    """What :func:`fetch_analytics` brings back: per-campaign results and failures, and figures.

    ``metrics`` maps each fetched campaign id to ``parse_analytics`` of its answer (every
    counter name present, None when unknown); ``failures`` maps each campaign that could not
    be fetched to a sentence saying why. Every requested id is in exactly one of the two.
    ``requests`` counts HTTP answers (retries included), ``rate_limited`` those that were 429,
    ``elapsed`` is wall time in seconds, and ``aborted`` says why the batch stopped early
    (a rejected key), else None.
    """

    metrics: dict[int, dict[str, int | None]] = field(default_factory=dict)
    failures: dict[int, str] = field(default_factory=dict)
    requests: int = 0
    rate_limited: int = 0
    elapsed: float = 0.0
    aborted: str | None = None

    @property
    def total(self) -> int:
        """How many campaigns were asked for."""
        return len(self.metrics) + len(self.failures)


class _Cancelled(Exception):
    """Raised at the gate once the batch is being abandoned, to end a worker's retries."""


def _unique_ids(campaign_ids: Iterable[Any]) -> list[int]:
    """The ids in order, once each; null ids (NA, None, NaN) are skipped."""
    seen: dict[int, None] = {}
    for value in campaign_ids:
        if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
            continue
        seen.setdefault(_campaign_id(value), None)
    return list(seen)


def fetch_analytics(
    api_key: str,
    campaign_ids: Iterable[Any],
    *,
    base_url: str | None = None,
    limiter: RateLimiter | None = None,
    workers: int | None = None,
    progress: Progress | None = None,
    timeout: float | None = None,
    retries: int = 3,
    backoff: float = 0.5,
    deadline: float = 45.0,
) -> AnalyticsBatch:
    """Fetch ``GET /campaigns/{id}/analytics`` for every id, within the rate limit.

    ``campaign_ids``: any iterable of positive ints (duplicates and nulls are skipped; any
    other value raises ``ValueError`` before a request is made). ``limiter`` defaults to
    :func:`shared_limiter` for this key and address; ``workers`` to :data:`DEFAULT_WORKERS`.
    ``progress(done, total, elapsed, eta)`` is called in this thread once before the first
    answer and after each campaign (the last call has ``done == total``); if it raises (a
    Streamlit rerun does), the batch is abandoned and the exception passes through.
    ``timeout``, ``retries``, ``backoff`` and ``deadline`` configure each worker's client.

    Raises only for a missing key or an unusable base URL (before any request); every other
    failure is reported per campaign in :attr:`AnalyticsBatch.failures`.
    """
    ids = _unique_ids(campaign_ids)
    options = {
        "timeout": timeout,
        "retries": retries,
        "backoff": backoff,
        "deadline": deadline,
    }
    SmartleadClient(api_key, base_url, **options).close()  # key and address problems raise here
    total = len(ids)
    started = time.monotonic()
    batch = AnalyticsBatch()
    if limiter is None:
        limiter = shared_limiter(api_key, base_url)
    requests_per, per_seconds = limiter.rate
    seconds_each = limiter.window / requests_per
    if progress is not None:
        progress(0, total, 0.0, estimate_seconds(total, limiter.rate))
    if not ids:
        return batch

    stop = threading.Event()
    local = threading.local()
    clients: list[SmartleadClient] = []
    clients_lock = threading.Lock()

    def gate() -> None:
        if stop.is_set():
            raise _Cancelled
        limiter.acquire()
        if stop.is_set():  # abandoned while waiting for a turn
            raise _Cancelled

    def backoff_everyone(retry_after: float | None) -> None:
        limiter.pause(per_seconds if retry_after is None else retry_after)

    def client() -> SmartleadClient:
        made = getattr(local, "client", None)
        if made is None:
            made = SmartleadClient(
                api_key, base_url, **options, gate=gate, on_rate_limited=backoff_everyone
            )
            local.client = made
            with clients_lock:
                clients.append(made)
        return made

    def fetch_one(cid: int) -> tuple[int, dict[str, int | None] | None, str | None, bool]:
        """(id, metrics, failure, key_rejected) for one campaign; never raises."""
        if stop.is_set():
            return cid, None, None, False
        try:
            return cid, client().campaign_analytics(cid), None, False
        except AuthenticationError as exc:
            stop.set()
            return cid, None, str(exc), True
        except SmartleadError as exc:
            return cid, None, (None if stop.is_set() else str(exc)), False
        except Exception as exc:  # a bug must not sink the batch; its text may quote data
            _log.warning("analytics of campaign %s failed: %s", cid, type(exc).__name__)
            return (
                cid,
                None,
                f"The dashboard failed to read this campaign ({type(exc).__name__}).",
                False,
            )

    executor = ThreadPoolExecutor(
        max_workers=max(1, min(workers or DEFAULT_WORKERS, 32, total)),
        thread_name_prefix="smartlead-analytics",
    )
    finished = False
    try:
        futures = [executor.submit(fetch_one, cid) for cid in ids]
        for done, future in enumerate(as_completed(futures), start=1):
            cid, metrics, failure, rejected = future.result()
            if rejected and batch.aborted is None:
                batch.aborted = failure
            if metrics is not None:
                batch.metrics[cid] = metrics
            else:
                batch.failures[cid] = failure or ""  # "": skipped, said once the loop ends
            if progress is not None:
                elapsed = time.monotonic() - started
                remaining = total - done
                eta = 0.0 if remaining == 0 else remaining * seconds_each
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
    batch.metrics = {cid: batch.metrics[cid] for cid in ids if cid in batch.metrics}
    batch.failures = {cid: batch.failures[cid] or skipped for cid in ids if cid in batch.failures}
    batch.elapsed = time.monotonic() - started
    return batch


# --------------------------------------------------------------------------- schema


@dataclass(frozen=True)
class Rate:
    """One rate: ``numerator / denominator``, NA if the campaign does not track ``tracked_by``."""

    name: str
    numerator: str
    denominator: str
    description: str
    tracked_by: str | None = None


RATES: tuple[Rate, ...] = (
    Rate(
        "reply_rate",
        "reply_count",
        "unique_sent_count",
        "Replies per lead contacted: reply_count / unique_sent_count.",
    ),
    Rate(
        "bounce_rate",
        "bounce_count",
        "unique_sent_count",
        "Bounces per lead contacted: bounce_count / unique_sent_count (SmartLead's auto-pause "
        "divides by all leads, so it reads lower while leads remain).",
    ),
    Rate(
        "open_rate",
        "unique_open_count",
        "unique_sent_count",
        "Leads who opened per lead contacted: unique_open_count / unique_sent_count "
        "(SmartLead's definition); NA when opens are not tracked.",
        "track_opens",
    ),
    Rate(
        "unsubscribe_rate",
        "unsubscribed_count",
        "unique_sent_count",
        "Unsubscribes per lead contacted: unsubscribed_count / unique_sent_count.",
    ),
    Rate(
        "click_rate",
        "unique_click_count",
        "unique_sent_count",
        "Leads who clicked per lead contacted: unique_click_count / unique_sent_count; NA "
        "when clicks are not tracked.",
        "track_clicks",
    ),
)
"""Every rate, defined once: what is divided by what. See the module docstring for sources."""

_COUNTER_DESCRIPTIONS: dict[str, str] = {
    "sent_count": "Emails sent, every sequence step included (SmartLead's Sent).",
    "unique_sent_count": "Leads that received at least one email (leads contacted): the "
    "divisor of every rate.",
    "open_count": "Opens, repeated opens included.",
    "unique_open_count": "Leads who opened at least one email.",
    "click_count": "Link clicks, repeated clicks included.",
    "unique_click_count": "Leads who clicked at least one link.",
    "reply_count": "Replies received.",
    "bounce_count": "Emails that bounced.",
    "block_count": "Leads blocked (SmartLead's block list).",
    "unsubscribed_count": "Leads who unsubscribed.",
    "total_count": "SmartLead's total_count, as sent (undocumented; usually the lead count).",
    "drafted_count": "SmartLead's drafted_count, as sent (undocumented).",
    "sequence_count": "SmartLead's sequence_count, as sent (the number of sequence steps).",
    "leads_total": "Leads in the campaign (campaign_lead_stats.total).",
    "leads_not_started": "Leads not emailed yet (campaign_lead_stats.notStarted).",
    "leads_in_progress": "Leads in the middle of the sequence (campaign_lead_stats.inprogress).",
    "leads_completed": "Leads that finished the sequence (campaign_lead_stats.completed).",
    "leads_paused": "Leads paused (campaign_lead_stats.paused).",
    "leads_stopped": "Leads stopped, e.g. on reply or bounce (campaign_lead_stats.stopped).",
    "leads_blocked": "Leads blocked (campaign_lead_stats.blocked).",
    "leads_interested": "Leads marked interested (campaign_lead_stats.interested).",
}

_COUNTER_SOURCES: dict[str, str] = {name: name for name in ANALYTICS_COUNTERS} | {
    name: f"campaign_lead_stats.{api_name}" for api_name, name in LEAD_STAT_COUNTERS.items()
}

COUNTER_COLUMNS: tuple[Column, ...] = tuple(
    Column(
        name,
        "Int64",
        _COUNTER_DESCRIPTIONS[name] + " Null when unknown (missing, null or malformed).",
        _COUNTER_SOURCES[name],
    )
    for name in (*ANALYTICS_COUNTERS, *LEAD_STAT_COUNTERS.values())
)
"""The counters of GET /campaigns/{id}/analytics, as nullable integers."""

RATE_COLUMNS: tuple[Column, ...] = tuple(
    Column(
        rate.name,
        "Float64",
        rate.description + " A fraction (0.031 = 3.1 %); null when the divisor is 0 or unknown.",
    )
    for rate in RATES
)
"""The rates computed from the counters, as nullable floats."""

METRIC_COLUMNS: tuple[Column, ...] = (
    *COUNTER_COLUMNS,
    *RATE_COLUMNS,
    Column(
        "analytics_error",
        "string",
        "Why this campaign's analytics could not be fetched; null when they were (or were "
        "not asked for).",
    ),
)
"""Every column :func:`with_metrics` adds to the campaign frame: name, dtype, meaning."""

_METRIC_NAMES = tuple(column.name for column in METRIC_COLUMNS)
_COUNTER_NAMES = tuple(column.name for column in COUNTER_COLUMNS)


# --------------------------------------------------------------------------- the metric frame


def _int_array(values: np.ndarray, mask: np.ndarray) -> pd.arrays.IntegerArray:
    return pd.arrays.IntegerArray(values.astype(np.int64), mask.astype(bool))


def _float_array(values: np.ndarray, mask: np.ndarray) -> pd.arrays.FloatingArray:
    return pd.arrays.FloatingArray(values.astype(np.float64), mask.astype(bool))


def _ids_as_numbers(ids: pd.Series) -> np.ndarray:
    """Campaign ids as int64, with -1 where the id is null (ids are positive)."""
    return pd.array(ids, dtype="Int64").to_numpy(dtype=np.int64, na_value=-1)


def _tracked(frame: pd.DataFrame, column: str | None) -> np.ndarray:
    """True where the campaign tracks ``column`` (or where that is unknown)."""
    if column is None or column not in frame.columns:
        return np.ones(len(frame), dtype=bool)
    flags = frame[column].astype("boolean")
    return flags.fillna(True).to_numpy(dtype=bool)


def _rate_parts(frame: pd.DataFrame, rate: Rate) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(numerator, denominator, usable) per row: usable where both are known and tracked."""
    num = pd.array(frame[rate.numerator], dtype="Int64")
    den = pd.array(frame[rate.denominator], dtype="Int64")
    usable = ~np.asarray(num.isna()) & ~np.asarray(den.isna()) & _tracked(frame, rate.tracked_by)
    return (
        num.to_numpy(dtype=np.float64, na_value=0.0),
        den.to_numpy(dtype=np.float64, na_value=0.0),
        usable,
    )


def _ratio(num: np.ndarray, den: np.ndarray, usable: np.ndarray) -> pd.arrays.FloatingArray:
    valid = usable & (den > 0)
    out = np.zeros(len(num), dtype=np.float64)
    np.divide(num, den, out=out, where=valid)
    return _float_array(out, ~valid)


def with_metrics(
    frame: pd.DataFrame,
    metrics: Mapping[int, Mapping[str, Any]] | AnalyticsBatch,
    failures: Mapping[int, str] | None = None,
) -> pd.DataFrame:
    """The campaign frame with every :data:`METRIC_COLUMNS` column joined on by ``id``.

    ``metrics`` maps campaign ids to counters (``AnalyticsBatch.metrics`` or a batch itself,
    whose failures are then used too); values are read with ``parse_counter``. Every row of
    ``frame`` is kept, in order and with its index: a campaign without metrics gets nulls
    (and its failure in ``analytics_error`` when there is one). Metric columns already in
    ``frame`` are replaced. ``frame`` itself is not changed.
    """
    if isinstance(metrics, AnalyticsBatch):
        failures = metrics.failures if failures is None else failures
        metrics = metrics.metrics
    if "id" not in frame.columns:
        raise ValueError("the frame has no id column: build it with smartlead.frame")
    out = frame.drop(columns=[name for name in _METRIC_NAMES if name in frame.columns])
    known = {
        int(cid): counters if isinstance(counters, Mapping) else {}
        for cid, counters in metrics.items()
    }
    source_ids = np.fromiter(known, dtype=np.int64, count=len(known))
    positions = pd.Index(source_ids).get_indexer(_ids_as_numbers(frame["id"]))
    missing = positions < 0
    take = np.where(missing, 0, positions)
    for name in _COUNTER_NAMES:
        parsed = [parse_counter(counters.get(name)) for counters in known.values()]
        values = np.array([0 if value is None else value for value in parsed], dtype=np.int64)
        mask = np.array([value is None for value in parsed], dtype=bool)
        if len(known):
            out[name] = _int_array(values[take], mask[take] | missing)
        else:
            out[name] = _int_array(np.zeros(len(frame)), np.ones(len(frame)))
    for rate in RATES:
        out[rate.name] = _ratio(*_rate_parts(out, rate))
    failed = {int(cid): message for cid, message in (failures or {}).items()}
    errors = [
        failed.get(cid) if cid >= 0 else None for cid in _ids_as_numbers(frame["id"]).tolist()
    ]
    out["analytics_error"] = pd.array(errors, dtype="string")
    return out


def _require_metrics(frame: pd.DataFrame) -> None:
    absent = [name for name in ("unique_sent_count", "reply_count") if name not in frame.columns]
    if absent:
        raise ValueError(
            f"the frame has no {', '.join(absent)} column: join the metrics with with_metrics"
        )


def _group_labels(frame: pd.DataFrame, by: str) -> tuple[np.ndarray, list[str]]:
    """(row positions, group label) pairs: a campaign with three tags appears three times."""
    if by not in frame.columns:
        raise ValueError(f"the frame has no {by!r} column to group by")
    values = frame[by].tolist()
    if by == "tags" or isinstance(frame[by].dtype, pd.ArrowDtype):
        rows: list[int] = []
        labels: list[str] = []
        for position, tags in enumerate(values):
            names = [] if tags is None or tags is pd.NA else list(dict.fromkeys(tags))
            names = [str(name) for name in names if name is not None and str(name).strip()]
            for name in names or [NO_TAG]:
                rows.append(position)
                labels.append(name)
        return np.array(rows, dtype=np.int64), labels
    fallback = NO_CLIENT if by == "client_name" else "(none)"
    labels = [fallback if value is None or pd.isna(value) else str(value) for value in values]
    return np.arange(len(values), dtype=np.int64), labels


_SUMMED = (
    "unique_sent_count",
    "sent_count",
    "reply_count",
    "bounce_count",
    "unique_open_count",
    "unsubscribed_count",
)


def rates_by(frame: pd.DataFrame, by: str = "client_name") -> pd.DataFrame:
    """Weighted rates per group: per client (``by="client_name"``), per tag (``"tags"``), ...

    Each rate is the sum of its numerator over the sum of its denominator across the group's
    campaigns (reply rate = Σ replies / Σ leads contacted), counting only campaigns where both
    are known (and, for opens and clicks, tracked); null when that sum of denominators is 0.
    Columns: the group (``tag`` when grouping by tags), ``campaigns``, ``campaigns_measured``
    (leads contacted known), the summed counters (known values only; null when none is
    known) and every rate of
    :data:`RATES`. With ``by="tags"`` a campaign counts once in each of its tags and untagged
    campaigns form ``(no tag)``, so the rows overlap. Largest groups (leads contacted) first.
    """
    _require_metrics(frame)
    rows, labels = _group_labels(frame, by)
    group = "tag" if by == "tags" else by
    work = pd.DataFrame({group: pd.array(labels, dtype="string")})
    work["campaigns"] = 1
    work["campaigns_measured"] = (
        ~np.asarray(pd.array(frame["unique_sent_count"], dtype="Int64").isna())[rows]
    ).astype(np.int64)
    for name in _SUMMED:
        if name in frame.columns:
            work[name] = pd.array(frame[name], dtype="Int64")[rows]
    parts: dict[str, tuple[str, str]] = {}
    for rate in RATES:
        if rate.numerator not in frame.columns or rate.denominator not in frame.columns:
            continue
        num, den, usable = _rate_parts(frame, rate)
        parts[rate.name] = (f"_{rate.name}_num", f"_{rate.name}_den")
        work[parts[rate.name][0]] = np.where(usable, num, 0.0)[rows]
        work[parts[rate.name][1]] = np.where(usable, den, 0.0)[rows]
    grouped = work.groupby(group, sort=False, dropna=False)
    counters = [name for name in _SUMMED if name in work.columns]
    others = [name for name in work.columns if name != group and name not in counters]
    summed = grouped[others].sum()
    summed[counters] = grouped[counters].sum(min_count=1)  # nothing known: null, not 0
    result = summed[[name for name in work.columns if name != group]].reset_index()
    for rate_name, (num_col, den_col) in parts.items():
        num = result[num_col].to_numpy(dtype=np.float64)
        den = result[den_col].to_numpy(dtype=np.float64)
        result[rate_name] = _ratio(num, den, np.ones(len(result), dtype=bool))
        result = result.drop(columns=[num_col, den_col])
    result = result.sort_values(
        ["unique_sent_count", group], ascending=[False, True], na_position="last", kind="stable"
    )
    return result.reset_index(drop=True)


def portfolio_rates(frame: pd.DataFrame) -> dict[str, float | None]:
    """Every rate of :data:`RATES` over the whole frame, weighted as in :func:`rates_by`."""
    _require_metrics(frame)
    rates: dict[str, float | None] = {}
    for rate in RATES:
        if rate.numerator not in frame.columns or rate.denominator not in frame.columns:
            rates[rate.name] = None
            continue
        num, den, usable = _rate_parts(frame, rate)
        total = float(den[usable].sum())
        rates[rate.name] = float(num[usable].sum()) / total if total > 0 else None
    return rates


def rate_outliers(
    frame: pd.DataFrame,
    *,
    min_sent: int = 100,
    bounce_factor: float = 2.0,
    min_bounce_rate: float = 0.03,
    reply_factor: float = 0.5,
    baseline: Mapping[str, float | None] | None = None,
) -> pd.DataFrame:
    """Campaigns whose bounce rate is high or reply rate low against the portfolio.

    Only campaigns with at least ``min_sent`` leads contacted count (below that one bounce
    swings the rate by percents). High bounce: a bounce rate of at least ``bounce_factor`` ×
    the portfolio's and at least ``min_bounce_rate`` (so 0.4 % against 0.2 % is no alarm).
    Low reply: a reply rate of at most ``reply_factor`` × the portfolio's. The portfolio is
    ``frame`` itself (weighted, as :func:`portfolio_rates`) unless ``baseline`` gives the
    rates. One row per flagged campaign: ``id``, ``name``, ``client_name`` (when present),
    ``unique_sent_count``, ``bounce_rate``, ``reply_rate``, ``high_bounce``, ``low_reply`` and
    ``reason`` in words; high bounces first (worst first), then low replies (lowest first).
    """
    _require_metrics(frame)
    base = dict(baseline) if baseline is not None else portfolio_rates(frame)
    sent = pd.array(frame["unique_sent_count"], dtype="Int64")
    bounce = pd.array(frame["bounce_rate"], dtype="Float64")
    reply = pd.array(frame["reply_rate"], dtype="Float64")
    big = np.asarray((sent >= min_sent).fillna(False), dtype=bool)
    base_bounce, base_reply = base.get("bounce_rate"), base.get("reply_rate")
    high = np.zeros(len(frame), dtype=bool)
    if base_bounce is not None:
        bar = max(bounce_factor * base_bounce, min_bounce_rate)
        high = big & np.asarray((bounce >= bar).fillna(False), dtype=bool)
    low = np.zeros(len(frame), dtype=bool)
    if base_reply is not None and base_reply > 0:
        low = big & np.asarray((reply <= reply_factor * base_reply).fillna(False), dtype=bool)
    flagged = high | low
    keep = [name for name in ("id", "name", "client_name", "status") if name in frame.columns]
    out = frame.loc[flagged, keep].copy()
    out["unique_sent_count"] = sent[flagged]
    out["bounce_rate"] = bounce[flagged]
    out["reply_rate"] = reply[flagged]
    out["high_bounce"] = pd.array(high[flagged], dtype="boolean")
    out["low_reply"] = pd.array(low[flagged], dtype="boolean")
    reasons = []
    for is_high, is_low, b, r in zip(
        high[flagged], low[flagged], bounce[flagged], reply[flagged], strict=True
    ):
        said = []
        if is_high:
            said.append(f"bounce rate {b:.1%} against {base_bounce:.1%} for the portfolio")
        if is_low:
            said.append(f"reply rate {r:.1%} against {base_reply:.1%} for the portfolio")
        reasons.append("; ".join(said))
    out["reason"] = pd.array(reasons, dtype="string")
    ordered = out.assign(
        _bounce_key=out["bounce_rate"].where(out["high_bounce"], other=pd.NA),
    ).sort_values(
        ["high_bounce", "_bounce_key", "reply_rate"],
        ascending=[False, False, True],
        na_position="last",
        kind="stable",
    )
    return ordered.drop(columns="_bounce_key").reset_index(drop=True)
