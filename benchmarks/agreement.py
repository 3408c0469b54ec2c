"""How far annotators agree on claim labels, and where the classifier stands among them.

    .venv/bin/python benchmarks/agreement.py tests/fixtures/blind/fresh-2026-12 \\
        tests/fixtures/agreement/fresh-2026-12/annotator-*.yaml

A blind set's per-claim labels (``claims: [{text, type, certainty, topics}]`` in its gold)
are one annotator's reading. Each further annotator file relabels the same sentences, in
the gold's order, without having seen those labels (``- {id, type, certainty, topics}``).
For every pair of readers — the set's writer, each annotator, and the classifier — this
prints the share of sentences on which they give the same claim type and certainty, with
Cohen's kappa (agreement beyond chance; Cohen 1960), and the F1 of their topic sets over
all (sentence, topic) pairs. Human agreement is the ceiling a classifier's accuracy
against any one reader can be judged by: a figure above the annotators' own agreement
measures that reader's habits, not the task.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from collections.abc import Sequence
from itertools import combinations
from pathlib import Path
from typing import Any

import yaml
from claims_eval import claim_gold_labels, claim_labels, gold_files

Labels = list[dict[str, Any]]


def cohen_kappa(a: Sequence[str], b: Sequence[str]) -> float:
    """Cohen's kappa of two readers' labels of the same items.

    >>> cohen_kappa(["x", "x", "y", "y"], ["x", "x", "y", "y"])
    1.0
    >>> cohen_kappa(["x", "y", "x", "y"], ["x", "x", "y", "y"])
    0.0
    """
    n = len(a)
    observed = sum(1 for x, y in zip(a, b, strict=True) if x == y) / n
    ca, cb = Counter(a), Counter(b)
    expected = sum(ca[k] * cb[k] for k in set(ca) | set(cb)) / (n * n)
    return 1.0 if expected == 1 else (observed - expected) / (1 - expected)


def topic_f1(a: Sequence[Sequence[str]], b: Sequence[Sequence[str]]) -> float | None:
    """F1 of two readers' topic sets over all (item, topic) pairs (symmetric).

    >>> topic_f1([["economy"], []], [["economy", "security"], []])
    0.6666666666666666
    """
    both = sum(len(set(x) & set(y)) for x, y in zip(a, b, strict=True))
    total = sum(len(x) for x in a) + sum(len(y) for y in b)
    return 2 * both / total if total else None


def writer_labels(folder: Path) -> tuple[list[str], Labels]:
    """The sentences of a blind set's labelled claims, and their writer's labels, in order."""
    texts: list[str] = []
    labels: Labels = []
    for path in gold_files(folder):
        gold = yaml.safe_load(path.read_text(encoding="utf-8"))
        for answer in gold["answers"]:
            for claim in answer.get("claims") or []:
                texts.append(str(claim["text"]))
                labels.append(claim)
    return texts, [claim_gold_labels(c) for c in labels]


def annotator_labels(path: Path, n: int) -> Labels:
    """An annotator's file, checked to label the same n sentences in order."""
    items = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(items, list) or [i.get("id") for i in items] != list(range(1, n + 1)):
        sys.exit(f"{path}: expected {n} entries with ids 1..{n} in order")
    return [claim_gold_labels(i) for i in items]


def pair_figures(a: Labels, b: Labels) -> dict[str, float | None]:
    """Agreement of two readers on type, certainty and topics."""
    out: dict[str, float | None] = {}
    for key in ("type", "certainty"):
        x = [str(i[key]) for i in a]
        y = [str(i[key]) for i in b]
        out[f"{key}_agreement"] = sum(1 for p, q in zip(x, y, strict=True) if p == q) / len(x)
        out[f"{key}_kappa"] = cohen_kappa(x, y)
    out["topic_f1"] = topic_f1([i["topics"] for i in a], [i["topics"] for i in b])
    return out


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("blind_set", type=Path, help="a blind set folder with labelled claims")
    ap.add_argument("annotators", type=Path, nargs="+", help="annotator files, same order")
    args = ap.parse_args(argv)
    texts, writer = writer_labels(args.blind_set)
    readers: dict[str, Labels] = {"writer": writer}
    for path in args.annotators:
        readers[path.stem] = annotator_labels(path, len(texts))
    readers["classifier"] = [claim_labels(t) for t in texts]
    print(f"{len(texts)} labelled sentences in {args.blind_set}")
    head = f"{'pair':34} {'type':>6} {'kappa':>6} {'cert.':>6} {'kappa':>6} {'topic F1':>9}"
    print(head)
    for (na, a), (nb, b) in combinations(readers.items(), 2):
        f = pair_figures(a, b)
        topic = f"{f['topic_f1']:.2f}" if f["topic_f1"] is not None else "–"
        print(
            f"{na + ' ~ ' + nb:34} {f['type_agreement']:6.2f} {f['type_kappa']:6.2f} "
            f"{f['certainty_agreement']:6.2f} {f['certainty_kappa']:6.2f} {topic:>9}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
