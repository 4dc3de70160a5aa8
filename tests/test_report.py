"""``python -m smartlead report`` and its facts: sections present or absent with a reason,
changes and findings since the previous report, the client-facing version, hostile names in
every format."""

from __future__ import annotations

import io
import json
import re
from datetime import UTC, datetime

import pandas as pd
import pytest

from smartlead import audit, cli, history
from smartlead.connection import Connection
from smartlead.frame import campaigns_frame
from smartlead.report import build_report
from smartlead.report_render import (
    markdown_text,
    render_html,
    render_json,
    render_markdown,
    render_slack,
    render_text,
    slack_text,
)
from tests.builders import campaign
from tests.report_checks import external_references, parse_html
from tests.standin import TEST_KEY, StandinSmartlead

NOW = datetime(2026, 11, 30, 7, 0, tzinfo=UTC)

HOSTILE_CAMPAIGN = "<script>alert(1)</script> [win](https://evil.example) *bold* <!channel> `x`"
HOSTILE_CLIENT = '<img src=x onerror=alert(2)> & "Rival" _Co_ <https://evil.example|click>'


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    code = cli.main(list(argv), stdout=out)
    return code, out.getvalue()


def hostile_frame() -> pd.DataFrame:
    records = [
        campaign(1, HOSTILE_CAMPAIGN, client_id=7, unsubscribe_text=None),
        campaign(2, "Plain", client_id=8, status="PAUSED"),
    ]
    clients = [{"id": 7, "name": HOSTILE_CLIENT}, {"id": 8, "name": "Quiet Co"}]
    return campaigns_frame(records, clients)


# --------------------------------------------------------------------------- the facts


def test_every_section_is_present_or_says_why_not():
    frame = hostile_frame()
    report = build_report(
        frame,
        title="Weekly",
        generated_at=NOW,
        findings=audit.run_audit(frame, now=NOW),
        changes_reason="No earlier snapshot of this account.",
        performance_reason="The weekly figures were not fetched.",
        runway_reason="Lead statistics were not fetched.",
        capacity_reason="Not gathered.",
    )
    keys = [section.key for section in report.sections]
    assert keys == ["overview", "changes", "health", "performance", "runway", "capacity", "movers"]
    assert report.section("overview").data["campaigns"] == 2
    assert not report.section("changes").present
    assert report.section("changes").reason == "No earlier snapshot of this account."
    assert report.section("health").present
    for key in ("performance", "runway", "capacity", "movers"):
        assert not report.section(key).present
        assert report.section(key).reason
    text = render_text(report)
    assert "No earlier snapshot of this account." in text
    assert "Lead statistics were not fetched." in text
    facts = json.loads(render_json(report))
    assert [s["present"] for s in facts["sections"]] == [
        True, False, True, False, False, False, False,
    ]  # fmt: skip


def test_findings_are_told_new_or_resolved_against_the_last_report():
    frame = hostile_frame()
    findings = audit.run_audit(frame, now=NOW)
    known = {f"{rule}:{cid}" for rule, cid in zip(findings["rule_id"], findings["id"], strict=True)}
    first = next(iter(sorted(known)))
    previous = frozenset((known - {first}) | {"no_unsubscribe:999"})
    report = build_report(
        frame, title="t", generated_at=NOW, findings=findings, previous_findings=previous
    )
    health = report.section("health").data
    assert health["compared"] is True
    assert len(health["new"]) == 1
    assert health["resolved"] == [{"rule_id": "no_unsubscribe", "id": 999}]
    assert report.findings_fingerprint == frozenset(known)


# --------------------------------------------------------------------------- hostile names


def test_html_escapes_every_name_and_refers_to_nothing_outside_itself():
    frame = hostile_frame()
    report = build_report(
        frame,
        title=HOSTILE_CAMPAIGN,
        generated_at=NOW,
        findings=audit.run_audit(frame, now=NOW),
        dashboard_url="https://dash.example/",
    )
    document = render_html(report)
    parsed = parse_html(document)
    assert "script" not in parsed.tags
    assert "img" not in parsed.tags
    assert external_references(document, allowed=("https://dash.example/",)) == []
    assert ("a", "href", "https://dash.example/") in parsed.attributes
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in document
    assert "&lt;img src=x onerror=alert(2)&gt;" in document
    assert "<svg" in document, "charts are inline SVG"


