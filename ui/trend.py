"""The Health page's score trend: the settings score of kept snapshots, cached, in words.

The work is :func:`smartlead.history.score_trend` (pure); this module reads the history store
the Changes page reads, caches each snapshot's score (a snapshot never changes, so its score
under given filters never does either) and says in words why there is no trend when there is
none. Rebuilding a snapshot's frame costs about half a second at 20,000 campaigns: at most
:data:`smartlead.history.timeline.TREND_POINTS` + 1 are scored, each once per filters, and
past :func:`smartlead.settings.trend_budget` a filtered view is scored only when asked.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pandas as pd
import streamlit as st

from smartlead import audit, demo, history, settings
from smartlead.charts import score_trend_chart
from smartlead.errors import HistoryUnavailableError
from smartlead.filters import Filters
from smartlead.history import ScoreTrend, SnapshotInfo, SnapshotStore
from ui.charts import draw_chart
from ui.history import Answer, HistoryAccess, problem_text
from ui.window import viewer_time

STARTS_WITH_HISTORY = (
    "The score's trend starts once snapshots of the portfolio are kept: with history on, a "
    "snapshot is saved {when}, and the Changes page saves one by hand."
)


@st.cache_data(max_entries=512, show_spinner="Scoring the kept snapshots…")
def _snapshot_score(
    _store: SnapshotStore, store_name: str, account: str, snapshot_id: int, filters: Filters
) -> float:
    """One stored snapshot's settings score under ``filters``, cached per store, account,
    snapshot and filters (``_store`` is not hashed: ``store_name`` stands for it)."""
    return history.snapshot_score(_store.load(snapshot_id), filters)


ASKED_FOR = "_trend_filters_asked"
"""Session key: the filters the person asked the trend to be scored under (past the budget)."""


def health_trend(
    access: HistoryAccess,
    view: pd.DataFrame,
    filters: Filters,
    now: datetime,
    whole: pd.DataFrame,
) -> tuple[Answer[ScoreTrend], int]:
    """The settings score of the kept snapshots (``filters`` applied to each) and of ``view``
    now, or why there is none, in words; and 0, or the campaigns a filtered trend would
    rebuild when that is past :func:`smartlead.settings.trend_budget` and nobody asked for
    it: then the trend is of the ``whole`` portfolio (no filter), now and in every snapshot.

    The demo's history ends with the demo portfolio itself, so its "now" is the demo's
    (:data:`smartlead.demo.DEMO_ANCHOR`), as for its report."""
    store, account = access.store, access.account
    if access.is_demo:
        now = demo.DEMO_ANCHOR
    if store is None or account is None:
        reason = access.problem or "History is unavailable."
        return Answer(problem=f"{reason} {starts_with_history()}"), 0
    deferred = 0
    try:
        infos = store.list(account)
        chosen, _, _ = history.trend_snapshots(infos, now)
        cost = sum(info.campaign_count for info in chosen)
        if (
            not filters.is_default()
            and cost > settings.trend_budget()
            and st.session_state.get(ASKED_FOR) != filters
        ):
            view, filters, deferred = whole, Filters(), cost
        name = repr(store)  # names where the store keeps its snapshots (as for the diffs)
        trend = history.score_trend(
            infos,
            view,
            lambda info: _snapshot_score(store, name, account, info.id, filters),
            now=now,
        )
    except HistoryUnavailableError as error:
        return Answer(problem=problem_text("The score's trend is unavailable", error)), 0
    if trend.snapshots == 0 and trend.unreadable:
        problem = (
            f"The score's trend is unavailable: the snapshots it would score "
            f"({_numbers(trend.unreadable)}) {NOT_READ_BACK}. The Changes page lists what is kept."
        )
        return Answer(problem=problem), 0
    if trend.snapshots == 0:
        problem = f"No snapshot of this account is kept yet. {starts_with_history()}"
        return Answer(problem=problem), 0
    return Answer(trend), deferred


def ask_for_filtered_trend(filters: Filters) -> None:
    """Button callback: score the trend under these filters, however long it takes."""
    st.session_state[ASKED_FOR] = filters


NOT_READ_BACK = "could not be read back (damaged, or deleted since the list was read)"
"""What happened to a snapshot the trend left out (see :attr:`ScoreTrend.unreadable`)."""


def _numbers(snapshots: tuple[SnapshotInfo, ...]) -> str:
    return ", ".join(f"#{info.id}" for info in snapshots)


def unreadable_text(trend: ScoreTrend) -> str:
    """Which snapshots the trend could not read back and left out, in words."""
    one = len(trend.unreadable) == 1
    return (
        f"{'Snapshot' if one else 'Snapshots'} {_numbers(trend.unreadable)} {NOT_READ_BACK} "
        f"and {'is' if one else 'are'} left out."
    )


def starts_with_history() -> str:
    """How the trend starts: snapshots kept after fetches, or saved on the Changes page."""
    interval = settings.history_interval_seconds()
    when = (
        f"after a fetch, at most once every {history.duration_text(interval)}"
        if interval > 0
        else "after every fetch"
    )
    return STARTS_WITH_HISTORY.format(when=when)


def delta_help(trend: ScoreTrend, zone: str) -> str:
    """What the Health score's delta compares, in words (for the metric's help)."""
    rules = f"{len(audit.SETTINGS_RULES)} of {len(audit.RULES)}"
    if trend.baseline is not None and trend.baseline_score is None:
        return (
            f"No change shown: snapshot #{trend.baseline.id}, the one it would compare with, "
            f"{NOT_READ_BACK}. The change compares the settings rules only ({rules} rules)."
        )
    if trend.baseline is None:
        return (
            f"No change shown yet: it needs a snapshot older than the current one. The change "
            f"compares the settings rules only ({rules} rules)."
        )
    which = (
        "the newest snapshot at least a week old"
        if trend.week_old
        else "the oldest snapshot kept (history does not reach a week back yet)"
    )
    return (
        f"The change compares like with like: the settings rules only ({rules} rules; "
        "snapshots keep campaign settings, not the window's sent, bounce and reply figures or "
        f"lead statistics) scored {trend.now:.1f} now, against {trend.baseline_score:.1f} for "
        f"snapshot #{trend.baseline.id}, taken {viewer_time(trend.baseline.taken_at, zone)} "
        f"({which}), with the same filters. The score shown counts every rule."
    )


def delta_text(trend: ScoreTrend) -> str | None:
    """The Health score's delta, signed (``+4.2``), or None without a baseline."""
    return None if trend.delta is None else f"{trend.delta:+.1f}"


