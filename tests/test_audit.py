"""The audit: each rule fires on a campaign built to break it and stays silent on a clean one.

Also the status scoping, rules that cannot run on a frame, the health score, the CSV export
and a property test feeding arbitrary JSON-like records through the frame and every view.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, timedelta
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from smartlead import audit, campaigns_frame, demo_campaigns, vocab
from smartlead import schedule as sched
from smartlead.frame import KNOWN_FIELDS
from tests import strategies
from tests.builders import campaign

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


CLEAN: dict[str, Any] = {
    "updated_at": (NOW - timedelta(days=2)).isoformat(),  # a draft this fresh is not stale
    "track_settings": ["DONT_EMAIL_OPEN", "DONT_LINK_CLICK"],  # tracks neither opens nor clicks
}
"""What a campaign needs beyond ``builders.campaign``'s well-set defaults to break no rule."""


def clean(campaign_id: int | None, **overrides: Any) -> dict[str, Any]:
    """A campaign that breaks no rule, named after its id; ``overrides`` replace its fields."""
    return campaign(campaign_id, **{"name": f"Clean campaign {campaign_id}", **CLEAN, **overrides})


def days_ago(days: int) -> str:
    return (NOW - timedelta(days=days)).isoformat()


def window(start: str, end: str, days: list[int] | None = None, tz: Any = "Europe/London"):
    return {"tz": tz, "days": days or [1, 2, 3, 4, 5], "startHour": start, "endHour": end}


def fired(frame: pd.DataFrame, rule_id: str, **kwargs: Any) -> list[int]:
    findings = audit.run_audit(frame, now=NOW, **kwargs)
    return findings.loc[findings["rule_id"] == rule_id, "id"].tolist()


def test_a_clean_portfolio_has_no_findings_and_scores_100() -> None:
    frame = campaigns_frame([clean(1), clean(2), clean(3, status="DRAFTED")])
    findings = audit.run_audit(frame, now=NOW)
    assert findings.empty
    assert list(findings.columns) == list(audit.FINDING_COLUMNS)
    score, formula = audit.health_score(frame, findings)
    assert score == 100.0
    assert "100" in formula


def test_rule_ids_are_unique_stable_snake_case() -> None:
    ids = [rule.id for rule in audit.RULES]
    assert len(ids) == len(set(ids))
    assert all(rule_id.replace("_", "").isalpha() and rule_id.islower() for rule_id in ids)
    assert set(ids) >= {
        "open_tracking",
        "click_tracking",
        "no_unsubscribe_text",
        "no_stop_on_reply",
        "weekend_sending",
        "long_send_window",
        "short_gap",
        "active_without_schedule",
        "stale_draft",
        "orphan_subsequence",
        "duplicate_name",
        "limit_outlier",
    }


# --------------------------------------------------------------------------- one rule at a time

