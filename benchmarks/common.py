"""Shared helpers of the benchmarks: the machine, timing, budgets, synthetic corpora.

Not a benchmark itself; ``benchmarks/run.py`` imports it (as ``common``, from its own folder).
"""

from __future__ import annotations

import gc
import math
import os
import platform
import re
import select
import signal
import statistics
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from importlib import metadata
from types import FrameType
from typing import Any, TypeVar

from rich.console import Console

T = TypeVar("T")

#: Tables go to stdout (wide when piped, as `cakg` prints them), progress to stderr.
console = Console(width=None if sys.stdout.isatty() else 200)
progress = Console(stderr=True, highlight=False, soft_wrap=True)

CAKG = "https://cakg.example.org/ontology#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
NAME_PROPS = ("http://schema.org/name", "http://www.w3.org/2000/01/rdf-schema#label")


# --- the machine ---------------------------------------------------------------------------------


def cpu_model() -> str:
    """The CPU model named in /proc/cpuinfo (or what the platform says elsewhere)."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def cpus() -> int:
    """CPUs this process may run on (nproc), not the host's count."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def load_average() -> tuple[float, float, float]:
    """The 1-, 5- and 15-minute load averages (zeros where the platform has none)."""
    try:
        one, five, fifteen = os.getloadavg()
    except OSError:
        return (0.0, 0.0, 0.0)
    return (round(one, 2), round(five, 2), round(fifteen, 2))


def versions(names: Iterable[str]) -> dict[str, str]:
    """Installed versions of the named distributions ("–" when missing)."""
    out = {"python": platform.python_version()}
    for name in names:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "–"
    return out


def machine() -> dict[str, Any]:
    """What the figures were measured on: CPUs, their model, load average now, versions."""
    return {
        "nproc": cpus(),
        "cpu": cpu_model(),
        "platform": platform.platform(),
        "load_start": load_average(),
        "versions": versions(["cakg", "rdflib", "pyoxigraph", "pyshacl", "owlready2"]),
    }


# --- timing --------------------------------------------------------------------------------------


def timed(fn: Callable[[], T]) -> tuple[float, T]:
    """(seconds, result) of one call, after a garbage collection so that none is owed."""
    gc.collect()
    started = time.perf_counter()
    result = fn()
    return time.perf_counter() - started, result


def repeat(fn: Callable[[], T], times: int) -> tuple[list[float], T]:
    """Seconds of each of ``times`` calls (at least one), and the last call's result."""
    took, result = timed(fn)
    runs = [took]
    for _ in range(times - 1):
        took, result = timed(fn)
        runs.append(took)
    return runs, result


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else math.nan


def geomean(values: Sequence[float]) -> float:
    """The geometric mean of positive ratios (the mean that treats 2× and ½× symmetrically)."""
    pos = [v for v in values if v > 0 and math.isfinite(v)]
    return math.exp(sum(math.log(v) for v in pos) / len(pos)) if pos else math.nan


def ms(seconds: float) -> str:
    """Milliseconds with about three significant digits."""
    if not math.isfinite(seconds):
        return "–"
    value = seconds * 1000
    if value >= 100:
        return f"{value:,.0f}"
    if value >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


def times(ratio: float, bound: bool = False) -> str:
    """A ratio as "12×" (">12×" for a lower bound)."""
    if not math.isfinite(ratio):
        return "–"
    text = f"{ratio:,.0f}×" if ratio >= 100 else f"{ratio:.1f}×" if ratio >= 10 else f"{ratio:.2f}×"
    return (">" if bound else "") + text


# --- a time budget for pure-Python work ----------------------------------------------------------


class OverBudget(BaseException):
    """Raised in the main thread when work runs past its budget (a BaseException, so that
    library code catching ``Exception`` — or, in rdflib's FILTER code, everything — does
    not normally swallow it; the alarm also fires again every quarter second in case it
    does)."""


@dataclass
class _Alarm:
    running: bool = False


_ALARM = _Alarm()


def _on_alarm(signum: int, frame: FrameType | None) -> None:
    if _ALARM.running:
        raise OverBudget


