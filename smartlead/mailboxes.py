"""SmartLead's mailboxes (email accounts) as one typed pandas DataFrame: one row per mailbox.

``GET /email-accounts/`` and ``GET /campaigns/{id}/email-accounts`` answer with the same
objects (``../shared``'s record: id, from address and name, ``type``, ``message_per_day``,
``daily_sent_count``, SMTP/IMAP success and failure text, ``client_id``, ``campaign_count``,
``warmup_details`` with a reputation such as ``"97%"``), **and with the mailbox's SMTP and
IMAP passwords**. The first thing :func:`mailboxes_frame` does is rebuild every record without
them (:func:`smartlead.passwords.strip_secrets`); no later step sees a password.

The frame's schema is :data:`MAILBOX_SCHEMA`, defined once here. Rules the reading keeps:

- every record becomes exactly one row, in order; a record that is not an object becomes a
  row of nulls with ``record`` in ``unreadable_fields``;
- a value that cannot be read (a cap of ``"lots"``, a reputation of ``"N/A"`` or ``"140%"``)
  becomes null and its field is named in ``unreadable_fields``: visible, never silent;
- a mailbox type SmartLead does not document is kept as it came (upper-cased), a missing
  one is ``UNKNOWN``; a mailbox without a client is ``(no client)``;
- fields the schema does not name are **not** kept (unlike the campaign frame's ``extra``): a
  credential SmartLead might add under a new name must never reach a cache or an export.

Pure: no I/O. Columns are built one field at a time for every record (a C-speed pass per
field), and values that repeat (reputations, types, failure texts) are parsed once each.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from smartlead import vocab
from smartlead.frame import LIST_OF_INTS, Column, client_names
from smartlead.passwords import strip_secrets
from smartlead.records import (
    UnreadableFields,
    note_unreadable,
    parse_counter,
    parse_each_distinct,
    parse_flag,
)

__all__ = [
    "MAILBOX_COLUMNS",
    "MAILBOX_DTYPES",
    "MAILBOX_SCHEMA",
    "campaign_links",
    "empty_mailbox_frame",
    "mailboxes_frame",
    "merge_mailbox_records",
    "parse_reputation",
]

MAILBOX_SCHEMA: tuple[Column, ...] = (
    Column("id", "Int64", "Mailbox (email account) id.", "id"),
    Column("from_email", "string", "The address it sends from.", "from_email"),
    Column("from_name", "string", "The sender name recipients see.", "from_name"),
    Column(
        "domain",
        "category",
        "The sending domain: from_email after the @, lower-cased (null without one).",
        "from_email",
    ),
    Column(
        "provider",
        "category",
        "Mailbox type (SMTP, GMAIL, OUTLOOK, ZOHO; others kept as sent; UNKNOWN when missing).",
        "type",
    ),
    Column("client_id", "Int64", "Agency client the mailbox belongs to (null: none).", "client_id"),
    Column(
        "client_name",
        "category",
        f"Client's name from GET /client/, else 'Client #<id>', else '{vocab.NO_CLIENT}'.",
        "client_id",
    ),
    Column(
        "daily_cap",
        "Int64",
        "Most emails it sends a day across every campaign (message_per_day); null: not set.",
        "message_per_day",
    ),
    Column("sent_today", "Int64", "Emails it sent today (daily_sent_count).", "daily_sent_count"),
    Column(
        "smtp_ok", "boolean", "SmartLead can send through it (is_smtp_success).", "is_smtp_success"
    ),
    Column(
        "imap_ok", "boolean", "SmartLead can read its replies (is_imap_success).", "is_imap_success"
    ),
    Column(
        "smtp_error",
        "string",
        "Why sending fails, as SmartLead says it (smtp_failure_error); null when none.",
        "smtp_failure_error",
    ),
    Column(
        "imap_error",
        "string",
        "Why reading fails, as SmartLead says it (imap_failure_error); null when none.",
        "imap_failure_error",
    ),
    Column(
        "connection",
        "category",
        "Connected, SMTP failing, IMAP failing, SMTP and IMAP failing, or Not reported.",
        "is_smtp_success",
    ),
    Column(
        "warmup_status",
        "category",
        f"Warmup status (ACTIVE, INACTIVE, …; '{vocab.NO_WARMUP_DATA}' when none was sent).",
        "warmup_details",
    ),
    Column(
        "warmup_reputation",
        "Float64",
        "Warmup reputation, 0–100 (SmartLead sends it as text such as '97%').",
        "warmup_details",
    ),
    Column("warmup_sent", "Int64", "Warmup emails sent (total_sent_count).", "warmup_details"),
    Column(
        "warmup_spam",
        "Int64",
        "Warmup emails that landed in spam (total_spam_count).",
        "warmup_details",
    ),
    Column(
        "campaign_count",
        "Int64",
        "Campaigns using the mailbox, as SmartLead counts them (any status).",
        "campaign_count",
    ),
    Column(
        "campaign_ids",
        LIST_OF_INTS,
        "Campaigns whose fetched mailbox list holds it (null when no list was fetched).",
    ),
    Column(
        "unreadable_fields",
        "string",
        "Fields that held a value that could not be read (kept as null).",
    ),
)
"""The mailbox frame's columns, in order. The one definition every module relies on."""

