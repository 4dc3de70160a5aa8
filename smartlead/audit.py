"""Which campaigns are configured to hurt deliverability or compliance: rules as data.

SmartLead shows each campaign's settings on its own page, so a portfolio of hundreds of
campaigns is audited by opening them one by one, if at all. Here every check is a
:class:`Rule` — an id, a severity, a title, an explanation in words and a vectorised predicate
over the whole campaign frame — and :data:`RULES` is a plain tuple of them. :func:`run_audit`
evaluates the rules and returns one finding per (rule, campaign); :func:`summarize` counts them
per rule; :func:`health_score` folds them into one number for the portfolio.

Adding a rule is adding a :class:`Rule` to a tuple: ``run_audit(frame, rules=(*RULES, mine))``.
A rule that reads optional columns (bounce or reply rates, say) lists them in ``requires``;
when the frame lacks one the rule is skipped and reported as not evaluated, never a crash.

Every threshold lives in :class:`AuditSettings`, with the reason for its default. Statuses:
rules about settings only audit campaigns that send or may send again
(:data:`smartlead.vocab.MAY_SEND`),
because a finished campaign's settings no longer affect anyone; each rule's explanation says
which statuses it looks at.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from smartlead import schedule, vocab
from smartlead.export import to_csv_bytes
from smartlead.frame import SCHEMA

Severity = Literal["high", "medium", "low"]

SEVERITY_DTYPE = pd.CategoricalDtype(list(vocab.SEVERITIES), ordered=True)

FINDING_COLUMNS: tuple[str, ...] = (
    "rule_id",
    "severity",
    "title",
    "id",
    "name",
    "client_name",
    "status",
    "detail",
)
"""Columns of :func:`run_audit`'s findings, in order."""

SUMMARY_COLUMNS: tuple[str, ...] = (
    "rule_id",
    "severity",
    "title",
    "explanation",
    "applies_to",
    "campaigns",
    "evaluated",
    "note",
)
"""Columns of :func:`summarize`'s table, in order."""


@dataclass(frozen=True)
class AuditSettings:
    """The audit's thresholds, each with the reason for its default.

    Frozen, so one instance can be shared and cached; make a variant with
    ``dataclasses.replace(settings, max_window_hours=10)``.
    """

    max_window_hours: float = 12.0
    """A daily window longer than this is flagged (``long_send_window``). 12 h is 08:00–20:00:
    anything longer reaches recipients before the working day or late in the evening, when
    cold email is skimmed on a phone and reported, and it spreads a mailbox's daily volume
    thinly over the night — a pattern that reads as automated."""

    min_gap_minutes: int = 3
    """A gap between two emails from one mailbox below this is "very short" (``short_gap``).
    Mailbox providers watch sending cadence: a person does not send a message every minute
    or two for hours; machine-like bursts raise spam scores and trip provider rate limits."""

    stale_draft_days: int = 30
    """A draft not updated for this many days is flagged (``stale_draft``): after a month a
    draft is usually abandoned, and it clutters the portfolio and its capacity planning."""

    limit_outlier_factor: float = 3.0
    """A daily limit above this many times the median limit of the portfolio's ACTIVE
    campaigns is an outlier (``limit_outlier``) — if it is also above the floor below. Three
    times the norm is far enough from it to be a typo or an unwarmed-mailbox risk, not taste."""

    limit_outlier_floor: int = 200
    """...and a daily limit at or below this is never an outlier, whatever the median: in a
    portfolio of 20-a-day campaigns, 80 a day is three times the norm but still prudent."""

    max_bounce_rate: float = 0.05
    """A bounce rate (bounces per lead contacted) above this is flagged (``high_bounce_rate``).
    Above about 5 % mailbox providers read a sender as careless with its list and start to
    filter it; SmartLead's own bounce auto-pause is usually set in the same range. Cleaning the
    list (verification) is the fix, not a lower daily limit."""

    min_contacted_for_rates: int = 100
    """Rates are judged only once this many leads were contacted: below it, a single bounce
    swings the rate by a percent or more."""

    no_reply_min_contacted: int = 200
    """An ACTIVE campaign with no reply after this many leads contacted is flagged
    (``no_replies``). Cold campaigns usually get 1–5 % replies, so 200 leads without one
    points at a copy, targeting or deliverability problem (emails landing in spam)."""

    max_window_bounce_rate: float = 0.03
    """Over the dashboard's date window, a bounce rate (bounces per email sent in the window)
    above this is flagged (``high_bounce_rate``). Per email, as mailbox providers count: a
    bounced address gets no follow-ups, so with two or three emails per lead, 5 % of leads is
    about 2–3 % of emails; a sender bouncing more than 3 % of its emails gets filtered."""

    min_window_sent: int = 200
    """Window bounce rates are judged only from this many emails sent in the window: below
    it, a single bounce moves the rate by half a percent or more."""

    no_reply_min_window_sent: int = 300
    """An ACTIVE campaign that sent this many emails in the window without one reply is
    flagged (``no_replies``). At the usual 1–3 % replies per email sent, 300 emails bring
    several replies; none points at spam placement, copy or targeting."""

    min_runway_days: float = 5.0
    """An active campaign with fewer sending days of new leads left than this is flagged
    (``runway_short``): a working week is about what it takes to source, verify and upload
    a new list (and to ask the client for one), so a shorter runway runs dry before the
    refill arrives."""

    paused_leads_waiting: int = 500
    """A paused campaign with at least this many leads not started is flagged
    (``paused_leads_waiting``): 500 leads are about two working weeks at a typical 50 a day,
    and a list goes stale while it waits (people change jobs; addresses start to bounce)."""

    weight_high: float = 3.0
    """Health-score weight of one high-severity finding (see :func:`health_score`)."""

    weight_medium: float = 2.0
    """Health-score weight of one medium-severity finding."""

    weight_low: float = 1.0
    """Health-score weight of one low-severity finding."""

    campaign_penalty_cap: float = 6.0
    """A campaign's findings weigh at most this much in the health score (two high findings
    already make it fully broken), so one campaign with every problem cannot outweigh many
    campaigns with one."""

    def weight(self, severity: str) -> float:
        """The health-score weight of one finding of ``severity`` (0 for an unknown one)."""
        return {
            "high": self.weight_high,
            "medium": self.weight_medium,
            "low": self.weight_low,
        }.get(severity, 0.0)


DEFAULT_SETTINGS = AuditSettings()
"""The thresholds used when none are given."""

Predicate = Callable[[pd.DataFrame, AuditSettings, pd.Timestamp], pd.Series]
Detail = Callable[[pd.DataFrame, AuditSettings, pd.Timestamp], pd.Series]


