"""The one exception tree of the package, and what the user can do about each failure, as data.

Every failure the package reports derives from :class:`PortfolioError`. Its ``str()`` is one
plain sentence saying **what happened**, in words that suit any front end (no "press Refresh",
no "in the sidebar"): the dashboard and the command line are different places with different
buttons. What the user can do about it is a :class:`Remedy` on the exception, and each front
end writes its own sentence for it (``ui.messages`` for the dashboard, ``smartlead.cli`` for
the terminal).

Messages never hold a URL or the key: SmartLead's key travels in the query string, so the
transport's exceptions (which quote URLs) are never chained onto ours (``__cause__`` and
``__context__`` stay empty).

::

    PortfolioError                       anything the package reports
    ├── SettingsError                    a setting (environment variable) cannot be used
    ├── SmartleadError                   talking to SmartLead failed
    │   ├── AuthenticationError          no key, or the key was rejected (401/403)
    │   ├── RateLimitError               still refused for the rate limit (429)
    │   ├── ServerError                  SmartLead's 5xx lasted through the retries
    │   ├── ConnectionFailedError        refused, DNS, TLS, reset
    │   ├── RequestTimeoutError          no answer in time
    │   ├── UnexpectedResponseError      an answer we cannot read
    │   │   └── UnknownCampaignError     SmartLead does not know that campaign (400/404/{})
    │   ├── NotAnAgencyError             GET /client/ refused: not an agency key
    │   └── AnalyticsUnavailableError    the window analytics answered 404 (account or plan)
    ├── WindowError                      a date window that cannot be asked for
    ├── DeliveryError                    a report could not be sent (webhook, email)
    └── HistoryUnavailableError          the snapshot store cannot be used
        ├── SnapshotNotFoundError
        └── SnapshotDamagedError
"""

from __future__ import annotations

from enum import StrEnum


class Remedy(StrEnum):
    """What the user can do about a failure; each front end phrases it in its own words."""

    ENTER_KEY = "enter_key"
    """Give a (valid) SmartLead API key: SmartLead → Settings → API."""
    TRY_AGAIN = "try_again"
    """Transient trouble on SmartLead's side or on the way there: ask again later."""
    WAIT = "wait"
    """Rate-limited: wait ``retry_after`` seconds (a minute when unknown), then ask again."""
    CHECK_ADDRESS = "check_address"
    """The API address (``SMARTLEAD_BASE_URL``) does not lead to SmartLead's API."""
    CHECK_NETWORK = "check_network"
    """SmartLead could not be reached from this machine."""
    RAISE_SIZE_LIMIT = "raise_size_limit"
    """The answer is larger than ``SMARTLEAD_MAX_RESPONSE_MB`` allows."""
    CHECK_CAMPAIGN = "check_campaign"
    """SmartLead does not know the campaign (deleted, or another account's)."""
    FIX_SETTING = "fix_setting"
    """A setting's value cannot be used; ``setting`` names it."""
    CHECK_HISTORY = "check_history"
    """The snapshot store (``SMARTLEAD_HISTORY_PATH``) cannot be used as it is."""
    CHECK_DATABASE = "check_database"
    """The history database server (a ``postgresql://`` ``SMARTLEAD_HISTORY_PATH``) does not
    answer, refuses the login, or lacks the database or the rights the store needs."""
    CHOOSE_WINDOW = "choose_window"
    """The date window cannot be asked for (backwards, in the future, too long): pick another."""
    NONE = "none"
    """Nothing to do but read the message (e.g. a key without agency rights)."""


class PortfolioError(Exception):
    """Something the package could not do; ``str(exc)`` says what happened, in words.

    ``remedy`` is what the user can do about it; ``setting`` names the environment variable
    concerned when there is one (for ``Remedy.FIX_SETTING``, ``CHECK_ADDRESS``, ...).
    """

    default_remedy: Remedy = Remedy.NONE

    def __init__(
        self, message: str, *, remedy: Remedy | None = None, setting: str | None = None
    ) -> None:
        super().__init__(message)
        self.remedy = remedy if remedy is not None else self.default_remedy
        self.setting = setting

    @property
    def what(self) -> str:
        """What happened, as one sentence (the same as ``str(exc)``)."""
        return str(self)


class SettingsError(PortfolioError):
    """A setting holds a value that cannot be used (e.g. a malformed ``SMARTLEAD_BASE_URL``)."""

    default_remedy = Remedy.FIX_SETTING


