"""Delivering the report to real servers on loopback: an incoming-webhook receiver (JSON,
500 then 200 retried, 400 refused, nobody listening) and an SMTP server (aiosmtpd) that
receives the multipart email in plain, STARTTLS and implicit-TLS modes."""

from __future__ import annotations

import email
import email.policy
import io
import json
import socket
import ssl
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from smartlead import cli, history
from tests.report_checks import external_references
from tests.standin import TEST_KEY, StandinSmartlead
from tests.webhook_receiver import WebhookReceiver

PASSWORD = "smtp-pass-canary-7Q2"


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    code = cli.main(list(argv), stdout=out)
    return code, out.getvalue()


def remembered_reports() -> int:
    store = history.open_store()
    try:
        return 0 if store.last_report(history.DEMO_ACCOUNT, None) is None else 1
    finally:
        history.close_store(store)


@pytest.fixture
def live(standin: StandinSmartlead, monkeypatch: pytest.MonkeyPatch) -> StandinSmartlead:
    monkeypatch.setenv("SMARTLEAD_BASE_URL", standin.base_url)
    monkeypatch.setenv("SMARTLEAD_API_KEY", TEST_KEY)
    return standin


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# --------------------------------------------------------------------------- webhook


def test_the_webhook_gets_a_short_summary_with_the_counts_and_a_link_back(
    live, monkeypatch, capsys
):
    monkeypatch.setenv("SMARTLEAD_DASHBOARD_URL", "https://dash.example/")
    with WebhookReceiver() as hook:
        code, out = run("report", "--webhook", hook.url, "--no-performance")
    assert code == cli.EXIT_OK
    assert out == "", "delivering only: nothing on standard output"
    assert len(hook.received) == 1
    assert hook.content_types == ["application/json"]
    message = hook.received[0]
    assert message["text"].startswith("*SmartLead portfolio report*")
    assert "5 campaigns" in message["text"]
    assert "findings" in message["text"]
    assert "<https://dash.example/|Open the dashboard>" in message["text"]
    assert TEST_KEY.encode() not in hook.raw[0]
    err = capsys.readouterr().err
    assert "Sent the report to the webhook at 127.0.0.1." in err
    assert "secret-token" not in err, "the webhook URL is a secret: only its host is named"


def test_a_5xx_is_retried_until_the_webhook_takes_the_report(capsys):
    with WebhookReceiver(500, 503, 200) as hook:
        code, _ = run("report", "--demo", "--demo-size", "30", "--webhook", hook.url)
    assert code == cli.EXIT_OK
    assert len(hook.received) == 3
    assert hook.received[0] == hook.received[2], "the same message each time"
    assert remembered_reports() == 1


def test_a_4xx_is_refused_at_once_with_a_clear_error_and_nothing_remembered(capsys):
    with WebhookReceiver(400) as hook:
        code, _ = run("report", "--demo", "--demo-size", "30", "--webhook", hook.url)
    assert code == cli.EXIT_DELIVERY
    assert len(hook.received) == 1, "a refused message is not retried"
    err = capsys.readouterr().err
    assert "refused the report with HTTP 400 (invalid_payload)" in err
    assert "not remembered" in err
    assert remembered_reports() == 0


def test_a_webhook_nobody_answers_is_an_error_after_the_retries(capsys):
    url = f"http://127.0.0.1:{free_port()}/hook"
    code, _ = run("report", "--demo", "--demo-size", "30", "--webhook", url)
    assert code == cli.EXIT_DELIVERY
    err = capsys.readouterr().err
    assert "could not be reached after 4 attempts; the report was not posted" in err
    assert "Sent the report" not in err


# --------------------------------------------------------------------------- email


