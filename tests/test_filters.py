"""The dashboard's filters: each criterion alone and combined, options, tag explosion, KPIs."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from smartlead import vocab
from smartlead.demo import demo_campaigns, demo_clients
from smartlead.filters import (
    Filters,
    apply_filters,
    explode_tags,
    filter_options,
    portfolio_kpis,
    tag_mask,
)
from smartlead.frame import campaigns_frame, empty_frame
from tests import builders

CLIENTS = [
    {"id": 11, "name": "Acme"},
    {"id": 12, "name": "northwind"},
    {"id": 13, "name": "Zeta"},
]


MARCH_2025_ACME: dict[str, Any] = {
    "client_id": 11,
    "created_at": "2025-03-01T12:00:00.000Z",
    "updated_at": "2025-03-05T12:00:00.000Z",
}
"""What these campaigns share unless told otherwise: client Acme, dates in March 2025."""


def campaign(campaign_id: int | None, **fields: Any) -> dict[str, Any]:
    """``builders.campaign`` of Acme dated March 2025; ``tags`` given as (name, colour) pairs."""
    tags = fields.pop("tags", [])
    if tags is not None:
        tags = [builders.tag(index, name, color) for index, (name, color) in enumerate(tags, 1)]
    return builders.campaign(campaign_id, **{**MARCH_2025_ACME, **fields, "tags": tags})


RECORDS = [
    campaign(
        1,
        name="Alpha Launch",
        created_at="2025-03-01T00:00:00.000Z",
        updated_at="2025-03-04T23:59:59.000Z",
        tags=[("Q1", "#FF0000"), ("EMEA", "#00AA00")],
    ),
    campaign(
        2,
        name="beta (test) .* [draft",
        status="PAUSED",
        client_id=12,
        created_at="2025-03-01T23:59:59.999Z",
        updated_at="2025-03-06T00:00:00.000Z",
        max_leads_per_day=100,
        tags=[("Q2", "#0000FF")],
    ),
    campaign(
        3,
        name="Gamma follow-up",
        parent_campaign_id=1,
        created_at="2025-03-02T00:00:00.000Z",
        max_leads_per_day=10,
        tags=[("Q1", "#FF0000")],
    ),
    campaign(
        4,
        name="Delta",
        status="DRAFTED",
        client_id=None,
        created_at=None,
        updated_at=None,
        max_leads_per_day=None,
        tags=[],
    ),
    campaign(
        5,
        name="EPSILON",
        status="WARMING_UP",
        client_id=13,
        created_at="2025-02-28T23:59:59.000Z",
        max_leads_per_day=1000,
        tags=None,
    ),
    campaign(
        6,
        name=None,
        status="COMPLETED",
        client_id=12,
        created_at="2025-03-10T08:00:00.000Z",
        max_leads_per_day=0,
        tags=[("EMEA", "#00AA00")],
    ),
]


@pytest.fixture(scope="module")
def frame() -> pd.DataFrame:
    return campaigns_frame(RECORDS, CLIENTS)


def ids(view: pd.DataFrame) -> list[int]:
    return [int(i) for i in view["id"]]


# --------------------------------------------------------------------------- each criterion


def test_default_filters_show_every_campaign(frame: pd.DataFrame) -> None:
    assert Filters().is_default()
    assert ids(apply_filters(frame, Filters())) == [1, 2, 3, 4, 5, 6]


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [
        (("ACTIVE",), [1, 3]),
        (("PAUSED", "WARMING_UP"), [2, 5]),
        (("STOPPED",), []),
    ],
)
def test_status_filter(frame: pd.DataFrame, statuses: tuple[str, ...], expected: list[int]):
    assert ids(apply_filters(frame, Filters(statuses=statuses))) == expected


@pytest.mark.parametrize(
    ("clients", "expected"),
    [
        (("Acme",), [1, 3]),
        (("northwind", "Zeta"), [2, 5, 6]),
        (("(no client)",), [4]),
    ],
)
def test_client_filter(frame: pd.DataFrame, clients: tuple[str, ...], expected: list[int]):
    assert ids(apply_filters(frame, Filters(clients=clients))) == expected


@pytest.mark.parametrize(
    ("tags", "expected"),
    [
        (("Q1",), [1, 3]),
        # any of the chosen tags, not all of them
        (("Q2", "EMEA"), [1, 2, 6]),
        (("Q1", "EMEA"), [1, 3, 6]),
        # the untagged choice matches an empty tag list (4) and a missing one (5)
        ((vocab.UNTAGGED,), [4, 5]),
        ((vocab.UNTAGGED, "Q2"), [2, 4, 5]),
        (("No such tag",), []),
    ],
)
def test_tag_filter_matches_any_chosen_tag(
    frame: pd.DataFrame, tags: tuple[str, ...], expected: list[int]
) -> None:
    assert ids(apply_filters(frame, Filters(tags=tags))) == expected
    assert list(tag_mask(frame, tags)) == [i in expected for i in ids(frame)]


def test_tag_filter_is_exact_not_a_substring(frame: pd.DataFrame) -> None:
    assert ids(apply_filters(frame, Filters(tags=("Q",)))) == []
    assert ids(apply_filters(frame, Filters(tags=("q1",)))) == []


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("alpha", [1]),
        ("ALPHA LAUNCH", [1]),
        ("epsilon", [5]),
        ("a", [1, 2, 3, 4]),
        ("  delta  ", [4]),  # surrounding spaces from a text box are ignored
    ],
)
def test_name_search_is_case_insensitive(frame: pd.DataFrame, query: str, expected: list[int]):
    assert ids(apply_filters(frame, Filters(name_contains=query))) == expected


@pytest.mark.parametrize("query", ["(test)", ".*", "[draft", "[", "(", "t) .* [d"])
def test_name_search_is_literal_not_a_pattern(frame: pd.DataFrame, query: str) -> None:
    # As a regular expression ".*" would match every name and "[" would be an error.
    assert ids(apply_filters(frame, Filters(name_contains=query))) == [2]


def test_name_search_for_a_pattern_that_only_a_regex_would_match(frame: pd.DataFrame) -> None:
    assert ids(apply_filters(frame, Filters(name_contains="Al.ha"))) == []
    assert ids(apply_filters(frame, Filters(name_contains="^Alpha"))) == []


def test_blank_name_search_filters_nothing(frame: pd.DataFrame) -> None:
    assert ids(apply_filters(frame, Filters(name_contains="   "))) == ids(frame)


def test_name_search_never_matches_a_missing_name(frame: pd.DataFrame) -> None:
    # Campaign 6 has no name: "n" is in "None" and "<NA>", but there is no name to search.
    assert 6 not in ids(apply_filters(frame, Filters(name_contains="n")))


@pytest.mark.parametrize(
    ("bounds", "expected"),
    [
        # both ends inclusive: 00:00:00 and 23:59:59.999 on the day both count
        ((date(2025, 3, 1), date(2025, 3, 1)), [1, 2]),
        ((date(2025, 3, 2), None), [3, 6]),
        ((None, date(2025, 2, 28)), [5]),
        ((date(2025, 2, 28), date(2025, 3, 2)), [1, 2, 3, 5]),
        ((date(2025, 3, 11), None), []),
    ],
)
def test_created_date_bounds_are_inclusive_utc_days(
    frame: pd.DataFrame, bounds: tuple[date | None, date | None], expected: list[int]
) -> None:
    # Campaign 4 has no creation time: excluded whenever a bound is set.
    assert ids(apply_filters(frame, Filters(created=bounds))) == expected


def test_missing_dates_are_kept_when_no_date_bound_is_set(frame: pd.DataFrame) -> None:
    assert 4 in ids(apply_filters(frame, Filters(statuses=("DRAFTED",))))
    assert 4 in ids(apply_filters(frame, Filters(created=(None, None))))


def test_updated_date_bounds(frame: pd.DataFrame) -> None:
    # 1 was updated at 23:59:59 on the 4th, 2 at midnight on the 6th, the rest at noon on the 5th.
    assert ids(apply_filters(frame, Filters(updated=(None, date(2025, 3, 4))))) == [1]
    assert ids(apply_filters(frame, Filters(updated=(date(2025, 3, 5), date(2025, 3, 5))))) == [
        3,
        5,
        6,
    ]
    assert ids(apply_filters(frame, Filters(updated=(date(2025, 3, 6), None)))) == [2]


def test_dates_are_compared_in_utc_whatever_offset_smartlead_sent() -> None:
    # 23:30 at UTC-2 on 1 March is 01:30 UTC on 2 March.
    frame = campaigns_frame(
        [
            campaign(1, created_at="2025-03-01T23:30:00-02:00"),
            campaign(2, created_at="2025-03-02T00:30:00+02:00"),
        ]
    )
    assert ids(apply_filters(frame, Filters(created=(date(2025, 3, 2), date(2025, 3, 2))))) == [1]
    assert ids(apply_filters(frame, Filters(created=(date(2025, 3, 1), date(2025, 3, 1))))) == [2]


def test_date_bounds_count_days_in_the_viewers_time_zone() -> None:
    # 20:00 UTC on 1 March is already 2 March in Tokyo and still 1 March in Los Angeles.
    frame = campaigns_frame(
        [
            campaign(1, created_at="2025-03-01T20:00:00Z"),
            campaign(2, created_at="2025-03-02T10:00:00Z"),
        ]
    )
    second = (date(2025, 3, 2), date(2025, 3, 2))
    assert ids(apply_filters(frame, Filters(created=second))) == [2]
    assert ids(apply_filters(frame, Filters(created=second, zone="Asia/Tokyo"))) == [1, 2]
    assert ids(apply_filters(frame, Filters(created=second, zone="America/Los_Angeles"))) == [2]
    options = filter_options(frame)
    assert options.created_days() == (date(2025, 3, 1), date(2025, 3, 2))
    assert options.created_days("Asia/Tokyo") == (date(2025, 3, 2), date(2025, 3, 2))


def test_a_day_whose_midnight_a_clock_change_skips_still_starts_at_its_first_moment() -> None:
    # Santiago moved its clocks from 00:00 to 01:00 on 7 September 2025: that day starts at 01:00.
    frame = campaigns_frame(
        [
            campaign(1, created_at="2025-09-07T04:30:00Z"),  # 01:30 on the 7th, Santiago time
            campaign(2, created_at="2025-09-07T03:59:00Z"),  # 23:59 on the 6th, Santiago time
        ]
    )
    seventh = Filters(created=(date(2025, 9, 7), date(2025, 9, 7)), zone="America/Santiago")
    assert ids(apply_filters(frame, seventh)) == [1]


def test_the_time_zone_alone_filters_nothing() -> None:
    assert Filters(zone="Asia/Tokyo").is_default()
    assert not Filters(name_contains="x", zone="Asia/Tokyo").is_default()


def test_a_datetime_bound_counts_as_its_whole_day(frame: pd.DataFrame) -> None:
    # A notebook user may pass datetimes (or Timestamps, tz-aware or not): the day is what counts.
    by_dates = apply_filters(frame, Filters(created=(date(2025, 3, 1), date(2025, 3, 1))))
    for start, end in [
        (datetime(2025, 3, 1, 18, 0), datetime(2025, 3, 1, 6, 0)),
        (pd.Timestamp("2025-03-01 18:00", tz="UTC"), pd.Timestamp("2025-03-01 06:00", tz="UTC")),
        (
            datetime(2025, 3, 1, 9, 0, tzinfo=timezone(timedelta(hours=5))),
            datetime(2025, 3, 1, 9, 0, tzinfo=UTC),
        ),
    ]:
        view = apply_filters(frame, Filters(created=(start, end)))
        assert ids(view) == ids(by_dates) == [1, 2]


@pytest.mark.parametrize(
    ("bounds", "expected"),
    [
        ((10, 100), [1, 2, 3]),
        ((None, 10), [3, 6]),
        ((1000, None), [5]),
        ((0, 0), [6]),  # 0 is a bound, not "unset"
        ((51, 99), []),
    ],
)
def test_daily_limit_bounds_are_inclusive(
    frame: pd.DataFrame, bounds: tuple[int | None, int | None], expected: list[int]
) -> None:
    # Campaign 4 has no daily limit: excluded whenever a bound is set.
    assert ids(apply_filters(frame, Filters(daily_limit=bounds))) == expected


def test_missing_daily_limits_are_kept_without_a_bound(frame: pd.DataFrame) -> None:
    assert 4 in ids(apply_filters(frame, Filters(daily_limit=(None, None), tags=(vocab.UNTAGGED,))))


def test_subsequences_can_be_left_out(frame: pd.DataFrame) -> None:
    assert ids(apply_filters(frame, Filters(include_subsequences=False))) == [1, 2, 4, 5, 6]
    assert ids(apply_filters(frame, Filters(include_subsequences=True))) == [1, 2, 3, 4, 5, 6]


# --------------------------------------------------------------------------- together


def test_criteria_combine_with_and(frame: pd.DataFrame) -> None:
    assert ids(apply_filters(frame, Filters(statuses=("ACTIVE",), tags=("Q1",)))) == [1, 3]
    assert ids(
        apply_filters(
            frame, Filters(statuses=("ACTIVE",), tags=("Q1",), include_subsequences=False)
        )
    ) == [1]
    assert ids(
        apply_filters(
            frame,
            Filters(
                clients=("northwind", "Zeta"),
                tags=(vocab.UNTAGGED, "EMEA"),
                daily_limit=(0, 500),
            ),
        )
    ) == [6]
    assert ids(
        apply_filters(
            frame,
            Filters(
                statuses=("ACTIVE", "PAUSED"),
                clients=("Acme", "northwind"),
                name_contains="A",
                created=(date(2025, 3, 1), date(2025, 3, 1)),
                updated=(date(2025, 3, 4), date(2025, 3, 6)),
                daily_limit=(50, 100),
            ),
        )
    ) == [1, 2]


def test_order_and_index_are_preserved(frame: pd.DataFrame) -> None:
    shuffled = frame.iloc[[5, 2, 0, 4, 1, 3]]
    view = apply_filters(shuffled, Filters(tags=("Q1", "EMEA", vocab.UNTAGGED)))
    assert ids(view) == [6, 3, 1, 5, 4]
    assert list(view.index) == [5, 2, 0, 4, 3]


def test_filtering_an_already_filtered_view(frame: pd.DataFrame) -> None:
    # The tag kernels run on Arrow arrays: a sliced, re-ordered view must still line up.
    view = frame.iloc[2:]
    assert ids(apply_filters(view, Filters(tags=("Q1",)))) == [3]
    assert ids(apply_filters(view, Filters(tags=(vocab.UNTAGGED,)))) == [4, 5]
    again = apply_filters(
        apply_filters(frame, Filters(statuses=("ACTIVE", "COMPLETED"))), Filters()
    )
    assert ids(apply_filters(again, Filters(tags=("EMEA",)))) == [1, 6]


def test_filtering_does_not_change_the_frame(frame: pd.DataFrame) -> None:
    before = frame.copy()
    apply_filters(frame, Filters(statuses=("ACTIVE",), tags=("Q1",), name_contains="a"))
    pd.testing.assert_frame_equal(frame, before)


def test_nothing_left_keeps_the_columns_and_dtypes(frame: pd.DataFrame) -> None:
    view = apply_filters(frame, Filters(statuses=("STOPPED",)))
    assert view.empty
    assert list(view.columns) == list(frame.columns)
    assert list(view.dtypes) == list(frame.dtypes)


@pytest.mark.parametrize(
    "filters",
    [
        Filters(),
        Filters(
            statuses=("ACTIVE",),
            clients=("Acme",),
            tags=("Q1", vocab.UNTAGGED),
            name_contains="x",
            created=(date(2025, 1, 1), date(2025, 12, 31)),
            updated=(date(2025, 1, 1), None),
            daily_limit=(1, 10),
            include_subsequences=False,
        ),
    ],
)
def test_empty_frame_in_empty_frame_out(filters: Filters) -> None:
    empty = empty_frame()
    view = apply_filters(empty, filters)
    assert view.empty
    assert list(view.columns) == list(empty.columns)
    assert list(view.dtypes) == list(empty.dtypes)
    assert tag_mask(empty, ("Q1", vocab.UNTAGGED)).tolist() == []


# --------------------------------------------------------------------------- options


def test_filter_options_statuses_in_fixed_order_then_unknown_ones() -> None:
    statuses = ["ZEBRA", "PAUSED", "WARMING_UP", "ACTIVE", "ARCHIVED", "PAUSED", "DRAFT"]
    frame = campaigns_frame([campaign(i, status=s) for i, s in enumerate(statuses, start=1)])
    options = filter_options(frame)
    # only the statuses present, known ones in vocab's order, unknown ones after, alphabetically
    assert options.statuses == ("ACTIVE", "PAUSED", "DRAFTED", "ARCHIVED", "WARMING_UP", "ZEBRA")
    known = [s for s in options.statuses if s in vocab.STATUSES]
    assert known == [s for s in vocab.status_order() if s in known]


def test_filter_options_clients_tags_colours_and_bounds(frame: pd.DataFrame) -> None:
    options = filter_options(frame)
    assert options.statuses == ("ACTIVE", "PAUSED", "DRAFTED", "COMPLETED", "WARMING_UP")
    assert options.clients == ("(no client)", "Acme", "northwind", "Zeta")
    assert options.tags == ("EMEA", "Q1", "Q2")
    assert options.tag_colors == {"Q1": "#FF0000", "EMEA": "#00AA00", "Q2": "#0000FF"}
    assert options.created_days() == (date(2025, 2, 28), date(2025, 3, 10))
    assert options.updated_days() == (date(2025, 3, 4), date(2025, 3, 6))
    assert options.daily_limit == (0, 1000)


def test_filter_options_sort_clients_and_tags_case_insensitively() -> None:
    names = ["beta", "Alpha", "ALPHA", "alpha", "Charlie", "able"]
    frame = campaigns_frame(
        [campaign(i, client_id=100 + i, tags=[(name, None)]) for i, name in enumerate(names)],
        [{"id": 100 + i, "name": name} for i, name in enumerate(names)],
    )
    options = filter_options(frame)
    expected = ("able", "ALPHA", "Alpha", "alpha", "beta", "Charlie")
    assert options.clients == expected
    assert options.tags == expected


def test_filter_options_tag_colours_come_from_the_data() -> None:
    frame = campaigns_frame(
        [
            campaign(1, tags=[("Hot", "#123456"), ("Plain", "")]),
            campaign(2, tags=[("Hot", "#123456"), ("Cold", "#ABCDEF")]),
        ]
    )
    options = filter_options(frame)
    assert options.tags == ("Cold", "Hot", "Plain")
    # a tag without a colour gets one of ours (never the untagged grey)
    assert options.tag_colors == {
        "Hot": "#123456",
        "Cold": "#ABCDEF",
        "Plain": vocab.tag_color("Plain"),
    }


def test_filter_options_of_an_empty_or_undated_portfolio() -> None:
    assert filter_options(empty_frame()) == filter_options(empty_frame())
    options = filter_options(empty_frame())
    assert options.statuses == options.clients == options.tags == ()
    assert options.created_days() == options.updated_days("Asia/Tokyo") == (None, None)
    assert options.daily_limit == (0, 0)
    assert options.tag_colors == {}
    undated = filter_options(
        campaigns_frame([campaign(1, created_at=None, max_leads_per_day=None, tags=None)])
    )
    assert undated.created_days() == (None, None)
    assert undated.daily_limit == (0, 0)
    assert undated.tags == ()


# --------------------------------------------------------------------------- explode_tags


def test_explode_tags_one_row_per_campaign_and_tag(frame: pd.DataFrame) -> None:
    exploded = explode_tags(frame, ("id", "name", "max_leads_per_day"))
    assert list(zip(exploded["id"], exploded["tag"], strict=True)) == [
        (1, "Q1"),
        (1, "EMEA"),
        (2, "Q2"),
        (3, "Q1"),
        (4, vocab.UNTAGGED),
        (5, vocab.UNTAGGED),
        (6, "EMEA"),
    ]
    # a two-tag campaign is counted twice, an untagged one once
    counts = exploded["id"].value_counts()
    assert counts[1] == 2
    assert counts[4] == counts[5] == 1
    assert exploded.loc[exploded["id"] == 1, "name"].tolist() == ["Alpha Launch"] * 2
    assert exploded["tag_color"].tolist()[:3] == ["#FF0000", "#00AA00", "#0000FF"]
    assert exploded.loc[exploded["tag"] == vocab.UNTAGGED, "tag_color"].isna().all()
    assert exploded["max_leads_per_day"].tolist()[:4] == [50, 50, 100, 10]


def test_explode_tags_of_a_view_and_of_nothing(frame: pd.DataFrame) -> None:
    view = frame.iloc[[5, 3, 0]]
    exploded = explode_tags(view, ("id",))
    assert list(zip(exploded["id"], exploded["tag"], strict=True)) == [
        (6, "EMEA"),
        (4, vocab.UNTAGGED),
        (1, "Q1"),
        (1, "EMEA"),
    ]
    empty = explode_tags(empty_frame(), ("id",))
    assert empty.empty
    assert {"tag", "tag_color", "id"} <= set(empty.columns)


# --------------------------------------------------------------------------- KPIs


def test_portfolio_kpis_by_hand(frame: pd.DataFrame) -> None:
    kpis = portfolio_kpis(frame, total=10)
    assert kpis == {
        "shown": 6,
        "total": 10,
        "active": 2,  # 1 and 3
        "paused": 1,  # 2
        "clients": 3,  # 11, 12, 13 (campaign 4 has none)
        "tags": 3,  # Q1, EMEA, Q2 ("untagged" is not a tag)
        "active_daily_limit": 60,  # 50 + 10
    }


def test_portfolio_kpis_skip_missing_limits_and_count_views() -> None:
    frame = campaigns_frame(
        [
            campaign(1, max_leads_per_day=None),
            campaign(2, max_leads_per_day=25, tags=[("A", None)]),
            campaign(3, status="PAUSED", max_leads_per_day=500),
        ]
    )
    kpis = portfolio_kpis(frame, total=3)
    assert kpis["active_daily_limit"] == 25
    assert kpis["active"] == 2
    assert kpis["tags"] == 1
    view = apply_filters(frame, Filters(statuses=("PAUSED",)))
    assert portfolio_kpis(view, total=3) == {
        "shown": 1,
        "total": 3,
        "active": 0,
        "paused": 1,
        "clients": 1,
        "tags": 0,
        "active_daily_limit": 0,
    }


def test_portfolio_kpis_of_an_empty_view() -> None:
    assert portfolio_kpis(empty_frame(), total=42) == {
        "shown": 0,
        "total": 42,
        "active": 0,
        "paused": 0,
        "clients": 0,
        "tags": 0,
        "active_daily_limit": 0,
    }


# --------------------------------------------------------------------------- against a model


DEMO = campaigns_frame(demo_campaigns(120, seed=3), demo_clients())
_MODEL_COLUMNS = (
    "id",
    "name",
    "status",
    "client_name",
    "tags",
    "parent_campaign_id",
    "created_at",
    "updated_at",
    "max_leads_per_day",
)
DEMO_ROWS = [
    dict(zip(_MODEL_COLUMNS, values, strict=True))
    for values in zip(*(DEMO[column].tolist() for column in _MODEL_COLUMNS), strict=True)
]
DEMO_OPTIONS = filter_options(DEMO)


def _expected_ids(filters: Filters) -> list[int]:
    """The same filtering, one campaign at a time in plain Python."""

    def day(value: Any) -> date | None:
        return None if pd.isna(value) else value.astimezone(ZoneInfo(filters.zone)).date()

    def keep(row: dict[str, Any]) -> bool:
        tags = row["tags"] if isinstance(row["tags"], list) else []
        name = row["name"] if isinstance(row["name"], str) else None
        limit = None if pd.isna(row["max_leads_per_day"]) else row["max_leads_per_day"]
        checks = [
            not filters.statuses or row["status"] in filters.statuses,
            not filters.clients or row["client_name"] in filters.clients,
            not filters.tags
            or any(t in filters.tags for t in tags)
            or (not tags and vocab.UNTAGGED in filters.tags),
            not filters.name_contains.strip()
            or (name is not None and filters.name_contains.strip().lower() in name.lower()),
            filters.include_subsequences or pd.isna(row["parent_campaign_id"]),
        ]
        for column, (start, end) in (
            ("created_at", filters.created),
            ("updated_at", filters.updated),
        ):
            if start is not None or end is not None:
                when = day(row[column])
                checks.append(
                    when is not None
                    and (start is None or when >= start)
                    and (end is None or when <= end)
                )
        low, high = filters.daily_limit
        if low is not None or high is not None:
            checks.append(
                limit is not None
                and (low is None or limit >= low)
                and (high is None or limit <= high)
            )
        return all(checks)

    return [int(row["id"]) for row in DEMO_ROWS if keep(row)]


def _some(values: tuple[Any, ...]) -> st.SearchStrategy[tuple[Any, ...]]:
    return st.lists(st.sampled_from(values), max_size=3, unique=True).map(tuple)


_DAYS = st.none() | st.dates(min_value=date(2025, 5, 1), max_value=date(2026, 12, 1))
_LIMITS = st.none() | st.sampled_from([0, 10, 25, 100, 300, 1000])

FILTERS = st.builds(
    Filters,
    statuses=_some((*DEMO_OPTIONS.statuses, "NOT_A_STATUS")),
    clients=_some(DEMO_OPTIONS.clients),
    tags=_some((*DEMO_OPTIONS.tags, vocab.UNTAGGED)),
    name_contains=st.sampled_from(["", "  ", "cfo", "FOLLOW-UP", "·", "=", "(", ".*", "zzz"]),
    created=st.tuples(_DAYS, _DAYS),
    updated=st.tuples(_DAYS, _DAYS),
    daily_limit=st.tuples(_LIMITS, _LIMITS),
    include_subsequences=st.booleans(),
    zone=st.sampled_from(["UTC", "Asia/Tokyo", "America/Los_Angeles", "Pacific/Kiritimati"]),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(filters=FILTERS)
def test_apply_filters_agrees_with_a_row_by_row_model(filters: Filters) -> None:
    assert ids(apply_filters(DEMO, filters)) == _expected_ids(filters)


# ------------------------------------------------------------------ hostile values (issue 17)


def test_real_names_that_spell_a_placeholder_stay_apart_from_it() -> None:
    frame = campaigns_frame(
        [
            campaign(1, client_id=41, tags=[("(untagged)", "#2e7d32")]),
            campaign(2, client_id=None, tags=[]),
            campaign(3, client_id=42, tags=[("(none)", None), ("Q1", None)]),
            campaign(4, client_id=None, tags=None),
        ],
        [{"id": 41, "name": "(no client)"}, {"id": 42, "name": " (none) "}],
    )
    options = filter_options(frame)
    assert vocab.NO_CLIENT in options.clients
    assert "(no client) (#41)" in options.clients
    assert "(none) (#42)" in options.clients
    assert vocab.UNTAGGED not in options.tags, "the sidebar adds the placeholder once itself"
    assert "(untagged) (#1)" in options.tags
    ids = lambda chosen: apply_filters(frame, chosen)["id"].tolist()  # noqa: E731
    assert ids(Filters(clients=(vocab.NO_CLIENT,))) == [2, 4]
    assert ids(Filters(clients=("(no client) (#41)",))) == [1]
    assert ids(Filters(tags=(vocab.UNTAGGED,))) == [2, 4]
    assert ids(Filters(tags=("(untagged) (#1)",))) == [1]
    exploded = explode_tags(frame, ("id",))
    assert exploded.loc[exploded["tag"] == vocab.UNTAGGED, "id"].tolist() == [2, 4]


def test_kpis_of_out_of_range_daily_limits_are_exact() -> None:
    frame = campaigns_frame(
        [
            campaign(1, max_leads_per_day=2**62),
            campaign(2, max_leads_per_day=2**62),
            campaign(3, max_leads_per_day=2**62),
            campaign(4, max_leads_per_day=2**53 + 1),
            campaign(5, max_leads_per_day=-(2**53) - 1),
            campaign(6, max_leads_per_day=120),
            campaign(7, max_leads_per_day=10**9),
        ]
    )
    kpis = portfolio_kpis(frame, total=len(frame))
    assert kpis["active_daily_limit"] == 120 + 10**9, "the readable limits, summed exactly"
    assert filter_options(frame).daily_limit == (120, 10**9)
    assert frame["unreadable_fields"].tolist()[:5] == ["max_leads_per_day"] * 5
