"""Behaviour is unchanged: exports, evaluation figures and query results match the snapshot.

The snapshot (``tests/fixtures/behaviour``) was taken before the code was restructured; a
refactoring must keep every exported file byte-identical. After an *intended* change of
behaviour, rewrite it with ``python tests/behaviour.py --update`` and say why in the commit.
"""

from __future__ import annotations

import difflib
import gzip
import json
from pathlib import Path
from typing import Any

import pytest
from behaviour import EXPECTED, cases, snapshot

_EXPECTED: dict[str, Any] = json.loads((EXPECTED / "expected.json").read_text(encoding="utf-8"))


def test_snapshot_covers_every_case() -> None:
    assert sorted(_EXPECTED) == sorted(cases())


def _nquads_diff(case: str, actual: bytes) -> str:
    expected = gzip.decompress((EXPECTED / f"{case}.nq.gz").read_bytes())
    lines = difflib.unified_diff(
        expected.decode().splitlines(), actual.decode().splitlines(), "expected", "now", n=0
    )
    return "\n".join(list(lines)[:40])


@pytest.mark.parametrize("case", sorted(cases()))
def test_behaviour_unchanged(case: str, tmp_path: Path) -> None:
    record, nquads = snapshot(case, cases()[case], tmp_path)
    expected = _EXPECTED[case]
    assert record.get("evaluate") == expected.get("evaluate")
    assert record.get("queries") == expected.get("queries")
    if record["export"] != expected["export"] or record["build"] != expected["build"]:
        pytest.fail(
            "exports differ from the snapshot:\n"
            + "\n".join(
                f"  {name}"
                for name in sorted(set(record["export"]) | set(expected["export"]))
                if record["export"].get(name) != expected["export"].get(name)
            )
            + "\n"
            + _nquads_diff(case, nquads)
        )
    assert record.get("reasoned") == expected.get("reasoned")
