"""Issue 17: a SmartLead, or whoever answers for it, attacking the package, the CLI and the pages.

Every attack arrives over a socket from the stand-in (:mod:`tests.standin_hostile`), the way it
would from an upstream in production: slow and malformed bodies, error text that echoes the
key or drives a terminal, names and colours written to do harm, a malformed address. Each test
reproduces one finding of the adversarial probe; the browser's side is in
``tests/e2e/test_hostile.py``.
"""

from __future__ import annotations

import csv
import io
import json
import re
import sys
import time
import traceback
import unicodedata
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smartlead import cli
from smartlead.client import MAX_JSON_DEPTH, SmartleadClient, json_depth
from smartlead.connection import Connection
from smartlead.errors import (
    RequestTimeoutError,
    SmartleadError,
    SnapshotDamagedError,
    UnexpectedResponseError,
)
from smartlead.export import FORMULA_TRIGGERS, neutralise_formula
from smartlead.frame import campaigns_frame
from smartlead.history import diff_snapshots
from smartlead.history.store import SQLiteSnapshotStore
from smartlead.loader import load_portfolio
from tests import strategies
from tests.apptest import _walk as walk
from tests.apptest import all_text, caption_texts, live_app, metrics, open_app
from tests.processes import run_smartlead
from tests.standin import TEST_KEY, Reply, StandinSmartlead, sample_campaigns
from tests.standin_hostile import (
    ATTACKER,
    ESCAPE_PIECES,
    FORMULAS_AFTER_LINE_BREAKS,
    HOSTILE_KEY,
    LONG_KEY,
    TERMINAL_ESCAPES,
    deep_but_parseable,
    deep_json,
    drip,
    escape_error,
    key_echoes,
    leaked_fragment,
    markdown_error,
    serve_client_names_failing,
    serve_hostile,
)

PROJECT = Path(__file__).resolve().parents[1]
PORTFOLIO = json.dumps(sample_campaigns()).encode()


# --------------------------------------------------------------------------- 5: dripped bodies


@pytest.mark.parametrize("seconds_per_byte", [0.02, 0.5], ids=["0.02 s a byte", "0.5 s a byte"])
def test_a_body_dripped_within_its_content_length_ends_at_the_deadline(
    standin: StandinSmartlead, make_client: Any, seconds_per_byte: float
) -> None:
    # Each byte comes well within the read timeout, so only the deadline can end the call:
    # the whole body would take 60 s (0.02 s a byte) or 25 minutes (0.5 s a byte).
    standin.always("/campaigns", drip(PORTFOLIO, seconds_per_byte))
    client = make_client(timeout=2.0, deadline=3.0)
    started = time.monotonic()
    with pytest.raises(RequestTimeoutError) as caught:
        client.list_campaigns()
    waited = time.monotonic() - started
    assert 2.5 < waited < 5, f"the call took {waited:.1f} s with a 3 s deadline"
    assert "was still sending its answer after 3 s; nothing was loaded" in str(caught.value)


def test_a_dripped_body_ends_the_portfolio_load_at_the_deadline(standin: StandinSmartlead) -> None:
    standin.always("/campaigns", drip(PORTFOLIO, 0.02))
    started = time.monotonic()
    load = load_portfolio(
        Connection.to(TEST_KEY, standin.base_url), client_options={"timeout": 2, "deadline": 3}
    )
    assert time.monotonic() - started < 5
    assert isinstance(load.error, RequestTimeoutError)
    assert load.frame.empty


