"""Mailbox passwords: which fields hold them, dropping them from answers, masking them in text.

SmartLead's mailbox endpoints (``GET /email-accounts/`` and ``GET /campaigns/{id}/email-accounts``)
answer with each mailbox's SMTP ``password`` and ``imap_password`` in clear text. The package
never keeps them: the client drops them from every record before it returns (so even a caller
that logs an answer cannot leak one), and the mailbox frame drops them again at its first step.

Dropping means building a new object without those keys; a record that still holds a password
is never copied, stored, logged or shown. Names are matched generously (any key naming a
password, secret or token, at any depth), because a field SmartLead adds tomorrow under a new
name must not slip through; nothing the dashboard shows is lost by that.

Pure: no I/O.
"""

from __future__ import annotations

import functools
import re
from typing import Any

__all__ = ["MASK", "SECRET_FIELDS", "is_secret_field", "mask_secrets", "strip_secrets"]

SECRET_FIELDS: frozenset[str] = frozenset({"password", "imap_password", "smtp_password"})
"""The password fields SmartLead is known to send with a mailbox."""

_SECRET_WORDS = ("password", "passwd", "secret", "token")
"""Any field whose name holds one of these words is treated as a secret too."""

MASK = "***"


@functools.lru_cache(maxsize=4096)
def is_secret_field(name: str) -> bool:
    """Whether a field of that name may hold a credential (``password``, ``imap_password``,
    ``smtp_password``, ``oauth_token``, ``client_secret``, …); case-insensitive."""
    lowered = name.lower()
    return lowered in SECRET_FIELDS or any(word in lowered for word in _SECRET_WORDS)


def strip_secrets(value: Any) -> Any:
    """``value`` rebuilt without any secret field, at any depth; other values are shared.

    A dict is rebuilt key by key, skipping secret ones, so the result never passes through
    a copy that still holds a password. Lists are rebuilt item by item; scalars come back
    as they are.
    """
    if isinstance(value, dict):
        return {
            key: strip_secrets(item) if isinstance(item, (dict, list)) else item
            for key, item in value.items()
            if not (isinstance(key, str) and is_secret_field(key))
        }
    if isinstance(value, list):
        return [strip_secrets(item) if isinstance(item, (dict, list)) else item for item in value]
    return value


_SECRET_IN_TEXT = re.compile(
    r"""(?P<name>[A-Za-z_]*(?:password|passwd|secret|token)[A-Za-z_]*)"""
    r"""(?P<between>["']?\s*[:=]\s*["']?)(?P<value>[^"'\s,;&}\]]+)""",
    re.IGNORECASE,
)


def mask_secrets(text: str) -> str:
    """``text`` with the value of every ``password: …``, ``"imap_password": "…"`` or
    ``token=…`` masked (for upstream error texts quoted in messages)."""
    return _SECRET_IN_TEXT.sub(lambda m: f"{m.group('name')}{m.group('between')}{MASK}", text)
