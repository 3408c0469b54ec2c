"""The benchmark script still runs (smallest corpus, one repeat, tiny rdflib budget).

Only that it runs and prints its tables: speed is never asserted in a test (the
figures are in `make bench`'s output, as ratios measured in one run).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

RUN = Path(__file__).resolve().parents[1] / "benchmarks" / "run.py"


def test_store_benchmark_runs_and_prints_its_tables(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    proc = subprocess.run(
        [sys.executable, str(RUN), "--sizes", "1", "--repeat", "1", "--only", "store",
         "--budget", "0.2", "--json", str(out)],
        capture_output=True, text=True, timeout=120, cwd=tmp_path,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "cakg benchmarks" in proc.stdout
    assert "load average" in proc.stdout
    assert "named queries, N = 1" in proc.stdout
    assert "rdflib / oxigraph" in proc.stdout
    assert "geometric mean" in proc.stdout
    raw = json.loads(out.read_text(encoding="utf-8"))
    (size,) = raw["store"]["sizes"]
    assert size["n"] == 1 and size["quads"] == size["rdflib_quads"] > 10_000
    assert len(size["queries"]) >= 20
    assert all(q["error"] is None and q["oxigraph_rows"] is not None for q in size["queries"])


def test_a_budget_shorter_than_arming_the_alarm_stops_the_query_cleanly() -> None:
    """Regression: an alarm that fired before the budgeted call began escaped as an error,
    and an rdflib query stopped in its first run could interrupt the import of rdflib's
    SPARQL engine; the benchmark must report "over budget" and keep working, at any speed."""
    code = (
        "import sys; sys.path.insert(0, sys.argv[1])\n"
        "from run import load_rdflib, run_rdflib\n"
        "_, rl = load_rdflib(b'<urn:a> <urn:p> <urn:b> <urn:g> .\\n')\n"
        "q = lambda: len(rl.query('SELECT * WHERE { ?s ?p ?o }').rows)\n"
        "print(run_rdflib(1e-6, 1, q))\n"
        "print(q())\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code, str(RUN.parent)], capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.splitlines() == ["([], None)", "1"]