def test_a_dripped_body_ends_in_a_timeout_message_on_the_page(
    standin: StandinSmartlead, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The dashboard's client keeps its default deadline (45 s); here it is 3 s, so the test
    # is quick. The same with the real default: the slow test below.
    monkeypatch.setitem(SmartleadClient.__init__.__kwdefaults__, "deadline", 3.0)
    monkeypatch.setenv("SMARTLEAD_TIMEOUT", "2")
    standin.always("/campaigns", drip(PORTFOLIO, 0.02))
    started = time.monotonic()
    at = live_app(standin)
    waited = time.monotonic() - started
    assert waited < 10, f"the page waited {waited:.1f} s for a 3 s deadline"
    assert not at.exception
    assert "SmartLead did not answer in time" in at.error[0].value
    assert "still sending its answer after 3 s" in plain(at.error[0].value)
    assert not at.metric


@pytest.mark.slow
def test_a_body_dripped_half_a_second_a_byte_ends_at_the_dashboards_45_s_deadline(
    standin: StandinSmartlead,
) -> None:
    # The probe's case: 0.5 s a byte was still running after 200 s, the spinner up for 150.
    standin.always("/campaigns", drip(PORTFOLIO, 0.5))
    started = time.monotonic()
    at = live_app(standin)
    waited = time.monotonic() - started
    assert 44 < waited < 55, f"the page waited {waited:.1f} s"
    assert "still sending its answer after 45 s" in plain(at.error[0].value)


# --------------------------------------------------------------------------- 7: the key echoed


def plain(text: str) -> str:
    """Text as read: without Markdown escapes, word joiners or protobuf's backslash escapes."""
    return text.replace("\\", "").replace("\u2060", "")


def every_text_of(error: BaseException) -> list[str]:
    """Everything an error exposes: its message, repr, arguments, fields and traceback."""
    texts = [str(error), repr(error), *map(str, error.args)]
    texts += [str(value) for value in vars(error).values()]
    texts.append("".join(traceback.format_exception(error)))
    return texts


@pytest.mark.parametrize("form", list(key_echoes(LONG_KEY)))
def test_a_10_kb_key_echoed_by_the_upstream_leaves_no_8_characters_in_the_error(
    standin: StandinSmartlead, make_client: Any, form: str
) -> None:
    standin.always("/campaigns", key_echoes(LONG_KEY)[form])
    started = time.monotonic()
    with pytest.raises(SmartleadError) as caught:
        make_client(api_key=LONG_KEY).list_campaigns()
    assert time.monotonic() - started < 5, "redacting must not take long"
    assert "SmartLead" in str(caught.value)
    for text in every_text_of(caught.value):
        assert leaked_fragment(text, LONG_KEY) is None, (form, leaked_fragment(text, LONG_KEY))


def test_the_short_canary_key_echoed_in_pieces_leaves_no_8_characters(
    standin: StandinSmartlead, make_client: Any
) -> None:
    key = "sk-LEAK-CANARY-7f3a9c1e-0d5b"
    halves = f"{key[:12]}\n  {key[12:]}"  # wrapped over two lines by the upstream
    standin.always("/campaigns", Reply.json({"message": f"Unknown key {halves}"}, status=401))
    with pytest.raises(SmartleadError) as caught:
        make_client(api_key=key).list_campaigns()
    assert leaked_fragment(str(caught.value), key) is None


@pytest.mark.parametrize("form", ["html-title", "cut-at-200", "wrapped"])
def test_an_anonymous_visitor_of_a_server_configured_key_sees_none_of_it(
    standin: StandinSmartlead, monkeypatch: pytest.MonkeyPatch, form: str
) -> None:
    standin.always("/campaigns", key_echoes(LONG_KEY)[form])
    monkeypatch.setenv("SMARTLEAD_API_KEY", LONG_KEY)
    monkeypatch.setenv("SMARTLEAD_BASE_URL", standin.base_url)
    at = open_app()
    assert not at.exception
    assert at.error, "the refusal is shown"
    page = plain(all_text(at))
    assert leaked_fragment(page, LONG_KEY) is None, leaked_fragment(page, LONG_KEY)


def test_a_key_echoed_in_the_client_names_error_stays_out_of_the_sidebar_notice(
    standin: StandinSmartlead,
) -> None:
    standin.portfolios[LONG_KEY] = sample_campaigns()
    serve_client_names_failing(standin, LONG_KEY, key_echoes(LONG_KEY)["json"])
    at = live_app(standin, key=LONG_KEY)
    assert metrics(at)["Campaigns shown"] == "5"
    assert any("Client names are unavailable" in text for text in caption_texts(at))
    page = plain(all_text(at))
    assert leaked_fragment(page, LONG_KEY) is None, leaked_fragment(page, LONG_KEY)


# --------------------------------------------------------------------------- 8: deep JSON


def nesting(value: Any) -> int:
    """How deeply a parsed JSON value nests lists and objects (the reference for json_depth)."""
    if isinstance(value, list):
        return 1 + max((nesting(item) for item in value), default=0)
    if isinstance(value, dict):
        return 1 + max((nesting(item) for item in value.values()), default=0)
    return 0


TRICKY_TEXT = st.text(alphabet='[]{}"\\\\ab', max_size=12)
"""Text full of brackets, quotes and backslashes: what a byte scan could miscount."""


@settings(max_examples=300, deadline=None)
@given(
    st.recursive(
        strategies.json_scalars() | TRICKY_TEXT,
        lambda children: (
            st.lists(children, max_size=4) | st.dictionaries(TRICKY_TEXT, children, max_size=4)
        ),
        max_leaves=12,
    ),
    st.booleans(),
)
def test_the_byte_scan_measures_the_depth_the_parser_finds(value: Any, ascii_only: bool) -> None:
    text = json.dumps(value, ensure_ascii=ascii_only)
    assert json_depth(text.encode()) == nesting(value), text


@pytest.mark.parametrize(
    "names",
    [
        ['a \\"[x\\" b'] * 10_001,  # escaped quotes in every name
        ["\\" * 20_001 + '"[', 'a \\"{'],  # a run of 40,003 backslashes
    ],
    ids=["many escaped quotes", "a long run of backslashes"],
)
def test_the_byte_scan_counts_right_with_many_escaped_quotes_or_long_backslash_runs(
    names: list[str],
) -> None:
    value = [{"name": name, "tags": [[i]]} for i, name in enumerate(names)]
    assert json_depth(json.dumps(value).encode()) == nesting(value) == 4


def test_json_nested_100_000_deep_is_an_unexpected_answer_in_words(
    standin: StandinSmartlead, make_client: Any
) -> None:
    standin.always("/campaigns", deep_json(100_000))
    with pytest.raises(UnexpectedResponseError) as caught:
        make_client().list_campaigns()
    assert "is nested too deeply to be read as JSON" in str(caught.value)


def test_json_900_deep_that_python_could_parse_is_refused_before_it_goes_further(
    standin: StandinSmartlead, make_client: Any
) -> None:
    standin.always("/campaigns", deep_but_parseable(900))
    with pytest.raises(UnexpectedResponseError) as caught:
        make_client().list_campaigns()
    assert f"more than {MAX_JSON_DEPTH} levels" in str(caught.value)


def test_json_nested_within_the_limit_is_read_and_kept(
    standin: StandinSmartlead, make_client: Any
) -> None:
    standin.always("/campaigns", deep_but_parseable(MAX_JSON_DEPTH - 2))
    (record,) = make_client().list_campaigns()
    frame = campaigns_frame([record])
    assert frame["extra"].iloc[0].startswith('{"notes": [[[')


def test_deep_json_on_the_page_is_a_message_and_is_cached_like_other_errors(
    standin: StandinSmartlead,
) -> None:
    standin.always("/campaigns", deep_json(100_000))
    at = live_app(standin)
    assert not at.exception
    assert "SmartLead sent an answer the dashboard cannot read" in at.error[0].value
    assert "nested too deeply" in plain(at.error[0].value)
    asked = standin.count("/campaigns")
    at.run()
    assert standin.count("/campaigns") == asked, "the failure is cached: no new request"


def in_a_deep_stack(depth: int, work: Any) -> Any:
    """``work()`` called ``depth`` Python frames further down (a page script runs deep)."""
    return work() if depth == 0 else in_a_deep_stack(depth - 1, work)


def test_records_nested_900_deep_never_raise_recursion_error_downstream(tmp_path: Path) -> None:
    # A library user (or an old snapshot) can still hand such records to the package.
    nested: Any = []
    for _ in range(900):
        nested = [nested]
    records = [{"id": 1, "name": "deep", "notes": nested}, {"id": 2, "tags": nested}]
    frame = in_a_deep_stack(50, lambda: campaigns_frame(records))
    assert frame["id"].tolist() == [1, 2]
    assert frame["unreadable_fields"].iloc[1] == "tags"
    in_a_deep_stack(50, lambda: diff_snapshots(records, records[:1]))
    store = SQLiteSnapshotStore(tmp_path / "history.sqlite3")
    info = store.save(records, account="deep")
    assert info is not None
    assert len(store.load(info.id).records) == 2
    # Read back far down a stack, the parser runs out of room: a damaged snapshot, in words.
    with pytest.raises(SnapshotDamagedError, match="is damaged"):
        in_a_deep_stack(300, lambda: store.load(info.id))


# --------------------------------------------------------------------------- 9: terminal escapes


class Terminal(io.StringIO):
    """Standard output as a terminal (what a person running the command looks at)."""

    def isatty(self) -> bool:
        return True


def run_cli(*argv: str, stdout: io.StringIO | None = None) -> tuple[int, str]:
    out = stdout if stdout is not None else io.StringIO()
    return cli.main(list(argv), stdout=out), out.getvalue()


@pytest.fixture
def cli_env(standin: StandinSmartlead, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("SMARTLEAD_BASE_URL", standin.base_url)
    monkeypatch.setenv("SMARTLEAD_API_KEY", TEST_KEY)
    monkeypatch.setenv("SMARTLEAD_HISTORY_PATH", str(tmp_path / "history.sqlite3"))
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))


