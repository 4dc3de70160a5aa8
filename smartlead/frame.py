"""Flatten SmartLead campaign records into one typed pandas DataFrame: one row per campaign.

Everything downstream (filters, charts, schedule, audit, history, exports) reads this frame,
so its schema is defined once, here, in :data:`SCHEMA`. The README's schema table is generated
from the same constant (``python -m smartlead schema``).

Rules the flattening keeps, whatever the API sends:

- every record becomes exactly one row, in the order received; none is dropped for a null, a
  missing key, a wrong type or an unknown status (a record that is not even an object becomes
  a row of nulls whose raw JSON sits in ``extra``);
- a known field whose value cannot be read (``"max_leads_per_day": "lots"``) becomes null and
  its name is listed in ``unreadable_fields``, so the loss is visible rather than silent;
- fields the schema does not know are kept, as JSON text in ``extra``;
- the work is done column by column on plain lists and Arrow arrays (no per-row pandas calls),
  so turning the payload into a frame costs about as much as parsing its JSON.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from smartlead import vocab
from smartlead.perf import collector_paused

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
        "Client's name from GET /client/, else 'Client #<id>', else '(no client)'.",
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
    ),
    Column("track_clicks", "boolean", "Link clicks are tracked (links rewritten).", ""),
    Column("track_replies", "boolean", "Replies are tracked.", ""),
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
        "Unsubscribe footer text; empty means none is set.",
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
    Column("schedule_days", LIST_OF_DAYS, "Sending weekdays, 0 = Sunday … 6 = Saturday.", ""),
    Column("schedule_start_minute", "Int16", "Window start, minutes after local midnight.", ""),
    Column("schedule_end_minute", "Int16", "Window end, minutes after local midnight.", ""),
    Column(
        "schedule_window_hours",
        "Float64",
        "Window length in hours; a window ending before it starts runs past midnight; "
        "one ending when it starts is empty (0).",
        "",
    ),
    Column("schedule_days_per_week", "Int8", "Number of sending weekdays.", ""),
    Column(
        "schedule_summary",
        "category",
        "The window in words, e.g. 'Mon–Fri 09:00–19:00 America/New_York'.",
        "",
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

KNOWN_FIELDS: frozenset[str] = frozenset(
    {
        "id",
        "user_id",
        "created_at",
        "updated_at",
        "status",
        "name",
        "track_settings",
        "scheduler_cron_value",
        "min_time_btwn_emails",
        "max_leads_per_day",
        "stop_lead_settings",
        "schedule_start_time",
        "enable_ai_esp_matching",
        "send_as_plain_text",
        "follow_up_percentage",
        "unsubscribe_text",
        "parent_campaign_id",
        "client_id",
        "tags",
    }
)
"""The 18 documented campaign fields plus ``tags``; anything else goes to ``extra``."""

NO_CLIENT = "(no client)"
NO_SCHEDULE = "No schedule"
WEEKDAY_ABBR: tuple[str, ...] = ("Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat")

_INT_FIELDS = (
    "id",
    "client_id",
    "parent_campaign_id",
    "user_id",
    "max_leads_per_day",
    "min_time_btwn_emails",
    "follow_up_percentage",
)
_BOOL_FIELDS = ("send_as_plain_text", "enable_ai_esp_matching")
_TIME_FIELDS = ("created_at", "updated_at", "schedule_start_time")
_HHMM = re.compile(r"^\s*(\d{1,2})(?::(\d{2}))?(?::\d{2})?\s*$")


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


def _build_frame(
    records: Sequence[Any], clients: Iterable[Mapping[str, Any]] | None
) -> pd.DataFrame:
    row_count = len(records)
    dicts, extra = _split_known_and_extra(records)
    unreadable: list[list[str]] = [[] for _ in range(row_count)]
    columns: dict[str, Any] = {}

    for field in _INT_FIELDS:
        columns[field] = _int_column(field, [r.get(field) for r in dicts], unreadable)
    columns["name"] = _string_column([r.get("name") for r in dicts])
    columns["status"] = _status_column([r.get("status") for r in dicts])
    for field in _TIME_FIELDS:
        columns[field] = _time_column(field, [r.get(field) for r in dicts], unreadable)
    for field in _BOOL_FIELDS:
        columns[field] = _bool_column(field, [r.get(field) for r in dicts], unreadable)
    columns["stop_lead_settings"] = _category_column([r.get("stop_lead_settings") for r in dicts])
    columns["unsubscribe_text"] = _category_column([r.get("unsubscribe_text") for r in dicts])
    columns.update(_tracking_columns([r.get("track_settings") for r in dicts]))
    columns.update(_tag_columns([r.get("tags") for r in dicts], unreadable))
    columns.update(_schedule_columns([r.get("scheduler_cron_value") for r in dicts], unreadable))
    columns["client_name"] = client_names(columns["client_id"], clients)
    columns["extra"] = pd.array(extra, dtype="string")
    columns["unreadable_fields"] = pd.array(
        [", ".join(fields) if fields else None for fields in unreadable], dtype="string"
    )

    frame = pd.DataFrame({name: columns[name] for name in COLUMNS})
    return frame


def _split_known_and_extra(records: Sequence[Any]) -> tuple[list[dict], list[str | None]]:
    """Dicts to read known fields from, and the JSON of whatever the schema does not know."""
    dicts: list[dict] = []
    extra: list[str | None] = []
    for record in records:
        if type(record) is dict:
            dicts.append(record)
            if KNOWN_FIELDS.issuperset(record):
                extra.append(None)
            else:
                unknown = {k: v for k, v in record.items() if k not in KNOWN_FIELDS}
                extra.append(_to_json(unknown))
        else:
            dicts.append({})
            extra.append(_to_json({"record": record}))
    return dicts, extra


def _to_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str, sort_keys=True)


def _exact_key(value: Any) -> Any:
    """A hashable stand-in for a JSON value that keeps 1, 1.0 and True apart."""
    kind = type(value)
    if kind is str or value is None:
        return value
    if kind is list and all(type(item) is str for item in value):
        return tuple(value)
    return (kind.__name__, _to_json(value))


def _encode_distinct(
    raw: list[Any], key: Callable[[Any], Any], parse: Callable[[Any], Any]
) -> tuple[np.ndarray, list[Any]]:
    """Parse each distinct value once: row codes into the list of distinct parsed values.

    Portfolios repeat a handful of statuses, flag sets and schedules thousands of times, so
    this turns the per-row work into one dictionary lookup.
    """
    codes_by_key: dict[Any, int] = {}
    distinct: list[Any] = []
    codes = np.empty(len(raw), dtype=np.intp)
    for row, value in enumerate(raw):
        value_key = key(value)
        code = codes_by_key.get(value_key)
        if code is None:
            code = codes_by_key[value_key] = len(distinct)
            distinct.append(parse(value))
        codes[row] = code
    return codes, distinct


def _note_unreadable(
    field: str, raw: list[Any], parsed_is_na: np.ndarray, unreadable: list[list[str]]
) -> None:
    """Record the rows where a value arrived but could not be read."""
    for index in np.flatnonzero(parsed_is_na):
        value = raw[index]
        if value is not None and value != "":
            unreadable[index].append(field)


def int_field(records: Sequence[Any], name: str) -> pd.api.extensions.ExtensionArray:
    """One integer field of every record, read exactly as :func:`campaigns_frame` reads it."""
    raw = [record.get(name) if type(record) is dict else None for record in records]
    return _int_column(name, raw, [[] for _ in raw])


def _int_column(
    field: str, raw: list[Any], unreadable: list[list[str]]
) -> pd.api.extensions.ExtensionArray:
    if all(type(v) is int or v is None for v in raw):
        try:
            return pd.array(raw, dtype="Int64")
        except OverflowError:
            pass
    cleaned = [_as_int(v) for v in raw]
    result = pd.array(cleaned, dtype="Int64")
    _note_unreadable(field, raw, np.asarray(result.isna()), unreadable)
    return result


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


def _string_column(raw: list[Any]) -> pd.api.extensions.ExtensionArray:
    try:
        return pd.array(pa.array(raw, type=pa.string()), dtype="string")
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return pd.array([_text(v) for v in raw], dtype="string")


def _category_column(raw: list[Any]) -> pd.Categorical:
    try:
        return _categorical(raw)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return _categorical([_text(v) for v in raw])


def _categorical(values: list[str | None]) -> pd.Categorical:
    """A categorical built through Arrow's dictionary encoding (several times faster)."""
    encoded = pa.array(values, type=pa.string()).dictionary_encode()
    codes = encoded.indices.fill_null(-1).to_numpy()
    return pd.Categorical.from_codes(codes, categories=encoded.dictionary.to_pylist())


