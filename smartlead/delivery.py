"""Delivering a report: a Slack-compatible incoming webhook, and a multipart email by SMTP.

Both say exactly what was delivered where, and raise :class:`~smartlead.errors.DeliveryError`
otherwise (with ``delivered`` naming what did arrive before the failure), so a caller never
reports a half-sent report as sent.

- The webhook is POSTed as JSON through ``requests`` with urllib3's ``Retry``: connection
  errors and 5xx answers are retried with exponential backoff; a 4xx is refused at once
  (retrying a rejected message cannot help). A webhook URL is a secret (whoever has it can
  post to the channel), so messages name only its host.
- The email is ``multipart/alternative`` (plain text first, the self-contained HTML second)
  through the SMTP settings of :func:`smartlead.settings.smtp_settings`, over STARTTLS,
  implicit TLS or plain; the password is never logged or put in a message.
"""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from urllib.parse import urlsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from smartlead.errors import DeliveryError, Remedy
from smartlead.settings import SmtpSettings

WEBHOOK_RETRIES = 3
"""Retries after the first attempt on a connection error or a 5xx answer."""

WEBHOOK_BACKOFF = 0.5
"""urllib3's backoff factor: waits of 0.5 s, 1 s, 2 s between the attempts."""

WEBHOOK_TIMEOUT = 15.0
"""Seconds to wait for the webhook to connect and answer, per attempt."""

SMTP_TIMEOUT = 30.0
"""Seconds to wait for the SMTP server, per step."""


@dataclass(frozen=True)
class Delivered:
    """Where a report arrived, in words for the terminal."""

    where: str


def webhook_host(url: str) -> str:
    """The webhook's host (what messages name: the URL itself is a secret)."""
    return urlsplit(url).hostname or "the webhook"


def _webhook_session(retries: int, backoff: float) -> requests.Session:
    retry = Retry(
        total=retries,
        connect=retries,
        read=retries,
        status=retries,
        backoff_factor=backoff,
        status_forcelist=(500, 502, 503, 504),
        allowed_methods=frozenset({"POST"}),
        raise_on_status=False,
        respect_retry_after_header=True,
    )
    session = requests.Session()
    adapter = HTTPAdapter(max_retries=retry)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session


def post_webhook(
    url: str,
    payload: dict[str, object],
    *,
    retries: int = WEBHOOK_RETRIES,
    backoff: float = WEBHOOK_BACKOFF,
    timeout: float = WEBHOOK_TIMEOUT,
) -> Delivered:
    """POST ``payload`` as JSON to the incoming webhook ``url``; DeliveryError when it is not
    accepted (a 4xx at once, a 5xx or no connection after the retries)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise DeliveryError("The webhook address is not an http(s) URL.", remedy=Remedy.FIX_SETTING)
    host = webhook_host(url)
    session = _webhook_session(retries, backoff)
    try:
        answer = session.post(url, json=payload, timeout=timeout, allow_redirects=False)
    except requests.RequestException:
        # The exception text quotes the URL (a secret): it is not chained on.
        raise DeliveryError(
            f"The webhook at {host} could not be reached after {retries + 1} attempts; the "
            "report was not posted.",
            remedy=Remedy.CHECK_NETWORK,
        ) from None
    finally:
        session.close()
    if 200 <= answer.status_code < 300:
        return Delivered(f"the webhook at {host}")
    body = " ".join(answer.text.split())[:120] if answer.text else ""
    detail = f" ({body})" if body and body.isprintable() else ""
    if 400 <= answer.status_code < 500:
        raise DeliveryError(
            f"The webhook at {host} refused the report with HTTP {answer.status_code}{detail}: "
            "check the webhook URL (it may have been revoked).",
            remedy=Remedy.NONE,
        )
    raise DeliveryError(
        f"The webhook at {host} answered HTTP {answer.status_code}{detail} through "
        f"{retries + 1} attempts; the report was not posted.",
        remedy=Remedy.TRY_AGAIN,
    )


def report_email(
    *, subject: str, text: str, html: str, sender: str, recipients: Sequence[str]
) -> EmailMessage:
    """The report as a ``multipart/alternative`` message: the plain text, then the HTML."""
    message = EmailMessage()
    message["Subject"] = " ".join(subject.split())[:200]
    message["From"] = sender
    message["To"] = ", ".join(recipients)
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    return message


def send_email(
    message: EmailMessage,
    recipients: Sequence[str],
    smtp: SmtpSettings,
    *,
    context: ssl.SSLContext | None = None,
    timeout: float = SMTP_TIMEOUT,
) -> Delivered:
    """Send ``message`` to ``recipients`` through ``smtp``; DeliveryError naming the
    recipients that did receive it when some were refused (``delivered``)."""
    server = f"{smtp.host}:{smtp.port}"
    tls_context = context if context is not None else ssl.create_default_context()
    try:
        if smtp.tls == "tls":
            client: smtplib.SMTP = smtplib.SMTP_SSL(
                smtp.host, smtp.port, timeout=timeout, context=tls_context
            )
        else:
            client = smtplib.SMTP(smtp.host, smtp.port, timeout=timeout)
        with client:
            if smtp.tls == "starttls":
                client.starttls(context=tls_context)
            if smtp.user and smtp.password:
                client.login(smtp.user, smtp.password)
            refused = client.send_message(message, from_addr=smtp.sender, to_addrs=recipients)
    except smtplib.SMTPAuthenticationError:
        raise DeliveryError(
            f"The SMTP server {server} refused the login of user {smtp.user}; nothing was sent.",
            remedy=Remedy.FIX_SETTING,
        ) from None
    except smtplib.SMTPRecipientsRefused:
        raise DeliveryError(
            f"The SMTP server {server} refused every recipient; nothing was sent."
        ) from None
    except smtplib.SMTPNotSupportedError:
        raise DeliveryError(
            f"The SMTP server {server} does not offer STARTTLS; nothing was sent "
            "(set SMARTLEAD_SMTP_TLS to tls or none if that is intended).",
            remedy=Remedy.FIX_SETTING,
        ) from None
    except (smtplib.SMTPException, ssl.SSLError) as error:
        reason = type(error).__name__
        raise DeliveryError(
            f"Sending through the SMTP server {server} failed ({reason}); nothing was sent.",
            remedy=Remedy.TRY_AGAIN,
        ) from None
    except OSError:  # refused, unreachable, timed out
        raise DeliveryError(
            f"The SMTP server {server} could not be reached; nothing was sent.",
            remedy=Remedy.CHECK_NETWORK,
        ) from None
    accepted = tuple(r for r in recipients if r not in refused)
    if refused:
        raise DeliveryError(
            f"The SMTP server {server} refused {', '.join(sorted(refused))}; the report was "
            f"sent to {', '.join(accepted)} only.",
            delivered=accepted,
        )
    return Delivered(f"{', '.join(accepted)} by email")
