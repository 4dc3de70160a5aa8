"""Reading SmartLead's answers: counters, analytics records, campaign ids, and the client's
analytics endpoint against the stand-in (which answers as the live API does)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smartlead.client import SmartleadClient
from smartlead.errors import Remedy, UnexpectedResponseError, UnknownCampaignError
from smartlead.records import ANALYTICS_COUNTERS, LEAD_STAT_COUNTERS, parse_analytics, parse_counter
from tests.builders import sample_campaigns
from tests.standin import Reply, StandinSmartlead, sample_analytics

MakeClient = Callable[..., SmartleadClient]
ALL_NAMES = (*ANALYTICS_COUNTERS, *LEAD_STAT_COUNTERS.values())


# --------------------------------------------------------------------------- parsing


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("30", 30),
        (30, 30),
        (" 30 ", 30),
        ("0", 0),
        (0, 0),
        ("30.0", 30),
        (30.0, 30),
        ("007", 7),
        (None, None),
        ("", None),
        ("   ", None),
        ("abc", None),
        ("N/A", None),
        ("3.5", None),
        (3.5, None),
        ("-1", None),
        (-1, None),
        ("1e3", None),
        ("1,234", None),
        (True, None),
        (False, None),
        (float("nan"), None),
        (float("inf"), None),
        ([30], None),
        ({"value": 30}, None),
        (2**63, None),
        (str(2**63 - 1), 2**63 - 1),
    ],
)
def test_parse_counter(raw: Any, expected: int | None) -> None:
    assert parse_counter(raw) == expected


@given(st.integers(min_value=0, max_value=2**63 - 1))
def test_every_count_reads_back_from_int_and_string(number: int) -> None:
    assert parse_counter(number) == number
    assert parse_counter(str(number)) == number


@given(st.integers(max_value=-1))
def test_negative_counts_are_unknown(number: int) -> None:
    assert parse_counter(number) is None
    assert parse_counter(str(number)) is None


@given(st.text().filter(lambda text: not re.fullmatch(r"\s*[0-9]+(\.0*)?\s*", text)))
def test_text_that_is_not_a_whole_number_is_unknown(text: str) -> None:
    assert parse_counter(text) is None


def test_parse_analytics_reads_strings_numbers_nulls_and_lead_stats() -> None:
    payload = {
        "sent_count": "120",
        "unique_sent_count": 100,
        "reply_count": None,
        "bounce_count": "x",
        "campaign_lead_stats": {"total": "150", "notStarted": 50, "interested": None},
        "client_name": "Acme",
    }
    parsed = parse_analytics(payload)
    assert list(parsed) == list(ALL_NAMES)
    assert parsed["sent_count"] == 120
    assert parsed["unique_sent_count"] == 100
    assert parsed["reply_count"] is None  # null: unknown, not 0
    assert parsed["bounce_count"] is None  # malformed
    assert parsed["open_count"] is None  # missing
    assert parsed["leads_total"] == 150
    assert parsed["leads_not_started"] == 50
    assert parsed["leads_interested"] is None
    assert parsed["leads_completed"] is None
    assert "client_name" not in parsed


@pytest.mark.parametrize("payload", [{}, None, [], "text", {"campaign_lead_stats": None}])
def test_parse_analytics_of_nothing_is_all_unknown(payload: Any) -> None:
    assert parse_analytics(payload) == dict.fromkeys(ALL_NAMES)


# --------------------------------------------------------------------------- the endpoints


def test_campaign_analytics_parses_the_string_counters(
    standin: StandinSmartlead, make_client: MakeClient
) -> None:
    record = sample_campaigns()[0]
    raw = sample_analytics(record["id"], record)
    assert isinstance(raw["unique_sent_count"], str)
    got = make_client().campaign_analytics(record["id"])
    assert got == parse_analytics(raw)
    assert got["unique_sent_count"] == int(raw["unique_sent_count"])
    assert standin.requests[-1].path == f"/campaigns/{record['id']}/analytics"


def test_drafted_campaign_has_sent_nothing(make_client: MakeClient) -> None:
    got = make_client().campaign_analytics(102)  # DRAFTED in sample_campaigns
    assert got["unique_sent_count"] == 0
    assert got["sent_count"] == 0


@pytest.mark.parametrize(
    "reply",
    [Reply.json({}), Reply(200, b""), Reply(404, {"message": "Campaign not found"})],
    ids=["empty-object", "empty-body", "404"],
)
def test_no_analytics_is_an_error_that_says_so(
    standin: StandinSmartlead, make_client: MakeClient, reply: Reply
) -> None:
    standin.script("/campaigns/105/analytics", reply)
    with pytest.raises(UnknownCampaignError, match="does not know campaign 105") as caught:
        make_client().campaign_analytics(105)
    assert caught.value.remedy is Remedy.CHECK_CAMPAIGN


@pytest.mark.parametrize(
    "body", [{}, {"error": "Invalid campaign id'"}], ids=["empty-object", "error-text"]
)
def test_a_campaign_of_another_account_is_unknown_not_a_wrong_address(
    standin: StandinSmartlead, make_client: MakeClient, body: Any
) -> None:
    """The live API answers 400 for an unknown or foreign campaign id: that is SmartLead not
    knowing the campaign, not a base URL that may be wrong."""
    standin.script("/campaigns/999/analytics", Reply.json(body, status=400))
    with pytest.raises(UnknownCampaignError) as caught:
        make_client().campaign_analytics(999)
    assert "does not know campaign 999 for this key" in str(caught.value)
    assert caught.value.status == 400
    assert caught.value.remedy is Remedy.CHECK_CAMPAIGN
    assert "SMARTLEAD_BASE_URL" not in str(caught.value)
    with pytest.raises(UnknownCampaignError):  # the stand-in's own answer for it, unscripted
        make_client().campaign_analytics(999)


def test_analytics_wrapped_in_data_are_read(
    standin: StandinSmartlead, make_client: MakeClient
) -> None:
    standin.script("/campaigns/105/analytics", Reply.json({"data": {"reply_count": "4"}}))
    assert make_client().campaign_analytics(105)["reply_count"] == 4


@pytest.mark.parametrize(
    ("body", "described"),
    [([1, 2, 3], "a list of 3 items"), ({"foo": 1}, "an object with key foo"), (7, "a number")],
)
def test_analytics_of_an_unknown_shape_say_what_arrived(
    standin: StandinSmartlead, make_client: MakeClient, body: Any, described: str
) -> None:
    standin.script("/campaigns/105/analytics", Reply.json(body))
    with pytest.raises(UnexpectedResponseError, match=described):
        make_client().campaign_analytics(105)


def test_get_campaign(standin: StandinSmartlead, make_client: MakeClient) -> None:
    client = make_client()
    assert client.get_campaign(103) == sample_campaigns()[2]
    assert client.get_campaign(999) is None  # the live API's 200 with {}
    standin.script("/campaigns/105", Reply(200, b""))
    assert client.get_campaign(105) is None


@pytest.mark.parametrize("bad", [0, -5, True, "105", 10.5, None])
def test_bad_campaign_ids_are_refused_before_any_request(
    standin: StandinSmartlead, make_client: MakeClient, bad: Any
) -> None:
    with pytest.raises(ValueError, match="campaign id"):
        make_client().campaign_analytics(bad)
    assert standin.requests == []
