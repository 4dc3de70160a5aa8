"""Fetching a window's figures for many campaigns in a handful of requests.

SmartLead answers two bulk analytics endpoints for a date range: every campaign's figures
(``GET /analytics/campaign/overall-stats``, paged with ``limit``/``offset``) and the account's
sending per day (``GET /analytics/day-wise-overall-stats``). :func:`fetch_window` asks both:

- **In pieces of at most 30 days** (:meth:`smartlead.window.Window.chunks`), summed later by
  :func:`smartlead.window.campaign_metrics`, because SmartLead refuses longer ranges.
- **Page by page**, :data:`PAGE_SIZE` campaigns a page, until a page comes back shorter than
  asked (a page of exactly ``PAGE_SIZE`` rows costs one more, empty, request).
- **Through the transport**: every page is one :class:`~smartlead.client.SmartleadClient`
  call, so it takes its turn at the account's one rate limiter and is retried there (429,
  5xx) like any request. A few threads ask for different pieces at once; the limiter, not
  the threads, sets the pace.
- **Failures are data.** A page that still fails is kept as a :class:`PageFailure` (its
  piece, its rows, the reason) and the piece is marked incomplete, so the campaigns it may
  have covered read as unknown rather than as silent; the other pages and pieces are used. A
  404 (an account or plan without these analytics) stops the fetch with
  :class:`~smartlead.errors.AnalyticsUnavailableError`; so does a rejected key.

Without the bulk endpoints, :func:`fetch_window_per_campaign` asks
``GET /campaigns/{id}/analytics-by-date`` once per campaign and piece (through
:func:`smartlead.bulk.fetch_each`), which is what the estimates here make plain.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from smartlead import bulk, demo
from smartlead.client import SmartleadClient
from smartlead.connection import Connection
from smartlead.errors import (
    AnalyticsUnavailableError,
    AuthenticationError,
    PortfolioError,
    SmartleadError,
)
from smartlead.ratelimit import RateLimiter, limiter_for
from smartlead.window import (
    CampaignChunk,
    Daily,
    DayChunk,
    Window,
    WindowMetrics,
    campaign_metrics,
    daily_figures,
)

__all__ = [
    "GIVE_UP_AFTER",
    "MAX_ROWS",
    "PAGE_SIZE",
    "WORKERS",
    "PageFailure",
    "WindowFetch",
    "WindowFigures",
    "demo_window_fetch",
    "estimate_per_campaign_requests",
    "estimate_requests",
    "fetch_window",
    "fetch_window_per_campaign",
]

PAGE_SIZE = 200
"""Campaigns asked for per page: what the integrations that page this endpoint use."""

WORKERS = 3
"""Pieces fetched at once (each pages on its own). The limiter sets the pace; the threads
only keep a request in flight while another's answer travels."""

GIVE_UP_AFTER = 2
"""Consecutive failed pages after which a piece stops paging (the rest of it is unknown)."""

MAX_ROWS = 500_000
"""Rows read per piece at most: a guard against an answer that never shortens."""


@dataclass(frozen=True)
class PageFailure:
    """A request that failed after the transport's retries: what it would have covered."""

    piece: Window
    what: str
    """``campaigns`` (a page of campaign figures), ``days`` (the trend) or ``campaign``
    (one campaign, on the per-campaign path)."""
    reason: str
    offset: int | None = None
    limit: int | None = None
    campaign_id: int | None = None

    def describe(self) -> str:
        """The failure in words: which figures of which days are missing, and why."""
        if self.what == "days":
            covered = "The daily figures"
        elif self.what == "campaign":
            covered = f"Campaign {self.campaign_id}'s figures"
        else:
            first = (self.offset or 0) + 1
            last = (self.offset or 0) + (self.limit or 0)
            covered = f"Campaign figures (rows {first:,}–{last:,} of SmartLead's answer)"
        return f"{covered} for {self.piece.label()} could not be fetched: {self.reason}"


