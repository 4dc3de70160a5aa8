"""Exports: formula-safe CSV, verbatim JSON, and a terminal table untrusted names cannot break."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import UTC, datetime
from typing import Any

import pandas as pd
import pyarrow as pa
import pytest

from smartlead.demo import AWKWARD_NAMES, demo_campaigns, demo_clients
from smartlead.export import (
    FORMULA_TRIGGERS,
    csv_ready,
    frame_records,
    neutralise_formula,
    to_csv_bytes,
    to_json_bytes,
    to_text_table,
)
from smartlead.frame import COLUMNS, campaigns_frame, empty_frame
from tests import builders

BOM = b"\xef\xbb\xbf"

TRIGGERS = ["=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠", "｜"]
"""What a spreadsheet reads as the start of a formula, including the full-width forms."""


def record(campaign_id: int | None, **fields: Any) -> dict[str, Any]:
    """``builders.campaign`` of client 11, created 2025-11-25 and tagged Q1, unless told."""
    defaults = {
        "created_at": "2025-11-25T10:43:46.826Z",
        "client_id": 11,
        "tags": [builders.tag(1, "Q1", "#FF5733")],
    }
    return builders.campaign(campaign_id, **{**defaults, **fields})


def read_back(data: bytes, **options: Any) -> pd.DataFrame:
    return pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", **options)


# --------------------------------------------------------------------------- neutralise_formula


def test_every_trigger_is_listed() -> None:
    assert set(TRIGGERS) <= set(FORMULA_TRIGGERS)


@pytest.mark.parametrize("trigger", TRIGGERS, ids=[f"U+{ord(t):04X}" for t in TRIGGERS])
def test_each_trigger_gets_a_leading_apostrophe(trigger: str) -> None:
    text = trigger + 'HYPERLINK("http://evil.example","x")'
    assert neutralise_formula(text) == "'" + text
    assert neutralise_formula(trigger) == "'" + trigger


@pytest.mark.parametrize(
    "text", ["", "Cold outreach", "Q1 = best", "100% growth", "'=already quoted", "a-b", "x@y"]
)
def test_text_that_is_not_a_formula_is_left_alone(text: str) -> None:
    assert neutralise_formula(text) == text


# --------------------------------------------------------------------------- CSV


@pytest.fixture(scope="module")
def risky() -> pd.DataFrame:
    clients = [{"id": 11, "name": "@Acme"}, {"id": 12, "name": "Plain Client"}]
    return campaigns_frame(
        [
            record(
                1,
                name='=HYPERLINK("http://evil.example","Click")',
                unsubscribe_text="-reply stop",
                tags=[
                    builders.tag(1, "+Hot", "#111111"),
                    builders.tag(2, "=Cold", None),
                ],
                user_id=-5,
                send_as_plain_text=None,  # a setting SmartLead left empty
            ),
            record(
                2,
                name="＝SUM(A1)",
                client_id=12,
                stop_lead_settings="@REPLY",
                scheduler_cron_value={"tz": "=tz", "days": [1], "startHour": "09:00"},
                tags=None,
            ),
            record(3, name="\tTab first", tags=[builders.tag(3, "Fine", "")]),
            record(4, name='Plain, with "quotes"\nand a line break', max_leads_per_day=None),
            record(5, name="", status=None),
        ],
        clients,
    )


def test_csv_neutralises_formulas_in_names(risky: pd.DataFrame) -> None:
    back = read_back(to_csv_bytes(risky), dtype=str, keep_default_na=False)
    assert back["name"].tolist() == [
        '\'=HYPERLINK("http://evil.example","Click")',
        "'＝SUM(A1)",
        "'\tTab first",
        'Plain, with "quotes"\nand a line break',
        "",
    ]


def test_csv_neutralises_formulas_in_list_cells_and_other_text_columns(risky: pd.DataFrame):
    back = read_back(to_csv_bytes(risky), dtype=str, keep_default_na=False)
    assert back["tags"].tolist() == ["'+Hot; =Cold", "", "Fine", "Q1", "Q1"]
    assert back["unsubscribe_text"].tolist()[0] == "'-reply stop"
    assert back["client_name"].tolist() == ["'@Acme", "Plain Client", "'@Acme", "'@Acme", "'@Acme"]
    assert back["stop_lead_settings"].tolist()[1] == "'@REPLY"
    assert back["schedule_timezone"].tolist()[1] == "'=tz"
    # no text cell anywhere starts with a trigger (numbers such as -5 stay numbers)
    for column in back.columns:
        if pd.api.types.is_numeric_dtype(risky[column]):
            continue
        for cell in back[column]:
            assert not cell.startswith(tuple(TRIGGERS)), (column, cell)


def test_csv_numbers_are_not_prefixed(risky: pd.DataFrame) -> None:
    ready = csv_ready(risky)
    assert pd.api.types.is_integer_dtype(ready["user_id"])
    back = read_back(to_csv_bytes(risky))
    assert back["user_id"].tolist()[0] == -5
    assert pd.api.types.is_numeric_dtype(back["user_id"])
    assert pd.api.types.is_numeric_dtype(back["id"])


def test_csv_starts_with_one_byte_order_mark(risky: pd.DataFrame) -> None:
    data = to_csv_bytes(risky)
    assert data.startswith(BOM)
    assert not data[len(BOM) :].startswith(BOM)
    assert data[len(BOM) :].decode("utf-8").startswith("id,name,status,")


def test_csv_round_trip_keeps_every_row_and_id(risky: pd.DataFrame) -> None:
    back = read_back(to_csv_bytes(risky))
    assert len(back) == len(risky)
    assert back["id"].tolist() == [1, 2, 3, 4, 5]
    assert list(back.columns) == list(COLUMNS)


def test_csv_round_trip_of_the_demo_portfolio() -> None:
    frame = campaigns_frame(demo_campaigns(300, awkward_names=True), demo_clients())
    back = read_back(to_csv_bytes(frame), dtype=str, keep_default_na=False)
    assert len(back) == 300
    assert [int(i) for i in back["id"]] == frame["id"].tolist()
    expected = [neutralise_formula(name) if isinstance(name, str) else "" for name in frame["name"]]
    assert back["name"].tolist() == expected
    assert set(AWKWARD_NAMES) <= set(frame["name"])


def test_csv_of_a_view_keeps_just_its_rows() -> None:
    frame = campaigns_frame(demo_campaigns(60), demo_clients())
    view = frame[frame["status"] == "ACTIVE"].iloc[::2]
    back = read_back(to_csv_bytes(view))
    assert back["id"].tolist() == view["id"].tolist()


def test_csv_with_chosen_columns_and_times(risky: pd.DataFrame) -> None:
    back = read_back(to_csv_bytes(risky, ["id", "created_at", "track_opens"]), dtype=str)
    assert list(back.columns) == ["id", "created_at", "track_opens"]
    assert back["created_at"].tolist()[0] == "2025-11-25T10:43:46.826000Z"


def test_csv_of_an_empty_frame_has_the_header_only() -> None:
    data = to_csv_bytes(empty_frame())
    back = read_back(data)
    assert back.empty
    assert list(back.columns) == list(COLUMNS)


def test_csv_of_arrow_scalar_columns_keeps_numbers_and_neutralises_text() -> None:
    # A frame read with dtype_backend="pyarrow" has Arrow scalar columns, not lists.
    frame = pd.DataFrame(
        {
            "id": pd.array([1, 2, None], dtype=pd.ArrowDtype(pa.int64())),
            "delta": pd.array([-3, 0, 4], dtype=pd.ArrowDtype(pa.int64())),
            "name": pd.array(["=cmd", "fine", None], dtype=pd.ArrowDtype(pa.string())),
        }
    )
    back = read_back(to_csv_bytes(frame))
    assert back["delta"].tolist() == [-3, 0, 4]
    assert back["name"].tolist()[:2] == ["'=cmd", "fine"]
    assert json.loads(to_json_bytes(frame)) == [
        {"id": 1, "delta": -3, "name": "=cmd"},
        {"id": 2, "delta": 0, "name": "fine"},
        {"id": None, "delta": 4, "name": None},
    ]


# --------------------------------------------------------------------------- JSON


def test_json_keeps_text_verbatim(risky: pd.DataFrame) -> None:
    text = to_json_bytes(risky).decode("utf-8")
    rows = json.loads(text)
    assert [row["name"] for row in rows] == [
        '=HYPERLINK("http://evil.example","Click")',
        "＝SUM(A1)",
        "\tTab first",
        'Plain, with "quotes"\nand a line break',
        "",
    ]
    assert rows[0]["unsubscribe_text"] == "-reply stop"
    assert rows[0]["client_name"] == "@Acme"
    assert "'=" not in text
    assert "＝SUM" in text  # non-ASCII text is written as itself, not \\u escapes


def test_json_lists_nulls_numbers_and_booleans(risky: pd.DataFrame) -> None:
    rows = json.loads(to_json_bytes(risky))
    assert rows[0]["tags"] == ["+Hot", "=Cold"]
    assert rows[0]["tag_ids"] == [1, 2]
    assert rows[0]["tag_colors"] == ["#111111", None]
    assert rows[1]["tags"] is None
    assert rows[2]["tags"] == ["Fine"]
    assert rows[0]["user_id"] == -5
    assert rows[3]["max_leads_per_day"] is None
    assert rows[0]["id"] == 1
    assert isinstance(rows[0]["id"], int)
    assert rows[0]["parent_campaign_id"] is None
    assert rows[0]["send_as_plain_text"] is None
    assert rows[4]["status"] == "UNKNOWN"
    assert rows[1]["schedule_days"] == [0]  # SmartLead's Monday (1) is weekday 0


def test_json_times_are_iso_8601_utc_with_z(risky: pd.DataFrame) -> None:
    rows = json.loads(to_json_bytes(risky))
    created = rows[0]["created_at"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z", created)
    assert datetime.fromisoformat(created) == datetime(2025, 11, 25, 10, 43, 46, 826000, UTC)
    assert rows[0]["schedule_start_time"] is None


def test_json_of_the_demo_round_trips_ids_in_order() -> None:
    frame = campaigns_frame(demo_campaigns(120), demo_clients())
    rows = json.loads(to_json_bytes(frame))
    assert [row["id"] for row in rows] == frame["id"].tolist()
    assert all(set(row) == set(COLUMNS) for row in rows)


def test_json_with_chosen_columns_and_of_nothing(risky: pd.DataFrame) -> None:
    rows = json.loads(to_json_bytes(risky, ["id", "name"]))
    assert rows[0] == {"id": 1, "name": '=HYPERLINK("http://evil.example","Click")'}
    assert json.loads(to_json_bytes(empty_frame())) == []
    assert frame_records(empty_frame()) == []


def test_frame_records_are_plain_python_values(risky: pd.DataFrame) -> None:
    records = frame_records(risky)
    assert len(records) == len(risky)
    for row in records:
        for value in row.values():
            assert value is None or type(value) in (str, int, float, bool, list), value


def test_frame_records_of_naive_and_object_times() -> None:
    frame = pd.DataFrame(
        {
            "naive": pd.to_datetime(["2025-01-02 03:04:05", None]),
            "mixed": [pd.Timestamp("2025-01-02", tz="UTC"), None],
        }
    )
    assert frame_records(frame) == [
        {"naive": "2025-01-02T03:04:05", "mixed": "2025-01-02T00:00:00Z"},
        {"naive": None, "mixed": None},
    ]
    json.loads(to_json_bytes(frame))


# --------------------------------------------------------------------------- text table


def test_text_table_shape_and_alignment() -> None:
    frame = campaigns_frame([record(7, name="Short"), record(12345, name="Longer name", tags=None)])
    lines = to_text_table(frame, ["id", "name", "tags"]).split("\n")
    assert len(lines) == 4
    assert lines[0].split() == ["id", "name", "tags"]
    assert set(lines[1].replace(" ", "")) == {"-"}
    assert lines[2].split() == ["7", "Short", "Q1"]
    assert lines[3].split() == ["12345", "Longer", "name"]
    assert len({len(line) for line in lines}) == 1  # every row padded to the same width
    assert lines[2].index("Short") == lines[3].index("Longer") == lines[0].index("name")


def test_text_table_strips_control_characters_and_escape_sequences() -> None:
    name = (
        "Red\x1b[31mAlert\x1b[0m\x07 \x1b]8;;http://evil.example\x07link\x1b]8;;\x1b\\ "
        "\x9b2Jclear\rover\nnext\tcol \u202eexe.pdf\x00\x7f end"
    )
    frame = campaigns_frame([record(1, name=name, tags=[builders.tag(1, "t\x1b[2Jag", None)])])
    table = to_text_table(frame, ["id", "name", "tags"], max_width=200)
    lines = table.split("\n")
    assert len(lines) == 3  # the line break in the name did not start a new row
    for char in table.replace("\n", ""):
        assert ord(char) >= 32, repr(char)
        assert not 0x7F <= ord(char) < 0xA0, repr(char)
    assert "\u202e" not in table
    for residue in ("[31m", "[0m", "8;;", "2J"):
        assert residue not in table
    assert lines[2].split()[1:] == [
        "RedAlert",
        "link",
        "clear",
        "over",
        "next",
        "col",
        "exe.pdf",
        "end",
        "tag",
    ]


def test_text_table_cuts_long_cells_with_an_ellipsis() -> None:
    long_name = "x" * 30 + "y" * 30
    frame = campaigns_frame([record(1, name=long_name), record(2, name="z" * 10)])
    lines = to_text_table(frame, ["id", "name"], max_width=20).split("\n")
    assert lines[2].split()[1] == "x" * 19 + "…"
    assert lines[3].split()[1] == "z" * 10
    exact = campaigns_frame([record(1, name="w" * 20)])
    assert "w" * 20 + " " not in to_text_table(exact, ["name"], max_width=19)
    assert to_text_table(exact, ["name"], max_width=20).split("\n")[2] == "w" * 20


def test_text_table_shows_missing_values_as_blank_and_lists_joined() -> None:
    frame = campaigns_frame(
        [
            record(
                1,
                name=None,
                max_leads_per_day=None,
                tags=[
                    builders.tag(1, "A", None),
                    builders.tag(2, "B", None),
                ],
            )
        ]
    )
    lines = to_text_table(frame, ["id", "name", "max_leads_per_day", "tags"]).split("\n")
    assert lines[2].split() == ["1", "A;", "B"]
    assert "<NA>" not in lines[2]
    assert "None" not in lines[2]


def test_text_table_of_an_empty_frame_is_the_header() -> None:
    assert to_text_table(empty_frame(), ["id", "name"]).split("\n") == ["id  name", "--  ----"]


# --------------------------------------------------------------------------- line breaks (issue 17)

LINE_BREAK_FORMULAS = {
    "Quarterly report\r=cmd|' /C calc'!A0": "Quarterly report\r'=cmd|' /C calc'!A0",
    "Notes\n@SUM(1+1)": "Notes\n'@SUM(1+1)",
    "Plan\r\n+HYPERLINK(x)": "Plan\r\n'+HYPERLINK(x)",
    "Two\r\r-2+3": "Two\r\r'-2+3",
    "=a\n-b": "'=a\n'-b",
    "Tab\n\tx": "Tab\n'\tx",
    "Wide\r＝1": "Wide\r'＝1",
    "Fine\nline": "Fine\nline",
    "Quoted\n'=ok": "Quoted\n'=ok",
}


@pytest.mark.parametrize("text", list(LINE_BREAK_FORMULAS))
def test_a_trigger_after_a_line_break_is_neutralised_too(text: str) -> None:
    assert neutralise_formula(text) == LINE_BREAK_FORMULAS[text]


def naive_lines(text: str) -> list[str]:
    """Rows as a reader that splits on every line break, quoted or not, would see them."""
    return re.split(r"\r\n|\r|\n", text)


def test_a_carriage_return_in_a_name_cannot_start_a_row_with_a_live_formula() -> None:
    names = list(LINE_BREAK_FORMULAS)
    frame = campaigns_frame([record(n, name=name) for n, name in enumerate(names, start=1)])
    data = to_csv_bytes(frame)
    text = data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert len(rows) == 1 + len(names), "one row per campaign, whatever the names hold"
    assert [row[1] for row in rows[1:]] == [LINE_BREAK_FORMULAS[name] for name in names]
    assert back_names(data) == [LINE_BREAK_FORMULAS[name] for name in names]
    for line in naive_lines(text):
        assert not line.startswith(tuple(TRIGGERS)), repr(line)
    assert "\"Quarterly report\r'=cmd" in text, "a field holding a lone CR is quoted"
    assert text.endswith("\r\n")


def back_names(data: bytes) -> list[str]:
    return read_back(data, dtype=str, keep_default_na=False)["name"].tolist()


def test_the_health_and_changes_csvs_get_the_same_protection() -> None:
    from smartlead import audit
    from smartlead.history import diff_snapshots

    before = [record(1, name="Old", max_leads_per_day=50), record(2, name="Gone")]
    after = [record(1, name="Quarterly report\r=cmd|' /C calc'!A0", max_leads_per_day=60)]
    changes = diff_snapshots(before, after)
    text = to_csv_bytes(changes).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert len(rows) == 1 + len(changes)
    for line in naive_lines(text):
        assert not line.startswith(tuple(TRIGGERS)), repr(line)

    frame = campaigns_frame([record(1, name="Plan\r=1+1", unsubscribe_text=None)])
    findings = audit.run_audit(frame)
    text = audit.findings_csv(findings).decode("utf-8-sig")
    assert len(list(csv.reader(io.StringIO(text, newline="")))) == 1 + len(findings) > 1
    for line in naive_lines(text):
        assert not line.startswith(tuple(TRIGGERS)), repr(line)
