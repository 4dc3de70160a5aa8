"""SmartleadClient against the stand-in server: shapes, retries, errors, and no key leaks.

Everything runs through real sockets (``tests.standin``), so ``requests``, ``urllib3``'s
retries and the timeouts are exercised as they run in production.
"""

from __future__ import annotations

import logging
import pickle
import re
import socket
import time
import traceback
from collections.abc import Callable
from typing import Any

import pytest

from smartlead.client import SmartleadClient, campaigns_in_answer
from smartlead.connection import Connection
from smartlead.errors import (
    AuthenticationError,
    ConnectionFailedError,
    NotAnAgencyError,
    RateLimitError,
    Remedy,
    RequestTimeoutError,
    ServerError,
    SettingsError,
    SmartleadError,
    UnexpectedResponseError,
)
from tests.standin import (
    CANARY_KEY,
    SHAPES,
    TEST_KEY,
    Reply,
    StandinSmartlead,
    sample_campaigns,
    sample_clients,
)

MakeClient = Callable[..., SmartleadClient]
SAMPLE_IDS = [105, 104, 103, 102, 101]


def closed_port() -> int:
    """A local port nobody listens on (bound, then released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def ids(records: list[Any]) -> list[Any]:
    return [record["id"] for record in records]


# --------------------------------------------------------------------------- shapes


@pytest.mark.parametrize("shape", SHAPES)
def test_every_documented_shape_gives_the_list(
    standin: StandinSmartlead, make_client: MakeClient, shape: str
) -> None:
    standin.shape = shape
    campaigns = make_client().list_campaigns()
    assert campaigns == sample_campaigns()
    assert ids(campaigns) == SAMPLE_IDS


@pytest.mark.parametrize("shape", SHAPES)
def test_the_answer_as_sent_reads_back_to_the_same_records(
    standin: StandinSmartlead, make_client: MakeClient, shape: str
) -> None:
    """History keeps the answer's bytes instead of encoding the records again: reading them
    back gives exactly the records the client returned, whatever the answer's shape."""
    standin.shape = shape
    records, answer = make_client().list_campaigns_as_sent()
    assert records == sample_campaigns()
    assert answer.startswith((b"[", b"{"))
    assert campaigns_in_answer(answer) == records


@pytest.mark.parametrize(
    "body",
    [{"campaigns": None}, {"data": None}, {"success": True, "campaigns": None}, [], {"data": []}],
)
def test_null_or_empty_list_means_no_campaigns(
    standin: StandinSmartlead, make_client: MakeClient, body: Any
) -> None:
    standin.script("/campaigns/", Reply.json(body))
    assert make_client().list_campaigns() == []


def test_data_wrapping_a_campaigns_object_is_read(
    standin: StandinSmartlead, make_client: MakeClient
) -> None:
    standin.script("/campaigns/", Reply.json({"data": {"campaigns": [{"id": 9}]}}))
    assert make_client().list_campaigns() == [{"id": 9}]


def test_items_that_are_not_objects_are_kept(
    standin: StandinSmartlead, make_client: MakeClient
) -> None:
    odd = [{"id": 1}, 7, "text", None, [1, 2], {"id": 2, "surprise": {"x": 1}}]
    standin.portfolios[TEST_KEY] = odd
    assert make_client().list_campaigns() == odd


def test_client_id_filter_is_passed_through(
    standin: StandinSmartlead, make_client: MakeClient
) -> None:
    campaigns = make_client().list_campaigns(client_id=12)
    assert ids(campaigns) == [103, 102]
    assert standin.requests[-1].query["client_id"] == "12"


@pytest.mark.parametrize("include_tags", [True, False])
def test_include_tags(
    standin: StandinSmartlead, make_client: MakeClient, include_tags: bool
) -> None:
    campaigns = make_client().list_campaigns(include_tags=include_tags)
    assert all(("tags" in record) is include_tags for record in campaigns)
    assert standin.requests[-1].query["include_tags"] == str(include_tags).lower()
    if include_tags:
        assert campaigns[0]["tags"][0]["tag_name"] == "Outbound"


def test_the_key_travels_as_api_key_and_request_count_counts(
    standin: StandinSmartlead, make_client: MakeClient
) -> None:
    client = make_client()
    client.list_campaigns()
    client.list_clients()
    logged = standin.requests
    assert [entry.path for entry in logged] == ["/campaigns/", "/client/"]
    assert all(entry.query["api_key"] == TEST_KEY for entry in logged)
    assert client.request_count == 2


