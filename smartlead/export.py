"""Exports of a campaign frame (CSV, JSON, a plain-text table) that are safe to open anywhere.

Campaign names are free text that anyone with access to the SmartLead account can set, so a
name like ``=HYPERLINK(...)`` would run as a formula when a colleague opens the CSV in Excel or
Google Sheets. Every text cell of a CSV export that starts with a formula trigger is prefixed
with an apostrophe (OWASP's advice for CSV injection), and so is every trigger that follows a
line break inside a cell; every field holding a line break is quoted, a lone carriage return
included. Every CSV the project writes (Campaigns, Health findings, Changes, the command line)
goes through :func:`to_csv_bytes`. JSON keeps the text exactly as it came.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

FORMULA_TRIGGERS: tuple[str, ...] = (
    "=",
    "+",
    "-",
    "@",
    "\t",
    "\r",
    "\n",
    "｜",
    "＝",
    "＋",
    "－",
    "＠",
)
"""Leading characters that make a spreadsheet treat a cell as a formula (incl. full-width forms)."""


LINE_TERMINATOR = "\r\n"
"""Rows end in CRLF (RFC 4180). Python's CSV writer quotes every field holding a character of
the line terminator, so this also quotes a field holding a lone ``\r``, which pandas' default
``\n`` would leave bare, letting a reader start a new row (with a live formula) inside a name."""

_TRIGGER_AFTER_LINE_BREAK = re.compile(
    r"(\r\n|\r|\n)(?=[" + re.escape("".join(t for t in FORMULA_TRIGGERS if t not in "\r\n")) + "])"
)


def neutralise_formula(text: str) -> str:
    """Text that a spreadsheet shows literally: formula triggers get a leading apostrophe.

    A trigger right after a line break inside the text is neutralised too: a reader that
    splits rows on line breaks, quoting or not, would otherwise start a cell with it.
    """
    if not text:
        return text
    text = _TRIGGER_AFTER_LINE_BREAK.sub(r"\1'", text)
    if text.startswith(FORMULA_TRIGGERS):
        return "'" + text
    return text


def _list_cell(values: Any) -> str:
    if values is None or (np.ndim(values) == 0 and pd.isna(values)):
        return ""
    return "; ".join("" if v is None else str(v) for v in values)


def _is_list_dtype(dtype: Any) -> bool:
    """An Arrow list column (tags, tracking flags, weekdays), as opposed to an Arrow scalar one."""
    return isinstance(dtype, pd.ArrowDtype) and pa.types.is_list(dtype.pyarrow_dtype)


def _plain_values(series: pd.Series) -> list[Any]:
    """A column as JSON-ready Python values: lists, ISO-8601 times, None for missing."""
    dtype = series.dtype
    if _is_list_dtype(dtype):
        return list(series.array.__arrow_array__().to_pylist())
    if isinstance(dtype, pd.DatetimeTZDtype):
        return [None if pd.isna(v) else _iso(v) for v in series]
    return [_plain_value(v) for v in series.astype(object).tolist()]


def _plain_value(value: Any) -> Any:
    if _is_missing(value):
        return None
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, (datetime, date)):
        return _iso(value)
    return value


def _iso(moment: date) -> str:
    """ISO-8601 text; UTC times end in Z."""
    return moment.isoformat().replace("+00:00", "Z")


def _is_missing(value: Any) -> bool:
    return (
        value is None
        or value is pd.NA
        or value is pd.NaT
        or (isinstance(value, float) and np.isnan(value))
    )


def frame_records(
    frame: pd.DataFrame, columns: Sequence[str] | None = None
) -> list[dict[str, Any]]:
    """The frame's rows as plain dicts (what the JSON export and the CLI write)."""
    chosen = list(columns) if columns is not None else list(frame.columns)
    if frame.empty:
        return []
    converted = {name: _plain_values(frame[name]) for name in chosen}
    return [dict(zip(chosen, row, strict=True)) for row in zip(*converted.values(), strict=True)]


def to_json_bytes(frame: pd.DataFrame, columns: Sequence[str] | None = None) -> bytes:
    """UTF-8 JSON array of the rows, one object per campaign, text kept verbatim."""
    return json.dumps(frame_records(frame, columns), ensure_ascii=False, indent=1).encode("utf-8")


