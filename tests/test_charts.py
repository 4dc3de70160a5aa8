"""The Altair charts: valid on any frame, fixed colours, words on the axes, selections read back."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from typing import Any

import altair as alt
import pandas as pd
import pytest

from smartlead import vocab
from smartlead.charts import (
    BAD_COLOR,
    DAY_LABELS,
    GOOD_COLOR,
    HEATMAP_MEASURES,
    HEATMAP_ROW_PX,
    STATUS_PICK,
    TAG_PICK,
    UNTAGGED_COLOR,
    WINDOW_RATE_LABELS,
    capacity_chart,
    client_limit_chart,
    daily_limit_histogram,
    distinct_tag_colors,
    is_empty,
    nice_bins,
    rates_chart,
    selected_values,
    status_chart,
    status_scale,
    tag_chart,
    timeline_chart,
    week_heatmap_chart,
)
from smartlead.colors import MIN_DISTANCE, distance
from smartlead.demo import demo_campaigns, demo_clients
from smartlead.filters import filter_options
from smartlead.frame import COLUMNS, campaigns_frame, empty_frame
from smartlead.schedule import daily_capacity, weekly_heatmap
from tests import builders


def record(campaign_id: int, **fields: Any) -> dict[str, Any]:
    """``builders.campaign`` of client 11 (Acme) unless told otherwise."""
    return builders.campaign(campaign_id, **{"client_id": 11, **fields})


def tag(name: str, color: str | None) -> dict[str, Any]:
    """A tag whose id follows from its name, so the same name is the same tag."""
    return builders.tag(sum(map(ord, name)), name, color)


SMALL = campaigns_frame(
    [
        record(1, tags=[tag("Hot", "#FF0000"), tag("EMEA", "#00AA00")], max_leads_per_day=100),
        record(2, status="PAUSED", tags=[tag("Hot", "#FF0000")]),
        record(3, status="WARMING_UP", tags=[], client_id=12),
        record(4, tags=None, client_id=12, max_leads_per_day=None),
        record(5, status="ZEBRA", tags=[tag("Uncoloured", None), tag("Hot", "#FF0000")]),
    ],
    [{"id": 11, "name": "Acme"}, {"id": 12, "name": "Northwind"}],
)
DEMO = campaigns_frame(demo_campaigns(120), demo_clients())
ALL_NA = campaigns_frame(
    [
        record(1, max_leads_per_day=None, tags=None),
        record(2, status="PAUSED", max_leads_per_day=None, tags=None),
        record(3, status=None, max_leads_per_day=None, tags=None, client_id=None),
    ]
)
FRAMES = {
    "small": SMALL,
    "demo": DEMO,
    "empty": empty_frame(),
    "empty view": DEMO.iloc[0:0],
    "all limits and tags missing": ALL_NA,
    "one campaign": DEMO.iloc[[7]],
}


def _tag_chart(frame: pd.DataFrame) -> alt.TopLevelMixin:
    return tag_chart(frame, filter_options(frame).tag_colors)


BUILDERS: dict[str, Callable[[pd.DataFrame], Any]] = {
    "status": status_chart,
    "tag": _tag_chart,
    "daily limit histogram": daily_limit_histogram,
    "client limit": client_limit_chart,
}


def walk(node: Any) -> Iterator[dict[str, Any]]:
    """Every dict in a chart specification, depth first."""
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from walk(value)


def encodings(spec: dict[str, Any]) -> list[dict[str, Any]]:
    return [node["encoding"] for node in walk(spec) if isinstance(node.get("encoding"), dict)]


def dataset_rows(spec: dict[str, Any]) -> list[dict[str, Any]]:
    return [row for rows in spec.get("datasets", {}).values() for row in rows]


# --------------------------------------------------------------------------- validity


@pytest.mark.parametrize("frame_name", FRAMES)
@pytest.mark.parametrize("builder_name", BUILDERS)
def test_every_chart_validates_on_every_frame(builder_name: str, frame_name: str) -> None:
    chart = BUILDERS[builder_name](FRAMES[frame_name])
    spec = chart.to_dict()  # Altair validates against the Vega-Lite schema here
    assert spec["$schema"].startswith("https://vega.github.io/schema/vega-lite/")
    assert encodings(spec)


AGGREGATE_COLUMNS = {
    "status",
    "tag",
    "client_name",
    "campaigns",
    "daily_limit",
    "bin_start",
    "bin_end",
    "band",
}
"""What the charts send: names of groups and their totals, never a campaign's own fields."""


