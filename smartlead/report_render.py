"""The report's facts (:class:`smartlead.report.Report`) as text, Markdown, HTML, JSON and a
Slack-compatible chat message. Renderers only format; every fact comes from the report.

Names (campaigns, clients, tags) are SmartLead's free text and are treated as data in every
format: escaped in HTML (:func:`html.escape`), backslash-escaped in Markdown (every ASCII
punctuation character, so no emphasis, link, autolink or HTML can form), and in Slack's
mrkdwn ``&``, ``<`` and ``>`` are escaped (so no ``<!channel>`` or ``<url|text>`` forms) and
the formatting characters are replaced by look-alikes (mrkdwn has no escape character).

The HTML is one self-contained file: inline CSS, charts drawn here as inline SVG, no script,
no font, no image and no URL except the optional link back to the dashboard.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from smartlead import vocab
from smartlead.report import Report, Section

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#!|~&$@])")
_AUTOLINK = re.compile(r"(?i)(://|www\.)")
_SLACK_LOOKALIKES = str.maketrans({"*": "∗", "_": "ˍ", "~": "∼", "`": "ˋ", "|": "¦"})

CHANGE_LABELS: Mapping[str, str] = {
    "added": "added",
    "removed": "removed",
    "status": "status changed",
    "daily_limit": "daily limit changed",
    "tags": "tags changed",
    "schedule": "schedule changed",
    "field": "other settings changed",
}


def one_line(value: Any) -> str:
    """Any value as one line of text (control characters and line breaks become spaces)."""
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:,.1f}"
    return _CONTROL.sub(" ", str(value)).strip()


def markdown_text(value: Any) -> str:
    """``value`` as literal Markdown text: the characters that form emphasis, code, links,
    HTML, tables, math and mentions backslash-escaped, and bare URLs broken by a zero-width
    space so GitHub's autolinks do not form."""
    return _break_autolinks(_MARKDOWN_SPECIAL.sub(r"\\\1", one_line(value)))


def _break_autolinks(text: str) -> str:
    return _AUTOLINK.sub(lambda m: m.group(1)[0] + "\u200b" + m.group(1)[1:], text)


def slack_text(value: Any) -> str:
    """``value`` as literal Slack mrkdwn: ``&<>`` escaped (no ``<!channel>`` or ``<url|x>``
    forms), formatting characters replaced by look-alikes (mrkdwn has no escape character)
    and bare URLs broken by a zero-width space."""
    text = one_line(value).translate(_SLACK_LOOKALIKES)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _break_autolinks(text)


def _status_word(status: str) -> str:
    return one_line(status).lower()


def _percent(value: Any) -> str:
    return "—" if value is None else f"{value:.1%}"


def _signed(value: Any) -> str:
    if value is None:
        return "—"
    number = int(value)
    return f"+{number:,}" if number > 0 else f"{number:,}"


# --------------------------------------------------------------------------- tables per section

Table = tuple[str, list[str], list[list[str]]]
"""A caption, column headers and rows of plain (unescaped) cell text."""