BROKEN: list[tuple[str, dict[str, Any], str]] = [
    ("open_tracking", {"track_settings": ["DONT_LINK_CLICK"]}, "tracks opens"),
    ("open_tracking", {"track_settings": []}, "tracks opens and clicks"),
    ("click_tracking", {"track_settings": ["DONT_EMAIL_OPEN"]}, "links rewritten for tracking"),
    ("no_unsubscribe_text", {"unsubscribe_text": ""}, "no unsubscribe text"),
    ("no_unsubscribe_text", {"unsubscribe_text": "   "}, "no unsubscribe text"),
    # SmartLead sends null for a text that was never set: no opt-out either.
    ("no_unsubscribe_text", {"unsubscribe_text": None}, "no unsubscribe text (never set)"),
    ("no_stop_on_reply", {"stop_lead_settings": "OPENED_EMAIL"}, "stops on OPENED_EMAIL"),
    ("no_stop_on_reply", {"stop_lead_settings": "NEVER"}, "stops on NEVER"),
    (
        "weekend_sending",
        {"scheduler_cron_value": window("09:00", "17:00", [1, 2, 3, 4, 5, 6])},
        "sends on Saturday (Mon–Sat)",
    ),
    (
        "weekend_sending",
        {"scheduler_cron_value": window("10:00", "14:00", [0])},
        "sends on Sunday (Sun)",
    ),
    ("long_send_window", {"scheduler_cron_value": window("07:00", "21:00")}, "window 14 h"),
    ("long_send_window", {"scheduler_cron_value": window("20:00", "09:00")}, "window 13 h"),
    ("long_send_window", {"scheduler_cron_value": window("06:30", "19:00")}, "window 12.5 h"),
    ("short_gap", {"min_time_btwn_emails": 2}, "gap 2 min"),
    ("short_gap", {"min_time_btwn_emails": 0}, "gap 0 min"),
    ("active_without_schedule", {"scheduler_cron_value": None}, "no schedule"),
    (
        "unusable_schedule",
        {"scheduler_cron_value": window("09:00", "17:00", tz="Mars/Olympus")},
        "unknown time zone 'Mars/Olympus'",
    ),
    (
        "unusable_schedule",
        {"scheduler_cron_value": window("09:00", "09:00")},
        "window 09:00–09:00 has no length: treated as empty, never sends",
    ),
    (
        "stale_draft",
        {"status": "DRAFTED", "updated_at": (NOW - timedelta(days=45)).isoformat()},
        "untouched for 45 days",
    ),
    ("orphan_subsequence", {"parent_campaign_id": 99}, "parent #99 is not in the portfolio"),
]


@pytest.mark.parametrize(("rule_id", "overrides", "detail"), BROKEN)
def test_rule_fires_on_a_campaign_built_to_break_it(
    rule_id: str, overrides: dict[str, Any], detail: str
) -> None:
    frame = campaigns_frame([clean(1), clean(2, **overrides), clean(3)])
    findings = audit.run_audit(frame, now=NOW)
    mine = findings[findings["rule_id"] == rule_id]
    assert mine["id"].tolist() == [2]
    assert mine["detail"].tolist() == [detail]
    row = mine.iloc[0]
    rule = audit.RULES_BY_ID[rule_id]
    assert (row["severity"], row["title"]) == (rule.severity, rule.title)
    assert row["name"] == "Clean campaign 2"


@pytest.mark.parametrize(
    ("rule_id", "overrides"),
    [
        ("open_tracking", {"track_settings": ["DONT_TRACK_EMAIL_OPEN"]}),  # write-API spelling
        ("open_tracking", {"track_settings": None}),  # unknown is not flagged
        ("click_tracking", {"track_settings": "DONT_EMAIL_OPEN,DONT_LINK_CLICK"}),  # old string
        ("no_stop_on_reply", {"stop_lead_settings": None}),
        ("no_stop_on_reply", {"stop_lead_settings": "reply_to_an_email"}),
        ("weekend_sending", {"scheduler_cron_value": None}),
        ("long_send_window", {"scheduler_cron_value": window("08:00", "20:00")}),  # exactly 12 h
        ("long_send_window", {"scheduler_cron_value": window("09:00", "09:00")}),  # empty, not 24
        ("short_gap", {"min_time_btwn_emails": 3}),
        ("short_gap", {"min_time_btwn_emails": None}),
        ("active_without_schedule", {"scheduler_cron_value": None, "status": "DRAFTED"}),
        (
            "stale_draft",
            {"status": "DRAFTED", "updated_at": (NOW - timedelta(days=29)).isoformat()},
        ),
        (
            "stale_draft",
            {"status": "ACTIVE", "updated_at": (NOW - timedelta(days=400)).isoformat()},
        ),
        ("stale_draft", {"status": "DRAFTED", "updated_at": None}),
        ("orphan_subsequence", {"parent_campaign_id": 1}),  # parent present and ACTIVE
        ("duplicate_name", {"name": ""}),  # empty names are not compared
        ("limit_outlier", {"max_leads_per_day": 150}),  # 3 × the median of 50, not above
    ],
)
def test_rule_stays_silent_on_a_campaign_built_to_pass(
    rule_id: str, overrides: dict[str, Any]
) -> None:
    frame = campaigns_frame([clean(1), clean(2, **overrides), clean(3, name="")])
    assert fired(frame, rule_id) == []


