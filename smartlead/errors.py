"""The one exception hierarchy every SmartLead failure is reported through.

The dashboard shows a failure to a person, so each exception's message is a plain sentence
that says what happened and what to do about it, never a traceback or a URL (SmartLead's API
key travels in the query string, so a URL is a leaked key). Callers catch ``SmartleadError``
for "anything went wrong" or one subclass to react to one cause (for example, fall back to
client ids on ``NotAnAgencyError``).

Every exception is raised with ``__cause__`` and ``__context__`` left empty: the transport
exceptions of ``requests`` carry the full URL, so they are never chained onto ours.
"""

from __future__ import annotations


class SmartleadError(Exception):
    """Something went wrong talking to SmartLead; ``str(exc)`` is a sentence for the user.

    ``status`` is the HTTP status SmartLead answered with (None when no answer arrived) and
    ``api_message`` is SmartLead's own error text, already redacted and shortened.
    """

    def __init__(
        self, message: str, *, status: int | None = None, api_message: str | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.api_message = api_message

    @property
    def user_message(self) -> str:
        """The sentence to show the user (the same as ``str(exc)``)."""
        return str(self)


class AuthenticationError(SmartleadError):
    """No key was given, or SmartLead rejected it (401/403 on a data endpoint)."""


class RateLimitError(SmartleadError):
    """SmartLead still answered 429 after the retries; ``retry_after`` is its wait, in seconds.

    ``retry_after`` comes from the ``Retry-After`` header or the body's
    ``error.retry_after``, and is None when SmartLead named no wait.
    """

    def __init__(
        self,
        message: str,
        *,
        status: int | None = 429,
        api_message: str | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message, status=status, api_message=api_message)
        self.retry_after = retry_after


class ServerError(SmartleadError):
    """SmartLead (or the load balancer in front of it) still answered 5xx after the retries."""


class ConnectionFailedError(SmartleadError):
    """SmartLead could not be reached, or the connection broke: refused, DNS, reset, TLS."""


class RequestTimeoutError(SmartleadError):
    """SmartLead did not answer in time: a connect or read timeout, or the total deadline."""


class UnexpectedResponseError(SmartleadError):
    """SmartLead answered something this package cannot read.

    An HTML page instead of JSON, invalid JSON or UTF-8, a JSON shape we do not know, a 200
    that carries an error object, a redirect, or any 4xx without a more specific meaning.
    """


class NotAnAgencyError(SmartleadError):
    """``GET /client/`` answered 403/404: the key has no agency (white-label) access."""
