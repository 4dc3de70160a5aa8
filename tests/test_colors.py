"""Tag colours a reader can tell apart: the nudge is small, deterministic and always enough."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smartlead import vocab
from smartlead.colors import (
    BLACK_TEXT,
    MIN_CHROMA,
    MIN_DISTANCE,
    WHITE_TEXT,
    chroma,
    contrast_ratio,
    distance,
    distinguishable,
    from_oklab,
    oklab,
    parse_hex,
    text_color_on,
    to_hex,
)
from smartlead.demo import DEMO_TAGS

hex_colors = st.builds(
    lambda r, g, b: f"#{r:02x}{g:02x}{b:02x}",
    st.integers(0, 255),
    st.integers(0, 255),
    st.integers(0, 255),
)
short_hex = st.builds(
    lambda digits: "#" + digits, st.text("0123456789abcdefABCDEF", min_size=3, max_size=3)
)
GREY = vocab.UNTAGGED_COLOR
"""The colour of "(untagged)", which no tag may look like."""


def nearest(colors: list[str]) -> float:
    return min(distance(a, b) for a, b in itertools.combinations(colors, 2))


@given(st.lists(hex_colors | short_hex, max_size=12))
@settings(max_examples=150, deadline=None)
def test_up_to_twelve_colours_end_apart_from_each_other_and_from_grey(colors: list[str]) -> None:
    shown = distinguishable(colors, avoid=[GREY])
    assert len(shown) == len(colors)
    assert all(vocab.HEX_COLOR.fullmatch(color) for color in shown)
    assert all(chroma(color) >= MIN_CHROMA * 0.99 for color in shown), "no tag looks grey"
    if shown:
        # rounding to #rrggbb moves a colour by far less than a hundredth
        assert nearest([*shown, GREY]) >= MIN_DISTANCE - 0.005


@given(st.lists(hex_colors, max_size=8))
@settings(max_examples=100, deadline=None)
def test_colours_that_already_read_apart_are_kept_exactly(colors: list[str]) -> None:
    shown = distinguishable(colors, avoid=[GREY])
    for index, (given_color, used) in enumerate(zip(colors, shown, strict=True)):
        clear = all(
            distance(given_color, other) >= MIN_DISTANCE for other in [GREY, *shown[:index]]
        )
        if clear and chroma(given_color) >= MIN_CHROMA:
            assert used == given_color


@given(st.lists(hex_colors, max_size=10))
@settings(max_examples=60, deadline=None)
def test_the_nudge_is_the_same_every_time_and_the_first_colour_wins(colors: list[str]) -> None:
    assert distinguishable(colors) == distinguishable(colors)
    more = distinguishable([*colors, "#123456"])
    assert more[: len(colors)] == distinguishable(colors), "a later tag never moves an earlier"


@given(hex_colors)
def test_oklab_round_trips_through_hex(color: str) -> None:
    assert parse_hex(from_oklab(oklab(color))) == parse_hex(color)
    assert to_hex(parse_hex(color)) == color


def test_the_demo_agencys_tags_read_apart_and_keep_most_of_their_colours() -> None:
    colors = [color for _, _, color in DEMO_TAGS]
    shown = distinguishable(colors, avoid=[GREY])
    assert nearest([*shown, GREY]) >= MIN_DISTANCE - 0.005
    assert shown[0] == colors[0]
    kept = sum(a == b for a, b in zip(colors, shown, strict=True))
    assert kept >= len(colors) // 2
    test_grey = dict(zip((name for _, name, _ in DEMO_TAGS), shown, strict=True))["Test"]
    assert distance(test_grey, GREY) >= MIN_DISTANCE, "the near-grey 'Test' tag is moved"


@pytest.mark.parametrize("bad", ["red", "url(x)", "#12345", "", "#ggg"])
def test_anything_but_a_plain_hex_colour_is_refused(bad: str) -> None:
    with pytest.raises(ValueError, match="not a #rgb"):
        parse_hex(bad)


# --------------------------------------------------------------------------- text on a colour


def test_dark_colours_get_white_text_and_light_colours_black():
    assert text_color_on("#000") == WHITE_TEXT
    assert text_color_on("#1565c0") == WHITE_TEXT
    assert text_color_on("#C0392B") == WHITE_TEXT
    assert text_color_on("#fff") == BLACK_TEXT
    assert text_color_on("#ffeb3b") == BLACK_TEXT
    assert text_color_on(GREY) == BLACK_TEXT


@given(hex_colors)
def test_the_text_colour_chosen_reads_at_least_as_well_as_the_other_and_meets_wcag_aa(color):
    chosen = text_color_on(color)
    other = WHITE_TEXT if chosen == BLACK_TEXT else BLACK_TEXT
    assert contrast_ratio(color, chosen) >= contrast_ratio(color, other)
    assert contrast_ratio(color, chosen) >= 4.5  # WCAG AA for normal text, on any colour


def test_contrast_ratio_spans_one_to_twenty_one():
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast_ratio("#4e79a7", "#4e79a7") == pytest.approx(1.0)
    assert contrast_ratio("#000", "#fff") == contrast_ratio("#fff", "#000")
