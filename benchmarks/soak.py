"""A soak test of `cakg serve`: many clients, bad requests and runaway queries at once.

    .venv/bin/python benchmarks/soak.py                 # 60 s, 16 clients, 2 runaways
    .venv/bin/python benchmarks/soak.py --pause 0.05    # the same, saturating two cores
    .venv/bin/python benchmarks/soak.py --short         # 8 s, 4 clients, 1 runaway (the test)
    .venv/bin/python benchmarks/soak.py --data out/kg.trig --seconds 120 --clients 32

It starts a real `cakg serve` (a subprocess, on a free loopback port) of the bundled
article (built into a temporary folder unless ``--data`` is given), then:

1. unloaded: one probe client runs the small queries in turn, alone, and times them (the
   named queries that need no parameter, sent as text to /sparql, whose answer has at
   most 500 rows: a size, not a speed, picks them);
2. loaded: the same probe runs while ``--clients`` clients send, in an order of their
   own, a mix of every named query that needs no parameter, entity pages (/id/… answers
   303, then the /doc/… page) and bad requests (a syntax error, a SERVICE clause: both
   must get 400), each pausing ``--pause`` seconds between requests, and ``--runaways``
   queries that never finish on their own (each must be stopped at the server's
   ``--timeout`` with 503).

Every response is checked: its status is the one its kind must get, and its body is
well-formed (SPARQL JSON results that parse, N-Triples for graphs, an HTML page). The
run is bounded by ``--seconds`` and by ``--max-requests``. It prints requests and
status codes per kind, the probe's p50/p95 latency unloaded and loaded (the ratio), the
resident memory of the server's query workers, and the CPU the server's own process and its
workers used under the load (both read from /proc during the run).

Exit status 1 when a response was wrong (any 5xx but the runaways' 503, a malformed body,
a refused connection), and, in the full form, when the loaded p95 exceeds
``--max-ratio`` times the unloaded one or a worker's memory exceeds ``--max-rss-mb``.
``--short`` checks correctness only: it prints no latency figure, since a test must
never depend on the machine's speed.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import httpx
from common import console, cpus, load_average, ms, progress, times

from cakg.graph.store.engines import query_kind
from cakg.queries import list_queries
from cakg.server.priority import cpu_seconds

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
BAD = {
    "syntax error": "SELECT * WHERE { ?s ?p }",
    "SERVICE": "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
}
RESULTS_JSON = "application/sparql-results+json"
NTRIPLES = "application/n-triples"


@dataclass
class Tally:
    """What the clients saw: statuses per kind, latencies of the small queries, failures."""

    statuses: Counter[tuple[str, int]] = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, kind: str, status: int, problem: str | None) -> None:
        with self.lock:
            self.statuses[(kind, status)] += 1
            if problem is not None and len(self.failures) < 1000:
                self.failures.append(f"{kind}: {problem}")

    def total(self) -> int:
        with self.lock:
            return sum(self.statuses.values())


# --- the server ----------------------------------------------------------------------------------


@contextmanager
def cakg_serve(
    data: Path, timeout: float, workers: int, *, store: bool = False, extra: Sequence[str] = ()
) -> Iterator[tuple[str, int]]:
    """`cakg serve` in a subprocess on a free loopback port; yields its URL and process id.

    ``store``: ``data`` is an on-disk store (``--store``), not a built graph (``--data``).
    """
    command = [sys.executable, "-c", "from cakg.cli import main; main()", "serve"]
    source = ["--store" if store else "--data", str(data)]
    options = [*source, "--port", "0", "--timeout", str(timeout)]
    proc = subprocess.Popen(
        [*command, *options, "--workers", str(workers), *extra],
        stdout=subprocess.DEVNULL,  # uvicorn's access log: a line per request
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stderr is not None
        line = proc.stderr.readline()
        found = re.match(r"cakg serve: (http://\S+?)/? ", line)
        if not found:
            raise SystemExit(f"soak: cakg serve did not start: {line}{proc.stderr.read()}")
        # Drain the server's log, or it blocks once the pipe is full.
        threading.Thread(target=proc.stderr.read, daemon=True).start()
        url = found.group(1)
        httpx.get(f"{url}/health", timeout=300).raise_for_status()
        yield url, proc.pid
    finally:
        proc.terminate()
        proc.wait(60)


def worker_pids(server_pid: int) -> list[int]:
    """The query workers of a server: its children started by spawn (from /proc)."""
    found: list[int] = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            if ppid == server_pid and b"spawn_main" in Path(f"/proc/{entry}/cmdline").read_bytes():
                found.append(int(entry))  # not multiprocessing's resource tracker
        except (OSError, IndexError, ValueError):
            continue  # the process ended meanwhile
    return found


def worker_rss_mb(server_pid: int) -> dict[int, float]:
    """Resident memory (MB) of each query worker."""
    found: dict[int, float] = {}
    for pid in worker_pids(server_pid):
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        rss = re.search(r"^VmRSS:\s+(\d+) kB", status, re.MULTILINE)
        if rss:
            found[pid] = int(rss.group(1)) / 1024
    return found


@dataclass
class CpuUse:
    """CPU seconds a server used over a span: its own process, and its query workers (a
    worker started within the span counts from zero: loading the data is part of the load;
    a worker killed within it loses its last interval)."""

    server_pid: int
    began: float = field(default_factory=time.monotonic)
    first: dict[int, float] = field(default_factory=dict)
    last: dict[int, float] = field(default_factory=dict)

    def sample(self, opening: bool = False) -> None:
        for pid in [self.server_pid, *worker_pids(self.server_pid)]:
            used = cpu_seconds(pid)
            if used is not None:
                self.first.setdefault(pid, used if opening or pid == self.server_pid else 0.0)
                self.last[pid] = used

    def cores(self) -> tuple[float, float]:
        """Cores used on average: by the server process, by its workers together."""
        span = max(time.monotonic() - self.began, 1e-9)
        used = {pid: self.last[pid] - self.first[pid] for pid in self.last}
        server = used.pop(self.server_pid, float("nan"))
        return server / span, sum(used.values()) / span


# --- requests and what their answers must be -----------------------------------------------------


def well_formed_query(response: httpx.Response, text: str) -> str | None:
    """Why a 200 answer to a query is malformed (None when it is not)."""
    ctype = response.headers.get("content-type", "")
    if query_kind(text) in ("CONSTRUCT", "DESCRIBE"):
        if not ctype.startswith(NTRIPLES):
            return f"graph answered as {ctype!r}"
        lines = [line for line in response.text.splitlines() if line.strip()]
        bad = next((line for line in lines if not line.rstrip().endswith(".")), None)
        return None if bad is None else f"not N-Triples: {bad[:80]!r}"
    if not ctype.startswith(RESULTS_JSON):
        return f"results answered as {ctype!r}"
    try:
        doc = json.loads(response.content)
    except ValueError as exc:
        return f"results do not parse: {exc}"
    if "boolean" in doc or isinstance(doc.get("results", {}).get("bindings"), list):
        return None
    return "SPARQL JSON without results"


def ask(client: httpx.Client, url: str, text: str) -> httpx.Response:
    accept = f"{RESULTS_JSON}, {NTRIPLES};q=0.9"
    return client.post(f"{url}/sparql", data={"query": text}, headers={"Accept": accept})


def query_answer(client: httpx.Client, url: str, text: str) -> tuple[int, str | None]:
    r = ask(client, url, text)
    if r.status_code != 200:
        return r.status_code, f"HTTP {r.status_code}: {r.text[:120]!r}"
    return r.status_code, well_formed_query(r, text)


def entity_page(client: httpx.Client, url: str, path: str) -> tuple[int, str | None]:
    r = client.get(f"{url}/id/{path}", headers={"Accept": "text/html"})
    if r.status_code != 303 or "/doc/" not in r.headers.get("location", ""):
        return r.status_code, f"/id/{path}: HTTP {r.status_code}, not a 303 to /doc/"
    page = client.get(httpx.URL(f"{url}/id/{path}").join(r.headers["location"]))
    if page.status_code != 200:
        return page.status_code, f"{r.headers['location']}: HTTP {page.status_code}"
    if "<html" not in page.text[:2000].lower():
        return page.status_code, f"{r.headers['location']}: not an HTML page"
    return page.status_code, None


def bad_request(client: httpx.Client, url: str, text: str) -> tuple[int, str | None]:
    r = ask(client, url, text)
    if r.status_code != 400 or not r.text.strip():
        return r.status_code, f"{text!r}: HTTP {r.status_code}, not a 400 with a message"
    return r.status_code, None


def runaway(client: httpx.Client, url: str) -> tuple[int, str | None]:
    r = ask(client, url, RUNAWAY)
    return r.status_code, None if r.status_code == 503 else f"HTTP {r.status_code}, not 503"


# --- the run -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Plan:
    """How long, how many, and the bounds the full form holds the server to."""

    seconds: float
    clients: int
    runaways: int
    pause: float
    max_requests: int
    timeout: float
    workers: int
    max_ratio: float
    max_rss_mb: float
    speed: bool  # whether latency is measured and judged (the full form only)


SMALL_ROWS = 500


def unparameterized_queries() -> list[str]:
    """The named queries that run without a parameter: the queries of the mix."""
    return [nq.sparql for nq in list_queries() if all(p.optional for p in nq.params)]


def is_small(client: httpx.Client, url: str, text: str) -> bool:
    """Whether a query's answer has at most SMALL_ROWS rows (or triples)."""
    r = ask(client, url, text)
    r.raise_for_status()
    if r.headers.get("content-type", "").startswith(NTRIPLES):
        return len(r.text.splitlines()) <= SMALL_ROWS
    return len(r.json().get("results", {}).get("bindings", [])) <= SMALL_ROWS


