"""Health: the settings audit, i.e. which campaigns put deliverability or compliance at risk."""

import pandas as pd
import streamlit as st

from smartlead import audit, vocab
from smartlead.history import ScoreTrend
from ui.history import history_access
from ui.mailboxes import health_section
from ui.page import open_campaign, portfolio
from ui.tables import labelled, with_app_links, with_severity_looks
from ui.text import escape_markdown
from ui.trend import delta_help, delta_since, delta_text, draw_score_trend, health_trend
from ui.window import viewer_timezone

PENDING_OPEN = "_health_open_campaign"

if PENDING_OPEN in st.session_state:
    pending = st.session_state.pop(PENDING_OPEN)  # an id, or (id, row) from the table below
    open_campaign(*(pending if isinstance(pending, tuple) else (pending, None)))

loaded = portfolio()
view = loaded.view
now = pd.Timestamp.now(tz="UTC")
findings = audit.run_audit(view, now=now)
summary = audit.summarize(findings, frame=view)
score, formula = audit.health_score(view, findings)
zone = viewer_timezone()


def score_metric(trend: ScoreTrend | None) -> None:
    """The headline score, with its change since a kept snapshot once the trend is known."""
    delta = None if trend is None else delta_text(trend)
    unchanged = delta is None or float(delta) == 0
    score_slot.metric(
        "Health score",
        f"{score:.1f} / 100",
        delta=delta,
        delta_color="off" if unchanged else "normal",
        delta_arrow="off" if unchanged else "auto",
        delta_description=None if trend is None or delta is None else delta_since(trend, zone),
        help="100 means no finding on any campaign still in play."
        + ("" if trend is None else " " + delta_help(trend, zone)),
    )


columns = st.columns(4)
score_slot = columns[0].empty()
score_metric(None)
for column, severity in zip(columns[1:], vocab.SEVERITIES, strict=True):
    flagged = findings[findings["severity"] == severity]
    column.metric(
        f"Campaigns, {severity} severity",
        f"{flagged['id'].nunique():,}",
        help=f"Campaigns with at least one {severity}-severity finding ({len(flagged):,} "
        "findings).",
    )
with st.expander("How the score is computed"):
    st.text(formula)

thresholds = audit.DEFAULT_SETTINGS
if "window_bounce_rate" in view.columns and loaded.window is not None:
    st.caption(
        escape_markdown(
            f"The bounce and reply rules read the window: {loaded.window.choice.title}. A "
            f"bounce rate above {thresholds.max_window_bounce_rate:.0%} of the emails sent is "
            f"high once {thresholds.min_window_sent} emails were sent; an active campaign "
            f"with {thresholds.no_reply_min_window_sent} emails sent and no reply is flagged."
        )
    )
elif "bounce_rate" in view.columns:
    st.caption("The bounce and reply rules read the all-time figures (no window figures).")


@st.fragment
def findings_by_rule(summary: pd.DataFrame, findings: pd.DataFrame) -> None:
    """The rules and the campaigns behind the one picked. Picking a rule reruns this part
    only (``st.fragment``): the audit above is not worked out again, nor the sidebar, the
    load or the trend; opening a campaign from it reruns the whole app, to switch pages."""
    st.subheader("Findings by rule")
    st.caption("Select a rule to list the campaigns behind it.")
    summary_shown = summary[["severity", "title", "campaigns", "applies_to", "explanation", "note"]]
    picked = st.dataframe(
        with_severity_looks(summary_shown),
        key="rules_table",
        on_select="rerun",
        selection_mode="single-row",
        hide_index=True,
        column_config={
            "severity": "Severity",
            "title": st.column_config.TextColumn("Rule", width="medium"),
            "campaigns": st.column_config.NumberColumn("Campaigns", format="%d"),
            "applies_to": "Audits",
            "explanation": st.column_config.TextColumn(
                "Why it matters, what to change", width="large"
            ),
            "note": "Note",
        },
    )

    rows = picked.selection.rows if picked is not None else []
    if rows:
        rule = summary.iloc[rows[0]]
        behind = findings[findings["rule_id"] == rule["rule_id"]]
        st.subheader(f"{rule['title']}: {len(behind):,} campaigns")
        st.caption(rule["explanation"])
    else:
        behind = findings
        st.subheader(f"All findings: {len(findings):,}")

    if behind.empty:
        st.success("No campaign in view breaks this rule.")
    else:

        def open_selected_finding() -> None:
            """Findings table selection callback: open that campaign's settings."""
            selected = st.session_state["findings_table"]["selection"]["rows"]
            if selected and not pd.isna(behind.iloc[selected[0]]["id"]):
                # the campaign's id and its row (ids can repeat; the row tells them apart)
                finding = behind.iloc[selected[0]]
                st.session_state[PENDING_OPEN] = (int(finding["id"]), finding.name)
                st.rerun()  # the whole app, not this part: it switches pages at its top

        listed = behind[["severity", "title", "id", "name", "client_name", "status", "detail"]]
        st.dataframe(
            with_severity_looks(with_app_links(listed, listed["id"])),
            key="findings_table",
            on_select=open_selected_finding,
            selection_mode="single-row",
            hide_index=True,
            column_config=labelled(
                severity="Severity",
                title="Rule",
                detail=st.column_config.TextColumn("Detail", width="medium"),
            ),
        )
        st.caption("Select a campaign to open its full settings on the Campaigns page.")

    st.download_button(
        "Download these findings (CSV)",
        data=lambda: audit.findings_csv(behind),  # what the table above lists, rule chosen or not
        file_name="smartlead-health-findings.csv",
        mime="text/csv",
        on_click="ignore",
        icon=":material/download:",
        help=f"The {len(behind):,} findings listed above"
        + (f" (rule “{rule['title']}”)" if rows else ", every rule")
        + "; formulas in names are neutralised.",
    )


findings_by_rule(summary, findings)

# The score over time, under the findings (what to fix comes first), and worked out last:
# scoring past snapshots costs about half a second each at 20,000 campaigns (the first time
# under each set of filters; past a budget the whole portfolio's trend is shown unless asked),
# and nothing above should wait for it.
trend_slot = st.container()

health_section(portfolio())

# The score over the kept snapshots: settings rules only, the sidebar's filters on each.
with trend_slot:
    trend_answer, deferred = health_trend(
        history_access(loaded.key.connection),
        view,
        loaded.filters,
        now.to_pydatetime(),
        whole=loaded.frame,
    )
    draw_score_trend(trend_answer, zone, deferred, loaded.filters)
# The change is shown only when it is of the campaigns the score is of (the filtered view).
score_metric(None if deferred else trend_answer.value)
