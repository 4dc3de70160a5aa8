"""Campaign performance as rates: what is divided by what, per campaign and weighted per group.

Pure functions over the campaign frame joined with counters: no I/O (the figures are fetched
by :mod:`smartlead.bulk` and, for a date window, by the window analytics).

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
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from smartlead.frame import Column
from smartlead.records import ANALYTICS_COUNTERS, LEAD_STAT_COUNTERS, parse_counter
from smartlead.vocab import NO_CLIENT, NO_GROUP, UNTAGGED

__all__ = [
    "COUNTER_COLUMNS",
    "METRIC_COLUMNS",
    "NO_TAG",
    "RATES",
    "RATE_COLUMNS",
    "Rate",
    "add_rates",
    "portfolio_rates",
    "rate_outliers",
    "rates_by",
    "with_metrics",
]

NO_TAG = UNTAGGED
"""The group of campaigns without tags in :func:`rates_by` (``by="tags"``), as everywhere."""


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
    metrics: Mapping[int, Mapping[str, Any]] | Any,
    failures: Mapping[int, str] | None = None,
) -> pd.DataFrame:
    """The campaign frame with every :data:`METRIC_COLUMNS` column joined on by ``id``.

    ``metrics`` maps campaign ids to counters (``Batch.results`` or a ``bulk.Batch`` itself,
    whose failures are then used too); values are read with ``parse_counter``. Every row of
    ``frame`` is kept, in order and with its index: a campaign without metrics gets nulls
    (and its failure in ``analytics_error`` when there is one). Metric columns already in
    ``frame`` are replaced. ``frame`` itself is not changed.
    """
    if not isinstance(metrics, Mapping) and hasattr(metrics, "results"):  # a bulk.Batch
        failures = metrics.failures if failures is None else failures
        metrics = metrics.results
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
    out = add_rates(out)
    failed = {int(cid): message for cid, message in (failures or {}).items()}
    errors = [
        failed.get(cid) if cid >= 0 else None for cid in _ids_as_numbers(frame["id"]).tolist()
    ]
    out["analytics_error"] = pd.array(errors, dtype="string")
    return out


def add_rates(frame: pd.DataFrame, rates: Sequence[Rate] = RATES) -> pd.DataFrame:
    """``frame`` with one column per rate of ``rates`` (replaced when present), computed per
    row from its counters: NA where the divisor is 0 or unknown, the counter unknown, or the
    rate's tracking off. Counters missing from ``frame`` give an all-NA rate."""
    out = frame.copy()
    for rate in rates:
        if rate.numerator in out.columns and rate.denominator in out.columns:
            out[rate.name] = _ratio(*_rate_parts(out, rate))
        else:
            out[rate.name] = _float_array(np.zeros(len(out)), np.ones(len(out), dtype=bool))
    return out


def _require_metrics(frame: pd.DataFrame, rates: Sequence[Rate] = RATES) -> None:
    needed = (rates[0].denominator, rates[0].numerator) if rates else ()
    absent = [name for name in needed if name not in frame.columns]
    if absent:
        raise ValueError(
            f"the frame has no {', '.join(absent)} column: join the metrics first "
            "(with_metrics, or the window's with_window)"
        )


def _group_labels(frame: pd.DataFrame, by: str) -> tuple[np.ndarray, list[str]]:
    """(row positions, group label) pairs: a campaign with three tags appears three times."""
    if by not in frame.columns:
        raise ValueError(f"the frame has no {by!r} column to group by")
    dtype = frame[by].dtype
    if isinstance(dtype, pd.ArrowDtype) and pa.types.is_list(dtype.pyarrow_dtype):
        return _list_labels(frame[by])
    values = frame[by].tolist()
    if by == "tags" or isinstance(dtype, pd.ArrowDtype):
        rows: list[int] = []
        labels: list[str] = []
        for position, tags in enumerate(values):
            names = [] if tags is None or tags is pd.NA else list(dict.fromkeys(tags))
            names = [str(name) for name in names if name is not None and str(name).strip()]
            for name in names or [NO_TAG]:
                rows.append(position)
                labels.append(name)
        return np.array(rows, dtype=np.int64), labels
    fallback = NO_CLIENT if by == "client_name" else NO_GROUP
    labels = [fallback if value is None or pd.isna(value) else str(value) for value in values]
    return np.arange(len(values), dtype=np.int64), labels