class SmartleadError(PortfolioError):
    """Talking to SmartLead failed.

    ``status`` is the HTTP status SmartLead answered with (None when no answer arrived) and
    ``api_message`` is SmartLead's own error text, already redacted and shortened.
    """

    default_remedy = Remedy.TRY_AGAIN

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        api_message: str | None = None,
        remedy: Remedy | None = None,
        setting: str | None = None,
    ) -> None:
        super().__init__(message, remedy=remedy, setting=setting)
        self.status = status
        self.api_message = api_message


class AuthenticationError(SmartleadError):
    """No key was given, or SmartLead rejected it (401/403 on a data endpoint)."""

    default_remedy = Remedy.ENTER_KEY


class RateLimitError(SmartleadError):
    """SmartLead still refused the request for its rate limit (429) after the retries.

    ``retry_after`` is the wait SmartLead named (``Retry-After``, ``x-ratelimit-reset`` or the
    body's ``retry_after``), in seconds, or None when it named none.
    """

    default_remedy = Remedy.WAIT

    def __init__(
        self,
        message: str,
        *,
        status: int | None = 429,
        api_message: str | None = None,
        retry_after: float | None = None,
        remedy: Remedy | None = None,
        setting: str | None = None,
    ) -> None:
        super().__init__(
            message, status=status, api_message=api_message, remedy=remedy, setting=setting
        )
        self.retry_after = retry_after


class ServerError(SmartleadError):
    """SmartLead (or the load balancer in front of it) still answered 5xx after the retries."""


class ConnectionFailedError(SmartleadError):
    """SmartLead could not be reached, or the connection broke: refused, DNS, reset, TLS."""

    default_remedy = Remedy.CHECK_NETWORK


class RequestTimeoutError(SmartleadError):
    """SmartLead did not answer in time: a connect or read timeout, or the total deadline."""


class UnexpectedResponseError(SmartleadError):
    """SmartLead answered something this package cannot read.

    An HTML page instead of JSON, invalid JSON or UTF-8, a JSON shape we do not know, a 200
    that carries an error object, a redirect, or any 4xx without a more specific meaning.
    """


class UnknownCampaignError(UnexpectedResponseError):
    """SmartLead does not know this campaign for this key (400, 404 or an empty answer)."""

    default_remedy = Remedy.CHECK_CAMPAIGN


class NotAnAgencyError(SmartleadError):
    """``GET /client/`` answered 403/404: the key has no agency (white-label) access."""

    default_remedy = Remedy.NONE


class AnalyticsUnavailableError(SmartleadError):
    """SmartLead answered 404 to a window analytics endpoint: this account or plan lacks it.

    ``endpoint`` is the path asked for (never a URL). The per-campaign endpoints may still
    answer, one request per campaign: front ends offer that path, with its cost.
    """

    default_remedy = Remedy.NONE

    def __init__(
        self,
        message: str,
        *,
        endpoint: str = "",
        status: int | None = 404,
        api_message: str | None = None,
    ) -> None:
        super().__init__(message, status=status, api_message=api_message)
        self.endpoint = endpoint


class WindowError(PortfolioError):
    """A date window that cannot be asked for: it starts after it ends, reaches into the
    future, or is longer than the longest window supported."""

    default_remedy = Remedy.CHOOSE_WINDOW


class HistoryUnavailableError(PortfolioError):
    """The snapshot store cannot be used: turned off, missing, locked, read-only or damaged.

    ``path`` is the store's location when there is one (a file path or a database address
    without its password), never an API key.
    """

    default_remedy = Remedy.CHECK_HISTORY

    def __init__(self, message: str, *, path: object = None, remedy: Remedy | None = None) -> None:
        super().__init__(message, remedy=remedy, setting="SMARTLEAD_HISTORY_PATH")
        self.path = path


class SnapshotNotFoundError(HistoryUnavailableError):
    """No snapshot has the id asked for (never saved, or pruned)."""

    default_remedy = Remedy.NONE


class SnapshotDamagedError(HistoryUnavailableError):
    """A stored snapshot cannot be read back intact; the store's other snapshots still can."""

    default_remedy = Remedy.NONE

    def __init__(
        self, message: str, *, path: object = None, snapshot_id: int | None = None
    ) -> None:
        super().__init__(message, path=path)
        self.snapshot_id = snapshot_id


class DeliveryError(PortfolioError):
    """A report could not be delivered (webhook or email); the message says where it did go.

    ``delivered`` lists where the report did arrive before the failure (e.g. the email
    recipients the server accepted), so nothing half-sent is reported as sent.
    """

    default_remedy = Remedy.NONE

    def __init__(self, message: str, *, delivered: tuple[str, ...] = (), **kwargs: object) -> None:
        super().__init__(message, **kwargs)  # type: ignore[arg-type]
        self.delivered = delivered
