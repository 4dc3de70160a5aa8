"""Arbitrary JSON-shaped campaigns through every stage: frame, filters, schedule, audit, diff,
exports. Nothing may raise, and no campaign may be lost on the way."""

from __future__ import annotations

import json
from datetime import date

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from smartlead import audit, schedule
from smartlead.export import to_csv_bytes, to_json_bytes
from smartlead.filters import Filters, apply_filters, filter_options
from smartlead.frame import SCHEMA, campaigns_frame
from smartlead.history import diff_snapshots
from smartlead.rates import with_metrics
from tests import strategies

values = strategies.json_values() | st.sampled_from(
    ["ACTIVE", "DRAFT", "09:30", "24:00", "Europe/London", "Mars/Base", "=1+1"]
)
schedules = st.fixed_dictionaries(
    {},
    optional={
        "tz": values | st.sampled_from(["America/New_York", "Asia/Kolkata", ""]),
        "days": st.lists(st.integers(-2, 9) | values, max_size=8) | values,
        "startHour": values | st.sampled_from(["09:00", "22:00", "9"]),
        "endHour": values | st.sampled_from(["17:00", "06:30", "09:00"]),
    },
)
tags = st.lists(
    st.fixed_dictionaries({}, optional={"tag_id": values, "tag_name": values, "tag_color": values})
    | values,
    max_size=3,
)
fields = {column.source: values for column in SCHEMA if column.source}
fields.update({"scheduler_cron_value": schedules | values, "tags": tags | values})
campaign = st.fixed_dictionaries({}, optional=fields) | values
portfolios = st.lists(campaign, max_size=10)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(records=portfolios, later=portfolios, picks=st.data())
def test_every_stage_survives_arbitrary_campaigns(records, later, picks):
    frame = campaigns_frame(records)
    assert len(frame) == len(records), "one row per record, always"

    options = filter_options(frame)
    chosen = Filters(
        statuses=tuple(picks.draw(st.lists(st.sampled_from(options.statuses or ("ACTIVE",))))),
        tags=tuple(picks.draw(st.lists(st.sampled_from((*options.tags, "(untagged)"))))),
        name_contains=picks.draw(st.text(max_size=3)),
        daily_limit=(picks.draw(st.none() | st.integers(0, 500)), None),
        include_subsequences=picks.draw(st.booleans()),
    )
    view = apply_filters(frame, chosen)
    assert set(view.index) <= set(frame.index)
    assert len(apply_filters(frame, Filters())) == len(frame), "no filter, no loss"

    heatmap = schedule.weekly_heatmap(frame, date(2026, 3, 9), "Europe/London", statuses=None)
    assert len(heatmap) == 168
    schedule.daily_capacity(frame, by="tags", statuses=None)
    schedule.off_hours(frame, "Asia/Tokyo", date(2026, 10, 26))
    problems = schedule.schedule_problems(frame)
    assert set(problems["id"].dropna()) <= set(frame["id"].dropna())

    findings = audit.run_audit(frame, now=pd.Timestamp("2026-11-27", tz="UTC"))
    assert set(findings["id"].dropna()) <= set(frame["id"].dropna())
    score, _ = audit.health_score(frame, findings)
    assert 0 <= score <= 100

    figures = {
        int(cid): {"unique_sent_count": "100", "reply_count": picks.draw(values)}
        for cid in frame["id"].dropna().unique()
    }
    assert len(with_metrics(frame, figures)) == len(frame)

    diff_snapshots(records, later)
    assert len(json.loads(to_json_bytes(view))) == len(view)
    to_csv_bytes(view)