def entity_paths(client: httpx.Client, url: str) -> list[str]:
    """Paths under /id/ of some entities the server holds (asked of the server itself)."""
    base = client.get(f"{url}/health").json()["base"]
    text = (
        f'SELECT DISTINCT ?s WHERE {{ ?s ?p ?o FILTER(STRSTARTS(STR(?s), "{base}")) }} '
        "ORDER BY ?s LIMIT 40"
    )
    rows = ask(client, url, text).json()["results"]["bindings"]
    return [quote(row["s"]["value"][len(base) :], safe="/") for row in rows]


def probe(
    client: httpx.Client, url: str, queries: list[str], tally: Tally, until: Callable[[], bool]
) -> list[float]:
    """Run the small queries in turn, one at a time, until told to stop; their latencies."""
    latencies: list[float] = []
    i = 0
    while not until():
        began = time.perf_counter()
        status, problem = query_answer(client, url, queries[i % len(queries)])
        latencies.append(time.perf_counter() - began)
        tally.record("probe", status, problem)
        i += 1
    return latencies


def client_at(host: int, timeout: float) -> httpx.Client:
    """An HTTP client whose requests come from 127.0.0.<host>.

    The server gives each client address a share of its workers (--client-workers); the
    soak's clients are meant as many people, so each sends from an address of its own in
    the loopback range (all of 127.0.0.0/8 reaches the server on 127.0.0.1).
    """
    transport = httpx.HTTPTransport(local_address=f"127.0.0.{host}")
    return httpx.Client(timeout=timeout, transport=transport)