def test_charts_send_only_aggregates() -> None:
    for builder in BUILDERS.values():
        for row in dataset_rows(builder(DEMO).to_dict()):
            assert "name" not in row  # campaign names (long, untrusted) stay out of the browser
            assert set(row) <= AGGREGATE_COLUMNS


def test_chart_data_holds_the_right_totals() -> None:
    statuses = {
        row["status"]: row["campaigns"] for row in dataset_rows(status_chart(SMALL).to_dict())
    }
    assert statuses == {"ACTIVE": 2, "PAUSED": 1, "WARMING_UP": 1, "ZEBRA": 1}
    # per (campaign, tag): Hot on 1, 2 and 5, EMEA on 1, untagged 3 and 4, Uncoloured on 5
    tags = {row["tag"]: row for row in dataset_rows(_tag_chart(SMALL).to_dict())}
    assert {tag: row["campaigns"] for tag, row in tags.items()} == {
        "Hot": 3,
        "EMEA": 1,
        vocab.UNTAGGED: 2,
        "Uncoloured": 1,
    }
    limit = SMALL.set_index("id")["max_leads_per_day"]
    assert tags["Hot"]["daily_limit"] == limit[1] + limit[2] + limit[5]
    assert tags[vocab.UNTAGGED]["daily_limit"] == limit[3]  # campaign 4 has no limit
    # campaigns without a limit are left out of the histogram
    bands = dataset_rows(daily_limit_histogram(SMALL).to_dict())
    assert sum(row["campaigns"] for row in bands) == 4
    # the client chart counts and sums active campaigns only
    clients = {row["client_name"]: row for row in dataset_rows(client_limit_chart(SMALL).to_dict())}
    assert sorted(clients) == ["Acme", "Northwind"]
    assert (clients["Acme"]["campaigns"], clients["Acme"]["daily_limit"]) == (1, 100)
    assert (clients["Northwind"]["campaigns"], clients["Northwind"]["daily_limit"]) == (1, 0)


def test_chart_data_holds_one_row_per_group_not_per_campaign() -> None:
    large = campaigns_frame(demo_campaigns(5_000), demo_clients())
    options = filter_options(large)
    statuses, tags = len(options.statuses), len(options.tags) + 1  # untagged too
    groups = {
        "status": statuses,
        "tag": tags,
        "daily limit histogram": 25 * statuses,  # at most 25 bands, each split by status
        "client limit": len(options.clients),
    }
    for name, builder in BUILDERS.items():
        assert len(dataset_rows(builder(large).to_dict())) <= groups[name] < 400, name


@pytest.mark.parametrize(
    ("low", "high", "expected"),
    [  # (start, stop, step) as vega-statistics' bin({extent, maxbins: 25}) answers
        (0, 0, (0, 0.05, 0.05)),
        (5, 5, (5, 5.4, 0.2)),
        (20, 25, (20, 25, 0.2)),
        (1, 1000, (0, 1000, 50)),
        (10, 995, (0, 1000, 50)),
        (0, 1_000_000_000, (0, 1_000_000_000, 50_000_000)),
        (3, 7, (3, 7, 0.2)),
        (50, 50, (50, 52, 2)),
        (0, 1, (0, 1, 0.05)),
    ],
)
def test_histogram_bands_are_the_ones_vega_would_pick(low, high, expected) -> None:
    bins = nice_bins(low, high)
    assert (bins.start, bins.stop, bins.step) == pytest.approx(expected)


def test_every_limit_falls_in_exactly_one_band_as_vega_bins_it() -> None:
    frame = campaigns_frame(
        [record(i, max_leads_per_day=limit) for i, limit in enumerate([0, 49, 50, 51, 999, 1000])]
    )
    rows = dataset_rows(daily_limit_histogram(frame).to_dict())
    per_band = {(row["bin_start"], row["bin_end"]): row["campaigns"] for row in rows}
    # bands of 50 from 0 to 1000; a value on an edge opens its band, the top one closes the last
    assert per_band == {(0, 50): 2, (50, 100): 2, (950, 1000): 2}
    assert {row["band"] for row in rows} == {"0 – 50", "50 – 100", "950 – 1000"}