def _list_labels(column: pd.Series) -> tuple[np.ndarray, list[str]]:
    """The (row, name) pairs of an Arrow list column, vectorised: each name once per row,
    blank and null names left out, rows left without a name under :data:`NO_TAG`."""
    lists = column.array.__arrow_array__()
    lists = lists.combine_chunks() if isinstance(lists, pa.ChunkedArray) else lists
    names = pc.cast(pc.list_flatten(lists), pa.string())
    parents = np.asarray(pc.list_parent_indices(lists), dtype=np.int64)
    usable = pc.fill_null(pc.not_equal(pc.utf8_trim_whitespace(names), ""), False)
    pairs = pd.DataFrame(
        {
            "row": parents[np.asarray(usable, dtype=bool)],
            "name": pc.filter(names, usable).to_pylist(),
        }
    ).drop_duplicates()
    named = np.zeros(len(column), dtype=bool)
    named[pairs["row"].to_numpy()] = True
    unnamed = np.flatnonzero(~named)
    rows = np.concatenate([pairs["row"].to_numpy(dtype=np.int64), unnamed])
    labels = [*pairs["name"].tolist(), *([NO_TAG] * len(unnamed))]
    order = np.argsort(rows, kind="stable")
    return rows[order], [labels[i] for i in order]


_SUMMED = (
    "unique_sent_count",
    "sent_count",
    "reply_count",
    "bounce_count",
    "unique_open_count",
    "unsubscribed_count",
)


def _counters_of(rates: Sequence[Rate]) -> tuple[str, ...]:
    """The counters a set of rates divides: the default rates sum :data:`_SUMMED`, others
    their own denominators and numerators, in order."""
    if tuple(rates) == RATES:
        return _SUMMED
    names = [name for rate in rates for name in (rate.denominator, rate.numerator)]
    return tuple(dict.fromkeys(names))


def rates_by(
    frame: pd.DataFrame, by: str = "client_name", *, rates: Sequence[Rate] = RATES
) -> pd.DataFrame:
    """Weighted rates per group: per client (``by="client_name"``), per tag (``"tags"``), ...

    Each rate is the sum of its numerator over the sum of its denominator across the group's
    campaigns (reply rate = Σ replies / Σ leads contacted), counting only campaigns where both
    are known (and, for opens and clicks, tracked); null when that sum of denominators is 0.
    Columns: the group (``tag`` when grouping by tags), ``campaigns``, ``campaigns_measured``
    (leads contacted known), the summed counters (known values only; null when none is
    known) and every rate of
    :data:`RATES`. With ``by="tags"`` a campaign counts once in each of its tags and untagged
    campaigns form ``(no tag)``, so the rows overlap. Largest groups (leads contacted) first.

    ``rates`` chooses other rates to weigh the same way (the window's, for one): the first
    rate's divisor then plays the part of leads contacted (measured campaigns, order), and the
    summed counters are the rates' own.
    """
    _require_metrics(frame, rates)
    weight = rates[0].denominator
    summed_names = _counters_of(rates)
    rows, labels = _group_labels(frame, by)
    group = "tag" if by == "tags" else by
    work = pd.DataFrame({group: pd.array(labels, dtype="string")})
    work["campaigns"] = 1
    work["campaigns_measured"] = (
        ~np.asarray(pd.array(frame[weight], dtype="Int64").isna())[rows]
    ).astype(np.int64)
    for name in summed_names:
        if name in frame.columns:
            work[name] = pd.array(frame[name], dtype="Int64")[rows]
    parts: dict[str, tuple[str, str]] = {}
    for rate in rates:
        if rate.numerator not in frame.columns or rate.denominator not in frame.columns:
            continue
        num, den, usable = _rate_parts(frame, rate)
        parts[rate.name] = (f"_{rate.name}_num", f"_{rate.name}_den")
        work[parts[rate.name][0]] = np.where(usable, num, 0.0)[rows]
        work[parts[rate.name][1]] = np.where(usable, den, 0.0)[rows]
    grouped = work.groupby(group, sort=False, dropna=False)
    counters = [name for name in summed_names if name in work.columns]
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
        [weight, group], ascending=[False, True], na_position="last", kind="stable"
    )
    return result.reset_index(drop=True)


def portfolio_rates(
    frame: pd.DataFrame, *, rates: Sequence[Rate] = RATES
) -> dict[str, float | None]:
    """Every rate of ``rates`` over the whole frame, weighted as in :func:`rates_by`."""
    _require_metrics(frame, rates)
    found: dict[str, float | None] = {}
    for rate in rates:
        if rate.numerator not in frame.columns or rate.denominator not in frame.columns:
            found[rate.name] = None
            continue
        num, den, usable = _rate_parts(frame, rate)
        total = float(den[usable].sum())
        found[rate.name] = float(num[usable].sum()) / total if total > 0 else None
    return found


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
