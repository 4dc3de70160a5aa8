"""The dashboard's filters as plain data, applied to the campaign frame in vectorised steps.

Every page shares one :class:`Filters` value; the UI turns widgets into it and this module does
the work, so the same filtering is unit-tested here and reused by the command line or a
notebook. An unset criterion (empty tuple, ``None`` bound, empty text) filters nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from smartlead import vocab
from smartlead.frame import list_array
from smartlead.window import DEFAULT_TIMEZONE

"""The tag filter's name for campaigns without any tag (an empty or missing tag list): the
vocabulary's placeholder, named here too for the modules that import it from the filters."""


@dataclass(frozen=True)
class Filters:
    """What the user asked to see. Defaults show everything."""

    statuses: tuple[str, ...] = ()
    clients: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    name_contains: str = ""
    created: tuple[date | None, date | None] = (None, None)
    updated: tuple[date | None, date | None] = (None, None)
    daily_limit: tuple[int | None, int | None] = (None, None)
    include_subsequences: bool = True
    zone: str = DEFAULT_TIMEZONE
    """The IANA time zone the ``created`` and ``updated`` days are counted in (the viewer's)."""

    def is_default(self) -> bool:
        """True when nothing is filtered out (the time zone alone filters nothing)."""
        return replace(self, zone=DEFAULT_TIMEZONE) == Filters()


@dataclass(frozen=True)
class FilterOptions:
    """The choices a portfolio offers: what the filter widgets list and their bounds."""

    statuses: tuple[str, ...] = ()
    clients: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    created_span: tuple[pd.Timestamp | None, pd.Timestamp | None] = (None, None)
    """The first and the last creation moment (UTC); :meth:`created_days` gives the days."""
    updated_span: tuple[pd.Timestamp | None, pd.Timestamp | None] = (None, None)
    daily_limit: tuple[int, int] = (0, 0)
    tag_colors: dict[str, str] = field(default_factory=dict)
    """Every tag's colour, safe to draw: SmartLead's when it is a plain hex colour, else ours."""

    def created_days(self, zone: str = DEFAULT_TIMEZONE) -> tuple[date | None, date | None]:
        """The first and the last day a campaign was created on, counted in ``zone``."""
        return _days_in(self.created_span, zone)

    def updated_days(self, zone: str = DEFAULT_TIMEZONE) -> tuple[date | None, date | None]:
        """The first and the last day a campaign was updated on, counted in ``zone``."""
        return _days_in(self.updated_span, zone)


def filter_options(frame: pd.DataFrame) -> FilterOptions:
    """Statuses (fixed order), client names, tag names with colours, and date/limit bounds."""
    observed_statuses = [str(s) for s in frame["status"].dropna().unique()]
    statuses = tuple(s for s in vocab.status_order(observed_statuses) if s in observed_statuses)
    clients = tuple(sorted({str(c) for c in frame["client_name"].dropna().unique()}, key=_by_name))
    names, colors = _first_pairs(*_flat_tags(frame))
    chosen: dict[str, str] = {}  # the first plain hex colour SmartLead sent for each tag
    for name, color in zip(names, colors, strict=True):
        safe = vocab.css_color(color)
        if safe and name not in chosen:
            chosen[name] = safe
    tags = tuple(sorted(set(names), key=_by_name))
    tag_colors = {name: chosen.get(name) or vocab.tag_color(name) for name in tags}
    limits = frame["max_leads_per_day"].dropna()
    return FilterOptions(
        statuses=statuses,
        clients=clients,
        tags=tags,
        created_span=_span(frame["created_at"]),
        updated_span=_span(frame["updated_at"]),
        daily_limit=(int(limits.min()), int(limits.max())) if len(limits) else (0, 0),
        tag_colors=tag_colors,
    )


def _by_name(text: str) -> tuple[str, str]:
    """Case-insensitive order; names that differ only in case keep one fixed order."""
    return text.lower(), text


def _span(times: pd.Series) -> tuple[pd.Timestamp | None, pd.Timestamp | None]:
    present = times.dropna()
    if present.empty:
        return None, None
    return present.min(), present.max()


def _days_in(
    span: tuple[pd.Timestamp | None, pd.Timestamp | None], zone: str
) -> tuple[date | None, date | None]:
    first, last = span
    if first is None or last is None:
        return None, None
    return first.tz_convert(zone).date(), last.tz_convert(zone).date()


def _flat_tags(frame: pd.DataFrame) -> tuple[pa.Array, pa.Array]:
    return (
        pc.list_flatten(list_array(frame["tags"], pa.string())),
        pc.list_flatten(list_array(frame["tag_colors"], pa.string())),
    )


def _first_pairs(names: pa.Array, colors: pa.Array) -> tuple[list[str], list[str | None]]:
    """Each distinct (tag, colour) pair once, in the order it first appears: a portfolio
    repeats a few hundred pairs over tens of thousands of campaigns, so the colours are checked
    per pair, not per campaign (grouped by Arrow, in C++)."""
    pairs = pa.table({"name": names, "color": colors, "row": np.arange(len(names))})
    firsts = (
        pairs.group_by(["name", "color"], use_threads=False)
        .aggregate([("row", "min")])
        .sort_by("row_min")
    )
    return firsts["name"].to_pylist(), firsts["color"].to_pylist()


