"""The claims evaluation (benchmarks/claims_eval.py) on a small gold folder written for it.

The folder tests/fixtures/claims/eval-sample holds one invented roundup with gold trends
and labelled claims; these tests check the answer spans cut from the gold alone and the
figures computed from them, not the classifier's quality.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest
import yaml

SCRIPT = Path(__file__).resolve().parents[1] / "benchmarks" / "claims_eval.py"
SAMPLE = Path(__file__).resolve().parent / "fixtures" / "claims" / "eval-sample"


def _module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("claims_eval", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_answer_spans_run_from_each_start_to_the_next_header() -> None:
    ev = _module()
    text = (SAMPLE / "roundup.txt").read_text(encoding="utf-8")
    gold = yaml.safe_load((SAMPLE / "gold" / "roundup.yaml").read_text(encoding="utf-8"))
    spans = [text[s:e].strip() for s, e in ev.answer_spans(text, gold)]
    # read independently: each answer is the paragraph right after its question line
    paragraphs = text.split("\n\n")
    expected = [
        paragraphs[i + 1].strip()
        for i, p in enumerate(paragraphs)
        if p.strip().endswith("?") and i + 1 < len(paragraphs)
    ]
    assert spans == expected


def test_an_answer_missing_from_the_article_is_reported_not_scored(tmp_path: Path) -> None:
    ev = _module()
    (tmp_path / "roundup.txt").write_text(
        (SAMPLE / "roundup.txt").read_text(encoding="utf-8"), encoding="utf-8"
    )
    gold = yaml.safe_load((SAMPLE / "gold" / "roundup.yaml").read_text(encoding="utf-8"))
    gold["answers"][1]["starts_with"] = "Words that are nowhere in the article"
    (tmp_path / "roundup.yaml").write_text(yaml.safe_dump(gold), encoding="utf-8")
    figures = ev.figures(tmp_path)
    assert figures["trend"]["n"] == 3
    assert len(figures["missing"]) == 1 and "Words that are nowhere" in figures["missing"][0]


def test_trend_figures_on_a_known_confusion() -> None:
    pairs = [
        ("weakening", "weakening"),
        ("weakening", "uncertain"),
        ("strengthening", "strengthening"),
        ("no change", "weakening"),
    ]
    f = _module().trend_figures(pairs)
    assert f["accuracy"] == 0.5
    assert f["recall"] == {
        "strengthening": 1.0, "weakening": 0.5, "no change": 0.0, "uncertain": None,
    }  # fmt: skip
    # F1: strengthening 1, weakening 2*1/(2+2) = 0.5, no change 0, uncertain 0 → 1.5 / 4
    assert f["macro_f1"] == 0.375
    assert f["confusion"]["weakening -> uncertain"] == 1


def test_claim_figures_count_topic_pairs() -> None:
    rows = [
        {"type": ("prediction", "prediction"), "certainty": ("low", "high"),
         "topics": (["ecology", "diplomacy"], ["ecology"])},
        {"type": ("assessment", "observation"), "certainty": (None, "high"),
         "topics": ([], ["economy"])},
    ]  # fmt: skip
    f = _module().claim_figures(rows)
    assert f["type_accuracy"] == (0.5, 2)
    assert f["certainty_accuracy"] == (0.0, 1)
    assert f["topic_precision"] == 0.5 and f["topic_recall"] == 0.5


def test_the_script_prints_the_table_and_writes_json(tmp_path: Path) -> None:
    out = tmp_path / "figures.json"
    proc = subprocess.run(
        [sys.executable, str(SCRIPT), str(SAMPLE), "--json", str(out)],
        capture_output=True, text=True, timeout=120, cwd=tmp_path,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-2000:]
    for measure in ("trend accuracy", "trend macro-F1", "claim type accuracy", "topic precision"):
        assert measure in proc.stdout
    figures = json.loads(out.read_text(encoding="utf-8"))["this design"]
    assert figures["trend"]["n"] == 4 and figures["claims"]["n"] == 3


def test_the_script_rejects_a_folder_without_gold(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, str(SCRIPT), str(tmp_path)], capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 2
    assert "no gold YAML files" in proc.stderr


def test_a_frozen_set_is_checked_against_its_hashes(tmp_path: Path) -> None:
    ev = _module()
    (tmp_path / "a.txt").write_text("one", encoding="utf-8")
    digest = "7692c3ad3540bb803c020b3aee66cd8887123234ea0c6e7143c0add73ff431ed"  # sha256("one")
    (tmp_path / "SHA256SUMS").write_text(f"{digest}  a.txt\n", encoding="utf-8")
    assert ev.check_frozen(tmp_path) == f"frozen set: 1 files match {tmp_path / 'SHA256SUMS'}"
    (tmp_path / "a.txt").write_text("two", encoding="utf-8")
    with pytest.raises(SystemExit, match="not as frozen"):
        ev.check_frozen(tmp_path)


def test_gold_labels_are_read_by_key_or_label() -> None:
    ev = _module()
    assert ev.gold_label("trend", "no-change") == ev.gold_label("trend", "No change") == "no change"
    assert ev.gold_label("certainty", None) is None
    assert ev.topic_key("domestic politics") == "domestic-politics"
