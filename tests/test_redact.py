"""redact(), RedactingFilter and install_log_redaction: the key stays out of text and logs."""

from __future__ import annotations

import io
import logging

import pytest

from smartlead.redact import (
    REDACTED_LOGGERS,
    RedactingFilter,
    install_log_redaction,
    redact,
)
from tests.standin import CANARY_KEY

URL = f"https://server.smartlead.ai/api/v1/campaigns/?include_tags=true&api_key={CANARY_KEY}"


def test_redacts_the_api_key_parameter() -> None:
    assert redact(URL) == (
        "https://server.smartlead.ai/api/v1/campaigns/?include_tags=true&api_key=***"
    )


def test_keeps_the_parameters_after_the_key() -> None:
    text = f"/campaigns/?api_key={CANARY_KEY}&client_id=12"
    assert redact(text) == "/campaigns/?api_key=***&client_id=12"


@pytest.mark.parametrize("end", [" ", "\t", "\n", "'", '"', "#", ")", ">", "&"])
def test_the_value_ends_at(end: str) -> None:
    assert redact(f"api_key=secret-value{end}rest") == f"api_key=***{end}rest"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("API_KEY=abc123", "API_KEY=***"),
        ("url=%2F%3Fapi_key%3Dabc123%26x", "url=%2F%3Fapi_key%3D***%26x"),
        ("api_key=", "api_key=***"),
        ("a=1&api_key=k1 and again api_key=k2", "a=1&api_key=*** and again api_key=***"),
        ("(see <https://x/?api_key=zz>)", "(see <https://x/?api_key=***>)"),
        ("nothing to hide here", "nothing to hide here"),
        ("", ""),
    ],
)
def test_redact_parameter_cases(text: str, expected: str) -> None:
    assert redact(text) == expected


def test_redacts_literal_secrets() -> None:
    text = f"key {CANARY_KEY} said twice: {CANARY_KEY}."
    assert redact(text, [CANARY_KEY]) == "key *** said twice: ***."


def test_redacts_the_percent_encoded_secret() -> None:
    secret = "sk/with+odd chars"
    assert redact("token=sk%2Fwith%2Bodd%20chars!", [secret]) == "token=***!"
    assert redact("token=sk%2Fwith%2Bodd+chars!", [secret]) == "token=***!"


def test_short_and_empty_secrets_are_ignored() -> None:
    assert redact("abc a the", ["", "a", "abc"]) == "abc a the"
    assert redact("abcd", ["abcd"]) == "***"


def test_longer_secrets_win() -> None:
    assert redact("xx-secret-long yy", ["secret", "xx-secret-long"]) == "*** yy"


def test_non_string_input_is_stringified() -> None:
    assert redact(ValueError(URL)) == URL.replace(CANARY_KEY, "***")  # type: ignore[arg-type]


def _record(msg: str, *args: object, exc_info: object = None) -> logging.LogRecord:
    return logging.LogRecord(
        "urllib3.connectionpool",
        logging.DEBUG,
        __file__,
        1,
        msg,
        args,
        exc_info,  # type: ignore[arg-type]
    )


def test_filter_formats_and_redacts_args() -> None:
    record = _record('%s://%s:%s "%s %s %s" %s %s', "https", "h", 443, "GET", URL, "1.1", 200, 9)
    assert RedactingFilter().filter(record) is True
    assert record.args == ()
    assert CANARY_KEY not in record.msg
    assert "api_key=***" in record.msg
    assert record.getMessage() == record.msg


def test_filter_keeps_percent_signs_literal() -> None:
    record = _record("%s done", f"100% of {URL}")
    RedactingFilter().filter(record)
    assert record.getMessage() == "100% of " + URL.replace(CANARY_KEY, "***") + " done"


def test_filter_redacts_literal_secrets() -> None:
    record = _record("the key is %s", CANARY_KEY)
    RedactingFilter([CANARY_KEY]).filter(record)
    assert record.getMessage() == "the key is ***"


def test_filter_redacts_tracebacks() -> None:
    try:
        raise RuntimeError(f"failed for {URL}")
    except RuntimeError:
        import sys

        record = _record("boom", exc_info=sys.exc_info())
    RedactingFilter().filter(record)
    assert record.exc_text is not None
    assert "RuntimeError" in record.exc_text
    assert CANARY_KEY not in record.exc_text
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.handle(record)
    assert CANARY_KEY not in stream.getvalue()
    assert "api_key=***" in stream.getvalue()


def test_filter_survives_a_malformed_record() -> None:
    record = _record("%s and %s", URL)  # one argument short
    assert RedactingFilter().filter(record) is True
    assert CANARY_KEY not in record.getMessage()


def test_install_is_idempotent() -> None:
    install_log_redaction()
    install_log_redaction()
    for name in REDACTED_LOGGERS:
        filters = logging.getLogger(name).filters
        assert sum(isinstance(f, RedactingFilter) for f in filters) == 1, name


@pytest.mark.parametrize(
    "name", ["urllib3.connectionpool", "urllib3.util.retry", "requests", "smartlead"]
)
def test_installed_loggers_redact_what_they_emit(
    name: str, caplog: pytest.LogCaptureFixture
) -> None:
    install_log_redaction()
    caplog.set_level(logging.DEBUG)
    logging.getLogger(name).warning("Retrying after connection broken: %s", URL)
    assert CANARY_KEY not in caplog.text
    assert "api_key=***" in caplog.text
