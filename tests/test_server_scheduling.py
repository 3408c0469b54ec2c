"""`cakg serve` schedules its workers: a long query is demoted, a short one still gets a worker.

A real read-only server on 127.0.0.1 with two workers; its worker processes are this test
process's children, whose threads' nice values are read from /proc (Linux). Each client
speaks from an address of its own in 127/8, so that the per-client limit lets each runaway
through. Nothing here measures a speed.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from running_server import running_server

from cakg.server.priority import DEMOTED_NICE
from cakg.server.workers import DataSource, WorkerPool

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")

TIMEOUT = 10.0
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
SMALL = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


@pytest.fixture(scope="module")
def server(built: Path) -> Iterator[str]:
    with running_server(
        data=(str(built / "kg.trig"),), timeout=TIMEOUT, workers=2, demote_after=0.2
    ) as url:
        yield url


def query(url: str, text: str, client: int) -> httpx.Response:
    transport = httpx.HTTPTransport(local_address=f"127.0.0.{client}")
    with httpx.Client(timeout=TIMEOUT * 4, transport=transport) as c:
        return c.get(f"{url}/sparql", params={"query": text})


def worker_thread_nices() -> dict[int, list[int]]:
    """The nice value of every thread of each query worker (this process's spawned children)."""
    found: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
            if int(stat.rsplit(")", 1)[1].split()[1]) != os.getpid():
                continue
            if b"spawn_main" not in Path(f"/proc/{entry}/cmdline").read_bytes():
                continue  # multiprocessing's resource tracker, not a worker
            nices = []
            for tid in os.listdir(f"/proc/{entry}/task"):
                task = Path(f"/proc/{entry}/task/{tid}/stat").read_text()
                nices.append(int(task.rsplit(")", 1)[1].split()[16]))  # proc(5): field 19
        except (OSError, ValueError, IndexError):
            continue  # not a process, or it ended meanwhile
        found[int(entry)] = nices
    return found


def wait_until(condition: Callable[[], bool], what: str, seconds: float = TIMEOUT) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.05)


def start_runaways(url: str, clients: list[int]) -> tuple[list[threading.Thread], list[int]]:
    statuses: list[int] = []
    threads = [
        threading.Thread(target=lambda c=c: statuses.append(query(url, RUNAWAY, c).status_code))
        for c in clients
    ]
    for t in threads:
        t.start()
    return threads, statuses


def health(url: str) -> dict[str, int]:
    answer: dict[str, int] = httpx.get(f"{url}/health").json()
    return answer


def test_a_long_query_runs_demoted_while_a_short_one_answers(server: str) -> None:
    wait_until(lambda: health(server)["workers"] == 2, "the pool is not full")
    threads, statuses = start_runaways(server, [2])
    wait_until(lambda: health(server)["slow"] == 1, "the runaway was not demoted")
    demoted = [p for p, nices in worker_thread_nices().items() if DEMOTED_NICE in nices]
    assert len(demoted) == 1  # the runaway's thread; its worker's main thread keeps nice 0
    assert 0 in worker_thread_nices()[demoted[0]]
    assert query(server, SMALL, 3).status_code == 200
    assert not statuses  # the runaway still runs
    for t in threads:
        t.join()
    assert statuses == [503]  # still stopped at the time limit


def test_every_worker_demoted_starts_a_spare_for_short_queries(server: str) -> None:
    """Regression (issue 14, item 5): two runaways on two workers made everyone else wait."""
    wait_until(lambda: health(server)["workers"] == 2, "the pool is not full")
    threads, statuses = start_runaways(server, [4, 5])
    wait_until(lambda: health(server)["slow"] == 2, "the runaways were not demoted")
    assert query(server, SMALL, 6).status_code == 200
    assert not statuses  # answered beside both runaways, by the spare
    assert health(server)["workers"] == 3
    for t in threads:
        t.join()
    assert statuses == [503, 503]
    # Back to its size: the spare and one replacement take the stopped workers' places.
    wait_until(lambda: health(server)["workers"] == 2, "the spare was not retired", 60)


def test_a_demoted_task_leaves_its_worker_at_its_own_priority(built: Path) -> None:
    """The demotion ends with its task: the worker's next task starts at nice 0 again (an
    unprivileged process could not lower a nice value it raised)."""
    pool = WorkerPool(DataSource(paths=(str(built / "kg.trig"),)), 1, demote_after=0.01)
    pool.start()
    try:
        # Every triple times 60 values: under a second of CPU, well past 10 ms of it.
        many = " ".join(str(i) for i in range(60))
        text = f"SELECT (COUNT(*) AS ?n) WHERE {{ ?s ?p ?o VALUES ?i {{ {many} }} }}"
        answer = pool.run(("sparql", text, "json", 10, None, None), 300)
        assert b'"n"' in answer["body"]
        assert pool.demoted == 1 and pool.slow() == 0
        # (Its thread may linger a moment after Python's join: the kernel ends it last.)
        wait_until(
            lambda: all(set(nices) == {0} for nices in worker_thread_nices().values()),
            "a worker kept a demoted thread after its task",
        )
    finally:
        pool.close()
