"""The mailbox frame: one schema, every record kept, unreadable values named, no password."""

from __future__ import annotations

import pickle

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from smartlead import demo, vocab
from smartlead.mailboxes import (
    MAILBOX_COLUMNS,
    MAILBOX_DTYPES,
    campaign_links,
    mailboxes_frame,
    merge_mailbox_records,
    parse_reputation,
)
from smartlead.passwords import mask_secrets, strip_secrets
from tests.builders import PASSWORD_CANARIES, mailbox, sample_clients, sample_mailboxes
from tests.strategies import json_values


def leaks(value: object) -> bool:
    """Whether any canary password shows anywhere in ``value`` (its pickle, its text)."""
    blob = pickle.dumps(value)
    text = repr(value)
    return any(c.encode() in blob or c in text for c in PASSWORD_CANARIES)


def frame_text(frame: pd.DataFrame) -> str:
    return frame.to_csv() + frame.to_json(orient="records", default_handler=str)


# --------------------------------------------------------------------------- passwords


def test_strip_secrets_rebuilds_records_without_any_credential_at_any_depth():
    record = mailbox(1, warmup={"api_token": "t0k3n-secret"})
    record["nested"] = [{"smtp_password": "x" * 9, "keep": 1}]
    clean = strip_secrets(record)
    assert "password" not in clean
    assert "imap_password" not in clean
    assert clean["nested"] == [{"keep": 1}]
    assert "api_token" not in clean["warmup_details"]
    assert not leaks(clean)
    assert "password" in record, "the original answer is not changed in place"


def test_mask_secrets_hides_password_values_in_text():
    text = 'bad record {"id": 3, "password": "hunter2secret", "imap_password":"abcd1234"}'
    masked = mask_secrets(text)
    assert "hunter2secret" not in masked
    assert "abcd1234" not in masked
    assert '"password": "***' in masked
    assert mask_secrets("password=letmein&x=1") == "password=***&x=1"


def test_the_frame_holds_no_password_in_any_cell():
    boxes, links = sample_mailboxes()
    frame = mailboxes_frame(boxes, sample_clients(), links)
    assert len(frame) == len(boxes)
    assert not any(c in frame_text(frame) for c in PASSWORD_CANARIES)
    assert not leaks(frame)
    assert not {"password", "imap_password"} & set(frame.columns)


# --------------------------------------------------------------------------- the schema


def test_the_frame_has_exactly_the_schema_also_when_empty():
    for records in ([], None, [mailbox(1)]):
        frame = mailboxes_frame(records)
        assert tuple(frame.columns) == MAILBOX_COLUMNS
        assert {name: str(dtype) for name, dtype in frame.dtypes.items()} == {
            name: str(pd.Series([], dtype=dtype).dtype) for name, dtype in MAILBOX_DTYPES.items()
        }


def test_a_documented_record_is_read_into_typed_columns():
    boxes, links = sample_mailboxes()
    frame = mailboxes_frame(boxes, sample_clients(), links).set_index("id")
    ana = frame.loc[501]
    assert ana["from_email"] == "ana@acme-mail.example"
    assert ana["domain"] == "acme-mail.example"
    assert ana["provider"] == "GMAIL"
    assert ana["client_name"] == "Acme Corp"
    assert ana["daily_cap"] == 40
    assert ana["sent_today"] == 10
    assert ana["connection"] == vocab.CONNECTED
    assert ana["warmup_status"] == vocab.WARMUP_ON
    assert ana["warmup_reputation"] == 99.0
    assert (ana["warmup_sent"], ana["warmup_spam"]) == (420, 4)
    assert list(ana["campaign_ids"]) == [104, 105]
    assert pd.isna(ana["imap_error"]), "an empty failure text is no failure"
    cleo = frame.loc[503]
    assert cleo["connection"] == vocab.SMTP_FAILING
    assert cleo["smtp_error"] == "535 5.7.8 Username and Password not accepted"
    assert frame.loc[505, "client_name"] == vocab.NO_CLIENT
    assert pd.isna(frame.loc[505, "daily_cap"])
    assert pd.isna(frame.loc[505, "unreadable_fields"]), "a null cap is unset, not unreadable"
    assert list(frame.loc[504, "campaign_ids"]) == []


def test_without_links_the_campaigns_column_is_null_not_empty():
    frame = mailboxes_frame([mailbox(1)])
    assert frame["campaign_ids"].isna().all()


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("97%", 97.0),
        (" 88.5 % ", 88.5),
        ("100", 100.0),
        (64, 64.0),
        (0, 0.0),
        ("N/A", None),
        ("", None),
        ("140%", None),
        (-3, None),
        (True, None),
        (float("nan"), None),
        ([97], None),
    ],
)
def test_reputations_are_read_as_percentages_or_unknown(value, expected):
    assert parse_reputation(value) == expected