def assert_no_escapes(text: str, *, json_text: bool = False) -> None:
    """No control character a terminal acts on and, unless the text is JSON (where the
    sequences are inert ``\u001b`` text), nothing left over of the sequences either."""
    controls = sorted(
        {f"U+{ord(c):04X}" for c in text if unicodedata.category(c) == "Cc"}
        - {
            "U+000A",  # line feed
            "U+0009",  # tab
        }
    )
    assert not controls, f"control characters reached the output: {controls}"
    if not json_text:
        found = [piece for piece in ESCAPE_PIECES if piece in text]
        assert not found, f"what is left of terminal sequences reached the output: {found}"


FETCHING_COMMANDS = [
    ("campaigns",),
    ("campaigns", "--format", "csv"),
    ("campaigns", "--format", "json"),
    ("snapshot",),
    ("snapshot", "--if-due"),
    ("snapshot", "--format", "json"),
]


@pytest.mark.parametrize("argv", FETCHING_COMMANDS, ids=" ".join)
def test_an_error_text_that_drives_a_terminal_is_printed_without_its_sequences(
    standin: StandinSmartlead,
    cli_env: None,
    capsys: pytest.CaptureFixture[str],
    argv: tuple[str, ...],
) -> None:
    standin.always("/campaigns", escape_error())
    code, out = run_cli(*argv)
    assert code == cli.EXIT_API_ERROR
    err = capsys.readouterr().err
    assert "Upstream failure" in err, "SmartLead's words are still shown"
    assert_no_escapes(err + out)


