"""Tag chips in the tag's own colour: the filter's CSS and the details' chips stay inert
whatever a tag is called, and the filter's CSS grows with the chips chosen, not the tags.

The CSS is read back with tinycss2 (a CSS Syntax Level 3 parser, as a browser tokenizes):
a name that escaped its string would show up as extra rules, blocks or tokens.
"""

from __future__ import annotations

import json

import tinycss2
from hypothesis import given
from hypothesis import strategies as st

from smartlead.colors import text_color_on
from smartlead.frame import campaigns_frame
from tests.apptest import CAMPAIGNS_PAGE, live_app
from tests.builders import campaign, tag
from tests.report_checks import parse_html
from tests.standin import TEST_KEY, StandinSmartlead
from ui.chips import (
    MAX_COLOURED_CHIPS,
    css_string,
    tag_chips_html,
    tag_colors_in,
    tag_filter_css,
)
from ui.tables import tags_column

HOSTILE_TAGS: tuple[str, ...] = (
    '"]{}</style><script>alert(1)</script>',
    "a\\\"b'c`d",
    "line\nbreak\r\nand\ttab\fform",
    "}</STYLE ><img src=x onerror=alert(1)>",
    "/* comment */ @import url(http://attacker.invalid/x.css);",
    "\\00003C/style\\00003E",
    "émoji 🚀 and ‮bidi",
    "(untagged)",
    "",
)
"""Tag names an account can hold: quotes, backslashes, line breaks, closing tags, CSS
comments and at-rules, ready-made escapes, non-ASCII, and the empty name."""

COLOR = "#c62828"


def style_body(block: str) -> str:
    """The CSS inside one ``<style>…</style>`` block, after checking nothing else is there."""
    assert block.startswith("<style>")
    assert block.endswith("</style>")
    body = block[len("<style>") : -len("</style>")]
    assert "<" not in body, "no markup in the CSS"
    assert ">" not in body
    return body


def chip_rules(css: str) -> list[tuple[str, dict[str, str]]]:
    """Each rule's chosen tag (the string its ``[aria-label=…]`` compares with) and its
    declarations, after checking the rule is a plain rule whose selector is the sidebar's
    chip selector and nothing else."""
    found = []
    for rule in tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True):
        assert rule.type == "qualified-rule", f"not a plain rule: {rule!r}"
        blocks = [token for token in rule.prelude if token.type == "[] block"]
        assert [tinycss2.serialize(block.content) for block in blocks[:2]] == [
            'data-testid="stSidebar"',
            "data-tag",
        ]
        assert len(blocks) == 3
        label = [token for token in blocks[2].content if token.type != "whitespace"]
        assert [token.type for token in label] == ["ident", "literal", "string"]
        assert (label[0].value, label[1].value) == ("aria-label", "=")
        rest = [token for token in rule.prelude if token.type not in ("[] block", "whitespace")]
        assert [tinycss2.serialize([token]) for token in rest][:3] == ["section", ".", "st-key-tag"]
        contents = tinycss2.parse_blocks_contents(rule.content, skip_whitespace=True)
        assert all(item.type == "declaration" for item in contents)
        declarations = {
            item.lower_name: tinycss2.serialize(item.value).strip() for item in contents
        }
        found.append((label[2].value, declarations))
    return found


# --------------------------------------------------------------------------- css_string


def test_plain_names_stay_readable_and_everything_else_is_a_hex_escape():
    assert css_string("EMEA Q4_push-2") == '"EMEA Q4_push-2"'
    assert css_string('<"\\\n') == '"\\00003C \\000022 \\00005C \\00000A "'
    assert css_string("🚀") == '"\\01F680 "'