@pytest.mark.parametrize(
    ("tz", "days", "weekend"),
    [
        ("Asia/Riyadh", [0, 1, 2, 3, 4], False),  # Sunday to Thursday: Riyadh's working week
        ("Asia/Riyadh", [0, 1, 2, 3, 4, 5], True),  # ... and Friday, its weekend
        ("America/New_York", [1, 2, 3, 4, 5], False),
        ("America/New_York", [1, 2, 3, 4, 5, 6], True),  # Saturday
        ("Asia/Kathmandu", [0, 1, 2, 3, 4, 5], False),  # Nepal rests on Saturday only
        ("Mars/Olympus", [0], True),  # an unknown zone has the usual weekend
    ],
)
def test_weekend_sending_is_judged_by_the_weekend_where_the_campaign_sends(
    tz: str, days: list[int], weekend: bool
) -> None:
    frame = campaigns_frame([clean(1, scheduler_cron_value=window("09:00", "17:00", days, tz))])
    assert fired(frame, "weekend_sending") == ([1] if weekend else [])


def test_weekend_detail_names_the_days_and_whose_weekend_it_is() -> None:
    frame = campaigns_frame(
        [
            clean(
                1, scheduler_cron_value=window("09:00", "17:00", [0, 1, 2, 3, 4, 5], "Asia/Riyadh")
            ),
            clean(2, scheduler_cron_value=window("09:00", "17:00", [0, 6])),
        ]
    )
    findings = audit.run_audit(frame, now=NOW)
    details = findings.loc[findings["rule_id"] == "weekend_sending", "detail"].tolist()
    assert details == [
        "sends on Friday (Sun–Fri), the weekend in Asia/Riyadh",
        "sends on Saturday and Sunday (Sat, Sun)",
    ]


def test_orphan_when_the_active_child_has_an_idle_parent() -> None:
    frame = campaigns_frame(
        [
            clean(1, status="PAUSED"),
            clean(2, parent_campaign_id=1),  # active child of a paused parent
            clean(3, parent_campaign_id=1, status="PAUSED"),  # paused child: fine
            clean(4, parent_campaign_id=5),  # parent active
            clean(5),
        ]
    )
    findings = audit.run_audit(frame, now=NOW)
    orphans = findings[findings["rule_id"] == "orphan_subsequence"]
    assert orphans["id"].tolist() == [2]
    assert orphans["detail"].tolist() == ["parent #1 is PAUSED"]


def test_duplicate_names_ignore_case_and_spaces() -> None:
    frame = campaigns_frame(
        [
            clean(1, name="Q1 Push"),
            clean(2, name="  q1   PUSH "),
            clean(3, name="Q1 Push 2"),
            clean(4, name="q1 push", status="ARCHIVED"),  # finished: not compared
        ]
    )
    findings = audit.run_audit(frame, now=NOW)
    duplicates = findings[findings["rule_id"] == "duplicate_name"]
    assert duplicates["id"].tolist() == [1, 2]
    assert duplicates["detail"].tolist() == ["same name as 1 other campaign(s)"] * 2


def test_limit_outlier_needs_both_the_factor_and_the_floor() -> None:
    frame = campaigns_frame(
        [
            clean(1, max_leads_per_day=50),
            clean(2, max_leads_per_day=50),
            clean(3, max_leads_per_day=60),
            clean(4, max_leads_per_day=1000),  # 20× the median of 50 → outlier
            clean(5, max_leads_per_day=190, status="PAUSED"),  # 3.8× but under the floor
            clean(6, max_leads_per_day=5000, status="COMPLETED"),  # finished: not audited
        ]
    )
    findings = audit.run_audit(frame, now=NOW)
    outliers = findings[findings["rule_id"] == "limit_outlier"]
    assert outliers["id"].tolist() == [4]
    assert outliers["detail"].tolist() == ["1000/day, 18.2× the active median of 55"]
    lower_floor = dataclasses.replace(audit.DEFAULT_SETTINGS, limit_outlier_floor=100)
    assert fired(frame, "limit_outlier", settings=lower_floor) == [4, 5]


