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


def test_scale_benchmark_writes_a_well_formed_bench_json(tmp_path: Path) -> None:
    """`make bench`'s plumbing on a 2-article corpus: every section and field is there."""
    out = tmp_path / "bench.json"
    proc = subprocess.run(
        [sys.executable, str(RUN), "--only", "scale", "--ingest-sizes", "2", "--query-sizes", "2",
         "--repeat", "1", "--budget", "2", "--rdflib-max", "2", "--server-seconds", "1",
         "--bench-json", str(out), "--plot", str(tmp_path / "plot.png"),
         "--json", str(tmp_path / "raw.json")],
        capture_output=True, text=True, timeout=600, cwd=tmp_path,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-2000:]
    doc = json.loads(out.read_text(encoding="utf-8"))
    (ingest,) = doc["ingest"]
    assert ingest["articles"] == 2 and ingest["triples"] > 10_000
    assert ingest["seconds"] > 0 and ingest["peak_rss_mb"] > 0
    assert doc["add_one"]["corpus_articles"] == 2 and doc["add_one"]["seconds"] > 0
    names = {q["name"] for q in doc["queries"]}
    assert len(names) == len(doc["queries"]) >= 20
    keys = {"name", "articles", "triples", "p50_ms", "p95_ms", "direct_p50_ms", "rdflib_p50_ms"}
    for q in doc["queries"]:
        assert keys <= set(q) and q["articles"] == 2
        # Each triple once in the direct store: it answers what cakg answers.
        assert q["rows"] == q["direct_rows"], q["name"]
    server = doc["server"]
    assert server["clients"] == 8 and server["rps"] > 0 and server["inprocess_rps"] > 0
    assert server["rss_mb"] > 0
    assert (tmp_path / "plot.png").read_bytes().startswith(b"\x89PNG")
    assert out.with_suffix(".md").read_text(encoding="utf-8").startswith("| step |")