def _status_column(raw: list[Any]) -> pd.Categorical:
    codes, statuses = _encode_distinct(raw, _exact_key, vocab.canonical_status)
    order = vocab.status_order(statuses)
    positions = np.array([order.index(status) for status in statuses], dtype=np.int32)
    return pd.Categorical.from_codes(positions[codes], categories=order)


def _time_column(field: str, raw: list[Any], unreadable: list[list[str]]) -> pd.DatetimeIndex:
    texts = [v if type(v) is str else None for v in raw]
    parsed = pd.to_datetime(texts, utc=True, format="ISO8601", errors="coerce")
    parsed = parsed.as_unit("us")
    missing = np.asarray(parsed.isna())
    if missing.any():
        _note_unreadable(field, raw, missing, unreadable)
    return parsed


def _bool_column(
    field: str, raw: list[Any], unreadable: list[list[str]]
) -> pd.api.extensions.ExtensionArray:
    if all(type(v) is bool or v is None for v in raw):
        return pd.array(raw, dtype="boolean")
    cleaned = [_as_bool(v) for v in raw]
    result = pd.array(cleaned, dtype="boolean")
    _note_unreadable(field, raw, np.asarray(result.isna()), unreadable)
    return result


_TRUE_TEXT = frozenset({"true", "1", "yes"})
_FALSE_TEXT = frozenset({"false", "0", "no"})