@given(st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00")))
def test_any_name_reads_back_as_exactly_one_string_holding_the_name(name):
    tokens = tinycss2.parse_component_value_list(css_string(name))
    assert len(tokens) == 1
    assert tokens[0].type == "string"
    assert tokens[0].value == name


def test_hostile_names_read_back_as_themselves():
    for name in HOSTILE_TAGS:
        (token,) = tinycss2.parse_component_value_list(css_string(name))
        assert (token.type, token.value) == ("string", name)


# --------------------------------------------------------------------------- the filter's CSS


def test_every_chosen_tag_gets_its_colour_and_a_readable_text_colour():
    colors = {"EMEA": "#C0392B", "Webinar": "#E67E22", "Not chosen": "#123456"}
    rules = chip_rules(style_body(tag_filter_css(["EMEA", "Webinar"], colors)))
    painted = {name: d for name, d in rules if "background-color" in d}
    assert painted == {
        "EMEA": {"background-color": "#C0392B", "color": "#ffffff"},
        "Webinar": {"background-color": "#E67E22", "color": "#000000"},
    }
    # the chip's text and its remove button follow the chip's text colour
    assert {name for name, d in rules if d == {"color": "inherit"}} == {"EMEA", "Webinar"}


def test_the_rules_aim_at_the_tag_filters_chips_in_the_sidebar_only():
    css = style_body(tag_filter_css(["EMEA"], {"EMEA": "#C0392B"}))
    assert css.startswith('section[data-testid="stSidebar"] .st-key-tag [data-tag][aria-label=')
    other = style_body(tag_filter_css(["EMEA"], {"EMEA": "#C0392B"}, key="mailbox_tag"))
    assert ".st-key-mailbox_tag [data-tag]" in other


def test_hostile_tag_names_cannot_leave_their_string_the_rule_or_the_style_element():
    colors = dict.fromkeys(HOSTILE_TAGS, COLOR)
    block = tag_filter_css(HOSTILE_TAGS, colors)
    assert block.count("<style>") == 1
    assert block.count("</style>") == 1
    assert "@import" not in block
    assert "/*" not in block
    rules = chip_rules(style_body(block))
    assert [name for name, d in rules if "background-color" in d] == list(HOSTILE_TAGS)
    assert all(d.get("background-color", COLOR) == COLOR for _, d in rules)


def test_only_plain_hex_colours_reach_the_css():
    colors = {
        "Fetches": "url(http://attacker.invalid/x.png)",
        "Breaks out": "#fff;}</style><script>alert(1)</script>",
        "Named": "red",
        "Proper": "#1565c0",
    }
    rules = chip_rules(style_body(tag_filter_css(list(colors), colors)))
    assert {name for name, _ in rules} == {"Proper"}
    assert tag_filter_css(["Fetches", "Named"], colors) == "", "no rule, no <style> at all"


def test_no_chosen_tag_sends_no_css():
    assert tag_filter_css([], {"EMEA": "#C0392B"}) == ""
    assert tag_filter_css(["Unknown"], {"EMEA": "#C0392B"}) == ""


def test_the_css_grows_with_the_chips_chosen_never_with_the_portfolios_tags():
    colors = {f"Tag number {index}": "#1565c0" for index in range(2_000)}
    two = tag_filter_css(["Tag number 5", "Tag number 1999"], colors)
    assert {name for name, _ in chip_rules(style_body(two))} == {"Tag number 5", "Tag number 1999"}
    assert len(two) < 1_000
    everything_but_one = tag_filter_css(list(colors)[1:], colors)
    painted = [name for name, d in chip_rules(style_body(everything_but_one)) if d]
    assert len(painted) == 2 * MAX_COLOURED_CHIPS  # the colour rule and the text rule each
    assert len(everything_but_one) < 400 * MAX_COLOURED_CHIPS


def test_a_tag_chosen_twice_gets_one_rule():
    css = style_body(tag_filter_css(["EMEA", "EMEA"], {"EMEA": "#C0392B"}))
    assert len(chip_rules(css)) == 2


# --------------------------------------------------------------------------- details chips


def test_details_chips_show_each_tag_in_its_colour_with_readable_text():
    fragment = parse_html(
        tag_chips_html(["EMEA", "Webinar"], {"EMEA": "#C0392B", "Webinar": "#E67E22"})
    )
    spans = [attrs for name, attrs in fragment.elements if name == "span"]
    assert [s["class"] for s in spans] == ["tag-chip", "tag-chip"]
    assert "background-color:#C0392B;color:#ffffff;" in str(spans[0]["style"])
    assert "background-color:#E67E22;color:#000000;" in str(spans[1]["style"])
    assert fragment.texts == ["EMEA", "Webinar"]


def test_hostile_tag_names_are_text_in_the_details_chips():
    names = [name for name in HOSTILE_TAGS if name]
    fragment = parse_html(tag_chips_html(names, dict.fromkeys(names, COLOR)))
    assert [name for name, _ in fragment.elements] == ["div", *["span"] * len(names)]
    assert fragment.texts == names


def test_a_tag_without_a_known_colour_gets_the_one_every_page_gives_it():
    fragment = parse_html(tag_chips_html(["Mystery"], {"Mystery": "url(x)"}))
    style = str(fragment.elements[1][1]["style"])
    assert "url(" not in style
    assert style.startswith("background-color:#")


def test_no_tags_no_chips():
    assert tag_chips_html([], {}) == ""


# --------------------------------------------------------------------------- the table


def test_the_tables_tags_are_labels_in_their_colours_and_only_plain_colours_pass():
    column = tags_column({"EMEA": "#C0392B", "Bad": "url(http://attacker.invalid/)"})
    assert column["type_config"] == {
        "type": "multiselect",
        "options": [{"value": "EMEA", "color": "#C0392B"}],
        "accept_new_options": None,
    }
    assert tags_column({})["type_config"] == {"type": "list"}, "no colour: a plain list"


def test_the_table_is_sent_the_colours_of_the_tags_it_shows_only():
    frame = campaigns_frame(
        [
            campaign(1, tags=[tag(1, "EMEA", "#C0392B")]),
            campaign(2, tags=[tag(2, "Webinar", "#FFEB3B")]),
            campaign(3),
        ],
        [],
    )
    colors = {"EMEA": "#C0392B", "Webinar": "#FFEB3B", "Elsewhere": "#123456"}
    assert tag_colors_in(frame, colors) == {"EMEA": "#C0392B", "Webinar": "#FFEB3B"}
    assert tag_colors_in(frame.iloc[[0, 2]], colors) == {"EMEA": "#C0392B"}
    assert tag_colors_in(frame.iloc[[2]], colors) == {}


# --------------------------------------------------------------------------- the pages


def test_the_tag_filter_sends_its_chips_colours_and_the_details_show_the_tags_as_chips():
    hostile = '"]{}</style><script>alert(1)</script>'
    campaigns = [
        campaign(7, "Tagged", tags=[tag(1, "EMEA", "#C0392B"), tag(2, hostile, "#ffeb3b")]),
        campaign(8, "Plain"),
    ]
    with StandinSmartlead(portfolios={TEST_KEY: campaigns}) as server:
        at = live_app(server)
        at.session_state["tag"] = ["EMEA", hostile]
        at.run()
        styles = [e.proto.body for e in at.get("html") if e.proto.body.startswith("<style>")]
        assert len(styles) == 1
        rules = chip_rules(style_body(styles[0]))
        assert {name: d["background-color"] for name, d in rules if len(d) == 2} == {
            "EMEA": "#C0392B",
            hostile: "#ffeb3b",
        }
        at.switch_page(CAMPAIGNS_PAGE).run()
        table = next(frame for frame in at.dataframe if frame.key == "campaign_table")
        options = json.loads(table.proto.columns)["tags"]["type_config"]["options"]
        assert {option["value"]: option["color"] for option in options} == {
            "EMEA": "#C0392B",
            hostile: "#ffeb3b",
        }, "the table shows the filtered campaign's tags in their colours"
        at.session_state["detail_id"] = 7
        at.run()
        chips = [e.proto.body for e in at.get("html") if "tag-chip" in e.proto.body]
        assert len(chips) == 1
        fragment = parse_html(chips[0])
        assert fragment.texts == ["EMEA", hostile]
        assert [name for name, _ in fragment.elements] == ["div", "span", "span"]
        assert f"color:{text_color_on('#ffeb3b')}" in chips[0]
