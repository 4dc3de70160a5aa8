"""``health``: whether this server's history store answers, for a container's health check.

Prints which store the settings name (its kind and where it is, never a password) and how
long it took to answer; exits 0 when it answered (or history is turned off), 7 with a
sentence when it did not. Use it beside Streamlit's ``/_stcore/health``, which says only
that the web server runs.
"""

from __future__ import annotations

import argparse
import time
from typing import TextIO

from smartlead import history, settings
from smartlead.cli.common import EXIT_OK


def command_health(args: argparse.Namespace, stdout: TextIO) -> int:
    """Ask the configured store for its newest snapshot; raise HistoryUnavailableError if
    it cannot answer (the command line turns that into exit code 7 and a sentence)."""
    store = history.open_store()
    if store is None:
        stdout.write(
            f"History is turned off ({settings.ENV_HISTORY_PATH}=off): there is no store to "
            "check.\n"
        )
        return EXIT_OK
    started = time.monotonic()
    try:
        store.list(limit=1)  # also creates or migrates the tables on first use
    finally:
        history.close_store(store)
    elapsed = (time.monotonic() - started) * 1000
    shared = (
        " Every replica using it shares the history, the per-campaign figures and one rate "
        "limit per key."
        if isinstance(settings.history_location(), settings.DatabaseAddress)
        else ""
    )
    stdout.write(f"History store: {store.kind} at {store.location} answers ({elapsed:.0f} ms).")
    stdout.write(f"{shared}\n")
    return EXIT_OK


def register(commands: argparse._SubParsersAction) -> None:
    """Add ``health`` to the command line."""
    health = commands.add_parser(
        "health",
        help="check that the history store answers (for a container's health check)",
        description="Check that the history store named by "
        f"{settings.ENV_HISTORY_PATH} answers: exit 0 when it does (or history is off), 7 "
        "with a sentence when it does not. Needs no API key.",
    )
    health.set_defaults(handler=command_health)