def test_list_clients(make_client: MakeClient) -> None:
    assert make_client().list_clients() == sample_clients()


@pytest.mark.parametrize("body", [{"clients": sample_clients()}, {"data": sample_clients()}])
def test_list_clients_wrapped(
    standin: StandinSmartlead, make_client: MakeClient, body: Any
) -> None:
    standin.script("/client/", Reply.json(body))
    assert make_client().list_clients() == sample_clients()


# --------------------------------------------------------------------------- errors


def test_unknown_key_is_an_authentication_error(make_client: MakeClient) -> None:
    with pytest.raises(AuthenticationError) as caught:
        make_client(api_key="sk-someone-else").list_campaigns()
    assert caught.value.status == 401
    assert caught.value.api_message == "Invalid API Key"
    assert "Invalid API Key" in str(caught.value)
    assert caught.value.remedy is Remedy.ENTER_KEY  # the front ends say where to enter one
    assert "Refresh" not in str(caught.value)
    assert "sidebar" not in str(caught.value)


def test_403_on_data_is_an_authentication_error(
    standin: StandinSmartlead, make_client: MakeClient
) -> None:
    standin.script("/campaigns/", Reply(403, {"message": "Plan has no API access"}))
    with pytest.raises(AuthenticationError, match="Plan has no API access"):
        make_client().list_campaigns()


@pytest.mark.parametrize("key", ["", "   ", "\n"])
def test_empty_key_is_rejected_before_any_request(standin: StandinSmartlead, key: str) -> None:
    with pytest.raises(AuthenticationError, match="No SmartLead API key was given") as caught:
        SmartleadClient(Connection.to(key, standin.base_url))
    assert caught.value.remedy is Remedy.ENTER_KEY
    assert standin.requests == []


def test_one_429_then_success_honours_retry_after(
    standin: StandinSmartlead, make_client: MakeClient
) -> None:
    standin.script("/campaigns/", Reply.rate_limited(retry_after=1))
    client = make_client()
    started = time.monotonic()
    campaigns = client.list_campaigns()
    elapsed = time.monotonic() - started
    assert ids(campaigns) == SAMPLE_IDS
    assert elapsed >= 0.95
    assert standin.count("/campaigns") == 2
    assert client.request_count == 2
    logged = standin.requests
    assert [entry.status for entry in logged] == [429, 200]
    assert logged[1].time - logged[0].time >= 0.95


def test_persistent_429_is_a_rate_limit_error(
    standin: StandinSmartlead, make_client: MakeClient
) -> None:
    standin.always("/campaigns/", Reply.rate_limited(retry_after=1))
    with pytest.raises(RateLimitError) as caught:
        make_client(retries=1).list_campaigns()
    assert caught.value.retry_after == 1.0
    assert caught.value.status == 429
    assert caught.value.remedy is Remedy.WAIT
    assert "refused the request for its rate limit (HTTP 429), 2 times" in str(caught.value)
    assert "asked to wait 1 s" in str(caught.value)
    assert "Rate limit exceeded" in str(caught.value)
    assert standin.count() == 2


def test_429_retry_after_from_the_body(standin: StandinSmartlead, make_client: MakeClient) -> None:
    body = {"error": {"code": "RATE_LIMIT_EXCEEDED", "message": "Slow down", "retry_after": 30}}
    standin.always("/campaigns/", Reply(429, body))
    with pytest.raises(RateLimitError) as caught:
        make_client(retries=0).list_campaigns()
    assert caught.value.retry_after == 30.0
    assert "asked to wait 30 s" in str(caught.value)
    assert standin.count() == 1


def test_retry_after_longer_than_the_deadline_gives_up_at_once(
    standin: StandinSmartlead, make_client: MakeClient
) -> None:
    standin.always("/campaigns/", Reply.rate_limited(retry_after=5))
    started = time.monotonic()
    with pytest.raises(RateLimitError) as caught:
        make_client(retries=5, deadline=1.0).list_campaigns()
    assert time.monotonic() - started < 0.8
    assert caught.value.retry_after == 5.0
    assert standin.count() == 1


