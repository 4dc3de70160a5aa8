"""The capacity ledger: the plan, the sharing rule and its conservation, unknowns kept unknown."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from smartlead import demo, vocab
from smartlead.filters import Filters
from smartlead.frame import campaigns_frame
from smartlead.ledger import (
    DEFAULT_MAILBOX_SETTINGS,
    MailboxFilters,
    build_ledger,
    campaigns_in_view,
    filter_mailboxes,
    group_summary,
    ledger_kpis,
    mailbox_options,
    mailboxes_in_view,
    planned_volume,
)
from smartlead.mailboxes import mailboxes_frame
from tests.builders import campaign, mailbox, sample_campaigns, sample_clients, sample_mailboxes

EPSILON = 1e-6


def sample_ledger(**changes):
    boxes, links = sample_mailboxes()
    frame = campaigns_frame(sample_campaigns(), sample_clients())
    mailboxes = mailboxes_frame(boxes, sample_clients(), links)
    return build_ledger(frame, mailboxes, changes.get("links", links), changes.get("unknown"))


def by_id(table: pd.DataFrame) -> pd.DataFrame:
    return table.set_index("id")


# --------------------------------------------------------------------------- the plan


@pytest.mark.parametrize(
    ("limit", "follow_ups", "planned"),
    [
        (40, 50, 80.0),
        (40, 0, 40.0),
        (40, None, 40.0),  # no follow-up share: new leads only
        (40, 100, 200.0),  # capped at 80 %: five emails a day per new lead
        (30, 90, 150.0),
        (0, 40, 0.0),
        (None, 40, None),  # no daily limit: no plan
        (-5, 40, None),
    ],
)
def test_planned_volume_is_new_leads_over_the_share_left_by_follow_ups(limit, follow_ups, planned):
    frame = campaigns_frame([campaign(1, max_leads_per_day=limit, follow_up_percentage=follow_ups)])
    got = planned_volume(frame).iloc[0]
    if planned is None:
        assert pd.isna(got)
    else:
        assert got == pytest.approx(planned)


def test_the_follow_up_cap_is_a_setting():
    frame = campaigns_frame([campaign(1, max_leads_per_day=10, follow_up_percentage=100)])
    looser = replace(DEFAULT_MAILBOX_SETTINGS, max_follow_up_share=0.9)
    assert planned_volume(frame, looser).iloc[0] == pytest.approx(100.0)


# --------------------------------------------------------------------------- the sharing rule


def test_a_shared_mailbox_is_split_in_proportion_to_what_each_campaign_asks_of_it():
    ledger = sample_ledger()
    campaigns = by_id(ledger.campaigns)
    # 105 and 104 plan 50 / (1 − 0.4) = 83.3 a day. 105 spreads it over 501, 502 and 506
    # (27.8 each); 104 asks all of it of 501. 501's cap of 40 goes 10 to 105, 30 to 104.
    assert campaigns.loc[105, "planned"] == pytest.approx(250 / 3)
    shares = ledger.shares.set_index(["campaign_id", "mailbox_id"])["share"]
    assert shares[(105, 501)] == pytest.approx(10.0)
    assert shares[(104, 501)] == pytest.approx(30.0)
    assert campaigns.loc[105, "capacity"] == pytest.approx(10 + 30 + 120)
    assert campaigns.loc[105, "shortfall"] == 0
    assert campaigns.loc[104, "capacity"] == pytest.approx(30.0)
    assert campaigns.loc[104, "shortfall"] == pytest.approx(250 / 3 - 30)
    assert campaigns.loc[104, "cap_sum"] == 40, "its mailboxes' caps before sharing"
    mailboxes = by_id(ledger.mailboxes)
    assert mailboxes.loc[501, "demand"] == pytest.approx(250 / 9 + 250 / 3)
    assert bool(mailboxes.loc[501, "over_committed"]) is True
    assert bool(mailboxes.loc[506, "over_committed"]) is False
    assert mailboxes.loc[501, "active_campaigns"] == 2


def test_a_campaign_whose_mailboxes_all_have_room_gets_at_least_its_plan():
    frame = campaigns_frame([campaign(1, max_leads_per_day=30, follow_up_percentage=0)])
    boxes = mailboxes_frame([mailbox(1, message_per_day=50), mailbox(2, message_per_day=50)])
    ledger = build_ledger(frame, boxes, {1: [1, 2]})
    assert ledger.campaigns.loc[0, "capacity"] == pytest.approx(100.0), "it may draw every cap"
    assert ledger.campaigns.loc[0, "shortfall"] == 0
    assert ledger.campaigns.loc[0, "coverage"] == pytest.approx(100 / 30)


def test_mailboxes_whose_campaigns_plan_nothing_split_their_cap_equally():
    frame = campaigns_frame([campaign(1, max_leads_per_day=0), campaign(2, max_leads_per_day=None)])
    ledger = build_ledger(
        frame, mailboxes_frame([mailbox(9, message_per_day=40)]), {1: [9], 2: [9]}
    )
    assert ledger.shares["share"].tolist() == [20.0, 20.0]
    assert ledger.campaigns["shortfall"].iloc[0] == 0
    assert pd.isna(ledger.campaigns["shortfall"].iloc[1]), "no plan, no shortfall"
    assert "No daily limit is set" in ledger.campaigns["note"].iloc[1]


def test_paused_campaigns_draw_nothing_but_keep_their_mailboxes_in_use():
    ledger = sample_ledger()
    paused = by_id(ledger.campaigns).loc[103]
    assert pd.isna(paused["capacity"])
    assert paused["note"] == "Paused: it draws no capacity until it is resumed."
    mailbox_503 = by_id(ledger.mailboxes).loc[503]
    assert mailbox_503["usage"] == vocab.ONLY_PAUSED
    assert bool(mailbox_503["idle"]) is True, "idle means in no active campaign"
    assert mailbox_503["demand"] == 0


def test_idle_mailboxes_and_a_null_cap_are_said_in_words():
    mailboxes = by_id(sample_ledger().mailboxes)
    assert mailboxes.loc[504, "usage"] == mailboxes.loc[505, "usage"] == vocab.IDLE
    assert mailboxes.loc[505, "note"] == "No daily cap is set (counted as 0)."
    assert mailboxes.loc[505, "spare"] == 0


def test_a_campaign_with_no_mailbox_cannot_send():
    frame = campaigns_frame([campaign(1, max_leads_per_day=20, follow_up_percentage=0)])
    ledger = build_ledger(frame, mailboxes_frame([mailbox(5)]), {1: []})
    row = ledger.campaigns.iloc[0]
    assert row["mailboxes"] == 0
    assert row["capacity"] == 0
    assert row["shortfall"] == 20
    assert row["note"] == "No mailbox is attached, so it cannot send."


def test_a_campaign_whose_list_failed_stays_unknown_and_says_why():
    links = {105: [501, 502, 506], 103: [503]}  # 104's list failed
    ledger = sample_ledger(links=links, unknown={104: "SmartLead had a server problem."})
    row = by_id(ledger.campaigns).loc[104]
    assert pd.isna(row["capacity"])
    assert pd.isna(row["shortfall"])
    assert pd.isna(row["mailboxes"])
    assert row["note"] == "Its mailboxes are unknown: SmartLead had a server problem."
    assert any("1 active or paused campaign are unknown" in n for n in ledger.notices)
    mailboxes = by_id(ledger.mailboxes)
    # 504 and 505: SmartLead counts them in no campaign, so they are idle for certain.
    assert mailboxes.loc[504, "usage"] == vocab.IDLE
    assert bool(mailboxes.loc[505, "idle"]) is True
    # 501 is in 105 (active) anyway; 503 is only known in the paused 103, and SmartLead
    # counts it in one campaign, which is accounted for: not unknown either.
    assert mailboxes.loc[503, "usage"] == vocab.ONLY_PAUSED


def test_a_mailbox_that_may_serve_an_unknown_campaign_is_not_called_idle():
    frame = campaigns_frame([campaign(1), campaign(2)])
    boxes = mailboxes_frame([mailbox(7, campaign_count=1), mailbox(8, campaign_count=None)])
    ledger = build_ledger(frame, boxes, {1: []}, {2: "timed out"})
    mailboxes = by_id(ledger.mailboxes)
    for mailbox_id in (7, 8):
        assert mailboxes.loc[mailbox_id, "usage"] == vocab.USAGE_UNKNOWN
        assert pd.isna(mailboxes.loc[mailbox_id, "idle"])
    assert "could not be fetched" in mailboxes.loc[7, "note"]
    assert ledger_kpis(ledger.mailboxes, ledger.campaigns)["usage_unknown"] == 2


def test_a_campaign_not_fetched_at_all_is_unknown_too():
    frame = campaigns_frame([campaign(1)])
    ledger = build_ledger(frame, mailboxes_frame([]), {})
    assert (
        ledger.campaigns.loc[0, "note"] == "Its mailboxes are unknown: their list was not fetched."
    )


def test_links_to_mailboxes_missing_from_the_list_count_as_no_capacity():
    frame = campaigns_frame([campaign(1, max_leads_per_day=20, follow_up_percentage=0)])
    ledger = build_ledger(frame, mailboxes_frame([mailbox(5, message_per_day=50)]), {1: [5, 6]})
    row = ledger.campaigns.iloc[0]
    assert row["mailboxes"] == 2
    assert row["capacity"] == 50
    assert "1 of its mailboxes is not in the account's mailbox list" in row["note"]
    assert any("missing from the account's mailbox list" in n for n in ledger.notices)


def test_campaigns_in_other_statuses_are_mentioned_on_their_mailboxes():
    frame = campaigns_frame([campaign(1)])
    boxes = mailboxes_frame([mailbox(5, campaign_count=3)], links={1: [5]})
    ledger = build_ledger(frame, boxes, {1: [5]})
    assert ledger.mailboxes.loc[0, "note"] == (
        "Also in 2 campaigns that are neither active nor paused."
    )


# --------------------------------------------------------------------------- conservation

statuses = st.sampled_from([vocab.ACTIVE, vocab.ACTIVE, vocab.PAUSED])


@st.composite
def portfolios(draw):
    """A random account: campaigns, mailboxes with caps (some unset), and who uses what."""
    campaign_count = draw(st.integers(1, 6))
    mailbox_count = draw(st.integers(1, 8))
    records = [
        campaign(
            cid,
            status=draw(statuses),
            max_leads_per_day=draw(st.one_of(st.none(), st.integers(0, 300))),
            follow_up_percentage=draw(st.one_of(st.none(), st.integers(0, 100))),
        )
        for cid in range(1, campaign_count + 1)
    ]
    boxes = [
        mailbox(100 + m, message_per_day=draw(st.one_of(st.none(), st.integers(0, 120))))
        for m in range(mailbox_count)
    ]
    everyone = [100 + m for m in range(mailbox_count)]
    links = {
        cid: draw(st.lists(st.sampled_from(everyone), unique=True, max_size=mailbox_count))
        for cid in range(1, campaign_count + 1)
    }
    return records, boxes, links


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(portfolios())
def test_the_capacity_handed_out_never_exceeds_the_caps_and_adds_up(portfolio):
    records, boxes, links = portfolio
    frame = campaigns_frame(records)
    mailboxes = mailboxes_frame(boxes, links=links)
    ledger = build_ledger(frame, mailboxes, links)
    caps = mailboxes.set_index("id")["daily_cap"].astype("Float64").fillna(0.0)
    shares = ledger.shares
    handed = shares.groupby("mailbox_id")["share"].sum()
    for mailbox_id, total in handed.items():
        assert total <= caps[mailbox_id] + EPSILON, "a mailbox gives out at most its cap"
        assert total == pytest.approx(float(caps[mailbox_id])), "and all of it when drawn on"
    campaigns = by_id(ledger.campaigns)
    drawn = shares.groupby("campaign_id")["share"].sum()
    active = campaigns[campaigns["status"] == vocab.ACTIVE]
    for cid, row in active.iterrows():
        assert row["capacity"] == pytest.approx(float(drawn.get(cid, 0.0)), abs=EPSILON)
        planned = 0.0 if pd.isna(row["planned"]) else float(row["planned"])
        if not pd.isna(row["planned"]):
            assert row["shortfall"] == pytest.approx(max(0.0, planned - row["capacity"]), abs=1e-6)
        mailbox_rows = by_id(ledger.mailboxes).loc[[m for m in links[cid]]]
        room = (mailbox_rows["demand"] <= caps[mailbox_rows.index] + EPSILON).all()
        if room and len(mailbox_rows):
            assert row["capacity"] >= planned - EPSILON, "room everywhere: the plan fits"
    demand = shares.groupby("mailbox_id")["demand"].sum()
    mailbox_table = by_id(ledger.mailboxes)
    for mailbox_id, row in mailbox_table.iterrows():
        assert row["demand"] == pytest.approx(float(demand.get(mailbox_id, 0.0)), abs=EPSILON)
        assert bool(row["over_committed"]) == (row["demand"] > caps[mailbox_id] + 1e-9)
    total_capacity = float(active["capacity"].fillna(0).sum())
    assert total_capacity <= float(caps.sum()) + EPSILON


def test_ten_thousand_mailboxes_are_all_kept_and_conserved():
    campaigns = demo.demo_campaigns(3_000)
    boxes, links = demo.demo_mailboxes(campaigns, size=10_000, per_campaign=4)
    frame = campaigns_frame(campaigns, demo.demo_clients())
    mailboxes = mailboxes_frame(boxes, demo.demo_clients(), links)
    ledger = build_ledger(frame, mailboxes, links)
    assert len(ledger.mailboxes) == 10_000
    caps = ledger.mailboxes.set_index("id")["daily_cap"].astype("Float64").fillna(0.0)
    handed = ledger.shares.groupby("mailbox_id")["share"].sum()
    assert (handed <= caps[handed.index] + EPSILON).all()
    assert np.isclose(handed.sum(), caps[handed.index].sum())


# --------------------------------------------------------------------------- summaries, views


def test_per_client_and_per_domain_summaries():
    ledger = sample_ledger()
    clients = group_summary(ledger, "client_name").set_index("client_name")
    acme = clients.loc["Acme Corp"]
    assert acme["mailboxes"] == 3
    assert acme["capacity"] == 40 + 30 + 120
    assert acme["active_campaigns"] == 2
    assert acme["planned"] == pytest.approx(2 * 250 / 3)
    assert acme["shortfall"] == pytest.approx(250 / 3 - 30)
    assert acme["over_committed"] == 1
    assert acme["unhealthy"] == 1, "506's reputation of 82 % is under 90 %"
    northwind = clients.loc["Northwind Clinics"]
    assert (northwind["idle"], northwind["disconnected"], northwind["active_campaigns"]) == (
        2,
        1,
        0,
    )
    assert clients.loc[vocab.NO_CLIENT, "mailboxes"] == 1
    domains = group_summary(ledger, "domain").set_index("domain")
    assert domains.loc["acme-mail.example", "capacity"] == 190
    assert domains.loc["northwind.example", "utilisation"] == 0


def test_the_page_numbers_follow_the_mailboxes_and_campaigns_given():
    ledger = sample_ledger()
    kpis = ledger_kpis(ledger.mailboxes, ledger.campaigns)
    assert kpis["mailboxes"] == 6
    assert kpis["capacity"] == 40 + 30 + 50 + 50 + 120
    assert kpis["planned"] == pytest.approx(2 * 250 / 3)
    assert kpis["short_campaigns"] == 1
    assert (kpis["idle"], kpis["only_paused"], kpis["disconnected"]) == (3, 1, 1)


def test_mailbox_filters_narrow_the_table():
    ledger = sample_ledger()
    options = mailbox_options(ledger.mailboxes)
    assert options.providers == ("SMTP", "GMAIL", "OUTLOOK")
    assert options.warmup == (vocab.WARMUP_ON, vocab.WARMUP_OFF)

    def ids(**criteria):
        return filter_mailboxes(ledger.mailboxes, MailboxFilters(**criteria))["id"].tolist()

    assert ids() == [501, 502, 503, 504, 505, 506]
    assert ids(providers=("OUTLOOK",)) == [502]
    assert ids(domains=("northwind.example",)) == [503, 504]
    assert ids(connections=(vocab.SMTP_FAILING,)) == [503]
    assert ids(warmup=(vocab.WARMUP_OFF,)) == [504]
    assert ids(uses=(vocab.IDLE,)) == [504, 505]
    assert ids(campaigns=(104,)) == [501]
    assert ids(campaigns=(105,), providers=("GMAIL",)) == [501, 506]


def test_the_shared_filters_pick_clients_mailboxes_and_the_campaigns_in_views():
    ledger = sample_ledger()
    frame = campaigns_frame(sample_campaigns(), sample_clients())

    def shown(filters: Filters) -> list[int]:
        from smartlead.filters import apply_filters

        view = apply_filters(frame, filters)
        return mailboxes_in_view(ledger.mailboxes, view, filters)["id"].tolist()

    assert shown(Filters()) == [501, 502, 503, 504, 505, 506], "idle ones too"
    assert shown(Filters(clients=("Northwind Clinics",))) == [503, 504]
    assert shown(Filters(statuses=("PAUSED",))) == [503]
    assert shown(Filters(name_contains="follow-up")) == [501]
    view = frame[frame["status"] == "ACTIVE"]
    assert campaigns_in_view(ledger, view)["id"].tolist() == [105, 104]