def test_bad_values_are_kept_as_null_and_named():
    records = [
        mailbox(1, message_per_day="lots", type="yahoo", warmup={"warmup_reputation": "N/A"}),
        mailbox(2, message_per_day=-5, daily_sent_count=3.5, is_smtp_success="maybe"),
        mailbox(3, warmup_details="broken", type=None, client_id="seven"),
        "not a mailbox",
        None,
    ]
    frame = mailboxes_frame(records)
    assert len(frame) == 5, "nothing is dropped"
    assert frame.loc[0, "provider"] == "YAHOO", "an undocumented type is kept as data"
    assert frame.loc[2, "provider"] == vocab.UNKNOWN_PROVIDER
    assert frame.loc[2, "warmup_status"] == vocab.NO_WARMUP_DATA
    named = frame["unreadable_fields"].tolist()
    assert named[0] == "message_per_day, warmup_reputation"
    assert named[1] == "message_per_day, daily_sent_count, is_smtp_success"
    assert named[2] == "client_id, warmup_details"
    assert named[3] == named[4] == "record"
    assert frame["daily_cap"].isna().tolist() == [True, True, False, True, True]


def test_merging_answers_keeps_each_mailbox_once_the_lists_copy_first():
    listed = [mailbox(1, message_per_day=40), mailbox(2)]
    from_campaign = [mailbox(1, message_per_day=99), mailbox(3), {"no": "id"}]
    merged = merge_mailbox_records(listed, from_campaign)
    assert [r.get("id") for r in merged] == [1, 2, 3, None]
    assert merged[0]["message_per_day"] == 40
    assert not leaks(merged)


def test_campaign_links_are_distinct_pairs():
    table = campaign_links({7: [1, 2, 2, None], 8: [], 9: [2]})
    assert table.values.tolist() == [[7, 1], [7, 2], [9, 2]]


# --------------------------------------------------------------------------- any input


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.one_of(
            json_values(),
            st.fixed_dictionaries(
                {
                    "id": json_values(),
                    "message_per_day": json_values(),
                    "type": json_values(),
                    "client_id": json_values(),
                    "warmup_details": json_values(),
                    "password": st.just("pw-LEAK-CANARY-3e8b1d-any"),
                }
            ),
        ),
        max_size=8,
    )
)
def test_any_json_becomes_one_row_per_record_with_the_schema_and_no_password(records):
    frame = mailboxes_frame(records)
    assert len(frame) == len(records)
    assert tuple(frame.columns) == MAILBOX_COLUMNS
    assert "pw-LEAK-CANARY" not in frame_text(frame)
    reputations = frame["warmup_reputation"].dropna()
    assert ((reputations >= 0) & (reputations <= 100)).all()
    assert (frame["daily_cap"].dropna() >= 0).all()


# --------------------------------------------------------------------------- the demo


def test_the_demo_mailboxes_are_deterministic_and_hold_every_case():
    campaigns = demo.demo_campaigns(300)
    first = demo.demo_mailboxes(campaigns)
    assert first == demo.demo_mailboxes(campaigns)
    boxes, links = first
    frame = mailboxes_frame(boxes, demo.demo_clients(), links)
    assert set(frame["connection"]) >= {
        vocab.SMTP_FAILING,
        vocab.IMAP_FAILING,
        vocab.BOTH_FAILING,
        vocab.CONNECTED,
    }
    assert (frame["smtp_error"].notna() == (frame["smtp_ok"] == False)).all()  # noqa: E712
    assert (frame["warmup_status"] == vocab.WARMUP_OFF).any()
    assert (frame["warmup_reputation"] < 90).any()
    assert (frame["daily_cap"] > 50).any()
    assert frame["daily_cap"].isna().any()
    assert (frame["client_name"] == vocab.NO_CLIENT).any()
    assert "YAHOO" in set(frame["provider"])
    assert frame["unreadable_fields"].eq("warmup_reputation").any(), "a reputation of N/A"
    used = {m for ids in links.values() for m in ids}
    assert len(used) < len(boxes), "some are idle"
    assert any(ids == [] for cid, ids in links.items()), "a campaign without mailboxes"
    assert not any("password" in record for record in boxes), "the demo holds no password"


def test_the_benchmark_shape_is_exact():
    campaigns = demo.demo_campaigns(200)
    for record in campaigns:
        record["status"] = "ACTIVE"
    boxes, links = demo.demo_mailboxes(campaigns, size=500, per_campaign=3)
    assert len(boxes) == 500
    assert sum(len(ids) for ids in links.values()) == 600
    assert all(len(set(ids)) == 3 for ids in links.values())