# --------------------------------------------------------------------------- colours


def test_status_scale_maps_known_statuses_to_their_colours_and_appends_unknown() -> None:
    scale = status_scale(["PAUSED", "WARMING_UP", "ACTIVE", "AARDVARK"]).to_dict()
    assert scale["domain"] == [*vocab.STATUSES, "AARDVARK", "WARMING_UP"]
    colours = dict(zip(scale["domain"], scale["range"], strict=True))
    for status, colour in vocab.STATUS_COLORS.items():
        assert colours[status] == colour
    assert colours["WARMING_UP"] == colours["AARDVARK"] == vocab.OTHER_STATUS_COLOR


def test_status_scale_without_unknown_statuses_is_the_fixed_palette() -> None:
    scale = status_scale([]).to_dict()
    assert scale["domain"] == list(vocab.STATUSES)
    assert scale["range"] == [vocab.STATUS_COLORS[s] for s in vocab.STATUSES]


@pytest.mark.parametrize("builder", [status_chart, daily_limit_histogram])
def test_status_colours_are_the_same_in_every_status_chart(builder: Callable) -> None:
    spec = builder(SMALL).to_dict()
    (scale,) = [e["color"]["scale"] for e in encodings(spec) if "color" in e]
    colours = dict(zip(scale["domain"], scale["range"], strict=True))
    assert colours["ACTIVE"] == vocab.STATUS_COLORS["ACTIVE"]
    assert colours["PAUSED"] == vocab.STATUS_COLORS["PAUSED"]
    assert colours["WARMING_UP"] == colours["ZEBRA"] == vocab.OTHER_STATUS_COLOR


def test_status_chart_lists_statuses_in_the_fixed_order() -> None:
    spec = status_chart(SMALL).to_dict()
    assert spec["encoding"]["y"]["sort"] == [*vocab.STATUSES, "WARMING_UP", "ZEBRA"]


def test_tag_colours_come_from_smartlead_untagged_is_grey_and_uncoloured_get_ours() -> None:
    spec = _tag_chart(SMALL).to_dict()
    scales = [e["color"]["scale"] for e in encodings(spec) if "color" in e]
    assert scales
    for scale in scales:
        colours = dict(zip(scale["domain"], scale["range"], strict=True))
        assert colours == {
            "Hot": "#FF0000",
            "EMEA": "#00AA00",
            vocab.UNTAGGED: UNTAGGED_COLOR,
            "Uncoloured": vocab.tag_color("Uncoloured"),  # one of ours, not the untagged grey
        }
        assert colours["Uncoloured"] in vocab.TAG_PALETTE
        # the tag on most campaigns first
        assert scale["domain"][:2] == ["Hot", vocab.UNTAGGED]
        assert sorted(scale["domain"][2:]) == ["EMEA", "Uncoloured"]


def test_tag_chart_uses_the_demo_tag_colours_nudged_apart_where_they_read_alike() -> None:
    options = filter_options(DEMO)
    spec = tag_chart(DEMO, options.tag_colors).to_dict()
    scale = next(e["color"]["scale"] for e in encodings(spec) if "color" in e)
    colours = dict(zip(scale["domain"], scale["range"], strict=True))
    assert colours[vocab.UNTAGGED] == UNTAGGED_COLOR
    named = [tag for tag in scale["domain"] if tag != vocab.UNTAGGED]
    assert colours[named[0]] == options.tag_colors[named[0]], "the most used tag keeps its colour"
    kept = [tag for tag in named if colours[tag] == options.tag_colors[tag]]
    assert len(kept) >= len(named) // 2, "most tags wear SmartLead's colour"
    shown = [colours[tag] for tag in named] + [UNTAGGED_COLOR]
    assert min(distance(a, b) for a, b in itertools.combinations(shown, 2)) >= MIN_DISTANCE - 0.005
    assert distance(colours["Test"], UNTAGGED_COLOR) >= MIN_DISTANCE, "the near-grey tag moved"


def test_client_chart_wears_the_active_colour() -> None:
    spec = client_limit_chart(SMALL).to_dict()
    assert spec["mark"]["color"] == vocab.STATUS_COLORS["ACTIVE"]


# --------------------------------------------------------------------------- words


