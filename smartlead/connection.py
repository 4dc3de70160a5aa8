"""A connection to one SmartLead account: the key, the API address, the rate rules, one fingerprint.

Everything that needs the key takes a :class:`Connection`, never a bare string, so that:

- the key is never shown by accident: ``repr()`` and ``str()`` name the host and the account
  fingerprint, never the key (it is also left out of ``dataclasses.fields``' repr);
- an account has **one** name wherever something is kept per account (the rate limiter, the
  dashboard's caches, the history store): :attr:`Connection.fingerprint`, a keyed hash of the
  API address and the key. The key cannot be recovered from it;
- a malformed address is refused once, here, with a sentence naming the setting
  (:class:`~smartlead.errors.SettingsError`), before any request is attempted.

``st.cache_data`` hashes a connection like any dataclass (key included, as a hash that is not
stored), so two keys never share a cache entry.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from smartlead import settings
from smartlead.errors import AuthenticationError, SettingsError
from smartlead.redact import redact

FINGERPRINT_CONTEXT = b"smartlead-portfolio/account/v1"
"""The HMAC key of :attr:`Connection.fingerprint`: it ties fingerprints to this purpose."""

FINGERPRINT_LENGTH = 20
"""Hex characters kept of the fingerprint (80 bits: no two accounts of one server collide)."""


def _shown(text: str, limit: int = 80) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def parse_base_url(raw: str | None) -> tuple[str, str]:
    """``(base_url, host)`` of an API address; :class:`SettingsError` when it cannot be used.

    ``raw`` None or blank means ``SMARTLEAD_BASE_URL``, else SmartLead's own address. The
    address must be ``http(s)://host[:port]/...`` with a numeric port; a trailing slash is
    dropped. The message never repeats a query string (where a key could hide).
    """
    base = settings.base_url(raw)
    try:
        parts = urlsplit(base)
        port = parts.port
        host = parts.hostname
    except ValueError:  # "http://[::1", "http://host:port"
        parts, port, host = None, None, None
    if parts is None or parts.scheme not in ("http", "https") or not host:
        shown = _shown(redact(base.split("?", 1)[0]))
        raise SettingsError(
            f"The SmartLead API address “{shown}” is not an http(s) address with a host "
            f"and an optional numeric port.",
            setting=settings.ENV_BASE_URL,
        )
    shown_host = f"[{host}]" if ":" in host else host
    return base, shown_host + (f":{port}" if port else "")


@dataclass(frozen=True)
class Connection:
    """One SmartLead account as reached from here. Build it with :meth:`to`.

    ``rate_rules`` are the request budgets the transport keeps for this account (all hold
    at once; SmartLead's own headers may tighten them at run time).
    """

    api_key: str = field(repr=False)
    base_url: str
    host: str
    rate_rules: tuple[settings.RateRule, ...]

    @classmethod
    def to(
        cls,
        api_key: str | None,
        base_url: str | None = None,
        rate_rules: tuple[settings.RateRule, ...] | None = None,
    ) -> Connection:
        """A connection for ``api_key`` at ``base_url`` (default ``SMARTLEAD_BASE_URL``).

        Raises :class:`AuthenticationError` for a missing or blank key and
        :class:`SettingsError` for an unusable address. ``rate_rules`` default to
        ``SMARTLEAD_RATE_LIMIT``.
        """
        if not isinstance(api_key, str) or not api_key.strip():
            raise AuthenticationError("No SmartLead API key was given.")
        base, host = parse_base_url(base_url)
        rules = tuple(rate_rules) if rate_rules else settings.rate_limits()
        return cls(api_key=api_key.strip(), base_url=base, host=host, rate_rules=rules)

    @property
    def fingerprint(self) -> str:
        """The account's one name: HMAC-SHA256 of the address and the key, 20 hex characters.

        Stable across processes and servers (replicas agree without sharing a secret), the
        same for the same key at the same address, and useless for recovering the key.
        """
        message = f"{self.base_url}\n{self.api_key}".encode()
        digest = hmac.new(FINGERPRINT_CONTEXT, message, hashlib.sha256).hexdigest()
        return digest[:FINGERPRINT_LENGTH]

    def url(self, path: str) -> str:
        """The address of ``path`` without any query (so without the key), for messages."""
        return f"{self.base_url}/{path.lstrip('/')}"

    def redact(self, text: str) -> str:
        """``text`` with this key (and any ``api_key=`` value) replaced by ``***``."""
        return redact(text, [self.api_key])

    def __repr__(self) -> str:
        return f"Connection(host={self.host!r}, account={self.fingerprint!r})"

    __str__ = __repr__
