"""Query workers: processes that each hold the store, so that a runaway query can be killed.

pyoxigraph evaluates a query inside its own thread and cannot be interrupted, so the server
never runs one in its own process. A small pool of worker processes each load the data once;
the server hands a task to an idle worker and waits at most the time limit for the answer. A
worker that does not answer in time is killed (SIGKILL) and replaced by a fresh one, and the
request gets a clear error instead of a hung thread.

Tasks are plain tuples ``(kind, *args)`` and answers plain picklable values, so that the
``spawn`` start method works everywhere (no fork of a process that already runs threads).
"""

from __future__ import annotations

import logging
import multiprocessing as mp
import queue
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import Any

from cakg.errors import (
    CakgError,
    InputError,
    QuerySyntaxError,
    QueryTimeout,
    ServerBusy,
    WorkerCrashed,
    WorkerError,
)
from cakg.graph.store.engines import OxigraphStore, open_store

__all__ = ["DataSource", "WorkerPool"]

log = logging.getLogger("cakg.server")


@dataclass(frozen=True)
class DataSource:
    """What each worker serves: built graph files loaded in memory, or an on-disk Oxigraph store."""

    paths: tuple[str, ...] = ()
    store_dir: str | None = None
    base: str | None = None


# --- the worker process -----------------------------------------------------------------------


# unshare(2) flags (linux/sched.h).
_CLONE_NEWUSER = 0x10000000
_CLONE_NEWNET = 0x40000000


def isolate_network() -> bool:
    """Move this process into a network namespace of its own, with no way out; True if done.

    A worker needs no network: it reads files and answers through a pipe. The endpoint
    refuses SERVICE and LOAD before a query reaches a worker; this makes an outbound request
    impossible even if a query slipped past that check (defence in depth: Oxigraph would
    otherwise fetch a SERVICE's URL itself). A new network namespace has only a loopback
    device, and it is down. Root may unshare it directly; another user needs a user
    namespace first (unprivileged user namespaces, on by default in Debian 12).
    """
    import ctypes
    import os
    import sys

    if not sys.platform.startswith("linux"):
        return False
    libc = ctypes.CDLL(None, use_errno=True)
    flags = _CLONE_NEWNET if os.geteuid() == 0 else _CLONE_NEWUSER | _CLONE_NEWNET
    return bool(libc.unshare(flags) == 0)


def _open(source: DataSource) -> OxigraphStore:
    if source.store_dir is not None:
        # Read-only: several worker processes open the same on-disk store at once.
        return OxigraphStore.open_read_only(source.store_dir)
    return open_store(list(source.paths))


def _worker_main(conn: Connection, source: DataSource, updates: Sequence[str]) -> None:
    """Load the data once, then answer tasks until the pipe closes."""
    from cakg.server.tasks import handle, startup_info

    isolated = isolate_network()
    try:
        store = _open(source)
        for text in updates:
            store.update(text)
        info = {**startup_info(store, source), "network_isolated": isolated}
    except CakgError as exc:
        conn.send(("error", "input", exc.one_line(), None, None))
        return
    except Exception as exc:  # pragma: no cover - depends on the data
        conn.send(("error", "internal", f"{type(exc).__name__}: {exc}", None, None))
        return
    conn.send(("ready", info))
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        try:
            conn.send(("ok", handle(store, task)))
        except QuerySyntaxError as exc:
            conn.send(("error", "syntax", exc.one_line(), exc.line, exc.column))
        except CakgError as exc:
            conn.send(("error", "input", exc.one_line(), exc.line, None))
        except Exception as exc:
            conn.send(("error", "internal", f"{type(exc).__name__}: {exc}", None, None))


# --- the pool, in the server process ------------------------------------------------------------


@dataclass(eq=False)
class _Worker:
    proc: Any
    conn: Connection
    number: int
    started: float = field(default_factory=time.monotonic)


