"""Query workers: processes that each hold the store, so that a runaway query can be killed.

pyoxigraph evaluates a query inside its own thread and cannot be interrupted, so the server
never runs one in its own process. A small pool of worker processes each load the data once;
the server hands a task to an idle worker and waits at most the time limit for the answer. A
worker that does not answer in time is killed (SIGKILL) and replaced by a fresh one, and the
request gets a clear error instead of a hung thread. Each worker also runs under a memory
limit (``RLIMIT_AS``): a query that passes it fails or kills its worker, which is replaced,
and the request is told the limit was reached. One client (by address) may hold at most
``per_client`` workers at once, so that it cannot keep every other client waiting.

Scheduling (a two-level feedback queue, after the multilevel-feedback scheduler of CTSS and
of the textbooks): every task starts at the normal priority, since it may be small. A query
(or update) that has used ``demote_after`` seconds of CPU (its quantum) is *demoted*: the
thread running it in the worker is reniced to the lowest priority
(:mod:`cakg.server.priority`), so that on a busy machine the kernel gives the CPU to the
short tasks first and the long one gets what they leave (a demoted task still runs at full
speed on an idle machine, and is still killed at the time limit; on a machine busy with
other work it hardly runs at all, so the quantum must lie above what any ordinary query
needs). The quantum is CPU time, not wall time: under load a small query waits for the CPU
longer than it computes, and must not be taken for a long one. Each task runs in a fresh
thread of its worker, because an unprivileged process may raise its nice value but never
lower it again (setpriority(2)); the demoted thread ends with its task and the next task
starts at the worker's own priority. While every worker is busy with a demoted task, the
pool starts a spare worker (up to ``spare`` of them) so that a new request always finds a
fast lane; a worker is retired when its task ends, the pool holds more workers than ``size``
and a fast lane is left without it.

Tasks are plain tuples ``(kind, *args)`` and answers plain picklable values, so that the
``spawn`` start method works everywhere (no fork of a process that already runs threads).
"""

from __future__ import annotations

import logging
import multiprocessing as mp
import os
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
from cakg.server.priority import cpu_seconds, demote

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
    from cakg.server.tasks import startup_info

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
        # A thread of its own, which the pool may demote (module docstring); this thread
        # keeps the worker's priority for the next task.
        replies: list[tuple[Any, ...] | None] = []
        runner = threading.Thread(
            target=_reply, args=(store, task, replies), name="cakg-task", daemon=True
        )
        runner.start()
        runner.join()
        if not replies or replies[0] is None:
            # Half-built objects may hold the memory still: the pool starts a fresh worker.
            raise SystemExit(_MEMORY_EXIT)
        conn.send(replies[0])


def _reply(
    store: OxigraphStore, task: tuple[Any, ...], replies: list[tuple[Any, ...] | None]
) -> None:
    """Append the message answering a task to ``replies``; None when it ran out of memory."""
    from cakg.server.tasks import handle

    reply: tuple[Any, ...] | None
    try:
        reply = ("ok", handle(store, task))
    except QuerySyntaxError as exc:
        reply = ("error", "syntax", exc.detail, exc.line, exc.column)
    except CakgError as exc:
        reply = ("error", "input", exc.one_line(), exc.line, None)
    except MemoryError:
        reply = None
    except Exception as exc:
        reply = ("error", "internal", f"{type(exc).__name__}: {exc}", None, None)
    replies.append(reply)


# The tasks a client's text makes as long as it likes: the only ones demoted. The server's
# own tasks (exports, views, entity pages) are as long as its data makes them, and demoted
# on a machine busy with other work they would hardly run at all.
DEMOTABLE = ("sparql", "answer", "rows", "named", "update", "vet", "vet_update")


# --- the pool, in the server process ------------------------------------------------------------


@dataclass(eq=False)
class _Worker:
    proc: Any
    conn: Connection
    number: int
    started: float = field(default_factory=time.monotonic)