def within(budget: float, fn: Callable[[], T]) -> tuple[float, T | None]:
    """(seconds, result) of ``fn()``, or (budget, None) when stopped at ``budget`` seconds.

    Uses SIGALRM, so it stops Python code only (rdflib's engine is pure Python; a native
    call returns before the alarm is handled). Main thread, Unix only.
    """
    gc.collect()
    previous = signal.signal(signal.SIGALRM, _on_alarm)
    started = time.perf_counter()
    try:
        _ALARM.running = True
        try:
            # Armed inside the try: a budget shorter than the call to arm it still lands here.
            signal.setitimer(signal.ITIMER_REAL, budget, 0.25)
            result: T | None = fn()
            _ALARM.running = False
            return time.perf_counter() - started, result
        except OverBudget:
            _ALARM.running = False
            return budget, None
    finally:
        _ALARM.running = False
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def in_child(budget: float, runs: int, fn: Callable[[], int]) -> tuple[list[float], int | None]:
    """Seconds of up to ``runs`` calls of ``fn`` in a forked child, and the last call's result.

    For native code that SIGALRM cannot stop (Oxigraph's query engine): the child inherits
    the loaded store (copy-on-write, read-only here), times each call itself and reports it
    through a pipe; the parent kills it ``budget`` seconds after the fork. The child starts
    another call only while the last one would fit in what is left of the budget. An empty
    list: the first call did not finish in time. Unix only.
    """
    sys.stdout.flush()
    sys.stderr.flush()
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns, never runs the parent's exit handlers
        code = 0
        try:
            os.close(read_fd)
            remaining = budget
            for _ in range(max(1, runs)):
                started = time.perf_counter()
                value = fn()
                seconds = time.perf_counter() - started
                os.write(write_fd, f"{seconds!r} {value}\n".encode())
                remaining -= seconds
                if seconds > remaining:
                    break
        except BaseException as exc:
            message = (str(exc).splitlines() or [""])[0]
            os.write(write_fd, f"error {type(exc).__name__}: {message}\n".encode())
            code = 1
        finally:
            os._exit(code)
    os.close(write_fd)
    deadline = time.monotonic() + budget
    buffer = b""
    finished = True
    with os.fdopen(read_fd, "rb", buffering=0) as pipe:
        while True:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([pipe], [], [], left)[0]:
                finished = False
                break
            chunk = pipe.read(65536)
            if not chunk:
                break
            buffer += chunk
    if not finished:
        os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    took_s: list[float] = []
    result: int | None = None
    for line in buffer.decode("utf-8").split("\n")[:-1]:  # whole lines only
        if line.startswith("error "):
            raise RuntimeError(line[len("error ") :])
        took, rows = line.split(" ", 1)
        took_s.append(float(took))
        result = int(rows)
    return took_s, result


# --- synthetic corpora ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Corpus:
    """The bundled article's build as N-Quads lines: shared graphs, and one article graph."""

    shared: list[str]  # ontology and reference graphs, once in every corpus
    article: list[str]  # the article graph, copied per synthetic article
    slug: str
    experts: list[str]  # expert IRIs of the article, sorted
    varied: list[str]  # the experts replaced by a new person in every copy


def bundled_corpus() -> Corpus:
    """Build the bundled article in memory and split its N-Quads into shared and article lines."""
    from cakg.graph.build import build_knowledge_graph
    from cakg.graph.store.engines import OxigraphStore
    from cakg.graph.text.reader import bundled_article

    kg, _, _ = build_knowledge_graph([bundled_article()])
    store = OxigraphStore()
    for name, g in kg:
        store.add_graph(name, g)
    shared: list[str] = []
    article: list[str] = []
    slug = ""
    for line in store.serialize("nquads").decode("utf-8").splitlines():
        m = re.search(r"<[^>]*/graph/article/([^>/]+)> \.$", line)
        if m:
            slug = m.group(1)
            article.append(line)
        elif line.strip():
            shared.append(line)
    expert_type = f"<{RDF_TYPE}> <{CAKG}Expert>"
    experts = sorted({line.split(" ", 1)[0][1:-1] for line in article if expert_type in line})
    return Corpus(shared, article, slug, experts, varied=experts[::2])


def synthesize(corpus: Corpus, n: int) -> bytes:
    """N-Quads of a corpus of ``n`` articles: the shared graphs once, the article ``n`` times.

    Copy 0 is the bundled article unchanged (so the queries' example IRIs resolve). Copy
    k > 0 lives under ``article/<slug>-k`` (its graph, questions, answers, claims and
    evidence with it); every other expert (``Corpus.varied``) becomes a different person in
    each copy — ``person/<name>-k``, named "<Name> k" — while the rest recur in every
    article, as experts do across a real series; states, organizations, places, relations
    and reference data are shared by all.
    """
    art, var = "\x00A\x00", "\x00K\x00"
    old_article = f"/article/{corpus.slug}"
    named = re.compile(
        r"^(<[^>]+>) <(?:" + "|".join(re.escape(p) for p in NAME_PROPS) + r')> "([^"]*)"'
    )
    templates: list[str] = []
    for line in corpus.article:
        line = line.replace(old_article + ">", art + ">").replace(old_article + "/", art + "/")
        subject = line.split(" ", 1)[0][1:-1]
        m = named.match(line)
        for iri in corpus.varied:
            line = line.replace(f"<{iri}>", f"<{iri}-{var}>")
        if m and subject in corpus.varied:
            line = line.replace(f'"{m.group(2)}"', f'"{m.group(2)} {var}"', 1)
        templates.append(line)
    out = list(corpus.shared)
    out += corpus.article
    for k in range(1, n):
        slug, key = f"{old_article}-{k}", str(k)
        out += [t.replace(art, slug).replace(var, key) for t in templates]
    return ("\n".join(out) + "\n").encode("utf-8")
