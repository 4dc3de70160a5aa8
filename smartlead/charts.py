"""Altair charts of a campaign frame, for people who are not engineers.

Each builder takes the filtered frame and counts, sums and bins it here, in pandas, so the
browser gets the aggregates (one row per status, tag, client or band), never one row per
campaign: a chart of 20,000 campaigns weighs what a chart of 100 does.
Statuses always wear the same colours (``smartlead.vocab.STATUS_COLORS``) and tags wear the
colours chosen in SmartLead when those are plain hex colours (``smartlead.vocab.tag_color``).
Every chart has axis titles in words and a tooltip.

Charts that can narrow the view carry a point selection named in :data:`SELECTIONS`; the
dashboard reads it back from Streamlit's selection event.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import altair as alt
import numpy as np
import pandas as pd

from smartlead import vocab
from smartlead.colors import distinguishable
from smartlead.filters import explode_tags

STATUS_PICK = "status_pick"
TAG_PICK = "tag_pick"
SELECTIONS: dict[str, str] = {STATUS_PICK: "status", TAG_PICK: "tag"}
"""Selection parameter name → the field a click on the chart selects."""

UNTAGGED_COLOR = vocab.UNTAGGED_COLOR


def count_axis(title: str) -> alt.Axis:
    """An axis of whole things (campaigns, emails): ticks on whole numbers only, never 0.5."""
    return alt.Axis(title=title, tickMinStep=1, format=",d")


def is_empty(chart: alt.TopLevelMixin) -> bool:
    """Whether a chart has no row to draw in any of its parts, so the page can say why in
    words instead of showing bare axes."""
    frames: list[pd.DataFrame] = []

    def collect(part: object) -> None:
        data = getattr(part, "data", None)
        if isinstance(data, pd.DataFrame):
            frames.append(data)
        for attribute in ("hconcat", "vconcat", "concat", "layer"):
            for child in getattr(part, attribute, None) or ():
                collect(child)

    collect(chart)
    return bool(frames) and all(frame.empty for frame in frames)


def distinct_tag_colors(tags: list[str], tag_colors: dict[str, str]) -> list[str]:
    """The colour of each tag in a chart: SmartLead's when it is a plain hex colour (else one
    of ours), nudged apart where two read alike or one reads as the "(untagged)" grey
    (:func:`smartlead.colors.distinguishable`); "(untagged)" itself is always that grey."""
    named = [tag for tag in tags if tag != vocab.UNTAGGED]
    chosen = distinguishable(
        [vocab.tag_color(tag, tag_colors.get(tag)) for tag in named], avoid=[UNTAGGED_COLOR]
    )
    colors = dict(zip(named, chosen, strict=True))
    return [UNTAGGED_COLOR if tag == vocab.UNTAGGED else colors[tag] for tag in tags]


def status_scale(statuses: list[str]) -> alt.Scale:
    """The fixed status → colour mapping, extended with any unknown statuses present."""
    domain = vocab.status_order(statuses)
    return alt.Scale(domain=domain, range=[vocab.status_color(s) for s in domain])


def _statuses(frame: pd.DataFrame) -> list[str]:
    return [str(s) for s in frame["status"].dropna().unique()]


def status_counts(frame: pd.DataFrame) -> pd.DataFrame:
    """Campaigns per status (``status``, ``campaigns``), in the fixed status order."""
    counts = frame["status"].astype("string").value_counts(dropna=True)
    order = vocab.status_order([str(s) for s in counts.index])
    return pd.DataFrame(
        {
            "status": pd.array([s for s in order if s in counts.index], dtype="string"),
            "campaigns": np.asarray([counts[s] for s in order if s in counts.index], np.int64),
        }
    )


def status_chart(frame: pd.DataFrame) -> alt.Chart:
    """Campaigns per status, one bar each, clickable to narrow the view to that status.

    Counted here, so the browser gets one row per status, not one per campaign."""
    data = status_counts(frame)
    statuses = data["status"].tolist()
    pick = alt.selection_point(name=STATUS_PICK, fields=["status"], on="click", clear="dblclick")
    return (
        alt.Chart(data, title="Campaigns by status")
        .mark_bar()
        .encode(
            x=alt.X("campaigns:Q", axis=count_axis("Campaigns")),
            y=alt.Y(
                "status:N",
                title="Status",
                sort=vocab.status_order(statuses),
                axis=alt.Axis(labelLimit=200),
            ),
            color=alt.Color("status:N", scale=status_scale(statuses), legend=None),
            opacity=alt.condition(pick, alt.value(1.0), alt.value(0.45)),
            tooltip=[
                alt.Tooltip("status:N", title="Status"),
                alt.Tooltip("campaigns:Q", title="Campaigns"),
            ],
        )
        .add_params(pick)
    )


def tag_totals(frame: pd.DataFrame) -> pd.DataFrame:
    """Per tag (untagged counted once per campaign): ``tag``, ``campaigns`` and their summed
    ``daily_limit``, the tag on most campaigns first (ties by name)."""
    exploded = explode_tags(frame, ("max_leads_per_day",))
    limits = exploded["max_leads_per_day"].astype("Float64")
    grouped = (
        pd.DataFrame({"tag": exploded["tag"], "limit": limits})
        .groupby("tag", observed=True, sort=True)
        .agg(campaigns=("tag", "size"), daily_limit=("limit", "sum"))
    )
    grouped = grouped.sort_values("campaigns", ascending=False, kind="stable")
    return pd.DataFrame(
        {
            "tag": pd.array(grouped.index.tolist(), dtype="string"),
            "campaigns": grouped["campaigns"].to_numpy(np.int64),
            "daily_limit": grouped["daily_limit"].astype("float64").to_numpy(),
        }
    )


def tag_chart(frame: pd.DataFrame, tag_colors: dict[str, str]) -> alt.HConcatChart:
    """Campaigns and summed daily limit per tag (untagged counted), in SmartLead's colours.

    Only plain hex colours are taken from ``tag_colors`` (:func:`smartlead.vocab.tag_color`):
    a colour goes into the SVG as it is, so anything else gets one of our own. Colours that
    read alike are nudged apart (:func:`distinct_tag_colors`), the most used tags first.
    Summed here: the browser gets one row per tag.
    """
    data = tag_totals(frame)
    domain = data["tag"].tolist()
    colors = distinct_tag_colors(domain, tag_colors)
    pick = alt.selection_point(name=TAG_PICK, fields=["tag"], on="click", clear="dblclick")
    base = alt.Chart(data).encode(
        y=alt.Y("tag:N", title="Tag", sort=domain),
        color=alt.Color("tag:N", scale=alt.Scale(domain=domain, range=colors), legend=None),
        opacity=alt.condition(pick, alt.value(1.0), alt.value(0.45)),
    )
    tooltip = [
        alt.Tooltip("tag:N", title="Tag"),
        alt.Tooltip("campaigns:Q", title="Campaigns"),
        alt.Tooltip("daily_limit:Q", title="Daily limit (sum)", format=","),
    ]
    campaigns = (
        base.mark_bar()
        .encode(x=alt.X("campaigns:Q", axis=count_axis("Campaigns")), tooltip=tooltip)
        .properties(title="Campaigns per tag")
        .add_params(pick)
    )
    limits = (
        base.mark_bar()
        .encode(
            x=alt.X("daily_limit:Q", axis=count_axis("Daily send limit (leads/day, summed)")),
            tooltip=tooltip,
        )
        .properties(title="Daily limit per tag")
    )
    return alt.hconcat(campaigns, limits.encode(y=alt.Y("tag:N", sort=domain, axis=None)))


HISTOGRAM_MAX_BINS = 25
"""The most bands the daily-limit histogram has (Vega-Lite's ``maxbins``)."""

_BIN_EPSILON = 1e-14
"""What Vega adds before flooring a value's band, so a value on a band's edge opens it."""


@dataclass(frozen=True)
class Bins:
    """Equal bands covering a range: ``start``, ``stop`` and the width ``step``."""

    start: float
    stop: float
    step: float

    @property
    def decimals(self) -> int:
        """Decimals the band edges need (0 for steps of 1 or more)."""
        exponent = math.log10(self.step)
        return 0 if exponent >= 0 else int(-exponent) + 1


def nice_bins(low: float, high: float, max_bins: int = HISTOGRAM_MAX_BINS) -> Bins:
    """The bands Vega's ``bin`` transform picks for values from ``low`` to ``high``.

    The same steps (a power of ten, divided by 5 or 2 while at most ``max_bins`` bands
    cover the range) and the same nice start and stop as vega-statistics' ``bin``, so the
    histogram binned here looks as it did when the browser binned every campaign.
    """
    span = (high - low) or abs(low) or 1.0
    level = math.ceil(math.log10(max_bins))
    step = max(0.0, 10.0 ** (_js_round(math.log10(span)) - level))
    while math.ceil(span / step) > max_bins:
        step *= 10
    for divisor in (5, 2):
        smaller = step / divisor
        if span / smaller <= max_bins:
            step = smaller
    exponent = math.log(step)
    precision = 0 if exponent >= 0 else int(-exponent / math.log(10)) + 1
    eps = 10.0 ** (-precision - 1)
    floor = math.floor(low / step + eps) * step
    start = floor - step if low < floor else floor
    stop = math.ceil(high / step) * step
    if stop == start:
        stop = start + step
    stop = start + math.ceil((stop - start) / step) * step
    return Bins(start, stop, step)


def _js_round(value: float) -> int:
    """JavaScript's ``Math.round``: halves round up (Python's ``round`` rounds them to even)."""
    return math.floor(value + 0.5)


def daily_limit_bins(frame: pd.DataFrame) -> tuple[pd.DataFrame, Bins]:
    """Campaigns per daily-limit band and status, binned here as Vega would bin them:
    ``bin_start``, ``bin_end``, ``band`` (the band in words), ``status``, ``campaigns``.
    Campaigns without a limit are left out."""
    limits = frame["max_leads_per_day"].astype("Float64")
    present = limits.notna().to_numpy(dtype=bool)
    values = limits.to_numpy(dtype="float64", na_value=np.nan)[present]
    statuses = frame["status"].astype("string").to_numpy(dtype=object)[present]
    if not len(values):
        bins = Bins(0.0, 1.0, 1.0)
        empty = pd.DataFrame(
            {
                "bin_start": pd.Series(dtype="float64"),
                "bin_end": pd.Series(dtype="float64"),
                "band": pd.Series(dtype="string"),
                "status": pd.Series(dtype="string"),
                "campaigns": pd.Series(dtype="int64"),
            }
        )
        return empty, bins
    bins = nice_bins(float(values.min()), float(values.max()))
    clamped = np.clip(values, bins.start, bins.stop - bins.step)
    band = np.floor(_BIN_EPSILON + (clamped - bins.start) / bins.step).astype(np.int64)
    counted = (
        pd.DataFrame({"band": band, "status": statuses})
        .groupby(["band", "status"], sort=True, dropna=False)
        .size()
        .reset_index(name="campaigns")
    )
    starts = bins.start + counted["band"].to_numpy(np.int64) * bins.step
    ends = starts + bins.step
    decimals = bins.decimals
    return (
        pd.DataFrame(
            {
                "bin_start": starts,
                "bin_end": ends,
                "band": pd.array(
                    [
                        f"{a:.{decimals}f} – {b:.{decimals}f}"
                        for a, b in zip(starts, ends, strict=True)
                    ],
                    dtype="string",
                ),
                "status": pd.array(counted["status"], dtype="string"),
                "campaigns": counted["campaigns"].to_numpy(np.int64),
            }
        ),
        bins,
    )


def daily_limit_histogram(frame: pd.DataFrame) -> alt.Chart:
    """How daily limits are spread: campaigns per limit band, stacked by status.

    Binned and counted here (Altair's own ``bin`` would run in the browser over every
    campaign): the browser gets one row per band and status."""
    data, bins = daily_limit_bins(frame)
    statuses = _statuses(frame)
    return (
        alt.Chart(data, title="Distribution of daily send limits")
        .mark_bar()
        .encode(
            x=alt.X(
                "bin_start:Q",
                bin=alt.Bin(binned=True, step=bins.step),
                axis=count_axis("Daily send limit (new leads per day)"),
            ),
            x2=alt.X2("bin_end:Q"),
            y=alt.Y("campaigns:Q", axis=count_axis("Campaigns"), stack="zero"),
            color=alt.Color(
                "status:N",
                scale=status_scale(statuses),
                legend=alt.Legend(title="Status", orient="bottom"),
            ),
            tooltip=[
                alt.Tooltip("band:N", title="Daily limit"),
                alt.Tooltip("status:N", title="Status"),
                alt.Tooltip("campaigns:Q", title="Campaigns"),
            ],
        )
    )


def client_limit_totals(frame: pd.DataFrame) -> pd.DataFrame:
    """Per client, its active campaigns (``campaigns``) and their summed ``daily_limit``."""
    active = frame[(frame["status"] == vocab.ACTIVE).fillna(False).to_numpy(dtype=bool)]
    grouped = (
        pd.DataFrame(
            {
                "client_name": active["client_name"].astype("string"),
                "limit": active["max_leads_per_day"].astype("Float64"),
            }
        )
        .groupby("client_name", sort=True, dropna=False)
        .agg(campaigns=("limit", "size"), daily_limit=("limit", "sum"))
    )
    return pd.DataFrame(
        {
            "client_name": pd.array(grouped.index.tolist(), dtype="string"),
            "campaigns": grouped["campaigns"].to_numpy(np.int64),
            "daily_limit": grouped["daily_limit"].astype("float64").to_numpy(),
        }
    )


def client_limit_chart(frame: pd.DataFrame) -> alt.Chart:
    """Summed daily limit of the active campaigns of each client, largest first (summed
    here: one row per client)."""
    data = client_limit_totals(frame)
    return (
        alt.Chart(data, title="Daily send limit of active campaigns, per client")
        .mark_bar(color=vocab.status_color(vocab.ACTIVE))
        .encode(
            x=alt.X("daily_limit:Q", axis=count_axis("Daily send limit (leads/day, summed)")),
            y=alt.Y("client_name:N", title="Client", sort="-x"),
            tooltip=[
                alt.Tooltip("client_name:N", title="Client"),
                alt.Tooltip("campaigns:Q", title="Active campaigns"),
                alt.Tooltip("daily_limit:Q", title="Daily limit (sum)", format=","),
            ],
        )
    )


def selected_values(event: object, selection: str) -> list[str]:
    """The values a click selected in a chart, from Streamlit's selection event (or [])."""
    field = SELECTIONS[selection]
    try:
        points = event["selection"][selection]  # type: ignore[index]
    except (KeyError, TypeError):
        return []
    if isinstance(points, dict):
        points = points.get(field, [])
        if not isinstance(points, (list, tuple)):
            return []
        return [str(p) for p in points if p is not None]
    if not isinstance(points, (list, tuple)):
        return []
    values = []
    for point in points:
        if isinstance(point, dict) and point.get(field) is not None:
            values.append(str(point[field]))
    return values


HEATMAP_MEASURES: dict[str, tuple[str, str]] = {
    "Campaigns sending": ("campaigns", "Campaigns sending"),
    "Daily limit in play": ("daily_limit", "Daily limit of campaigns sending (leads/day)"),
}
"""What the week heatmap can colour by: label → (heatmap column, legend title)."""


HEATMAP_ROW_PX = 30
"""Height of one weekday's row in the week heatmap: room for its name at every width."""


def week_heatmap_chart(heatmap: pd.DataFrame, measure: str, viewer_tz: str) -> alt.Chart:
    """A 7 × 24 grid of the week in the viewer's timezone, coloured by ``measure``.

    Each weekday is a row of its own, named; hours read level. The colour scale starts at
    zero, so an hour with a few campaigns is visibly not an hour with none.
    """
    column, legend = HEATMAP_MEASURES[measure]
    data = heatmap[["weekday_name", "hour", "campaigns", "daily_limit", "busiest"]]
    return (
        alt.Chart(data, title=f"When the portfolio sends (hours in {viewer_tz})")
        .mark_rect(stroke="white", strokeWidth=1)
        .encode(
            x=alt.X(
                "hour:O",
                title=f"Hour of the day ({viewer_tz})",
                axis=alt.Axis(labelAngle=0, labelOverlap=False),
            ),
            y=alt.Y(
                "weekday_name:N",
                title=None,
                sort=list(vocab.WEEKDAYS),
                scale=alt.Scale(domain=list(vocab.WEEKDAYS)),
                axis=alt.Axis(labelOverlap=False, labelFontSize=12, labelPadding=6),
            ),
            color=alt.Color(
                f"{column}:Q",
                title=legend,
                # the whole scheme from its palest (white) end: 0 is blank, a few is not
                scale=alt.Scale(scheme={"name": "greens", "extent": [0, 1]}, domainMin=0),
                legend=alt.Legend(orient="bottom", gradientLength=320, format=",d"),
            ),
            tooltip=[
                alt.Tooltip("weekday_name:N", title="Day"),
                alt.Tooltip("hour:O", title="Hour"),
                alt.Tooltip("campaigns:Q", title="Campaigns sending"),
                alt.Tooltip("daily_limit:Q", title="Their daily limit (sum)", format=","),
                alt.Tooltip("busiest:N", title="Largest"),
            ],
        )
        .properties(height=alt.Step(HEATMAP_ROW_PX))
    )


def capacity_chart(
    capacity: pd.DataFrame,
    group: str,
    group_title: str,
    *,
    tag_colors: dict[str, str] | None = None,
) -> alt.Chart:
    """Daily send limit per weekday, stacked by client or tag (by tag: in the tags' colours
    when ``tag_colors`` is given, nudged apart like every chart by tag)."""
    data = capacity[["weekday", "weekday_name", group, "daily_limit", "campaigns"]]
    data = data[data["daily_limit"] > 0]
    order = list(vocab.WEEKDAYS)
    scale = alt.Undefined
    if tag_colors is not None:
        groups = sorted({str(g) for g in data[group].dropna()})
        scale = alt.Scale(domain=groups, range=distinct_tag_colors(groups, tag_colors))
    return (
        alt.Chart(data, title=f"Daily send limit per weekday, by {group_title.lower()}")
        .mark_bar()
        .encode(
            x=alt.X(
                "weekday_name:N",
                title="Day (in each campaign's own timezone)",
                sort=order,
                axis=alt.Axis(labelAngle=0),
            ),
            y=alt.Y("sum(daily_limit):Q", axis=count_axis("Daily send limit (leads/day, summed)")),
            color=alt.Color(
                f"{group}:N",
                title=group_title,
                scale=scale,
                legend=alt.Legend(orient="bottom", columns=4, labelLimit=220),
            ),
            tooltip=[
                alt.Tooltip("weekday_name:N", title="Day"),
                alt.Tooltip(f"{group}:N", title=group_title),
                alt.Tooltip("sum(daily_limit):Q", title="Daily limit (sum)", format=","),
                alt.Tooltip("sum(campaigns):Q", title="Campaigns"),
            ],
        )
    )


DAY_LABELS = "%d %b"
"""Every date axis labels its ticks one way ('03 Nov'), never a mix of weekdays and months."""


def timeline_chart(timeline: pd.DataFrame, timezone: str = "UTC") -> alt.VConcatChart:
    """The portfolio over time: campaigns by status (stacked areas, with their legend), and
    the active campaigns' daily limit (one line, its points in the line's colour), each
    snapshot's time in ``timezone`` (the viewer's)."""
    data = timeline[["taken_at", "status", "campaigns", "active_daily_limit"]].copy()
    data["status"] = data["status"].astype("string")
    data["taken_at"] = data["taken_at"].dt.tz_convert(timezone).dt.tz_localize(None)
    statuses = [str(s) for s in data["status"].dropna().unique()]
    when = alt.X(
        "taken_at:T",
        title=f"Snapshot taken ({timezone})",
        axis=alt.Axis(format=DAY_LABELS, labelAngle=0, labelOverlap=True),
    )
    snapshot = alt.Tooltip("taken_at:T", title="Snapshot", format="%Y-%m-%d %H:%M")
    by_status = (
        alt.Chart(data, title="Campaigns by status, per snapshot")
        .mark_area()
        .encode(
            x=when,
            y=alt.Y("campaigns:Q", axis=count_axis("Campaigns"), stack=True),
            color=alt.Color(
                "status:N",
                scale=status_scale(statuses),
                legend=alt.Legend(title="Status", orient="right"),
            ),
            tooltip=[
                snapshot,
                alt.Tooltip("status:N", title="Status"),
                alt.Tooltip("campaigns:Q", title="Campaigns"),
            ],
        )
    )
    active = vocab.status_color(vocab.ACTIVE)
    per_snapshot = data.groupby("taken_at", as_index=False)["active_daily_limit"].max()
    limit = (
        alt.Chart(per_snapshot, title="Daily send limit of active campaigns, per snapshot")
        .mark_line(color=active, point=alt.OverlayMarkDef(color=active, filled=True, size=50))
        .encode(
            x=when,
            y=alt.Y("active_daily_limit:Q", axis=count_axis("Daily send limit (leads/day)")),
            tooltip=[
                snapshot,
                alt.Tooltip("active_daily_limit:Q", title="Active daily limit", format=","),
            ],
        )
    )
    return alt.vconcat(by_status, limit).resolve_scale(color="independent")


RATE_LABELS: dict[str, str] = {"reply_rate": "Reply rate", "bounce_rate": "Bounce rate"}
"""The rates the Overview compares per client and per tag, with their labels."""

GOOD_COLOR = "#2e7d32"
"""Green: what is better when it is higher (replies)."""
BAD_COLOR = "#c62828"
"""Red: what is worse when it is higher (bounces)."""

RATE_COLORS = {"Reply rate": GOOD_COLOR, "Bounce rate": BAD_COLOR}


WINDOW_RATE_LABELS: dict[str, str] = {
    "window_reply_rate": "Reply rate",
    "window_bounce_rate": "Bounce rate",
}
"""The window rates the Overview compares per client and per tag, with their labels."""


def rates_chart(
    rates: pd.DataFrame,
    group: str,
    group_title: str,
    *,
    labels: dict[str, str] = RATE_LABELS,
    weight: str = "unique_sent_count",
    weight_title: str = "Leads contacted",
    share_of: str = "leads contacted",
    bounce_limit: float | None = None,
) -> alt.Chart | alt.LayerChart:
    """Reply and bounce rate per client or tag, weighted by ``weight`` (leads contacted for
    the all-time rates; emails sent for the window's, with ``labels=WINDOW_RATE_LABELS``).

    Replies in green (good), bounces in red (bad); ``bounce_limit`` (the Health audit's
    threshold) is drawn as a dashed red line across the chart, named, so a bar past it reads
    as a problem at a glance."""
    data = rates[[group, weight, *labels]].copy()
    data = data.rename(columns=labels | {weight: "weight"})
    data[group] = data[group].astype("string")
    for label in labels.values():
        data[label] = data[label].astype("Float64")
    data["weight"] = data["weight"].astype("Float64")
    order = data[group].tolist()
    title = f"Reply and bounce rate per {group_title.lower()}"
    bars = (
        alt.Chart(data, title=title)
        .transform_fold(list(labels.values()), as_=["rate", "value"])
        .mark_bar()
        .encode(
            y=alt.Y(f"{group}:N", title=group_title, sort=order),
            yOffset=alt.YOffset("rate:N"),
            x=alt.X("value:Q", title=f"Share of {share_of}", axis=alt.Axis(format="%")),
            color=alt.Color(
                "rate:N",
                title=None,
                scale=alt.Scale(domain=list(RATE_COLORS), range=list(RATE_COLORS.values())),
                legend=alt.Legend(orient="bottom"),
            ),
            tooltip=[
                alt.Tooltip(f"{group}:N", title=group_title),
                alt.Tooltip("rate:N", title="Rate"),
                alt.Tooltip("value:Q", title="Value", format=".1%"),
                alt.Tooltip("weight:Q", title=weight_title, format=","),
            ],
        )
    )
    if bounce_limit is None or data.empty:  # no bars: the page says why, with no lone line
        return bars
    limit = pd.DataFrame(
        {"limit": [bounce_limit], "label": [f"Bounce limit {bounce_limit:.0%} (Health)"]}
    )
    rule = (
        alt.Chart(limit)
        .mark_rule(color=BAD_COLOR, strokeDash=[6, 4], strokeWidth=2)
        .encode(
            x="limit:Q",
            tooltip=[alt.Tooltip("label:N", title="Threshold")],
        )
    )
    name = (
        alt.Chart(limit)
        .mark_text(color=BAD_COLOR, align="left", baseline="top", dx=4, dy=2, y=0)
        .encode(x="limit:Q", text="label:N")
    )
    return alt.layer(bars, rule, name, title=title)


CAPACITY_MEASURES: dict[str, str] = {
    "capacity": "Daily capacity (mailbox caps)",
    "planned": "Planned demand (active campaigns)",
}
"""The two bars of :func:`capacity_demand_chart`, with their legend labels."""


def capacity_demand_chart(summary: pd.DataFrame, group: str = "client_name") -> alt.Chart:
    """Per client (or domain): the caps of its mailboxes against what its active campaigns
    plan to send a day, side by side. ``summary`` is :func:`smartlead.ledger.group_summary`'s
    table (already aggregated, so the browser gets one row per group and measure)."""
    measures = [m for m in CAPACITY_MEASURES if m in summary.columns]
    data = summary[[group, *measures]].melt(id_vars=group, var_name="measure", value_name="value")
    data[group] = data[group].astype("string")
    data["measure"] = data["measure"].map(CAPACITY_MEASURES)
    data["value"] = pd.to_numeric(data["value"], errors="coerce").astype("Float64").fillna(0.0)
    order = summary[group].astype("string").tolist()
    labels = [CAPACITY_MEASURES[m] for m in measures]
    return (
        alt.Chart(data, title="Daily capacity against planned demand, per client")
        .mark_bar()
        .encode(
            x=alt.X("value:Q", title="Emails a day"),
            y=alt.Y(f"{group}:N", title="Client", sort=order),
            yOffset=alt.YOffset("measure:N", sort=labels),
            color=alt.Color(
                "measure:N",
                title=None,
                scale=alt.Scale(domain=labels, range=["#1565c0", "#f9a825"]),
                legend=alt.Legend(orient="top", labelLimit=320),
            ),
            tooltip=[
                alt.Tooltip(f"{group}:N", title="Client"),
                alt.Tooltip("measure:N", title="Measure"),
                alt.Tooltip("value:Q", title="Emails a day", format=",.0f"),
            ],
        )
    )


TREND_COLORS = {"Replies": GOOD_COLOR, "Bounces": BAD_COLOR}


def window_trend_chart(daily: pd.DataFrame, timezone: str) -> alt.VConcatChart:
    """The window day by day: emails sent (bars), and replies and bounces (lines).

    ``daily`` has one row per day (``date``, ``sent``, ``replied``, ``bounced``), so the
    chart carries at most a year of rows whatever the portfolio's size.
    """
    data = pd.DataFrame(
        {
            "date": daily["date"],
            "day_name": daily["day_name"].astype("string"),
            "sent": daily["sent"].astype("Float64"),
            "Replies": daily["replied"].astype("Float64"),
            "Bounces": daily["bounced"].astype("Float64"),
        }
    )
    day_axis = alt.X(
        "yearmonthdate(date):T",
        title=f"Day ({timezone})",
        axis=alt.Axis(format=DAY_LABELS, labelAngle=0),
    )
    sent = (
        alt.Chart(data, title="Emails sent per day", height=180)
        .mark_bar(color=vocab.status_color(vocab.ACTIVE))
        .encode(
            x=day_axis,
            y=alt.Y("sent:Q", axis=count_axis("Emails sent")),
            tooltip=[
                alt.Tooltip("yearmonthdate(date):T", title="Day"),
                alt.Tooltip("day_name:N", title="Weekday"),
                alt.Tooltip("sent:Q", title="Emails sent", format=","),
            ],
        )
    )
    answers = (
        alt.Chart(data, title="Replies and bounces per day", height=180)
        .transform_fold(list(TREND_COLORS), as_=["what", "count"])
        .mark_line(point=True)
        .encode(
            x=day_axis,
            y=alt.Y("count:Q", axis=count_axis("Per day")),
            color=alt.Color(
                "what:N",
                title=None,
                scale=alt.Scale(domain=list(TREND_COLORS), range=list(TREND_COLORS.values())),
                legend=alt.Legend(orient="bottom"),
            ),
            tooltip=[
                alt.Tooltip("yearmonthdate(date):T", title="Day"),
                alt.Tooltip("what:N", title="What"),
                alt.Tooltip("count:Q", title="Count", format=","),
            ],
        )
    )
    return alt.vconcat(sent, answers)


SCORE_TREND_TITLE = "Settings score per snapshot, and now"

DAY_MS = 86_400_000
"""A day on a time axis (Vega counts time in milliseconds)."""


def score_trend_chart(points: pd.DataFrame, timezone: str = "UTC") -> alt.Chart:
    """The settings health score over time (:func:`smartlead.history.score_trend`'s points):
    one line with a point per snapshot and the current view last, on a 0–100 scale, each
    point's time in ``timezone`` (the viewer's)."""
    data = points[["taken_at", "score", "point"]].copy()
    data["taken_at"] = data["taken_at"].dt.tz_convert(timezone).dt.tz_localize(None)
    data["score"] = data["score"].astype("float64")
    line_color = vocab.status_color(vocab.ACTIVE)
    return (
        alt.Chart(data, title=SCORE_TREND_TITLE)
        .mark_line(
            color=line_color, point=alt.OverlayMarkDef(color=line_color, filled=True, size=60)
        )
        .encode(
            x=alt.X(
                "taken_at:T",
                title=f"Taken ({timezone})",
                # a day apart at least: every tick a day of its own, never "28 Nov" twice
                axis=alt.Axis(
                    format=DAY_LABELS, labelAngle=0, labelOverlap=True, tickMinStep=DAY_MS
                ),
            ),
            y=alt.Y(
                "score:Q",
                title="Settings score",
                scale=alt.Scale(domain=[0, 100]),
                axis=alt.Axis(values=[0, 25, 50, 75, 100]),
            ),
            tooltip=[
                alt.Tooltip("point:N", title="Point"),
                alt.Tooltip("taken_at:T", title="Taken", format="%Y-%m-%d %H:%M"),
                alt.Tooltip("score:Q", title="Score", format=".1f"),
            ],
        )
    )