class WorkerPool:
    """A fixed number of worker processes; ``run`` hands one a task under a time limit."""

    def __init__(
        self, source: DataSource, size: int = 2, *, startup_timeout: float = 600.0
    ) -> None:
        if size < 1:
            raise InputError("the server needs at least one worker")
        self.source = source
        self.size = size
        self.startup_timeout = startup_timeout
        self.info: dict[str, Any] = {}
        self.killed = 0
        self._ctx = mp.get_context("spawn")
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self._updates: list[str] = []
        self._counter = 0
        self._closed = False
        self._write_lock = threading.Lock()

    # -- life cycle

    def _spawn(self) -> _Worker:
        parent, child = self._ctx.Pipe(duplex=True)
        with self._lock:
            self._counter += 1
            number = self._counter
            updates = list(self._updates)
        proc = self._ctx.Process(
            target=_worker_main,
            args=(child, self.source, updates),
            name=f"cakg-query-worker-{number}",
            daemon=True,
        )
        proc.start()
        child.close()
        worker = _Worker(proc, parent, number)
        if not parent.poll(self.startup_timeout):
            self._kill(worker)
            raise InputError(
                f"a query worker did not load the data in {self.startup_timeout:.0f} s"
            )
        try:
            status, *payload = parent.recv()
        except (EOFError, OSError):
            self._kill(worker)
            raise InputError("a query worker died while loading the data") from None
        if status != "ready":
            self._kill(worker)
            raise InputError(str(payload[1]))
        with self._lock:
            self.info = payload[0]
            self._all.add(worker)
        return worker

    def start(self) -> None:
        """Start every worker (in parallel) and wait until each has loaded the data."""
        errors: list[BaseException] = []

        def one() -> None:
            try:
                self._idle.put(self._spawn())
            except BaseException as exc:
                errors.append(exc)

        threads = [threading.Thread(target=one, daemon=True) for _ in range(self.size)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        if errors:
            self.close()
            raise errors[0]

    def _kill(self, worker: _Worker) -> None:
        with self._lock:
            self._all.discard(worker)
        try:
            worker.proc.kill()
            worker.proc.join(10)
        finally:
            worker.conn.close()

    def _replace(self) -> None:
        """Start a new worker in the background (the killed one's slot stays empty meanwhile)."""

        def run() -> None:
            if self._closed:
                return
            try:
                worker = self._spawn()
            except BaseException as exc:  # pragma: no cover - the data loaded before
                log.error("could not replace a query worker: %s", exc)
                return
            if self._closed:
                self._kill(worker)
            else:
                self._idle.put(worker)

        threading.Thread(target=run, daemon=True, name="cakg-worker-replacement").start()

    def close(self) -> None:
        """Stop every worker."""
        self._closed = True
        with self._lock:
            workers = list(self._all)
        for w in workers:
            self._kill(w)

    def alive(self) -> int:
        """How many workers exist (idle or busy)."""
        with self._lock:
            return len(self._all)

    @property
    def updated(self) -> bool:
        """Whether the data was changed by SPARQL Update since the workers loaded it."""
        with self._lock:
            return bool(self._updates)

    # -- running tasks

    def run(self, task: tuple[Any, ...], timeout: float) -> Any:
        """Run a task on an idle worker; kill it if it takes longer than ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        try:
            worker = self._idle.get(timeout=timeout)
        except queue.Empty:
            raise ServerBusy(
                f"every query worker stayed busy for {timeout:g} s; try again later"
            ) from None
        left = max(deadline - time.monotonic(), 0.05)
        return self._on(worker, task, left, release=True, limit=timeout)

    def _on(
        self,
        worker: _Worker,
        task: tuple[Any, ...],
        timeout: float,
        release: bool,
        limit: float | None = None,
    ) -> Any:
        """Send a task and wait ``timeout`` seconds; ``limit`` is the time limit to report."""
        try:
            worker.conn.send(task)
            ready = worker.conn.poll(timeout)
        except (EOFError, OSError, BrokenPipeError):
            self._kill(worker)
            self._replace()
            raise WorkerCrashed("the query worker died; it is being replaced") from None
        if not ready:
            self._kill(worker)
            self.killed += 1
            self._replace()
            raise QueryTimeout(
                f"the query ran past the time limit of {limit or timeout:g} s and was stopped"
            )
        try:
            status, *payload = worker.conn.recv()
        except (EOFError, OSError):
            self._kill(worker)
            self._replace()
            raise WorkerCrashed(
                "the query worker died while answering (out of memory?); it is being replaced"
            ) from None
        if release:
            self._idle.put(worker)
        if status == "ok":
            return payload[0]
        kind, message, line, column = payload
        raise WorkerError(kind, message, line=line, column=column)

    def update(self, text: str, timeout: float, apply: Callable[[str], None] | None = None) -> None:
        """Apply a SPARQL Update on every worker (and on every future replacement)."""
        with self._write_lock:
            taken: list[_Worker] = []
            try:
                deadline = time.monotonic() + timeout
                while len(taken) < self.alive():
                    left = deadline - time.monotonic()
                    if left <= 0:
                        raise ServerBusy(
                            "the query workers stayed busy; the update was not applied"
                        )
                    try:
                        taken.append(self._idle.get(timeout=left))
                    except queue.Empty:
                        continue
                # Validate on one worker first: a failing update changes nothing anywhere.
                first, rest = taken[0], taken[1:]
                self._on(first, ("update", text), timeout, release=False)
                with self._lock:
                    self._updates.append(text)
                for w in rest:
                    self._on(w, ("update", text), timeout, release=False)
                if apply is not None:
                    apply(text)
            finally:
                for w in taken:
                    with self._lock:
                        alive = w in self._all
                    if alive:
                        self._idle.put(w)