@pytest.mark.parametrize("argv", FETCHING_COMMANDS, ids=" ".join)
def test_a_notice_quoting_such_text_is_printed_without_its_sequences(
    standin: StandinSmartlead,
    cli_env: None,
    capsys: pytest.CaptureFixture[str],
    argv: tuple[str, ...],
) -> None:
    serve_client_names_failing(standin, TEST_KEY, escape_error())
    code, _ = run_cli(*argv)
    assert code == cli.EXIT_OK
    err = capsys.readouterr().err
    assert "Note: Client names are unavailable right now" in err
    assert_no_escapes(err)


def test_names_that_drive_a_terminal_reach_it_without_their_sequences(
    standin: StandinSmartlead, cli_env: None, capsys: pytest.CaptureFixture[str]
) -> None:
    standin.portfolios[TEST_KEY] = [
        {"id": 1, "name": f"{TERMINAL_ESCAPES}Plain name", "status": "ACTIVE"},
        {"id": 2, "name": "Second", "tags": [{"tag_id": 3, "tag_name": TERMINAL_ESCAPES}]},
    ]
    for argv in (
        ("campaigns",),
        ("campaigns", "--format", "csv"),
        ("campaigns", "--format", "json"),
    ):
        code, out = run_cli(*argv, stdout=Terminal())
        assert code == cli.EXIT_OK
        assert "Plain name" in out
        assert_no_escapes(out + capsys.readouterr().err, json_text="json" in argv)
    # Into a pipe or a file, the data stays as SmartLead sent it.
    _, piped = run_cli("campaigns", "--format", "json")
    assert json.loads(piped)[0]["name"] == f"{TERMINAL_ESCAPES}Plain name"
    # And the diff of two snapshots holding them, at a terminal.
    assert run_cli("snapshot")[0] == cli.EXIT_OK
    standin.portfolios[TEST_KEY][0]["name"] = f"Renamed {TERMINAL_ESCAPES}"
    assert run_cli("snapshot")[0] == cli.EXIT_OK
    for argv in (("diff",), ("diff", "--format", "json")):
        code, out = run_cli(*argv, stdout=Terminal())
        assert code == cli.EXIT_OK
        assert "Renamed" in out
        assert_no_escapes(out + capsys.readouterr().err, json_text="json" in argv)