def test_subsequences_in_a_frame_without_ids() -> None:
    frame = campaigns_frame([clean(None, parent_campaign_id=5), clean(None)])
    assert fired(frame, "orphan_subsequence") == [pd.NA]


def test_limit_outlier_is_silent_without_active_limits() -> None:
    frame = campaigns_frame([clean(1, status="PAUSED", max_leads_per_day=10_000)])
    assert fired(frame, "limit_outlier") == []


def test_settings_move_the_thresholds() -> None:
    frame = campaigns_frame(
        [clean(1, scheduler_cron_value=window("07:00", "21:00"), min_time_btwn_emails=4)]
    )
    assert fired(frame, "long_send_window") == [1]
    relaxed = dataclasses.replace(audit.DEFAULT_SETTINGS, max_window_hours=15, min_gap_minutes=5)
    assert fired(frame, "long_send_window", settings=relaxed) == []
    assert fired(frame, "short_gap", settings=relaxed) == [1]


def test_finished_campaigns_are_not_audited_for_settings() -> None:
    broken = {"track_settings": [], "unsubscribe_text": "", "stop_lead_settings": "NEVER"}
    frame = campaigns_frame(
        [
            clean(1, status="ARCHIVED", **broken),
            clean(2, status="COMPLETED", **broken),
            clean(3, status="STOPPED", **broken),
            clean(4, status="WARMING_UP", **broken),  # unknown status: may send, audited
            clean(5, status=None, **broken),  # no status at all: UNKNOWN, audited
            clean(6, status="PAUSED", **broken),
        ]
    )
    for rule_id in ("open_tracking", "click_tracking", "no_unsubscribe_text", "no_stop_on_reply"):
        assert fired(frame, rule_id) == [4, 5, 6]


def test_findings_are_sorted_by_severity_then_rule() -> None:
    frame = campaigns_frame(
        [clean(1, min_time_btwn_emails=1), clean(2, unsubscribe_text="", track_settings=[])]
    )
    findings = audit.run_audit(frame, now=NOW)
    assert findings["rule_id"].tolist() == [
        "no_unsubscribe_text",
        "open_tracking",
        "click_tracking",
        "short_gap",
    ]
    assert findings["severity"].tolist() == ["high", "medium", "medium", "medium"]
    assert findings["severity"].cat.ordered


def test_now_defaults_to_the_current_time_and_accepts_naive_times() -> None:
    old = (datetime.now(UTC) - timedelta(days=90)).isoformat()
    frame = campaigns_frame([clean(1, status="DRAFTED", updated_at=old)])
    assert audit.run_audit(frame)["rule_id"].tolist() == ["stale_draft"]
    tomorrow_naive = (datetime.now(UTC) + timedelta(days=1)).replace(tzinfo=None)
    assert audit.run_audit(frame, now=tomorrow_naive)["rule_id"].tolist() == ["stale_draft"]
    long_ago_naive = (datetime.now(UTC) - timedelta(days=80)).replace(tzinfo=None)
    assert audit.run_audit(frame, now=long_ago_naive).empty


# --------------------------------------------------------------------------- extending the rules


def _bounce_rate_high(frame: pd.DataFrame, settings: Any, now: pd.Timestamp) -> pd.Series:
    return frame["bounce_rate"] > 0.05


BOUNCE_RULE = audit.Rule(
    id="test_bounce_rule",
    severity="high",
    title="Bounce rate above 5 %",
    explanation="Test rule reading an optional metric column.",
    predicate=_bounce_rate_high,
    detail=lambda frame, settings, now: "bounce " + frame["bounce_rate"].astype("string"),
    requires=("bounce_rate",),
    statuses=("ACTIVE",),
)