def load_client(
    n: int, url: str, mix: list[tuple[str, Callable[[httpx.Client], tuple[int, str | None]]]],
    tally: Tally, plan: Plan, deadline: float,
) -> None:  # fmt: skip
    """One client: the mix in turn (started at its own offset) until the deadline or the cap."""
    order = random.Random(n)  # each client its own order, the same in every run
    with client_at(10 + n, plan.timeout * 4 + 30) as client:
        while time.monotonic() < deadline and tally.total() < plan.max_requests:
            kind, send = order.choice(mix)
            try:
                status, problem = send(client)
            except httpx.HTTPError as exc:
                status, problem = 0, f"{type(exc).__name__}: {exc}"
            tally.record(kind, status, problem)
            time.sleep(plan.pause)


def p(values: list[float], q: float) -> float:
    """The q-quantile (0–1) of values (inclusive method; NaN when empty)."""
    if len(values) < 2:
        return values[0] if values else float("nan")
    return statistics.quantiles(values, n=100, method="inclusive")[round(q * 100) - 1]


def soak(data: Path, plan: Plan) -> int:
    """Run the soak test against `cakg serve` of ``data``; print its tables; the exit status."""
    queries = unparameterized_queries()
    started_at = load_average()
    tally = Tally()
    peak: dict[int, float] = {}
    with (
        cakg_serve(data, plan.timeout, plan.workers) as (url, pid),
        httpx.Client(timeout=plan.timeout * 4 + 30) as client,
    ):
        paths = entity_paths(client, url)
        small = [t for t in queries if is_small(client, url, t)]
        unloaded_for = min(10.0, plan.seconds / 4)
        progress.print(f"soak: {url}: probe alone for {unloaded_for:.0f} s")
        stop_alone = time.monotonic() + unloaded_for
        alone = probe(client, url, small, tally, lambda: time.monotonic() > stop_alone)
        mix: list[tuple[str, Callable[[httpx.Client], tuple[int, str | None]]]] = []
        mix += [("query", lambda c, t=t: query_answer(c, url, t)) for t in queries]
        mix += [("entity", lambda c, s=s: entity_page(c, url, s)) for s in paths[:10]]
        mix += [("bad request", lambda c, t=t: bad_request(c, url, t)) for t in BAD.values()]
        deadline = time.monotonic() + plan.seconds
        progress.print(
            f"soak: {plan.clients} clients and {plan.runaways} runaway(s) for {plan.seconds:.0f} s"
        )
        threads = [
            threading.Thread(target=load_client, args=(n, url, mix, tally, plan, deadline))
            for n in range(plan.clients)
        ]
        threads += [
            threading.Thread(
                target=lambda i=i: tally.record("runaway", *runaway(client_at(200 + i, 300), url))
            )
            for i in range(plan.runaways)
        ]
        cpu = CpuUse(pid)
        cpu.sample(opening=True)
        for t in threads:
            t.start()

        def done() -> bool:
            for worker, rss in worker_rss_mb(pid).items():
                peak[worker] = max(peak.get(worker, 0.0), rss)
            cpu.sample()
            return time.monotonic() > deadline or tally.total() >= plan.max_requests

        loaded = probe(client, url, small, tally, done)
        server_cores, worker_cores = cpu.cores()
        for t in threads:
            t.join()
        health = client.get(f"{url}/health").json()
    console.print(
        f"machine: {cpus()} CPUs, load average {started_at[0]:.1f} at the start, "
        f"{load_average()[0]:.1f} at the end (above the CPU count: the run shared its cores)"
    )
    console.print(
        f"CPU under load: the server process {server_cores:.2f} of a core (HTTP, routing, "
        f"pages), its query workers {worker_cores:.2f} together"
    )
    return report(tally, alone, loaded, peak, health, plan)