@dataclass(frozen=True)
class WindowFetch:
    """Everything one fetch brought back for a window, failures included (picklable).

    ``campaigns`` and ``days`` hold the answers per piece; ``failures`` the requests that
    still failed; ``unavailable`` is set when SmartLead answered 404 (no figures at all),
    ``error`` when the fetch stopped for another reason (a rejected key). ``requests``
    counts HTTP answers, retries included; ``elapsed`` is wall time in seconds.
    """

    window: Window
    campaigns: tuple[CampaignChunk, ...] = ()
    days: tuple[DayChunk, ...] = ()
    failures: tuple[PageFailure, ...] = ()
    requests: int = 0
    elapsed: float = 0.0
    unavailable: AnalyticsUnavailableError | None = None
    error: PortfolioError | None = None
    client_ids: tuple[int, ...] | None = None
    campaign_ids: tuple[int, ...] | None = None
    per_campaign: bool = False
    asked_days: bool = True
    asked_campaigns: bool = True
    fetched_at: datetime | None = None

    @property
    def usable(self) -> bool:
        """Whether figures came back (possibly incomplete)."""
        return self.unavailable is None and self.error is None

    def metrics(self) -> WindowMetrics | None:
        """The per-campaign figures of the whole window (None when none came back)."""
        if not self.usable or not self.asked_campaigns:
            return None
        return campaign_metrics(
            self.window,
            self.campaigns,
            client_ids=self.client_ids,
            campaign_ids=self.campaign_ids,
        )

    def daily(self) -> Daily | None:
        """The trend, one row per day (None when the days were not fetched)."""
        if not self.usable or not self.asked_days or not self.days:
            return None
        return daily_figures(self.window, self.days)

    def figures(self) -> WindowFigures:
        """What this fetch comes to, without the answers' rows: what a cache keeps."""
        return WindowFigures(
            window=self.window,
            metrics=self.metrics(),
            daily=self.daily(),
            failures=self.failures,
            requests=self.requests,
            unavailable=self.unavailable,
            error=self.error,
            fetched_at=self.fetched_at,
            per_campaign=self.per_campaign,
        )


@dataclass(frozen=True)
class WindowFigures:
    """A window's figures as read from a :class:`WindowFetch`: the per-campaign table, the
    trend, what failed and what it cost. Compact (frames, not answer rows), so a cache can
    hand out a copy on every rerun cheaply."""

    window: Window
    metrics: WindowMetrics | None = None
    daily: Daily | None = None
    failures: tuple[PageFailure, ...] = ()
    requests: int = 0
    unavailable: AnalyticsUnavailableError | None = None
    error: PortfolioError | None = None
    fetched_at: datetime | None = None
    per_campaign: bool = False


def _pages(campaigns: int, page_size: int) -> int:
    """Requests to page through ``campaigns`` rows: until a page comes back short."""
    return max(campaigns, 0) // page_size + 1


def estimate_requests(
    window: Window,
    campaigns: int,
    *,
    daily: bool = True,
    campaigns_too: bool = True,
    page_size: int = PAGE_SIZE,
) -> int:
    """Requests :func:`fetch_window` makes at most for ``campaigns`` campaigns in scope:
    per 30-day piece, a page per ``page_size`` campaigns (plus the short one that ends the
    paging; none without ``campaigns_too``) and, with ``daily``, one for the days.
    Campaigns that sent nothing in a piece are not listed, so the real count is often
    lower."""
    pieces = len(window.chunks())
    pages = _pages(campaigns, page_size) if campaigns_too else 0
    return pieces * (pages + (1 if daily else 0))


def estimate_per_campaign_requests(window: Window, campaigns: int) -> int:
    """Requests :func:`fetch_window_per_campaign` makes: one per campaign and 30-day piece."""
    return len(window.chunks()) * max(campaigns, 0)


class _Stop(Exception):
    """Raised inside a worker once the fetch is being abandoned."""


