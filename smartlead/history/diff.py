"""What changed between two snapshots: one row per change, compared as the dashboard reads them.

The rules (what counts as a change, how campaigns are paired) are documented on
:func:`diff_snapshots`; :func:`diff_summary` counts the changes and :func:`filter_changes`
narrows them down the way the Changes page does.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from smartlead import vocab

# The frame's own field parsers: the diff reads records exactly as campaigns_frame does.
from smartlead.frame import LIST_OF_STRINGS, NO_SCHEDULE, campaigns_frame, int_field
from smartlead.history.model import Snapshot, client_labels
from smartlead.history.store import SnapshotStore

CHANGE_KINDS: tuple[str, ...] = tuple(vocab.CHANGE_KINDS)
"""Kinds of change a diff reports, in the order the diff table lists them (labels: vocab)."""

DIFF_COLUMNS: tuple[str, ...] = (
    "kind",
    "id",
    "name",
    "client_name",
    "field",
    "before",
    "after",
    "tags",
)
"""Columns of :func:`diff_snapshots`'s frame."""

# Which campaign-frame columns the diff compares, and how. Every column of the frame's
# SCHEMA is in exactly one of these groups (a test checks it, so a new column is noticed).
_SCHEDULE_COLUMNS = (
    "schedule_timezone",
    "schedule_days",
    "schedule_start_minute",
    "schedule_end_minute",
)
_FIELD_COLUMNS = (
    "name",
    "parent_campaign_id",
    "user_id",
    "created_at",
    "schedule_start_time",
    "min_time_btwn_emails",
    "follow_up_percentage",
    "stop_lead_settings",
    "track_opens",
    "track_clicks",
    "track_replies",
    "send_as_plain_text",
    "enable_ai_esp_matching",
    "unsubscribe_text",
)
_SPECIAL_COLUMNS = ("id", "status", "max_leads_per_day", "tags", "client_id", "extra")
_IGNORED_COLUMNS = (
    "updated_at",  # moves with every edit; the changes themselves are what is reported
    "track_settings",  # raw flags: compared through track_opens/clicks/replies instead
    "tag_ids",  # tags are compared by name, as people see them
    "tag_colors",  # a colour belongs to the tag, not the campaign
    "schedule_window_hours",  # derived from the schedule, reported as one schedule change
    "schedule_days_per_week",
    "schedule_summary",
    "client_name",  # follows client_id, reported as the "client" field
    "unreadable_fields",  # a note about parsing, not a campaign setting
)


def _safe_frame(records: Sequence[Any], clients: Iterable[Any] | None) -> pd.DataFrame:
    """``campaigns_frame``, which must never take a diff down with it.

    Should the frame builder ever reject a record, that record's known fields are tried one
    by one and any it cannot read are moved under an unknown name (so they still show in
    ``extra`` and in diffs) instead of failing the whole portfolio.
    """
    client_list = [c for c in (clients or []) if isinstance(c, Mapping)]
    try:
        return campaigns_frame(records, client_list)
    except Exception:  # a defensive fallback; the careful path follows
        cleaned = [_readable_record(record) for record in records]
        return campaigns_frame(cleaned, client_list)


def _frame_accepts(records: list[Any]) -> bool:
    try:
        campaigns_frame(records)
    except Exception:
        return False
    return True


def _readable_record(record: Any) -> Any:
    if _frame_accepts([record]):
        return record
    if not isinstance(record, dict):
        return {"record": json.dumps(record, default=str)}
    kept: dict[str, Any] = {}
    for key, value in record.items():
        if _frame_accepts([{key: value}]):
            kept[key] = value
        else:
            kept[f"{key} (unreadable)"] = json.dumps(value, default=str)
    return kept


def diff_stored(store: SnapshotStore, before_id: int, after_id: int) -> pd.DataFrame:
    """:func:`diff_snapshots` of two stored snapshots, by id."""
    return diff_snapshots(store.load(before_id), store.load(after_id))


def _side(
    value: Snapshot | Sequence[Any] | None, clients: Iterable[Any] | None
) -> tuple[list[Any], Any]:
    if isinstance(value, Snapshot):
        return list(value.records), value.clients
    if value is None:
        return [], clients
    if isinstance(value, (str, bytes, Mapping)) or not isinstance(value, Sequence):
        return [value], clients  # one odd value is one odd record, not a crash
    return list(value), clients