MAILBOX_COLUMNS: tuple[str, ...] = tuple(column.name for column in MAILBOX_SCHEMA)
MAILBOX_DTYPES: dict[str, Any] = {column.name: column.dtype for column in MAILBOX_SCHEMA}

_INT_FIELDS = {
    "id": "id",
    "client_id": "client_id",
    "daily_cap": "message_per_day",
    "sent_today": "daily_sent_count",
    "campaign_count": "campaign_count",
}
_WARMUP_INTS = {"warmup_sent": "total_sent_count", "warmup_spam": "total_spam_count"}


def empty_mailbox_frame() -> pd.DataFrame:
    """A frame with no rows and the full schema: an account without mailboxes."""
    return pd.DataFrame({c.name: pd.Series([], dtype=c.dtype) for c in MAILBOX_SCHEMA})


def mailboxes_frame(
    records: Sequence[Any] | None,
    clients: Iterable[Mapping[str, Any]] | None = None,
    links: Mapping[int, Sequence[int]] | None = None,
) -> pd.DataFrame:
    """One typed row per mailbox record, in order, passwords dropped before anything else.

    ``records`` are SmartLead's mailbox objects (any JSON value is accepted and kept as a
    row); ``clients`` (from GET /client/) names the clients; ``links`` maps each campaign
    whose mailbox list was fetched to the mailbox ids in it, and fills ``campaign_ids``.
    The result always has exactly :data:`MAILBOX_COLUMNS`, with :data:`MAILBOX_DTYPES`.
    """
    if not records:
        return empty_mailbox_frame()
    dicts: list[dict] = [strip_secrets(r) if type(r) is dict else {} for r in records]
    unreadable = UnreadableFields(len(dicts))
    unreadable.mark("record", np.array([type(r) is not dict for r in records], dtype=bool))
    columns: dict[str, Any] = {}
    for name, source in _INT_FIELDS.items():
        raw = [d.get(source) for d in dicts]
        columns[name] = _counts(raw)
        note_unreadable(source, raw, columns[name].isna(), unreadable)

    emails = _texts([d.get("from_email") for d in dicts])
    columns["from_email"] = pd.array(emails, dtype="string")
    columns["from_name"] = pd.array(_texts([d.get("from_name") for d in dicts]), dtype="string")
    columns["domain"] = _per_distinct(emails, _domain_of)
    columns["provider"] = _per_distinct([d.get("type") for d in dicts], _provider_of)
    columns["client_name"] = client_names(columns["client_id"], clients)

    for name, source in (("smtp_ok", "is_smtp_success"), ("imap_ok", "is_imap_success")):
        raw = [d.get(source) for d in dicts]
        flags = pd.array([parse_flag(value) for value in raw], dtype="boolean")
        columns[name] = flags
        note_unreadable(source, raw, flags.isna(), unreadable)
    for name, source in (
        ("smtp_error", "smtp_failure_error"),
        ("imap_error", "imap_failure_error"),
    ):
        raw_texts = _texts(d.get(source) for d in dicts)
        texts = [(text.strip() or None) if text else None for text in raw_texts]
        columns[name] = pd.array(texts, dtype="string")
    columns["connection"] = _connection(columns["smtp_ok"], columns["imap_ok"])

    raw_warmups = [d.get("warmup_details") for d in dicts]
    unreadable.mark(
        "warmup_details", np.array([w is not None and type(w) is not dict for w in raw_warmups])
    )
    warmups = [w if type(w) is dict else {} for w in raw_warmups]
    columns["warmup_status"] = _per_distinct([w.get("status") for w in warmups], _warmup_status_of)
    reputations = [w.get("warmup_reputation") for w in warmups]
    parsed = _per_distinct_floats(reputations, parse_reputation)
    columns["warmup_reputation"] = pd.array(parsed, dtype="Float64")
    note_unreadable("warmup_reputation", reputations, np.isnan(parsed), unreadable)
    for name, source in _WARMUP_INTS.items():
        raw = [w.get(source) for w in warmups]
        columns[name] = _counts(raw)
        note_unreadable(source, raw, columns[name].isna(), unreadable)

    columns["campaign_ids"] = _campaign_ids(columns["id"], links)
    columns["unreadable_fields"] = unreadable.column()
    return pd.DataFrame({name: columns[name] for name in MAILBOX_COLUMNS}, copy=False)


