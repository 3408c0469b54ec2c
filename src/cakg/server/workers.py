"""Query workers: processes that each hold the store, so that a runaway query can be killed.

pyoxigraph evaluates a query inside its own thread and cannot be interrupted, so the server
never runs one in its own process. A small pool of worker processes each load the data once;
the server hands a task to an idle worker and waits at most the time limit for the answer. A
worker that does not answer in time is killed (SIGKILL) and replaced by a fresh one, and the
request gets a clear error instead of a hung thread. Each worker also runs under a memory
limit (``RLIMIT_AS``): a query that passes it fails or kills its worker, which is replaced,
and the request is told the limit was reached. One client (by address) may hold at most
``per_client`` workers at once, so that it cannot keep every other client waiting.

Tasks are plain tuples ``(kind, *args)`` and answers plain picklable values, so that the
``spawn`` start method works everywhere (no fork of a process that already runs threads).
"""

from __future__ import annotations

import logging
import multiprocessing as mp
import queue
import signal
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
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

__all__ = ["ClientBusy", "DataSource", "MemoryLimitReached", "WorkerPool"]

log = logging.getLogger("cakg.server")

# A worker that ran out of memory in Python code exits with this status; Rust code (Oxigraph)
# aborts instead (SIGABRT) when an allocation fails.
_MEMORY_EXIT = 75


class MemoryLimitReached(WorkerCrashed):
    """A query took more memory than a worker may have; the worker was replaced."""


class ClientBusy(ServerBusy):
    """One client already holds as many workers as it may at once."""


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


def limit_memory(megabytes: int | None) -> None:
    """Cap this process's address space at ``megabytes`` (no cap for None or 0).

    >>> limit_memory(None)
    """
    if not megabytes:
        return
    import resource

    limit = megabytes * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _open(source: DataSource) -> OxigraphStore:
    if source.store_dir is not None:
        # Read-only: several worker processes open the same on-disk store at once.
        return OxigraphStore.open_read_only(source.store_dir)
    return open_store(list(source.paths))


def _worker_main(
    conn: Connection, source: DataSource, updates: Sequence[str], memory_mb: int | None
) -> None:
    """Load the data once, then answer tasks until the pipe closes."""
    from cakg.server.tasks import handle, startup_info

    isolated = isolate_network()
    limit_memory(memory_mb)
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
        except MemoryError:
            # Half-built objects may hold the memory still: the pool starts a fresh worker.
            raise SystemExit(_MEMORY_EXIT) from None
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
        self,
        source: DataSource,
        size: int = 2,
        *,
        per_client: int | None = None,
        memory_mb: int | None = None,
        startup_timeout: float = 600.0,
    ) -> None:
        if size < 1:
            raise InputError("the server needs at least one worker")
        self.source = source
        self.size = size
        # By default one client cannot take every worker (unless there is only one).
        self.per_client = per_client or max(size - 1, 1)
        self.memory_mb = memory_mb
        self._held: Counter[str] = Counter()
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
            args=(child, self.source, updates, self.memory_mb),
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
            hint = f" (raise --worker-memory from {self.memory_mb} MB)"
            limit = hint if self._out_of_memory(worker) else ""
            self._kill(worker)
            raise InputError(f"a query worker died while loading the data{limit}") from None
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

    @contextmanager
    def _client_slot(self, client: str | None) -> Iterator[None]:
        """Count a task against its client's share of the workers, or refuse it at once."""
        if client is None:
            yield
            return
        with self._lock:
            if self._held[client] >= self.per_client:
                raise ClientBusy(
                    f"this client already runs {self.per_client} "
                    f"quer{'y' if self.per_client == 1 else 'ies'} at once; "
                    "wait for an answer before sending another"
                )
            self._held[client] += 1
        try:
            yield
        finally:
            with self._lock:
                self._held[client] -= 1
                if not self._held[client]:
                    del self._held[client]

    def run(self, task: tuple[Any, ...], timeout: float, client: str | None = None) -> Any:
        """Run a task on an idle worker; kill it if it takes longer than ``timeout`` seconds.

        ``client`` (an address) may hold at most ``per_client`` workers at once.
        """
        with self._client_slot(client):
            return self._run(task, timeout)

    def _run(self, task: tuple[Any, ...], timeout: float) -> Any:
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
            raise self._crashed(worker) from None
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
            raise self._crashed(worker) from None
        if release:
            self._idle.put(worker)
        if status == "ok":
            return payload[0]
        kind, message, line, column = payload
        if kind == "internal":
            # The engine's or Python's words stay in the log; the client gets an id to quote.
            request_id = uuid.uuid4().hex[:12]
            log.error("query worker error [%s]: %s", request_id, message)
            message = f"internal error (request id {request_id}, in the server's log)"
        raise WorkerError(kind, message, line=line, column=column)

    def _out_of_memory(self, worker: _Worker) -> bool:
        """Whether a worker that closed its pipe died of the memory limit (it is waited for)."""
        worker.proc.join(5)
        code = worker.proc.exitcode
        return bool(self.memory_mb) and code in (_MEMORY_EXIT, -signal.SIGABRT, -signal.SIGKILL)

    def _crashed(self, worker: _Worker) -> WorkerCrashed:
        """The error for a worker that died under a task (it is replaced)."""
        out_of_memory = self._out_of_memory(worker)
        self._kill(worker)
        self._replace()
        if out_of_memory:
            return MemoryLimitReached(
                f"the query reached the memory limit of a worker ({self.memory_mb} MB, "
                "the server's --worker-memory) and was stopped"
            )
        return WorkerCrashed("the query worker stopped unexpectedly; it is being replaced")

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