class Inbox:
    """What the SMTP server received: envelopes, and the logins it saw."""

    def __init__(self) -> None:
        self.envelopes: list[Any] = []
        self.logins: list[tuple[str, str]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.envelopes.append(envelope)
        return "250 OK"

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        if address.startswith("nobody@"):
            return "550 no such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    def authenticate(self, server: Any, session: Any, envelope: Any, mechanism: str, auth_data):
        if isinstance(auth_data, LoginPassword):
            login = auth_data.login.decode(), auth_data.password.decode()
            self.logins.append(login)
            if login == ("reports", PASSWORD):
                return AuthResult(success=True)
        # handled=False: aiosmtpd answers 535 (a refusal it handled itself would hang).
        return AuthResult(success=False, handled=False)


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1, made by openssl for these tests."""
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
         "-keyout", str(key), "-out", str(cert), "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1"],
        check=True, capture_output=True,
    )  # fmt: skip
    return cert, key


def smtp_server(inbox: Inbox, mode: str, certificate: tuple[Path, Path]) -> Controller:
    options: dict[str, Any] = {"authenticator": inbox.authenticate}
    if mode != "none":
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(*certificate)
    if mode == "starttls":
        options.update(tls_context=context, require_starttls=True, auth_require_tls=True)
    elif mode == "tls":
        options.update(ssl_context=context, auth_require_tls=False)
    else:
        options.update(auth_require_tls=False)
    return Controller(inbox, hostname="127.0.0.1", port=free_port(), **options)


@pytest.fixture
def inbox_for(monkeypatch: pytest.MonkeyPatch, certificate: tuple[Path, Path]) -> Iterator[Any]:
    started: list[Controller] = []

    def start(mode: str) -> Inbox:
        inbox = Inbox()
        server = smtp_server(inbox, mode, certificate)
        server.start()
        started.append(server)
        monkeypatch.setenv("SMARTLEAD_SMTP_HOST", "127.0.0.1")
        monkeypatch.setenv("SMARTLEAD_SMTP_PORT", str(server.port))
        monkeypatch.setenv("SMARTLEAD_SMTP_TLS", mode)
        monkeypatch.setenv("SMARTLEAD_SMTP_USER", "reports")
        monkeypatch.setenv("SMARTLEAD_SMTP_PASSWORD", PASSWORD)
        monkeypatch.setenv("SMARTLEAD_SMTP_FROM", "reports@agency.example")
        monkeypatch.setenv("SSL_CERT_FILE", str(certificate[0]))  # trust the test's certificate
        return inbox

    yield start
    for server in started:
        server.stop()


@pytest.mark.parametrize("mode", ["starttls", "tls", "none"])
def test_the_email_is_multipart_with_a_self_contained_html_part(inbox_for, mode, capsys):
    inbox = inbox_for(mode)
    code, _ = run(
        "report", "--demo", "--demo-size", "40",
        "--email", "ops@agency.example", "--email", "lead@agency.example",
    )  # fmt: skip
    assert code == cli.EXIT_OK, capsys.readouterr().err
    assert inbox.logins == [("reports", PASSWORD)]
    (envelope,) = inbox.envelopes
    assert envelope.mail_from == "reports@agency.example"
    assert envelope.rcpt_tos == ["ops@agency.example", "lead@agency.example"]
    message = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
    assert message.get_content_type() == "multipart/alternative"
    assert message["Subject"].startswith("SmartLead portfolio report: 40 campaigns")
    plain = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    assert "Portfolio now" in plain
    assert "40 campaigns" in plain
    assert html.startswith("<!DOCTYPE html>")
    assert "<svg" in html
    assert external_references(html) == []
    err = capsys.readouterr().err
    assert "Sent the report to ops@agency.example, lead@agency.example by email." in err
    assert PASSWORD not in err


def test_a_refused_recipient_is_said_and_the_others_named(inbox_for, capsys):
    inbox = inbox_for("none")
    code, _ = run(
        "report", "--demo", "--demo-size", "20",
        "--email", "ops@agency.example", "--email", "nobody@agency.example",
    )  # fmt: skip
    assert code == cli.EXIT_DELIVERY
    assert inbox.envelopes[0].rcpt_tos == ["ops@agency.example"]
    err = capsys.readouterr().err
    assert "refused nobody@agency.example; the report was sent to ops@agency.example only" in err
    assert remembered_reports() == 0


def test_a_wrong_password_or_no_server_sends_nothing_and_never_shows_the_password(
    inbox_for, monkeypatch, capsys
):
    inbox = inbox_for("none")
    monkeypatch.setenv("SMARTLEAD_SMTP_PASSWORD", PASSWORD + "-wrong")
    code, _ = run("report", "--demo", "--demo-size", "20", "--email", "ops@agency.example")
    assert code == cli.EXIT_DELIVERY
    assert inbox.envelopes == []
    err = capsys.readouterr().err
    assert "refused the login of user reports; nothing was sent" in err
    assert PASSWORD not in err
    monkeypatch.setenv("SMARTLEAD_SMTP_PORT", str(free_port()))
    code, _ = run("report", "--demo", "--demo-size", "20", "--email", "ops@agency.example")
    assert code == cli.EXIT_DELIVERY
    err = capsys.readouterr().err
    assert "could not be reached; nothing was sent" in err
    assert "Sent the report" not in err
    assert remembered_reports() == 0


def test_missing_smtp_settings_are_named(monkeypatch, capsys):
    monkeypatch.delenv("SMARTLEAD_SMTP_HOST", raising=False)
    code, _ = run("report", "--demo", "--demo-size", "20", "--email", "ops@agency.example")
    assert code == cli.EXIT_DELIVERY
    assert "SMARTLEAD_SMTP_HOST is not set" in capsys.readouterr().err


def test_the_chat_message_is_what_the_json_facts_say(capsys):
    code, out = run("report", "--demo", "--demo-size", "30", "--format", "json", "--no-remember")
    facts = json.loads(out)
    with WebhookReceiver() as hook:
        run("report", "--demo", "--demo-size", "30", "--webhook", hook.url, "--no-remember")
    assert code == cli.EXIT_OK
    assert " · ".join(facts["headline"]) in hook.received[0]["text"]


def test_webhook_without_a_url_posts_to_the_one_in_the_environment(monkeypatch, capsys):
    with WebhookReceiver() as hook:
        monkeypatch.setenv("SMARTLEAD_REPORT_WEBHOOK", hook.url)
        code, _ = run("report", "--demo", "--demo-size", "20", "--webhook", "--no-remember")
    assert code == cli.EXIT_OK
    assert len(hook.received) == 1
    monkeypatch.delenv("SMARTLEAD_REPORT_WEBHOOK")
    code, _ = run("report", "--demo", "--demo-size", "20", "--webhook")
    assert code == cli.EXIT_DELIVERY
    assert "SMARTLEAD_REPORT_WEBHOOK is not set" in capsys.readouterr().err
