"""The Overview's report buttons in AppTest: one for the view, a second for the one client the
filters select, its label escaping the client's name (the browser tests download the reports:
tests/e2e/test_report.py)."""

from __future__ import annotations

from tests.apptest import live_app
from tests.standin import TEST_KEY, StandinSmartlead

HOSTILE = "**Bold** [x](https://evil.example) :red[Acme]"


def download_labels(at) -> list[str]:
    return [button.proto.label for button in at.get("download_button")]


def test_a_selected_client_gets_its_own_button_with_its_name_escaped(
    standin: StandinSmartlead,
):
    standin.clients[TEST_KEY][0]["name"] = HOSTILE
    at = live_app(standin)
    assert not at.exception
    assert download_labels(at) == ["Download report"]
    at.multiselect(key="client").set_value([HOSTILE]).run()
    assert not at.exception
    labels = download_labels(at)
    assert len(labels) == 2
    assert labels[1].startswith("Download the report for ")
    assert "**Bold**" not in labels[1], "the name is escaped, not Markdown"
    assert "[x](https" not in labels[1]
