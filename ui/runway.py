"""Lead runway in the dashboard: lead statistics and runway columns on every page, the
Schedule page's "Lead runway" section, and a campaign's runway in its details.

The router joins what is already known onto the view (:func:`with_lead_runway`): the lead
statistics kept for the account (the all-time figures' cache, :mod:`ui.metrics`; the demo's
computed here) and the runway (:func:`smartlead.runway.with_runway`), so the Campaigns table
and its downloads, the Health rules and the details read them without a request. Only the
Schedule page's section fetches, after saying what it costs, with a progress bar; a session
that asked once keeps its active and paused campaigns' figures fresh on that page.
"""

from __future__ import annotations

import numbers
from datetime import date, timedelta

import pandas as pd
import streamlit as st

from smartlead import vocab
from smartlead.audit import DEFAULT_SETTINGS
from smartlead.connection import Connection
from smartlead.runway import (
    BASIS_OBSERVED,
    FUNNEL_STAGES,
    LEAD_COLUMNS,
    RUNWAY_COLUMNS,
    lead_funnel,
    refill_queue,
    runway_by_client,
    runway_text,
    with_lead_stats,
    with_runway,
)
from ui.failures import missing_figures
from ui.metrics import (
    MetricsResult,
    cost_text,
    demo_metrics,
    kept_metrics,
    kept_words,
    live_metrics,
    pending,
    refresh_figures,
    retry_failures,
    statuses_of,
)
from ui.page import Portfolio
from ui.text import escape_markdown
from ui.window import WindowView, join_window, viewer_timezone

ASKED = "_lead_runway_asked"
"""Session state: the accounts whose lead statistics this session asked to fetch."""

HORIZON_KEY = "runway_until"
"""Widget key of the refill queue's horizon."""

HORIZONS: dict[str, int | None] = {
    "Next 7 days": 7,
    "This week": -1,
    "Next 14 days": 14,
    "Next 30 days": 30,
    "Any date": None,
}
"""The refill queue's horizons: days from today (-1: to Sunday of this week; None: all)."""

_RUNWAY_NAMES = tuple(column.name for column in RUNWAY_COLUMNS)


# --------------------------------------------------------------------------- joining


def _lead_figures(view: pd.DataFrame, connection: Connection | None) -> MetricsResult:
    if connection is None:
        return demo_metrics(view)
    return kept_metrics(connection, statuses_of(view))


def with_lead_runway(
    view: pd.DataFrame, connection: Connection | None, window: WindowView | None
) -> pd.DataFrame:
    """The view with lead statistics and the runway columns, from what is kept (no request).

    Unchanged when no campaign in view has lead statistics (the Health rules that need them
    then say so). The observed pace comes from the window's figures when they are joined on.
    """
    if "leads_not_started" not in view.columns:
        found = _lead_figures(view, connection)
        if not found.metrics:
            return view
        view = with_lead_stats(view, found.metrics)
    has_window = window is not None and window.has_figures and "window_sent" in view.columns
    return with_runway(
        view,
        window=window.window if has_window else None,
        window_today=window.choice.today if has_window else None,
    )


# --------------------------------------------------------------------------- fetching


def _asked(connection: Connection) -> bool:
    return connection.fingerprint in st.session_state.get(ASKED, set())


def ask_for(connection: Connection) -> None:
    """Button callback: fetch this account's lead statistics now and when they go stale."""
    st.session_state.setdefault(ASKED, set()).add(connection.fingerprint)


def refresh_leads(connection: Connection) -> None:
    """Button callback: fetch the active and paused campaigns' lead statistics again now."""
    refresh_figures(connection)
    ask_for(connection)


def _in_play(view: pd.DataFrame) -> pd.DataFrame:
    statuses = view["status"].astype("string")
    return view[statuses.isin(vocab.RESUMABLE).fillna(False).to_numpy(dtype=bool)]


def _ago(found: MetricsResult) -> str:
    if found.oldest is None:
        return ""
    age = pd.Timestamp.now(tz="UTC") - pd.Timestamp(found.oldest)
    hours = age.total_seconds() / 3600
    spoken = f"{hours * 60:.0f} min" if hours < 1 else f"{hours:.1f} h"
    return f", the oldest fetched {spoken} ago"


