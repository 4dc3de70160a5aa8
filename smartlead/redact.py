"""Keep SmartLead's API key out of text and logs.

SmartLead authenticates with an ``api_key`` query parameter, so every URL the client builds
holds the key, and so does every log line or exception message that quotes such a URL:
urllib3 logs each request line at DEBUG and each retry at DEBUG or WARNING, URL included.
``redact`` scrubs a piece of text; ``RedactingFilter`` and ``install_log_redaction`` scrub
log records before any handler formats them.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterable
from urllib.parse import quote

MASK = "***"
"""What a redacted value is replaced with."""

MIN_SECRET_LENGTH = 4
"""Shorter secrets are not replaced literally (they would mangle ordinary words)."""

REDACTED_LOGGERS: tuple[str, ...] = (
    "urllib3",
    "urllib3.connectionpool",
    "urllib3.util.retry",
    "urllib3.poolmanager",
    "urllib3.connection",
    "requests",
    "smartlead",
    "smartlead.client",
)
"""The loggers that may emit a URL: the transport's and this package's own."""

_install_lock = threading.Lock()

# The value of an ``api_key`` parameter runs up to ``&``, whitespace, a quote, ``#``, ``)``
# or ``>``. In a percent-encoded URL (``api_key%3D``, a URL quoted inside another) it also
# ends at an encoded ``&`` (``%26``).
_API_KEY_PARAM = re.compile(
    r"(api_key=)[^&\s'\"#)>]*|(api_key%3D)(?:(?!%26)[^&\s'\"#)>])*", re.IGNORECASE
)


MIN_FRAGMENT_LENGTH = 8
"""A run of this many characters of a secret, found anywhere, is redacted too (a server that
echoes part of the key, or a message cut in the middle of it, must not show that part)."""


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    """``text`` with every ``api_key=`` value and every secret, or part of one, masked.

    Each secret is replaced whole, also in its percent-encoded forms (as it appears inside a
    URL); then any run of :data:`MIN_FRAGMENT_LENGTH` or more characters that also appears in
    a secret is masked, so a key cut short, wrapped over two lines or partly echoed does not
    survive in pieces. Secrets shorter than four characters are ignored.
    """
    if not isinstance(text, str):
        text = str(text)
    text = _API_KEY_PARAM.sub(lambda match: (match.group(1) or match.group(2)) + MASK, text)
    variants: set[str] = set()
    for secret in secrets:
        if not secret or len(secret) < MIN_SECRET_LENGTH:
            continue
        variants.add(secret)
        variants.add(quote(secret, safe=""))
        variants.add(quote(secret, safe="").replace("%20", "+"))
    # Longest first, so a secret that contains another is replaced whole.
    for variant in sorted(variants, key=len, reverse=True):
        text = text.replace(variant, MASK)
    for variant in variants:
        if len(variant) > MIN_FRAGMENT_LENGTH:
            text = _mask_fragments(text, variant)
    return text


def _mask_fragments(text: str, secret: str) -> str:
    """``text`` with every run of at least MIN_FRAGMENT_LENGTH characters of ``secret`` masked."""
    size = MIN_FRAGMENT_LENGTH
    grams = {secret[i : i + size] for i in range(len(secret) - size + 1)}
    if not any(text[i : i + size] in grams for i in range(len(text) - size + 1)):
        return text
    pieces: list[str] = []
    start = 0
    position = 0
    while position <= len(text) - size:
        if text[position : position + size] not in grams:
            position += 1
            continue
        end = position + size
        while end < len(text) and text[position : end + 1] in secret:
            end += 1
        pieces.append(text[start:position])
        pieces.append(MASK)
        start = position = end
    pieces.append(text[start:])
    return "".join(pieces)


class RedactingFilter(logging.Filter):
    """A logging filter that redacts a record in place and always lets it through.

    It formats the message (``record.getMessage()``), redacts it, and stores the result in
    ``record.msg`` with ``record.args = ()``, so every handler later sees only the redacted
    text. A traceback attached to the record is formatted and redacted too.
    """

    def __init__(self, secrets: Iterable[str] = (), name: str = "") -> None:
        super().__init__(name)
        self._secrets = tuple(secrets)

    def filter(self, record: logging.LogRecord) -> bool:
        """Redact ``record`` in place; return True (the record is never dropped)."""
        try:
            message = record.getMessage()
        except Exception:  # a malformed record still gets logged, redacted
            message = f"{record.msg} {record.args}"
        record.msg = redact(message, self._secrets)
        record.args = ()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text, self._secrets)
        if record.stack_info:
            record.stack_info = redact(record.stack_info, self._secrets)
        return True


def install_log_redaction() -> None:
    """Attach one ``RedactingFilter`` to each logger that may log a URL; safe to call again.

    A filter attached to a logger only sees records created by that very logger: a record
    from ``urllib3.connectionpool`` propagates to the ``urllib3`` logger's *handlers* but
    never through its *filters*. That is why every logger that emits URLs gets its own
    filter here, rather than one filter on ``urllib3`` or on the root logger. (A filter on
    a handler would see everything, but only on handlers we do not own.)
    """
    with _install_lock:
        for name in REDACTED_LOGGERS:
            logger = logging.getLogger(name)
            if not any(isinstance(existing, RedactingFilter) for existing in logger.filters):
                logger.addFilter(RedactingFilter())
