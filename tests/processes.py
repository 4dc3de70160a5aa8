"""``python -m smartlead`` in a process of its own, as cron, a container's health check or a
user's shell runs it: the one way the tests start the command line."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]


def run_smartlead(
    *argv: str,
    env: Mapping[str, str] | None = None,
    cwd: Path = PROJECT,
    timeout: float = 60,
    check: bool = False,
) -> subprocess.CompletedProcess[str]:
    """Run the command with nobody at a terminal (stdin closed) and its output captured as
    text; ``env`` replaces the environment when given (the caller decides what leaks in)."""
    return subprocess.run(
        [sys.executable, "-m", "smartlead", *argv],
        cwd=cwd,
        env=dict(env) if env is not None else None,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=check,
    )
