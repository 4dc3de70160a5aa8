"""Load the portfolio: the campaigns, the clients that name them, and what to tell the user.

The one way in for every front end. The dashboard wraps :func:`load_portfolio` in its cache
and the command line calls it directly, so both fetch the same way, fall back the same way
(no client names for a key without agency rights) and report the same notices. Without a
connection it loads the demo portfolio, so a fresh install (or ``--demo``) shows the whole
product.

Failures are data: a load that could not fetch returns a :class:`PortfolioLoad` carrying the
error (a :class:`~smartlead.errors.PortfolioError` with its remedy) instead of raising, so the
dashboard can cache it like any answer (a wrong key costs one request per TTL, not one per
click) and the command line can raise it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

import pandas as pd

from smartlead import demo
from smartlead.client import SmartleadClient
from smartlead.connection import Connection
from smartlead.errors import NotAnAgencyError, PortfolioError, SmartleadError
from smartlead.frame import campaigns_frame, empty_frame

__all__ = ["DEMO_SEED", "Notice", "PortfolioLoad", "load_portfolio"]

DEMO_SEED = 7
"""The demo portfolio is the same on every machine: one seed for the dashboard and the CLI."""

Source = Literal["live", "demo"]


@dataclass(frozen=True)
class Notice:
    """Something the user should know about a load that still worked.

    ``code`` names the case for code (``client_names_unavailable``, ...); ``text`` says it in
    words that suit any front end.
    """

    code: str
    text: str


@dataclass(frozen=True)
class PortfolioLoad:
    """One load of the portfolio: a frame, or the error that stopped it, and notices.

    ``records`` and ``clients`` are the answers exactly as SmartLead sent them (the history
    store keeps those); they are empty for a failed load. Picklable, for caches.
    """

    frame: pd.DataFrame
    source: Source
    fetched_at: datetime
    records: list[Any] = field(default_factory=list, repr=False)
    clients: list[Any] = field(default_factory=list, repr=False)
    notices: tuple[Notice, ...] = ()
    error: PortfolioError | None = None
    client_id: int | None = None
    answer: bytes = field(default=b"", repr=False)
    """The campaigns answer's bytes exactly as SmartLead sent them (live loads): a history
    copy that costs nothing to keep (``smartlead.client.campaigns_in_answer`` reads it)."""

    @property
    def failed(self) -> bool:
        """Whether the load stopped on an error (the frame is then empty)."""
        return self.error is not None

    @property
    def is_demo(self) -> bool:
        return self.source == "demo"


def _demo(client_id: int | None, size: int) -> PortfolioLoad:
    records = demo.demo_campaigns(size, seed=DEMO_SEED)
    if client_id is not None:
        records = [r for r in records if isinstance(r, dict) and r.get("client_id") == client_id]
    clients = demo.demo_clients()
    return PortfolioLoad(
        frame=campaigns_frame(records, clients),
        source="demo",
        fetched_at=demo.DEMO_ANCHOR,
        records=records,
        clients=clients,
        client_id=client_id,
    )


def load_portfolio(
    connection: Connection | None,
    *,
    client_id: int | None = None,
    demo_size: int = 300,
    client_options: dict[str, Any] | None = None,
) -> PortfolioLoad:
    """The portfolio of ``connection`` (the demo one when it is None), never raising for
    SmartLead's failures.

    Fetches ``GET /campaigns/?include_tags=true`` (only ``client_id``'s campaigns when given)
    and ``GET /client/`` for client names. Client names that cannot be had are a notice, not
    a failure: campaigns are then shown by client id. ``client_options`` configure the
    transport (timeout, retries, deadline), e.g. for tests.
    """
    if connection is None:
        return _demo(client_id, demo_size)
    fetched_at = datetime.now(UTC)
    notices: list[Notice] = []
    try:
        with SmartleadClient(connection, **(client_options or {})) as client:
            records, answer = client.list_campaigns_as_sent(client_id, include_tags=True)
            try:
                clients = client.list_clients()
            except NotAnAgencyError:
                clients = []
                notices.append(
                    Notice(
                        "not_an_agency",
                        "Client names are unavailable for this key (not an agency account); "
                        "clients are shown by id.",
                    )
                )
            except SmartleadError as error:
                clients = []
                notices.append(
                    Notice(
                        "client_names_unavailable",
                        f"Client names are unavailable right now; clients are shown by id. {error}",
                    )
                )
    except PortfolioError as error:
        return PortfolioLoad(
            frame=empty_frame(),
            source="live",
            fetched_at=fetched_at,
            error=error,
            client_id=client_id,
        )
    return PortfolioLoad(
        frame=campaigns_frame(records, clients),
        source="live",
        fetched_at=fetched_at,
        records=records,
        clients=clients,
        notices=tuple(notices),
        client_id=client_id,
        answer=answer,
    )