class WorkerPool:
    """Worker processes (``size``, and up to ``spare`` more while every one runs a demoted
    task); ``run`` hands one a task under a time limit."""

    def __init__(
        self,
        source: DataSource,
        size: int = 2,
        *,
        per_client: int | None = None,
        memory_mb: int | None = None,
        startup_timeout: float = 600.0,
        demote_after: float | None = None,
        spare: int = 0,
    ) -> None:
        if size < 1:
            raise InputError("the server needs at least one worker")
        self.source = source
        self.size = size
        self.demote_after = demote_after or None
        self.spare = spare
        self.demoted = 0  # tasks demoted so far
        self._slow: set[_Worker] = set()  # workers running a demoted task now
        self._spawning = 0
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

    def _spawn(self, counted: bool = False) -> _Worker:
        """Start a worker and wait until it has loaded the data; ``counted``: it was counted
        in ``_spawning``, until it joins the others (under the same lock, so that the pool
        never counts it twice or not at all)."""
        try:
            worker = self._start_worker()
        except BaseException:
            if counted:
                with self._lock:
                    self._spawning -= 1
            raise
        with self._lock:
            self._all.add(worker)
            if counted:
                self._spawning -= 1
        return worker

    def _start_worker(self) -> _Worker:
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
            self._slow.discard(worker)
        try:
            worker.proc.kill()
            worker.proc.join(10)
        finally:
            worker.conn.close()

    def _replace(self, spare: bool = False) -> None:
        """Start a new worker in the background (the killed one's slot stays empty meanwhile):
        up to ``size`` workers, or one more up to ``size + spare`` for a fast lane."""
        with self._lock:
            present = len(self._all) + self._spawning
            if self._closed or present >= self.size + (self.spare if spare else 0):
                return
            self._spawning += 1  # counted before the thread starts, so two calls add one each

        def run() -> None:
            try:
                worker = self._spawn(counted=True)
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

    def slow(self) -> int:
        """How many workers are running a demoted task now."""
        with self._lock:
            return len(self._slow)

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
        """Run a task on an idle worker; kill it if it runs longer than ``timeout`` seconds
        (waiting for an idle worker at most as long again).

        ``client`` (an address) may hold at most ``per_client`` workers at once.
        """
        with self._client_slot(client):
            return self._run(task, timeout)

    def _run(self, task: tuple[Any, ...], timeout: float) -> Any:
        try:
            worker = self._idle.get(timeout=timeout)
        except queue.Empty:
            raise ServerBusy(
                f"every query worker stayed busy for {timeout:g} s; try again later"
            ) from None
        # The limit is on running (the wait has its own, above): were the wait charged too,
        # a busy server would kill ordinary queries that had run a fraction of the limit,
        # and every worker killed must load the data again, which busies it further.
        return self._on(worker, task, timeout, release=True)

    def _on(self, worker: _Worker, task: tuple[Any, ...], timeout: float, release: bool) -> Any:
        """Send a task and wait ``timeout`` seconds for its answer."""
        try:
            spent = cpu_seconds(worker.proc.pid) if task[0] in DEMOTABLE else None
            worker.conn.send(task)
            ready = self._wait(worker, time.monotonic() + timeout, spent)
        except (EOFError, OSError, BrokenPipeError):
            raise self._crashed(worker) from None
        finally:
            with self._lock:
                self._slow.discard(worker)
        if not ready:
            self._kill(worker)
            self.killed += 1
            self._replace()
            raise QueryTimeout(
                f"the query ran past the time limit of {timeout:g} s and was stopped"
            )
        try:
            status, *payload = worker.conn.recv()
        except (EOFError, OSError):
            raise self._crashed(worker) from None
        if release:
            self._release(worker)
        if status == "ok":
            return payload[0]
        kind, message, line, column = payload
        detail = None
        if kind == "syntax":
            detail = message
            message = QuerySyntaxError(detail, line=line, column=column).one_line()
        if kind == "internal":
            # The engine's or Python's words stay in the log; the client gets an id to quote.
            request_id = uuid.uuid4().hex[:12]
            log.error("query worker error [%s]: %s", request_id, message)
            message = f"internal error (request id {request_id}, in the server's log)"
        raise WorkerError(kind, message, line=line, column=column, detail=detail)

    def _wait(self, worker: _Worker, deadline: float, spent: float | None) -> bool:
        """Wait for a worker's answer until the deadline; demote its task once it has used
        its quantum of CPU (``spent``: the worker's CPU time when the task was sent, None
        for a task never demoted)."""
        quantum = self.demote_after
        while True:
            left = deadline - time.monotonic()
            if quantum is None or spent is None:
                return worker.conn.poll(max(left, 0))
            used = (cpu_seconds(worker.proc.pid) or spent) - spent
            if used >= quantum:
                self._demote(worker)
                return worker.conn.poll(max(left, 0))
            # The task cannot use more CPU than the time it runs: wait at least what is left.
            if worker.conn.poll(max(min(left, quantum - used), 0.01)):
                return True
            if left <= 0:
                return False

    def _demote(self, worker: _Worker) -> None:
        """Lower a long task's priority; start a spare worker if no fast lane is left."""
        if not demote(worker.proc.pid):
            return
        with self._lock:
            self.demoted += 1
            self._slow.add(worker)
            fast = len(self._all) + self._spawning - len(self._slow)
        if fast < 1:
            self._replace(spare=True)

    def _release(self, worker: _Worker) -> None:
        """A worker whose task ended: back to the idle ones, or retired when the pool holds
        more than ``size`` workers and a fast lane is left without it."""
        with self._lock:
            present = len(self._all) + self._spawning
            fast_left = present - 1 - len(self._slow)
            retire = present > self.size and fast_left >= 1 and not self._closed
        if retire:
            self._kill(worker)
        else:
            self._idle.put(worker)

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
