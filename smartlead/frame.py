"""Flatten SmartLead campaign records into one typed pandas DataFrame: one row per campaign.

Everything downstream (filters, charts, schedule, audit, history, exports) reads this frame,
so its schema is defined once, here, in :data:`SCHEMA`. The README's schema table is generated
from the same constant (``python -m smartlead schema``).

Rules the flattening keeps, whatever the API sends:

- every record becomes exactly one row, in the order received; none is dropped for a null, a
  missing key, a wrong type or an unknown status (a record that is not even an object becomes
  a row of nulls whose raw JSON sits in ``extra``);
- a known field whose value cannot be read (``"max_leads_per_day": "lots"``), or that lies
  outside the range the setting can sensibly hold (:data:`SANE_RANGES`: a daily limit of
  2**62), becomes null and its name is listed in ``unreadable_fields``, so the loss is visible
  rather than silent;
- fields the schema does not know are kept, as JSON text in ``extra``;
- SmartLead's weekdays (0 = Sunday) become the package's (0 = Monday) here, once.

Speed: one Arrow conversion reads every known field of every record; Arrow kernels and small
lookup tables (128 day sets, 1,441 clock times) do the rest, and what repeats (flag lists,
schedule texts) is worked out once per distinct value. Values Arrow would misread (2.5 as an
integer, a string as a list of its letters) or cannot take go to careful per-value readers,
the reference the fast path is tested against. Turning the payload into a frame costs about
as much as parsing its JSON (``bench/bench_frame.py``).
"""

from __future__ import annotations

import contextlib
import json
import operator
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import repeat
from typing import Any, NamedTuple

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from smartlead import vocab
from smartlead.perf import collector_paused

# The readers this frame shares with the mailbox frame (smartlead.records), by their old names.
from smartlead.records import UnreadableFields as _Unreadable
from smartlead.records import note_unreadable as _note_unreadable
from smartlead.records import parse_each_distinct as _encode_distinct
from smartlead.records import parse_flag as _as_bool

LIST_OF_STRINGS = pd.ArrowDtype(pa.list_(pa.string()))
LIST_OF_INTS = pd.ArrowDtype(pa.list_(pa.int64()))
LIST_OF_DAYS = pd.ArrowDtype(pa.list_(pa.int8()))
UTC_TIMESTAMP = "datetime64[us, UTC]"


@dataclass(frozen=True)
class Column:
    """One column of the campaign frame: its name, pandas dtype and meaning."""

    name: str
    dtype: Any
    description: str
    source: str = ""
    """The campaign field of SmartLead's record the column is read from ('' for none)."""


SCHEMA: tuple[Column, ...] = (
    Column("id", "Int64", "Campaign id (newest campaigns have the highest ids).", "id"),
    Column("name", "string", "Campaign name, free text: render as text, never as HTML.", "name"),
    Column(
        "status",
        "category",
        "Status, upper-cased; DRAFT is folded into DRAFTED; missing becomes UNKNOWN; "
        "other values are kept as they came.",
        "status",
    ),
    Column("client_id", "Int64", "Agency client that owns the campaign (null: none).", "client_id"),
    Column(
        "client_name",
        "category",
        f"Client's name from GET /client/, else 'Client #<id>', else '{vocab.NO_CLIENT}'.",
        "client_id",
    ),
    Column(
        "parent_campaign_id",
        "Int64",
        "Set on subsequences: the campaign this one follows.",
        "parent_campaign_id",
    ),
    Column("user_id", "Int64", "SmartLead user that owns the campaign.", "user_id"),
    Column("created_at", UTC_TIMESTAMP, "When the campaign was created (UTC).", "created_at"),
    Column("updated_at", UTC_TIMESTAMP, "When its settings last changed (UTC).", "updated_at"),
    Column(
        "schedule_start_time",
        UTC_TIMESTAMP,
        "Scheduled first send (UTC); null means 'start immediately'.",
        "schedule_start_time",
    ),
    Column(
        "max_leads_per_day",
        "Int64",
        "Daily send limit: new leads contacted per day.",
        "max_leads_per_day",
    ),
    Column(
        "min_time_btwn_emails",
        "Int64",
        "Minutes between two emails from one mailbox.",
        "min_time_btwn_emails",
    ),
    Column(
        "follow_up_percentage",
        "Int64",
        "Share of the daily limit kept for follow-ups (0–100).",
        "follow_up_percentage",
    ),
    Column(
        "stop_lead_settings",
        "category",
        "When a lead's sequence stops (REPLY_TO_AN_EMAIL, OPENED_EMAIL, ...).",
        "stop_lead_settings",
    ),
    Column(
        "track_settings",
        LIST_OF_STRINGS,
        "Raw tracking flags as sent (an old string form is split on commas).",
        "track_settings",
    ),
    Column(
        "track_opens",
        "boolean",
        "Opens are tracked (pixel on); null when track_settings was null.",
        "track_settings",
    ),
    Column(
        "track_clicks", "boolean", "Link clicks are tracked (links rewritten).", "track_settings"
    ),
    Column("track_replies", "boolean", "Replies are tracked.", "track_settings"),
    Column("send_as_plain_text", "boolean", "Emails go out as plain text.", "send_as_plain_text"),
    Column(
        "enable_ai_esp_matching",
        "boolean",
        "SmartLead matches sending mailbox to the lead's provider.",
        "enable_ai_esp_matching",
    ),
    Column(
        "unsubscribe_text",
        "category",
        "Unsubscribe footer text; empty or null means none is set.",
        "unsubscribe_text",
    ),
    Column("tags", LIST_OF_STRINGS, "Tag names (null when tags were not fetched).", "tags"),
    Column("tag_ids", LIST_OF_INTS, "Tag ids, in the same order as tags.", "tags"),
    Column("tag_colors", LIST_OF_STRINGS, "Tag colours (#RRGGBB), same order as tags.", "tags"),
    Column(
        "schedule_timezone",
        "category",
        "IANA time zone of the sending window.",
        "scheduler_cron_value",
    ),
    Column(
        "schedule_days",
        LIST_OF_DAYS,
        "Sending weekdays, 0 = Monday … 6 = Sunday (SmartLead's Sunday = 0 is converted).",
        "scheduler_cron_value",
    ),
    Column(
        "schedule_start_minute",
        "Int16",
        "Window start, minutes after local midnight.",
        "scheduler_cron_value",
    ),
    Column(
        "schedule_end_minute",
        "Int16",
        "Window end, minutes after local midnight.",
        "scheduler_cron_value",
    ),
    Column(
        "schedule_window_hours",
        "Float64",
        "Window length in hours; a window ending before it starts runs past midnight; "
        "one ending when it starts is empty (0).",
        "scheduler_cron_value",
    ),
    Column("schedule_days_per_week", "Int8", "Number of sending weekdays.", "scheduler_cron_value"),
    Column(
        "schedule_summary",
        "category",
        "The window in words, e.g. 'Mon–Fri 09:00–19:00 America/New_York'.",
        "scheduler_cron_value",
    ),
    Column(
        "extra",
        "string",
        "JSON of fields the schema does not know (or the whole record if it was not an object).",
    ),
    Column(
        "unreadable_fields",
        "string",
        "Known fields that held a value that could not be read (kept as null).",
    ),
)
"""The campaign frame's columns, in order. The one definition every module relies on."""

