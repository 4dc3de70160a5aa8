"""Fetching mailboxes: the account's list, page by page, and each campaign's mailboxes.

Two kinds of request, both through the connection's one rate limiter:

- ``GET /email-accounts/?offset=&limit=100`` pages through every mailbox until a page comes
  back shorter than 100. The first page is asked alone (a rejected key or an unreachable
  server is then one typed error, with its remedy); the rest go out a few at a time through
  :func:`smartlead.bulk.fetch_each` (the transport's one thread pool), which wastes at most
  a few requests past the last page.
- ``GET /campaigns/{id}/email-accounts`` for each **active or paused** campaign
  (:data:`smartlead.vocab.RESUMABLE`), also through :func:`~smartlead.bulk.fetch_each`: one
  request per campaign, progress reported, failures kept per campaign with the reason.

What the list's ``campaign_count`` can and cannot replace: it says how many campaigns use a
mailbox, so a mailbox counted in none is idle for certain without any further request, and a
mailbox whose every campaign is accounted for is not "usage unknown" when another campaign's
list failed (:mod:`smartlead.ledger` uses it so). It names no campaign and no status, so it
cannot say which campaigns share a mailbox, whether those campaigns are active, or how a
mailbox's cap is split: that needs each campaign's list.

Every record leaves the client without its passwords (:mod:`smartlead.passwords`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any, Literal

import pandas as pd

from smartlead import bulk, demo, vocab
from smartlead.client import MAILBOX_PAGE_SIZE, SmartleadClient
from smartlead.connection import Connection
from smartlead.errors import PortfolioError
from smartlead.mailboxes import merge_mailbox_records
from smartlead.ratelimit import RateLimiter
from smartlead.records import parse_counter

__all__ = [
    "MAX_PAGES",
    "MailboxList",
    "MailboxLoad",
    "assemble",
    "campaigns_to_fetch",
    "fetch_campaign_mailboxes",
    "fetch_mailbox_list",
    "load_mailboxes",
    "mailbox_ids",
]

MAX_PAGES = 1_000
"""The most pages of mailboxes asked for (100,000 mailboxes): a server that never sends a
short page cannot keep the fetch going for ever."""

Progress = Callable[[float, str], None]
"""``progress(fraction_done, text)``, called in the caller's thread."""


@dataclass(frozen=True)
class MailboxList:
    """The account's mailboxes as fetched: ``records`` (passwords dropped), and, when the
    list is incomplete, ``problem`` (why, in words) or ``error`` (nothing could be fetched)."""

    records: list[Any] = field(default_factory=list, repr=False)
    problem: str | None = None
    error: PortfolioError | None = None
    requests: int = 0

    @property
    def complete(self) -> bool:
        return self.problem is None and self.error is None


def campaigns_to_fetch(campaigns: pd.DataFrame) -> list[int]:
    """The ids of the active and paused campaigns, once each, in the frame's order."""
    sending = campaigns["status"].astype("string").isin(vocab.RESUMABLE).fillna(False)
    ids = campaigns.loc[sending.to_numpy(dtype=bool), "id"].dropna().astype("int64")
    return list(dict.fromkeys(int(i) for i in ids))


def mailbox_ids(records: Iterable[Any]) -> list[int]:
    """The readable ids of mailbox records, in order (a record without one is skipped)."""
    found = (parse_counter(r.get("id")) if isinstance(r, dict) else None for r in records)
    return [i for i in found if i is not None]


def fetch_mailbox_list(
    connection: Connection,
    *,
    progress: Progress | None = None,
    client_options: dict[str, Any] | None = None,
    limiter: RateLimiter | None = None,
    page_size: int = MAILBOX_PAGE_SIZE,
) -> MailboxList:
    """Every mailbox of the account, paging by ``page_size`` until a short page; never raises
    for SmartLead's failures (they come back in the result)."""
    options = dict(client_options or {})
    records: list[Any] = []
    try:
        with SmartleadClient(connection, limiter=limiter, **options) as client:
            first = client.list_email_accounts(0, page_size)
            requests = client.request_count
    except PortfolioError as error:
        return MailboxList(error=error)
    records.extend(first)
    if progress is not None:
        progress(0.0, f"Fetched {len(records):,} mailboxes…")
    last_ids = mailbox_ids(first)
    page, problem = 2, None
    full = len(first) >= page_size
    while full and page <= MAX_PAGES:
        pages = list(range(page, min(page + bulk.DEFAULT_WORKERS, MAX_PAGES + 1)))
        batch = bulk.fetch_each(
            connection,
            pages,
            lambda client, number: client.list_email_accounts((number - 1) * page_size, page_size),
            limiter=limiter,
            client_options=options,
        )
        requests += batch.requests
        for number in pages:
            if number in batch.failures:
                start = (number - 1) * page_size + 1
                problem = (
                    f"Mailboxes from number {start:,} on could not be fetched: "
                    f"{batch.failures[number]}"
                )
                full = False
                break
            answer = batch.results[number]
            ids = mailbox_ids(answer)
            if ids and ids == last_ids:
                problem = (
                    "SmartLead sent the same page of mailboxes twice (it may not page this "
                    f"list); {len(records):,} mailboxes were kept."
                )
                full = False
                break
            records.extend(answer)
            last_ids = ids
            if len(answer) < page_size:
                full = False
                break
        page = pages[-1] + 1
        if progress is not None:
            progress(0.0, f"Fetched {len(records):,} mailboxes…")
    if full:
        problem = (
            f"The mailbox list was cut at {MAX_PAGES * page_size:,} mailboxes "
            f"({MAX_PAGES:,} pages); the rest were not fetched."
        )
    return MailboxList(records=records, problem=problem, requests=requests)