def fetch_window(
    connection: Connection,
    window: Window,
    *,
    client_ids: Iterable[int] | None = None,
    campaign_ids: Iterable[int] | None = None,
    campaigns: bool = True,
    daily: bool = True,
    full_data: bool = True,
    page_size: int = PAGE_SIZE,
    workers: int = WORKERS,
    limiter: RateLimiter | None = None,
    client_options: dict[str, Any] | None = None,
) -> WindowFetch:
    """The window's figures from SmartLead's bulk analytics; never raises SmartLead's errors.

    ``client_ids``/``campaign_ids`` narrow the answers (None: the whole account);
    ``campaigns`` fetches the per-campaign figures and ``daily`` the trend; ``limiter``
    defaults to the connection's one limiter and ``client_options`` (timeout, retries,
    backoff, deadline) configure each worker's client.
    """
    clients_asked = None if client_ids is None else tuple(int(c) for c in client_ids)
    campaigns_asked = None if campaign_ids is None else tuple(int(c) for c in campaign_ids)
    pieces = window.chunks()
    started = time.monotonic()
    shared = limiter if limiter is not None else limiter_for(connection)
    stop = threading.Event()
    local = threading.local()
    made: list[SmartleadClient] = []
    made_lock = threading.Lock()
    failures: list[PageFailure] = []
    stopped: list[PortfolioError] = []

    def client() -> SmartleadClient:
        mine = getattr(local, "client", None)
        if mine is None:
            mine = SmartleadClient(connection, limiter=shared, **(client_options or {}))
            local.client = mine
            with made_lock:
                made.append(mine)
        return mine

    def failed(failure: PageFailure) -> None:
        with made_lock:
            failures.append(failure)

    def halt(error: PortfolioError) -> None:
        with made_lock:
            stopped.append(error)
        stop.set()

    def narrow() -> dict[str, Any]:
        return {
            "timezone": window.timezone,
            "client_ids": clients_asked,
            "campaign_ids": campaigns_asked,
        }

    def campaign_piece(piece: Window) -> CampaignChunk:
        rows: list[Any] = []
        complete, offset, misses = True, 0, 0
        while True:
            if stop.is_set():
                return CampaignChunk(piece, tuple(rows), False)
            try:
                page = client().campaign_overall_stats(
                    piece.start,
                    piece.end,
                    limit=page_size,
                    offset=offset,
                    full_data=full_data,
                    **narrow(),
                )
            except (AnalyticsUnavailableError, AuthenticationError) as exc:
                halt(exc)
                return CampaignChunk(piece, tuple(rows), False)
            except SmartleadError as exc:
                failed(PageFailure(piece, "campaigns", str(exc), offset, page_size))
                complete, misses = False, misses + 1
                if misses >= GIVE_UP_AFTER:
                    return CampaignChunk(piece, tuple(rows), False)
                offset += page_size
                continue
            misses = 0
            rows.extend(page)
            if len(page) != page_size or len(rows) >= MAX_ROWS:
                # Shorter: the last page. Longer: SmartLead ignored the limit and sent all.
                return CampaignChunk(piece, tuple(rows), complete)
            offset += page_size

    def day_piece(piece: Window) -> DayChunk:
        if stop.is_set():
            return DayChunk(piece, (), False)
        try:
            rows = client().day_wise_overall_stats(piece.start, piece.end, **narrow())
        except (AnalyticsUnavailableError, AuthenticationError) as exc:
            halt(exc)
            return DayChunk(piece, (), False)
        except SmartleadError as exc:
            failed(PageFailure(piece, "days", str(exc)))
            return DayChunk(piece, (), False)
        return DayChunk(piece, tuple(rows), True)

    tasks: list[Callable[[], CampaignChunk | DayChunk]] = []
    if campaigns:
        tasks += [(lambda piece=piece: campaign_piece(piece)) for piece in pieces]
    if daily:
        tasks += [(lambda piece=piece: day_piece(piece)) for piece in pieces]
    with ThreadPoolExecutor(
        max_workers=max(1, min(workers, len(tasks))), thread_name_prefix="smartlead-window"
    ) as pool:
        answers = list(pool.map(lambda task: task(), tasks))
    with made_lock:
        requests = sum(each.request_count for each in made)
        for each in made:
            each.close()
    first_stop = stopped[0] if stopped else None
    return WindowFetch(
        window=window,
        campaigns=tuple(a for a in answers if isinstance(a, CampaignChunk)),
        days=tuple(a for a in answers if isinstance(a, DayChunk)),
        failures=tuple(sorted(failures, key=lambda f: (f.piece, f.what, f.offset or 0))),
        requests=requests,
        elapsed=time.monotonic() - started,
        unavailable=first_stop if isinstance(first_stop, AnalyticsUnavailableError) else None,
        error=None if isinstance(first_stop, AnalyticsUnavailableError) else first_stop,
        client_ids=clients_asked,
        campaign_ids=campaigns_asked,
        asked_days=daily,
        asked_campaigns=campaigns,
        fetched_at=datetime.now(UTC),
    )