def test_deadline_bounds_retry_after_waits(
    standin: StandinSmartlead, make_client: MakeClient
) -> None:
    standin.always("/campaigns/", Reply.rate_limited(retry_after=1))
    started = time.monotonic()
    with pytest.raises(RateLimitError):
        make_client(retries=10, deadline=2.5).list_campaigns()
    elapsed = time.monotonic() - started
    assert 1.9 <= elapsed < 3.2
    assert standin.count() == 3  # at 0 s, 1 s and 2 s; a 3 s retry would pass the deadline


def test_persistent_500_is_a_server_error_after_every_retry(
    standin: StandinSmartlead, make_client: MakeClient
) -> None:
    standin.always("/campaigns/", Reply.server_error())
    started = time.monotonic()
    with pytest.raises(ServerError) as caught:
        make_client(retries=3).list_campaigns()
    assert time.monotonic() - started < 2
    assert standin.count() == 1 + 3
    assert caught.value.status == 500
    assert "Internal server error occurred" in str(caught.value)


def test_deadline_stops_a_long_backoff(standin: StandinSmartlead, make_client: MakeClient) -> None:
    standin.always("/campaigns/", Reply.server_error(503))
    started = time.monotonic()
    with pytest.raises(ServerError):
        make_client(retries=10, backoff=5, deadline=2).list_campaigns()
    assert time.monotonic() - started < 3
    assert standin.count() < 1 + 10


def test_read_timeout(standin: StandinSmartlead, make_client: MakeClient) -> None:
    standin.always("/campaigns/", Reply(body=[], delay=0.8))
    started = time.monotonic()
    with pytest.raises(RequestTimeoutError) as caught:
        make_client(timeout=0.3).list_campaigns()
    assert time.monotonic() - started < 2
    assert caught.value.status is None
    assert "did not answer" in str(caught.value)
    assert standin.count() == 2  # a read failure is retried once


def test_connection_refused(make_client: MakeClient) -> None:
    port = closed_port()
    with pytest.raises(ConnectionFailedError) as caught:
        make_client(base_url=f"http://127.0.0.1:{port}/api/v1").list_campaigns()
    message = str(caught.value)
    assert f"could not be reached at 127.0.0.1:{port}" in message
    assert "refused" in message
    assert caught.value.remedy is Remedy.CHECK_ADDRESS
    assert caught.value.setting == "SMARTLEAD_BASE_URL"


def test_unknown_host(make_client: MakeClient) -> None:
    with pytest.raises(ConnectionFailedError, match="host name was not found"):
        make_client(base_url="http://no-such-host.invalid/api/v1", retries=0).list_campaigns()