def explode_tags(frame: pd.DataFrame, columns: tuple[str, ...] = ()) -> pd.DataFrame:
    """One row per (campaign, tag), untagged campaigns once under :data:`smartlead.vocab.UNTAGGED`.

    Carries ``tag``, ``tag_color`` and the requested frame ``columns``. Done with Arrow's
    list kernels, so a 50,000-campaign portfolio explodes in milliseconds.
    """
    tags = list_array(frame["tags"], pa.string())
    colors = list_array(frame["tag_colors"], pa.string())
    parents = pc.list_parent_indices(tags).to_numpy()
    lengths = pc.fill_null(pc.list_value_length(tags), 0).to_numpy()
    untagged = np.flatnonzero(lengths == 0)
    rows = np.concatenate([parents, untagged])
    names = pc.list_flatten(tags).to_pylist() + [vocab.UNTAGGED] * len(untagged)
    tag_colors = pc.list_flatten(colors).to_pylist() + [None] * len(untagged)
    order = np.argsort(rows, kind="stable")
    exploded = pd.DataFrame(
        {
            "tag": pd.array(np.asarray(names, dtype=object)[order], dtype="string"),
            "tag_color": pd.array(np.asarray(tag_colors, dtype=object)[order], dtype="string"),
        }
    )
    picked = rows[order]
    for name in columns:
        exploded[name] = frame[name].iloc[picked].reset_index(drop=True)
    return exploded


def tag_mask(frame: pd.DataFrame, wanted: tuple[str, ...] | list[str]) -> np.ndarray:
    """Campaigns carrying any of the ``wanted`` tags (``UNTAGGED`` matches an empty list)."""
    result = np.zeros(len(frame), dtype=bool)
    if not len(frame):
        return result
    tags = list_array(frame["tags"], pa.string())
    named = [t for t in wanted if t != vocab.UNTAGGED]
    if named:
        hits = pc.is_in(pc.list_flatten(tags), value_set=pa.array(named, type=pa.string()))
        parents = pc.list_parent_indices(tags).to_numpy()
        result[parents[hits.to_numpy(zero_copy_only=False)]] = True
    if vocab.UNTAGGED in wanted:
        lengths = pc.fill_null(pc.list_value_length(tags), 0).to_numpy()
        result |= lengths == 0
    return result


def _between_dates(
    times: pd.Series, bounds: tuple[date | None, date | None], zone: str
) -> np.ndarray | None:
    """Rows whose date in ``zone`` falls within the inclusive bounds (missing times never
    match)."""
    start, end = bounds
    if start is None and end is None:
        return None
    within = times.notna()
    if start is not None:
        within &= times >= _day_start(start, zone)
    if end is not None:
        within &= times < _day_start(end + timedelta(days=1), zone)
    return within.to_numpy(dtype=bool)


def _day_start(day: date, zone: str) -> pd.Timestamp:
    """The first moment of ``day`` in ``zone``: its midnight, or the moment a daylight-saving
    jump skips midnight to (a datetime bound counts as its calendar date)."""
    midnight = pd.Timestamp(day.year, day.month, day.day)
    return midnight.tz_localize(zone, nonexistent="shift_forward", ambiguous=False)


def apply_filters(frame: pd.DataFrame, filters: Filters) -> pd.DataFrame:
    """The campaigns that meet every criterion, in their original order."""
    if frame.empty or filters.is_default():
        return frame
    mask = np.ones(len(frame), dtype=bool)
    if filters.statuses:
        mask &= frame["status"].isin(filters.statuses).to_numpy()
    if filters.clients:
        mask &= frame["client_name"].isin(filters.clients).to_numpy()
    if filters.tags:
        mask &= tag_mask(frame, filters.tags)
    query = filters.name_contains.strip()
    if query:
        found = frame["name"].str.contains(query, case=False, regex=False)
        mask &= found.fillna(False).to_numpy(dtype=bool)
    for column, bounds in (("created_at", filters.created), ("updated_at", filters.updated)):
        dated = _between_dates(frame[column], bounds, filters.zone)
        if dated is not None:
            mask &= dated
    low, high = filters.daily_limit
    if low is not None or high is not None:
        limits = frame["max_leads_per_day"]
        within = limits.notna()
        if low is not None:
            within &= limits >= low
        if high is not None:
            within &= limits <= high
        mask &= within.fillna(False).to_numpy(dtype=bool)
    if not filters.include_subsequences:
        mask &= frame["parent_campaign_id"].isna().to_numpy()
    return frame[mask]


def portfolio_kpis(view: pd.DataFrame, total: int) -> dict[str, Any]:
    """The Overview's headline numbers for the campaigns in view."""
    active = view["status"] == vocab.ACTIVE
    names, _ = _flat_tags(view) if len(view) else (pa.array([], pa.string()), None)
    return {
        "shown": len(view),
        "total": total,
        "active": int(active.sum()),
        "paused": int((view["status"] == vocab.PAUSED).sum()),
        "clients": int(view["client_id"].dropna().nunique()),
        "tags": len(set(names.to_pylist())),
        "active_daily_limit": int(view.loc[active, "max_leads_per_day"].sum(skipna=True)),
    }
