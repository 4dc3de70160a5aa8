"""A real PostgreSQL server for the tests: Debian's binaries, a temporary data directory,
127.0.0.1 on a free port, one server per test session and one fresh database per test.

- **Found, never skipped.** ``initdb`` and ``postgres`` are looked up on ``PATH`` and in
  Debian's ``/usr/lib/postgresql/<version>/bin``. When they are missing the tests that need
  them fail with a sentence saying how to install them (``bash run-tests`` does it); under
  CI and elsewhere alike, nothing is skipped.
- **Root-proof.** ``initdb`` refuses to run as root, so when the tests run as root (CI does)
  the server runs as Debian's ``postgres`` user (else ``nobody``), in a directory that user
  owns; otherwise as the current user.
- **Left running by nobody.** The server is a child process of the tests (no daemon): the
  fixture stops it in its teardown, also after a failure, and the kernel stops it should the
  test process die first (``PR_SET_PDEATHSIG``).
- **A password that must never show.** The server asks for one over TCP
  (``scram-sha-256``); it is a canary that leak tests look for, and it holds characters that
  an address must percent-encode.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import pytest

PG_USER = "smartlead"
PG_PASSWORD = "pg-PASS/WORD@CANARY-5e1f"
"""The server's password: a canary no message, log, repr or table may hold, in any form."""

PG_PASSWORD_IN_URL = quote(PG_PASSWORD, safe="")

INSTALL_HINT = (
    "PostgreSQL's server programs (initdb, postgres) are missing: the history tests run a real "
    "server. Install Debian's package (apt-get install -y postgresql); `bash run-tests` does "
    "it for you."
)


def server_binaries() -> Path | None:
    """The folder holding ``initdb``, ``pg_ctl`` and ``postgres``, or None."""
    on_path = shutil.which("initdb")
    if on_path:
        folder = Path(on_path).resolve().parent
        if (folder / "postgres").exists():
            return folder
    versions = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/initdb"),
        key=lambda path: int(path.parent.parent.name) if path.parent.parent.name.isdigit() else 0,
    )
    return versions[-1].parent if versions else None