@pytest.mark.parametrize("builder_name", BUILDERS)
def test_axis_titles_are_words_and_tooltips_exist(builder_name: str) -> None:
    spec = BUILDERS[builder_name](SMALL).to_dict()
    found_axis = False
    for encoding in encodings(spec):
        for channel in ("x", "y"):
            axis = encoding.get(channel)
            if not axis or axis.get("axis", {}) is None:
                continue  # a hidden axis needs no title
            found_axis = True
            title = axis.get("title", axis.get("axis", {}).get("title"))
            assert isinstance(title, str), (channel, axis)
            assert title not in COLUMNS
            assert "_" not in title
            assert any(ch.isalpha() for ch in title)
        tooltips = encoding.get("tooltip")
        if tooltips is not None:
            assert tooltips
            for tip in tooltips:
                assert tip.get("title"), tip
                assert "_" not in tip["title"], tip
        legend = encoding.get("color", {}).get("legend")
        if legend:
            assert "_" not in legend.get("title", "")
    assert found_axis
    assert any(encoding.get("tooltip") for encoding in encodings(spec))


@pytest.mark.parametrize("builder_name", BUILDERS)
def test_every_chart_has_a_title(builder_name: str) -> None:
    spec = BUILDERS[builder_name](SMALL).to_dict()
    titles = [node["title"] for node in walk(spec) if isinstance(node.get("title"), str)]
    assert any(" " in title for title in titles)


def test_clickable_charts_carry_their_named_selections() -> None:
    status_params = [p["name"] for p in status_chart(SMALL).to_dict().get("params", [])]
    assert STATUS_PICK in status_params
    tag_spec = _tag_chart(SMALL).to_dict()
    tag_params = [p["name"] for node in walk(tag_spec) for p in node.get("params", [])]
    assert TAG_PICK in tag_params


# --------------------------------------------------------------------------- selections


@pytest.mark.parametrize(
    ("event", "expected"),
    [
        ({"selection": {STATUS_PICK: [{"status": "ACTIVE"}]}}, ["ACTIVE"]),
        (
            {"selection": {STATUS_PICK: [{"status": "ACTIVE"}, {"status": "PAUSED"}]}},
            ["ACTIVE", "PAUSED"],
        ),
        ({"selection": {STATUS_PICK: {"status": ["ACTIVE"]}}}, ["ACTIVE"]),
        (
            {"selection": {STATUS_PICK: {"status": ["ACTIVE", None, "PAUSED"]}}},
            ["ACTIVE", "PAUSED"],
        ),
        ({"selection": {STATUS_PICK: []}}, []),
        ({"selection": {STATUS_PICK: {}}}, []),
        ({"selection": {}}, []),
        ({}, []),
        (None, []),
        ("garbage", []),
        (42, []),
        ([{"status": "ACTIVE"}], []),
        ({"selection": None}, []),
        ({"selection": "status_pick"}, []),
        ({"selection": {STATUS_PICK: None}}, []),
        ({"selection": {STATUS_PICK: 5}}, []),
        ({"selection": {STATUS_PICK: 2.5}}, []),
        ({"selection": {STATUS_PICK: True}}, []),
        ({"selection": {STATUS_PICK: object()}}, []),
        ({"selection": {STATUS_PICK: "ACTIVE"}}, []),
        ({"selection": {STATUS_PICK: {"status": "ACTIVE"}}}, []),
        ({"selection": {STATUS_PICK: [None, 3, "x", {"status": None}, {"other": 1}]}}, []),
        ({"selection": {TAG_PICK: [{"tag": "Q1"}]}}, []),  # another chart's selection
    ],
)
def test_selected_values_reads_every_shape_without_raising(event: Any, expected: list[str]):
    assert selected_values(event, STATUS_PICK) == expected


def test_selected_values_of_the_tag_chart() -> None:
    event = {"selection": {TAG_PICK: [{"tag": "Q1"}, {"tag": vocab.UNTAGGED}]}}
    assert selected_values(event, TAG_PICK) == ["Q1", vocab.UNTAGGED]
    assert selected_values({"selection": {TAG_PICK: {"tag": ["Q1"]}}}, TAG_PICK) == ["Q1"]
    assert selected_values(event, STATUS_PICK) == []


def test_selected_values_reads_numbers_as_text() -> None:
    event = {"selection": {STATUS_PICK: [{"status": 3}]}}
    assert selected_values(event, STATUS_PICK) == ["3"]