@dataclass(frozen=True)
class Rule:
    """One audit check, as data.

    ``predicate(frame, settings, now)`` returns a boolean Series aligned to ``frame``, True
    where the campaign breaks the rule (NA counts as False). It must be vectorised and must
    not fail on missing values. ``detail(frame, settings, now)``, when given, returns a short
    text per campaign ("tracks opens", "window 14 h"), aligned to ``frame`` like the
    predicate; only the flagged campaigns' texts are kept, and it may compute anything for
    the others. ``requires`` names the columns the rule reads: if one is missing
    the rule is not evaluated (and :func:`summarize` says so), unless every column of one of
    the ``alternatives`` is there (a rule that reads the date window's figures when they are
    joined on, and the all-time ones otherwise). ``statuses`` limits the rule to
    campaigns with those statuses (:data:`smartlead.vocab.OTHER_STATUSES` stands for unknown
    ones); None audits every campaign.
    """

    id: str
    severity: Severity
    title: str
    explanation: str = field(repr=False)
    predicate: Predicate = field(repr=False)
    detail: Detail | None = field(default=None, repr=False)
    requires: tuple[str, ...] = ()
    statuses: tuple[str, ...] | None = vocab.MAY_SEND
    alternatives: tuple[tuple[str, ...], ...] = ()

    def __post_init__(self) -> None:
        if self.severity not in vocab.SEVERITIES:
            raise ValueError(f"rule {self.id!r}: severity must be one of {vocab.SEVERITIES}")

    def missing_columns(self, frame: pd.DataFrame) -> tuple[str, ...]:
        """The required columns ``frame`` lacks (empty when the rule can be evaluated)."""
        missing = tuple(column for column in self.requires if column not in frame.columns)
        if missing and any(
            all(column in frame.columns for column in columns) for columns in self.alternatives
        ):
            return ()
        return missing


# --------------------------------------------------------------------------- helpers


def status_selection(frame: pd.DataFrame, statuses: Iterable[str] | None) -> np.ndarray:
    """Booleans: status in ``statuses`` (:data:`smartlead.vocab.OTHER_STATUSES` stands for
    unknown ones)."""
    if statuses is None:
        return np.ones(len(frame), dtype=bool)
    wanted = set(statuses)
    codes, values = distinct_values(frame["status"])
    selected = values.isin(wanted - {vocab.OTHER_STATUSES}).fillna(False)
    if vocab.OTHER_STATUSES in wanted:
        selected |= ~values.isin(vocab.STATUSES).fillna(False)
    return np.asarray(selected, dtype=bool)[codes]


def distinct_values(series: pd.Series) -> tuple[np.ndarray, pd.Series]:
    """A column as (codes, distinct values as text): work on the few values, index by code.

    Status, stop setting, unsubscribe text and the like repeat a handful of values across
    thousands of campaigns; the last distinct value is always NA, for missing cells, so
    ``values[codes]`` rebuilds the column. Vectorised, and cheap for categoricals.
    """
    if isinstance(series.dtype, pd.CategoricalDtype):
        codes = series.cat.codes.to_numpy(dtype=np.int64)
        uniques: list = list(series.cat.categories)
    else:
        factor_codes, factor_uniques = pd.factorize(series, use_na_sentinel=True)
        codes = np.asarray(factor_codes, dtype=np.int64)
        uniques = list(factor_uniques)
    texts = [None if _missing(value) else str(value) for value in uniques]
    values = pd.Series(pd.array([*texts, None], dtype="string"))
    return np.where(codes < 0, len(uniques), codes), values


def _missing(value: object) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value))


def _per_value(series: pd.Series, texts: Callable[[pd.Series], pd.Series]) -> pd.Series:
    """Apply a vectorised text function to a column's distinct values, spread to every row."""
    codes, values = distinct_values(series)
    result = pd.Series(texts(values)).to_numpy(dtype=object, na_value=None)[codes]
    return pd.Series(pd.array(result, dtype="string"), index=series.index)


def _series(frame: pd.DataFrame, values: np.ndarray | pd.Series) -> pd.Series:
    return pd.Series(np.asarray(values, dtype=bool), index=frame.index)


def _is_true(series: pd.Series) -> np.ndarray:
    return np.asarray(series.astype("boolean").fillna(False), dtype=bool)


def _numbers(series: pd.Series) -> pd.Series:
    return pd.to_numeric(series, errors="coerce").astype("Float64")


def _floats(values: pd.Series) -> np.ndarray:
    """A column as float64, NaN where missing or not a number."""
    numbers = pd.to_numeric(values, errors="coerce").astype("Float64")
    return numbers.to_numpy(dtype="float64", na_value=np.nan)


def _number_text(values: pd.Series) -> pd.Series:
    """Numbers as short text (14.0 → '14', 13.5 → '13.5', NA → '?'), formatted once per value."""
    rounded = np.round(_floats(values), 1)
    distinct, inverse = np.unique(rounded, return_inverse=True)
    texts = np.array(
        ["?" if np.isnan(value) else f"{value:.1f}".removesuffix(".0") for value in distinct],
        dtype=object,
    )
    return pd.Series(pd.array(texts[inverse.reshape(-1)], dtype="string"), index=values.index)


def _text(values: Sequence[str] | pd.Series, frame: pd.DataFrame) -> pd.Series:
    return pd.Series(pd.array(list(values), dtype="string"), index=frame.index)


# --------------------------------------------------------------------------- the rules


def _open_tracking(frame: pd.DataFrame, settings: AuditSettings, now: pd.Timestamp) -> pd.Series:
    return _series(frame, _is_true(frame["track_opens"]))


def _open_tracking_detail(
    frame: pd.DataFrame, settings: AuditSettings, now: pd.Timestamp
) -> pd.Series:
    both = _is_true(frame["track_clicks"]) if "track_clicks" in frame else np.zeros(len(frame))
    return _text(np.where(both, "tracks opens and clicks", "tracks opens"), frame)


def _click_tracking(frame: pd.DataFrame, settings: AuditSettings, now: pd.Timestamp) -> pd.Series:
    return _series(frame, _is_true(frame["track_clicks"]))


def _no_unsubscribe(frame: pd.DataFrame, settings: AuditSettings, now: pd.Timestamp) -> pd.Series:
    # SmartLead sends null for a text never set, "" for one cleared: neither opts anyone out.
    codes, values = distinct_values(frame["unsubscribe_text"])
    blank = np.asarray((values.str.strip() == "").fillna(True), dtype=bool)
    return _series(frame, blank[codes])


def _no_unsubscribe_detail(
    frame: pd.DataFrame, settings: AuditSettings, now: pd.Timestamp
) -> pd.Series:
    never_set = np.asarray(frame["unsubscribe_text"].isna(), dtype=bool)
    words = np.where(never_set, "no unsubscribe text (never set)", "no unsubscribe text")
    return _text(words, frame)


