"""The Mailboxes page, the mailbox section of campaign details and of Health, in AppTest.

Live tests fetch from the stand-in, whose mailbox answers carry canary passwords: none may
reach an element of any page, a cache entry, the history file or a log line.
"""

from __future__ import annotations

import io
import logging
import pickle
import threading
from pathlib import Path

import pytest

from smartlead import demo
from smartlead.export import to_csv_bytes, to_json_bytes
from smartlead.frame import campaigns_frame
from smartlead.ledger import build_ledger, ledger_kpis
from smartlead.mailbox_loader import load_mailboxes
from smartlead.mailboxes import mailboxes_frame
from tests.apptest import CAMPAIGNS_PAGE, all_text, caption_texts, live_app, metrics, open_app
from tests.builders import PASSWORD_CANARIES, sample_mailboxes
from tests.standin import TEST_KEY, Reply, StandinSmartlead
from ui.page import PAGES

MAILBOXES_PAGE = PAGES["mailboxes"].path
HEALTH_PAGE = PAGES["health"].path


def mailbox_requests(server: StandinSmartlead) -> int:
    return sum(1 for r in server.requests if r.path.rstrip("/").endswith("email-accounts"))


def no_password(text: str | bytes) -> bool:
    if isinstance(text, bytes):
        return not any(c.encode() in text for c in PASSWORD_CANARIES)
    return not any(c in text for c in PASSWORD_CANARIES)


def cached_bytes() -> bytes:
    """Every ``st.cache_data`` entry (stored pickled) and every ``st.cache_resource`` value,
    pickled here (locks stand in as text), as one blob of bytes."""
    from streamlit.runtime.caching.cache_data_api import _data_caches
    from streamlit.runtime.caching.cache_resource_api import _resource_caches

    blobs: list[bytes] = []
    for caches in _data_caches._function_caches.values():
        for cache in caches.values():
            memory = getattr(cache.storage, "_mem_cache", {})
            blobs.extend(bytes(value) for value in list(memory.values()))

    class LocksAsText(pickle.Pickler):
        def reducer_override(self, obj):
            if isinstance(obj, (type(threading.Lock()), type(threading.RLock()))):
                return str, ("<lock>",)
            return NotImplemented

    for caches in _resource_caches._function_caches.values():
        for cache in caches.values():
            for result in list(cache._mem_cache.values()):
                buffer = io.BytesIO()
                LocksAsText(buffer).dump(result.value)
                blobs.append(buffer.getvalue())
    assert blobs, "the caches hold something to search"
    return b"\n".join(blobs)


@pytest.fixture
def account(standin: StandinSmartlead) -> StandinSmartlead:
    boxes, links = sample_mailboxes()
    standin.mailboxes[TEST_KEY] = boxes
    standin.campaign_mailboxes[TEST_KEY] = links
    return standin


def mailbox_table(at):
    """The rows of the Mailboxes page's mailbox table, as sent."""
    return next(d.value for d in at.dataframe if {"from_email", "usage"} <= set(d.value.columns))


def loaded_page(server: StandinSmartlead):
    at = live_app(server)
    at.switch_page(MAILBOXES_PAGE).run()
    at.button(key="load_mailboxes").click().run()
    assert not at.exception
    return at


# --------------------------------------------------------------------------- demo