_BY_DATE_FIELDS = {
    "sent": "sent_count",
    "unique_lead_count": "unique_sent_count",
    "opened": "open_count",
    "unique_open_count": "unique_open_count",
    "replied": "reply_count",
    "bounced": "bounce_count",
    "unsubscribed": "unsubscribed_count",
}
"""A per-campaign window answer's counters under the bulk answer's names."""


def fetch_window_per_campaign(
    connection: Connection,
    window: Window,
    campaign_ids: Sequence[int],
    *,
    progress: bulk.Progress | None = None,
    **options: Any,
) -> WindowFetch:
    """The window's figures one request per campaign and 30-day piece
    (``GET /campaigns/{id}/analytics-by-date``), for accounts without the bulk endpoints.

    No positive replies and no trend come this way. ``progress(done, total, elapsed, eta)``
    counts requests across every piece; ``options`` go to :func:`smartlead.bulk.fetch_each`.
    """
    ids = bulk.unique_ids(campaign_ids)
    pieces = window.chunks()
    started = time.monotonic()
    chunks: list[CampaignChunk] = []
    failures: list[PageFailure] = []
    requests = 0
    error: PortfolioError | None = None
    for number, piece in enumerate(pieces):

        def step(done: int, total: int, elapsed: float, eta: float, number: int = number) -> None:
            if progress is not None:
                left = (len(pieces) - number - 1) * len(ids)
                progress(number * len(ids) + done, len(pieces) * len(ids), elapsed, eta + left)

        batch = bulk.fetch_each(
            connection,
            ids,
            lambda client, cid, piece=piece: client.campaign_analytics_by_date(
                cid, piece.start, piece.end
            ),
            progress=step,
            **options,
        )
        requests += batch.requests
        rows = [
            {"id": cid} | {api: counters.get(name) for api, name in _BY_DATE_FIELDS.items()}
            for cid, counters in batch.results.items()
        ]
        failures += [
            PageFailure(piece, "campaign", reason, campaign_id=cid)
            for cid, reason in batch.failures.items()
        ]
        chunks.append(CampaignChunk(piece, tuple(rows), not batch.failures))
        if batch.aborted:
            error = AuthenticationError(batch.aborted)
            break
    return WindowFetch(
        window=window,
        campaigns=tuple(chunks),
        failures=tuple(failures),
        requests=requests,
        elapsed=time.monotonic() - started,
        error=error,
        campaign_ids=tuple(ids),
        per_campaign=True,
        asked_days=False,
        fetched_at=datetime.now(UTC),
    )


def demo_window_fetch(
    records: list[Any], window: Window, today: date, *, daily: bool = True
) -> WindowFetch:
    """The demo portfolio's window, made up locally (no request) in the same 30-day pieces
    SmartLead answers, so the demo's sums are exactly what a stand-in serving the demo
    portfolio returns."""
    pieces = window.chunks()
    return WindowFetch(
        window=window,
        campaigns=tuple(
            CampaignChunk(
                piece, tuple(demo.demo_window_stats(records, piece.start, piece.end, today=today))
            )
            for piece in pieces
        ),
        days=tuple(
            DayChunk(
                piece, tuple(demo.demo_day_stats(records, piece.start, piece.end, today=today))
            )
            for piece in (pieces if daily else ())
        ),
        asked_days=daily,
        fetched_at=demo.DEMO_ANCHOR,
    )
