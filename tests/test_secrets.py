"""The API key stays secret end to end; the server's settings keep their safety switches on."""

from __future__ import annotations

import logging
import tomllib

from tests.apptest import ROOT, all_text, live_app, metrics
from tests.standin import CANARY_KEY, Reply, sample_campaigns


def test_streamlit_config_keeps_xsrf_on_and_error_details_off():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["server"]["enableXsrfProtection"] is True
    assert config["client"]["showErrorDetails"] == "none"
    assert config["browser"]["gatherUsageStats"] is False


def test_secrets_file_is_never_committed():
    ignored = (ROOT / ".gitignore").read_text().splitlines()
    assert ".streamlit/secrets.toml" in ignored


def test_retry_warnings_in_the_server_log_are_redacted(standin, caplog):
    """urllib3 logs 'Retrying ... /campaigns/?api_key=...' on a broken connection."""
    caplog.set_level(logging.DEBUG)
    standin.portfolios[CANARY_KEY] = sample_campaigns()
    standin.script("/campaigns", Reply(fault="drop"))
    at = live_app(standin, key=CANARY_KEY)
    assert metrics(at)["Campaigns shown"] == "5", "the retry succeeded"
    retries = [r for r in caplog.records if "Retrying" in r.getMessage()]
    assert retries, "urllib3 did log the retry (so the filter had something to redact)"
    assert all("api_key=***" in r.getMessage() for r in retries)
    assert CANARY_KEY not in caplog.text
    assert CANARY_KEY not in all_text(at)