def diff_snapshots(
    before: Snapshot | Sequence[Any],
    after: Snapshot | Sequence[Any],
    *,
    clients: Iterable[Any] | None = None,
) -> pd.DataFrame:
    """Every change from ``before`` to ``after``, one row per change (long form).

    Columns :data:`DIFF_COLUMNS`: ``kind`` (one of :data:`CHANGE_KINDS`), the campaign's
    ``id``, ``name``, ``client_name`` and ``tags`` (as in ``after``; as in ``before`` for a
    removed one), the ``field`` that changed, and ``before``/``after`` as text (None where a
    value is missing). Snapshots bring their own client lists; plain record lists use
    ``clients``. The rules:

    - Campaigns are matched on ``id`` (a duplicated id is paired in order of appearance).
      Records without a readable id (nulls, non-objects, ``"id": "x"``) are *unidentified*:
      they are matched by their exact content, so one that did not change is no change,
      and one that did shows as removed (old form) and added (new form), with a null id.
    - ``added``/``removed``: ``after``/``before`` describe the campaign (status, daily
      limit, schedule), or hold an unidentified record's JSON; ``field`` is empty.
    - ``status``, ``daily_limit``: old and new value.
    - ``tags``: the tag names (sorted, comma-separated), compared only when both sides
      fetched tags (tags null means "not fetched"); colours and tag ids are not compared.
    - ``schedule``: one row when the time zone, days or window changed, with the readable
      ``schedule_summary`` on each side (not one row per schedule column).
    - ``field``: every other setting, one row each: ``name``, ``client`` (by client name),
      tracking (``track_opens``/``clicks``/``replies``), … and every unknown field by its
      own name. ``updated_at`` is not reported: it moves with every edit, and the edits
      themselves are what the table shows.

    Paired records that are equal as JSON values (Python's ``==``, so ``1``, ``1.0`` and
    ``true`` count as equal) are unchanged by definition and skipped; only the rest are
    turned into campaign frames (``campaigns_frame``, so values are read exactly as the
    dashboard reads them) and compared column by column, vectorised. A weekly diff of a
    5,000-campaign portfolio therefore costs about as much as framing its few hundred
    changed campaigns.
    """
    records_b, clients_b = _side(before, clients)
    records_a, clients_a = _side(after, clients)
    ids_b, ids_a = _id_list(records_b), _id_list(records_a)
    pairs_b, pairs_a, removed, added = _pair_by_id(ids_b, ids_a)
    gone, new = _match_by_content(records_b, records_a, ids_b, ids_a)
    # Records equal as JSON values cannot differ in any column: only the others are framed.
    edited = [
        k
        for k, (i, j) in enumerate(zip(pairs_b, pairs_a, strict=True))
        if records_b[i] != records_a[j]
    ]
    if not (edited or removed or added or gone or new):
        return _empty_diff()
    pairs_b = [pairs_b[k] for k in edited]
    pairs_a = [pairs_a[k] for k in edited]
    # Framed rows, in order: edited pairs, then removed (added), then unidentified ones.
    frame_b = _subset_frame(records_b, clients_b, [*pairs_b, *removed, *gone])
    frame_a = _subset_frame(records_a, clients_a, [*pairs_a, *added, *new])
    labels_b, labels_a = _Labels(frame_b), _Labels(frame_a)

    pieces: list[dict[str, Any]] = []
    count = len(pairs_b)
    if removed:
        rows = range(count, count + len(removed))
        texts = _describe(frame_b.iloc[count : count + len(removed)])
        pieces.append(labels_b.piece("removed", rows, None, texts, None))
    if added:
        rows = range(count, count + len(added))
        texts = _describe(frame_a.iloc[count : count + len(added)])
        pieces.append(labels_a.piece("added", rows, None, None, texts))
    # Unidentified records are shown as they came: their content is all there is to see.
    if gone:
        rows = range(count + len(removed), len(frame_b))
        texts = [_short_json(records_b[i]) for i in gone]
        pieces.append(labels_b.piece("removed", rows, None, texts, None))
    if new:
        rows = range(count + len(added), len(frame_a))
        texts = [_short_json(records_a[i]) for i in new]
        pieces.append(labels_a.piece("added", rows, None, None, texts))
    if count:
        _compare(frame_b.iloc[:count], frame_a.iloc[:count], labels_a, pieces)
    return _assemble(pieces)