def csv_ready(frame: pd.DataFrame, columns: Sequence[str] | None = None) -> pd.DataFrame:
    """A copy where lists are '; '-joined, times ISO-8601 and every text cell formula-safe."""
    chosen = list(columns) if columns is not None else list(frame.columns)
    out: dict[str, Any] = {}
    for name in chosen:
        series = frame[name]
        dtype = series.dtype
        if _is_list_dtype(dtype):
            texts = [_list_cell(v) for v in _plain_values(series)]
            out[name] = [neutralise_formula(t) for t in texts]
        elif isinstance(dtype, pd.DatetimeTZDtype):
            out[name] = _plain_values(series)
        elif pd.api.types.is_numeric_dtype(dtype) or pd.api.types.is_bool_dtype(dtype):
            out[name] = series
        else:
            out[name] = [
                None if _is_missing(v) else neutralise_formula(str(v))
                for v in series.astype(object).tolist()
            ]
    return pd.DataFrame(out, index=frame.index)


def to_csv_bytes(frame: pd.DataFrame, columns: Sequence[str] | None = None) -> bytes:
    """UTF-8 CSV (with a byte-order mark so Excel reads accents right), formula-safe.

    Every field holding a line break (``\r`` or ``\n``), a comma or a quote is quoted, so
    each campaign is exactly one row in any reader (see :data:`LINE_TERMINATOR`).
    """
    buffer = io.StringIO()
    csv_ready(frame, columns).to_csv(buffer, index=False, lineterminator=LINE_TERMINATOR)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_text_table(frame: pd.DataFrame, columns: Sequence[str], max_width: int = 48) -> str:
    """A fixed-width table for a terminal: long cells are cut with an ellipsis."""
    rows = frame_records(frame, columns)
    cells = [[_cell_text(row[name], max_width) for name in columns] for row in rows]
    widths = [max([len(name), *(len(line[i]) for line in cells)]) for i, name in enumerate(columns)]
    header = "  ".join(name.ljust(width) for name, width in zip(columns, widths, strict=True))
    rule = "  ".join("-" * width for width in widths)
    body = [
        "  ".join(text.ljust(width) for text, width in zip(line, widths, strict=True))
        for line in cells
    ]
    return "\n".join([header, rule, *body])


_CONTROL_CHARACTERS = {
    code: None
    for code in [
        *range(32),
        *range(127, 160),
        0x061C,  # the bidirectional marks and overrides, which reorder the rest of a line
        0x200E,
        0x200F,
        *range(0x202A, 0x202F),
        *range(0x2066, 0x206A),
    ]
}
_ESCAPE_SEQUENCES = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]"  # CSI: colours, cursor moves, screen clears
    r"|(?:\x1b[\]P^_X]|[\x90\x98\x9d-\x9f])[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)"  # OSC, DCS…
    r"|\x1b[ -/]*[0-~]"  # any other escape sequence
)
"""Terminal escape sequences, removed whole so none of their parameters is left behind."""


def terminal_text(text: str) -> str:
    """Untrusted text made safe to print to a terminal, on one line.

    Escape sequences are removed whole (a title change, a screen clear, a hyperlink), then
    control and bidirectional characters, and runs of white space become one space.
    """
    text = _ESCAPE_SEQUENCES.sub("", text)
    return " ".join(text.split()).translate(_CONTROL_CHARACTERS)


_CONTROL_CHARACTERS_BUT_LINES = {
    code: None for code in _CONTROL_CHARACTERS if code not in (ord("\n"), ord("\t"))
}


def terminal_lines(text: str) -> str:
    """Untrusted text of many lines (a CSV or JSON document) made safe to show in a terminal.

    As :func:`terminal_text`, but line breaks and tabs stay: a CRLF becomes a plain line
    break, and a lone carriage return (which would let a line overwrite what is shown) goes.
    """
    text = _ESCAPE_SEQUENCES.sub("", text).replace("\r\n", "\n")
    return text.translate(_CONTROL_CHARACTERS_BUT_LINES)


def _cell_text(value: Any, max_width: int) -> str:
    if value is None:
        text = ""
    elif isinstance(value, list):
        text = _list_cell(value)
    else:
        text = str(value)
    text = terminal_text(text)
    return text if len(text) <= max_width else text[: max_width - 1] + "…"