def test_a_rule_with_missing_columns_is_not_evaluated() -> None:
    frame = campaigns_frame([clean(1)])
    rules = (*audit.RULES, BOUNCE_RULE)
    findings = audit.run_audit(frame, now=NOW, rules=rules)
    assert findings.empty
    skipped = audit.not_evaluated(frame, rules)
    assert skipped.to_dict("list") == {
        "rule_id": [
            "high_bounce_rate",
            "no_leads_left",
            "no_replies",
            "runway_short",
            "paused_leads_waiting",
            "test_bounce_rule",
        ],
        "title": [
            "High bounce rate",
            "Active campaign with no leads left",
            "Active campaign without replies",
            "Runs out of leads within a week",
            "Paused campaign with many leads waiting",
            "Bounce rate above 5 %",
        ],
        "missing": [
            "window_bounce_rate, window_sent",
            "leads_not_started",
            "window_replied, window_sent",
            "runway_days, runway_date, runway_basis",
            "leads_not_started",
            "bounce_rate",
        ],
    }
    summary = audit.summarize(findings, rules, frame=frame).set_index("rule_id")
    assert not summary.loc["test_bounce_rule", "evaluated"]
    assert summary.loc["test_bounce_rule", "note"] == "not evaluated: needs bounce_rate"
    assert summary.loc["open_tracking", "evaluated"]


def test_a_rule_with_its_columns_runs_like_the_others() -> None:
    frame = campaigns_frame([clean(1), clean(2), clean(3, status="PAUSED")])
    frame["bounce_rate"] = pd.array([0.01, 0.2, pd.NA], dtype="Float64")
    findings = audit.run_audit(frame, now=NOW, rules=(*audit.RULES, BOUNCE_RULE))
    assert findings["rule_id"].tolist() == ["test_bounce_rule"]
    assert findings["id"].tolist() == [2]
    assert findings["detail"].tolist() == ["bounce 0.2"]


def test_a_predicate_of_the_wrong_length_is_refused() -> None:
    bad = dataclasses.replace(
        BOUNCE_RULE, requires=(), predicate=lambda frame, settings, now: pd.Series([True])
    )
    with pytest.raises(ValueError, match="test_bounce_rule"):
        audit.run_audit(campaigns_frame([clean(1), clean(2)]), now=NOW, rules=(bad,))


def test_a_rule_with_an_unknown_severity_is_refused() -> None:
    with pytest.raises(ValueError, match="severity"):
        dataclasses.replace(BOUNCE_RULE, severity="critical")


# --------------------------------------------------------------------------- summary, score, csv


def test_summarize_counts_campaigns_per_rule() -> None:
    frame = campaigns_frame(
        [clean(1, track_settings=[]), clean(2, track_settings=[]), clean(3, unsubscribe_text="")]
    )
    findings = audit.run_audit(frame, now=NOW)
    summary = audit.summarize(findings, frame=frame)
    assert list(summary.columns) == list(audit.SUMMARY_COLUMNS)
    assert len(summary) == len(audit.RULES)
    counts = summary.set_index("rule_id")["campaigns"]
    assert counts["open_tracking"] == 2
    assert counts["click_tracking"] == 2
    assert counts["no_unsubscribe_text"] == 1
    assert counts["short_gap"] == 0
    assert summary["severity"].tolist() == sorted(
        summary["severity"].tolist(), key=vocab.SEVERITIES.index
    )
    assert summary.set_index("rule_id").loc["stale_draft", "applies_to"] == "DRAFTED"


def test_health_score_by_hand() -> None:
    # Two campaigns in play (the archived one is not); campaign 1 has one high finding (3).
    frame = campaigns_frame(
        [clean(1, unsubscribe_text=""), clean(2), clean(3, status="ARCHIVED", track_settings=[])]
    )
    findings = audit.run_audit(frame, now=NOW)
    score, formula = audit.health_score(frame, findings)
    assert score == 75.0  # 100 × (1 − 3 ÷ (6 × 2))
    assert formula.startswith("75 = 100 × (1 − 3 ÷ (6 × 2 campaigns in play))")