class _Labels:
    """What every change row repeats about its campaign (id, name, client, tags), per row."""

    def __init__(self, frame: pd.DataFrame) -> None:
        self.ids = _nullable(frame["id"].tolist())
        self.names = _nullable(frame["name"].tolist())
        self.clients = _nullable(frame["client_name"].astype("string").tolist())
        self.tags = _list_values(frame["tags"])

    def piece(
        self,
        kind: str,
        rows: Iterable[int],
        field_name: str | list[str] | None,
        before: list[str | None] | None,
        after: list[str | None] | None,
    ) -> dict[str, Any]:
        """Change rows for the frame rows ``rows`` (``field_name`` one for all, or one each)."""
        rows = list(rows)
        count = len(rows)
        return {
            "kind": [kind] * count,
            "id": [self.ids[row] for row in rows],
            "name": [self.names[row] for row in rows],
            "client_name": [self.clients[row] for row in rows],
            "field": field_name if isinstance(field_name, list) else [field_name] * count,
            "before": before if before is not None else [None] * count,
            "after": after if after is not None else [None] * count,
            "tags": [self.tags[row] for row in rows],
        }


def _subset_frame(
    records: list[Any], clients: Iterable[Any] | None, rows: list[int]
) -> pd.DataFrame:
    """The campaign frame of some records only, in the order of ``rows``.

    Only ``client_name`` depends on the other rows (two clients with one name are told
    apart by id), so it is taken from the labels of the whole list.
    """
    frame = _safe_frame([records[i] for i in rows], clients)
    if rows:
        labels = client_labels(records, clients)
        frame["client_name"] = labels.take(np.asarray(rows, dtype=np.intp))
    return frame


def _id_list(records: Sequence[Any]) -> list[int | None]:
    """Each record's id as the frame reads it; None where there is no readable id."""
    ids = int_field(records, "id")
    values = ids.to_numpy(dtype="int64", na_value=0).tolist()
    return [None if missing else value for value, missing in zip(values, ids.isna(), strict=True)]


def _pair_by_id(
    ids_b: list[int | None], ids_a: list[int | None]
) -> tuple[list[int], list[int], list[int], list[int]]:
    """Positions of paired records (same id; repeats paired in order), removed and added."""
    waiting: dict[int, list[int]] = {}
    for position, value in enumerate(ids_b):
        if value is not None:
            waiting.setdefault(value, []).append(position)
    taken: dict[int, int] = {}
    pairs_b: list[int] = []
    pairs_a: list[int] = []
    added: list[int] = []
    for position, value in enumerate(ids_a):
        if value is None:
            continue
        queue = waiting.get(value, ())
        used = taken.get(value, 0)
        if used < len(queue):
            pairs_b.append(queue[used])
            pairs_a.append(position)
            taken[value] = used + 1
        else:
            added.append(position)
    removed = sorted(p for value, queue in waiting.items() for p in queue[taken.get(value, 0) :])
    return pairs_b, pairs_a, removed, added


def _short_json(value: Any, limit: int = 200) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _content_key(record: Any) -> str:
    return json.dumps(record, sort_keys=True, default=str, ensure_ascii=True)


def _match_by_content(
    records_b: list[Any],
    records_a: list[Any],
    ids_b: list[int | None],
    ids_a: list[int | None],
) -> tuple[list[int], list[int]]:
    """Unidentified records: equal content cancels out; the rest are removed / added."""
    unknown_b = [i for i, value in enumerate(ids_b) if value is None]
    unknown_a = [i for i, value in enumerate(ids_a) if value is None]
    if not unknown_b and not unknown_a:
        return [], []
    available = Counter(_content_key(records_b[i]) for i in unknown_b)
    new: list[int] = []
    for i in unknown_a:
        key = _content_key(records_a[i])
        if available[key] > 0:
            available[key] -= 1
        else:
            new.append(i)
    gone: list[int] = []
    for i in unknown_b:
        key = _content_key(records_b[i])
        if available[key] > 0:
            available[key] -= 1
            gone.append(i)
    return gone, new


def _describe(rows: pd.DataFrame) -> list[str]:
    """'ACTIVE · 50/day · Mon–Fri 09:00–17:00 America/New_York' for added/removed rows."""
    status = rows["status"].astype("string").fillna(vocab.UNKNOWN_STATUS).tolist()
    limits = rows["max_leads_per_day"].tolist()
    schedules = rows["schedule_summary"].astype("string").fillna(NO_SCHEDULE).tolist()
    return [
        f"{s} · {'?' if limit is pd.NA else limit}/day · {schedule}"
        for s, limit, schedule in zip(status, limits, schedules, strict=True)
    ]


def _list_values(series: pd.Series) -> list[Any]:
    """A list column as Python lists (None for null)."""
    return series.array.__arrow_array__().to_pylist()