def section_lines(section: Section) -> tuple[list[str], list[Table]]:
    """What a section says, as plain sentences and tables, for every format to escape."""
    data = section.data
    if data is None:
        return [section.reason or "Not available."], []
    key = section.key
    if key == "overview":
        statuses = ", ".join(
            f"{count} {_status_word(status)}" for status, count in data["by_status"].items()
        )
        lines = [
            f"{data['campaigns']:,} campaigns across {data['clients']:,} clients"
            + (f": {statuses}." if statuses else "."),
            f"Active campaigns may start up to {data['active_daily_limit']:,} new leads a day.",
        ]
        return lines, []
    if key == "changes":
        counts = ", ".join(
            f"{n} {CHANGE_LABELS.get(kind, kind)}" for kind, n in data["by_kind"].items() if n
        )
        lines = [f"{data['total']:,} changes" + (f": {counts}." if counts else ".")]
        headers = ["Change", "Campaign"]
        with_client = any("client_name" in row for row in data["rows"])
        if with_client:
            headers.append("Client")
        headers += ["Setting", "Before", "After"] if with_client else ["Before", "After"]
        rows = []
        for row in data["rows"]:
            cells = [CHANGE_LABELS.get(row["kind"], row["kind"]), one_line(row["name"])]
            if with_client:
                cells += [one_line(row.get("client_name")), one_line(row.get("field"))]
            cells += [one_line(row["before"]), one_line(row["after"])]
            rows.append(cells)
        if data["more"]:
            lines.append(f"The first {len(rows)} are listed; {data['more']:,} more.")
        return lines, ([("Changes", headers, rows)] if rows else [])
    if key == "health":
        severity = ", ".join(f"{n} {s}" for s, n in data["by_severity"].items())
        lines = [f"{data['total']:,} findings now ({severity})."]
        if data["compared"]:
            lines.append(
                f"{data['new_total']} new since the last report, {data['resolved_total']} "
                "resolved"
                + (
                    f"; the first {len(data['new'])} new and {len(data['resolved'])} resolved "
                    "are listed."
                    if (len(data["new"]), len(data["resolved"]))
                    != (data["new_total"], data["resolved_total"])
                    else "."
                )
            )
        elif data.get("note"):
            lines.append(data["note"])
        rows = [
            [
                one_line(r["severity"]),
                one_line(r["title"]),
                one_line(r["name"]),
                one_line(r["client_name"]),
                one_line(r["detail"]),
            ]
            for r in data["new"]
        ]
        caption = "New findings" if data["compared"] else "Findings"
        tables = [(caption, ["Severity", "Finding", "Campaign", "Client", "Detail"], rows)]
        if data["resolved"]:
            resolved = [[one_line(r["rule_id"]), one_line(r["id"])] for r in data["resolved"]]
            tables.append(("Resolved", ["Rule", "Campaign id"], resolved))
        return lines, [t for t in tables if t[2]]
    if key == "performance":
        now, before = data["current"], data["previous"]
        rows = [
            [label, f"{now[label]:,}", f"{before[label]:,}", _signed(now[label] - before[label])]
            for label in ("sent", "replied", "positive replies", "bounced", "unsubscribed")
        ]
        rows.append(["reply rate", _percent(now["reply_rate"]), _percent(before["reply_rate"]), ""])
        rows.append(
            ["bounce rate", _percent(now["bounce_rate"]), _percent(before["bounce_rate"]), ""]
        )
        headers = [
            "",
            data["current_label"] or "Last 7 days",
            data["previous_label"] or "7 before",
            "Change",
        ]
        return [], [("Figures", headers, rows)]
    if key == "runway":
        lines = [
            f"{data['running_dry']} active campaigns run out of new leads within "
            f"{data['horizon_days']} days ({data['dry_now']} already have none)."
        ]
        rows = [
            [
                one_line(r["runway_date"]),
                one_line(r["name"]),
                one_line(r.get("client_name")),
                one_line(r["leads_not_started"]),
                one_line(r["runway_days"]),
            ]
            for r in data["queue"]
        ]
        headers = ["Last new leads", "Campaign", "Client", "Leads not started", "Sending days"]
        return lines, ([("Refill first", headers, rows)] if rows else [])
    if key == "capacity":
        lines = [
            f"Active campaigns plan {data['planned']:,} emails a day; their mailboxes can "
            f"send {data['capacity']:,}. {data['short_campaigns']} campaigns are short by "
            f"{data['shortfall']:,} a day in all."
        ]
        if data["unknown"]:
            lines.append(f"{data['unknown']} campaigns' mailboxes are unknown.")
        rows = [
            [one_line(r["name"]), one_line(r["client_name"]), one_line(r["planned"]),
             one_line(r["capacity"]), one_line(r["shortfall"]), one_line(r["note"])]
            for r in data["rows"]
        ]  # fmt: skip
        headers = ["Campaign", "Client", "Planned a day", "Capacity", "Short by", "Note"]
        return lines, ([("Short of capacity", headers, rows)] if rows else [])
    if key == "movers":
        tables = []
        headers = ["Sent", "Change", "Replied", "Change"]
        campaigns = [[one_line(r["name"]), *_mover_cells(r)] for r in data.get("campaigns", [])]
        if campaigns:
            tables.append(("Campaigns", ["Campaign", *headers], campaigns))
        clients = [[one_line(r["client_name"]), *_mover_cells(r)] for r in data.get("clients", [])]
        if clients:
            tables.append(("Clients", ["Client", *headers], clients))
        return ([] if tables else ["Nothing moved between the two weeks."]), tables
    return [json.dumps(dict(data), default=str)], []


def _mover_cells(row: Mapping[str, Any]) -> list[str]:
    return [
        f"{int(row['sent']):,}",
        _signed(row["sent_change"]),
        f"{int(row['replied']):,}",
        _signed(row["replied_change"]),
    ]


