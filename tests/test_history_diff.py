"""The diff of two snapshots: each kind of change, what is not a change, and odd records."""

from __future__ import annotations

import copy
from typing import Any

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from smartlead import history, vocab
from smartlead.frame import COLUMNS, KNOWN_FIELDS
from smartlead.history import SnapshotStore, diff
from tests import strategies
from tests.builders import tag
from tests.history_builders import (
    CLIENTS,
    campaign,
    rows,
)


@pytest.fixture
def store(history_store: SnapshotStore) -> SnapshotStore:
    """A fresh store, on SQLite and on PostgreSQL (see tests/history_backends.py)."""
    return history_store


def test_diff_reports_each_kind_of_change() -> None:
    before = [
        campaign(1),
        campaign(2),
        campaign(3),
        campaign(4),
        campaign(5),
        campaign(6),
        campaign(7),
        campaign(8, sequence_count=2, legacy=True),
    ]
    after = [
        campaign(9, status="PAUSED"),  # added
        campaign(1, status="paused"),  # status
        campaign(2, max_leads_per_day=120),  # daily limit
        campaign(
            3,
            tags=[
                tag(2, "Founders", "#43A047"),
                tag(1, "Outbound", "#000000"),
            ],
        ),  # tags (the colour change alone would not count)
        campaign(
            4,
            scheduler_cron_value={
                "tz": "Europe/Berlin",
                "days": [1, 2, 3, 4],
                "startHour": "08:00",
                "endHour": "16:30",
            },
        ),  # schedule: one row
        campaign(5, name="Renamed", client_id=12, track_settings=["DONT_EMAIL_OPEN"]),
        campaign(6, updated_at="2026-11-01T00:00:00.000Z"),  # updated_at only: no change
        campaign(8, sequence_count=3, fresh="yes"),  # unknown fields, one by one
    ]  # 7 removed
    changes = history.diff_snapshots(before, after, clients=CLIENTS)

    assert list(changes.columns) == list(history.DIFF_COLUMNS)
    assert rows(changes) == {
        ("added", 9, None, None, "PAUSED · 50/day · Mon–Fri 09:00–17:00 America/New_York"),
        ("removed", 7, None, "ACTIVE · 50/day · Mon–Fri 09:00–17:00 America/New_York", None),
        ("status", 1, "status", "ACTIVE", "PAUSED"),
        ("daily_limit", 2, "max_leads_per_day", "50", "120"),
        ("tags", 3, "tags", "Outbound", "Founders, Outbound"),
        (
            "schedule",
            4,
            "schedule",
            "Mon–Fri 09:00–17:00 America/New_York",
            "Mon–Thu 08:00–16:30 Europe/Berlin",
        ),
        ("field", 5, "name", "Campaign 5", "Renamed"),
        ("field", 5, "client", "Acme", "Globex"),
        ("field", 5, "track_opens", "true", "false"),
        ("field", 8, "sequence_count", "2", "3"),
        ("field", 8, "legacy", "true", None),
        ("field", 8, "fresh", None, '"yes"'),
    }
    assert list(changes["kind"].drop_duplicates()) == list(history.CHANGE_KINDS)
    assert tuple(vocab.CHANGE_KINDS) == history.CHANGE_KINDS  # one list of kinds, in vocab
    assert list(changes["kind"].cat.categories) == list(vocab.CHANGE_KINDS)
    renamed = changes[changes["id"] == 5].iloc[0]
    assert renamed["name"] == "Renamed"
    assert renamed["client_name"] == "Globex"
    assert list(changes.loc[changes["id"] == 3, "tags"].iloc[0]) == ["Founders", "Outbound"]

    summary = history.diff_summary(changes)
    assert summary == {
        "added": 1,
        "removed": 1,
        "status": 1,
        "daily_limit": 1,
        "tags": 1,
        "schedule": 1,
        "field": 6,
        "changes": 12,
        "campaigns_changed": 6,
    }


def test_diff_ignores_what_does_not_change_the_campaign() -> None:
    before = [
        campaign(1, status="DRAFT"),
        campaign(2, max_leads_per_day=50),
        campaign(
            3,
            tags=[
                tag(1, "A", "#111111"),
                tag(2, "B", "#222222"),
            ],
        ),
        campaign(4, tags=[tag(1, "A", "#111111")]),
        campaign(5, track_settings=["DONT_EMAIL_OPEN"]),
    ]
    after = [
        campaign(5, track_settings=["DONT_TRACK_EMAIL_OPEN"]),  # the other vocabulary
        campaign(4, tags=None),  # tags not fetched this time
        campaign(
            3,
            tags=[
                tag(2, "B", "#222222"),
                tag(1, "A", "#111111"),
            ],
        ),  # reordered
        campaign(2, max_leads_per_day="50", updated_at="2027-01-01T00:00:00Z"),
        campaign(1, status="DRAFTED"),  # the alias
    ]
    assert history.diff_snapshots(before, after).empty
    assert history.diff_snapshots([], []).empty
    assert history.diff_snapshots(before, copy.deepcopy(before)).empty


def test_a_lone_surrogate_is_saved_loaded_and_diffed(store: SnapshotStore) -> None:
    """JSON may carry ``"\\ud800"``, which Python decodes to a lone surrogate."""
    odd = campaign(1, name="broken \ud800 name")
    info = store.save([odd], account="a")
    assert info.summary["campaigns"] == 1
    assert store.load(info.id).records == [odd]
    changes = history.diff_snapshots([campaign(1)], [odd])
    assert changes[["kind", "id", "field", "before"]].values.tolist() == [
        ["field", 1, "name", "Campaign 1"]
    ]
    assert changes["after"].iloc[0].startswith("broken ")  # as the frame shows it
    assert history.diff_snapshots([odd], [copy.deepcopy(odd)]).empty