def _server_user() -> pwd.struct_passwd | None:
    """Whom the server runs as: None (this user) unless we are root."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        with contextlib.suppress(KeyError):
            return pwd.getpwnam(name)
    raise RuntimeError("running as root, and neither a postgres nor a nobody user exists")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


_LIBC = ctypes.CDLL(None, use_errno=True)
"""Loaded here, in the parent: a child between fork and exec should do as little as it can."""
_PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:  # pragma: no cover - runs in the child
    """In the child, before exec: the kernel stops the server if the test process dies."""
    _LIBC.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


@dataclass
class PostgresServer:
    """One running PostgreSQL server on 127.0.0.1 and what the tests need of it."""

    binaries: Path
    folder: Path
    port: int
    user: pwd.struct_passwd | None
    process: subprocess.Popen | None = None
    databases: list[str] = field(default_factory=list)

    @property
    def data(self) -> Path:
        return self.folder / "data"

    @property
    def log_path(self) -> Path:
        return self.folder / "server.log"

    def url(self, database: str = "postgres", *, password: bool = True) -> str:
        """The database's address, with the (percent-encoded) password unless told not to."""
        secret = f":{PG_PASSWORD_IN_URL}" if password else ""
        return f"postgresql://{PG_USER}{secret}@127.0.0.1:{self.port}/{database}"

    # ------------------------------------------------------------------ lifecycle

    def _run_as_server_user(self, args: list[str], **options: object) -> subprocess.Popen:
        extra: dict[str, object] = {}
        if self.user is not None:
            extra = {"user": self.user.pw_uid, "group": self.user.pw_gid, "extra_groups": []}
        return subprocess.Popen(
            args,
            cwd=self.folder,
            env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LC_ALL": "C", "TZ": "UTC"},
            preexec_fn=_die_with_parent,
            **extra,
            **options,  # type: ignore[arg-type]
        )

    def initialise(self) -> None:
        """``initdb``: a cluster whose superuser logs in with the canary password over TCP."""
        password_file = self.folder / "password"
        password_file.write_text(PG_PASSWORD + "\n")
        self._own(password_file)
        process = self._run_as_server_user(
            [
                str(self.binaries / "initdb"),
                "--pgdata",
                str(self.data),
                "--username",
                PG_USER,
                "--pwfile",
                str(password_file),
                "--auth-local",
                "trust",
                "--auth-host",
                "scram-sha-256",
                "--encoding",
                "UTF8",
                "--no-locale",
                "--no-sync",
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        output, _ = process.communicate(timeout=120)
        password_file.unlink()
        if process.returncode != 0:
            raise RuntimeError(f"initdb failed:\n{output.decode(errors='replace')[-2000:]}")

    def start(self, timeout: float = 60) -> None:
        """Start the server (again, after :meth:`stop`) and wait until it takes logins."""
        log = self.log_path.open("ab")
        self.process = self._run_as_server_user(
            [
                str(self.binaries / "postgres"),
                "-D",
                str(self.data),
                "-p",
                str(self.port),
                "-h",
                "127.0.0.1",
                "-k",
                str(self.folder),
                "-c",
                "fsync=off",
                "-c",
                "synchronous_commit=off",
                "-c",
                "full_page_writes=off",
                "-c",
                "max_connections=300",
                "-c",
                "shared_buffers=32MB",
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()
        self._wait_ready(timeout)

    def _wait_ready(self, timeout: float) -> None:
        import psycopg

        deadline = time.monotonic() + timeout
        while True:
            assert self.process is not None
            if self.process.poll() is not None:
                raise RuntimeError(f"postgres exited early:\n{self.log()[-2000:]}")
            try:
                psycopg.connect(self.url(), connect_timeout=2).close()
                return
            except psycopg.OperationalError:
                if time.monotonic() > deadline:
                    raise RuntimeError(
                        f"postgres did not accept logins in {timeout:.0f} s:\n{self.log()[-2000:]}"
                    ) from None
                time.sleep(0.1)

    def stop(self) -> None:
        """Stop the server at once (fast shutdown: open connections are cut)."""
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        process.send_signal(signal.SIGINT)  # "fast" shutdown
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def _own(self, path: Path) -> None:
        if self.user is not None:
            os.chown(path, self.user.pw_uid, self.user.pw_gid)

    # ------------------------------------------------------------------ databases

    def admin(self) -> object:
        """A superuser connection to the maintenance database (autocommit)."""
        import psycopg

        return psycopg.connect(self.url(), autocommit=True)

    def create_database(self, prefix: str = "test") -> str:
        """A fresh, empty database; its name."""
        name = f"{prefix}_{uuid.uuid4().hex[:12]}"
        with self.admin() as connection:  # type: ignore[attr-defined]
            connection.execute(f'CREATE DATABASE "{name}"')
        self.databases.append(name)
        return name

    def drop_database(self, name: str) -> None:
        """Drop a database, cutting any connection still open to it."""
        if self.process is None:
            return
        with self.admin() as connection:  # type: ignore[attr-defined]
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextlib.contextmanager
def running_server() -> Iterator[PostgresServer]:
    """A fresh PostgreSQL server, stopped and deleted afterwards (also after a failure)."""
    binaries = server_binaries()
    if binaries is None:
        raise RuntimeError(INSTALL_HINT)
    user = _server_user()
    # Not pytest's tmp_path: it is private to root, and the server may run as another user.
    folder = Path(tempfile.mkdtemp(prefix="smartlead-postgres-"))
    server = PostgresServer(binaries=binaries, folder=folder, port=_free_port(), user=user)
    try:
        if user is not None:
            os.chown(folder, user.pw_uid, user.pw_gid)
        server.initialise()
        server.start()
        yield server
    finally:
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """One PostgreSQL server for the whole session; a missing server fails (never skips)."""
    try:
        with running_server() as server:
            yield server
    except RuntimeError as problem:
        if str(problem) == INSTALL_HINT:
            pytest.fail(INSTALL_HINT, pytrace=False)
        raise


def forget_shared_limits(url: str) -> None:
    """Close and forget the rate limiters and shared budgets this process made for ``url``
    (``limiter_for`` keeps one per key for the life of the process)."""
    from smartlead import ratelimit, sharedlimit

    with ratelimit._limiters_lock:
        for slot in [slot for slot in ratelimit._limiters if slot[2] and slot[2].url == url]:
            del ratelimit._limiters[slot]
    with sharedlimit._budgets_lock:
        for address in [address for address in sharedlimit._budgets if address.url == url]:
            sharedlimit._budgets.pop(address).close()


@pytest.fixture
def postgres_url(postgres_server: PostgresServer) -> Iterator[str]:
    """The address (password included) of a fresh database of its own, dropped afterwards
    (with the rate limiters that shared their limit through it)."""
    name = postgres_server.create_database()
    url = postgres_server.url(name)
    yield url
    forget_shared_limits(url)
    if postgres_server.process is None:  # a test stopped the server: start it again
        postgres_server.start()
    postgres_server.drop_database(name)
