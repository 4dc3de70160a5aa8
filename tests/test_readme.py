"""The README stays in step with the code it documents."""

from __future__ import annotations

import dataclasses
import io

from smartlead import audit, cli, settings
from smartlead.rates import RATES
from smartlead.runway import RUNWAY_COLUMNS
from smartlead.window import WINDOW_COUNTER_COLUMNS, WINDOW_RATES
from tests.apptest import ROOT
from ui.page import PAGES

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_the_schema_table_is_the_one_the_code_prints():
    printed = io.StringIO()
    cli.main(["schema"], stdout=printed)
    assert printed.getvalue().strip() in README


def test_every_audit_rule_and_threshold_is_documented_with_its_default():
    for rule in audit.RULES:
        assert f"| `{rule.id}` | {rule.severity} |" in README, rule.id
    for field in dataclasses.fields(audit.AuditSettings):
        assert f"`{field.name}`" in README, field.name
        if not field.name.startswith("weight_"):
            assert f"| `{field.name}` | {field.default} |" in README, field.name


def test_every_rate_and_setting_is_documented():
    for rate in (*RATES, *WINDOW_RATES):
        assert f"| `{rate.name}` |" in README, rate.name
    for name in dir(settings):
        if name.startswith("ENV_"):
            assert getattr(settings, name) in README, name


def test_the_two_commands_are_the_ones_ci_runs():
    ci = (ROOT / ".ci" / "run").read_text()
    assert "\npip install -r requirements.txt && streamlit run app.py\n" in README
    assert "\nbash run-tests\n" in README
    assert "\nbash run-tests\n" in ci
    assert not any(line.lstrip().startswith("sudo ") for line in README.splitlines())
    script = (ROOT / "run-tests").read_text()
    assert "pip install -q -r requirements-dev.txt" in script
    assert 'exec python -m pytest "$@"' in script


def test_every_page_is_listed_with_its_address():
    for page in PAGES.values():
        assert f"- **{page.label}** (" in README, page.label
        assert f"`{page.address}`" in README, page.address
        if page.old_url_path:
            assert f"`/{page.old_url_path}`" in README, page.old_url_path


def test_the_window_its_columns_and_its_command_are_documented():
    for column in WINDOW_COUNTER_COLUMNS:
        assert f"`{column.name}`" in README, column.name
    assert "python -m smartlead performance --last 30d" in README
    assert "The divisor of the window's rates is `window_sent`" in README


def test_the_lead_runway_its_columns_and_its_command_are_documented():
    for column in RUNWAY_COLUMNS:
        assert f"| `{column.name}` | `{column.dtype}` | {column.description} |" in README
    assert "python -m smartlead runway" in README
    assert "python -m smartlead campaigns --with-leads" in README
    assert "### Lead runway" in README
