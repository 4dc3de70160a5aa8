"""Mailboxes in the dashboard: fetched within the rate limit, cached per account, and drawn.

Mailboxes cost one request per 100 of them (``GET /email-accounts/``) plus one per active or
paused campaign (``GET /campaigns/{id}/email-accounts``), so a live account's mailboxes are
fetched when someone asks for them (a button saying what it costs), with a progress bar, and
kept in one server-wide cache for ``SMARTLEAD_MAILBOX_TTL``: the list per account, each
campaign's answer per (account, campaign), keyed by the account fingerprint, never the key.
Once a session has asked, missing or stale answers are fetched again as needed. A campaign
whose list failed is listed with the reason and a "Try these again" button, like
performance (``ui/metrics.py``); the rest still show. The cache holds answers with their
passwords already dropped by the client.

The demo's mailboxes are made here, with no request.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import partial

import pandas as pd
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from smartlead import bulk, demo, loader, settings, vocab
from smartlead.connection import Connection
from smartlead.errors import PortfolioError
from smartlead.frame import campaigns_frame
from smartlead.ledger import (
    Ledger,
    MailboxFilters,
    MailboxOptions,
    build_ledger,
    filter_mailboxes,
    mailbox_options,
)
from smartlead.mailbox_health import mailbox_findings_csv, run_mailbox_audit, summarize
from smartlead.mailbox_loader import (
    MailboxList,
    MailboxLoad,
    assemble,
    campaigns_to_fetch,
    fetch_campaign_mailboxes,
    fetch_mailbox_list,
    load_mailboxes,
)
from smartlead.mailboxes import mailboxes_frame
from smartlead.ratelimit import limiter_for
from ui.bound import multiselect_filter, set_filter
from ui.failures import failures_table
from ui.messages import explain
from ui.page import PAGES, Portfolio, open_campaign
from ui.text import campaign_label, escape_markdown

WANTED = "_mailboxes_wanted"
"""Session state: the accounts whose mailboxes this session asked for (fetched as needed)."""

PENDING_OPEN = "_mailboxes_open_for"
"""Session state: a campaign whose mailboxes should open on the Mailboxes page (set by a
button on the Campaigns page, acted on at the top of the next run)."""

PENDING_BACK = "_mailboxes_back_to"
"""Session state: a campaign whose settings should open on the Campaigns page."""

CHUNK = 20
"""Campaigns fetched between two cache writes: a rerun that interrupts a long fetch loses at
most this many answers."""

FILTER_KEYS: dict[str, str] = {
    "providers": "mb_provider",
    "domains": "mb_domain",
    "connections": "mb_health",
    "warmup": "mb_warmup",
    "uses": "mb_use",
    "campaigns": "mb_campaign",
}
"""The Mailboxes page's own filters: :class:`MailboxFilters` field → widget key, which is also
its URL parameter (distinct from the shared filters' names)."""


# --------------------------------------------------------------------------- the cache


@dataclass
class _Answer:
    stored_at: float
    records: list | None
    failure: str | None


@dataclass
class MailboxCache:
    """Mailbox answers shared by every session of this server, per account fingerprint."""

    lists: dict[str, tuple[float, MailboxList]] = field(default_factory=dict)
    campaigns: dict[tuple[str, int], _Answer] = field(default_factory=dict)
    versions: dict[str, int] = field(default_factory=dict)
    states: dict[tuple, MailboxState] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def _changed(self, account: str) -> None:
        self.versions[account] = self.versions.get(account, 0) + 1

    def fresh_list(self, account: str, ttl: float) -> MailboxList | None:
        with self.lock:
            entry = self.lists.get(account)
        if entry is None or time.monotonic() - entry[0] >= ttl:
            return None
        return entry[1]

    def store_list(self, account: str, listed: MailboxList) -> None:
        with self.lock:
            self.lists[account] = (time.monotonic(), listed)
            self._changed(account)

    def fresh_campaigns(self, account: str, ids: Iterable[int], ttl: float) -> dict[int, _Answer]:
        now = time.monotonic()
        with self.lock:
            found = {cid: self.campaigns.get((account, cid)) for cid in ids}
        return {c: a for c, a in found.items() if a is not None and now - a.stored_at < ttl}

    def store_campaigns(self, account: str, batch: bulk.Batch) -> None:
        now = time.monotonic()
        with self.lock:
            for cid, records in batch.results.items():
                self.campaigns[(account, cid)] = _Answer(now, list(records), None)
            for cid, reason in batch.failures.items():
                self.campaigns[(account, cid)] = _Answer(now, None, reason)
            self._changed(account)

    def forget_failures(self, account: str) -> None:
        """Drop this account's failed answers so the next run asks SmartLead again."""
        with self.lock:
            for slot in [s for s, a in self.campaigns.items() if s[0] == account and a.failure]:
                del self.campaigns[slot]
            listed = self.lists.get(account)
            if listed is not None and not listed[1].complete:
                del self.lists[account]
            self._changed(account)

    def forget(self, account: str) -> None:
        """Drop everything kept for this account (Refresh mailboxes)."""
        with self.lock:
            self.lists.pop(account, None)
            for slot in [s for s in self.campaigns if s[0] == account]:
                del self.campaigns[slot]
            self._changed(account)

    def version(self, account: str) -> int:
        with self.lock:
            return self.versions.get(account, 0)

    def remember(self, key: tuple, state: MailboxState) -> None:
        """Keep a worked-out ledger (a few, the newest), so reruns do not redo it."""
        with self.lock:
            if len(self.states) >= 16:
                self.states.pop(next(iter(self.states)))
            self.states[key] = state


@st.cache_resource(show_spinner=False)
def mailbox_cache() -> MailboxCache:
    """The server's one mailbox cache."""
    return MailboxCache()


# --------------------------------------------------------------------------- loading


@dataclass(frozen=True)
class MailboxState:
    """What the mailbox views draw from: the load, its ledger, its mailbox health findings."""

    load: MailboxLoad
    ledger: Ledger
    findings: pd.DataFrame
    options: MailboxOptions
    list_problem: str | None = None


def _state(load: MailboxLoad, ledger: Ledger, problem: str | None = None) -> MailboxState:
    return MailboxState(
        load=load,
        ledger=ledger,
        findings=run_mailbox_audit(ledger),
        options=mailbox_options(ledger.mailboxes),
        list_problem=problem,
    )


@st.cache_data(show_spinner=False)
def demo_state(size: int) -> MailboxState:
    """The demo portfolio's mailboxes and ledger, made once per size, with no request."""
    records = demo.demo_campaigns(size, seed=loader.DEMO_SEED)
    frame = campaigns_frame(records, demo.demo_clients())
    load = load_mailboxes(None, frame, demo_records=records)
    boxes = mailboxes_frame(load.records, demo.demo_clients(), load.links)
    return _state(load, build_ledger(frame, boxes, load.links, load.failures))


def wanted(connection: Connection) -> bool:
    """Whether this session asked for this account's mailboxes."""
    return connection.fingerprint in st.session_state.get(WANTED, set())


def ask_for(connection: Connection) -> None:
    """Button callback: fetch this account's mailboxes now and whenever they go stale."""
    st.session_state.setdefault(WANTED, set()).add(connection.fingerprint)


def retry_failures(connection: Connection) -> None:
    """Button callback: ask SmartLead again for the lists that failed."""
    mailbox_cache().forget_failures(connection.fingerprint)


def refresh_mailboxes(connection: Connection) -> None:
    """Button callback: fetch every mailbox answer of this account again."""
    mailbox_cache().forget(connection.fingerprint)
    ask_for(connection)


def cost_text(connection: Connection, campaigns: int, with_list: bool) -> str:
    """'1 request per 100 mailboxes and 160 for the campaigns' lists, about 33 s at …'."""
    limiter = limiter_for(connection)
    count = campaigns + (1 if with_list else 0)
    if count == 0:
        return "no request: everything is cached"
    seconds = bulk.estimate_seconds(count, limiter)
    duration = f"about {seconds:.0f} s" if seconds < 90 else f"about {seconds / 60:.0f} min"
    parts = []
    if with_list:
        parts.append("1 request per 100 mailboxes")
    if campaigns:
        parts.append(f"{campaigns:,} for the active and paused campaigns' lists")
    return f"{' and '.join(parts)}: {duration} at {limiter.describe()} (more for a large account)"


def mailbox_state(
    portfolio: Portfolio, progress_area: DeltaGenerator, *, offer: bool = True
) -> MailboxState | None:
    """The mailboxes of the portfolio's account, fetching what is missing if this session
    asked for them; None (after offering to load them, when ``offer``) otherwise."""
    connection = portfolio.key.connection
    if connection is None:
        return demo_state(settings.demo_size())
    account = connection.fingerprint
    cache = mailbox_cache()
    ttl = settings.mailbox_ttl_seconds()
    ids = campaigns_to_fetch(portfolio.frame)
    listed = cache.fresh_list(account, ttl)
    answers = cache.fresh_campaigns(account, ids, ttl)
    missing = [cid for cid in ids if cid not in answers]
    if listed is None or missing:
        if not wanted(connection):
            if offer:
                _offer(connection, len(missing), listed is None)
            return None
        listed, answers = _fetch(connection, listed, missing, ids, progress_area)
    if listed.error is not None:
        _list_failed(connection, listed.error)
        return None
    key = (account, cache.version(account), portfolio.result.fetched_at, len(portfolio.frame))
    state = cache.states.get(key)
    if state is None:
        load = assemble(
            listed.records,
            {cid: a.records for cid, a in answers.items() if a.records is not None},
            {cid: a.failure for cid, a in answers.items() if a.failure is not None},
            [listed.problem] if listed.problem else [],
        )
        boxes = mailboxes_frame(load.records, _client_list(portfolio), load.links)
        ledger = build_ledger(portfolio.frame, boxes, load.links, load.failures)
        state = _state(load, ledger, problem=listed.problem)
        cache.remember(key, state)
    return state


def _client_list(portfolio: Portfolio) -> list[dict]:
    """Client names as the campaign frame knows them (id → name), for the mailbox frame."""
    frame = portfolio.frame[["client_id", "client_name"]].dropna().drop_duplicates("client_id")
    return [
        {"id": int(cid), "name": str(name)}
        for cid, name in zip(frame["client_id"], frame["client_name"], strict=True)
        if not str(name).startswith("Client #")
    ]


def _fetch(
    connection: Connection,
    listed: MailboxList | None,
    missing: list[int],
    ids: list[int],
    progress_area: DeltaGenerator,
) -> tuple[MailboxList, dict[int, _Answer]]:
    """Fetch the list (when stale) and the missing campaigns' lists, with a progress bar."""
    account = connection.fingerprint
    cache = mailbox_cache()
    bar = progress_area.progress(0.0, text="Fetching mailboxes from SmartLead…")
    if listed is None:
        listed = fetch_mailbox_list(
            connection, progress=lambda done, text: bar.progress(0.0, text=text)
        )
        cache.store_list(account, listed)
    if listed.error is None and missing:
        limiter = limiter_for(connection)
        for first in range(0, len(missing), CHUNK):
            chunk = missing[first : first + CHUNK]

            def report(
                done: int, total: int, elapsed: float, eta: float, first: int = first
            ) -> None:
                finished = first + done
                left = bulk.estimate_seconds(len(missing) - finished, limiter)
                bar.progress(
                    finished / len(missing),
                    text=f"Fetched the mailboxes of {finished:,} of {len(missing):,} campaigns · "
                    f"about {left:.0f} s left",
                )

            batch = fetch_campaign_mailboxes(connection, chunk, progress=report)
            cache.store_campaigns(account, batch)
            if batch.aborted:
                break
    bar.empty()
    return listed, cache.fresh_campaigns(account, ids, settings.mailbox_ttl_seconds())


def _offer(connection: Connection, campaigns: int, with_list: bool) -> None:
    st.info(
        "SmartLead gives mailboxes a page of 100 at a time, and each campaign's mailboxes one "
        f"campaign at a time. Loading them costs {cost_text(connection, campaigns, with_list)}; "
        f"they are then kept for {settings.mailbox_ttl_seconds() // 60} min.",
        icon=":material/mail:",
    )
    st.button(
        "Load mailboxes",
        on_click=ask_for,
        args=(connection,),
        icon=":material/download:",
        key="load_mailboxes",
        type="primary",
    )


def _list_failed(connection: Connection, error: PortfolioError) -> None:
    told = explain(error)
    st.error(f"**{told.title}.** {escape_markdown(told.what)}", icon=":material/error:")
    if told.action:
        st.caption(escape_markdown(told.action))
    st.button("Try again", on_click=refresh_mailboxes, args=(connection,), key="retry_mailboxes")


def failures_box(state: MailboxState, portfolio: Portfolio) -> None:
    """What could not be fetched (the list's problem, each failed campaign), retryable."""
    failures = state.load.failures
    if not failures and not state.list_problem:
        return
    count = len(failures)
    title = (
        f"Mailboxes are unknown for {count} campaign{'s' if count != 1 else ''}"
        if count
        else "The mailbox list is incomplete"
    )
    with st.expander(title, icon=":material/warning:", expanded=True):
        if state.list_problem:
            st.warning(escape_markdown(state.list_problem))
        if count:
            failures_table(failures, portfolio.frame, key="mailbox_failures")
        if portfolio.key.connection is not None:
            st.button(
                "Try these again",
                on_click=retry_failures,
                args=(portfolio.key.connection,),
                key="retry_mailbox_failures",
            )


def fetched_caption(state: MailboxState, portfolio: Portfolio) -> str:
    """'1,776 mailboxes · 160 campaigns' lists · fetched …' for under the title."""
    load = state.load
    when = (
        "demo data" if load.source == "demo" else f"kept {settings.mailbox_ttl_seconds() // 60} min"
    )
    return (
        f"{len(load.records):,} mailboxes, {len(load.links):,} campaigns' mailbox lists ({when})."
    )


# --------------------------------------------------------------------------- navigation


def campaign_option(campaign_id: int, frame: pd.DataFrame) -> str:
    """The campaign filter's text for one campaign: 'Name (#id)'."""
    rows = frame.loc[frame["id"] == campaign_id, "name"]
    return campaign_label(rows.iloc[0] if len(rows) else None, campaign_id)


def open_mailboxes_for(campaign_id: int) -> None:
    """Button callback (Campaigns page): show this campaign's mailboxes on the Mailboxes page.

    The button sits in a part of the page that reruns alone (``st.fragment``); the switch
    happens at the top of the page (:func:`follow_pending`), so the whole app reruns."""
    st.session_state[PENDING_OPEN] = int(campaign_id)
    st.rerun()


def back_to_campaign(campaign_id: int) -> None:
    """Button callback (Mailboxes page): open this campaign's settings on the Campaigns page."""
    st.session_state[PENDING_BACK] = int(campaign_id)


def follow_pending(frame: pd.DataFrame) -> None:
    """Act on a pending page switch (a switch cannot happen inside a callback).

    Opening the Mailboxes page for a campaign puts the campaign filter in the address it
    opens (the widget there takes its value from the URL, so the link is shareable at once)
    and clears the other mailbox filters. The shared filters are not passed: the router's
    sidebar keeps them and writes them back, as for :func:`ui.page.open_campaign`.
    """
    if PENDING_BACK in st.session_state:
        open_campaign(st.session_state.pop(PENDING_BACK))
    if PENDING_OPEN in st.session_state:
        campaign_id = st.session_state.pop(PENDING_OPEN)
        for key in FILTER_KEYS.values():
            st.session_state.pop(key, None)
        st.switch_page(
            PAGES["mailboxes"].path,
            query_params={FILTER_KEYS["campaigns"]: campaign_option(campaign_id, frame)},
        )


def reset_mailbox_filters() -> None:
    """Button callback: every mailbox filter back to 'show everything' (set empty, never
    deleted: see :mod:`ui.bound`)."""
    for key in FILTER_KEYS.values():
        set_filter(key, [])


def filter_widgets(state: MailboxState, frame: pd.DataFrame) -> MailboxFilters:
    """The Mailboxes page's own filters, bound to the URL, as a :class:`MailboxFilters`."""
    options = state.options
    campaign_ids = [int(cid) for cid in state.ledger.campaigns["id"].dropna()]
    labels = {campaign_option(cid, frame): cid for cid in campaign_ids}
    choices = {
        "providers": ("Provider", options.providers),
        "domains": ("Domain", options.domains),
        "connections": ("Connection", options.connections),
        "warmup": ("Warmup", options.warmup),
        "uses": ("Use", options.uses),
    }
    picked: dict[str, tuple] = {}
    columns = st.columns(len(choices))
    for column, (name, (label, values)) in zip(columns, choices.items(), strict=True):
        picked[name] = multiselect_filter(
            label, values, key=FILTER_KEYS[name], where=column, placeholder="All"
        )
    chosen = multiselect_filter(
        "Campaigns (their mailboxes only)",
        labels,
        key=FILTER_KEYS["campaigns"],
        placeholder="All active and paused campaigns",
    )
    return MailboxFilters(campaigns=tuple(labels[c] for c in chosen), **picked)


def mailbox_columns() -> dict[str, object]:
    """The mailbox table's columns, in display order, with readable labels and formats."""
    config = st.column_config
    return {
        "from_email": config.TextColumn("Mailbox", width="medium"),
        "client_name": config.TextColumn("Client"),
        "provider": config.TextColumn("Provider", width="small"),
        "usage": config.TextColumn("Use"),
        "daily_cap": config.NumberColumn("Daily cap", format="%d", help="message_per_day"),
        "demand": config.NumberColumn(
            "Planned demand",
            format="%.0f",
            help="What its active campaigns plan to send through it a day.",
        ),
        "utilisation": config.ProgressColumn(
            "Demand / cap",
            format="percent",
            min_value=0.0,
            max_value=1.0,
            help="Planned demand over the daily cap; over 100 % is over-committed.",
        ),
        "sent_today": config.NumberColumn("Sent today", format="%d"),
        "active_campaigns": config.NumberColumn("Active campaigns", format="%d"),
        "connection": config.TextColumn("Connection"),
        "smtp_error": config.TextColumn("SMTP failure", width="medium"),
        "imap_error": config.TextColumn("IMAP failure", width="medium"),
        "warmup_status": config.TextColumn("Warmup"),
        "warmup_reputation": config.NumberColumn("Reputation", format="%.0f %%"),
        "warmup_sent": config.NumberColumn("Warmup sent", format="%d"),
        "warmup_spam": config.NumberColumn("Warmup spam", format="%d"),
        "domain": config.TextColumn("Domain"),
        "campaign_ids": config.ListColumn("Campaigns"),
        "note": config.TextColumn("Note", width="large"),
        "id": config.NumberColumn("ID", format="%d"),
    }


def campaign_ledger_columns() -> dict[str, object]:
    """The per-campaign ledger table's columns."""
    config = st.column_config
    return {
        "name": config.TextColumn("Campaign", width="large"),
        "client_name": config.TextColumn("Client"),
        "status": config.TextColumn("Status", width="small"),
        "planned": config.NumberColumn(
            "Planned a day",
            format="%.0f",
            help="max_leads_per_day ÷ (1 − follow-up share): new leads plus follow-ups.",
        ),
        "capacity": config.NumberColumn(
            "Can send a day", format="%.0f", help="Its share of its mailboxes' caps."
        ),
        "shortfall": config.NumberColumn("Shortfall", format="%.0f"),
        "coverage": config.ProgressColumn(
            "Covered", format="percent", min_value=0.0, max_value=1.0, help="Capacity over plan."
        ),
        "mailboxes": config.NumberColumn("Mailboxes", format="%d"),
        "cap_sum": config.NumberColumn(
            "Their caps", format="%.0f", help="Its mailboxes' caps added up, before sharing."
        ),
        "note": config.TextColumn("Note", width="large"),
        "id": config.NumberColumn("ID", format="%d"),
    }


# --------------------------------------------------------------------------- other pages


def _one_campaign(connection: Connection, campaign_id: int) -> _Answer:
    """One campaign's mailbox list, from the cache or one request (stored like the others)."""
    cache = mailbox_cache()
    account = connection.fingerprint
    found = cache.fresh_campaigns(account, [campaign_id], settings.mailbox_ttl_seconds())
    if campaign_id not in found:
        with st.spinner("Fetching this campaign's mailboxes…"):
            cache.store_campaigns(account, fetch_campaign_mailboxes(connection, [campaign_id]))
        found = cache.fresh_campaigns(account, [campaign_id], float("inf"))
    return found[campaign_id]


DETAIL_COLUMNS = (
    "from_email",
    "provider",
    "daily_cap",
    "sent_today",
    "active_campaigns",
    "demand",
    "utilisation",
    "connection",
    "warmup_status",
    "warmup_reputation",
    "note",
)
"""What the Campaigns page shows of each of a campaign's mailboxes."""


def campaign_mailboxes(portfolio: Portfolio, campaign: pd.Series) -> None:
    """The Campaigns page's "Mailboxes" section for one campaign: its mailboxes, what it
    plans against what it can draw, and a way to the Mailboxes page filtered to it.

    With the account's mailboxes loaded it reads the ledger; otherwise it asks SmartLead for
    this campaign's list alone (one request, cached like the others).
    """
    campaign_id = int(campaign["id"])
    st.markdown("**Mailboxes**")
    state = mailbox_state(portfolio, st.empty(), offer=False)
    resumable = str(campaign["status"]) in vocab.RESUMABLE
    if state is not None and campaign_id in state.load.links:
        rows = state.ledger.mailboxes[_holding(state.ledger.mailboxes, campaign_id)]
        plans = state.ledger.campaigns[state.ledger.campaigns["id"] == campaign_id]
        if len(plans):
            st.caption(escape_markdown(_plan_text(plans.iloc[0])))
    elif portfolio.key.connection is None:
        st.caption("None: only active and paused demo campaigns have mailboxes.")
        return
    else:
        answer = _one_campaign(portfolio.key.connection, campaign_id)
        if answer.records is None:
            st.warning(
                "Its mailboxes could not be fetched: " + escape_markdown(answer.failure or ""),
                icon=":material/warning:",
            )
            st.button(
                "Try again",
                on_click=retry_failures,
                args=(portfolio.key.connection,),
                key="retry_campaign_mailboxes",
            )
            return
        rows = mailboxes_frame(answer.records, _client_list(portfolio), {campaign_id: []})
        st.caption(
            "How these mailboxes are shared with other campaigns is worked out on the "
            "Mailboxes page, once the account's mailboxes are loaded."
        )
    if rows.empty:
        st.caption("None: no mailbox is attached to this campaign, so it cannot send.")
    else:
        shown = [c for c in DETAIL_COLUMNS if c in rows.columns]
        config = mailbox_columns()
        st.dataframe(
            rows[shown],
            hide_index=True,
            column_config={c: config[c] for c in shown},
            key="campaign_mailboxes",
        )
    if resumable and state is not None:
        st.button(
            "Show these on the Mailboxes page",
            on_click=open_mailboxes_for,
            args=(campaign_id,),
            icon=":material/arrow_forward:",
            key="open_mailboxes",
        )


def _holding(mailboxes: pd.DataFrame, campaign_id: int) -> pd.Series:
    held = filter_mailboxes(mailboxes, MailboxFilters(campaigns=(campaign_id,)))
    return mailboxes.index.isin(held.index)


def _plan_text(row: pd.Series) -> str:
    """'Plans 120 emails a day; its share of its mailboxes' caps is 90 (75 %).'"""
    if row["status"] != vocab.ACTIVE:
        return "Paused: it draws no capacity until it is resumed."
    if pd.isna(row["planned"]):
        return "No daily limit is set, so its plan is unknown."
    planned, capacity = float(row["planned"]), row["capacity"]
    if pd.isna(capacity):
        return f"Plans about {planned:,.0f} emails a day; its capacity is unknown."
    covered = f" ({float(capacity) / planned:.0%})" if planned > 0 else ""
    return (
        f"Plans about {planned:,.0f} emails a day (new leads and follow-ups); its share of "
        f"its mailboxes' caps is {float(capacity):,.0f}{covered}."
    )


def findings_table(findings: pd.DataFrame, key: str, download_label: str) -> None:
    """Mailbox findings one per row (rule, mailbox or campaign, client, detail) with their CSV,
    the same on the Health page and the Mailboxes page."""
    st.dataframe(
        findings[["severity", "title", "label", "client_name", "detail"]],
        hide_index=True,
        key=key,
        column_config={
            "severity": "Severity",
            "title": "Rule",
            "label": st.column_config.TextColumn("Mailbox or campaign", width="medium"),
            "client_name": "Client",
            "detail": st.column_config.TextColumn("Detail", width="large"),
        },
    )
    st.download_button(
        download_label,
        data=partial(mailbox_findings_csv, findings),
        file_name="smartlead-mailbox-findings.csv",
        mime="text/csv",
        on_click="ignore",
        icon=":material/download:",
        key=f"{key}_download",
    )


def health_section(portfolio: Portfolio) -> None:
    """The Health page's mailbox checks: findings per rule and the mailboxes behind them."""
    st.subheader("Mailboxes")
    progress_area = st.empty()
    state = mailbox_state(portfolio, progress_area)
    if state is None:
        return
    failures_box(state, portfolio)
    findings = state.findings
    summary = summarize(findings)
    st.dataframe(
        summary[["severity", "title", "subject", "count", "explanation"]],
        hide_index=True,
        key="mailbox_rules_table",
        column_config={
            "severity": "Severity",
            "title": st.column_config.TextColumn("Rule", width="medium"),
            "subject": "About",
            "count": st.column_config.NumberColumn("Flagged", format="%d"),
            "explanation": st.column_config.TextColumn(
                "Why it matters, what to change", width="large"
            ),
        },
    )
    if findings.empty:
        st.success("No mailbox finding.")
        return
    findings_table(findings, "mailbox_findings_table", "Download mailbox findings (CSV)")


__all__ = [
    "FILTER_KEYS",
    "MailboxCache",
    "MailboxState",
    "ask_for",
    "campaign_ledger_columns",
    "campaign_mailboxes",
    "cost_text",
    "demo_state",
    "failures_box",
    "filter_widgets",
    "findings_table",
    "follow_pending",
    "health_section",
    "mailbox_cache",
    "mailbox_columns",
    "mailbox_state",
    "open_mailboxes_for",
    "refresh_mailboxes",
    "retry_failures",
]