def _since_line(report: Report) -> str:
    since = report.since
    if since is None:
        return "No earlier snapshot: this first report shows the current state."
    snapshot = f" (snapshot #{since['id']})" if since.get("id") is not None else ""
    return f"Compared with {since['taken_at']}{snapshot}."


def _header_lines(report: Report) -> list[str]:
    return [
        f"Made {report.generated_at:%Y-%m-%d %H:%M} UTC for {one_line(report.scope)}.",
        _since_line(report),
    ]


# --------------------------------------------------------------------------- text, markdown, json


def render_text(report: Report) -> str:
    """Plain text for a terminal or the email's text part."""
    out = [one_line(report.title), "=" * len(one_line(report.title)), *_header_lines(report)]
    for section in report.sections:
        lines, tables = section_lines(section)
        out += ["", one_line(section.title), "-" * len(one_line(section.title)), *lines]
        for caption, headers, rows in tables:
            out += ["", f"{caption}:", _text_table(headers, rows)]
    if report.dashboard_url:
        out += ["", f"Dashboard: {report.dashboard_url}"]
    return "\n".join(out) + "\n"


def _text_table(headers: list[str], rows: list[list[str]], width: int = 40) -> str:
    cut = [
        [cell if len(cell) <= width else cell[: width - 1] + "…" for cell in row] for row in rows
    ]
    sizes = [max(len(h), *(len(r[i]) for r in cut)) for i, h in enumerate(headers)]
    lines = ["  ".join(h.ljust(s) for h, s in zip(headers, sizes, strict=True)).rstrip()]
    lines += ["  ".join(c.ljust(s) for c, s in zip(r, sizes, strict=True)).rstrip() for r in cut]
    return "\n".join(lines)


def render_markdown(report: Report) -> str:
    """GitHub-flavoured Markdown; every name escaped so none forms markup."""
    out = [f"# {markdown_text(report.title)}", ""]
    out += [markdown_text(line) for line in _header_lines(report)]
    for section in report.sections:
        lines, tables = section_lines(section)
        out += ["", f"## {markdown_text(section.title)}", ""]
        out += [markdown_text(line) for line in lines]
        for caption, headers, rows in tables:
            out += ["", f"**{markdown_text(caption)}**", ""]
            out.append("| " + " | ".join(markdown_text(h) for h in headers) + " |")
            out.append("|" + "---|" * len(headers))
            out += ["| " + " | ".join(markdown_text(c) for c in row) + " |" for row in rows]
    if report.dashboard_url:
        out += ["", f"[Open the dashboard](<{report.dashboard_url}>)"]
    return "\n".join(out) + "\n"


def render_json(report: Report) -> str:
    """The facts themselves, for other tools."""
    return json.dumps(report.as_dict(), ensure_ascii=False, indent=1, default=str) + "\n"


def render_slack(report: Report) -> dict[str, Any]:
    """A Slack-compatible incoming-webhook message: the title, the counts that matter, the
    absent sections' reasons in one line each, and the link back when one is set."""
    lines = [f"*{slack_text(report.title)}*", slack_text(" · ".join(report.headline()))]
    lines.append(slack_text(_since_line(report)))
    for section in report.sections:
        if not section.present and section.key in ("changes", "performance", "runway"):
            lines.append(f"_{slack_text(section.title)}_: {slack_text(section.reason)}")
    if report.dashboard_url:
        url = report.dashboard_url.replace("|", "%7C").replace(">", "%3E").replace("<", "%3C")
        lines.append(f"<{url}|Open the dashboard>")
    text = "\n".join(lines)
    return {"text": text, "mrkdwn": True}


# --------------------------------------------------------------------------- html

_CSS = """
body{font-family:-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;color:#1f2933;
background:#f5f7fa;margin:0;padding:24px}
main{max-width:880px;margin:0 auto;background:#fff;padding:24px 32px;border-radius:8px}
h1{font-size:24px;margin:0 0 8px}h2{font-size:18px;margin:28px 0 8px;
border-bottom:1px solid #e4e7eb;padding-bottom:4px}h3{font-size:14px;margin:16px 0 6px}
p{margin:4px 0;line-height:1.45}.meta{color:#616e7c;font-size:13px}
.absent{color:#616e7c;font-style:italic}
table{border-collapse:collapse;width:100%;font-size:13px;margin:6px 0}
th,td{text-align:left;padding:4px 8px;border-bottom:1px solid #e4e7eb;vertical-align:top}
th{background:#f5f7fa}.headline{font-size:15px;font-weight:600}
svg text{font-family:inherit;font-size:12px;fill:#1f2933}
""".replace("\n", "")