# --------------------------------------------------------------------------- hostile colours


HOSTILE_COLOURS = (
    "url(http://attacker.invalid/fill.svg#a)",
    "red;background:url(http://attacker.invalid/bg.png)",
    "</style><img src=http://attacker.invalid/x.png>",
    "javascript:alert(1)",
    "red",
    "#12345",
    "#1234567",
    " #123456",
    "#12345g",
)


@pytest.mark.parametrize("colour", HOSTILE_COLOURS)
def test_a_tag_colour_that_is_not_a_plain_hex_colour_never_reaches_the_chart(colour: str) -> None:
    frame = campaigns_frame(
        [record(1, tags=[tag("Hostile", colour)]), record(2, tags=[tag("Fine", "#AbC")])]
    )
    options = filter_options(frame)
    assert options.tag_colors == {"Fine": "#AbC", "Hostile": vocab.tag_color("Hostile")}
    for colours in (options.tag_colors, {"Hostile": colour, "Fine": "#AbC"}):
        spec = tag_chart(frame, colours).to_dict()
        scales = [e["color"]["scale"] for e in encodings(spec) if "color" in e]
        for scale in scales:
            shown = dict(zip(scale["domain"], scale["range"], strict=True))
            # the hostile value is replaced by one of ours (then nudged like any colour)
            assert shown == dict(
                zip(
                    scale["domain"],
                    distinct_tag_colors(
                        scale["domain"], {"Hostile": vocab.tag_color("Hostile"), "Fine": "#AbC"}
                    ),
                    strict=True,
                )
            )
            assert colour not in shown.values()
            assert all(vocab.HEX_COLOR.fullmatch(value) for value in scale["range"])


def test_our_tag_colours_are_stable_plain_hex_and_not_the_untagged_grey() -> None:
    assert vocab.tag_color("Hostile") == vocab.tag_color("Hostile", "url(x)")
    assert vocab.tag_color("Fine", "#a1B2c3") == "#a1B2c3"
    assert vocab.tag_color("Fine", "#abc") == "#abc"
    for colour in vocab.TAG_PALETTE:
        assert vocab.HEX_COLOR.fullmatch(colour)
        assert colour != vocab.UNTAGGED_COLOR
    assert len({vocab.tag_color(f"Tag {n}") for n in range(50)}) > 1


# --------------------------------------------------------------------------- issue 16: looks

HEATMAP = weekly_heatmap(DEMO, "2026-11-30", "Europe/Berlin")


def count_axes(spec: dict[str, Any]) -> list[dict[str, Any]]:
    """The axes of every quantitative channel that counts things (not a rate)."""
    found = []
    for encoding in encodings(spec):
        for channel in ("x", "y"):
            field = encoding.get(channel)
            if isinstance(field, dict) and field.get("type") == "quantitative":
                found.append(field.get("axis") or {})
    return found


@pytest.mark.parametrize(
    "chart",
    [
        status_chart(DEMO.iloc[[7]]),
        _tag_chart(DEMO.iloc[[7]]),
        daily_limit_histogram(DEMO.iloc[[7]]),
        client_limit_chart(DEMO.iloc[[7]]),
        capacity_chart(daily_capacity(DEMO.iloc[[7]]), "client_name", "Client"),
    ],
    ids=["status", "tag", "histogram", "client limit", "capacity"],
)
def test_count_axes_tick_on_whole_numbers_only(chart: alt.TopLevelMixin) -> None:
    axes = count_axes(chart.to_dict())
    assert axes
    for axis in axes:
        assert axis.get("tickMinStep") == 1, axis
        assert axis.get("format") == ",d", axis


def test_the_heatmap_gives_every_weekday_a_named_readable_row() -> None:
    spec = week_heatmap_chart(HEATMAP, "Campaigns sending", "Europe/Berlin").to_dict()
    y = spec["encoding"]["y"]
    assert y["scale"]["domain"] == list(vocab.WEEKDAYS)
    assert y["axis"]["labelOverlap"] is False, "no weekday name is hidden"
    assert spec["height"] == {"step": HEATMAP_ROW_PX}
    assert HEATMAP_ROW_PX >= 24
    assert spec["encoding"]["x"]["axis"]["labelAngle"] == 0, "hours read level"


