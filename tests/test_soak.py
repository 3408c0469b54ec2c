"""The soak test's short form: `cakg serve` under a few clients answers every request rightly.

Correctness only — no 5xx but the runaway's 503, every answer well-formed — never a speed:
the latency ratio and the memory bound are judged by the full form
(``python benchmarks/soak.py``), on demand.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SOAK = Path(__file__).resolve().parents[1] / "benchmarks" / "soak.py"


def test_short_soak_answers_every_request_rightly(built: Path) -> None:
    proc = subprocess.run(
        [sys.executable, str(SOAK), "--short", "--data", str(built / "kg.trig")],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    for kind in ("query", "entity", "bad request", "runaway", "probe"):
        assert kind in proc.stdout
    assert "soak: passed" in proc.stdout
    assert "p95" not in proc.stdout  # the short form prints no speed figure


def test_the_soak_fails_on_a_5xx_that_no_runaway_explains() -> None:
    sys.path.insert(0, str(SOAK.parent))
    try:
        import soak  # type: ignore[import-not-found]
    finally:
        sys.path.remove(str(SOAK.parent))
    plan = soak.Plan(
        seconds=1, clients=1, runaways=1, pause=0, max_requests=10, timeout=1, workers=2,
        max_ratio=2, max_rss_mb=500, speed=False,
    )  # fmt: skip
    tally = soak.Tally()
    tally.record("runaway", 503, None)
    tally.record("query", 200, None)
    assert soak.report(tally, [], [], {}, {"killed": 1}, plan) == 0
    tally.record("query", 503, None)  # a small query refused: the server was overwhelmed
    assert soak.report(tally, [], [], {}, {"killed": 1}, plan) == 1