def _e(value: Any) -> str:
    return html.escape(one_line(value), quote=True)


def bar_chart_svg(
    title: str, bars: Sequence[tuple[str, float]], colour: Callable[[str], str] | None = None
) -> str:
    """A horizontal bar chart as inline SVG (labels escaped), drawn without any library."""
    if not bars:
        return ""
    row, label_width, bar_width = 22, 180, 420
    height = row * len(bars) + 30
    top = max(max(value for _, value in bars), 1)
    parts = [
        f'<svg role="img" width="{label_width + bar_width + 80}"'
        f' height="{height}" viewBox="0 0 {label_width + bar_width + 80} {height}">',
        f"<title>{_e(title)}</title>",
        f'<text x="0" y="14" font-weight="600">{_e(title)}</text>',
    ]
    for index, (label, value) in enumerate(bars):
        y = 24 + index * row
        width = 0 if value <= 0 else max(1, round(bar_width * value / top))
        fill = colour(label) if colour else "#3e7cb1"
        parts.append(f'<text x="0" y="{y + 14}">{_e(label[:28])}</text>')
        parts.append(
            f'<rect x="{label_width}" y="{y + 2}" width="{width}" height="{row - 6}" '
            f'fill="{_e(fill)}"/>'
        )
        parts.append(
            f'<text x="{label_width + width + 6}" y="{y + 14}">{_e(f"{value:,.0f}")}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


_HEX = re.compile(r"^#[0-9a-fA-F]{6}$")


def _status_colour(status: str) -> str:
    colour = vocab.status_color(status)
    return colour if _HEX.match(colour or "") else "#3e7cb1"


def _charts(section: Section) -> str:
    data = section.data
    if data is None:
        return ""
    if section.key == "overview" and data["by_status"]:
        bars = [(_status_word(s), float(n)) for s, n in data["by_status"].items()]
        colours = {_status_word(s): _status_colour(s) for s in data["by_status"]}
        return bar_chart_svg("Campaigns by status", bars, lambda label: colours[label])
    if section.key == "performance":
        now, before = data["current"], data["previous"]
        bars = []
        for label in ("sent", "replied", "bounced"):
            bars += [
                (f"{label}, last 7 days", float(now[label])),
                (f"{label}, 7 before", float(before[label])),
            ]
        return bar_chart_svg(
            "Last 7 days against the 7 before",
            bars,
            lambda label: "#3e7cb1" if "last" in label else "#9aa5b1",
        )
    return ""


def render_html(report: Report) -> str:
    """One self-contained HTML document (inline CSS and SVG; no script, font or image)."""
    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(report.title)}</title><style>{_CSS}</style></head><body><main>",
        f"<h1>{_e(report.title)}</h1>",
    ]
    out += [f'<p class="meta">{_e(line)}</p>' for line in _header_lines(report)]
    out.append(f'<p class="headline">{_e(" · ".join(report.headline()))}</p>')
    for section in report.sections:
        lines, tables = section_lines(section)
        out.append(f'<section id="{_e(section.key)}"><h2>{_e(section.title)}</h2>')
        css = "" if section.present else ' class="absent"'
        out += [f"<p{css}>{_e(line)}</p>" for line in lines]
        out.append(_charts(section))
        for caption, headers, rows in tables:
            out.append(f"<h3>{_e(caption)}</h3><table><thead><tr>")
            out += [f"<th>{_e(h)}</th>" for h in headers]
            out.append("</tr></thead><tbody>")
            out += ["<tr>" + "".join(f"<td>{_e(c)}</td>" for c in row) + "</tr>" for row in rows]
            out.append("</tbody></table>")
        out.append("</section>")
    if report.dashboard_url:
        out.append(f'<p><a href="{_e(report.dashboard_url)}">Open the dashboard</a></p>')
    out.append("</main></body></html>")
    return "\n".join(out) + "\n"


RENDERERS: Mapping[str, Callable[[Report], str]] = {
    "text": render_text,
    "markdown": render_markdown,
    "html": render_html,
    "json": render_json,
}
"""Format name → renderer, as ``--format`` names them."""