def _changed(b: pd.Series, a: pd.Series) -> np.ndarray:
    """Boolean mask of rows whose value differs (two missing values are equal)."""
    if isinstance(b.dtype, pd.ArrowDtype):
        left, right = _list_values(b), _list_values(a)
        return np.fromiter(
            (x != y for x, y in zip(left, right, strict=True)), dtype=bool, count=len(left)
        )
    if isinstance(b.dtype, pd.CategoricalDtype):
        b, a = b.astype("string"), a.astype("string")
    missing_b = np.asarray(b.isna(), dtype=bool)
    missing_a = np.asarray(a.isna(), dtype=bool)
    equal = pd.Series(b.array == a.array).to_numpy(dtype=bool, na_value=False)
    return ~(equal | (missing_b & missing_a))


def _texts(series: pd.Series) -> list[str | None]:
    """Values as display text: times in UTC, booleans true/false, lists comma-joined."""
    dtype = series.dtype
    if isinstance(dtype, pd.ArrowDtype):
        return [None if v is None else ", ".join(str(x) for x in v) for v in _list_values(series)]
    if isinstance(dtype, pd.DatetimeTZDtype):
        texts = series.dt.strftime("%Y-%m-%d %H:%M:%S UTC")
        return [None if pd.isna(t) else str(t) for t in texts]
    if pd.api.types.is_bool_dtype(dtype):
        return [None if v is pd.NA else ("true" if v else "false") for v in series.tolist()]
    return [None if v is pd.NA else v for v in series.astype("string").tolist()]


def _compare(
    b: pd.DataFrame, a: pd.DataFrame, labels: _Labels, pieces: list[dict[str, Any]]
) -> None:
    """Field-level changes of the paired campaigns (row k of ``b`` and of ``a`` are one)."""

    def emit(kind: str, mask: np.ndarray, name: str, before: pd.Series, after: pd.Series) -> None:
        if mask.any():
            rows = np.flatnonzero(mask)
            old, new = _texts(before.iloc[rows]), _texts(after.iloc[rows])
            pieces.append(labels.piece(kind, rows.tolist(), name, old, new))

    def column(kind: str, name: str, label: str | None = None) -> None:
        emit(kind, _changed(b[name], a[name]), label or name, b[name], a[name])

    column("status", "status")
    column("daily_limit", "max_leads_per_day")
    both_tagged = np.asarray(b["tags"].notna() & a["tags"].notna(), dtype=bool)
    sorted_b, sorted_a = _sorted_tags(b["tags"]), _sorted_tags(a["tags"])
    emit("tags", _changed(sorted_b, sorted_a) & both_tagged, "tags", sorted_b, sorted_a)
    schedule_mask = np.zeros(len(b), dtype=bool)
    for name in _SCHEDULE_COLUMNS:
        schedule_mask |= _changed(b[name], a[name])
    emit("schedule", schedule_mask, "schedule", b["schedule_summary"], a["schedule_summary"])
    client_moved = _changed(b["client_id"], a["client_id"])
    emit("field", client_moved, "client", b["client_name"], a["client_name"])
    for name in _FIELD_COLUMNS:
        column("field", name)
    _compare_extra(b, a, labels, pieces)


def _sorted_tags(tags: pd.Series) -> pd.Series:
    """Tag names in a fixed order, so a reordering is not reported as a change."""
    values = [None if v is None else sorted(v) for v in _list_values(tags)]
    return pd.Series(pd.array(pa.array(values, type=pa.list_(pa.string())), dtype=LIST_OF_STRINGS))


_MISSING = object()


def _compare_extra(
    b: pd.DataFrame, a: pd.DataFrame, labels: _Labels, pieces: list[dict[str, Any]]
) -> None:
    """Unknown fields (``extra`` JSON): one field row per key whose value changed."""
    rows = np.flatnonzero(_changed(b["extra"], a["extra"]))
    if not len(rows):
        return
    old_texts, new_texts = b["extra"].iloc[rows].tolist(), a["extra"].iloc[rows].tolist()
    out_rows: list[int] = []
    names: list[str] = []
    befores: list[str | None] = []
    afters: list[str | None] = []
    for row, old_text, new_text in zip(rows.tolist(), old_texts, new_texts, strict=True):
        old, new = _extra_fields(old_text), _extra_fields(new_text)
        for key in sorted(set(old) | set(new)):
            before = _json_text(old.get(key, _MISSING))
            after = _json_text(new.get(key, _MISSING))
            if before != after:
                out_rows.append(row)
                names.append(key)
                befores.append(before)
                afters.append(after)
    if out_rows:
        pieces.append(labels.piece("field", out_rows, names, befores, afters))


