"""A throw-away Virtuoso Open-Source server for the remote-store tests.

Debian's ``virtuoso-opensource`` package (installed by ``make test``) ships the server
(``virtuoso-t``), its SQL client (``isql-vt``) and a default ``virtuoso.ini``; it starts
no server itself. The fixture copies that ``virtuoso.ini`` into a temporary folder with
the database files there, both listeners on free loopback ports, and the SPARQL result
cap raised; starts ``virtuoso-t`` in the foreground in its own process group; sets its
own ``dba`` password; and kills the group at the end. A missing binary is a failure
with the reason, never a skip.

Run it by hand to experiment: ``python tests/virtuoso.py`` prints the endpoint and
waits for Ctrl-C.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx

# Debian 12 (virtuoso-opensource-7-bin) installs these names; other builds use `isql`.
SERVER_BINARY = "virtuoso-t"
SQL_CLIENTS = ("isql-vt", "isql-v")
# The package's pristine copy first; /etc holds the local administrator's version.
INI_TEMPLATES = (
    Path("/usr/share/virtuoso-opensource-7/virtuoso.ini"),
    Path("/etc/virtuoso-opensource-7/virtuoso.ini"),
)
START_TIMEOUT = 90.0


class VirtuosoUnavailable(RuntimeError):
    """Virtuoso is not installed or did not start; the message says why and what to do."""


@dataclass
class VirtuosoServer:
    """A running server: its folder, ports, dba password and process."""

    folder: Path
    http_port: int
    sql_port: int
    password: str
    process: subprocess.Popen[bytes]
    started_in: float = 0.0
    user: str = "dba"

    @property
    def root(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    @property
    def endpoint(self) -> str:
        """The public SPARQL query endpoint (anonymous, read-only)."""
        return f"{self.root}/sparql"

    def log(self) -> str:
        path = self.folder / "virtuoso.log"
        return path.read_text(errors="replace")[-4000:] if path.exists() else ""


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _set_in_sections(text: str, settings: dict[str, dict[str, str]]) -> str:
    """Set `key = value` in `[section]`s of an ini text, adding keys a section lacks."""
    out: list[str] = []
    section = ""
    pending = {s: dict(kv) for s, kv in settings.items()}

    def flush(sec: str) -> None:
        for key, value in pending.pop(sec, {}).items():
            out.append(f"{key} = {value}")

    for line in text.splitlines():
        head = re.match(r"^\s*\[([^\]]+)\]", line)
        if head:
            flush(section)
            section = head.group(1).strip()
            out.append(line)
            continue
        key = re.match(r"^\s*([A-Za-z0-9_]+)\s*=", line)
        if key and section in pending and key.group(1) in pending[section]:
            out.append(f"{key.group(1)} = {pending[section].pop(key.group(1))}")
            continue
        if section == "Plugins" and key and key.group(1).startswith("Load"):
            # The hosting plugins (wiki engines, ...) are not needed and slow the start.
            continue
        out.append(line)
    flush(section)
    for sec in list(pending):
        out.append(f"[{sec}]")
        flush(sec)
    return "\n".join(out) + "\n"


def write_ini(folder: Path, http_port: int, sql_port: int) -> Path:
    """A copy of the packaged virtuoso.ini with its database in `folder` and loopback ports."""
    template = next((p for p in INI_TEMPLATES if p.exists()), None)
    if template is None:
        raise VirtuosoUnavailable(
            "no virtuoso.ini template found ("
            + ", ".join(str(p) for p in INI_TEMPLATES)
            + "): install Debian's virtuoso-opensource (make test does)"
        )
    db = folder
    settings = {
        "Database": {
            "DatabaseFile": str(db / "virtuoso.db"),
            "ErrorLogFile": str(db / "virtuoso.log"),
            "LockFile": str(db / "virtuoso.lck"),
            "TransactionFile": str(db / "virtuoso.trx"),
            "xa_persistent_file": str(db / "virtuoso.pxa"),
        },
        "TempDatabase": {
            "DatabaseFile": str(db / "virtuoso-temp.db"),
            "TransactionFile": str(db / "virtuoso-temp.trx"),
        },
        "Parameters": {
            "ServerPort": f"127.0.0.1:{sql_port}",
            "DirsAllowed": f"., {db}, /usr/share/virtuoso-opensource-7/vad",
            # An empty VAD folder: a new database then skips installing the Conductor
            # web UI (about 7 s); the SPARQL and Graph Store endpoints do not need it.
            "VADInstallDir": str(db / "vad"),
        },
        # An empty web root of its own: the packaged one comes with a recommended
        # package (virtuoso-vsp-startpage) that `--no-install-recommends` leaves out.
        "HTTPServer": {"ServerPort": f"127.0.0.1:{http_port}", "ServerRoot": str(db / "vsp")},
        # Virtuoso cuts results at ResultSetMaxRows (10,000 by default), silently; and it
        # refuses queries whose *estimated* cost passes MaxQueryCostEstimationTime, an
        # estimate that swings by orders of magnitude with the statistics of a freshly
        # loaded database (0 turns the check off; real run time stays capped).
        "SPARQL": {
            "ResultSetMaxRows": "1000000",
            "MaxQueryCostEstimationTime": "0",
            "MaxQueryExecutionTime": "300",
        },
    }
    (db / "vad").mkdir(exist_ok=True)
    (db / "vsp").mkdir(exist_ok=True)
    ini = folder / "virtuoso.ini"
    ini.write_text(_set_in_sections(template.read_text(), settings))
    return ini


def _sql_client() -> str:
    for name in SQL_CLIENTS:
        path = shutil.which(name)
        if path:
            return path
    raise VirtuosoUnavailable(f"none of {', '.join(SQL_CLIENTS)} found (virtuoso-opensource)")


def _wait_until_up(server: VirtuosoServer, deadline: float) -> None:
    last = ""
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise VirtuosoUnavailable(
                f"virtuoso-t exited with code {server.process.returncode}: {server.log()}"
            )
        try:
            r = httpx.get(server.endpoint, params={"query": "ASK {}"}, timeout=2.0)
            if r.status_code == 200:
                return
            last = f"HTTP {r.status_code}"
        except httpx.HTTPError as exc:
            last = str(exc)
        time.sleep(0.1)
    raise VirtuosoUnavailable(f"virtuoso-t did not answer within {START_TIMEOUT:.0f} s ({last})")


def start_virtuoso(folder: Path) -> VirtuosoServer:
    """Start a fresh Virtuoso in `folder`, set its dba password; raise VirtuosoUnavailable."""
    binary = shutil.which(SERVER_BINARY)
    if binary is None:
        raise VirtuosoUnavailable(
            f"{SERVER_BINARY} is not installed: run `make test`, which installs Debian's "
            "virtuoso-opensource (or: sudo apt-get install virtuoso-opensource)"
        )
    isql = _sql_client()
    folder.mkdir(parents=True, exist_ok=True)
    http_port, sql_port = _free_port(), _free_port()
    ini = write_ini(folder, http_port, sql_port)
    began = time.monotonic()
    log = (folder / "stdout.log").open("wb")
    process = subprocess.Popen(
        [binary, "+foreground", "+configfile", str(ini)],
        cwd=folder,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group, killed as a whole at the end
    )
    password = secrets.token_urlsafe(12)
    server = VirtuosoServer(folder, http_port, sql_port, "dba", process)
    try:
        _wait_until_up(server, began + START_TIMEOUT)
        # A new database's dba password is `dba`; the tests use their own.
        done = subprocess.run(
            [
                isql,
                f"127.0.0.1:{sql_port}",
                "dba",
                "dba",
                f"exec=user_set_password('dba', '{password}');",
            ],
            capture_output=True,
            timeout=60,
            check=False,
        )
        if done.returncode != 0:
            raise VirtuosoUnavailable(
                f"setting the dba password failed: {done.stdout.decode(errors='replace')}"
                f"{done.stderr.decode(errors='replace')}"
            )
        server.password = password
    except BaseException:
        stop_virtuoso(server)
        raise
    server.started_in = time.monotonic() - began
    return server


def stop_virtuoso(server: VirtuosoServer) -> None:
    """Stop the server's whole process group (TERM, then KILL after a grace period)."""
    if server.process.poll() is not None:
        return
    try:
        os.killpg(server.process.pid, signal.SIGTERM)
        server.process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(server.process.pid, signal.SIGKILL)
        server.process.wait(timeout=15)
    except ProcessLookupError:
        pass


def running_virtuoso(folder: Path) -> Iterator[VirtuosoServer]:
    """A server for the span of a `with`-like generator (used by the pytest fixture)."""
    server = start_virtuoso(folder)
    try:
        yield server
    finally:
        stop_virtuoso(server)


if __name__ == "__main__":  # pragma: no cover - a developer's convenience
    import tempfile

    def _stop(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    # Background jobs ignore SIGINT; stop cleanly (database folder removed) on TERM too.
    signal.signal(signal.SIGTERM, _stop)
    with tempfile.TemporaryDirectory(prefix="cakg-virtuoso-") as tmp:
        srv = start_virtuoso(Path(tmp))
        print(f"Virtuoso up in {srv.started_in:.1f} s: {srv.endpoint} (dba / {srv.password})")
        try:
            srv.process.wait()
        except KeyboardInterrupt:
            pass
        finally:
            stop_virtuoso(srv)