@pytest.mark.parametrize("measure", list(HEATMAP_MEASURES))
def test_the_heatmap_colour_scale_starts_at_zero(measure: str) -> None:
    scale = week_heatmap_chart(HEATMAP, measure, "UTC").to_dict()["encoding"]["color"]["scale"]
    assert scale["domainMin"] == 0
    assert scale["scheme"]["extent"][0] == 0, "zero is the palest colour of the scheme"


def timeline() -> pd.DataFrame:
    taken = pd.to_datetime(["2026-11-01 23:30", "2026-11-08 23:30"], utc=True)
    rows = [
        (when, status, count, 300)
        for when in taken
        for status, count in ((vocab.ACTIVE, 3), (vocab.PAUSED, 1), (vocab.COMPLETED, 2))
    ]
    return pd.DataFrame(rows, columns=["taken_at", "status", "campaigns", "active_daily_limit"])


def test_the_timeline_line_is_one_colour_with_no_status_legend_and_one_date_format() -> None:
    spec = timeline_chart(timeline(), "Asia/Tokyo").to_dict()
    by_status, limit = spec["vconcat"]
    assert spec["resolve"]["scale"]["color"] == "independent", "the line has no status legend"
    assert "color" not in limit["encoding"]
    mark = limit["mark"]
    assert mark["point"]["color"] == mark["color"] == vocab.status_color(vocab.ACTIVE)
    for part in (by_status, limit):
        assert part["encoding"]["x"]["axis"]["format"] == DAY_LABELS
        assert part["encoding"]["x"]["title"] == "Snapshot taken (Asia/Tokyo)"
    points = [row for row in dataset_rows(spec) if "active_daily_limit" in row]
    assert len([row for row in points if "status" not in row]) == 2, "one point per snapshot"
    assert any(str(row["taken_at"]).startswith("2026-11-02T08:30") for row in points), "in Tokyo"


def test_a_chart_with_no_row_is_empty_and_one_with_rows_is_not() -> None:
    assert is_empty(client_limit_chart(DEMO[DEMO["status"] == vocab.PAUSED]))
    assert is_empty(_tag_chart(DEMO.iloc[0:0]))
    assert not is_empty(_tag_chart(DEMO))
    assert not is_empty(timeline_chart(timeline()))


def test_capacity_by_tag_wears_the_tags_colours_nudged_apart() -> None:
    options = filter_options(DEMO)
    capacity = daily_capacity(DEMO, by="tags")
    scale = capacity_chart(capacity, "tags", "Tag", tag_colors=options.tag_colors).to_dict()
    shown = scale["encoding"]["color"]["scale"]
    assert shown["range"] == distinct_tag_colors(shown["domain"], options.tag_colors)
    assert min(distance(a, b) for a, b in itertools.combinations(shown["range"], 2)) >= (
        MIN_DISTANCE - 0.005
    )


# --------------------------------------------------------------------------- rates at a glance


def _window_rates(rows: int) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "client_name": ["Acme", "Globex"][:rows],
            "window_sent": [400, 900][:rows],
            "window_reply_rate": [0.04, 0.01][:rows],
            "window_bounce_rate": [0.01, 0.06][:rows],
        }
    )


def test_rates_chart_colours_replies_good_and_bounces_bad_and_draws_the_named_limit() -> None:
    layered = rates_chart(
        _window_rates(2),
        "client_name",
        "Client",
        labels=WINDOW_RATE_LABELS,
        weight="window_sent",
        bounce_limit=0.03,
    ).to_dict()
    bars, rule, name = layered["layer"]
    assert bars["encoding"]["color"]["scale"]["range"] == [GOOD_COLOR, BAD_COLOR]
    assert rule["mark"]["color"] == BAD_COLOR
    assert rule["mark"]["strokeDash"]
    values = layered["datasets"][rule["data"]["name"]]
    assert values == [{"limit": 0.03, "label": "Bounce limit 3% (Health)"}]
    assert name["encoding"]["text"]["field"] == "label"


def test_rates_chart_with_no_rows_stays_empty_with_a_limit() -> None:
    chart = rates_chart(
        _window_rates(0),
        "client_name",
        "Client",
        labels=WINDOW_RATE_LABELS,
        weight="window_sent",
        bounce_limit=0.03,
    )
    assert is_empty(chart), "the page says why in words, not a lone threshold line"