def _extra_fields(text: Any) -> dict[str, Any]:
    if text is None or text is pd.NA:
        return {}
    try:
        value = json.loads(text)
    except (TypeError, ValueError):
        return {"extra": text}
    return value if isinstance(value, dict) else {"extra": value}


def _json_text(value: Any) -> str | None:
    if value is _MISSING:
        return None
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def _empty_diff() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "kind": pd.Categorical([], categories=CHANGE_KINDS, ordered=True),
            "id": pd.array([], dtype="Int64"),
            "name": pd.array([], dtype="string"),
            "client_name": pd.array([], dtype="string"),
            "field": pd.array([], dtype="string"),
            "before": pd.array([], dtype="string"),
            "after": pd.array([], dtype="string"),
            "tags": pd.array(pa.array([], type=pa.list_(pa.string())), dtype=LIST_OF_STRINGS),
        }
    )


def _assemble(pieces: list[dict[str, Any]]) -> pd.DataFrame:
    """One typed frame from the pieces, sorted by kind, then newest campaign first."""
    if not pieces:
        return _empty_diff()
    merged: dict[str, list[Any]] = {name: [] for name in DIFF_COLUMNS}
    for piece in pieces:
        for name in DIFF_COLUMNS:
            merged[name].extend(piece[name])
    ids = [None if v is None or v is pd.NA else int(v) for v in merged["id"]]
    frame = pd.DataFrame(
        {
            "kind": pd.Categorical(merged["kind"], categories=CHANGE_KINDS, ordered=True),
            "id": pd.array(ids, dtype="Int64"),
            "name": pd.array(_nullable(merged["name"]), dtype="string"),
            "client_name": pd.array(_nullable(merged["client_name"]), dtype="string"),
            "field": pd.array(merged["field"], dtype="string"),
            "before": pd.array(merged["before"], dtype="string"),
            "after": pd.array(merged["after"], dtype="string"),
            "tags": pd.array(
                pa.array(merged["tags"], type=pa.list_(pa.string())), dtype=LIST_OF_STRINGS
            ),
        }
    )
    order = np.lexsort(
        (
            frame["field"].fillna("").to_numpy(dtype=object),
            -frame["id"].fillna(-1).to_numpy(dtype="int64"),
            frame["kind"].cat.codes.to_numpy(),
        )
    )
    return frame.iloc[order].reset_index(drop=True)


def _nullable(values: list[Any]) -> list[Any]:
    return [None if v is pd.NA else v for v in values]


def diff_summary(changes: pd.DataFrame) -> dict[str, int]:
    """Counts per kind (every kind, 0 when absent), the total, and campaigns with changes.

    ``campaigns_changed`` counts the distinct identified campaigns with at least one
    status, daily-limit, tags, schedule or field change (added and removed ones excluded).
    """
    counts = changes["kind"].value_counts() if len(changes) else pd.Series(dtype="int64")
    summary = {kind: int(counts.get(kind, 0)) for kind in CHANGE_KINDS}
    summary["changes"] = len(changes)
    edited = changes[~changes["kind"].isin(["added", "removed"])] if len(changes) else changes
    summary["campaigns_changed"] = int(edited["id"].dropna().nunique()) if len(edited) else 0
    return summary


def filter_changes(
    changes: pd.DataFrame,
    *,
    kinds: Iterable[str] | None = None,
    clients: Iterable[str] | None = None,
    tags: Iterable[str] | None = None,
) -> pd.DataFrame:
    """The rows of a diff matching every given filter (None or empty: no filter).

    ``clients`` are client names as in the ``client_name`` column; ``tags`` keeps the rows of
    campaigns carrying at least one of the tags.
    """
    mask = np.ones(len(changes), dtype=bool)
    kind_set = set(kinds or ())
    if kind_set:
        mask &= changes["kind"].isin(kind_set).to_numpy(dtype=bool)
    client_set = set(clients or ())
    if client_set:
        mask &= changes["client_name"].isin(client_set).to_numpy(dtype=bool, na_value=False)
    tag_set = set(tags or ())
    if tag_set:
        mask &= np.fromiter(
            (bool(v) and not tag_set.isdisjoint(v) for v in _list_values(changes["tags"])),
            dtype=bool,
            count=len(changes),
        )
    return changes[mask].reset_index(drop=True)