# --------------------------------------------------------------------------- reading values


def parse_reputation(value: Any) -> float | None:
    """A warmup reputation as a number from 0 to 100, or None when it is not one.

    SmartLead sends ``"97%"``; ``"97"``, ``97`` and ``97.5`` read the same way. Anything
    else (``"N/A"``, ``""``, ``"140%"``, a negative, a boolean, NaN) is None: unknown, not 0.
    """
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        number = float(value)
    elif isinstance(value, str):
        text = value.strip().removesuffix("%").strip()
        try:
            number = float(text)
        except ValueError:
            return None
    else:
        return None
    return number if math.isfinite(number) and 0.0 <= number <= 100.0 else None


def _counts(raw: Sequence[Any]) -> pd.api.extensions.ExtensionArray:
    """Ids and counts as nullable integers: ``12``, ``"12"`` and ``12.0`` read as 12; a
    negative, fractional or non-numeric value is null (see :func:`records.parse_counter`)."""
    codes, parsed = parse_each_distinct(raw, _hashable, parse_counter)
    values = np.array([0 if p is None else p for p in parsed], dtype=np.int64)
    missing = np.array([p is None for p in parsed], dtype=bool)
    if not len(codes):
        return pd.array([], dtype="Int64")
    return pd.arrays.IntegerArray(values[codes], missing[codes])


def _texts(values: Iterable[Any]) -> list[str | None]:
    """Text as it came; numbers as their text; anything else (lists, objects) as None."""
    return [
        v if isinstance(v, str) or v is None else (str(v) if isinstance(v, (int, float)) else None)
        for v in values
    ]


def _domain_of(email: Any) -> str | None:
    if not isinstance(email, str) or "@" not in email:
        return None
    domain = email.rsplit("@", 1)[1].strip().lower()
    return domain or None


def _provider_of(value: Any) -> str:
    if isinstance(value, str) and value.strip():
        return value.strip().upper()
    return vocab.UNKNOWN_PROVIDER


def _warmup_status_of(value: Any) -> str:
    if isinstance(value, str) and value.strip():
        return value.strip().upper()
    return vocab.NO_WARMUP_DATA


def _hashable(value: Any) -> Any:
    """A key for ``value`` that keeps 1, 1.0, True and "1" apart."""
    return (
        type(value).__name__,
        value if isinstance(value, (str, int, float, bool)) else repr(value),
    )


def _per_distinct(values: Sequence[Any], read: Any) -> pd.Categorical:
    """A categorical column: ``read`` applied once per distinct raw value."""
    codes, labels = parse_each_distinct(values, _hashable, read)
    categories = list(dict.fromkeys(label for label in labels if label is not None))
    lookup = {label: position for position, label in enumerate(categories)}
    mapped = np.array([lookup.get(label, -1) for label in labels], dtype=np.int64)
    return pd.Categorical.from_codes(mapped[codes] if len(codes) else codes, categories=categories)


def _per_distinct_floats(values: Sequence[Any], read: Any) -> np.ndarray:
    """A float64 array (NaN for None): ``read`` applied once per distinct raw value."""
    codes, read_once = parse_each_distinct(values, _hashable, read)
    parsed = np.array([np.nan if r is None else r for r in read_once], dtype=float)
    return parsed[codes] if len(codes) else np.array([], dtype=float)