def fetch_campaign_mailboxes(
    connection: Connection, campaign_ids: Iterable[Any], **options: Any
) -> bulk.Batch[list[Any]]:
    """Each campaign's mailboxes (``GET /campaigns/{id}/email-accounts``), passwords dropped;
    see :func:`smartlead.bulk.fetch_each` for ``options`` (``progress``, ``limiter``, ...)."""
    return bulk.fetch_each(
        connection, campaign_ids, lambda client, cid: client.campaign_email_accounts(cid), **options
    )


@dataclass(frozen=True)
class MailboxLoad:
    """Everything the ledger needs, as fetched: mailbox ``records`` (no passwords), ``links``
    (campaign id → its mailbox ids), ``failures`` (campaign id → why its list is unknown),
    ``notices`` (what is incomplete, in words), or the ``error`` that stopped the load."""

    records: list[Any] = field(default_factory=list, repr=False)
    links: dict[int, list[int]] = field(default_factory=dict, repr=False)
    failures: dict[int, str] = field(default_factory=dict)
    notices: tuple[str, ...] = ()
    source: Literal["live", "demo"] = "live"
    fetched_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    error: PortfolioError | None = None


def assemble(
    listed: Sequence[Any],
    per_campaign: dict[int, list[Any]],
    failures: dict[int, str],
    notices: Iterable[str] = (),
    source: Literal["live", "demo"] = "live",
) -> MailboxLoad:
    """A load from the account's list and each campaign's answer: the mailboxes (the list's
    copy first, then any seen only in a campaign's list) and the links."""
    links = {cid: mailbox_ids(records) for cid, records in per_campaign.items()}
    merged = merge_mailbox_records(listed, *per_campaign.values())
    return MailboxLoad(
        records=merged, links=links, failures=dict(failures), notices=tuple(notices), source=source
    )


def load_mailboxes(
    connection: Connection | None,
    campaigns: pd.DataFrame,
    *,
    demo_records: list[Any] | None = None,
    progress: Progress | None = None,
    client_options: dict[str, Any] | None = None,
) -> MailboxLoad:
    """The mailboxes and the active and paused campaigns' lists, never raising for
    SmartLead's failures. Without a connection: the demo's mailboxes for ``demo_records``
    (the demo campaigns, as :func:`smartlead.demo.demo_campaigns` made them)."""
    if connection is None:
        boxes, links = demo.demo_mailboxes(list(demo_records or []))
        wanted = set(campaigns_to_fetch(campaigns))
        by_id = {record["id"]: record for record in boxes}
        per_campaign = {cid: [by_id[m] for m in ids] for cid, ids in links.items() if cid in wanted}
        return replace(
            assemble(boxes, per_campaign, {}, source="demo"), fetched_at=demo.DEMO_ANCHOR
        )
    listed = fetch_mailbox_list(connection, progress=progress, client_options=client_options)
    if listed.error is not None:
        return MailboxLoad(error=listed.error)
    ids = campaigns_to_fetch(campaigns)

    def report(done: int, total: int, elapsed: float, eta: float) -> None:
        if progress is not None and total:
            progress(
                done / total,
                f"Fetched the mailboxes of {done:,} of {total:,} campaigns · "
                f"about {eta:.0f} s left",
            )

    batch = fetch_campaign_mailboxes(
        connection, ids, progress=report, client_options=dict(client_options or {})
    )
    notices = [listed.problem] if listed.problem else []
    return assemble(listed.records, batch.results, batch.failures, notices)
