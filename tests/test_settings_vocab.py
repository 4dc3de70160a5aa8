"""Environment settings with their fallbacks, and SmartLead's status vocabulary."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from smartlead import settings, vocab


def set_or_unset(monkeypatch: pytest.MonkeyPatch, name: str, raw: str | None) -> None:
    """The environment variable ``name`` set to ``raw``, or absent for None."""
    if raw is None:
        monkeypatch.delenv(name, raising=False)
    else:
        monkeypatch.setenv(name, raw)


# --------------------------------------------------------------------------- base_url


def test_base_url_defaults_to_smartlead(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SMARTLEAD_BASE_URL", raising=False)
    assert settings.base_url() == "https://server.smartlead.ai/api/v1"
    assert settings.base_url() == settings.DEFAULT_BASE_URL


@pytest.mark.parametrize("blank", ["", "   ", "\t\n"])
def test_blank_base_url_falls_back(monkeypatch: pytest.MonkeyPatch, blank: str) -> None:
    monkeypatch.setenv("SMARTLEAD_BASE_URL", blank)
    assert settings.base_url() == settings.DEFAULT_BASE_URL


def test_base_url_from_the_environment_without_trailing_slash(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SMARTLEAD_BASE_URL", "  http://127.0.0.1:8765/api/v1/  ")
    assert settings.base_url() == "http://127.0.0.1:8765/api/v1"


def test_explicit_base_url_wins(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SMARTLEAD_BASE_URL", "http://from-env.example/api/v1")
    assert settings.base_url("http://explicit.example/api/v1//") == "http://explicit.example/api/v1"
    assert settings.base_url("") == "http://from-env.example/api/v1"
    assert settings.base_url(None) == "http://from-env.example/api/v1"


def test_settings_are_read_when_asked_not_at_import(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SMARTLEAD_BASE_URL", "http://one.example")
    assert settings.base_url() == "http://one.example"
    monkeypatch.setenv("SMARTLEAD_BASE_URL", "http://two.example")
    assert settings.base_url() == "http://two.example"


# --------------------------------------------------------------------------- api key


def test_api_key_from_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SMARTLEAD_API_KEY", "  sk-123  ")
    assert settings.api_key_from_env() == "sk-123"


@pytest.mark.parametrize("blank", [None, "", "   ", "\n"])
def test_blank_or_missing_api_key_is_none(monkeypatch: pytest.MonkeyPatch, blank: str | None):
    if blank is None:
        monkeypatch.delenv("SMARTLEAD_API_KEY", raising=False)
    else:
        monkeypatch.setenv("SMARTLEAD_API_KEY", blank)
    assert settings.api_key_from_env() is None


# --------------------------------------------------------------------------- cache TTL


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (None, 300),
        ("", 300),
        ("   ", 300),
        ("soon", 300),
        ("5 minutes", 300),
        ("nan", 300),
        ("0", 300),
        ("-60", 300),
        ("-0.5", 300),
        ("60", 60),
        (" 120 ", 120),
        ("90.9", 90),
        ("1e3", 1000),
    ],
)
def test_cache_ttl_seconds(monkeypatch: pytest.MonkeyPatch, raw: str | None, expected: int):
    set_or_unset(monkeypatch, "SMARTLEAD_CACHE_TTL", raw)
    assert settings.cache_ttl_seconds() == expected


@pytest.mark.parametrize("raw", ["inf", "1e400"])
def test_cache_ttl_seconds_infinite_falls_back(monkeypatch: pytest.MonkeyPatch, raw: str) -> None:
    monkeypatch.setenv("SMARTLEAD_CACHE_TTL", raw)
    assert settings.cache_ttl_seconds() == settings.DEFAULT_CACHE_TTL_SECONDS


# --------------------------------------------------------------------------- demo size


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (None, 300),
        ("", 300),
        ("  ", 300),
        ("lots", 300),
        ("12.5", 300),
        ("0", 300),
        ("-5", 300),
        ("100001", 300),
        ("1", 1),
        (" 50 ", 50),
        ("100000", 100_000),
    ],
)
def test_demo_size(monkeypatch: pytest.MonkeyPatch, raw: str | None, expected: int) -> None:
    set_or_unset(monkeypatch, "SMARTLEAD_DEMO_SIZE", raw)
    assert settings.demo_size() == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [(None, 60_000), ("", 60_000), ("5000", 5000), ("0", 0), ("-3", 60_000), ("many", 60_000)],
)
def test_trend_budget(monkeypatch: pytest.MonkeyPatch, raw: str | None, expected: int) -> None:
    set_or_unset(monkeypatch, "SMARTLEAD_TREND_BUDGET", raw)
    assert settings.trend_budget() == expected


# --------------------------------------------------------------------------- vocabulary


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("ACTIVE", "ACTIVE"),
        ("active", "ACTIVE"),
        ("  Paused ", "PAUSED"),
        ("DRAFT", "DRAFTED"),
        ("draft", "DRAFTED"),
        ("DRAFTED", "DRAFTED"),
        ("warming_up", "WARMING_UP"),
        (None, "UNKNOWN"),
        ("", "UNKNOWN"),
        ("   ", "UNKNOWN"),
        (3, "3"),
    ],
)
def test_canonical_status(raw: object, expected: str) -> None:
    assert vocab.canonical_status(raw) == expected


def test_status_order_known_first_then_unknown_alphabetically() -> None:
    assert vocab.status_order() == list(vocab.STATUSES)
    assert vocab.status_order(["ZEBRA", "ACTIVE", "AARDVARK", "ZEBRA", "PAUSED"]) == [
        *vocab.STATUSES,
        "AARDVARK",
        "ZEBRA",
    ]
    assert vocab.status_order(("UNKNOWN",)) == [*vocab.STATUSES, "UNKNOWN"]


def test_status_order_is_the_documented_one() -> None:
    assert vocab.STATUSES == ("ACTIVE", "PAUSED", "STOPPED", "DRAFTED", "COMPLETED", "ARCHIVED")


def test_status_colors() -> None:
    for status in vocab.STATUSES:
        assert vocab.status_color(status) == vocab.STATUS_COLORS[status]
    assert len(set(vocab.STATUS_COLORS.values())) == len(vocab.STATUSES)
    for unknown in ("WARMING_UP", "UNKNOWN", "active", ""):
        assert vocab.status_color(unknown) == vocab.OTHER_STATUS_COLOR
    assert vocab.OTHER_STATUS_COLOR not in vocab.STATUS_COLORS.values()


def test_tracking_vocabularies_hold_both_spellings() -> None:
    assert {"DONT_EMAIL_OPEN", "DONT_TRACK_EMAIL_OPEN"} <= vocab.DONT_TRACK_OPENS
    assert {"DONT_LINK_CLICK", "DONT_TRACK_LINK_CLICK"} <= vocab.DONT_TRACK_CLICKS
    assert "DONT_TRACK_REPLY_TO_AN_EMAIL" in vocab.DONT_TRACK_REPLIES
    assert "REPLY_TO_AN_EMAIL" in vocab.STOP_ON_REPLY


# --------------------------------------------------------------------------- one vocabulary

VOCABULARY_USERS = (
    "frame",
    "schedule",
    "audit",
    "filters",
    "charts",
    "views",
    "demo",
    "mailboxes",
    "ledger",
    "mailbox_health",
)
"""The modules that read statuses, placeholders and weekdays from :mod:`smartlead.vocab`."""


@pytest.mark.parametrize("module", VOCABULARY_USERS)
def test_statuses_placeholders_and_weekdays_are_not_restated(module: str) -> None:
    """No string literal in these modules spells a status, a placeholder group or a weekday:
    each is named through vocab, so changing one changes it everywhere."""
    facts = {*vocab.STATUSES, *vocab.PLACEHOLDERS, *vocab.WEEKDAYS, vocab.UNKNOWN_STATUS}
    source = (Path(vocab.__file__).parent / f"{module}.py").read_text(encoding="utf-8")
    restated = [
        (node.lineno, node.value)
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Constant) and node.value in facts
    ]
    assert restated == []


def test_the_placeholders_and_severities_live_only_in_the_vocabulary() -> None:
    """No module keeps a second name for them (one place for each fact)."""
    from smartlead import audit, filters, frame

    assert not hasattr(frame, "NO_CLIENT")
    assert not hasattr(filters, "UNTAGGED")
    assert not hasattr(audit, "SEVERITIES")


@pytest.mark.parametrize("day", range(7))
def test_smartlead_days_convert_both_ways(day: int) -> None:
    assert vocab.to_smartlead_day(vocab.from_smartlead_day(day)) == day
    assert vocab.WEEKDAYS[vocab.from_smartlead_day(0)] == "Sun"
    assert vocab.WEEKDAYS[vocab.from_smartlead_day(1)] == "Mon"