def test_health_score_caps_each_campaign() -> None:
    everything = {
        "track_settings": [],
        "unsubscribe_text": "",
        "stop_lead_settings": "NEVER",
        "min_time_btwn_emails": 1,
    }
    frame = campaigns_frame([clean(1, **everything)])
    findings = audit.run_audit(frame, now=NOW)
    assert len(findings) == 5  # 3 + 3 + 2 + 2 + 2 = 12, capped at 6
    assert audit.health_score(frame, findings)[0] == 0.0


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_health_score_is_monotonic_in_findings(data: st.DataObject) -> None:
    frame = campaigns_frame(demo_campaigns(60, seed=data.draw(st.integers(0, 5))))
    findings = audit.run_audit(frame, now=NOW)
    size = len(findings)
    subset = sorted(data.draw(st.sets(st.integers(0, max(size - 1, 0)), max_size=size)))
    fewer = findings.iloc[[i for i in subset if i < size]]
    assert audit.health_score(frame, fewer)[0] >= audit.health_score(frame, findings)[0]
    assert audit.health_score(frame, findings.iloc[:0])[0] == 100.0
    # Making findings more severe never raises the score either.
    harsher = findings.copy()
    harsher["severity"] = pd.Categorical(["high"] * size, dtype=audit.SEVERITY_DTYPE)
    assert audit.health_score(frame, harsher)[0] <= audit.health_score(frame, findings)[0]


def test_findings_csv_neutralises_formulas() -> None:
    frame = campaigns_frame(
        [clean(1, name='=HYPERLINK("http://x.invalid","hi")', track_settings=[])]
    )
    data = audit.findings_csv(audit.run_audit(frame, now=NOW))
    text = data.decode("utf-8-sig")
    assert text.splitlines()[0] == ",".join(audit.FINDING_COLUMNS)
    assert "'=HYPERLINK" in text
    assert ",=HYPERLINK" not in text


def test_empty_frame_gives_empty_findings_with_the_right_columns() -> None:
    frame = campaigns_frame([])
    findings = audit.run_audit(frame, now=NOW)
    assert findings.empty
    assert list(findings.columns) == list(audit.FINDING_COLUMNS)
    assert audit.summarize(findings, frame=frame)["campaigns"].sum() == 0
    assert audit.health_score(frame, findings)[0] == 100.0
    assert audit.findings_csv(findings).decode("utf-8-sig").strip() == ",".join(
        audit.FINDING_COLUMNS
    )


def test_demo_portfolio_audit() -> None:
    frame = campaigns_frame(demo_campaigns(500, seed=7))
    findings = audit.run_audit(frame, now=NOW)
    assert set(findings["id"].dropna()) <= set(frame["id"].dropna())
    assert not findings.duplicated(["rule_id", "id"]).any()
    score, _ = audit.health_score(frame, findings)
    assert 0 <= score < 100
    summary = audit.summarize(findings, frame=frame)
    metric_rules = {
        "high_bounce_rate",
        "no_replies",
        "no_leads_left",
        "runway_short",
        "paused_leads_waiting",
    }
    assert summary.loc[~summary["rule_id"].isin(metric_rules), "evaluated"].all()
    assert not summary.loc[summary["rule_id"].isin(metric_rules), "evaluated"].any(), (
        "without performance figures the metric rules say they were not evaluated"
    )
    assert summary["campaigns"].sum() == len(findings)


def with_performance(frame: pd.DataFrame, figures: dict[int, dict]) -> pd.DataFrame:
    from smartlead.rates import with_metrics

    return with_metrics(frame, figures)


def test_high_bounce_rate_fires_above_five_percent_from_100_leads() -> None:
    frame = campaigns_frame([clean(1), clean(2), clean(3), clean(4, status="COMPLETED")])
    figures = {
        1: {"unique_sent_count": 400, "bounce_count": 40, "reply_count": 9},  # 10 %: fires
        2: {"unique_sent_count": 400, "bounce_count": 8, "reply_count": 9},  # 2 %: passes
        3: {"unique_sent_count": 50, "bounce_count": 25, "reply_count": 1},  # too few leads
        4: {"unique_sent_count": 400, "bounce_count": 80, "reply_count": 9},  # finished
    }
    findings = audit.run_audit(with_performance(frame, figures), now=NOW)
    bounced = findings[findings["rule_id"] == "high_bounce_rate"]
    assert bounced["id"].tolist() == [1]
    assert bounced["detail"].tolist() == ["bounce rate 10 % of 400 leads"]