# --------------------------------------------------------------------------- 14: a bad address


def test_a_malformed_base_url_is_exit_8_in_words(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SMARTLEAD_BASE_URL", "http://[::1")
    monkeypatch.setenv("SMARTLEAD_API_KEY", HOSTILE_KEY)
    for argv in (("campaigns",), ("campaigns", "--format", "csv"), ("snapshot",)):
        code, out = run_cli(*argv)
        assert code == cli.EXIT_SETTINGS == 8, argv
        err = capsys.readouterr().err
        assert "is not an http(s) address with a host" in err
        assert "Correct SMARTLEAD_BASE_URL and run the command again." in err
        assert "Traceback" not in err
        assert HOSTILE_KEY not in err + out


def test_a_malformed_base_url_through_the_real_entry_point(tmp_path: Path) -> None:
    env = {
        "PATH": "/usr/bin:/bin",
        "PYTHONPATH": str(PROJECT),
        "SMARTLEAD_BASE_URL": "http://[::1",
        "SMARTLEAD_API_KEY": HOSTILE_KEY,
        "SMARTLEAD_HISTORY_PATH": str(tmp_path / "history.sqlite3"),
    }
    done = run_smartlead("campaigns", cwd=tmp_path, env=env)
    assert done.returncode == cli.EXIT_SETTINGS
    assert done.stderr.startswith("error: The SmartLead API address")
    assert "Traceback" not in done.stderr
    assert "8 a setting cannot be used" in run_smartlead("--help", cwd=tmp_path, env=env).stdout


@pytest.mark.parametrize("where", ["environment", "sidebar"])
def test_a_malformed_base_url_on_the_page_is_a_settings_error_in_words(
    monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    monkeypatch.setenv("SMARTLEAD_BASE_URL", "http://[::1")
    if where == "environment":
        monkeypatch.setenv("SMARTLEAD_API_KEY", HOSTILE_KEY)
        at = open_app()
    else:
        at = open_app()
        at.text_input(key="api_key_input").set_value(HOSTILE_KEY)
        next(b for b in at.get("form_submit_button") if b.label == "Connect").click()
        at.run()
    assert not at.exception
    (error,) = at.error
    assert "The dashboard is not set up right" in error.value
    assert "is not an http(s) address with a host" in plain(error.value)
    assert "correct SMARTLEAD_BASE_URL" in plain(" ".join(c.value for c in at.caption))
    assert "Traceback" not in all_text(at)
    assert HOSTILE_KEY not in plain(all_text(at))


# --------------------------------------------------------------------------- 1: CSV rows


def read_rows(data: bytes | str) -> list[list[str]]:
    text = data.decode("utf-8-sig") if isinstance(data, bytes) else data
    return list(csv.reader(io.StringIO(text, newline="")))


def assert_no_line_starts_a_formula(text: str) -> None:
    """Even a reader that splits rows on every line break, quotes or not, sees no formula."""
    for line in re.split(r"\r\n|\r|\n", text):
        assert not line.startswith(FORMULA_TRIGGERS), repr(line)


def test_the_command_lines_csv_has_one_row_per_campaign_and_no_live_formula(
    standin: StandinSmartlead, cli_env: None
) -> None:
    records = serve_hostile(standin, TEST_KEY)
    code, out = run_cli("campaigns", "--format", "csv")
    assert code == cli.EXIT_OK
    header, *rows = read_rows(out)
    assert len(rows) == len(records)
    names = [row[header.index("name")] for row in rows]
    assert names == [neutralise_formula(record["name"]) for record in records]
    for name in FORMULAS_AFTER_LINE_BREAKS:
        assert neutralise_formula(name) in names
    assert_no_line_starts_a_formula(out)


# --------------------------------------------------------------------------- 2, 4, 10: the pages


MARKDOWN_ELEMENTS_EXEMPT = {
    "dataframe",  # tables show cells as text
    "vega_lite_chart",  # charts draw data as SVG text
    "multiselect",  # options are plain text (the browser test opens them)
    "selectbox",
    "text",  # st.text
}


def markdown_sources(at: Any) -> list[tuple[str, str]]:
    """(element type, protobuf text) of every element that may render Markdown.

    ``st.html`` renders no Markdown: what an HTML parser makes of its body counts instead,
    the tags and their attributes (where an address would be live), never the text.
    """
    found = []
    for node in walk(at._tree):
        kind = getattr(node, "type", type(node).__name__)
        if kind == "html":
            found.append((kind, html_markup(node.proto.body)))
        elif kind not in MARKDOWN_ELEMENTS_EXEMPT:
            found.append((kind, str(node.proto)))
    return found


def html_markup(body: str) -> str:
    """The elements, their attributes and any style or script of an HTML fragment: all of
    it but the text the page shows."""
    markup: list[str] = []

    class Markup(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            markup.append(f"<{tag} {attrs!r}>")

        def handle_data(self, data: str) -> None:
            if self.lasttag in ("style", "script"):
                markup.append(data)

    parser = Markup(convert_charrefs=True)
    parser.feed(body)
    parser.close()
    return "".join(markup)


def hostile_page(standin: StandinSmartlead) -> Any:
    serve_hostile(standin)
    serve_client_names_failing(standin, HOSTILE_KEY, markdown_error())
    return live_app(standin, key=HOSTILE_KEY)


def test_no_upstream_text_reaches_a_markdown_element_unescaped_on_any_page(
    standin: StandinSmartlead, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.standin_hostile import PARENT_ID, markdown_names
    from ui.page import DETAIL_KEY, PAGES

    monkeypatch.setenv("SMARTLEAD_HISTORY_INTERVAL", "0")  # a snapshot after every fetch
    at = hostile_page(standin)
    # A second fetch, with hostile renames and a hostile tag: the Changes page has a diff.
    names = list(markdown_names().values())
    for record, name in zip(standin.portfolios[HOSTILE_KEY][: len(names)], names, strict=True):
        record["name"] = f"{name} (renamed)"
        record["tags"] = [{"tag_id": 99, "tag_name": name, "tag_color": "#fff"}]
    next(b for b in at.button if b.label == "Refresh").click().run()
    at.session_state[DETAIL_KEY] = PARENT_ID  # the Campaigns page shows its subsequences
    host = ATTACKER.split("//")[1]
    for page in PAGES.values():
        at.switch_page(page.path).run()
        assert not at.exception, page.path
        for kind, source in markdown_sources(at):
            # Escaped, the host reads "attacker\.invalid": raw, it would be a live address.
            assert host not in source, (page.path, kind, source[:300])
    assert at.dataframe, "the Changes page compared the two snapshots"
    changes = at.dataframe[0].value
    assert any(
        name in str(value) for value in changes["after"] for name in markdown_names().values()
    )
    notice = next(text for text in caption_texts(at) if "Client names are unavailable" in text)
    assert f"![x]({ATTACKER}/err.png) :red[down]" in notice, "shown as the text it is"


def test_subsequence_buttons_are_plain_text_and_open_the_right_campaign(
    standin: StandinSmartlead,
) -> None:
    from tests.standin_hostile import PARENT_ID, markdown_names
    from ui.page import DETAIL_KEY, PAGES

    at = hostile_page(standin)
    at.switch_page(PAGES["campaigns"].path)
    at.session_state[DETAIL_KEY] = PARENT_ID
    at.run()
    labels = {b.label for b in at.button if b.key and b.key.startswith("open_child_")}
    assert len(labels) == len(markdown_names())
    for label in labels:
        assert "](" not in label, label
        assert ":red[" not in label, label
        assert "**" not in label, label
    shown = {plain(label) for label in labels}
    for offset, name in enumerate(markdown_names().values(), start=1):
        assert f"{name} (#{PARENT_ID + offset}) · ACTIVE" in shown
    pixel = next(b for b in at.button if b.key and "pixel" in b.label)
    pixel.click().run()
    assert plain(at.subheader[0].value) == f"{markdown_names()['pixel']} (#{PARENT_ID + 1})"


# ----------------------------------------------------------------------- 6, 11, 12, 13: the pages


def test_out_of_range_daily_limits_leave_the_pages_working_and_the_sum_exact(
    standin: StandinSmartlead,
) -> None:
    from ui.page import DETAIL_KEY, PAGES

    records = serve_hostile(standin)
    at = live_app(standin, key=HOSTILE_KEY)
    assert not at.exception
    readable = [
        r["max_leads_per_day"]
        for r in records
        if r["status"] == "ACTIVE" and 0 <= r["max_leads_per_day"] <= 10**9
    ]
    assert metrics(at)["Active daily limit"] == f"{sum(readable):,}"
    slider = at.slider(key="limit")
    assert slider.max == max(readable)
    assert slider.min == min(readable)
    for page in PAGES.values():
        at.switch_page(page.path).run()
        assert not at.exception, page.path
    at.session_state[DETAIL_KEY] = 400  # "Huge limit 0": 2**62
    at.switch_page(PAGES["campaigns"].path).run()
    shown = {
        setting: value
        for box in (frame.value for frame in at.dataframe if "Setting" in frame.value.columns)
        for setting, value in zip(box["Setting"], box["Value"], strict=True)
    }
    assert shown["Daily limit (new leads per day)"] == "—"
    assert shown["Fields that could not be read"] == "max_leads_per_day"


def test_a_repeated_id_shows_the_campaign_of_the_row_picked_and_says_so(
    standin: StandinSmartlead,
) -> None:
    from tests.standin_hostile import DUPLICATE_ID
    from ui.page import DETAIL_KEY, DETAIL_ROW, PAGES

    records = serve_hostile(standin)
    at = live_app(standin, key=HOSTILE_KEY)
    at.switch_page(PAGES["campaigns"].path).run()
    notes = [text for text in caption_texts(at) if "the same id for more than one" in text]
    assert notes == [
        f"SmartLead sent the same id for more than one campaign (#{DUPLICATE_ID}); each row is "
        "still its own campaign, and selecting a row opens that row's campaign."
    ]
    for name in ("first", "second", "third"):
        at.session_state[DETAIL_KEY] = DUPLICATE_ID
        at.session_state[DETAIL_ROW] = next(i for i, r in enumerate(records) if r["name"] == name)
        at.run()
        assert plain(at.subheader[0].value) == f"{name} (#{DUPLICATE_ID})"
        assert at.warning[0].value == (
            f"3 campaigns in this portfolio carry id #{DUPLICATE_ID}: these are the settings "
            "of the one selected."
        )


def test_values_named_like_placeholders_are_filter_choices_of_their_own(
    standin: StandinSmartlead,
) -> None:
    from smartlead import vocab

    records = serve_hostile(standin)
    at = live_app(standin, key=HOSTILE_KEY)
    clients = at.multiselect(key="client").options
    assert clients.count(vocab.NO_CLIENT) == 1
    assert "(no client) (#41)" in clients
    tags = at.multiselect(key="tag").options
    assert tags.count(vocab.UNTAGGED) == 1
    assert "(untagged) (#71)" in tags
    at.multiselect(key="tag").set_value([vocab.UNTAGGED]).run()
    untagged = [r for r in records if not r["tags"]]
    assert metrics(at)["Campaigns shown"] == str(len(untagged))
    at.multiselect(key="tag").set_value(["(untagged) (#71)"]).run()
    assert metrics(at)["Campaigns shown"] == "1"
    at.multiselect(key="tag").set_value([]).run()
    at.multiselect(key="client").set_value([vocab.NO_CLIENT]).run()
    assert metrics(at)["Campaigns shown"] == str(sum(1 for r in records if not r["client_id"]))
    at.multiselect(key="client").set_value(["(no client) (#41)"]).run()
    assert metrics(at)["Campaigns shown"] == str(sum(1 for r in records if r["client_id"] == 41))


def test_the_health_download_names_the_findings_it_holds(standin: StandinSmartlead) -> None:
    from ui.page import PAGES

    at = live_app(standin)
    at.switch_page(PAGES["health"].path).run()
    (button,) = at.get("download_button")
    assert button.label == "Download these findings (CSV)"
    listed = at.dataframe[1].value
    assert button.help.startswith(f"The {len(listed):,} findings listed above, every rule")
    at.session_state["rules_table"] = {"selection": {"rows": [0], "columns": []}}
    at.run()
    (button,) = at.get("download_button")
    rule = at.dataframe[0].value.iloc[0]["title"]
    listed = at.dataframe[1].value
    assert button.help.startswith(f"The {len(listed):,} findings listed above (rule “{rule}”)")
