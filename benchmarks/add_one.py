"""Where the time of adding one article to a corpus store goes, beside a baseline cakg.

    .venv/bin/python benchmarks/add_one.py 100 --baseline-path DIR

Builds a store of N articles (the bundled one and N - 1 synthetic ones,
``benchmarks/corpus.py``) with each cakg, then runs ``cakg build --store STORE one-more``
twice on two copies of that fresh store, as the first command after the build (as a user
would): once to time the whole process, once under cProfile to split it into phases by the
functions that do each step (their cumulative time; profiling slows Python code, so the
phases add up to more than the process takes). ``--baseline-path`` is a folder holding
another installed ``cakg`` package (``pip install --no-deps --target DIR <revision>``),
put first on the path of the baseline's processes; the same interpreter runs both.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from common import console, load_average, progress
from rich.table import Table
from scale import corpus_folder

#: Phases of the command, each the cumulative time of the functions that do it (by name,
#: so that a revision which renamed a step's helper still finds it).
PHASES = {
    "open the store": ("open_corpus_store",),
    "reference data": ("for_base",),
    "extract the article": ("_extract",),
    "SHACL data (article + context)": ("_with_context", "article_context"),
    "SHACL validation": ("validate_graph",),
    "write (one transaction)": ("put_graphs",),
    "flush the log": ("flush",),
    "counts for the report": ("store_info",),
}

_CHILD = """
import cProfile, json, pstats, sys, time
started = time.perf_counter()
from cakg.cli import cli
imported = time.perf_counter()
profile = cProfile.Profile()
profile.enable()
try:
    cli.main(sys.argv[2:], prog_name="cakg", standalone_mode=False)
finally:
    profile.disable()
done = time.perf_counter()
stats = pstats.Stats(profile).stats
cumulative = {}
for (path, line, name), (_, _, _, cum, _) in stats.items():
    if "cakg" in path and name in NAMES:
        cumulative[name] = cumulative.get(name, 0.0) + cum
json.dump({"imports": imported - started, "command": done - imported,
           "phases": cumulative}, open(sys.argv[1], "w"))
"""


def cakg_env(path: Path | None) -> dict[str, str]:
    env = dict(os.environ)
    if path is not None:
        env["PYTHONPATH"] = f"{path}{os.pathsep}{env.get('PYTHONPATH', '')}"
    return env


def run_cli(args: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-c", "from cakg.cli import main; main()", *args],
        env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    return time.perf_counter() - started


def profiled(args: list[str], env: dict[str, str]) -> dict[str, Any]:
    names = sorted({n for names in PHASES.values() for n in names})
    code = f"NAMES = {names!r}\n{_CHILD}"
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        subprocess.run(
            [sys.executable, "-c", code, out.name, *args],
            env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        result: dict[str, Any] = json.loads(Path(out.name).read_text(encoding="utf-8"))
    return result


def measure(label: str, n: int, work: Path, env: dict[str, str]) -> dict[str, Any]:
    """Build a store of N with one cakg; add article N + 1 to two copies of it."""
    paths = corpus_folder(work / "articles", n + 1)
    store = work / f"{label}-store"
    shutil.rmtree(store, ignore_errors=True)
    progress.print(f"{label}: building a store of {n} articles…")
    build = run_cli(["build", "--store", str(store), *map(str, paths[:n])], env)
    copy = work / f"{label}-copy"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(store, copy)
    one_more = str(paths[n])
    progress.print(f"{label}: adding one…")
    wall = run_cli(["build", "--store", str(store), one_more], env)
    profile = profiled(["build", "--store", str(copy), one_more], env)
    return {"build_seconds": build, "add_one_seconds": wall, **profile}


def table(n: int, rows: dict[str, dict[str, Any]]) -> Table:
    t = Table(title=f"adding one article to a fresh store of {n} (seconds)")
    t.add_column("phase")
    for label in rows:
        t.add_column(label, justify="right")
    for phase, names in PHASES.items():
        t.add_row(
            phase, *(f"{sum(r['phases'].get(x, 0.0) for x in names):.2f}" for r in rows.values())
        )
    t.add_row("imports before the command", *(f"{r['imports']:.2f}" for r in rows.values()))
    t.add_row("the command, profiled", *(f"{r['command']:.2f}" for r in rows.values()))
    t.add_row(
        "[b]whole process, not profiled", *(f"[b]{r['add_one_seconds']:.2f}" for r in rows.values())
    )
    t.add_row("building the store of N", *(f"{r['build_seconds']:.1f}" for r in rows.values()))
    return t


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("articles", type=int, help="articles in the store (N)")
    ap.add_argument("--baseline-path", type=Path, help="a folder holding a baseline cakg")
    ap.add_argument("--work", type=Path, help="working folder (default: a temporary one)")
    args = ap.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="cakg-add-one-"))
    rows: dict[str, dict[str, Any]] = {}
    # Caching is part of what is measured: the first command after an install fills it.
    if args.baseline_path is not None:
        rows["baseline"] = measure("baseline", args.articles, work, cakg_env(args.baseline_path))
    rows["this cakg"] = measure("this", args.articles, work, cakg_env(None))
    console.print(table(args.articles, rows))
    console.print(f"load average (1, 5, 15 min) at the end: {load_average()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