def test_the_demo_page_shows_the_ledger_of_the_demo_mailboxes():
    at = open_app()
    at.switch_page(MAILBOXES_PAGE).run()
    assert not at.exception
    assert at.title[0].value == "Mailboxes"
    records = demo.demo_campaigns(300, seed=7)
    frame = campaigns_frame(records, demo.demo_clients())
    load = load_mailboxes(None, frame, demo_records=records)
    ledger = build_ledger(
        frame, mailboxes_frame(load.records, demo.demo_clients(), load.links), load.links
    )
    expected = ledger_kpis(ledger.mailboxes, ledger.campaigns)
    shown = metrics(at)
    assert shown["Mailboxes"] == f"{expected['mailboxes']:,}"
    assert shown["Daily capacity"] == f"{expected['capacity']:,.0f}"
    assert shown["Planned demand"] == f"{expected['planned']:,.0f}"
    assert shown["Shortfall"] == f"{expected['shortfall']:,.0f}"
    assert shown["Idle"] == f"{expected['idle']:,}"
    assert shown["Disconnected"] == f"{expected['disconnected']:,}"
    assert len(at.get("vega_lite_chart")) == 1
    assert len(mailbox_table(at)) == expected["mailboxes"]
    per_domain = next(d.value for d in at.dataframe if "domain" in d.value.columns[:1])
    assert per_domain["mailboxes"].sum() == expected["mailboxes"]
    labels = [b.label for b in at.get("download_button")]
    assert labels == ["Download CSV", "Download JSON", "Download these findings (CSV)"]


# --------------------------------------------------------------------------- live


def test_live_mailboxes_are_fetched_only_when_asked_and_the_cost_is_said(account):
    at = live_app(account)
    at.switch_page(MAILBOXES_PAGE).run()
    assert not at.exception
    offer = at.info[0].value
    assert "3 for the active and paused campaigns' lists" in offer
    assert mailbox_requests(account) == 0, "nothing before the user asks"
    at.button(key="load_mailboxes").click().run()
    assert not at.exception
    assert mailbox_requests(account) == 1 + 3
    shown = metrics(at)
    assert shown == {
        "Mailboxes": "6",
        "Daily capacity": "290",
        "Planned demand": "167",
        "Shortfall": "53",
        "Idle": "3",
        "Disconnected": "1",
    }
    assert "Showing 6 of 6 mailboxes." in caption_texts(at)
    for _ in range(3):
        at.switch_page(PAGES["overview"].path).run()
        at.switch_page(MAILBOXES_PAGE).run()
    assert mailbox_requests(account) == 4, "kept for SMARTLEAD_MAILBOX_TTL"


def test_a_campaign_whose_list_fails_is_listed_and_can_be_tried_again(account):
    account.always("/campaigns/104/email-accounts", Reply.server_error())
    at = loaded_page(account)
    assert [e.label for e in at.expander] == ["Mailboxes are unknown for 1 campaign"]
    failed = at.dataframe[0].value
    assert failed["id"].tolist() == [104]
    assert "server problem" in failed["reason"].iloc[0]
    assert metrics(at)["Mailboxes"] == "6", "the rest still show"
    account.always("/campaigns/104/email-accounts", None)
    at.button(key="retry_mailbox_failures").click().run()
    assert not at.exception
    assert not at.expander
    assert metrics(at)["Shortfall"] == "53"


def test_a_mailbox_list_that_cannot_be_fetched_is_an_error_in_words(account):
    account.always("/email-accounts", Reply.server_error(503))
    at = loaded_page(account)
    assert "SmartLead is having trouble" in at.error[0].value
    assert [b.key for b in at.button if b.key == "retry_mailboxes"] == ["retry_mailboxes"]
    asked = [r.path for r in account.requests if r.path.endswith("/email-accounts")]
    assert asked == [], "no campaign's list asked for in vain"


def test_the_mailbox_filters_and_the_shared_filters_narrow_the_table(account):
    at = loaded_page(account)
    at.multiselect(key="mb_provider").set_value(["OUTLOOK"]).run()
    assert mailbox_table(at)["from_email"].tolist() == ["ben@acme-mail.example"]
    at.multiselect(key="mb_provider").set_value([]).run()
    at.multiselect(key="mb_use").set_value(["Idle"]).run()
    assert set(mailbox_table(at)["from_email"]) == {
        "dan@northwind.example",
        "eve@spare.example",
    }
    at.multiselect(key="mb_use").set_value([]).run()
    at.multiselect(key="status").set_value(["PAUSED"]).run()
    assert mailbox_table(at)["from_email"].tolist() == ["cleo@northwind.example"]
    assert metrics(at)["Planned demand"] == "0", "no active campaign in view"
    at.multiselect(key="status").set_value([]).run()
    at.multiselect(key="client").set_value(["Northwind Clinics"]).run()
    assert len(mailbox_table(at)) == 2
    at.multiselect(key="mb_health").set_value(["Connected"]).run()
    assert mailbox_table(at)["from_email"].tolist() == ["dan@northwind.example"]


