"""The capacity ledger: can the portfolio send what its campaigns plan?

A campaign's ``max_leads_per_day`` is a wish. What goes out is bounded by the mailboxes it
sends from, each capped at its own ``message_per_day`` across *every* campaign that uses it,
follow-ups first (SmartLead's help centre, "How do follow-ups work in Smartlead"). This module
sets every mailbox's cap against every active campaign that draws on it.

**Planned daily volume** (:func:`planned_volume`): new leads per day (``max_leads_per_day``)
plus the follow-ups the campaign's ``follow_up_percentage`` reserves room for. Read as the
share of the day's sending kept for follow-ups, the total is
``max_leads_per_day ÷ (1 − follow_up_percentage / 100)``. A missing percentage counts as 0
(new leads only, a lower bound) and the share is capped at
:attr:`MailboxSettings.max_follow_up_share` (at most five emails a day per new lead), so 100 %
does not make the plan infinite. It is an estimate of a steady state, and says so.

**Sharing a mailbox** among the active campaigns that use it: SmartLead rotates a campaign's
sends over its mailboxes, so a campaign asks each of its ``n`` mailboxes for ``planned ÷ n``
(its *demand* on that mailbox). A mailbox's cap is handed out in proportion to those demands;
a mailbox whose campaigns all plan nothing splits its cap equally. So, per mailbox, the shares
add up to exactly its cap (never more); per campaign, its shares add up to the capacity it can
draw; and a campaign whose every mailbox can carry the demand placed on it gets at least its
plan. *Shortfall* is ``max(0, planned − capacity)``.

Unknowns stay unknown: a campaign whose mailbox list could not be fetched has no capacity
(null, with the reason), and a mailbox that might serve it is "usage unknown" rather than
idle, unless SmartLead's ``campaign_count`` shows every campaign of the mailbox is accounted
for. A mailbox without a cap counts as 0 capacity, and says so.

Vectorised: one pass of numpy ``bincount`` over the campaign–mailbox links; no Python loop
over mailboxes or links (``bench/bench_ledger.py``). Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from smartlead import vocab
from smartlead.filters import Filters
from smartlead.frame import list_array
from smartlead.mailboxes import campaign_links

__all__ = [
    "CAMPAIGN_LEDGER_COLUMNS",
    "DEFAULT_MAILBOX_SETTINGS",
    "MAILBOX_LEDGER_COLUMNS",
    "Ledger",
    "MailboxFilters",
    "MailboxOptions",
    "MailboxSettings",
    "build_ledger",
    "campaigns_in_view",
    "filter_mailboxes",
    "group_summary",
    "ledger_kpis",
    "mailbox_options",
    "mailboxes_in_view",
    "planned_volume",
]


@dataclass(frozen=True)
class MailboxSettings:
    """The ledger's and the mailbox health rules' thresholds, each with the reason for its
    default. Frozen; make a variant with ``dataclasses.replace``."""

    max_follow_up_share: float = 0.8
    """The largest share of a day's sending the plan reserves for follow-ups. In a steady
    state a sequence of k steps sends at most k emails a day per new lead a day; 0.8 allows
    five (a long cold sequence), and keeps a ``follow_up_percentage`` of 100 from making the
    plan infinite."""

    min_warmup_reputation: float = 90.0
    """A warmup reputation below this (percent) is flagged (``low_warmup_reputation``).
    Warmup tools count the share of warmup emails that land in the inbox; under about 90 %
    one in ten lands in spam, and cold emails from the mailbox fare worse."""

    max_daily_cap: int = 50
    """A daily cap above this is flagged (``cap_above_norm``). SmartLead's help centre advises
    keeping a mailbox within 40 to 50 emails a day, warmup included ("Understanding email
    account disconnection reasons in Smartlead"), and its API guide recommends 50 for Gmail and
    Outlook mailboxes."""


DEFAULT_MAILBOX_SETTINGS = MailboxSettings()

CAMPAIGN_LEDGER_COLUMNS: tuple[str, ...] = (
    "id",
    "name",
    "client_name",
    "status",
    "max_leads_per_day",
    "follow_up_percentage",
    "planned",
    "mailboxes",
    "cap_sum",
    "capacity",
    "shortfall",
    "coverage",
    "note",
)
"""Columns of :attr:`Ledger.campaigns`: one row per active or paused campaign."""

MAILBOX_LEDGER_COLUMNS: tuple[str, ...] = (
    "active_campaigns",
    "paused_campaigns",
    "demand",
    "utilisation",
    "spare",
    "over_committed",
    "usage",
    "idle",
    "sent_today_share",
    "unhealthy",
    "note",
)
"""Columns :attr:`Ledger.mailboxes` adds to the mailbox frame."""


@dataclass(frozen=True)
class Ledger:
    """The capacity ledger of one portfolio.

    ``campaigns``: :data:`CAMPAIGN_LEDGER_COLUMNS`, one row per active or paused campaign.
    ``mailboxes``: the mailbox frame plus :data:`MAILBOX_LEDGER_COLUMNS`. ``shares``: one row
    per (active campaign, known mailbox) link with the campaign's ``demand`` on the mailbox
    and the ``share`` of the cap it gets. ``notices``: what the figures leave out, in words.
    """

    campaigns: pd.DataFrame
    mailboxes: pd.DataFrame
    shares: pd.DataFrame
    notices: tuple[str, ...] = ()


# --------------------------------------------------------------------------- the plan


def planned_volume(
    campaigns: pd.DataFrame, settings: MailboxSettings = DEFAULT_MAILBOX_SETTINGS
) -> pd.Series:
    """Planned emails a day per campaign: ``max_leads_per_day ÷ (1 − follow-up share)``.

    The follow-up share is ``follow_up_percentage / 100`` (missing: 0), capped at
    ``settings.max_follow_up_share``. A campaign without a daily limit has no plan (null).
    """
    new_leads = pd.to_numeric(campaigns["max_leads_per_day"], errors="coerce").astype("Float64")
    new_leads = new_leads.where(new_leads >= 0)
    percentage = pd.to_numeric(campaigns["follow_up_percentage"], errors="coerce").astype("Float64")
    share = (percentage.fillna(0.0) / 100.0).clip(
        0.0, max(0.0, min(settings.max_follow_up_share, 0.99))
    )
    return (new_leads / (1.0 - share)).rename("planned")


# --------------------------------------------------------------------------- the ledger


def _positions(ids: pd.Series, wanted: pd.Series) -> np.ndarray:
    """For each of ``wanted``, the row of its first occurrence in ``ids`` (-1: absent)."""
    ids = ids.astype("Int64")
    first = ~ids.duplicated() & ids.notna()
    index = pd.Index(ids[first].to_numpy(dtype=np.int64))
    rows = np.flatnonzero(first.to_numpy(dtype=bool))
    found = index.get_indexer(wanted.astype("Int64").to_numpy(dtype=np.int64, na_value=-1))
    return np.where(found >= 0, rows[np.maximum(found, 0)], -1)


Text = str | Callable[[np.ndarray], list[str]]
"""A note: the same words for every row, or a function of the rows' positions (called only
with the rows the note applies to, so a note with numbers in it costs nothing elsewhere)."""


def _notes(size: int, parts: Sequence[tuple[np.ndarray, Text]]) -> pd.arrays.StringArray:
    """Per row, the notes whose mask is set, joined by a space (null: none)."""
    notes = np.full(size, "", dtype=object)
    for mask, text in parts:
        rows = np.flatnonzero(mask)
        if not len(rows):
            continue
        chosen = text(rows) if callable(text) else [text] * len(rows)
        notes[rows] = [
            f"{before} {now}".strip() for before, now in zip(notes[rows], chosen, strict=True)
        ]
    notes[notes == ""] = None
    return pd.array(notes, dtype="string")


def _plural(count: int, one: str, many: str) -> str:
    return f"{count:,} {one if count == 1 else many}"


def build_ledger(
    campaigns: pd.DataFrame,
    mailboxes: pd.DataFrame,
    links: Mapping[int, Sequence[int]],
    unknown: Mapping[int, str] | None = None,
    settings: MailboxSettings = DEFAULT_MAILBOX_SETTINGS,
) -> Ledger:
    """The ledger of a portfolio: ``campaigns`` (the campaign frame, every campaign),
    ``mailboxes`` (the mailbox frame), ``links`` (campaign id → the mailbox ids of its
    fetched list) and ``unknown`` (campaign id → why its list is unknown).

    An active or paused campaign that is in neither ``links`` nor ``unknown`` is unknown too
    ("not fetched"). See the module notes for the plan and the sharing rule.
    """
    unknown = dict(unknown or {})
    status = campaigns["status"].astype("string")
    in_scope = (status.isin(vocab.RESUMABLE).fillna(False) & campaigns["id"].notna()).to_numpy(
        dtype=bool
    )
    scope = campaigns.loc[
        in_scope,
        ["id", "name", "client_name", "status", "max_leads_per_day", "follow_up_percentage"],
    ]
    scope = scope[~scope["id"].duplicated()].reset_index(drop=True)
    scope = scope.astype({"name": "string", "client_name": "string", "status": "string"})
    campaign_count = len(scope)
    campaign_ids = scope["id"].to_numpy(dtype=np.int64)
    active = (scope["status"] == vocab.ACTIVE).to_numpy(dtype=bool)
    fetched = np.isin(campaign_ids, np.fromiter(links.keys(), dtype=np.int64, count=len(links)))
    planned = planned_volume(scope, settings)
    planned_values = planned.fillna(0.0).to_numpy(dtype=float)

    table = campaign_links(links)
    mailbox_count = len(mailboxes)
    c_pos = _positions(scope["id"], table["campaign_id"])
    m_pos = _positions(mailboxes["id"], table["mailbox_id"])
    in_campaigns = c_pos >= 0
    c_in, m_in = c_pos[in_campaigns], m_pos[in_campaigns]
    links_per_campaign = np.bincount(c_in, minlength=campaign_count)
    strangers = np.bincount(c_in[m_in < 0], minlength=campaign_count)

    # Each active campaign asks each of its mailboxes for an equal part of its plan.
    drawing = active[c_in] & (m_in >= 0)
    c_draw, m_draw = c_in[drawing], m_in[drawing]
    demand = planned_values[c_draw] / np.maximum(links_per_campaign[c_draw], 1)
    mailbox_demand = np.bincount(m_draw, weights=demand, minlength=mailbox_count)
    drawers = np.bincount(m_draw, minlength=mailbox_count)
    caps = pd.to_numeric(mailboxes["daily_cap"], errors="coerce").astype("Float64")
    cap_values = caps.fillna(0.0).clip(lower=0.0).to_numpy(dtype=float)
    link_cap = cap_values[m_draw]
    by_demand = mailbox_demand[m_draw] > 0
    share = np.where(
        by_demand,
        link_cap * demand / np.where(by_demand, mailbox_demand[m_draw], 1.0),
        link_cap / np.maximum(drawers[m_draw], 1),
    )
    capacity = np.bincount(c_draw, weights=share, minlength=campaign_count)
    cap_sum = np.bincount(c_draw, weights=link_cap, minlength=campaign_count)
    paused_links = ~active[c_in] & (m_in >= 0)
    paused_per_mailbox = np.bincount(m_in[paused_links], minlength=mailbox_count)
    all_links = np.bincount(m_pos[m_pos >= 0], minlength=mailbox_count)

    known = active & fetched
    capacity_column = pd.Series(np.where(known, capacity, np.nan), dtype="Float64")
    planned_column = pd.Series(planned.array, dtype="Float64")
    shortfall = (planned_column - capacity_column).clip(lower=0.0)
    coverage = capacity_column / planned_column.where(planned_column > 0)
    mailbox_links = pd.Series(np.where(fetched, links_per_campaign, -1), dtype="Int64")
    mailbox_links = mailbox_links.where(pd.Series(fetched))

    def unknown_text(rows: np.ndarray) -> list[str]:
        return [
            f"Its mailboxes are unknown: {unknown.get(int(cid)) or 'their list was not fetched.'}"
            for cid in campaign_ids[rows]
        ]

    def stranger_text(rows: np.ndarray) -> list[str]:
        return [
            f"{_plural(int(n), 'of its mailboxes is', 'of its mailboxes are')} not in the "
            "account's mailbox list (no capacity counted)."
            for n in strangers[rows]
        ]

    follow_up_missing = scope["follow_up_percentage"].isna().to_numpy(dtype=bool)
    campaign_notes = _notes(
        campaign_count,
        [
            (~fetched, unknown_text),
            (fetched & (links_per_campaign == 0), "No mailbox is attached, so it cannot send."),
            (strangers > 0, stranger_text),
            (planned.isna().to_numpy(dtype=bool), "No daily limit is set, so its plan is unknown."),
            (follow_up_missing, "No follow-up share is set: planned as new leads only."),
            (~active, "Paused: it draws no capacity until it is resumed."),
        ],
    )
    campaign_table = pd.DataFrame(
        {
            "id": scope["id"].astype("Int64"),
            "name": scope["name"],
            "client_name": scope["client_name"],
            "status": scope["status"],
            "max_leads_per_day": scope["max_leads_per_day"].astype("Int64"),
            "follow_up_percentage": scope["follow_up_percentage"].astype("Int64"),
            "planned": planned_column.array,
            "mailboxes": mailbox_links.array,
            "cap_sum": pd.array(np.where(known, cap_sum, np.nan), dtype="Float64"),
            "capacity": capacity_column.array,
            "shortfall": shortfall.array,
            "coverage": coverage.array,
            "note": campaign_notes,
        }
    )

    unknown_active = bool((active & ~fetched).any())
    mailbox_table = _mailbox_columns(
        mailboxes,
        mailbox_demand=mailbox_demand,
        drawers=drawers,
        paused=paused_per_mailbox,
        all_links=all_links,
        unknown_active=unknown_active,
        settings=settings,
    )
    shares = pd.DataFrame(
        {
            "campaign_id": pd.array(campaign_ids[c_draw], dtype="Int64"),
            "mailbox_id": mailboxes["id"].astype("Int64").array.take(m_draw),
            "demand": demand,
            "share": share,
        }
    )
    notices = []
    unknown_count = int((~fetched).sum())
    if unknown_count:
        which = _plural(unknown_count, "active or paused campaign", "active or paused campaigns")
        notices.append(
            f"The mailboxes of {which} "
            "are unknown: no capacity is counted for "
            f"{'it' if unknown_count == 1 else 'them'}, and mailboxes they may use show as "
            f"'{vocab.USAGE_UNKNOWN}'."
        )
    stranger_count = int((m_in < 0).sum())
    if stranger_count:
        notices.append(
            f"{stranger_count:,} link{'s point' if stranger_count != 1 else ' points'} to "
            "mailboxes missing from the account's mailbox list; they count as no capacity."
        )
    return Ledger(campaign_table, mailbox_table, shares, tuple(notices))


def _mailbox_columns(
    mailboxes: pd.DataFrame,
    *,
    mailbox_demand: np.ndarray,
    drawers: np.ndarray,
    paused: np.ndarray,
    all_links: np.ndarray,
    unknown_active: bool,
    settings: MailboxSettings,
) -> pd.DataFrame:
    size = len(mailboxes)
    caps = pd.to_numeric(mailboxes["daily_cap"], errors="coerce").astype("Float64")
    cap_values = caps.fillna(0.0).to_numpy(dtype=float)
    counted = pd.to_numeric(mailboxes["campaign_count"], errors="coerce").astype("Float64")
    beyond = (
        (counted.fillna(np.inf).to_numpy(dtype=float) > all_links) if size else np.zeros(0, bool)
    )
    in_active = drawers > 0
    maybe = unknown_active & ~in_active & beyond
    uses = np.select(
        [in_active, maybe, paused > 0],
        [vocab.IN_ACTIVE_CAMPAIGN, vocab.USAGE_UNKNOWN, vocab.ONLY_PAUSED],
        default=vocab.IDLE,
    )
    idle = pd.array(~in_active, dtype="boolean")
    idle[maybe] = pd.NA
    demand = pd.array(mailbox_demand, dtype="Float64")
    utilisation = demand / pd.array(np.where(cap_values > 0, cap_values, np.nan), dtype="Float64")
    sent = pd.to_numeric(mailboxes["sent_today"], errors="coerce").astype("Float64")
    disconnected = mailboxes["connection"].isin(vocab.DISCONNECTED).to_numpy(dtype=bool)
    warmup_off = (mailboxes["warmup_status"] == vocab.WARMUP_OFF).to_numpy(dtype=bool)
    low_reputation = (
        (mailboxes["warmup_reputation"] < settings.min_warmup_reputation)
        .fillna(False)
        .to_numpy(dtype=bool)
    )
    extra = np.where(
        np.isfinite(counted.fillna(np.nan).to_numpy(dtype=float)),
        counted.fillna(0).to_numpy(dtype=float) - all_links,
        0,
    )

    def elsewhere(rows: np.ndarray) -> list[str]:
        return [
            f"Also in {_plural(int(n), 'campaign that is', 'campaigns that are')} neither "
            "active nor paused."
            for n in extra[rows]
        ]

    notes = _notes(
        size,
        [
            (caps.isna().to_numpy(dtype=bool), "No daily cap is set (counted as 0)."),
            (
                maybe,
                "A campaign's mailbox list could not be fetched, and SmartLead counts this "
                "mailbox in some campaign.",
            ),
            (~maybe & (extra > 0), elsewhere),
        ],
    )
    added = pd.DataFrame(
        {
            "active_campaigns": pd.array(drawers, dtype="Int64"),
            "paused_campaigns": pd.array(paused, dtype="Int64"),
            "demand": demand,
            "utilisation": utilisation,
            "spare": pd.array(np.maximum(cap_values - mailbox_demand, 0.0), dtype="Float64"),
            "over_committed": pd.array(mailbox_demand > cap_values + 1e-9, dtype="boolean"),
            "usage": pd.Categorical(uses, categories=list(vocab.MAILBOX_USES)),
            "idle": idle,
            "sent_today_share": sent
            / pd.array(np.where(cap_values > 0, cap_values, np.nan), dtype="Float64"),
            "unhealthy": pd.array(disconnected | warmup_off | low_reputation, dtype="boolean"),
            "note": notes,
        },
        index=mailboxes.index,
    )
    return pd.concat([mailboxes, added], axis=1)


# --------------------------------------------------------------------------- summaries


def group_summary(ledger: Ledger, by: str) -> pd.DataFrame:
    """Capacity against demand per ``by`` (``client_name`` or ``domain``), largest first.

    Mailbox side (grouped by the mailbox's own client or domain): ``mailboxes``,
    ``capacity`` (Σ caps), ``demand`` (Σ demand placed on them), ``utilisation``, ``idle``,
    ``unhealthy``, ``disconnected``, ``over_committed``. Per client, the campaign side too
    (grouped by the campaign's client): ``active_campaigns``, ``planned`` (Σ plans),
    ``drawable`` (Σ capacity it can draw), ``shortfall``. A mailbox without a domain is
    grouped under :data:`smartlead.vocab.NO_GROUP`.
    """
    boxes = ledger.mailboxes
    keys = boxes[by].astype("string").fillna(vocab.NO_GROUP)
    data = pd.DataFrame(
        {
            "group": keys,
            "mailboxes": 1,
            "capacity": pd.to_numeric(boxes["daily_cap"], errors="coerce")
            .astype("Float64")
            .fillna(0.0),
            "demand": boxes["demand"],
            "idle": boxes["idle"].fillna(False).astype(int),
            "unhealthy": boxes["unhealthy"].fillna(False).astype(int),
            "disconnected": boxes["connection"].isin(vocab.DISCONNECTED).astype(int),
            "over_committed": boxes["over_committed"].fillna(False).astype(int),
        }
    )
    summary = data.groupby("group", sort=False).sum()
    summary["utilisation"] = summary["demand"] / summary["capacity"].where(summary["capacity"] > 0)
    if by == "client_name":
        sending = ledger.campaigns[ledger.campaigns["status"] == vocab.ACTIVE]
        side = (
            pd.DataFrame(
                {
                    "group": sending["client_name"].astype("string").fillna(vocab.NO_CLIENT),
                    "active_campaigns": 1,
                    "planned": sending["planned"].fillna(0.0),
                    "drawable": sending["capacity"].fillna(0.0),
                    "shortfall": sending["shortfall"].fillna(0.0),
                }
            )
            .groupby("group", sort=False)
            .sum()
        )
        summary = summary.join(side, how="outer")
        for column in (
            "mailboxes",
            "idle",
            "unhealthy",
            "disconnected",
            "over_committed",
            "active_campaigns",
        ):
            summary[column] = summary[column].fillna(0).astype("int64")
        for column in ("capacity", "demand", "planned", "drawable", "shortfall"):
            summary[column] = summary[column].astype("Float64").fillna(0.0)
    summary = summary.sort_values(["capacity", "demand"], ascending=False, kind="stable")
    return summary.rename_axis(by).reset_index()


def ledger_kpis(mailboxes: pd.DataFrame, campaigns: pd.DataFrame) -> dict[str, float | int]:
    """The Mailboxes page's headline numbers for the mailboxes and campaigns in view."""
    sending = campaigns[campaigns["status"] == vocab.ACTIVE]
    return {
        "mailboxes": len(mailboxes),
        "capacity": float(pd.to_numeric(mailboxes["daily_cap"], errors="coerce").fillna(0).sum()),
        "planned": float(sending["planned"].fillna(0.0).sum()),
        "shortfall": float(sending["shortfall"].fillna(0.0).sum()),
        "short_campaigns": int((sending["shortfall"].fillna(0.0) > 0.5).sum()),
        "idle": int(mailboxes["idle"].fillna(False).sum()),
        "only_paused": int((mailboxes["usage"] == vocab.ONLY_PAUSED).sum()),
        "usage_unknown": int(mailboxes["idle"].isna().sum()),
        "disconnected": int(mailboxes["connection"].isin(vocab.DISCONNECTED).sum()),
    }


# --------------------------------------------------------------------------- filters


@dataclass(frozen=True)
class MailboxFilters:
    """The Mailboxes page's own filters; an empty criterion filters nothing."""

    providers: tuple[str, ...] = ()
    domains: tuple[str, ...] = ()
    connections: tuple[str, ...] = ()
    warmup: tuple[str, ...] = ()
    uses: tuple[str, ...] = ()
    campaigns: tuple[int, ...] = ()


@dataclass(frozen=True)
class MailboxOptions:
    """What the mailbox filters offer for one account."""

    providers: tuple[str, ...] = ()
    domains: tuple[str, ...] = ()
    connections: tuple[str, ...] = vocab.CONNECTIONS
    warmup: tuple[str, ...] = ()
    uses: tuple[str, ...] = vocab.MAILBOX_USES
    counts: dict[str, int] = field(default_factory=dict)


def mailbox_options(mailboxes: pd.DataFrame) -> MailboxOptions:
    """Providers (documented ones first), domains (by name), warmup statuses present."""
    providers = {str(p) for p in mailboxes["provider"].dropna().unique()}
    known = [p for p in (*vocab.MAILBOX_PROVIDERS, vocab.UNKNOWN_PROVIDER) if p in providers]
    warmup = {str(w) for w in mailboxes["warmup_status"].dropna().unique()}
    return MailboxOptions(
        providers=(*known, *sorted(providers - set(known))),
        domains=tuple(sorted({str(d) for d in mailboxes["domain"].dropna().unique()})),
        warmup=tuple(sorted(warmup, key=lambda w: (w == vocab.NO_WARMUP_DATA, w))),
    )


def filter_mailboxes(mailboxes: pd.DataFrame, filters: MailboxFilters) -> pd.DataFrame:
    """The ledger's mailboxes that meet every criterion of ``filters``, in order."""
    if filters == MailboxFilters() or mailboxes.empty:
        return mailboxes
    mask = np.ones(len(mailboxes), dtype=bool)
    for column, wanted in (
        ("provider", filters.providers),
        ("domain", filters.domains),
        ("connection", filters.connections),
        ("warmup_status", filters.warmup),
        ("usage", filters.uses),
    ):
        if wanted:
            mask &= (
                mailboxes[column].astype("string").isin(wanted).fillna(False).to_numpy(dtype=bool)
            )
    if filters.campaigns:
        mask &= _serving(mailboxes, filters.campaigns)
    return mailboxes[mask]


def _serving(mailboxes: pd.DataFrame, campaign_ids: Sequence[int]) -> np.ndarray:
    """Mailboxes whose ``campaign_ids`` hold any of ``campaign_ids`` (Arrow list kernels)."""
    result = np.zeros(len(mailboxes), dtype=bool)
    if not len(mailboxes) or not len(campaign_ids):
        return result
    lists = list_array(mailboxes["campaign_ids"], pa.int64())
    hits = pc.is_in(pc.list_flatten(lists), value_set=pa.array(list(campaign_ids), type=pa.int64()))
    parents = pc.list_parent_indices(lists).to_numpy()
    result[parents[hits.to_numpy(zero_copy_only=False)]] = True
    return result


def mailboxes_in_view(
    mailboxes: pd.DataFrame, view: pd.DataFrame, filters: Filters
) -> pd.DataFrame:
    """The mailboxes the shared (campaign) filters leave in view.

    The client filter picks the mailboxes of those clients; any other campaign filter
    narrows to the mailboxes of the campaigns in view (so idle mailboxes drop out). With no
    filter set, every mailbox is in view.
    """
    mask = np.ones(len(mailboxes), dtype=bool)
    if filters.clients:
        mask &= (
            mailboxes["client_name"]
            .astype("string")
            .isin(filters.clients)
            .fillna(False)
            .to_numpy(dtype=bool)
        )
    if not replace(filters, clients=()).is_default():
        mask &= _serving(mailboxes, [int(i) for i in view["id"].dropna()])
    return mailboxes[mask]


def campaigns_in_view(ledger: Ledger, view: pd.DataFrame) -> pd.DataFrame:
    """The ledger's campaigns that are in ``view`` (the filtered campaign frame)."""
    ids = view["id"].dropna().astype("int64")
    return ledger.campaigns[ledger.campaigns["id"].isin(ids).fillna(False).to_numpy(dtype=bool)]