def test_base_url_comes_from_the_environment(
    standin: StandinSmartlead, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SMARTLEAD_BASE_URL", standin.base_url + "/")
    with SmartleadClient(Connection.to(TEST_KEY)) as client:
        assert client.base_url == standin.base_url
        assert ids(client.list_campaigns()) == SAMPLE_IDS


@pytest.mark.parametrize(
    "base_url",
    [
        "ftp://example.com/api/v1",
        "example.com/api/v1",
        "http://example.com:port/",
        "http://[::1",
        "http://:80/api/v1",
    ],
)
def test_a_base_url_that_is_not_http_is_a_settings_error(base_url: str) -> None:
    with pytest.raises(SettingsError) as caught:
        Connection.to(TEST_KEY, base_url)
    assert caught.value.setting == "SMARTLEAD_BASE_URL"
    assert caught.value.remedy is Remedy.FIX_SETTING
    assert "is not an http(s) address" in str(caught.value)


def test_html_page_at_200(standin: StandinSmartlead, make_client: MakeClient) -> None:
    standin.script("/campaigns/", Reply.html(200, title="Sign in · SmartLead"))
    with pytest.raises(UnexpectedResponseError) as caught:
        make_client().list_campaigns()
    assert "Sign in · SmartLead" in str(caught.value)
    assert "HTTP 200" in str(caught.value)
    assert caught.value.api_message == "Sign in · SmartLead"


def test_html_without_content_type_is_still_recognised(
    standin: StandinSmartlead, make_client: MakeClient
) -> None:
    page = "<!DOCTYPE html><html><head><title>Maintenance</title></head></html>"
    standin.script("/campaigns/", Reply(200, page))
    with pytest.raises(UnexpectedResponseError, match="Maintenance"):
        make_client().list_campaigns()


def test_persistent_html_502_is_a_server_error_naming_the_page(
    standin: StandinSmartlead, make_client: MakeClient
) -> None:
    standin.always("/campaigns/", Reply.html(502))
    with pytest.raises(ServerError) as caught:
        make_client(retries=1).list_campaigns()
    assert "502 Bad Gateway" in str(caught.value)
    assert caught.value.status == 502
    assert standin.count() == 2


def test_invalid_json(standin: StandinSmartlead, make_client: MakeClient) -> None:
    standin.script("/campaigns/", Reply.invalid_json())
    with pytest.raises(UnexpectedResponseError, match="not valid JSON"):
        make_client().list_campaigns()


def test_invalid_utf8(standin: StandinSmartlead, make_client: MakeClient) -> None:
    standin.script("/campaigns/", Reply.invalid_utf8())
    with pytest.raises(UnexpectedResponseError, match="not valid UTF-8"):
        make_client().list_campaigns()


def test_empty_body(standin: StandinSmartlead, make_client: MakeClient) -> None:
    standin.script("/campaigns/", Reply(200, b""))
    with pytest.raises(UnexpectedResponseError, match="was empty"):
        make_client().list_campaigns()


@pytest.mark.parametrize("fault", ["truncate", "reset"])
def test_answer_cut_short(standin: StandinSmartlead, make_client: MakeClient, fault: str) -> None:
    standin.always("/campaigns/", Reply(body=sample_campaigns(), fault=fault))
    with pytest.raises(ConnectionFailedError, match="broke off"):
        make_client().list_campaigns()
    assert 1 <= standin.count() <= 2


@pytest.mark.parametrize(
    ("body", "text"),
    [
        ({"success": False, "message": "Campaign service unavailable"}, "Campaign service"),
        ({"ok": False, "error": "Workspace suspended"}, "Workspace suspended"),
        ({"error": "Internal server error occurred"}, "Internal server error occurred"),
        ({"error": {"code": "E42", "message": "Nested trouble"}}, "Nested trouble"),
        ({"message": "Only a message"}, "Only a message"),
    ],
)
def test_200_carrying_an_error_object(
    standin: StandinSmartlead, make_client: MakeClient, body: Any, text: str
) -> None:
    standin.script("/campaigns/", Reply.json(body))
    with pytest.raises(UnexpectedResponseError) as caught:
        make_client().list_campaigns()
    assert text in str(caught.value)
    assert text in (caught.value.api_message or "")
    assert caught.value.status == 200


@pytest.mark.parametrize(
    ("body", "described"),
    [
        ({"foo": 1, "bar": 2}, "an object with keys foo, bar"),
        (None, "null"),
        (42, "a number"),
        ("campaigns", "a piece of text"),
        (True, "the boolean true"),
        ({}, "an empty object"),
        ({"campaigns": "oops"}, "held a piece of text under “campaigns”"),
        ({"data": {"total": 3}}, "held an object with key total under “data”"),
    ],
)
def test_unknown_shapes_say_what_arrived(
    standin: StandinSmartlead, make_client: MakeClient, body: Any, described: str
) -> None:
    standin.script("/campaigns/", Reply.json(body))
    with pytest.raises(UnexpectedResponseError) as caught:
        make_client().list_campaigns()
    assert described in str(caught.value)


def test_other_4xx_is_unexpected_and_not_found_ok_returns_none(
    standin: StandinSmartlead, make_client: MakeClient
) -> None:
    client = make_client()
    with pytest.raises(UnexpectedResponseError) as caught:
        client._get_json("/no-such-endpoint/")
    assert caught.value.status == 404
    assert "Cannot GET /api/v1/no-such-endpoint/" in str(caught.value)
    assert client._get_json("/no-such-endpoint/", not_found_ok=True) is None
    standin.script("/campaigns/1", Reply(200, b""))
    assert client._get_json("/campaigns/1", not_found_ok=True) is None


def test_redirects_are_not_followed(standin: StandinSmartlead, make_client: MakeClient) -> None:
    location = f"https://elsewhere.example/api/v1/campaigns/?api_key={TEST_KEY}"
    standin.script("/campaigns/", Reply(302, b"", headers={"Location": location}))
    with pytest.raises(UnexpectedResponseError, match=r"elsewhere\.example") as caught:
        make_client().list_campaigns()
    assert caught.value.status == 302
    assert standin.count() == 1


def test_not_an_agency(standin: StandinSmartlead, make_client: MakeClient) -> None:
    standin.clients[TEST_KEY] = None
    with pytest.raises(NotAnAgencyError) as caught:
        make_client().list_clients()
    assert caught.value.status == 403
    assert "no agency access" in str(caught.value)
    assert caught.value.api_message == "Forbidden: not an agency account"


def test_client_404_is_not_an_agency(standin: StandinSmartlead, make_client: MakeClient) -> None:
    standin.script("/client/", Reply.not_found("/api/v1/client/"))
    with pytest.raises(NotAnAgencyError):
        make_client().list_clients()


def test_client_401_stays_an_authentication_error(make_client: MakeClient) -> None:
    with pytest.raises(AuthenticationError):
        make_client(api_key="sk-unknown").list_clients()


def test_client_500_stays_a_server_error(
    standin: StandinSmartlead, make_client: MakeClient
) -> None:
    standin.always("/client/", Reply.server_error())
    with pytest.raises(ServerError):
        make_client(retries=0).list_clients()


def test_errors_survive_pickling() -> None:
    error = RateLimitError("wait", api_message="Rate limit exceeded", retry_after=3.0)
    copy = pickle.loads(pickle.dumps(error))  # noqa: S301 - our own bytes
    assert (str(copy), copy.retry_after, copy.status, copy.api_message) == (
        "wait",
        3.0,
        429,
        "Rate limit exceeded",
    )


def test_repr_and_context_manager(standin: StandinSmartlead) -> None:
    connection = Connection.to(CANARY_KEY, standin.base_url)
    with SmartleadClient(connection) as client:
        shown = repr(client)
    assert CANARY_KEY not in shown
    assert f"127.0.0.1:{standin.port}" in shown
    for text in (repr(connection), str(connection), f"{connection}", repr([connection])):
        assert CANARY_KEY not in text
        assert connection.fingerprint in text


# --------------------------------------------------------------------------- leaks


def _echo_400(standin: StandinSmartlead, make: MakeClient) -> None:
    echoed = f"Bad request for /api/v1/campaigns/?include_tags=true&api_key={CANARY_KEY}"
    standin.script("/campaigns/", Reply(400, {"message": echoed}))
    make().list_campaigns()


def _echo_html_title(standin: StandinSmartlead, make: MakeClient) -> None:
    standin.script("/campaigns/", Reply.html(200, title=f"Denied {CANARY_KEY}"))
    make().list_campaigns()


def _echo_invalid_json(standin: StandinSmartlead, make: MakeClient) -> None:
    standin.script("/campaigns/", Reply(200, f"Error for api_key={CANARY_KEY} and {CANARY_KEY}"))
    make().list_campaigns()


def _echo_keys(standin: StandinSmartlead, make: MakeClient) -> None:
    standin.script("/campaigns/", Reply.json({CANARY_KEY: 1, "api_key": CANARY_KEY}))
    make().list_campaigns()


def _script(path: str, *replies: Reply, **client: Any) -> Callable[..., None]:
    def scenario(standin: StandinSmartlead, make: MakeClient) -> None:
        standin.script(path, *replies)
        built = make(**client)
        if path == "/client/":
            built.list_clients()
        else:
            built.list_campaigns()

    return scenario


def _always(path: str, reply: Reply, **client: Any) -> Callable[..., None]:
    def scenario(standin: StandinSmartlead, make: MakeClient) -> None:
        standin.always(path, reply)
        make(**client).list_campaigns()

    return scenario


def _refused(standin: StandinSmartlead, make: MakeClient) -> None:
    make(base_url=f"http://127.0.0.1:{closed_port()}/api/v1").list_campaigns()


def _dns(standin: StandinSmartlead, make: MakeClient) -> None:
    make(base_url="http://no-such-host.invalid/api/v1", retries=0).list_campaigns()


def _unauthorized(standin: StandinSmartlead, make: MakeClient) -> None:
    make().list_campaigns()  # the canary is not one of the stand-in's keys


LEAK_SCENARIOS: dict[str, Callable[..., None]] = {
    "401": _unauthorized,
    "403": _script("/campaigns/", Reply(403, {"message": "Forbidden"})),
    "429": _always("/campaigns/", Reply.rate_limited(1), retries=1),
    "429-deadline": _always("/campaigns/", Reply.rate_limited(3), deadline=1),
    "500": _always("/campaigns/", Reply.server_error(), retries=2),
    "deadline": _always("/campaigns/", Reply.server_error(), retries=10, backoff=5, deadline=2),
    "read-timeout": _always("/campaigns/", Reply(body=[], delay=0.6), timeout=0.25),
    "refused": _refused,
    "dns": _dns,
    "html-200": _script("/campaigns/", Reply.html(200)),
    "html-502": _always("/campaigns/", Reply.html(502), retries=1),
    "invalid-json": _script("/campaigns/", Reply.invalid_json()),
    "invalid-utf8": _script("/campaigns/", Reply.invalid_utf8()),
    "empty": _script("/campaigns/", Reply(200, b"")),
    "truncated": _always("/campaigns/", Reply(body=sample_campaigns(), fault="truncate")),
    "reset": _always("/campaigns/", Reply(body=sample_campaigns(), fault="reset")),
    "success-false": _script("/campaigns/", Reply.json({"success": False, "message": "No"})),
    "error-object": _script("/campaigns/", Reply.json({"error": "Internal server error"})),
    "unknown-shape": _script("/campaigns/", Reply.json({"foo": 1})),
    "null": _script("/campaigns/", Reply.json(None)),
    "404": _script("/campaigns/", Reply.not_found("/api/v1/campaigns/")),
    "redirect": _script(
        "/campaigns/",
        Reply(301, b"", headers={"Location": f"https://x.example/?api_key={CANARY_KEY}"}),
    ),
    "not-an-agency": _script("/client/", Reply.not_an_agency()),
    "echo-400": _echo_400,
    "echo-html-title": _echo_html_title,
    "echo-invalid-json": _echo_invalid_json,
    "echo-keys": _echo_keys,
}

_API_KEY_VALUE = re.compile(r"api_key(?:=|%3D)([^&\s'\"#)>]*)", re.IGNORECASE)


def _chain(exc: BaseException) -> list[BaseException]:
    seen: list[BaseException] = []
    stack: list[BaseException | None] = [exc]
    while stack:
        current = stack.pop()
        if current is None or any(current is known for known in seen):
            continue
        seen.append(current)
        stack.extend([current.__cause__, current.__context__])
    return seen


@pytest.mark.parametrize("name", list(LEAK_SCENARIOS))
def test_the_key_never_leaks(
    name: str,
    standin: StandinSmartlead,
    make_client: MakeClient,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    clients: list[SmartleadClient] = []

    def make(**overrides: Any) -> SmartleadClient:
        client = make_client(**{"api_key": CANARY_KEY, "timeout": 1.0, **overrides})
        clients.append(client)
        return client

    with pytest.raises(SmartleadError) as caught:
        LEAK_SCENARIOS[name](standin, make)
    exc = caught.value
    assert exc.__cause__ is None
    assert exc.__context__ is None
    assert exc.__suppress_context__ is False
    texts = [
        str(exc),
        repr(exc),
        repr(exc.args),
        repr(vars(exc)),
        exc.what,
        "".join(traceback.format_exception(exc)),
        *[repr(link) for link in _chain(exc)],
        *[repr(client) for client in clients],
    ]
    fragments = {CANARY_KEY[i : i + 10] for i in range(len(CANARY_KEY) - 9)}
    for text in texts:
        assert CANARY_KEY not in text
        assert not any(fragment in text for fragment in fragments), text
        assert "api_key=" not in text.lower()
        assert "api_key%3d" not in text.lower()
    assert CANARY_KEY not in caplog.text
    assert all(value == "***" for value in _API_KEY_VALUE.findall(caplog.text))
    # the scenario really went through the client (the stand-in saw the canary)
    if name not in ("refused", "dns"):
        assert any(entry.query.get("api_key") == CANARY_KEY for entry in standin.requests)
        assert "api_key=***" in caplog.text


def test_the_key_never_leaks_on_success(
    standin: StandinSmartlead, make_client: MakeClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    standin.portfolios[CANARY_KEY] = sample_campaigns()
    standin.clients[CANARY_KEY] = sample_clients()
    standin.script("/campaigns/", Reply.rate_limited(1), Reply.server_error())
    client = make_client(api_key=CANARY_KEY)
    assert ids(client.list_campaigns()) == SAMPLE_IDS
    assert client.list_clients() == sample_clients()
    assert CANARY_KEY not in caplog.text
    assert "api_key=***" in caplog.text
    assert CANARY_KEY not in repr(client)