COLUMNS: tuple[str, ...] = tuple(column.name for column in SCHEMA)
DTYPES: dict[str, Any] = {column.name: column.dtype for column in SCHEMA}

KNOWN_FIELDS: frozenset[str] = frozenset(column.source for column in SCHEMA if column.source)
"""The campaign fields the frame reads (SmartLead's 18 documented fields plus ``tags``), taken
from the columns' ``source``; any other field of a record is kept in ``extra``."""

"""The client group of campaigns without a client (defined in :mod:`smartlead.vocab`; kept
here for the modules that import it from the frame)."""

NO_SCHEDULE = "No schedule"
"""The schedule summary of a campaign without a schedule object."""

_INT_FIELDS = (
    "id",
    "client_id",
    "parent_campaign_id",
    "user_id",
    "max_leads_per_day",
    "min_time_btwn_emails",
    "follow_up_percentage",
)
_TIME_FIELDS = ("created_at", "updated_at", "schedule_start_time")
_TEXT_FIELDS = ("name", "status", *_TIME_FIELDS, "stop_lead_settings", "unsubscribe_text")
_BOOL_FIELDS = ("send_as_plain_text", "enable_ai_esp_matching")
_HHMM = re.compile(r"^\s*(\d{1,2})(?::(\d{2}))?(?::\d{2})?\s*$")

_SCHEDULE_TYPE = pa.struct(
    [
        ("tz", pa.string()),
        ("timezone", pa.string()),
        ("days", pa.list_(pa.int64())),
        ("startHour", pa.string()),
        ("endHour", pa.string()),
        ("days", pa.list_(pa.float64())),
    ]
)
_TAG_TYPE = pa.struct(
    [
        ("tag_id", pa.int64()),
        ("tag_name", pa.string()),
        ("tag_color", pa.string()),
        ("tag_id", pa.float64()),
    ]
)
_FIELD_TYPES: dict[str, pa.DataType] = {
    **dict.fromkeys(_INT_FIELDS, pa.int64()),
    **dict.fromkeys(_TEXT_FIELDS, pa.string()),
    **dict.fromkeys(_BOOL_FIELDS, pa.bool_()),
    "track_settings": pa.list_(pa.string()),
    "tags": pa.list_(_TAG_TYPE),
    "scheduler_cron_value": _SCHEDULE_TYPE,
}
"""The Arrow type each known field is read as when every record holds it well formed.

Arrow's text and boolean conversions accept nothing else; its integer conversion refuses
booleans and text but reads 2.5 as 2. So every integer (the days and tag ids too) is read a
second time as a float, in the same pass: where the two readings differ, the value was not
an integer, and it is read the careful way."""

_DAYS = 2
"""The position of ``days`` (read as integers) in :data:`_SCHEDULE_TYPE`."""

_RECORD_TYPE = pa.struct([*_FIELD_TYPES.items(), *((name, pa.float64()) for name in _INT_FIELDS)])
"""Every field, and the top-level integer fields a second time as floats."""

_NONE = type(None)
_INT_OR_NONE = frozenset({int, _NONE})
_STR_OR_NONE = frozenset({str, _NONE})
_DICT_OR_NONE = frozenset({dict, _NONE})
_ARROW_ERRORS = (pa.ArrowInvalid, pa.ArrowTypeError, OverflowError)
"""What Arrow raises when a Python value does not fit the type asked for: the cue to read the
column (or the rows) the careful way. UnicodeEncodeError is not among them on purpose: lone
surrogates are cleaned for the whole record list (see :func:`campaigns_frame`)."""


def empty_frame() -> pd.DataFrame:
    """A frame with no rows and the full schema: what an account with no campaigns gets."""
    return pd.DataFrame({c.name: pd.Series([], dtype=c.dtype) for c in SCHEMA})


def campaigns_frame(
    records: Sequence[Any], clients: Iterable[Mapping[str, Any]] | None = None
) -> pd.DataFrame:
    """One typed row per campaign record, in order; ``clients`` (from GET /client/) names them.

    ``records`` is what the API returned: normally dicts, but any JSON value is accepted and
    kept. The result always has exactly :data:`COLUMNS`, with :data:`DTYPES`.
    """
    if records is None:
        records = []
    if len(records) == 0:
        return empty_frame()
    try:
        with collector_paused():
            return _build_frame(records, clients)
    except UnicodeEncodeError:
        # JSON may carry lone UTF-16 surrogates ("\ud800") that no UTF-8 text can hold.
        return _build_frame(_without_lone_surrogates(records), _without_lone_surrogates(clients))


