"""The weekly report's schedule in deploy/: a systemd timer and a cron line for every Monday
at 07:00, each running a ``report`` command line the CLI accepts (no secret on it)."""

from __future__ import annotations

import configparser
import shlex
import shutil
import subprocess
from pathlib import Path

from smartlead import cli

DEPLOY = Path(__file__).resolve().parents[1] / "deploy"


def unit(name: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # systemd keys are case-sensitive
    parser.read_string((DEPLOY / name).read_text(encoding="utf-8"))
    return parser


def report_arguments(command: str) -> list[str]:
    words = shlex.split(command)
    start = words.index("smartlead") + 1
    end = words.index(">>") if ">>" in words else len(words)
    return words[start:end]


def test_the_timer_fires_every_monday_at_seven_and_catches_up_after_downtime() -> None:
    timer = unit("smartlead-report.timer")
    calendar = timer["Timer"]["OnCalendar"]
    assert timer["Timer"]["Persistent"] == "true"
    assert timer["Timer"]["Unit"] == "smartlead-report.service"
    systemd = shutil.which("systemd-analyze")
    assert systemd, "systemd-analyze checks the calendar expression"
    answer = subprocess.run(
        [systemd, "calendar", "--iterations", "3", calendar],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    elapses = [line for line in answer.splitlines() if "lapse:" in line or "Iter." in line]
    assert len(elapses) == 3
    assert all("Mon " in line and " 07:00:00" in line for line in elapses), answer


def test_the_service_runs_a_report_the_cli_accepts_without_a_secret_on_it() -> None:
    service = unit("smartlead-report.service")["Service"]
    assert service["Type"] == "oneshot"
    arguments = report_arguments(service["ExecStart"])
    parsed = cli.build_parser().parse_args(arguments)
    assert parsed.command == "report"
    assert parsed.webhook == "", "the webhook URL comes from SMARTLEAD_REPORT_WEBHOOK"
    assert parsed.email == ["ops@agency.example"]
    assert parsed.format == "html"
    assert "://" not in service["ExecStart"]
    assert service["EnvironmentFile"] == "/etc/smartlead-report.env"


def test_the_cron_line_is_monday_at_seven_running_the_same_command() -> None:
    lines = [
        line
        for line in (DEPLOY / "smartlead-report.cron").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert len(lines) == 1
    minute, hour, day, month, weekday, command = lines[0].split(maxsplit=5)
    assert (minute, hour, day, month, weekday) == ("0", "7", "*", "*", "1")
    service = unit("smartlead-report.service")["Service"]
    assert report_arguments(command) == report_arguments(service["ExecStart"])
    assert "://" not in command
