"""Fetching mailboxes from the stand-in: paging, each campaign's list, failures, no password.

The stand-in's answers carry canary passwords, as SmartLead's carry real ones; none may
survive in an answer, an error (its text, repr, traceback or chain), a log line or a load.
"""

from __future__ import annotations

import logging
import pickle
import traceback

import pytest

from smartlead.bulk import DEFAULT_WORKERS
from smartlead.connection import Connection
from smartlead.errors import (
    AuthenticationError,
    SmartleadError,
    UnexpectedResponseError,
    UnknownCampaignError,
)
from smartlead.frame import campaigns_frame
from smartlead.mailbox_loader import (
    campaigns_to_fetch,
    fetch_mailbox_list,
    load_mailboxes,
)
from tests.builders import PASSWORD_CANARIES, mailbox, sample_campaigns, sample_mailboxes
from tests.conftest import UNLIMITED
from tests.standin import TEST_KEY, Reply, StandinSmartlead

FAST = {"timeout": 2.0, "retries": 1, "backoff": 0.01, "deadline": 5.0}


def connect(server: StandinSmartlead, key: str = TEST_KEY) -> Connection:
    return Connection.to(key, server.base_url, rate_rules=UNLIMITED)


def holds_a_password(*values: object) -> bool:
    for value in values:
        text = repr(value) + str(value)
        blob = pickle.dumps(value)
        if any(c in text or c.encode() in blob for c in PASSWORD_CANARIES):
            return True
    return False


def error_texts(error: BaseException) -> str:
    """Everything an error shows: its text, repr, SmartLead's text, traceback, chain."""
    return "\n".join(
        [
            str(error),
            repr(error),
            str(getattr(error, "api_message", "")),
            "".join(traceback.format_exception(error)),
            repr(error.__cause__),
            repr(error.__context__),
        ]
    )


@pytest.fixture
def sample_account(standin: StandinSmartlead) -> StandinSmartlead:
    boxes, links = sample_mailboxes()
    standin.mailboxes[TEST_KEY] = boxes
    standin.campaign_mailboxes[TEST_KEY] = links
    return standin


def many(count: int) -> list[dict]:
    return [mailbox(1000 + i, f"m{i}@bulk.example") for i in range(count)]


# --------------------------------------------------------------------------- the client


def test_a_page_of_mailboxes_comes_back_without_passwords(sample_account, make_client):
    client = make_client()
    page = client.list_email_accounts(0, 100)
    assert [record["id"] for record in page] == [501, 502, 503, 504, 505, 506]
    assert all("password" not in r and "imap_password" not in r for r in page)
    assert page[0]["warmup_details"]["warmup_reputation"] == "99%"
    assert not holds_a_password(page)
    served = sample_account.requests[-1]
    assert served.query["offset"] == "0"
    assert served.query["limit"] == "100"


def test_a_campaigns_mailboxes_come_back_without_passwords(sample_account, make_client):
    client = make_client()
    assert [r["id"] for r in client.campaign_email_accounts(105)] == [501, 502, 506]
    assert client.campaign_email_accounts(102) == [], "a campaign without mailboxes"
    assert not holds_a_password(client.campaign_email_accounts(104))


def test_a_wrapped_answer_is_read_too(sample_account, make_client):
    sample_account.script("/campaigns/105/email-accounts", Reply.json({"data": [mailbox(1)]}))
    assert [r["id"] for r in make_client().campaign_email_accounts(105)] == [1]


@pytest.mark.parametrize(
    "reply",
    [Reply.json({"error": "Invalid campaign id'"}, status=400), Reply.json({}), Reply(body=b"")],
)
def test_a_campaign_smartlead_does_not_know_says_so(sample_account, make_client, reply):
    sample_account.script("/campaigns/105/email-accounts", reply)
    with pytest.raises(UnknownCampaignError, match="does not know campaign 105"):
        make_client().campaign_email_accounts(105)


def test_a_page_past_smartleads_limit_is_refused_before_any_request(standin, make_client):
    client = make_client()
    with pytest.raises(ValueError, match="limit is 1 to 100"):
        client.list_email_accounts(0, 101)
    with pytest.raises(ValueError, match="offset"):
        client.list_email_accounts(-1)
    assert standin.count("/") == 0
    with pytest.raises(UnexpectedResponseError, match="HTTP 422"):
        client._get_json("/email-accounts/", {"limit": 101}, holds_passwords=True)


def test_an_unreadable_answer_is_reported_without_quoting_its_passwords(standin, make_client):
    broken = b'[{"password": "pw-LEAK-CANARY-3e8b1d-7", "imap_password": "imap-LEAK-CANARY'
    standin.script("/email-accounts", Reply(body=broken))
    with pytest.raises(UnexpectedResponseError) as caught:
        make_client().list_email_accounts()
    assert "is not valid JSON" in str(caught.value)
    assert not any(c in error_texts(caught.value) for c in PASSWORD_CANARIES)
    assert caught.value.__context__ is None
    assert caught.value.__cause__ is None


