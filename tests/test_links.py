"""Links to SmartLead's app: only a whole positive id goes into one, the address is a setting."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from smartlead import settings
from smartlead.links import campaign_url, campaign_urls

TEMPLATE = "https://app.example.test/campaign/{id}/analytics"


@pytest.mark.parametrize(
    ("campaign_id", "expected"), [(42, "42"), (42.0, "42"), (7_000_001, "7000001")]
)
def test_a_whole_positive_id_makes_the_campaigns_link(campaign_id: object, expected: str) -> None:
    assert campaign_url(campaign_id, TEMPLATE) == TEMPLATE.replace("{id}", expected)


@pytest.mark.parametrize(
    "campaign_id", [None, 0, -3, 4.5, float("nan"), float("inf"), True, "42", "1/../../x", pd.NA]
)
def test_anything_else_makes_no_link(campaign_id: object) -> None:
    if campaign_id is pd.NA:
        assert campaign_urls([campaign_id], TEMPLATE).isna().all()
    else:
        assert campaign_url(campaign_id, TEMPLATE) is None


@given(st.text())
def test_text_never_becomes_part_of_a_link(text: str) -> None:
    assert campaign_url(text, TEMPLATE) is None


def test_no_template_no_links() -> None:
    assert campaign_url(42, None) is None
    assert campaign_urls(pd.array([1, None], dtype="Int64"), None).isna().all()


def test_links_follow_the_ids_in_order_and_skip_missing_ones() -> None:
    urls = campaign_urls(pd.array([3, None, 1], dtype="Int64"), TEMPLATE)
    assert urls.tolist()[0] == TEMPLATE.replace("{id}", "3")
    assert urls.isna().tolist() == [False, True, False]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, settings.DEFAULT_CAMPAIGN_URL),
        ("", settings.DEFAULT_CAMPAIGN_URL),
        ("https://leads.agency.test/c/{id}", "https://leads.agency.test/c/{id}"),
        ("off", None),
        ("https://no-id.test/c/", None),
        ("javascript:alert({id})", None),
        ("https://two.test/{id}/{id}", None),
    ],
)
def test_the_address_is_a_setting(
    monkeypatch: pytest.MonkeyPatch, value: str | None, expected: str | None
) -> None:
    if value is None:
        monkeypatch.delenv(settings.ENV_CAMPAIGN_URL, raising=False)
    else:
        monkeypatch.setenv(settings.ENV_CAMPAIGN_URL, value)
    assert settings.campaign_url_template() == expected