def _no_stop_on_reply(frame: pd.DataFrame, settings: AuditSettings, now: pd.Timestamp) -> pd.Series:
    codes, values = distinct_values(frame["stop_lead_settings"])
    setting = values.str.strip().str.upper()
    other = np.asarray((setting.notna() & ~setting.isin(vocab.STOP_ON_REPLY)).fillna(False))
    return _series(frame, other.astype(bool)[codes])


def _no_stop_on_reply_detail(
    frame: pd.DataFrame, settings: AuditSettings, now: pd.Timestamp
) -> pd.Series:
    return _per_value(frame["stop_lead_settings"], lambda values: "stops on " + values.fillna("?"))


def _schedule_zones(frame: pd.DataFrame) -> tuple[np.ndarray, list[str | None]]:
    """Per campaign, a code into the names of the schedules' time zones (None: no zone)."""
    codes, zones = pd.factorize(frame["schedule_timezone"], use_na_sentinel=True)
    names: list[str | None] = [*(str(zone) for zone in zones), None]
    return np.where(codes < 0, len(names) - 1, codes), names


def _weekend_sending(frame: pd.DataFrame, settings: AuditSettings, now: pd.Timestamp) -> pd.Series:
    # The weekend where the campaign's schedule is (vocab.weekend_days): Friday and Saturday
    # in Riyadh, so a Sunday-to-Thursday week there is not weekend sending.
    codes, zones = _schedule_zones(frame)
    weekend_masks = np.array([_mask(vocab.weekend_days(zone)) for zone in zones], dtype=np.int64)
    masks = schedule.day_masks(frame)
    return _series(frame, (masks > 0) & (masks & weekend_masks[codes] != 0))


def _mask(days: Iterable[int]) -> int:
    return sum(1 << day for day in days)