def _fetch_step(loaded: Portfolio) -> pd.DataFrame:
    """Say what the lead statistics cost, fetch them when asked, and return the view with
    what is known then."""
    connection = loaded.key.connection
    view = loaded.view
    if connection is None:
        st.caption(kept_words(None))
        return view
    statuses = statuses_of(_in_play(view))
    plan = pending(connection, statuses)
    found: MetricsResult | None = None
    if plan.to_fetch and _asked(connection):
        found = live_metrics(connection, statuses, st.empty())
        base = view.drop(columns=[c for c in (*LEAD_COLUMNS, *_RUNWAY_NAMES) if c in view])
        view = with_lead_runway(base, connection, loaded.window)
        plan = pending(connection, statuses)
    found = found or kept_metrics(connection, statuses)
    known = len(found.metrics)
    st.caption(
        f"Lead statistics of {known:,} of the {len(statuses):,} active and paused campaigns "
        f"in view{_ago(found)}. {kept_words(connection)}"
    )
    if found.problem:
        st.warning(escape_markdown(found.problem), icon=":material/history:")
    if plan.to_fetch:
        stale, missing = len(plan.stale), len(plan.missing)
        parts = [f"{missing:,} never fetched"] if missing else []
        parts += [f"{stale:,} older than allowed or changed since"] if stale else []
        st.info(
            f"{len(plan.to_fetch):,} active or paused campaigns need their lead statistics "
            f"({', '.join(parts)}). SmartLead gives them one campaign at a time: fetching "
            f"costs {cost_text(connection, len(plan.to_fetch))}.",
            icon=":material/groups:",
        )
        st.button(
            "Fetch lead statistics",
            on_click=ask_for,
            args=(connection,),
            icon=":material/download:",
            key="fetch_lead_stats",
            type="primary",
        )
    elif statuses:
        fresh = len(plan.fresh)
        st.button(
            "Refresh lead statistics",
            on_click=refresh_leads,
            args=(connection,),
            icon=":material/refresh:",
            key="refresh_lead_stats",
            help=f"Fetch them again now: {cost_text(connection, fresh - plan.final)}.",
        )
    failed = {cid: why for cid, why in found.failures.items() if cid in statuses}
    missing_figures(
        "Lead statistics are", failed, view, retry_failures, connection, "retry_lead_stats"
    )
    return view


# --------------------------------------------------------------------------- the section


def _until(choice: str, today: date) -> date | None:
    days = HORIZONS.get(choice)
    if days is None:
        return None
    if days < 0:
        return today + timedelta(days=6 - today.weekday())
    return today + timedelta(days=days)


DATE_FORMAT = "ddd D MMM YYYY"


def _columns() -> dict[str, object]:
    config = st.column_config
    return {
        "runway_date": config.DateColumn(
            "Last new leads on",
            format=DATE_FORMAT,
            help="The day it sends its last new leads, in the campaign's own time zone.",
        ),
        "client_name": "Client",
        "name": config.TextColumn("Campaign", width="large"),
        "id": config.NumberColumn("ID", format="%d"),
        "leads_not_started": config.NumberColumn("Leads not started", format="localized"),
        "runway_days": config.NumberColumn(
            "Runway (sending days)", format="%.1f", help="Leads not started ÷ pace."
        ),
        "runway_pace": config.NumberColumn(
            "New leads a day", format="%.1f", help="The pace the runway assumes."
        ),
        "runway_basis": config.TextColumn("Pace from"),
        "max_leads_per_day": config.NumberColumn("Daily limit", format="%d"),
        "runway_note": config.TextColumn("Note", width="large"),
        "status": "Status",
    }