def _without_lone_surrogates(value: Any) -> Any:
    """The same JSON value with every unpaired surrogate replaced by U+FFFD."""
    if isinstance(value, str):
        return value.encode("utf-8", "surrogatepass").decode("utf-8", "replace")
    if isinstance(value, dict):
        return {_without_lone_surrogates(k): _without_lone_surrogates(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_without_lone_surrogates(item) for item in value]
    return value


# --------------------------------------------------------------------------- reading fields


class _Field:
    """One known field of every record: as an Arrow array when every value had the field's
    type (see :data:`_FIELD_TYPES`), and as the raw Python values, fetched only when asked."""

    def __init__(self, name: str, dicts: list[dict], arrow: pa.Array | None) -> None:
        self.name = name
        self.dicts = dicts
        self.arrow = arrow
        self._raw: list[Any] | None = None

    @classmethod
    def read(cls, name: str, dicts: list[dict]) -> _Field:
        """The field converted on its own (when the whole-record conversion failed)."""
        field = cls(name, dicts, None)
        if name in _INT_FIELDS and not _types(field.raw) <= _INT_OR_NONE:
            return field  # Arrow would read 2.5 as 2
        with contextlib.suppress(*_ARROW_ERRORS):
            field.arrow = pa.array(field.raw, type=_FIELD_TYPES[name])
        return field

    @property
    def raw(self) -> list[Any]:
        if self._raw is None:
            self._raw = [record.get(self.name) for record in self.dicts]
        return self._raw

    def values_at(self, rows: np.ndarray) -> list[Any]:
        """The raw values of ``rows`` only (the careful paths need a few, not all)."""
        if self._raw is not None:
            return [self._raw[row] for row in rows]
        name, dicts = self.name, self.dicts
        return [dicts[row].get(name) for row in rows]

    def rows_not_of(self, rows: np.ndarray, kind: type) -> np.ndarray:
        """Those of ``rows`` whose raw value is not of type ``kind``.

        Arrow reads a string as a list of its characters and an empty list as an object with
        no keys; the rows where such a reading is possible are checked here, in Python.
        """
        rows = np.asarray(rows, dtype=np.intp)
        picked = map(self.dicts.__getitem__, rows.tolist())
        kinds = map(type, map(dict.get, picked, repeat(self.name)))  # C-speed passes, no loop
        other = np.fromiter(map(operator.is_not, kinds, repeat(kind)), dtype=bool, count=len(rows))
        return rows[other]


def _not_whole(as_ints: pa.Array, as_floats: pa.Array) -> np.ndarray:
    """Per value read both ways: True where the two readings differ (2.5 read as 2) or the
    value is null. An int rounds to the same float either way, however large."""
    same = pc.equal(pc.cast(as_ints, pa.float64(), safe=False), as_floats)
    return ~_numpy(pc.fill_null(same, False))


def _read_fields(dicts: list[dict]) -> dict[str, _Field]:
    """Every known field, read by one Arrow conversion of all records when they are well
    formed, else field by field (a field Arrow cannot take is read the careful way)."""
    try:
        converted = pa.array(dicts, type=_RECORD_TYPE)
    except _ARROW_ERRORS:
        return {name: _Field.read(name, dicts) for name in _FIELD_TYPES}
    arrays = converted.flatten()
    fields = {
        name: _Field(name, dicts, array)
        for name, array in zip(_FIELD_TYPES, arrays[: len(_FIELD_TYPES)], strict=True)
    }
    for name, as_floats in zip(_INT_FIELDS, arrays[len(_FIELD_TYPES) :], strict=True):
        as_ints = fields[name].arrow
        if (_not_whole(as_ints, as_floats) & _numpy(as_ints.is_valid())).any():
            fields[name].arrow = None
    return fields


def _build_frame(
    records: Sequence[Any], clients: Iterable[Mapping[str, Any]] | None
) -> pd.DataFrame:
    records = records if isinstance(records, list) else list(records)
    dicts, extra = _split_known_and_extra(records)
    unreadable = _Unreadable(len(dicts))
    fields = _read_fields(dicts)
    columns: dict[str, Any] = {}
    for name in _INT_FIELDS:
        columns[name] = _int_column(fields[name], unreadable)
    columns["name"] = _string_column(fields["name"])
    columns["status"] = _status_column(fields["status"])
    for name in _TIME_FIELDS:
        columns[name] = _time_column(fields[name], unreadable)
    for name in _BOOL_FIELDS:
        columns[name] = _bool_column(fields[name], unreadable)
    for name in ("stop_lead_settings", "unsubscribe_text"):
        columns[name] = _category_column(fields[name])
    columns.update(_tracking_columns(fields["track_settings"]))
    columns.update(_tag_columns(fields["tags"], unreadable))
    columns.update(_schedule_columns(fields["scheduler_cron_value"], unreadable))
    columns["client_name"] = client_names(columns["client_id"], clients)
    columns["extra"] = pd.array(pa.array(extra, type=pa.string()), dtype="string")
    columns["unreadable_fields"] = unreadable.column()
    return pd.DataFrame({name: columns[name] for name in COLUMNS}, copy=False)


def _split_known_and_extra(records: list[Any]) -> tuple[list[dict], list[str | None]]:
    """Dicts to read known fields from, and the JSON of whatever the schema does not know.

    A record that is not an object is read as an empty one; its JSON goes to ``extra``.
    """
    all_dicts = _types(records) == {dict}
    no_fields: dict = {}  # shared by every such record and only ever read
    dicts = records if all_dicts else [r if type(r) is dict else no_fields for r in records]
    extra: list[str | None] = [None] * len(dicts)
    unknown = set().union(*dicts) - KNOWN_FIELDS
    if len(unknown) <= _FEW_UNKNOWN_KEYS:
        rows = sorted({int(row) for key in unknown for row in _rows_with_key(dicts, key)})
    else:
        rows = [row for row, record in enumerate(dicts) if not KNOWN_FIELDS.issuperset(record)]
    for row in rows:
        record = dicts[row]
        extra[row] = _to_json({k: v for k, v in record.items() if k not in KNOWN_FIELDS})
    if not all_dicts:
        for row, record in enumerate(records):
            if type(record) is not dict:
                extra[row] = _to_json({"record": record})
    return dicts, extra


_FEW_UNKNOWN_KEYS = 8
"""Up to this many field names the schema does not know, the records holding them are found
one name at a time (a C-speed membership test per record); past it, record by record."""


def _rows_with_key(dicts: list[dict], key: str) -> np.ndarray:
    return np.flatnonzero(np.fromiter(map(dict.__contains__, dicts, repeat(key)), dtype=bool))


def _types(values: Iterable[Any]) -> set[type]:
    """The exact types of ``values`` (a C-speed pass)."""
    return set(map(type, values))


def _blanked(values: list[Any], rows: np.ndarray) -> list[Any]:
    """A copy of ``values`` with the value of each of ``rows`` (a boolean mask) set to None."""
    return [None if blank else value for value, blank in zip(values, rows.tolist(), strict=True)]


def _scatter(base: pa.Array, rows: np.ndarray, values: pa.Array) -> pa.Array:
    """``base`` with its entries at ``rows`` (indices) replaced by ``values``, in one take."""
    index = np.arange(len(base))
    index[rows] = len(base) + np.arange(len(rows))
    return pa.concat_arrays([base, values.cast(base.type)]).take(pa.array(index))


def _numpy(array: pa.Array) -> np.ndarray:
    """A writable numpy copy of an Arrow array without nulls."""
    return np.array(array.to_numpy(zero_copy_only=False))


_JSON = json.JSONEncoder(ensure_ascii=False, default=str, sort_keys=True)
"""One encoder for every ``extra`` text (``json.dumps`` with options builds one per call)."""


def _to_json(value: Any) -> str:
    return _JSON.encode(value)


def _exact_key(value: Any) -> Any:
    """A hashable stand-in for a JSON value that keeps 1, 1.0 and True apart."""
    kind = type(value)
    if kind is str or value is None:
        return value
    if kind is list and all(type(item) is str for item in value):
        return tuple(value)
    return (kind.__name__, _to_json(value))


# --------------------------------------------------------------------------- plain columns


def int_field(records: Sequence[Any], name: str) -> pd.api.extensions.ExtensionArray:
    """One integer field of every record, read exactly as :func:`campaigns_frame` reads it."""
    dicts = [record if type(record) is dict else {} for record in records]
    return _int_column(_Field.read(name, dicts), _Unreadable(len(dicts)))


SANE_RANGES: dict[str, tuple[int, int]] = {
    "max_leads_per_day": (0, 10**9),
    "min_time_btwn_emails": (0, 10**9),
    "follow_up_percentage": (0, 100),
}
"""The values a setting can sensibly hold; a value outside is read as unreadable (null, and
named in ``unreadable_fields``). A daily limit of 2**62 is no limit anyone set: kept, it would
break the daily-limit slider (browsers count exactly only up to 2**53) and overflow sums of
limits. With limits at most 10**9, the limits of a million campaigns, over a week, still sum
exactly."""


def _int_column(field: _Field, unreadable: _Unreadable) -> pd.api.extensions.ExtensionArray:
    if field.arrow is not None:
        result = _masked(field.arrow, pd.arrays.IntegerArray, 0)
    else:
        raw = field.raw
        result = pd.array([_as_int(v) for v in raw], dtype="Int64")
        _note_unreadable(field.name, raw, np.asarray(result.isna()), unreadable)
    if field.name in SANE_RANGES:
        low, high = SANE_RANGES[field.name]
        outside = ((result < low) | (result > high)).to_numpy(dtype=bool, na_value=False)
        if outside.any():
            result[outside] = pd.NA
            unreadable.mark(field.name, outside)
    return result


def _masked(array: pa.Array, kind: type, fill: Any) -> Any:
    """An Arrow array without nested types as a pandas masked array (Int64, boolean)."""
    values = array.fill_null(fill).to_numpy(zero_copy_only=False)
    return kind(values, array.is_null().to_numpy(zero_copy_only=False))


def _as_int(value: Any) -> int | None:
    """An integer from an int, an integral float or a numeric string; anything else is None."""
    if type(value) is bool or value is None:
        return None
    if isinstance(value, int):
        return value if -(2**63) <= value < 2**63 else None
    if isinstance(value, float):
        return int(value) if value.is_integer() and abs(value) < 2**63 else None
    if isinstance(value, str):
        try:
            number = float(value.strip())
        except ValueError:
            return None
        return int(number) if number.is_integer() and abs(number) < 2**63 else None
    return None


def _text(value: Any) -> str | None:
    """Strings as they are; numbers as their text; containers as JSON; None stays None."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, (dict, list)):
        return _to_json(value)
    return str(value)


def _texts(field: _Field) -> pa.Array:
    """A text field as Arrow strings; values that are not text become their text or JSON."""
    if field.arrow is not None:
        return field.arrow
    return pa.array([_text(value) for value in field.raw], type=pa.string())


def _string_column(field: _Field) -> pd.api.extensions.ExtensionArray:
    return pd.array(_texts(field), dtype="string")


def _category_column(field: _Field) -> pd.Categorical:
    return _arrow_categorical(_texts(field))


def _arrow_categorical(values: pa.Array) -> pd.Categorical:
    """A categorical built through Arrow's dictionary encoding."""
    encoded = values.dictionary_encode()
    return _categorical_of(_numpy(encoded.indices.fill_null(-1)), encoded.dictionary)


def _categorical_of(codes: np.ndarray, categories: pa.Array) -> pd.Categorical:
    """A categorical of codes (-1: missing) into distinct texts, the texts kept in Arrow (no
    Python string per category: a portfolio can hold 25,000 distinct schedule texts).

    The texts are an Arrow dictionary, distinct by construction, so pandas' own check (which
    copies and hashes every category again: most of the cost for 25,000 of them) is skipped
    where pandas offers the way to; elsewhere the public, checking constructor is used.
    """
    index = pd.Index(pd.array(categories, dtype="str"))
    dtype = _UNCHECKED_DTYPE(index, False) if _UNCHECKED_DTYPE else pd.CategoricalDtype(index)
    return pd.Categorical.from_codes(codes, dtype=dtype)


_UNCHECKED_DTYPE = getattr(pd.CategoricalDtype, "_from_fastpath", None)


def _status_column(field: _Field) -> pd.Categorical:
    if field.arrow is None:
        codes, statuses = _encode_distinct(field.raw, _exact_key, vocab.canonical_status)
    else:
        encoded = field.arrow.dictionary_encode()
        distinct = [*encoded.dictionary.to_pylist(), None]
        codes = encoded.indices.fill_null(len(distinct) - 1).to_numpy(zero_copy_only=False)
        statuses = [vocab.canonical_status(value) for value in distinct]
    order = vocab.status_order(statuses)
    positions = np.array([order.index(status) for status in statuses], dtype=np.int32)
    return pd.Categorical.from_codes(positions[codes], categories=order)


_UTC_MICROSECONDS = pa.timestamp("us", tz="UTC")
_NAT = np.iinfo(np.int64).min  # numpy's "not a time"


def _time_column(field: _Field, unreadable: _Unreadable) -> pd.DatetimeIndex:
    """Times as UTC. Arrow's ISO 8601 reader takes both forms SmartLead writes
    (``…46.826Z``, ``…31.448094+00:00``) but refuses what pandas' more forgiving one reads
    (no zone, a lone date, seven decimals): then the column is read by pandas, and where
    Arrow does read a text the two agree (``tests/test_frame.py`` checks it)."""
    if field.arrow is not None:
        try:
            stamps = pc.cast(field.arrow, _UTC_MICROSECONDS)
        except pa.ArrowInvalid:
            pass
        else:
            microseconds = stamps.cast(pa.int64()).fill_null(_NAT).to_numpy()
            return pd.DatetimeIndex(microseconds.view("datetime64[us]")).tz_localize("UTC")
    raw = field.raw
    parsed = pd.to_datetime(
        [v if type(v) is str else None for v in raw], utc=True, format="ISO8601", errors="coerce"
    ).as_unit("us")
    missing = np.asarray(parsed.isna())
    if missing.any():
        _note_unreadable(field.name, raw, missing, unreadable)
    return parsed


def _bool_column(field: _Field, unreadable: _Unreadable) -> pd.api.extensions.ExtensionArray:
    if field.arrow is not None:
        return _masked(field.arrow, pd.arrays.BooleanArray, False)
    raw = field.raw
    result = pd.array([_as_bool(v) for v in raw], dtype="boolean")
    _note_unreadable(field.name, raw, np.asarray(result.isna()), unreadable)
    return result


# --------------------------------------------------------------------------- tracking, tags


_TRACKING_FLAGS: tuple[tuple[str, frozenset[str]], ...] = (
    ("track_opens", vocab.DONT_TRACK_OPENS),
    ("track_clicks", vocab.DONT_TRACK_CLICKS),
    ("track_replies", vocab.DONT_TRACK_REPLIES),
)


def _tracking_columns(field: _Field) -> dict[str, Any]:
    """The raw flag list plus three booleans; both vocabularies of track_settings count.

    Portfolios repeat a handful of flag lists, so each distinct list (found with Arrow) is
    read once by :func:`_parse_tracking`, the careful reader itself; values Arrow cannot
    take as a list of texts (the old comma-separated string, numbers, nulls in the list) are
    read by it row by row.
    """
    size = len(field.dicts)
    flags = field.arrow
    if flags is None:
        careful = ~np.fromiter(map(_is_text_list, field.raw), dtype=bool, count=size)
        flags = pa.array(_blanked(field.raw, careful), type=pa.list_(pa.string()))
    else:
        careful = np.zeros(size, dtype=bool)
        careful[field.rows_not_of(_letters(flags), list)] = True
    parents = _numpy(pc.list_parent_indices(flags))
    careful[parents[_numpy(pc.list_flatten(flags).is_null())]] = True  # the reader drops nulls
    codes, first_rows = _distinct_lists(flags)
    read = [_parse_tracking(value) for value in flags.take(pa.array(first_rows)).to_pylist()]
    rows = np.flatnonzero(careful)
    if len(rows):
        careful_codes, careful_read = _encode_distinct(
            field.values_at(rows), _exact_key, _parse_tracking
        )
        codes = codes.copy()
        codes[rows] = len(read) + careful_codes
        read += careful_read
    lists = pa.array([value[0] for value in read], pa.list_(pa.string()))
    result: dict[str, Any] = {
        "track_settings": pd.array(lists.take(pa.array(codes)), dtype=LIST_OF_STRINGS)
    }
    for position, (column, _) in enumerate(_TRACKING_FLAGS, start=1):
        known = np.array([value[position] is not None for value in read], dtype=bool)
        tracked = np.array([bool(value[position]) for value in read], dtype=bool)
        result[column] = pd.arrays.BooleanArray(tracked[codes], ~known[codes])
    return result


def _letters(lists: pa.ListArray) -> np.ndarray:
    """Rows whose list may be a string Arrow read as its letters: one-letter items only.

    (An empty string read as an empty list means the same to the tracking reader.)"""
    item_lengths = _numpy(pc.fill_null(pc.utf8_length(pc.list_flatten(lists)), 0))
    parents = _numpy(pc.list_parent_indices(lists))
    has_longer = np.zeros(len(lists), dtype=bool)
    has_longer[parents[item_lengths > 1]] = True
    has_items = np.zeros(len(lists), dtype=bool)
    has_items[parents] = True
    return np.flatnonzero(has_items & ~has_longer)


_LIST_SEPARATOR = "\x1f"


def _distinct_lists(lists: pa.ListArray) -> tuple[np.ndarray, np.ndarray]:
    """Per row, a code shared by equal lists of texts (nulls equal), and each code's first row.

    Each list is joined into one text, kept with its length (so [] and [""] differ), and the
    texts are dictionary-encoded. A list holding a null, or a text holding the separator,
    makes every row its own code instead: fewer rows shared, still exact.
    """
    values = pc.list_flatten(lists)
    if values.null_count or pc.any(pc.match_substring(values, _LIST_SEPARATOR)).as_py():
        return _first_of_each((np.arange(len(lists)), len(lists)))
    joined = pc.binary_join(lists, _LIST_SEPARATOR).dictionary_encode().indices.fill_null(-1)
    lengths = _numpy(pc.list_value_length(lists).fill_null(-1))
    return _first_of_each(
        (_numpy(joined) + 1, len(lists) + 1), (lengths + 1, int(lengths.max(initial=0)) + 2)
    )


def _is_text_list(value: Any) -> bool:
    return value is None or (type(value) is list and all(type(item) is str for item in value))


def _parse_tracking(
    value: Any,
) -> tuple[list[str] | None, bool | None, bool | None, bool | None]:
    if value is None:
        return None, None, None, None
    if isinstance(value, str):
        flags = [part.strip() for part in value.split(",") if part.strip()]
    elif isinstance(value, list):
        flags = [text for text in map(_text, value) if text is not None]
    else:
        return [_text(value) or ""], None, None, None
    upper = {flag.upper() for flag in flags}
    return (
        flags,
        upper.isdisjoint(vocab.DONT_TRACK_OPENS),
        upper.isdisjoint(vocab.DONT_TRACK_CLICKS),
        upper.isdisjoint(vocab.DONT_TRACK_REPLIES),
    )


def _tag_columns(field: _Field, unreadable: _Unreadable) -> dict[str, Any]:
    """Parallel list columns of tag names, ids and colours.

    When every tag is a complete ``{tag_id, tag_name, tag_color}`` object with an integer id
    and a non-empty name (what the API sends), Arrow has read them all at once; anything else
    (a missing key with its ``id``/``name``/``color`` fallback, 'Tag #<id>' for an empty
    name, a name that spells a placeholder, loose strings, junk) takes the careful path
    below, record by record.
    """
    tags = field.arrow
    if tags is None:
        return _tag_columns_one_by_one(field.raw, unreadable)
    values = tags.values  # the list offsets index into the unsliced values
    ids, names, colors, ids_as_floats = values.flatten()
    if (
        values.null_count
        or ids.null_count
        or names.null_count
        or colors.null_count
        or pc.any(pc.equal(names, "")).as_py()
        or pc.any(pc.is_in(pc.utf8_trim_whitespace(names), _PLACEHOLDER_NAMES)).as_py()
        or _not_whole(ids, ids_as_floats).any()
        or len(field.rows_not_of(_empty_lists(tags), list))  # "" is read as an empty list
    ):
        return _tag_columns_one_by_one(field.raw, unreadable)
    colors = pc.if_else(pc.equal(colors, ""), pa.scalar(None, pa.string()), colors)
    mask = tags.is_null() if tags.null_count else None

    def as_list(child: pa.Array, dtype: pd.ArrowDtype) -> Any:
        return pd.array(pa.ListArray.from_arrays(tags.offsets, child, mask=mask), dtype=dtype)

    return {
        "tags": as_list(names, LIST_OF_STRINGS),
        "tag_ids": as_list(ids, LIST_OF_INTS),
        "tag_colors": as_list(colors, LIST_OF_STRINGS),
    }


_PLACEHOLDER_NAMES = pa.array(sorted(vocab.PLACEHOLDERS), type=pa.string())
"""Tag names that spell a placeholder: rare, so they send the column the careful way, where
they are told apart (:func:`smartlead.vocab.apart_from_placeholders`)."""


def _empty_lists(lists: pa.ListArray) -> np.ndarray:
    return np.flatnonzero(_numpy(pc.fill_null(pc.equal(pc.list_value_length(lists), 0), False)))


def _tag_columns_one_by_one(raw: list[Any], unreadable: _Unreadable) -> dict[str, Any]:
    """The careful path: loose strings, other key names, nulls and junk inside tag lists."""
    offsets = [0]
    names: list[str] = []
    ids: list[int | None] = []
    colors: list[str | None] = []
    valid: list[bool] = []
    unreadable_rows: list[int] = []
    for row, value in enumerate(raw):
        if isinstance(value, list):
            valid.append(True)
            for tag in value:
                if isinstance(tag, dict):
                    tag_id = _as_int(tag.get("tag_id", tag.get("id")))
                    name = _text(tag.get("tag_name", tag.get("name")))
                    if not name:
                        name = f"Tag #{tag_id}" if tag_id is not None else None
                    if name is None:
                        unreadable_rows.append(row)
                        continue
                    names.append(vocab.apart_from_placeholders(name, tag_id))
                    ids.append(tag_id)
                    color = tag.get("tag_color", tag.get("color"))
                    colors.append(color if isinstance(color, str) and color else None)
                elif isinstance(tag, (str, int, float)) and not isinstance(tag, bool):
                    names.append(vocab.apart_from_placeholders(str(tag)))
                    ids.append(None)
                    colors.append(None)
                else:
                    unreadable_rows.append(row)
        else:
            valid.append(False)
            if value is not None:
                unreadable_rows.append(row)
        offsets.append(len(names))
    unreadable.mark("tags", unreadable_rows)

    mask = pa.array(np.logical_not(valid)) if not all(valid) else None
    offsets_array = pa.array(offsets, type=pa.int32())

    def as_list(values: list[Any], value_type: pa.DataType, dtype: pd.ArrowDtype) -> Any:
        array = pa.ListArray.from_arrays(
            offsets_array, pa.array(values, type=value_type), mask=mask
        )
        return pd.array(array, dtype=dtype)

    return {
        "tags": as_list(names, pa.string(), LIST_OF_STRINGS),
        "tag_ids": as_list(ids, pa.int64(), LIST_OF_INTS),
        "tag_colors": as_list(colors, pa.string(), LIST_OF_STRINGS),
    }


# --------------------------------------------------------------------------- lists, schedules


def list_array(series: pd.Series, value_type: pa.DataType) -> pa.ListArray:
    """A list column as one contiguous Arrow list array of ``value_type`` (any non-list cell
    becomes null): what the vectorised views (filters, schedule) work on."""
    if isinstance(series.dtype, pd.ArrowDtype) and pa.types.is_list(series.dtype.pyarrow_dtype):
        chunked = series.array.__arrow_array__()
        array = chunked.combine_chunks() if isinstance(chunked, pa.ChunkedArray) else chunked
        if array.type.value_type != value_type:
            try:
                array = array.cast(pa.list_(value_type))
            except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
                return pa.nulls(len(series), pa.list_(value_type))
        return array
    cells = [
        list(value) if isinstance(value, (list, tuple, np.ndarray)) else None for value in series
    ]
    try:
        return pa.array(cells, type=pa.list_(value_type))
    except (pa.ArrowInvalid, pa.ArrowTypeError, OverflowError):
        return pa.nulls(len(series), pa.list_(value_type))


# --------------------------------------------------------------------------- schedules


def parse_clock(value: Any) -> int | None:
    """Minutes after midnight from 'HH:MM' (also 'H', 'HH:MM:SS'); None when unreadable."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value * 60 if 0 <= value <= 24 else None
    if not isinstance(value, str):
        return None
    match = _HHMM.match(value)
    if not match:
        return None
    hours, minutes = int(match.group(1)), int(match.group(2) or 0)
    if hours > 24 or minutes > 59 or (hours == 24 and minutes):
        return None
    return hours * 60 + minutes


def format_clock(minutes: int | None) -> str:
    """'HH:MM' for minutes after midnight; '—' when unknown."""
    if minutes is None or pd.isna(minutes):
        return "—"
    return f"{int(minutes) // 60:02d}:{int(minutes) % 60:02d}"


def describe_days(days: Iterable[int]) -> str:
    """Weekdays (0 = Monday … 6 = Sunday) in words, runs of three days or more folded.

    [0, 1, 2, 3, 4] → 'Mon–Fri'; [0, 2] → 'Mon, Wed'; [5, 6] → 'Sat, Sun'. A run across the
    week's end is one run and is named first, as people say it: a Sunday-to-Thursday week
    [6, 0, 1, 2, 3] → 'Sun–Thu', Friday to Monday plus Wednesday → 'Fri–Mon, Wed'.
    """
    chosen = set(days)
    if not chosen <= set(range(7)):
        raise ValueError(f"weekdays are 0 (Monday) to 6 (Sunday), got {sorted(chosen)}")
    if not chosen:
        return "no days"
    if len(chosen) == 7:
        return "Every day"
    runs: list[list[int]] = []
    for day in sorted(chosen):
        if runs and day == runs[-1][-1] + 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    if len(runs) > 1 and runs[0][0] == 0 and runs[-1][-1] == 6:
        runs = [runs[-1] + runs[0], *runs[1:-1]]
    words: list[str] = []
    for run in runs:
        if len(run) >= 3:
            words.append(f"{vocab.WEEKDAYS[run[0]]}–{vocab.WEEKDAYS[run[-1]]}")
        else:
            words.extend(vocab.WEEKDAYS[day] for day in run)
    return ", ".join(words)


def days_of_mask(mask: int) -> list[int]:
    """The weekdays of a day mask (bit d set = sends on weekday d, 0 = Monday), in order."""
    return [day for day in range(7) if mask >> day & 1]


_MASKS = range(128)
_DAY_LISTS = pa.array([days_of_mask(mask) for mask in _MASKS], type=pa.list_(pa.int8()))
_DAY_WORDS = pa.array([*(describe_days(days_of_mask(mask)) for mask in _MASKS), "days?"])
_DAY_COUNTS = np.array([len(days_of_mask(mask)) for mask in _MASKS], dtype=np.int8)
_CLOCK_WORDS = pa.array([*(format_clock(minute) for minute in range(24 * 60 + 1)), "—"])
_FROM_SMARTLEAD_DAY = np.array([vocab.from_smartlead_day(day) for day in range(7)])
_DAY_BITS = 1 << np.arange(7, dtype=np.int64)
"""Lookup tables: a portfolio has at most 128 day sets and 1,441 clock times, so the words
for each are made once, here, and every campaign's summary is a lookup."""

_ZONE_NAME = r"^[A-Za-z0-9_+/-]+$"
_CLOCK = r"^(?P<hours>[0-9]{1,2})(?::(?P<minutes>[0-9]{2}))?(?::[0-9]{2})?$"
_UNKNOWN = -1


class _ScheduleFields(NamedTuple):
    """Every campaign's ``scheduler_cron_value``, read but not yet put in words.

    One entry per campaign: ``present`` (a schedule object; False for null or for no object
    at all), ``timezone`` (Arrow strings, null when none), ``day_mask`` (bit d set = sends
    on weekday d, 0 = Monday; -1 when the days are unknown), ``start`` and ``end`` (minutes
    after local midnight; -1 when unknown) and ``readable`` (False when part of the value
    could not be read). ``careful_rows`` are the rows read one value at a time.
    """

    present: np.ndarray
    timezone: pa.Array
    day_mask: np.ndarray
    start: np.ndarray
    end: np.ndarray
    readable: np.ndarray
    careful_rows: np.ndarray


_CarefulSchedule = tuple[bool, str | None, int, int, int, bool]


def _read_schedule(value: Any) -> _CarefulSchedule:
    """One ``scheduler_cron_value`` read value by value: the careful path, and the reference
    the vectorised path must agree with.

    Returns (present, time zone, day mask, start, end, readable), as :class:`_ScheduleFields`
    holds them. A string is read as the JSON it may hold; SmartLead's days (0 = Sunday) are
    converted to the package's numbering here.
    """
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except (ValueError, RecursionError):
            return False, None, _UNKNOWN, _UNKNOWN, _UNKNOWN, False
    if value is None:
        return False, None, _UNKNOWN, _UNKNOWN, _UNKNOWN, True
    if not isinstance(value, dict):
        return False, None, _UNKNOWN, _UNKNOWN, _UNKNOWN, False
    tz = value.get("tz") or value.get("timezone")
    tz = tz.strip() if isinstance(tz, str) and tz.strip() else None
    raw_days = value.get("days")
    readable = True
    if isinstance(raw_days, list):
        days = {d for d in map(_as_int, raw_days) if d is not None and 0 <= d <= 6}
        readable = len(days) == len({repr(x) for x in raw_days})
        mask = sum(1 << vocab.from_smartlead_day(day) for day in days)
    else:
        mask = _UNKNOWN
        readable = raw_days is None
    times = []
    for key in ("startHour", "endHour"):
        minutes = parse_clock(value.get(key))
        if value.get(key) is not None and minutes is None:
            readable = False
        times.append(_UNKNOWN if minutes is None else minutes)
    return True, tz, mask, times[0], times[1], readable


def _read_schedules(field: _Field, *, careful_only: bool = False) -> _ScheduleFields:
    """Every campaign's schedule, read with Arrow kernels wherever the value is well formed.

    Well-formed values (an object whose ``tz``/``timezone``/``startHour``/``endHour`` are text
    or null and whose ``days`` are integers) are read column-wise; the rest (JSON held in a
    string, wrong types, odd zone names or clock texts) by :func:`_read_schedule`, once per
    distinct value. Both give the same answer for any value; ``careful_only`` reads every row
    the careful way (for tests).
    """
    size = len(field.dicts)
    if careful_only:
        converted, careful = pa.nulls(size, _SCHEDULE_TYPE), np.ones(size, dtype=bool)
    else:
        converted, careful = _converted_schedules(field)
    fields, odd_values = _read_converted(converted)
    careful |= odd_values
    if field.arrow is not None and not careful_only:
        careful[_read_as_something_else(field, converted)] = True
    rows = np.flatnonzero(careful)
    if len(rows):
        fields = _with_careful_rows(fields, field.values_at(rows), rows)
    return fields._replace(careful_rows=rows)


def _converted_schedules(field: _Field) -> tuple[pa.StructArray, np.ndarray]:
    """The schedules as one Arrow struct array, and the rows Arrow could not take."""
    size = len(field.dicts)
    if field.arrow is not None:
        return field.arrow, np.zeros(size, dtype=bool)
    raw = field.raw
    careful = ~np.fromiter(map(_is_plain_schedule, raw), dtype=bool, count=size)
    try:
        return pa.array(_blanked(raw, careful), type=_SCHEDULE_TYPE), careful
    except _ARROW_ERRORS:
        return pa.nulls(size, _SCHEDULE_TYPE), np.array([v is not None for v in raw])


def _is_plain_schedule(value: Any) -> bool:
    """A schedule Arrow reads as it is: null, or an object with well-typed fields."""
    if value is None:
        return True
    if type(value) is not dict:
        return False
    if not all(
        type(value.get(key)) in _STR_OR_NONE for key in ("tz", "timezone", "startHour", "endHour")
    ):
        return False
    days = value.get("days")
    return days is None or (
        type(days) is list and all(type(day) is int and -(2**63) <= day < 2**63 for day in days)
    )


def _read_as_something_else(field: _Field, converted: pa.StructArray) -> np.ndarray:
    """Rows Arrow may have read as something else: an empty list as an object with no keys,
    and a string of days as a list of characters (only empty strings get that far)."""
    no_keys = _numpy(converted.is_valid())
    for child in converted.flatten():
        no_keys &= _numpy(child.is_null())
    not_objects = field.rows_not_of(np.flatnonzero(no_keys), dict)
    empty = _empty_lists(converted.flatten()[_DAYS])
    not_lists = [
        row
        for row, value in zip(empty, field.values_at(empty), strict=True)
        if not (type(value) is dict and type(value.get("days")) is list)
    ]
    return np.concatenate([not_objects, np.array(not_lists, dtype=int)]).astype(int)


def _read_converted(converted: pa.StructArray) -> tuple[_ScheduleFields, np.ndarray]:
    """Read the Arrow-converted schedules with vectorised kernels.

    Also returns the rows whose values need the careful reading after all: a zone name with
    characters no IANA name has (spaces Python would strip, say), a clock text that is not
    plain ``H``, ``HH:MM`` or ``HH:MM:SS`` in ASCII digits, or a null among the days.
    """
    present = _numpy(converted.is_valid())
    tz, alternative, days, start_text, end_text, days_as_floats = converted.flatten()
    # As the careful path: ``value.get("tz") or value.get("timezone")``.
    use_alternative = pc.or_kleene(pc.is_null(tz), pc.equal(tz, ""))
    zone = pc.if_else(use_alternative, alternative, tz)
    odd_zone = ~_matches(zone, _ZONE_NAME, null=True)
    day_mask, days_readable, odd_days = _day_masks(days, days_as_floats)
    start, start_odd, start_unreadable = _clock_minutes(start_text)
    end, end_odd, end_unreadable = _clock_minutes(end_text)
    fields = _ScheduleFields(
        present=present,
        timezone=zone,
        day_mask=day_mask,
        start=start,
        end=end,
        readable=days_readable & ~start_unreadable & ~end_unreadable,
        careful_rows=np.zeros(0, dtype=np.intp),
    )
    return fields, odd_zone | odd_days | start_odd | end_odd


def _matches(texts: pa.Array, pattern: str, *, null: bool) -> np.ndarray:
    """Per text, whether it matches ``pattern`` (``null`` for a null text). The pattern runs
    once per distinct text: schedules repeat a few zone names and clock times."""
    encoded = texts.dictionary_encode()
    matched = _numpy(pc.match_substring_regex(encoded.dictionary, pattern))
    indices = _numpy(encoded.indices.fill_null(-1))
    return np.where(indices >= 0, np.append(matched, null)[indices], null)


def _day_masks(
    days: pa.ListArray, days_as_floats: pa.ListArray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per row: the day mask of SmartLead's day list (package numbering; -1 for a null list),
    whether every listed day was a weekday (0–6), and whether a day was null or not an
    integer (those rows are read the careful way)."""
    size = len(days)
    values = pc.list_flatten(days)
    parents = _numpy(pc.list_parent_indices(days))
    odd = np.zeros(size, dtype=bool)
    odd[parents[_not_whole(values, pc.list_flatten(days_as_floats))]] = True
    numbers = _numpy(values.fill_null(-1))
    weekday = (numbers >= 0) & (numbers <= 6)
    readable = np.ones(size, dtype=bool)
    readable[parents[~weekday]] = False
    mask = np.zeros(size, dtype=np.int64)
    np.bitwise_or.at(mask, parents[weekday], _DAY_BITS[_FROM_SMARTLEAD_DAY[numbers[weekday]]])
    mask[_numpy(days.is_null())] = _UNKNOWN
    return mask, readable, odd


def _clock_minutes(texts: pa.StringArray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Minutes after midnight of plain clock texts (-1 when null or out of range), the rows
    whose text is not plain (for the careful path) and those out of range (unreadable).

    Worked out once per distinct text (a portfolio holds at most a few thousand)."""
    encoded = texts.dictionary_encode()
    distinct = encoded.dictionary
    parts = pc.extract_regex(distinct, _CLOCK)
    matched = _numpy(parts.is_valid())
    hours_text, minutes_text = parts.flatten()
    hours = _numpy(pc.cast(hours_text.fill_null("0"), pa.int64()))
    minutes_text = pc.if_else(pc.equal(minutes_text, ""), "0", minutes_text).fill_null("0")
    minutes = _numpy(pc.cast(minutes_text, pa.int64()))
    in_range = (hours <= 24) & (minutes <= 59) & ~((hours == 24) & (minutes > 0))
    readable = matched & in_range
    value = np.append(np.where(readable, hours * 60 + minutes, _UNKNOWN), _UNKNOWN)
    odd = np.append(~matched, False)
    unreadable = np.append(matched & ~in_range, False)
    indices = _numpy(encoded.indices.fill_null(len(distinct)))
    return value[indices], odd[indices], unreadable[indices]


def _with_careful_rows(
    fields: _ScheduleFields, values: list[Any], rows: np.ndarray
) -> _ScheduleFields:
    """``fields`` with ``rows`` (holding ``values``) read by :func:`_read_schedule`, once per
    distinct value."""
    codes, distinct = _encode_distinct(values, _schedule_key, _read_schedule)
    present, zone, mask, start, end, readable = (
        list(column) for column in zip(*distinct, strict=True)
    )

    def spread(current: np.ndarray, values: list[Any]) -> np.ndarray:
        result = current.copy()
        result[rows] = np.asarray(values, dtype=current.dtype)[codes]
        return result

    zones = pa.array(zone, type=pa.string()).take(pa.array(codes))
    return fields._replace(
        present=spread(fields.present, present),
        timezone=_scatter(fields.timezone, rows, zones),
        day_mask=spread(fields.day_mask, mask),
        start=spread(fields.start, start),
        end=spread(fields.end, end),
        readable=spread(fields.readable, readable),
    )


def _schedule_key(value: Any) -> Any:
    """A hashable stand-in for a schedule object, exact in type so 1 and True stay apart."""
    if type(value) is dict and len(value) == 4:
        days = value.get("days")
        if type(days) is list and all(type(day) is int for day in days):
            tz, start, end = value.get("tz"), value.get("startHour"), value.get("endHour")
            if type(tz) is str and type(start) is str and type(end) is str:
                return (tz, tuple(days), start, end)
    return _exact_key(value)


def _schedule_columns(field: _Field, unreadable: _Unreadable) -> dict[str, Any]:
    """The typed schedule columns, read by :func:`_read_schedules`, described by lookups."""
    fields = _read_schedules(field)
    unreadable.mark("scheduler_cron_value", ~fields.readable)
    return _describe_schedules(fields)


def _describe_schedules(fields: _ScheduleFields) -> dict[str, Any]:
    """The frame's schedule columns from the read schedules, all vectorised.

    The summary is worked out once per distinct schedule (zone, days, start, end): a real
    portfolio shares a few dozen among thousands of campaigns.
    """
    mask, start, end = fields.day_mask, fields.start, fields.end
    days_known = mask >= 0
    timed = (start >= 0) & (end >= 0)
    # A window ending before it starts runs past midnight; start == end sends never.
    span = np.where(end >= start, end - start, end - start + 24 * 60)
    zones = fields.timezone.dictionary_encode()
    zone_codes = _numpy(zones.indices.fill_null(-1))
    minutes = 24 * 60 + 2  # -1 (unknown) to 24:00
    distinct, first_rows = _first_of_each(
        (fields.present.astype(np.int64), 2),
        (mask + 1, 129),
        (start + 1, minutes),
        (end + 1, minutes),
        (zone_codes + 1, len(zones.dictionary) + 1),
    )
    known_mask = np.where(days_known, mask, 0)
    return {
        "schedule_timezone": _categorical_of(zone_codes, zones.dictionary),
        "schedule_days": pd.array(
            _DAY_LISTS.take(pa.array(known_mask, mask=~days_known)), dtype=LIST_OF_DAYS
        ),
        "schedule_start_minute": pd.arrays.IntegerArray(
            np.where(start >= 0, start, 0).astype(np.int16), start < 0
        ),
        "schedule_end_minute": pd.arrays.IntegerArray(
            np.where(end >= 0, end, 0).astype(np.int16), end < 0
        ),
        "schedule_window_hours": pd.arrays.FloatingArray(np.where(timed, span / 60, 0.0), ~timed),
        "schedule_days_per_week": pd.arrays.IntegerArray(_DAY_COUNTS[known_mask], ~days_known),
        "schedule_summary": _spread_categorical(
            distinct, _summaries(fields, first_rows, zones.dictionary, zone_codes)
        ),
    }


def _first_of_each(*columns: tuple[np.ndarray, int]) -> tuple[np.ndarray, np.ndarray]:
    """Codes of the distinct rows of int columns (each given with its number of values, all
    from 0), and each code's first row. The mixed-radix key fits in 64 bits for schedules."""
    key = np.zeros(len(columns[0][0]), dtype=np.int64)
    for values, radix in columns:
        key = key * radix + values
    codes, uniques = pd.factorize(key)
    first_rows = np.empty(len(uniques), dtype=np.int64)
    first_rows[codes[::-1]] = np.arange(len(codes) - 1, -1, -1)  # the last write is the first
    return codes, first_rows


def _summaries(
    fields: _ScheduleFields, rows: np.ndarray, zone_names: pa.Array, zone_codes: np.ndarray
) -> pa.Array:
    """'Mon–Fri 09:00–17:00 Europe/London' (or :data:`NO_SCHEDULE`) for each of ``rows``."""
    mask, start, end = fields.day_mask[rows], fields.start[rows], fields.end[rows]
    no_clock = len(_CLOCK_WORDS) - 1
    clock = pc.binary_join_element_wise(
        _CLOCK_WORDS.take(pa.array(np.where(start >= 0, start, no_clock))),
        _CLOCK_WORDS.take(pa.array(np.where(end >= 0, end, no_clock))),
        "–",
    )
    zone = zone_names.take(pa.array(zone_codes[rows], mask=zone_codes[rows] < 0))
    summary = pc.binary_join_element_wise(
        _DAY_WORDS.take(pa.array(np.where(mask >= 0, mask, len(_DAY_WORDS) - 1))),
        clock,
        zone.fill_null("(no time zone)"),
        " ",
    )
    return pc.if_else(pa.array(fields.present[rows]), summary, NO_SCHEDULE)


def _spread_categorical(codes: np.ndarray, texts: pa.Array) -> pd.Categorical:
    """A categorical whose row ``i`` is ``texts[codes[i]]`` (texts may repeat)."""
    encoded = texts.dictionary_encode()
    return _categorical_of(_numpy(encoded.indices)[codes], encoded.dictionary)


def client_names(
    client_ids: pd.api.extensions.ExtensionArray, clients: Iterable[Mapping[str, Any]] | None
) -> pd.Categorical:
    """The ``client_name`` column for these client ids, named from a GET /client/ list."""
    names: dict[int, str] = {}
    for client in clients or ():
        if not isinstance(client, Mapping):
            continue
        client_id = _as_int(client.get("id"))
        name = client.get("name")
        if client_id is not None and isinstance(name, str) and name.strip():
            names[client_id] = name.strip()
    return client_labels(pd.Series(client_ids), names)


def client_labels(client_ids: pd.Series, names: Mapping[int, str]) -> pd.Categorical:
    """A readable label per client id: its name, else 'Client #<id>', else '(no client)'.

    A client whose real name spells a placeholder is told apart by its id (see
    :func:`smartlead.vocab.apart_from_placeholders`)."""
    codes, uniques = pd.factorize(client_ids, use_na_sentinel=True)
    labels = [
        vocab.apart_from_placeholders(names.get(int(u), f"Client #{int(u)}"), int(u))
        for u in uniques
    ]
    # Two clients may share a name; keep them apart so neither hides the other.
    seen: dict[str, int] = {}
    for position, label in enumerate(labels):
        seen[label] = seen.get(label, 0) + 1
        if seen[label] > 1:
            labels[position] = f"{label} (#{int(uniques[position])})"
    labels.append(vocab.NO_CLIENT)
    codes = np.where(codes < 0, len(labels) - 1, codes)
    categories = list(dict.fromkeys(labels))
    lookup = {label: index for index, label in enumerate(categories)}
    mapped = np.array([lookup[label] for label in labels], dtype=np.int32)[codes]
    return pd.Categorical.from_codes(mapped, categories=categories)