def report(
    tally: Tally, alone: list[float], loaded: list[float], peak: dict[int, float],
    health: dict[str, object], plan: Plan,
) -> int:  # fmt: skip
    """Print the tables; the exit status (1 when a condition failed)."""
    from rich.table import Table

    kinds = sorted({kind for kind, _ in tally.statuses})
    codes = sorted({code for _, code in tally.statuses})
    table = Table(title="cakg serve soak: requests by kind and status")
    for column in ["kind", "requests", *(str(c) for c in codes)]:
        table.add_column(column, justify="left" if column == "kind" else "right")
    for kind in kinds:
        counts = [tally.statuses[(kind, c)] for c in codes]
        table.add_row(kind, str(sum(counts)), *(str(n) if n else "" for n in counts))
    console.print(table)
    failures = list(tally.failures)
    expected = {"runaway": 503}
    for (kind, code), n in tally.statuses.items():
        if code >= 500 and expected.get(kind) != code:
            failures.append(f"{n} × HTTP {code} on {kind}")
    if tally.statuses[("runaway", 503)] != plan.runaways:
        failures.append(f"{tally.statuses[('runaway', 503)]} of {plan.runaways} runaways got 503")
    rss = max(peak.values(), default=float("nan"))
    console.print(
        f"query workers: {len(peak)} seen (killed and replaced: {health.get('killed')}, "
        f"queries demoted to low priority: {health.get('demoted', 0)}), "
        f"peak resident memory {rss:.0f} MB per worker, {sum(peak.values()):.0f} MB together"
    )
    if plan.speed:
        latency = Table(title="small queries (the probe, one at a time): latency in ms")
        for column in ("", "requests", "p50", "p95"):
            latency.add_column(column, justify="right")
        for name, values in (("unloaded", alone), ("loaded", loaded)):
            latency.add_row(name, str(len(values)), ms(p(values, 0.5)), ms(p(values, 0.95)))
        ratio = p(loaded, 0.95) / p(alone, 0.95)
        latency.add_row(
            "loaded / unloaded", "", times(p(loaded, 0.5) / p(alone, 0.5)), times(ratio)
        )
        console.print(latency)
        if not ratio <= plan.max_ratio:
            failures.append(f"p95 loaded is {times(ratio)} unloaded (bound {plan.max_ratio}×)")
        if not rss <= plan.max_rss_mb:
            failures.append(f"a worker held {rss:.0f} MB (bound {plan.max_rss_mb:.0f} MB)")
    for line in failures[:20]:
        console.print(f"[red]FAIL[/red] {line}", highlight=False)
    if len(failures) > 20:
        console.print(f"… and {len(failures) - 20} more")
    console.print("soak: " + ("[red]failed[/red]" if failures else "[green]passed[/green]"))
    return 1 if failures else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, help="a built kg.trig (default: build the article)")
    parser.add_argument("--short", action="store_true", help="8 s, 4 clients, 1 runaway; "
                        "correctness only (no latency or memory bound)")  # fmt: skip
    parser.add_argument("--seconds", type=float, help="length of the loaded phase (60)")
    parser.add_argument("--clients", type=int, help="concurrent clients (16)")
    parser.add_argument("--runaways", type=int, help="runaway queries (2)")
    # The latency bound is about isolation (runaways and bad requests must not slow the
    # small queries), so the clients offer a load the server can serve: 16 clients pausing
    # 0.5 s ask for about a third of a core. At --pause 0.05 they ask for more than two
    # cores, and any server's latency then grows with its queue (Little's law): that form
    # measures capacity, and is reported beside this one (README).
    parser.add_argument("--pause", type=float, default=0.5, help="seconds between a "
                        "client's requests (0.5; 0.05 saturates two cores)")  # fmt: skip
    parser.add_argument("--max-requests", type=int, default=200_000)
    parser.add_argument("--timeout", type=float, default=3.0, help="the server's --timeout (3)")
    parser.add_argument("--workers", type=int, default=4, help="the server's --workers (4)")
    parser.add_argument("--max-ratio", type=float, default=2.0)
    parser.add_argument("--max-rss-mb", type=float, default=500.0)
    args = parser.parse_args(argv)
    short = {"seconds": 8.0, "clients": 4, "runaways": 1} if args.short else {}
    full = {"seconds": 60.0, "clients": 16, "runaways": 2}
    chosen = {k: getattr(args, k) if getattr(args, k) is not None else short.get(k, v)
              for k, v in full.items()}  # fmt: skip
    plan = Plan(
        seconds=chosen["seconds"], clients=int(chosen["clients"]),
        runaways=int(chosen["runaways"]), pause=args.pause, max_requests=args.max_requests,
        timeout=args.timeout, workers=args.workers, max_ratio=args.max_ratio,
        max_rss_mb=args.max_rss_mb, speed=not args.short,
    )  # fmt: skip
    if plan.runaways >= plan.workers:
        parser.error("--runaways must leave a worker free (--workers)")
    if args.data is not None:
        return soak(args.data, plan)
    from cakg.graph.build import build_graph

    with tempfile.TemporaryDirectory() as tmp:
        progress.print("soak: building the bundled article")
        build_graph([], Path(tmp), validate=False)
        return soak(Path(tmp) / "kg.trig", plan)


if __name__ == "__main__":
    sys.exit(main())