def test_markdown_and_slack_neutralise_markup_links_and_mentions():
    assert markdown_text("[win](https://evil.example) *b* <i> @all") == (
        "\\[win\\]\\(https:\u200b//evil.example\\) \\*b\\* \\<i\\> \\@all"
    )
    assert slack_text("<!channel> *b* _i_ ~s~ `c` a&b <https://x|y>") == (
        "&lt;!channel&gt; ∗b∗ ˍiˍ ∼s∼ ˋcˋ a&amp;b &lt;https:\u200b//x¦y&gt;"
    )
    frame = hostile_frame()
    report = build_report(
        frame,
        title=HOSTILE_CLIENT,
        generated_at=NOW,
        findings=audit.run_audit(frame, now=NOW),
        dashboard_url="https://dash.example/",
    )
    markdown = render_markdown(report)
    unescaped = re.compile(r"(?<!\\)[<\[\]*_`]")
    for line in markdown.splitlines():
        body = line.removeprefix("# ").removeprefix("## ").strip("*|")
        if "Open the dashboard" in line:
            continue
        assert not unescaped.search(body.replace("**", "").replace("|", "")), line
    message = render_slack(report)
    assert "<!channel>" not in message["text"]
    links = re.findall(r"<[^>]*>", message["text"])
    assert links == ["<https://dash.example/|Open the dashboard>"], "the only link is ours"


# --------------------------------------------------------------------------- the command


@pytest.fixture
def live(standin: StandinSmartlead, monkeypatch: pytest.MonkeyPatch) -> StandinSmartlead:
    monkeypatch.setenv("SMARTLEAD_BASE_URL", standin.base_url)
    monkeypatch.setenv("SMARTLEAD_API_KEY", TEST_KEY)
    return standin


def test_a_first_report_says_so_and_still_reports_the_current_state(capsys):
    code, out = run("report", "--demo", "--format", "json", "--demo-size", "60")
    assert code == cli.EXIT_OK
    facts = json.loads(out)
    sections = {s["key"]: s for s in facts["sections"]}
    assert sections["overview"]["data"]["campaigns"] == 60
    assert not sections["changes"]["present"]
    assert "first report" in sections["changes"]["reason"]
    assert sections["health"]["present"]
    assert sections["performance"]["present"], "the demo has window figures"
    assert sections["runway"]["present"], "the demo has lead statistics"
    assert facts["since"] is None


def test_the_next_report_covers_what_changed_and_what_is_new_since_the_last(live, capsys):
    code, out = run("report", "--format", "json", "--no-performance")
    assert code == cli.EXIT_OK
    first = {s["key"]: s for s in json.loads(out)["sections"]}["health"]["data"]
    assert first["compared"] is False
    before = {(row["title"], row["name"]) for row in first["new"]}
    assert len(before) == first["total"], "a small portfolio: every finding listed"
    portfolio = live.portfolios[TEST_KEY]
    portfolio[0]["status"] = "PAUSED"
    portfolio.append(campaign(900, "Newcomer", client_id=11, unsubscribe_text=None))
    code, out = run("report", "--format", "json", "--no-performance")
    assert code == cli.EXIT_OK
    facts = json.loads(out)
    sections = {s["key"]: s for s in facts["sections"]}
    assert facts["since"]["id"] is not None
    changes = sections["changes"]["data"]
    assert changes["by_kind"]["added"] == 1
    assert changes["by_kind"]["status"] == 1
    assert {row["name"] for row in changes["rows"]} >= {"Newcomer", portfolio[0]["name"]}
    health = sections["health"]["data"]
    assert health["compared"] is True
    new = {(row["title"], row["name"]) for row in health["new"]}
    assert "Newcomer" in {name for _, name in new}
    assert not new & before, "findings of the last report are not new"
    # A third report right away: nothing changed, nothing new.
    code, out = run("report", "--format", "json", "--no-performance")
    third = {s["key"]: s for s in json.loads(out)["sections"]}
    assert third["changes"]["data"]["total"] == 0
    assert third["health"]["data"]["new"] == []


def test_a_preview_remembers_nothing(capsys):
    run("report", "--demo", "--demo-size", "40", "--no-remember")
    store = history.open_store()
    try:
        assert store.list() == []
        assert store.last_report(history.DEMO_ACCOUNT, None) is None
    finally:
        history.close_store(store)


def test_since_takes_a_snapshot_id_or_a_date_and_refuses_others(live, capsys):
    assert run("snapshot", "--demo")[0] == cli.EXIT_OK  # the demo account's snapshot: #1
    assert run("snapshot")[0] == cli.EXIT_OK  # the key's account: #2
    code, out = run(
        "report", "--since", "2", "--format", "json", "--no-performance", "--no-remember"
    )
    assert code == cli.EXIT_OK
    assert json.loads(out)["since"]["id"] == 2
    today = datetime.now(UTC).date().isoformat()
    code, out = run(
        "report", "--since", today, "--format", "json", "--no-performance", "--no-remember"
    )
    assert code == cli.EXIT_OK
    assert json.loads(out)["since"]["id"] == 2
    code, _ = run("report", "--since", "1", "--no-performance", "--no-remember")
    assert code == cli.EXIT_USAGE
    assert "not of this account" in capsys.readouterr().err
    assert (
        run("report", "--since", "2001-01-01", "--no-performance", "--no-remember")[0]
        == cli.EXIT_USAGE
    )
    assert (
        run("report", "--since", "last tuesday", "--no-performance", "--no-remember")[0]
        == cli.EXIT_USAGE
    )
    assert run("report", "--since", "999", "--no-performance", "--no-remember")[0] == cli.EXIT_USAGE