def runway_section(loaded: Portfolio) -> None:
    """The Schedule page's "Lead runway": per-campaign runway, the refill queue, per client,
    the funnel per client and per tag, and the campaigns without a runway."""
    st.subheader("Lead runway")
    st.caption(
        "When each active campaign sends its last new leads: leads not started ÷ its daily "
        "limit (or the slower pace it kept over the window), counted on its own sending days "
        "in its own time zone, from today (tomorrow once today's window has closed)."
    )
    view = _fetch_step(loaded)
    if "runway_days" not in view.columns:
        st.info(
            "No lead statistics yet for the campaigns in view, so no runway.",
            icon=":material/hourglass_empty:",
        )
        return
    active = view[(view["status"].astype("string") == vocab.ACTIVE).fillna(False).to_numpy()]
    paused = view[(view["status"].astype("string") == vocab.PAUSED).fillna(False).to_numpy()]
    days = active["runway_days"]
    threshold = DEFAULT_SETTINGS.min_runway_days
    observed = int((active["runway_basis"] == BASIS_OBSERVED).fillna(False).sum())
    row = st.columns(5)
    row[0].metric(
        "Active with a runway",
        f"{int(days.notna().sum()):,} of {len(active):,}",
        help="Active campaigns whose lead statistics, daily limit and schedule are known.",
    )
    row[1].metric("Dry now", f"{int((days == 0).fillna(False).sum()):,}")
    row[2].metric(
        f"Dry within {threshold:g} sending days",
        f"{int(((days > 0) & (days < threshold)).fillna(False).sum()):,}",
        help="The Health rule runway_short flags them (AuditSettings.min_runway_days).",
    )
    row[3].metric(
        "Leads not started (active)",
        f"{int(active['leads_not_started'].sum(min_count=0) or 0):,}",
    )
    row[4].metric(
        "Leads waiting (paused)",
        f"{int(paused['leads_not_started'].sum(min_count=0) or 0):,}",
    )
    if observed:
        st.caption(
            f"{observed:,} active campaigns sent fewer new leads a day over the window than "
            "their limit: their runway uses that observed pace (the most new leads a day the "
            "window's figures allow), which is never later than what they measured."
        )

    st.markdown("**Refill queue**")
    today = pd.Timestamp.now(tz=viewer_timezone()).date()
    horizon = st.segmented_control(
        "Runs dry by", list(HORIZONS), default="Next 7 days", key=HORIZON_KEY
    )
    queue = refill_queue(view, _until(horizon or "Next 7 days", today))
    if queue.empty:
        st.success("No active campaign in view runs dry by then.", icon=":material/check:")
    else:
        st.dataframe(
            queue, hide_index=True, column_config=_columns(), key="refill_queue", width="stretch"
        )

    st.markdown("**Per client**")
    clients = runway_by_client(view)
    st.dataframe(
        clients,
        hide_index=True,
        key="runway_clients",
        width="stretch",
        column_config={
            "client_name": "Client",
            "earliest_dry_date": st.column_config.DateColumn(
                "First runs dry on", format=DATE_FORMAT
            ),
            "first_to_run_dry": st.column_config.TextColumn("First to run dry", width="medium"),
            "active_campaigns": st.column_config.NumberColumn("Active", format="%d"),
            "dry_now": st.column_config.NumberColumn("Dry now", format="%d"),
            "without_runway": st.column_config.NumberColumn(
                "No runway", format="%d", help="Active campaigns whose inputs are missing."
            ),
            "leads_not_started": st.column_config.NumberColumn(
                "Leads left (active)", format="localized"
            ),
            "new_leads_per_day": st.column_config.NumberColumn("New leads a day", format="%.0f"),
            "leads_waiting_paused": st.column_config.NumberColumn(
                "Waiting (paused)", format="localized"
            ),
        },
    )

    st.markdown("**Lead funnel**")
    st.caption(
        "Leads by stage over every campaign in view with lead statistics (any status): not "
        "started → in progress → completed, with blocked and interested beside them. A "
        "campaign with two tags counts under both."
    )
    funnel_config = {
        "campaigns": st.column_config.NumberColumn("Campaigns", format="%d"),
        "leads_total": st.column_config.NumberColumn("Leads", format="localized"),
        **{
            name: st.column_config.NumberColumn(label, format="localized")
            for name, label in FUNNEL_STAGES
        },
        "completed_share": st.column_config.ProgressColumn(
            "Share completed", format="percent", min_value=0.0, max_value=1.0
        ),
    }
    per_client, per_tag = st.tabs(["Per client", "Per tag"])
    per_client.dataframe(
        lead_funnel(view, "client_name"),
        hide_index=True,
        key="funnel_clients",
        column_config={"client_name": "Client", **funnel_config},
    )
    per_tag.dataframe(
        lead_funnel(view, "tags"),
        hide_index=True,
        key="funnel_tags",
        column_config={"tags": "Tag", **funnel_config},
    )

    without = active[active["runway_days"].isna()]
    if len(without):
        with st.expander(f"Active campaigns without a runway ({len(without):,})"):
            st.dataframe(
                without[["id", "name", "client_name", "runway_note"]],
                hide_index=True,
                key="runway_missing",
                column_config={**_columns(), "runway_note": "Why"},
            )


# --------------------------------------------------------------------------- one campaign


def campaign_runway(loaded: Portfolio, campaign: pd.Series) -> None:
    """A campaign's lead statistics and runway, for its details on the Campaigns page."""
    st.markdown("**Lead runway**")
    label = campaign.name
    view = loaded.view
    if label in view.index and "runway_days" in view.columns:
        row = view.loc[label]
    else:
        one = join_window(loaded.frame.loc[[label]], loaded.window) if loaded.window else None
        one = one if one is not None else loaded.frame.loc[[label]]
        one = with_lead_runway(one, loaded.key.connection, loaded.window)
        row = one.iloc[0] if "runway_days" in one.columns else None
    if row is None or pd.isna(row.get("leads_not_started")):
        st.caption(
            "No lead statistics kept for this campaign yet: the Schedule page's lead runway "
            "fetches those of active and paused campaigns (one request each)."
        )
        return
    zone = row.get("schedule_timezone")
    when = row.get("runway_date")
    rows = [
        ("Leads not started", row.get("leads_not_started")),
        ("Leads in total", row.get("leads_total")),
        ("In progress", row.get("leads_in_progress")),
        ("Completed", row.get("leads_completed")),
        ("Blocked", row.get("leads_blocked")),
        ("Interested", row.get("leads_interested")),
        ("Runway", runway_text(row.get("runway_days"), when)),
        ("Days counted in", zone if isinstance(zone, str) else "—"),
        ("Pace", row.get("runway_note")),
    ]
    table = pd.DataFrame(
        {
            "What": [name for name, _ in rows],
            "Value": ["—" if _missing(value) else _text(value) for _, value in rows],
        }
    ).astype("string")
    st.dataframe(table, hide_index=True, key="campaign_runway", width="stretch")


def _missing(value: object) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value))


def _text(value: object) -> str:
    if isinstance(value, numbers.Integral):
        return f"{int(value):,}"
    return str(value)