@pytest.mark.parametrize("status", [400, 500, 200])
def test_smartleads_error_text_has_any_password_masked(standin, make_client, status):
    body = {"success": False, "message": "bad password: pw-LEAK-CANARY-3e8b1d-9 for x"}
    standin.always("/email-accounts", Reply.json(body, status=status))
    with pytest.raises(SmartleadError) as caught:
        make_client(retries=0).list_email_accounts()
    shown = error_texts(caught.value)
    assert "password: ***" in shown
    assert not any(c in shown for c in PASSWORD_CANARIES)


def test_nothing_logged_at_debug_holds_a_password(sample_account, caplog):
    caplog.set_level(logging.DEBUG)
    loaded = load_mailboxes(
        connect(sample_account), campaigns_frame(sample_campaigns()), client_options=FAST
    )
    assert len(loaded.records) == 6
    assert caplog.records, "the transport did log"
    assert not any(c in caplog.text for c in PASSWORD_CANARIES)


# --------------------------------------------------------------------------- paging


@pytest.mark.parametrize("count", [0, 1, 99, 100, 250, 400])
def test_the_list_is_paged_by_100_until_a_short_page(standin, count):
    standin.mailboxes[TEST_KEY] = many(count)
    listed = fetch_mailbox_list(connect(standin), client_options=FAST)
    assert listed.complete
    assert [r["id"] for r in listed.records] == [1000 + i for i in range(count)]
    pages = count // 100 + 1
    asked = standin.count("/email-accounts")
    assert pages <= asked <= pages + DEFAULT_WORKERS - 1, "at most a few requests past the end"
    assert listed.requests == asked
    assert not holds_a_password(listed)


def test_a_page_that_fails_is_reported_and_the_rest_kept(standin):
    standin.mailboxes[TEST_KEY] = many(250)

    def third_page_fails(request):
        if request.query.get("offset") == "200":
            return Reply.server_error()
        return Reply.json(standin.mailboxes[TEST_KEY][int(request.query["offset"]) :][:100])

    standin.add_route("GET", r"/email-accounts", third_page_fails)
    listed = fetch_mailbox_list(connect(standin), client_options=FAST)
    assert not listed.complete
    assert len(listed.records) == 200
    assert listed.problem.startswith("Mailboxes from number 201 on could not be fetched: ")
    assert "server problem (HTTP 500)" in listed.problem


def test_a_server_that_ignores_the_offset_is_caught(standin):
    standin.mailboxes[TEST_KEY] = many(100)
    standin.add_route("GET", r"/email-accounts", lambda r: Reply.json(many(100)))
    listed = fetch_mailbox_list(connect(standin), client_options=FAST)
    assert len(listed.records) == 100
    assert "sent the same page of mailboxes twice" in listed.problem


def test_a_rejected_key_is_one_typed_error_and_no_more_requests(standin):
    listed = fetch_mailbox_list(connect(standin, key="sk-unknown"), client_options=FAST)
    assert isinstance(listed.error, AuthenticationError)
    assert listed.records == []
    assert standin.count("/email-accounts") == 1


# --------------------------------------------------------------------------- the load


def test_only_active_and_paused_campaigns_lists_are_fetched(sample_account):
    frame = campaigns_frame(sample_campaigns())
    assert campaigns_to_fetch(frame) == [105, 104, 103]
    loaded = load_mailboxes(connect(sample_account), frame, client_options=FAST)
    assert loaded.error is None
    assert loaded.links == {105: [501, 502, 506], 104: [501], 103: [503]}
    assert loaded.failures == {}
    asked = {r.path for r in sample_account.requests if r.path.endswith("/email-accounts")}
    assert asked == {f"/campaigns/{cid}/email-accounts" for cid in (105, 104, 103)}
    assert not holds_a_password(loaded)


def test_a_campaign_whose_list_fails_is_listed_with_the_reason(sample_account):
    sample_account.always("/campaigns/104/email-accounts", Reply.server_error())
    loaded = load_mailboxes(
        connect(sample_account), campaigns_frame(sample_campaigns()), client_options=FAST
    )
    assert set(loaded.links) == {105, 103}
    assert list(loaded.failures) == [104]
    assert "SmartLead had a server problem (HTTP 500)" in loaded.failures[104]


def test_mailboxes_seen_only_in_a_campaigns_list_are_kept(sample_account):
    boxes, _ = sample_mailboxes()
    sample_account.mailboxes[TEST_KEY] = [b for b in boxes if b["id"] != 502] + []
    extra = boxes[1]
    sample_account.script("/campaigns/105/email-accounts", Reply.json([boxes[0], extra]))
    loaded = load_mailboxes(
        connect(sample_account), campaigns_frame(sample_campaigns()), client_options=FAST
    )
    assert 502 in [r["id"] for r in loaded.records]
    assert not holds_a_password(loaded)


def test_a_list_that_cannot_be_fetched_stops_the_load_with_the_error(standin):
    standin.always("/email-accounts", Reply.html(200, title="Sign in"))
    loaded = load_mailboxes(
        connect(standin), campaigns_frame(sample_campaigns()), client_options=FAST
    )
    assert isinstance(loaded.error, UnexpectedResponseError)
    assert "web page" in str(loaded.error)
    assert standin.count("/campaigns") == 0, "no campaign's list is asked for in vain"