def test_a_campaigns_details_list_its_mailboxes_and_link_to_the_page_and_back(account):
    at = live_app(account)
    at.switch_page(CAMPAIGNS_PAGE).run()
    at.session_state["detail_id"] = 105
    at.run()
    assert not at.exception
    mailboxes = at.dataframe[-1].value
    assert mailboxes["from_email"].tolist() == [
        "ana@acme-mail.example",
        "ben@acme-mail.example",
        "fay@acme-mail.example",
    ]
    assert mailbox_requests(account) == 1, "this campaign's list alone"
    at.switch_page(MAILBOXES_PAGE).run()
    at.button(key="load_mailboxes").click().run()
    at.switch_page(CAMPAIGNS_PAGE).run()
    assert any("Plans about 83 emails a day" in c for c in caption_texts(at))
    at.button(key="open_mailboxes").click().run()
    assert not at.exception
    assert at.title[0].value == "Mailboxes"
    assert at.multiselect(key="mb_campaign").value == ["Q4 Founder Outreach (#105)"]
    assert "Showing 3 of 6 mailboxes." in caption_texts(at)
    at.button(key="back_to_campaign").click().run()
    assert at.title[0].value == "Campaigns"
    assert "Q4 Founder Outreach" in at.subheader[0].value


def test_the_health_page_adds_the_mailbox_checks_once_loaded(account):
    at = live_app(account)
    at.switch_page(HEALTH_PAGE).run()
    assert not at.exception
    assert [b.key for b in at.button if b.key == "load_mailboxes"] == ["load_mailboxes"]
    assert mailbox_requests(account) == 0
    at.button(key="load_mailboxes").click().run()
    assert not at.exception
    rules = next(d.value for d in at.dataframe if "subject" in d.value.columns)
    counts = dict(zip(rules["title"], rules["count"], strict=True))
    assert counts["Active campaign whose mailboxes cannot carry its plan"] == 1
    assert counts["Over-committed mailbox"] == 1
    assert counts["Warmup is off"] == 1
    labels = [b.label for b in at.get("download_button")]
    assert labels == ["Download these findings (CSV)", "Download mailbox findings (CSV)"]


# --------------------------------------------------------------------------- leaks


def test_no_password_reaches_a_page_a_cache_the_history_or_a_log(account, caplog, tmp_path):
    caplog.set_level(logging.DEBUG)
    at = loaded_page(account)
    texts = [all_text(at)]
    at.switch_page(HEALTH_PAGE).run()
    texts.append(all_text(at))
    at.switch_page(CAMPAIGNS_PAGE).run()
    at.session_state["detail_id"] = 103
    at.run()
    texts.append(all_text(at))
    assert "cleo@northwind.example" in texts[-1], "the details show the campaign's mailbox"
    assert all(no_password(text) for text in texts)
    assert no_password(cached_bytes())
    history = Path(tmp_path / "history.sqlite3")
    assert history.exists(), "the live fetch was saved"
    assert no_password(history.read_bytes())
    assert no_password(caplog.text)


def test_the_exports_hold_no_password(account):
    loaded_page(account)
    from ui.mailboxes import mailbox_cache

    cache = mailbox_cache()
    state = next(iter(cache.states.values()))
    load, ledger = state.load, state.ledger
    assert no_password(to_csv_bytes(ledger.mailboxes))
    assert no_password(to_json_bytes(ledger.mailboxes))
    assert no_password(to_csv_bytes(ledger.campaigns))
    assert no_password(pickle.dumps(load))