def delta_since(trend: ScoreTrend, zone: str) -> str:
    """The words beside the delta: what it compares with (``settings rules, since 20 Nov``)."""
    assert trend.baseline is not None
    taken = trend.baseline.taken_at.astimezone(ZoneInfo(zone))
    return f"settings rules since {taken:%d %b}"


def draw_score_trend(
    answer: Answer[ScoreTrend], zone: str, deferred: int = 0, filters: Filters | None = None
) -> None:
    """The score over the kept snapshots and now, with what it counts, or why there is none;
    with ``deferred`` campaigns to rebuild, says the trend is the whole portfolio's and offers
    to score it under ``filters``."""
    trend = answer.value
    if trend is None:
        st.info(answer.problem or "The score's trend is unavailable.", icon=":material/timeline:")
        return
    draw_chart(
        score_trend_chart(trend.points, zone),
        empty="No score to draw yet.",
        height=220,
    )
    others = len(audit.RULES) - len(audit.SETTINGS_RULES)
    counted = (
        f"The trend counts the settings rules only ({len(audit.SETTINGS_RULES)} of "
        f"{len(audit.RULES)}) for every point, now included, so the points compare: snapshots "
        "keep campaign settings, not the sent, bounce and reply figures or lead statistics the "
        f"other {others} rules read."
        + (
            " The sidebar's filters apply to every snapshot."
            if not deferred
            else " This trend is the whole portfolio's: the sidebar's filters are not applied "
            f"to it, as scoring the snapshots under them means rebuilding {deferred:,} "
            "campaigns (a few seconds at this size)."
        )
    )
    if trend.snapshots == 1:
        counted += (
            " One snapshot is kept so far: the trend needs a second one (saved after a later "
            "fetch, or by hand on the Changes page)."
        )
    else:
        counted += (
            f" {trend.snapshots} snapshots are scored: the newest {history.TREND_POINTS} at "
            "most, and the one the change compares with."
        )
    if trend.unreadable:
        counted += " " + unreadable_text(trend)
    st.caption(counted)
    if deferred and filters is not None:
        st.button(
            "Score the snapshots under these filters",
            on_click=ask_for_filtered_trend,
            args=(filters,),
            icon=":material/filter_alt:",
            key="trend_under_filters",
        )