def test_no_replies_fires_on_active_campaigns_after_200_leads() -> None:
    frame = campaigns_frame([clean(1), clean(2), clean(3), clean(4, status="PAUSED")])
    figures = {
        1: {"unique_sent_count": 250, "bounce_count": 0, "reply_count": 0},  # fires
        2: {"unique_sent_count": 250, "bounce_count": 0, "reply_count": 3},  # has replies
        3: {"unique_sent_count": 150, "bounce_count": 0, "reply_count": 0},  # too early
        4: {"unique_sent_count": 900, "bounce_count": 0, "reply_count": 0},  # not active
    }
    findings = audit.run_audit(with_performance(frame, figures), now=NOW)
    silent = findings[findings["rule_id"] == "no_replies"]
    assert silent["id"].tolist() == [1]
    assert silent["detail"].tolist() == ["no reply from 250 leads contacted"]


def with_window_figures(frame: pd.DataFrame, rows: list[dict]) -> pd.DataFrame:
    from smartlead.window import CampaignChunk, Window, campaign_metrics, with_window

    window = Window(date(2026, 10, 29), date(2026, 11, 27))
    return with_window(frame, campaign_metrics(window, [CampaignChunk(window, tuple(rows))]))


def test_with_window_figures_the_bounce_rule_reads_the_window_per_email_sent() -> None:
    from tests.builders import campaign_window_row

    frame = campaigns_frame([clean(1), clean(2), clean(3), clean(4, status="COMPLETED")])
    all_time = {cid: {"unique_sent_count": 400, "bounce_count": 80} for cid in (1, 2, 3, 4)}
    rows = [
        campaign_window_row(1, sent=500, bounced=20),  # 4 % of emails: fires
        campaign_window_row(2, sent=500, bounced=10),  # 2 %: passes
        campaign_window_row(3, sent=100, bounced=30),  # too few emails in the window
        campaign_window_row(4, sent=500, bounced=100),  # finished
    ]
    both = with_window_figures(with_performance(frame, all_time), rows)
    findings = audit.run_audit(both, now=NOW)
    bounced = findings[findings["rule_id"] == "high_bounce_rate"]
    assert bounced["id"].tolist() == [1], "the window wins over the all-time 20 %"
    assert bounced["detail"].tolist() == ["bounce rate 4 % of 500 emails sent in the window"]
    summary = audit.summarize(findings, frame=both).set_index("rule_id")
    assert summary.loc["high_bounce_rate", "evaluated"]


def test_with_window_figures_no_replies_reads_the_window() -> None:
    from tests.builders import campaign_window_row

    frame = campaigns_frame([clean(1), clean(2), clean(3)])
    rows = [
        campaign_window_row(1, sent=400, replied=0),  # fires
        campaign_window_row(2, sent=400, replied=2),  # replies
        campaign_window_row(3, sent=120, replied=0),  # too few emails
    ]
    findings = audit.run_audit(with_window_figures(frame, rows), now=NOW)
    silent = findings[findings["rule_id"] == "no_replies"]
    assert silent["id"].tolist() == [1]
    assert silent["detail"].tolist() == ["no reply to 400 emails sent in the window"]


def test_window_thresholds_are_settings() -> None:
    from tests.builders import campaign_window_row

    frame = with_window_figures(
        campaigns_frame([clean(1)]), [campaign_window_row(1, sent=500, bounced=20)]
    )
    lenient = dataclasses.replace(audit.DEFAULT_SETTINGS, max_window_bounce_rate=0.05)
    assert "high_bounce_rate" in set(audit.run_audit(frame, now=NOW)["rule_id"])
    assert "high_bounce_rate" not in set(audit.run_audit(frame, lenient, now=NOW)["rule_id"])