def _connection(smtp_ok: pd.api.extensions.ExtensionArray, imap_ok: Any) -> pd.Categorical:
    smtp = pd.Series(smtp_ok, dtype="boolean")
    imap = pd.Series(imap_ok, dtype="boolean")
    smtp_failed = (~smtp).fillna(False).to_numpy(dtype=bool)  # unknown is not failing
    imap_failed = (~imap).fillna(False).to_numpy(dtype=bool)
    both_ok = (smtp & imap).fillna(False).to_numpy(dtype=bool)
    states = np.select(
        [smtp_failed & imap_failed, smtp_failed, imap_failed, both_ok],
        [vocab.BOTH_FAILING, vocab.SMTP_FAILING, vocab.IMAP_FAILING, vocab.CONNECTED],
        default=vocab.NOT_REPORTED,
    )
    return pd.Categorical(states, categories=list(vocab.CONNECTIONS))


# --------------------------------------------------------------------------- campaigns


def campaign_links(links: Mapping[int, Sequence[int]] | None) -> pd.DataFrame:
    """``links`` (campaign id → mailbox ids) as a table of distinct (campaign_id, mailbox_id)
    pairs, in campaign order; null mailbox ids are left out."""
    if not links:
        return pd.DataFrame(
            {"campaign_id": pd.array([], dtype="Int64"), "mailbox_id": pd.array([], dtype="Int64")}
        )
    campaign_ids = list(links)
    lengths = np.fromiter(
        (len(links[cid]) for cid in campaign_ids), dtype=np.int64, count=len(links)
    )
    campaigns = np.repeat(np.asarray(campaign_ids, dtype=np.int64), lengths)
    mailboxes = (
        pd.array([m for cid in campaign_ids for m in links[cid]], dtype="Int64")
        if lengths.sum()
        else pd.array([], dtype="Int64")
    )
    table = pd.DataFrame(
        {"campaign_id": pd.array(campaigns, dtype="Int64"), "mailbox_id": mailboxes}
    )
    return table.dropna().drop_duplicates(ignore_index=True)


def _campaign_ids(
    ids: pd.api.extensions.ExtensionArray, links: Mapping[int, Sequence[int]] | None
) -> pd.api.extensions.ExtensionArray:
    """Per mailbox, the campaigns (in id order) whose fetched list holds it."""
    size = len(ids)
    if links is None:
        return pd.array(pa.nulls(size, pa.list_(pa.int64())), dtype=LIST_OF_INTS)
    table = campaign_links(links)
    grouped: dict[int, list[int]] = {}
    if len(table):
        ordered = table.sort_values(["mailbox_id", "campaign_id"])
        mailbox_ids = ordered["mailbox_id"].to_numpy(dtype=np.int64)
        campaign_ids = ordered["campaign_id"].to_numpy(dtype=np.int64)
        starts = np.flatnonzero(np.r_[True, mailbox_ids[1:] != mailbox_ids[:-1]])
        for start, end in zip(starts, np.r_[starts[1:], len(mailbox_ids)], strict=True):
            grouped[int(mailbox_ids[start])] = campaign_ids[start:end].tolist()
    values = [grouped.get(int(i), []) if i is not pd.NA else [] for i in ids]
    return pd.array(pa.array(values, type=pa.list_(pa.int64())), dtype=LIST_OF_INTS)


def merge_mailbox_records(*sources: Iterable[Any]) -> list[Any]:
    """Mailbox records from several answers, once per id, the first source's copy winning.

    The account's list comes first; a mailbox seen only in a campaign's list (the account
    list failed, or changed in between) is still kept. Records without a readable id are
    kept as they are (they cannot be matched). Passwords are dropped on the way.
    """
    seen: set[Any] = set()
    merged: list[Any] = []
    for source in sources:
        for record in source:
            clean = strip_secrets(record)
            key = clean.get("id") if isinstance(clean, dict) else None
            if isinstance(key, (int, str)) and not isinstance(key, bool):
                marker = str(key).strip()
                if marker in seen:
                    continue
                seen.add(marker)
            merged.append(clean)
    return merged