def _weekend_detail(frame: pd.DataFrame, settings: AuditSettings, now: pd.Timestamp) -> pd.Series:
    codes, zones = _schedule_zones(frame)
    masks = schedule.day_masks(frame)
    keys, inverse = np.unique((masks + 1) * len(zones) + codes, return_inverse=True)
    words = np.array(
        [_weekend_words(int(key // len(zones)) - 1, zones[int(key % len(zones))]) for key in keys],
        dtype=object,
    )
    return _text(words[inverse.reshape(-1)], frame)


def _weekend_words(mask: int, zone: str | None) -> str:
    """'sends on Saturday (Mon–Sat)'; where the weekend is not Saturday–Sunday, whose it is."""
    weekend = vocab.weekend_days(zone)
    sent = [
        vocab.WEEKDAY_NAMES_LONG[day] for day in sorted(weekend) if mask >= 0 and mask >> day & 1
    ]
    words = f"sends on {' and '.join(sent)}" if sent else "no weekend days"
    words += f" ({schedule.days_text(mask)})"
    if weekend != vocab.DEFAULT_WEEKEND:
        words += f", the weekend in {zone}"
    return words


def _long_window(frame: pd.DataFrame, settings: AuditSettings, now: pd.Timestamp) -> pd.Series:
    minutes = schedule.window_minutes(frame)
    return _series(frame, (minutes > settings.max_window_hours * 60).fillna(False))


def _long_window_detail(
    frame: pd.DataFrame, settings: AuditSettings, now: pd.Timestamp
) -> pd.Series:
    return "window " + _number_text(schedule.window_minutes(frame) / 60) + " h"


def _short_gap(frame: pd.DataFrame, settings: AuditSettings, now: pd.Timestamp) -> pd.Series:
    gap = _numbers(frame["min_time_btwn_emails"])
    return _series(frame, (gap < settings.min_gap_minutes).fillna(False))


def _short_gap_detail(frame: pd.DataFrame, settings: AuditSettings, now: pd.Timestamp) -> pd.Series:
    return "gap " + _number_text(frame["min_time_btwn_emails"]) + " min"


def _no_schedule_codes(frame: pd.DataFrame) -> np.ndarray:
    """Per campaign: True when its schedule is entirely absent (null or unreadable)."""
    schedules = schedule.distinct_schedules(frame)
    absent = np.array(
        [any(code == "no_schedule" for code, _ in found) for found in schedules.problems],
        dtype=bool,
    )
    return absent[schedules.codes] if len(schedules) else np.zeros(len(frame), dtype=bool)


def _active_without_schedule(
    frame: pd.DataFrame, settings: AuditSettings, now: pd.Timestamp
) -> pd.Series:
    return _series(frame, _no_schedule_codes(frame))


def _unusable_schedule(
    frame: pd.DataFrame, settings: AuditSettings, now: pd.Timestamp
) -> pd.Series:
    schedules = schedule.distinct_schedules(frame)
    if not len(schedules):
        return _series(frame, np.zeros(len(frame), dtype=bool))
    unusable = np.array(
        [
            bool(found) and all(code != "no_schedule" for code, _ in found)
            for found in schedules.problems
        ],
        dtype=bool,
    )
    return _series(frame, unusable[schedules.codes])


def _unusable_schedule_detail(
    frame: pd.DataFrame, settings: AuditSettings, now: pd.Timestamp
) -> pd.Series:
    schedules = schedule.distinct_schedules(frame)
    words = ["; ".join(text for _, text in found) for found in schedules.problems]
    return _text([words[code] for code in schedules.codes], frame)


def _stale_draft(frame: pd.DataFrame, settings: AuditSettings, now: pd.Timestamp) -> pd.Series:
    cutoff = now - pd.Timedelta(days=settings.stale_draft_days)
    updated = pd.to_datetime(frame["updated_at"], utc=True, errors="coerce")
    return _series(frame, (updated < cutoff).fillna(False))


def _stale_draft_detail(
    frame: pd.DataFrame, settings: AuditSettings, now: pd.Timestamp
) -> pd.Series:
    updated = pd.to_datetime(frame["updated_at"], utc=True, errors="coerce")
    days = (now - updated).dt.days.astype("Float64")
    return "untouched for " + _number_text(days) + " days"


_NO_ID = np.iinfo(np.int64).min


def _parent_rows(frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Per campaign: its parent id (``_NO_ID`` when none) and the parent's row (-1: not found)."""
    ids = frame["id"].astype("Int64")
    parents = frame["parent_campaign_id"].astype("Int64").to_numpy("int64", na_value=_NO_ID)
    first = np.asarray(ids.notna() & ~ids.duplicated(keep="first"), dtype=bool)
    lookup = pd.Index(ids.to_numpy("int64", na_value=_NO_ID)[first])
    found = lookup.get_indexer(parents)
    first_rows = np.flatnonzero(first)
    rows = np.full(len(parents), -1, dtype=np.int64)
    rows[found >= 0] = first_rows[found[found >= 0]]
    return parents, np.where(parents == _NO_ID, -1, rows)


def _orphan_subsequence(
    frame: pd.DataFrame, settings: AuditSettings, now: pd.Timestamp
) -> pd.Series:
    parents, parent_rows = _parent_rows(frame)
    has_parent = parents != _NO_ID
    missing = has_parent & (parent_rows < 0)
    active = status_selection(frame, (vocab.ACTIVE,))
    idle_parent = has_parent & (parent_rows >= 0) & active & ~active[np.maximum(parent_rows, 0)]
    return _series(frame, missing | idle_parent)


def _orphan_detail(frame: pd.DataFrame, settings: AuditSettings, now: pd.Timestamp) -> pd.Series:
    _parents, parent_rows = _parent_rows(frame)
    codes, statuses = distinct_values(frame["status"])
    parent_status = statuses.to_numpy(dtype=object, na_value=vocab.UNKNOWN_STATUS)[
        codes[np.maximum(parent_rows, 0)]
    ]
    parent_text = "parent #" + frame["parent_campaign_id"].astype("Int64").astype("string")
    status_text = pd.Series(
        pd.array(np.where(parent_rows >= 0, parent_status, ""), dtype="string"),
        index=frame.index,
    )
    detail = parent_text + " is " + status_text
    return detail.where(parent_rows >= 0, parent_text + " is not in the portfolio")


def _arrow_strings(series: pd.Series) -> pa.Array:
    """A text column as one Arrow string array (no copy when it is already Arrow-backed)."""
    if isinstance(series.dtype, pd.StringDtype) and series.dtype.storage == "pyarrow":
        array = series.array.__arrow_array__()
        return array.combine_chunks() if isinstance(array, pa.ChunkedArray) else array
    values = series.astype("string").to_numpy(dtype=object, na_value=None)
    return pa.array(values, type=pa.string())


def _name_codes(frame: pd.DataFrame) -> np.ndarray:
    """Per campaign, a code shared by names equal up to case and spaces; -1 for no name."""
    folded = pc.utf8_trim_whitespace(
        pc.replace_substring_regex(
            pc.utf8_lower(_arrow_strings(frame["name"])), pattern=r"\s+", replacement=" "
        )
    )
    folded = pc.if_else(pc.equal(folded, ""), pa.scalar(None, pa.string()), folded)
    indices = folded.dictionary_encode().indices.fill_null(-1)
    return indices.to_numpy(zero_copy_only=False).astype(np.int64)


def _same_name_counts(frame: pd.DataFrame) -> np.ndarray:
    """Per campaign in :data:`smartlead.vocab.MAY_SEND`, how many such campaigns share its name
    (0 otherwise)."""
    codes = _name_codes(frame)
    counted = (codes >= 0) & status_selection(frame, vocab.MAY_SEND)
    counts = np.bincount(codes[counted], minlength=int(codes.max(initial=-1)) + 1)
    return np.where(counted, counts[np.maximum(codes, 0)] if len(counts) else 0, 0)


def _duplicate_name(frame: pd.DataFrame, settings: AuditSettings, now: pd.Timestamp) -> pd.Series:
    return _series(frame, _same_name_counts(frame) > 1)


def _duplicate_name_detail(
    frame: pd.DataFrame, settings: AuditSettings, now: pd.Timestamp
) -> pd.Series:
    others = pd.Series(_same_name_counts(frame) - 1, index=frame.index)
    return "same name as " + _number_text(others) + " other campaign(s)"


def _active_median_limit(frame: pd.DataFrame) -> float:
    """The median daily limit of ACTIVE campaigns (NaN when none has a limit)."""
    limits = _floats(frame["max_leads_per_day"])[status_selection(frame, (vocab.ACTIVE,))]
    limits = limits[~np.isnan(limits)]
    return float(np.median(limits)) if len(limits) else float("nan")


def _limit_outlier(frame: pd.DataFrame, settings: AuditSettings, now: pd.Timestamp) -> pd.Series:
    median = _active_median_limit(frame)
    limits = _floats(frame["max_leads_per_day"])
    if np.isnan(median):
        return _series(frame, np.zeros(len(frame), dtype=bool))
    with np.errstate(invalid="ignore"):
        outlier = (limits > settings.limit_outlier_factor * median) & (
            limits > settings.limit_outlier_floor
        )
    return _series(frame, outlier)


def _limit_outlier_detail(
    frame: pd.DataFrame, settings: AuditSettings, now: pd.Timestamp
) -> pd.Series:
    median = _active_median_limit(frame)
    limits = pd.Series(_floats(frame["max_leads_per_day"]), index=frame.index)
    ratio = limits / median if median > 0 else pd.Series(np.nan, index=frame.index)
    median_text = "?" if np.isnan(median) else f"{median:.1f}".removesuffix(".0")
    return (
        _number_text(limits)
        + "/day, "
        + _number_text(ratio)
        + f"× the active median of {median_text}"
    )


WINDOW_BOUNCE_COLUMNS = ("window_bounce_rate", "window_sent")
"""The date window's columns the bounce rule reads when they are joined on."""
WINDOW_REPLY_COLUMNS = ("window_replied", "window_sent")
"""The date window's columns the no-reply rule reads when they are joined on."""


def _reads(frame: pd.DataFrame, columns: tuple[str, ...]) -> bool:
    """Whether the frame carries the date window's ``columns`` (they win over all-time ones)."""
    return all(column in frame.columns for column in columns)


def _high_bounce_rate(frame: pd.DataFrame, settings: AuditSettings, now: pd.Timestamp) -> pd.Series:
    if _reads(frame, WINDOW_BOUNCE_COLUMNS):
        judged = _numbers(frame["window_sent"]) >= settings.min_window_sent
        high = _numbers(frame["window_bounce_rate"]) > settings.max_window_bounce_rate
        return _series(frame, (judged & high).fillna(False))
    contacted = _numbers(frame["unique_sent_count"])
    bounce = _numbers(frame["bounce_rate"])
    judged = contacted >= settings.min_contacted_for_rates
    return _series(frame, (judged & (bounce > settings.max_bounce_rate)).fillna(False))


def _high_bounce_rate_detail(
    frame: pd.DataFrame, settings: AuditSettings, now: pd.Timestamp
) -> pd.Series:
    if _reads(frame, WINDOW_BOUNCE_COLUMNS):
        percent = _number_text(_numbers(frame["window_bounce_rate"]) * 100)
        sent = _number_text(frame["window_sent"])
        return "bounce rate " + percent + " % of " + sent + " emails sent in the window"
    percent = _number_text(_numbers(frame["bounce_rate"]) * 100)
    return "bounce rate " + percent + " % of " + _number_text(frame["unique_sent_count"]) + " leads"


def _no_replies(frame: pd.DataFrame, settings: AuditSettings, now: pd.Timestamp) -> pd.Series:
    if _reads(frame, WINDOW_REPLY_COLUMNS):
        sent = _numbers(frame["window_sent"])
        flagged = (sent >= settings.no_reply_min_window_sent) & (
            _numbers(frame["window_replied"]) == 0
        )
        return _series(frame, flagged.fillna(False))
    contacted = _numbers(frame["unique_sent_count"])
    replies = _numbers(frame["reply_count"])
    flagged = (contacted >= settings.no_reply_min_contacted) & (replies == 0)
    return _series(frame, flagged.fillna(False))


def _no_replies_detail(
    frame: pd.DataFrame, settings: AuditSettings, now: pd.Timestamp
) -> pd.Series:
    if _reads(frame, WINDOW_REPLY_COLUMNS):
        return "no reply to " + _number_text(frame["window_sent"]) + " emails sent in the window"
    return "no reply from " + _number_text(frame["unique_sent_count"]) + " leads contacted"


_RULES: tuple[Rule, ...] = (
    Rule(
        id="no_unsubscribe_text",
        severity="high",
        title="No unsubscribe text",
        explanation=(
            "The campaign has no unsubscribe text: it was cleared (empty) or never set (SmartLead "
            "then sends null), so its emails offer no stated way to opt out. Laws on commercial "
            "email (CAN-SPAM in the US, PECR and GDPR in the UK and EU, CASL in Canada) expect a "
            "clear opt-out in every message, and recipients who cannot find one press 'Report "
            "spam' instead, which hurts every mailbox of the sending domain. Audited for ACTIVE, "
            "PAUSED, DRAFTED and unknown statuses (finished campaigns are left out)."
        ),
        predicate=_no_unsubscribe,
        detail=_no_unsubscribe_detail,
        requires=("unsubscribe_text",),
    ),
    Rule(
        id="no_stop_on_reply",
        severity="high",
        title="Leads not stopped on reply",
        explanation=(
            "The sequence stops on something other than a reply (stop_lead_settings is not "
            "REPLY_TO_AN_EMAIL), so a lead who answered — even to say no or to opt out — keeps "
            "receiving follow-ups. That reads as careless, draws spam complaints and can breach "
            "opt-out rules. A missing setting is not flagged. Audited for ACTIVE, PAUSED, "
            "DRAFTED and unknown statuses."
        ),
        predicate=_no_stop_on_reply,
        detail=_no_stop_on_reply_detail,
        requires=("stop_lead_settings",),
    ),
    Rule(
        id="open_tracking",
        severity="medium",
        title="Open tracking is on",
        explanation=(
            "Open tracking adds an invisible image (a tracking pixel) served from a shared "
            "tracking domain. Spam filters read such pixels in one-to-one cold email as a "
            "bulk-mail signal, and Apple Mail Privacy Protection loads images on delivery, so "
            "the open rate it buys is unreliable anyway. Audited for campaigns that send or may "
            "send again: ACTIVE, PAUSED, DRAFTED and unknown statuses; STOPPED, COMPLETED and "
            "ARCHIVED ones are left out because changing them changes nothing."
        ),
        predicate=_open_tracking,
        detail=_open_tracking_detail,
        requires=("track_opens",),
    ),
    Rule(
        id="click_tracking",
        severity="medium",
        title="Click tracking is on",
        explanation=(
            "Click tracking rewrites every link to pass through a tracking domain, so the link "
            "a recipient sees no longer matches the sender's domain — a pattern spam filters "
            "and cautious readers associate with phishing. Audited for ACTIVE, PAUSED, DRAFTED "
            "and unknown statuses."
        ),
        predicate=_click_tracking,
        detail=lambda frame, settings, now: _text(
            ["links rewritten for tracking"] * len(frame), frame
        ),
        requires=("track_clicks",),
    ),
    Rule(
        id="short_gap",
        severity="medium",
        title="Very short gap between emails",
        explanation=(
            "Fewer than AuditSettings.min_gap_minutes (3 by default) minutes between two emails "
            "from one mailbox. People do not send a message every minute or two for hours: "
            "mailbox providers notice machine-like bursts, raise spam scores and apply rate "
            "limits. Audited for ACTIVE, PAUSED, DRAFTED and unknown statuses."
        ),
        predicate=_short_gap,
        detail=_short_gap_detail,
        requires=("min_time_btwn_emails",),
    ),
    Rule(
        id="active_without_schedule",
        severity="medium",
        title="Active campaign with no schedule",
        explanation=(
            "The campaign is ACTIVE but has no sending schedule (or one that could not be read "
            "at all): nobody decided when it sends, and it is missing from the heatmap and the "
            "capacity figures. Audited for ACTIVE campaigns only; an unfinished schedule on a "
            "draft is normal."
        ),
        predicate=_active_without_schedule,
        detail=lambda frame, settings, now: _text(["no schedule"] * len(frame), frame),
        requires=(
            "schedule_timezone",
            "schedule_days",
            "schedule_start_minute",
            "schedule_end_minute",
        ),
        statuses=(vocab.ACTIVE,),
    ),
    Rule(
        id="unusable_schedule",
        severity="medium",
        title="Schedule cannot be used",
        explanation=(
            "The schedule is set but cannot be followed as written: an unknown time zone, no "
            "sending day, a missing start or end time, or a window that ends when it starts "
            "(09:00–09:00 is read as empty, not 24 h). The campaign may not send at all, or not "
            "when intended. Audited for ACTIVE, PAUSED, DRAFTED and unknown statuses."
        ),
        predicate=_unusable_schedule,
        detail=_unusable_schedule_detail,
        requires=(
            "schedule_timezone",
            "schedule_days",
            "schedule_start_minute",
            "schedule_end_minute",
        ),
    ),
    Rule(
        id="orphan_subsequence",
        severity="medium",
        title="Subsequence without a running parent",
        explanation=(
            "A subsequence receives its leads from its parent campaign. Flagged when the parent "
            "is not in the portfolio (deleted, or another account's), or when the subsequence "
            "is ACTIVE but its parent is not: it then runs with no new leads coming in. Audit "
            "the whole portfolio, not a client-filtered view, or parents outside the view look "
            "missing. Audited for ACTIVE, PAUSED, DRAFTED and unknown statuses."
        ),
        predicate=_orphan_subsequence,
        detail=_orphan_detail,
        requires=("parent_campaign_id", "id"),
    ),
    Rule(
        id="limit_outlier",
        severity="medium",
        title="Daily limit far above the portfolio's norm",
        explanation=(
            "The daily limit is more than AuditSettings.limit_outlier_factor (3×) the median "
            "limit of the portfolio's ACTIVE campaigns and above limit_outlier_floor (200 a "
            "day). Such a limit is often a typo, and a sudden jump in volume from mailboxes "
            "warmed for less is a classic cause of spam-foldering. Not evaluated (nothing "
            "flagged) when no ACTIVE campaign has a limit. Audited for ACTIVE, PAUSED, DRAFTED "
            "and unknown statuses."
        ),
        predicate=_limit_outlier,
        detail=_limit_outlier_detail,
        requires=("max_leads_per_day",),
    ),
    Rule(
        id="weekend_sending",
        severity="low",
        title="Sends at weekends",
        explanation=(
            "The schedule includes a weekend day where the campaign sends, judged in its own "
            "time zone: Saturday or Sunday in most of the world, Friday or Saturday in Saudi "
            "Arabia, Egypt or Israel (a Sunday-to-Thursday week in Riyadh is a working week). "
            "Business recipients read weekend cold email less and report it more; keep to "
            "their working days unless the audience works weekends (retail, clinics). Audited "
            "for ACTIVE, PAUSED, DRAFTED and unknown statuses."
        ),
        predicate=_weekend_sending,
        detail=_weekend_detail,
        requires=("schedule_days", "schedule_timezone"),
    ),
    Rule(
        id="long_send_window",
        severity="low",
        title="Send window longer than 12 h",
        explanation=(
            "The daily sending window is longer than AuditSettings.max_window_hours (12 h by "
            "default), so part of it falls before 08:00 or after 20:00 where the campaign "
            "sends, and the day's volume is spread into hours when people do not write emails. "
            "Audited for ACTIVE, PAUSED, DRAFTED and unknown statuses."
        ),
        predicate=_long_window,
        detail=_long_window_detail,
        requires=("schedule_start_minute", "schedule_end_minute"),
    ),
    Rule(
        id="stale_draft",
        severity="low",
        title="Draft untouched for 30 days",
        explanation=(
            "A DRAFTED campaign whose settings have not changed for AuditSettings."
            "stale_draft_days (30 by default): probably abandoned. Archive it or finish it, so "
            "the portfolio and its capacity plans show only real work. Audited for DRAFTED "
            "campaigns only."
        ),
        predicate=_stale_draft,
        detail=_stale_draft_detail,
        requires=("updated_at",),
        statuses=(vocab.DRAFTED,),
    ),
    Rule(
        id="duplicate_name",
        severity="low",
        title="Several campaigns with the same name",
        explanation=(
            "Two or more campaigns that send or may send share a name (ignoring case and "
            "spaces), so reports, exports and colleagues mix them up. Finished campaigns are "
            "left out: a clone of an archived campaign is normal. Empty names are not compared."
        ),
        predicate=_duplicate_name,
        detail=_duplicate_name_detail,
        requires=("name",),
    ),
    Rule(
        id="high_bounce_rate",
        severity="high",
        title="High bounce rate",
        explanation=(
            "Over the date window, more than 3 % of the emails sent bounced (judged from 200 "
            "emails sent in the window on); without window figures, more than 5 % of all the "
            "leads contacted bounced (judged from 100 leads on). Providers treat a high "
            "bounce rate as a sign of a bought or stale list and filter the sending "
            "mailboxes, hurting every campaign that uses them. Verify the list and remove "
            "invalid addresses before sending more. Needs performance figures."
        ),
        predicate=_high_bounce_rate,
        detail=_high_bounce_rate_detail,
        requires=WINDOW_BOUNCE_COLUMNS,
        alternatives=(("bounce_rate", "unique_sent_count"),),
    ),
    Rule(
        id="no_replies",
        severity="medium",
        title="Active campaign without replies",
        explanation=(
            "An active campaign sent 300 emails or more in the date window and received no "
            "reply in it (without window figures: contacted 200 leads or more, all time, "
            "without a reply). Usually the emails land in spam or the offer misses its "
            "audience: check deliverability (inbox placement, mailbox health) before the "
            "copy. Needs performance figures."
        ),
        predicate=_no_replies,
        detail=_no_replies_detail,
        requires=WINDOW_REPLY_COLUMNS,
        alternatives=(("reply_count", "unique_sent_count"),),
        statuses=(vocab.ACTIVE,),
    ),
)


# --------------------------------------------------------------------------- lead runway


def _no_leads_left(frame: pd.DataFrame, settings: AuditSettings, now: pd.Timestamp) -> pd.Series:
    return _series(frame, (_numbers(frame["leads_not_started"]) == 0).fillna(False))


def _no_leads_left_detail(
    frame: pd.DataFrame, settings: AuditSettings, now: pd.Timestamp
) -> pd.Series:
    total = frame["leads_total"] if "leads_total" in frame.columns else frame["leads_not_started"]
    return "every lead started (" + _number_text(total) + " in the campaign)"


def _runway_short(frame: pd.DataFrame, settings: AuditSettings, now: pd.Timestamp) -> pd.Series:
    days = _numbers(frame["runway_days"])
    return _series(frame, ((days > 0) & (days < settings.min_runway_days)).fillna(False))


def _runway_short_detail(
    frame: pd.DataFrame, settings: AuditSettings, now: pd.Timestamp
) -> pd.Series:
    dates = frame["runway_date"].astype("string").fillna("?")
    return (
        _number_text(frame["runway_days"])
        + " sending days of new leads left, the last on "
        + dates
        + " ("
        + frame["runway_basis"].astype("string").fillna("?")
        + ")"
    )


def _paused_waiting(frame: pd.DataFrame, settings: AuditSettings, now: pd.Timestamp) -> pd.Series:
    waiting = _numbers(frame["leads_not_started"]) >= settings.paused_leads_waiting
    return _series(frame, waiting.fillna(False))


def _paused_waiting_detail(
    frame: pd.DataFrame, settings: AuditSettings, now: pd.Timestamp
) -> pd.Series:
    return _number_text(frame["leads_not_started"]) + " leads waiting"


_RUNWAY_RULES: tuple[Rule, ...] = (
    Rule(
        id="no_leads_left",
        severity="high",
        title="Active campaign with no leads left",
        explanation=(
            "Every lead of this ACTIVE campaign has been started (SmartLead's lead statistics "
            "say none is left not started), so it sends follow-ups at most and no new lead: it "
            "has quietly stopped prospecting, and the client will notice before anyone else. "
            "Upload new leads, or finish the campaign. Needs lead statistics (all-time "
            "figures, or the Schedule page's lead runway)."
        ),
        predicate=_no_leads_left,
        detail=_no_leads_left_detail,
        requires=("leads_not_started",),
        statuses=(vocab.ACTIVE,),
    ),
    Rule(
        id="runway_short",
        severity="medium",
        title="Runs out of leads within a week",
        explanation=(
            "This ACTIVE campaign has fewer than AuditSettings.min_runway_days (5) sending days "
            "of new leads left at its daily limit (or at the slower pace it kept over the date "
            "window): sourcing, verifying and uploading a new list takes about that long, so "
            "order the refill now. The Schedule page's lead runway lists them in order. Needs "
            "lead statistics."
        ),
        predicate=_runway_short,
        detail=_runway_short_detail,
        requires=("runway_days", "runway_date", "runway_basis"),
        statuses=(vocab.ACTIVE,),
    ),
    Rule(
        id="paused_leads_waiting",
        severity="low",
        title="Paused campaign with many leads waiting",
        explanation=(
            "This PAUSED campaign holds AuditSettings.paused_leads_waiting (500) or more leads "
            "not started. A list goes stale while it waits (people change jobs, addresses "
            "start to bounce): resume the campaign, move the leads to one that runs, or let "
            "the client know. Needs lead statistics."
        ),
        predicate=_paused_waiting,
        detail=_paused_waiting_detail,
        requires=("leads_not_started",),
        statuses=(vocab.PAUSED,),
    ),
)
"""The lead runway's rules (:mod:`smartlead.runway`)."""

RULES: tuple[Rule, ...] = tuple(
    sorted((*_RULES, *_RUNWAY_RULES), key=lambda rule: vocab.SEVERITIES.index(rule.severity))
)
"""The audit's rules, most severe first. Ids are stable: the UI and exports key on them."""

RULES_BY_ID: dict[str, Rule] = {rule.id: rule for rule in RULES}


# --------------------------------------------------------------------------- running the audit


def _empty_findings() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "rule_id": pd.Series([], dtype="str"),
            "severity": pd.Series([], dtype=SEVERITY_DTYPE),
            "title": pd.Series([], dtype="str"),
            "id": pd.Series([], dtype="Int64"),
            "name": pd.Series([], dtype="string"),
            "client_name": pd.Series([], dtype="string"),
            "status": pd.Series([], dtype="string"),
            "detail": pd.Series([], dtype="string"),
        }
    )


def _as_now(now: datetime | pd.Timestamp | str | None) -> pd.Timestamp:
    moment = pd.Timestamp.now(tz="UTC") if now is None else pd.Timestamp(now)
    if moment.tzinfo is None:
        return moment.tz_localize("UTC")
    return moment.tz_convert("UTC")


def _column_or_na(frame: pd.DataFrame, name: str, dtype: str) -> pd.Series:
    if name in frame.columns:
        return frame[name].astype(dtype)
    return pd.Series(pd.array([None] * len(frame), dtype=dtype), index=frame.index)


def run_audit(
    frame: pd.DataFrame,
    settings: AuditSettings = DEFAULT_SETTINGS,
    now: datetime | pd.Timestamp | str | None = None,
    rules: Sequence[Rule] = RULES,
) -> pd.DataFrame:
    """Evaluate ``rules`` on every campaign: one finding per (rule, campaign) that breaks it.

    Columns (:data:`FINDING_COLUMNS`): ``rule_id, severity`` (ordered categorical high >
    medium > low), ``title, id, name, client_name, status, detail``, indexed by the row label
    of the finding's campaign in ``frame`` (which tells campaigns sharing an id apart). Sorted
    by severity, then rule order, then the frame's order. ``now`` (default: the current time,
    UTC; a naive time is read as UTC) dates the stale-draft rule. Rules whose ``requires``
    columns are missing are skipped (see :func:`not_evaluated`). An empty frame gives an empty
    table with the same columns.
    """
    moment = _as_now(now)
    if len(frame) == 0:
        return _empty_findings()
    scopes: dict[tuple[str, ...] | None, np.ndarray] = {}
    fired_rules: list[Rule] = []
    fired_rows: list[np.ndarray] = []
    details: list[np.ndarray] = []
    for rule in rules:
        if rule.missing_columns(frame):
            continue
        fired = _evaluate(rule, frame, settings, moment)
        if "status" in frame.columns:
            if rule.statuses not in scopes:
                scopes[rule.statuses] = status_selection(frame, rule.statuses)
            fired &= scopes[rule.statuses]
        rows = np.flatnonzero(fired)
        if len(rows) == 0:
            continue
        if rule.detail is not None:
            detail = pd.Series(rule.detail(frame, settings, moment)).astype("string")
            details.append(detail.to_numpy(dtype=object, na_value=None)[rows])
        else:
            details.append(np.full(len(rows), None, dtype=object))
        fired_rules.append(rule)
        fired_rows.append(rows)
    if not fired_rules:
        return _empty_findings()

    rule_index = np.repeat(np.arange(len(fired_rules)), [len(rows) for rows in fired_rows])
    rows = np.concatenate(fired_rows)
    severity_rank = np.array([vocab.SEVERITIES.index(rule.severity) for rule in fired_rules])
    order = np.lexsort((rows, rule_index, severity_rank[rule_index]))
    rule_index, rows = rule_index[order], rows[order]

    def per_rule(values: list[str]) -> np.ndarray:
        return np.array(values, dtype=object)[rule_index]

    def campaign_column(name: str, dtype: str) -> pd.api.extensions.ExtensionArray:
        return _column_or_na(frame, name, dtype).array.take(rows)

    return pd.DataFrame(
        {
            "rule_id": pd.array(per_rule([rule.id for rule in fired_rules]), dtype="str"),
            "severity": pd.Categorical(
                per_rule([rule.severity for rule in fired_rules]), dtype=SEVERITY_DTYPE
            ),
            "title": pd.array(per_rule([rule.title for rule in fired_rules]), dtype="str"),
            "id": campaign_column("id", "Int64"),
            "name": campaign_column("name", "string"),
            "client_name": campaign_column("client_name", "string"),
            "status": campaign_column("status", "string"),
            "detail": pd.array(np.concatenate(details)[order], dtype="string"),
        },
        index=frame.index.take(rows),  # each finding's campaign row: ids may repeat
    )


def _evaluate(
    rule: Rule, frame: pd.DataFrame, settings: AuditSettings, now: pd.Timestamp
) -> np.ndarray:
    """A rule's predicate as a plain boolean array (NA → False), checked for length."""
    result = rule.predicate(frame, settings, now)
    if isinstance(result, pd.Series):
        values = np.array(result.astype("boolean").fillna(False), dtype=bool)
    else:
        values = np.array(pd.array(np.asarray(result), dtype="boolean").fillna(False), dtype=bool)
    if values.shape != (len(frame),):
        raise ValueError(
            f"rule {rule.id!r}: predicate returned {values.shape[0] if values.ndim else 0} "
            f"values for {len(frame)} campaigns"
        )
    return values


def not_evaluated(frame: pd.DataFrame, rules: Sequence[Rule] = RULES) -> pd.DataFrame:
    """Rules that cannot run on ``frame`` because it lacks columns: ``rule_id, title, missing``."""
    rows = [
        (rule.id, rule.title, ", ".join(missing))
        for rule in rules
        if (missing := rule.missing_columns(frame))
    ]
    return pd.DataFrame(
        {
            "rule_id": pd.array([row[0] for row in rows], dtype="str"),
            "title": pd.array([row[1] for row in rows], dtype="str"),
            "missing": pd.array([row[2] for row in rows], dtype="str"),
        }
    )


def _statuses_text(statuses: tuple[str, ...] | None) -> str:
    if statuses is None:
        return "every status"
    return ", ".join("unknown statuses" if s == vocab.OTHER_STATUSES else s for s in statuses)


def summarize(
    findings: pd.DataFrame, rules: Sequence[Rule] = RULES, frame: pd.DataFrame | None = None
) -> pd.DataFrame:
    """One row per rule, most severe first: how many campaigns break it.

    Columns (:data:`SUMMARY_COLUMNS`): ``rule_id, severity, title, explanation, applies_to``
    (the statuses it audits, in words), ``campaigns`` (distinct campaigns flagged, 0 when
    none), ``evaluated`` and ``note``. Pass the audited ``frame`` to have rules whose columns
    were missing marked ``evaluated=False`` with a note ("not evaluated: needs bounce_rate");
    without it every rule is taken as evaluated.
    """
    counts: dict[str, int] = {}
    if len(findings):
        per_rule = findings.loc[:, ["rule_id", "id", "name"]].drop_duplicates()
        counts = per_rule["rule_id"].astype("str").value_counts().to_dict()
    records = []
    for order, rule in enumerate(rules):
        missing = rule.missing_columns(frame) if frame is not None else ()
        records.append(
            {
                "rule_id": rule.id,
                "severity": rule.severity,
                "title": rule.title,
                "explanation": rule.explanation,
                "applies_to": _statuses_text(rule.statuses),
                "campaigns": int(counts.get(rule.id, 0)),
                "evaluated": not missing,
                "note": f"not evaluated: needs {', '.join(missing)}" if missing else "",
                "_rank": vocab.SEVERITIES.index(rule.severity)
                if rule.severity in vocab.SEVERITIES
                else len(vocab.SEVERITIES),
                "_order": order,
            }
        )
    table = pd.DataFrame.from_records(records, columns=[*SUMMARY_COLUMNS, "_rank", "_order"])
    table = table.sort_values(["_rank", "_order"], kind="stable").drop(columns=["_rank", "_order"])
    return table.reset_index(drop=True).astype(
        {
            "rule_id": "str",
            "severity": SEVERITY_DTYPE,
            "title": "str",
            "explanation": "str",
            "applies_to": "str",
            "campaigns": "int64",
            "evaluated": "bool",
            "note": "str",
        }
    )


def health_score(
    frame: pd.DataFrame, findings: pd.DataFrame, settings: AuditSettings = DEFAULT_SETTINGS
) -> tuple[float, str]:
    """The portfolio's health, 0–100, and the formula with its numbers, in words.

    ``score = 100 × (1 − Σ min(cap, Σ weights of the campaign's findings) ÷ (cap × N))``

    where N is the number of campaigns still in play (every status but STOPPED, COMPLETED and
    ARCHIVED), the weights are ``weight_high`` 3, ``weight_medium`` 2 and ``weight_low`` 1 per
    finding, and ``cap`` is ``campaign_penalty_cap`` (6). Findings on finished campaigns are
    ignored. So: 100 for a portfolio with no findings (or nothing in play); 0 when every
    campaign in play carries findings worth the cap; adding a finding, or making one more
    severe, never raises the score. Rounded to one decimal.
    """
    in_play = ~status_selection(frame, vocab.FINISHED) if len(frame) else np.zeros(0, dtype=bool)
    campaign_count = int(in_play.sum())
    cap = float(settings.campaign_penalty_cap)
    weights_text = (
        f"weights high {settings.weight_high:g}, medium {settings.weight_medium:g}, "
        f"low {settings.weight_low:g}; at most {cap:g} per campaign"
    )
    if campaign_count == 0 or cap <= 0:
        return 100.0, f"100: no campaigns in play to audit ({weights_text})"

    penalty = 0.0
    if len(findings):
        status = findings["status"].astype("string")
        live = np.asarray(~status.isin(vocab.FINISHED).fillna(False), dtype=bool)
        live_findings = findings.loc[live]
        weights = (
            live_findings["severity"]
            .astype("string")
            .map({s: max(settings.weight(s), 0.0) for s in vocab.SEVERITIES})
            .astype("Float64")
            .fillna(0.0)
        )
        keys = (
            live_findings["id"].astype("Int64").astype("string").fillna("")
            + "\x00"
            + (live_findings["name"].astype("string").fillna(""))
        )
        per_campaign = weights.groupby(keys.to_numpy(), sort=False).sum()
        penalty = float(np.minimum(per_campaign.to_numpy(dtype=float), cap).sum())
    worst = cap * campaign_count
    score = round(max(0.0, min(100.0, 100.0 * (1.0 - penalty / worst))), 1)
    penalty_text = f"{penalty:,.1f}".removesuffix(".0")
    formula = (
        f"{score:g} = 100 × (1 − {penalty_text} ÷ ({cap:g} × {campaign_count:,} campaigns in "
        f"play)); penalty = Σ per campaign of min({cap:g}, Σ finding weights) ({weights_text})"
    )
    return score, formula


# --------------------------------------------------------------------------- settings only


def reads_settings_only(rule: Rule) -> bool:
    """Whether ``rule`` reads nothing but the campaign frame's own columns (:data:`SCHEMA`):
    then it can be evaluated on a stored snapshot, which keeps campaign settings only (no
    window, all-time or lead figures)."""
    return set(rule.requires) <= {column.name for column in SCHEMA}


SETTINGS_RULES: tuple[Rule, ...] = tuple(rule for rule in RULES if reads_settings_only(rule))
"""The rules a snapshot can be audited by: the health trend scores every point, the current
view included, with these alone, so a past score and today's compare like with like."""


def settings_score(
    frame: pd.DataFrame,
    now: datetime | pd.Timestamp | str | None = None,
    settings: AuditSettings = DEFAULT_SETTINGS,
) -> float:
    """:func:`health_score` of ``frame`` audited by :data:`SETTINGS_RULES` only, as of ``now``
    (a snapshot's own time, so the stale-draft rule reads the past as it stood then)."""
    findings = run_audit(frame, settings, now=now, rules=SETTINGS_RULES)
    return health_score(frame, findings, settings)[0]


def findings_csv(findings: pd.DataFrame) -> bytes:
    """The findings as a UTF-8 CSV that is safe to open in a spreadsheet (formulas neutralised)."""
    return to_csv_bytes(findings, [c for c in FINDING_COLUMNS if c in findings.columns])


__all__ = [
    "DEFAULT_SETTINGS",
    "FINDING_COLUMNS",
    "RULES",
    "RULES_BY_ID",
    "SETTINGS_RULES",
    "SEVERITY_DTYPE",
    "SUMMARY_COLUMNS",
    "AuditSettings",
    "Rule",
    "findings_csv",
    "health_score",
    "not_evaluated",
    "reads_settings_only",
    "run_audit",
    "settings_score",
    "status_selection",
    "summarize",
]