# --------------------------------------------------------------------------- arbitrary records

json_values = strategies.json_values(max_leaves=6)
zones = st.sampled_from(
    ["UTC", "America/New_York", "Asia/Kolkata", "Europe/London", "Mars/Olympus", "", " ", "utc"]
)
clocks = st.one_of(
    st.sampled_from(["09:00", "17:30", "22:00", "06:00", "24:00", "00:00", "9", "25:00", "x"]),
    json_values,
)
schedules = st.one_of(
    json_values,
    st.fixed_dictionaries(
        {
            "tz": st.one_of(zones, json_values),
            "days": st.one_of(st.lists(st.integers(-2, 8), max_size=8), json_values),
            "startHour": clocks,
            "endHour": clocks,
        }
    ),
)
field_values: dict[str, st.SearchStrategy[Any]] = {
    "id": st.one_of(st.integers(1, 12), json_values),
    "parent_campaign_id": st.one_of(st.integers(1, 14), st.none(), json_values),
    "status": st.one_of(
        st.sampled_from(["ACTIVE", "PAUSED", "DRAFTED", "DRAFT", "ARCHIVED", "WARMING_UP"]),
        json_values,
    ),
    "name": st.one_of(st.sampled_from(["A", "a ", "=1+1", "", "B"]), json_values),
    "scheduler_cron_value": schedules,
    "track_settings": st.one_of(
        st.lists(st.sampled_from(["DONT_EMAIL_OPEN", "DONT_LINK_CLICK", "X"]), max_size=3),
        json_values,
    ),
    "tags": st.one_of(
        st.lists(
            st.fixed_dictionaries(
                {"tag_id": st.integers(1, 3), "tag_name": st.sampled_from(["Q1", "US", ""])}
            ),
            max_size=3,
        ),
        json_values,
    ),
    "updated_at": st.one_of(
        st.sampled_from(["2026-01-01T00:00:00Z", "2020-05-05T10:00:00.000Z", "yesterday"]),
        json_values,
    ),
}
records = st.lists(
    st.one_of(
        json_values,
        st.fixed_dictionaries(
            {},
            optional={
                field: field_values.get(field, json_values) for field in sorted(KNOWN_FIELDS)
            },
        ),
    ),
    max_size=8,
)


@settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(payload=records, week=st.dates(date(2025, 1, 1), date(2027, 12, 31)))
def test_arbitrary_records_never_break_the_views(payload: list[Any], week: date) -> None:
    frame = campaigns_frame(payload)
    ids = set(frame["id"].dropna().tolist())

    heatmap = sched.weekly_heatmap(frame, week, "America/New_York", statuses=None)
    assert len(heatmap) == 168
    assert heatmap["campaigns"].between(0, len(frame)).all()
    for by in ("client_name", "tags", "status"):
        capacity = sched.daily_capacity(frame, by=by, statuses=None)
        weekly = sched.weekly_capacity(frame, by=by, statuses=None)
        assert capacity["daily_limit"].sum() == weekly.by_group["weekly_limit"].sum()
        assert (capacity["daily_limit"] >= 0).all()
    sched.off_hours(frame, "Asia/Kolkata", week, statuses=None)
    problems = sched.schedule_problems(frame)
    assert set(problems["id"].dropna().tolist()) <= ids
    assert set(sched.unscheduled_active(frame)["id"].dropna().tolist()) <= ids

    findings = audit.run_audit(frame, now=NOW)
    assert list(findings.columns) == list(audit.FINDING_COLUMNS)
    assert set(findings["id"].dropna().tolist()) <= ids
    assert len(findings) <= len(frame) * len(audit.RULES)
    summary = audit.summarize(findings, frame=frame)
    assert len(summary) == len(audit.RULES)
    score, _ = audit.health_score(frame, findings)
    assert 0.0 <= score <= 100.0
    assert audit.findings_csv(findings).startswith(b"\xef\xbb\xbf")
    assert np.isfinite(heatmap["campaign_hours"]).all()