def test_an_unknown_client_is_a_usage_error_and_one_without_campaigns_gets_a_report(live, capsys):
    code, _ = run("report", "--client-id", "555")
    assert code == cli.EXIT_USAGE
    assert "no client #555" in capsys.readouterr().err
    live.clients[TEST_KEY].append({"id": 77, "name": "Empty Co"})
    code, out = run("report", "--client-id", "77", "--format", "json")
    assert code == cli.EXIT_OK
    facts = json.loads(out)
    assert facts["sections"][0]["data"]["campaigns"] == 0
    assert "no campaigns" in capsys.readouterr().err


def test_the_client_version_names_no_other_client_and_no_internal_wording(live, capsys):
    others = [
        "Zyx <b>Rival</b> *Corp*",
        "Evil`Co & Sons",
        "Other Client",
        "https://rival.example",
    ]
    live.clients[TEST_KEY] = [{"id": 11, "name": "Acme Corp"}] + [
        {"id": 60 + n, "name": name} for n, name in enumerate(others)
    ]
    portfolio = live.portfolios[TEST_KEY]
    portfolio += [
        campaign(700 + n, f"Secret plan of {name}", client_id=60 + n)
        for n, name in enumerate(others)
    ]
    assert run("report", "--no-performance")[0] == cli.EXIT_OK  # the agency's report first
    moved = next(r for r in portfolio if r.get("client_id") == 11)
    moved["client_id"] = 60  # a campaign moves to another client: the client sees it removed
    portfolio.append(campaign(800, "Took over", client_id=11, unsubscribe_text=None))
    outputs = {}
    for fmt in ("html", "markdown", "json", "text"):
        code, out = run(
            "report", "--client-id", "11", "--title", "Acme: week 48", "--format", fmt,
            "--no-remember",
        )  # fmt: skip
        assert code == cli.EXIT_OK, capsys.readouterr().err
        outputs[fmt] = out
    store = history.open_store()
    location = store.location
    history.close_store(store)
    account = Connection.to(TEST_KEY).fingerprint
    for fmt, out in outputs.items():
        lowered = out.lower()
        for name in others:
            for form in (name, name.split()[0], "rival", "secret plan", "evil"):
                assert form.lower() not in lowered, (fmt, form)
        for internal in (
            "finding",
            "unsubscribe text",
            "audit",
            "severity",
            "snapshot #",
            TEST_KEY,
        ):
            assert internal.lower() not in lowered, (fmt, internal)
        assert "week 48" in out
        assert str(location) not in out
        assert account not in out
    facts = json.loads(outputs["json"])
    changes = {s["key"]: s for s in facts["sections"]}["changes"]["data"]
    assert changes["by_kind"]["removed"] == 1
    assert changes["by_kind"]["added"] == 1
    assert all(set(row) == {"kind", "name", "before", "after"} for row in changes["rows"])
    assert facts["audience"] == "client"
    assert facts["dashboard_url"] is None


def test_capacity_lists_the_campaigns_short_of_mailboxes_when_asked(capsys):
    code, out = run("report", "--demo", "--format", "json", "--no-remember", "--no-leads")
    sections = {s["key"]: s for s in json.loads(out)["sections"]}
    assert not sections["capacity"]["present"]
    assert "--capacity" in sections["capacity"]["reason"]
    code, out = run(
        "report", "--demo", "--format", "json", "--no-remember", "--no-leads", "--capacity"
    )
    assert code == cli.EXIT_OK
    facts = json.loads(out)
    capacity = {s["key"]: s for s in facts["sections"]}["capacity"]["data"]
    shortfalls = [row["shortfall"] for row in capacity["rows"]]
    assert capacity["short_campaigns"] > 0
    assert shortfalls == sorted(shortfalls, reverse=True)
    assert all(value > 0 for value in shortfalls)
    assert capacity["planned"] > capacity["shortfall"] > 0
    assert f"{capacity['short_campaigns']} short of mailbox capacity" in facts["headline"]
    code, out = run(
        "report", "--demo", "--format", "json", "--no-remember", "--client-id", "41001",
        "--capacity",
    )  # fmt: skip
    assert "capacity" not in {s["key"] for s in json.loads(out)["sections"]}