def _as_bool(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        lowered = value.strip().lower()
        if lowered in _TRUE_TEXT:
            return True
        if lowered in _FALSE_TEXT:
            return False
    return None


def _tracking_columns(raw: list[Any]) -> dict[str, Any]:
    """The raw flag list plus three booleans; both vocabularies of track_settings count."""
    codes, distinct = _encode_distinct(raw, _exact_key, _parse_tracking)
    flags, opens, clicks, replies = (list(column) for column in zip(*distinct, strict=True))
    return {
        "track_settings": pd.array(
            pa.array(flags, type=pa.list_(pa.string())).take(pa.array(codes)),
            dtype=LIST_OF_STRINGS,
        ),
        "track_opens": pd.array(opens, dtype="boolean")[codes],
        "track_clicks": pd.array(clicks, dtype="boolean")[codes],
        "track_replies": pd.array(replies, dtype="boolean")[codes],
    }


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


_TAG_LIST = pa.list_(
    pa.struct([("tag_id", pa.int64()), ("tag_name", pa.string()), ("tag_color", pa.string())])
)


def _tag_columns(raw: list[Any], unreadable: list[list[str]]) -> dict[str, Any]:
    """Parallel list columns of tag names, ids and colours.

    Well-formed tags (the documented ``{tag_id, tag_name, tag_color}`` objects) are converted
    by Arrow in one pass; anything else takes the careful path below, record by record.
    """
    try:
        tags = pa.array(raw, type=_TAG_LIST)
    except (pa.ArrowInvalid, pa.ArrowTypeError, OverflowError):
        return _tag_columns_one_by_one(raw, unreadable)
    values = tags.values
    names = values.field("tag_name")
    if values.null_count or names.null_count or pc.any(pc.equal(names, "")).as_py():
        return _tag_columns_one_by_one(raw, unreadable)
    colors = values.field("tag_color")
    colors = pc.if_else(pc.equal(colors, ""), pa.scalar(None, pa.string()), colors)
    mask = tags.is_null() if tags.null_count else None

    def as_list(child: pa.Array, dtype: pd.ArrowDtype) -> Any:
        return pd.array(pa.ListArray.from_arrays(tags.offsets, child, mask=mask), dtype=dtype)

    return {
        "tags": as_list(names, LIST_OF_STRINGS),
        "tag_ids": as_list(values.field("tag_id"), LIST_OF_INTS),
        "tag_colors": as_list(colors, LIST_OF_STRINGS),
    }


def _tag_columns_one_by_one(raw: list[Any], unreadable: list[list[str]]) -> dict[str, Any]:
    """The careful path: loose strings, other key names, nulls and junk inside tag lists."""
    offsets = [0]
    names: list[str] = []
    ids: list[int | None] = []
    colors: list[str | None] = []
    valid: list[bool] = []
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
                        unreadable[row].append("tags")
                        continue
                    names.append(name)
                    ids.append(tag_id)
                    color = tag.get("tag_color", tag.get("color"))
                    colors.append(color if isinstance(color, str) and color else None)
                elif isinstance(tag, (str, int, float)) and not isinstance(tag, bool):
                    names.append(str(tag))
                    ids.append(None)
                    colors.append(None)
                else:
                    unreadable[row].append("tags")
        else:
            valid.append(False)
            if value is not None:
                unreadable[row].append("tags")
        offsets.append(len(names))

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


def describe_days(days: Sequence[int]) -> str:
    """Weekdays in words, runs folded: [1,2,3,4,5] → 'Mon–Fri', [0,6] → 'Sun, Sat'."""
    if not days:
        return "no days"
    ordered = sorted(set(days))
    if ordered == list(range(7)):
        return "Every day"
    runs: list[str] = []
    start = previous = ordered[0]
    for day in [*ordered[1:], None]:
        if day is not None and day == previous + 1:
            previous = day
            continue
        if previous - start >= 2:
            runs.append(f"{WEEKDAY_ABBR[start]}–{WEEKDAY_ABBR[previous]}")
        else:
            runs.extend(WEEKDAY_ABBR[d] for d in range(start, previous + 1))
        if day is not None:
            start = previous = day
    return ", ".join(runs)


_ScheduleRow = tuple[
    str | None, list[int] | None, int | None, int | None, float | None, int | None, str, bool
]


def _parse_schedule(value: Any) -> _ScheduleRow:
    """One scheduler_cron_value → (tz, days, start, end, hours, days/week, summary, readable)."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return None, None, None, None, None, None, NO_SCHEDULE, False
    if value is None:
        return None, None, None, None, None, None, NO_SCHEDULE, True
    if not isinstance(value, dict):
        return None, None, None, None, None, None, NO_SCHEDULE, False
    tz = value.get("tz") or value.get("timezone")
    tz = tz.strip() if isinstance(tz, str) and tz.strip() else None
    raw_days = value.get("days")
    days: list[int] | None
    readable = True
    if isinstance(raw_days, list):
        days = sorted({d for d in (_as_int(x) for x in raw_days) if d is not None and 0 <= d <= 6})
        readable = len(days) == len({repr(x) for x in raw_days})
    else:
        days = None
        readable = raw_days is None
    start = parse_clock(value.get("startHour"))
    end = parse_clock(value.get("endHour"))
    if (value.get("startHour") is not None and start is None) or (
        value.get("endHour") is not None and end is None
    ):
        readable = False
    hours = None
    if start is not None and end is not None:
        # A window ending before it starts runs past midnight; start == end sends never.
        span = end - start if end >= start else end - start + 24 * 60
        hours = span / 60
    days_per_week = len(days) if days is not None else None
    summary = " ".join(
        part
        for part in (
            describe_days(days) if days is not None else "days?",
            f"{format_clock(start)}–{format_clock(end)}",
            tz or "(no time zone)",
        )
    )
    return tz, days, start, end, hours, days_per_week, summary, readable


def _schedule_columns(raw: list[Any], unreadable: list[list[str]]) -> dict[str, Any]:
    """Typed schedule columns; each distinct schedule is parsed once (portfolios reuse a few)."""
    codes, distinct = _encode_distinct(raw, _schedule_key, _parse_schedule)
    for code, parsed in enumerate(distinct):
        if not parsed[7]:
            for row in np.flatnonzero(codes == code):
                unreadable[row].append("scheduler_cron_value")
    tz, days, start, end, hours, per_week, summary, _ = (
        list(column) for column in zip(*distinct, strict=True)
    )
    take = pa.array(codes)
    return {
        "schedule_timezone": _categorical(tz)[codes],
        "schedule_days": pd.array(
            pa.array(days, type=pa.list_(pa.int8())).take(take), dtype=LIST_OF_DAYS
        ),
        "schedule_start_minute": pd.array(start, dtype="Int16")[codes],
        "schedule_end_minute": pd.array(end, dtype="Int16")[codes],
        "schedule_window_hours": pd.array(hours, dtype="Float64")[codes],
        "schedule_days_per_week": pd.array(per_week, dtype="Int8")[codes],
        "schedule_summary": _categorical(summary)[codes],
    }


def _schedule_key(value: Any) -> Any:
    """A hashable stand-in for a schedule object, exact in type so 1 and True stay apart."""
    if type(value) is dict and len(value) == 4:
        days = value.get("days")
        if type(days) is list and all(type(day) is int for day in days):
            tz, start, end = value.get("tz"), value.get("startHour"), value.get("endHour")
            if type(tz) is str and type(start) is str and type(end) is str:
                return (tz, tuple(days), start, end)
    return _exact_key(value)


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
    """A readable label per client id: its name, else 'Client #<id>', else '(no client)'."""
    codes, uniques = pd.factorize(client_ids, use_na_sentinel=True)
    labels = [names.get(int(u), f"Client #{int(u)}") for u in uniques]
    # Two clients may share a name; keep them apart so neither hides the other.
    seen: dict[str, int] = {}
    for position, label in enumerate(labels):
        seen[label] = seen.get(label, 0) + 1
        if seen[label] > 1:
            labels[position] = f"{label} (#{int(uniques[position])})"
    labels.append(NO_CLIENT)
    codes = np.where(codes < 0, len(labels) - 1, codes)
    categories = list(dict.fromkeys(labels))
    lookup = {label: index for index, label in enumerate(categories)}
    mapped = np.array([lookup[label] for label in labels], dtype=np.int32)[codes]
    return pd.Categorical.from_codes(mapped, categories=categories)