def test_diff_and_save_survive_a_record_the_frame_rejects(
    store: SnapshotStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Should the frame builder ever fail on a value, only that value is set aside."""
    real_frame = diff.campaigns_frame

    def picky_frame(records: list[Any], clients: Any = None) -> pd.DataFrame:
        if any(isinstance(r, dict) and r.get("name") == "boom" for r in records):
            raise ValueError("cannot read this name")
        return real_frame(records, clients)

    monkeypatch.setattr(diff, "campaigns_frame", picky_frame)
    changes = history.diff_snapshots([campaign(1), campaign(2)], [campaign(1, name="boom")])
    assert rows(changes) == {
        ("removed", 2, None, "ACTIVE · 50/day · Mon–Fri 09:00–17:00 America/New_York", None),
        ("field", 1, "name", "Campaign 1", None),
        ("field", 1, "name (unreadable)", None, '"\\"boom\\""'),
    }
    info = store.save([campaign(1, name="boom")], account="a")
    assert store.load(info.id).records == [campaign(1, name="boom")]


def test_diff_of_unidentified_and_duplicated_records() -> None:
    before = [None, "text", {"name": "no id"}, campaign(1), campaign(1, name="Twin"), 7]
    after = ["text", {"name": "no id", "status": "PAUSED"}, campaign(1), None, 7]
    changes = history.diff_snapshots(before, after)
    assert rows(changes) == {
        ("removed", 1, None, "ACTIVE · 50/day · Mon–Fri 09:00–17:00 America/New_York", None),
        ("removed", None, None, '{"name": "no id"}', None),
        ("added", None, None, None, '{"name": "no id", "status": "PAUSED"}'),
    }
    removed_twin = changes[(changes["kind"] == "removed") & changes["id"].notna()]
    assert removed_twin["name"].tolist() == ["Twin"]  # duplicates pair in order


def test_diff_takes_client_names_from_each_snapshot(store: SnapshotStore) -> None:
    before = store.save([campaign(1)], account="a", clients=CLIENTS)
    renamed = [{"id": 11, "name": "Acme Corp"}, {"id": 12, "name": "Globex"}]
    after = store.save([campaign(1, client_id=12)], account="a", clients=renamed)
    changes = history.diff_stored(store, before.id, after.id)
    assert rows(changes) == {("field", 1, "client", "Acme", "Globex")}


def test_diff_labels_clients_that_share_a_name_as_the_frame_does() -> None:
    clients = [{"id": 11, "name": "Acme"}, {"id": 12, "name": "Acme"}]
    before = [campaign(1, client_id=11), campaign(2, client_id=12)]
    after = [campaign(1, client_id=11), campaign(2, client_id=12, status="PAUSED")]
    changes = history.diff_snapshots(before, after, clients=clients)
    assert changes["client_name"].tolist() == ["Acme (#12)"]


def test_every_frame_column_is_compared_or_deliberately_ignored() -> None:
    groups = [
        diff._SCHEDULE_COLUMNS,
        diff._FIELD_COLUMNS,
        diff._SPECIAL_COLUMNS,
        diff._IGNORED_COLUMNS,
    ]
    listed = [column for group in groups for column in group]
    assert sorted(listed) == sorted(COLUMNS)  # each exactly once


def test_filter_changes_by_kind_client_and_tag() -> None:
    before = [campaign(1), campaign(2, client_id=12), campaign(3, tags=[])]
    after = [
        campaign(1, status="PAUSED"),
        campaign(2, client_id=12, max_leads_per_day=10),
        campaign(3, tags=[], status="STOPPED"),
    ]
    changes = history.diff_snapshots(before, after, clients=CLIENTS)
    assert history.filter_changes(changes, kinds=["status"])["id"].tolist() == [3, 1]
    assert history.filter_changes(changes, clients=["Globex"])["id"].tolist() == [2]
    assert history.filter_changes(changes, tags=["Outbound"])["id"].tolist() == [1, 2]
    assert history.filter_changes(changes, kinds=["status"], clients=["Acme"], tags=["Outbound"])[
        "id"
    ].tolist() == [1]
    assert len(history.filter_changes(changes)) == len(changes)
    assert history.filter_changes(changes.iloc[0:0], tags=["x"]).empty


nan_or_json = strategies.json_values()
messy_record = (
    st.builds(
        lambda record, campaign_id: {**record, "id": campaign_id},
        st.dictionaries(
            st.sampled_from([*sorted(KNOWN_FIELDS), "sequence_count"]), nan_or_json, max_size=8
        ),
        st.integers(1, 4) | st.none() | st.sampled_from(["2", "x", 3.0, False, 2**80]),
    )
    | nan_or_json
)


@hypothesis_settings(max_examples=150, deadline=None)
@given(before=st.lists(messy_record, max_size=6), after=st.lists(messy_record, max_size=6))
def test_diff_of_any_json_records_never_raises(before: list[Any], after: list[Any]) -> None:
    changes = history.diff_snapshots(before, after)
    assert list(changes.columns) == list(history.DIFF_COLUMNS)
    assert set(changes["kind"].dropna()) <= set(history.CHANGE_KINDS)
    assert history.diff_summary(changes)["changes"] == len(changes)
    assert history.diff_snapshots(before, before).empty
    assert history.diff_snapshots(after, copy.deepcopy(after)).empty
