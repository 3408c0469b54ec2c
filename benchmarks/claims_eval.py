"""Score the claim classifier on a gold folder: answer trend, and claim type, certainty, topics.

    make claims-eval GOLD=tests/fixtures/series              # = the line below
    .venv/bin/python benchmarks/claims_eval.py tests/fixtures/series --baseline a57551a

GOLD is a YAML list of answers (``question``, ``answer``, ``trend``, as in
``tests/fixtures/claims/answers.yaml``) or a folder of gold YAML files (in ``GOLD/gold/``
if that exists) in the format of ``tests/fixtures/gold/README.md``; each file's
``article`` is found relative to the gold folder or any folder above it. The classifier
gets the gold question and the gold answer text, never the structure parser's, so
structure errors do not mix in: an answer runs from its ``starts_with`` to the next
answer's, less the header, name and question lines between them (the last answer ends
where the parser ends it, else at the end of the text).

Reported: answer trend accuracy, macro-F1 over the trend labels that occur, per-class
recall and the confusion matrix; for the labelled claims (``claims: [{text, type,
certainty, topics}]`` under an answer, optional) claim type accuracy and its confusion
matrix, certainty accuracy and topic precision/recall over all (claim, topic) pairs.

``--baseline REV`` also scores the design at git revision REV in the same run: that
revision is installed into a temporary folder and this same script runs on it in a
child process, so both columns come from one scoring code. A blind set is scored once
per design (see the README's protocol).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
TRENDS = ("strengthening", "weakening", "no change", "uncertain")


# --- reading the gold -----------------------------------------------------------------------


def gold_files(folder: Path) -> list[Path]:
    """The gold YAML files of a set (its ``gold/`` subfolder if it has one)."""
    where = folder / "gold" if (folder / "gold").is_dir() else folder
    found = []
    for path in sorted(where.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if isinstance(data, dict) and isinstance(data.get("answers"), list):
            found.append(path)
    return found


def article_text(gold_path: Path, name: str) -> str:
    """The text of a gold file's article, found relative to the gold folder or one above."""
    from cakg.graph.text.reader import bundled_article, read_article

    if name == "bundled":
        return bundled_article().text
    for folder in (gold_path.parent, *gold_path.parent.parents):
        if (folder / name).is_file():
            return read_article(folder / name).text
    raise SystemExit(f"{gold_path}: article {name!r} not found beside or above the gold folder")


def _words_pattern(words: str) -> re.Pattern[str]:
    """The words of `words` with any whitespace between them (line breaks differ by layout)."""
    return re.compile(r"\s+".join(re.escape(w) for w in words.split()))


def _is_header(line: str, names: Sequence[str], questions: Sequence[str]) -> bool:
    """Whether a line between two answers is a header: a name, a question or a heading."""
    bare = " ".join(line.strip(" \t#*>_-").split())
    return (
        not bare
        or bare in questions
        or (len(bare) < 200 and any(n in bare for n in names))
        or bare.endswith("?")
    )


def _structure_end(text: str, start: int) -> int | None:
    """Where the structure parser ends the answer that starts at `start`, if it finds it."""
    from cakg.graph.text.structure import parse_structure

    try:
        structure = parse_structure(text, lambda _: True)
    except Exception:  # a parser error only loses this hint
        return None
    for block in structure.answers:
        if abs(block.start - start) <= 2:
            return block.end
    return None


def answer_spans(text: str, gold: dict[str, Any]) -> list[tuple[int, int]]:
    """(start, end) in `text` of every gold answer, in order; an unfound answer is (-1, -1)."""
    names = [e["name"] for e in gold.get("experts", [])]
    questions = [" ".join(str(a["question"]).split()) for a in gold["answers"]]
    starts: list[int] = []
    pos = 0
    for answer in gold["answers"]:
        m = _words_pattern(str(answer["starts_with"])).search(text, pos)
        starts.append(m.start() if m else -1)
        if m:
            pos = m.start() + 1
    spans = []
    found = [s for s in starts if s >= 0]
    for start in starts:
        if start < 0:
            spans.append((-1, -1))
            continue
        later = [s for s in found if s > start]
        if not later:
            spans.append((start, _structure_end(text, start) or len(text)))
            continue
        end = text.rfind("\n", start, later[0])  # drop a "Name (Country):" prefix line
        end = later[0] if end < 0 else end
        lines = text[start:end].split("\n")
        while len(lines) > 1 and _is_header(lines[-1], names, questions):
            lines.pop()
        spans.append((start, start + len("\n".join(lines))))
    return spans


def check_frozen(folder: Path) -> str | None:
    """Check the folder's SHA256SUMS, if it has one: a set whose files changed after its gold
    was frozen is no blind set. Returns a line to print, or None without SHA256SUMS.

    A mismatch or a missing file raises SystemExit naming the file.
    """
    sums = folder / "SHA256SUMS"
    if not sums.is_file():
        return None
    n = 0
    for line in sums.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        digest, name = line.split(maxsplit=1)
        path = folder / name.lstrip("*")
        if not path.is_file() or hashlib.sha256(path.read_bytes()).hexdigest() != digest:
            raise SystemExit(f"{path}: does not match {sums.name}: the set is not as frozen")
        n += 1
    return f"frozen set: {n} files match {sums}"


# --- scoring --------------------------------------------------------------------------------


def topic_key(name: str) -> str:
    """A gold topic as the classifier writes it (its concept's key)."""
    from cakg.graph.vocabulary import lookup

    concept = lookup("topic", str(name))
    return concept.key if concept is not None else str(name)


def gold_label(kind: str, name: object) -> str | None:
    """A gold label as the classifier writes it ("no-change" and "No change" → "no change")."""
    from cakg.graph.vocabulary import lookup

    if name is None:
        return None
    concept = lookup(kind, str(name))
    return concept.label if concept is not None else str(name)


def claim_gold_labels(claim: dict[str, Any]) -> dict[str, Any]:
    """A labelled claim's type, certainty and topics as the classifier writes them."""
    return {
        "type": gold_label("type", claim.get("type")),
        "certainty": gold_label("certainty", claim.get("certainty")),
        "topics": sorted(topic_key(t) for t in claim.get("topics") or []),
    }


def claim_labels(sentence: str) -> dict[str, Any]:
    """What the installed classifier says of a claim sentence: type, certainty, topics."""
    from cakg.graph import claims as claimlib

    c = claimlib.classify(sentence)
    return {
        "type": c.claim_type.label,
        "certainty": c.certainty.label,
        "topics": sorted({t.label for t in c.topics}),
    }


def _answer_trend(text: str, start: int, end: int, question: str) -> str:
    """The trend the classifier gives an answer at text[start:end]."""
    from cakg.graph import claims as claimlib

    spans = claimlib.split_claims(text, start, end)
    return claimlib.answer_trend([claimlib.classify(text[s:e]) for s, e in spans], question).label


def score_answers(path: Path) -> dict[str, Any]:
    """Gold and predicted trends of a YAML list of answers ({question, answer, trend})."""
    items = yaml.safe_load(path.read_text(encoding="utf-8"))
    pairs = [
        (
            gold_label("trend", i["trend"]) or "",
            _answer_trend(str(i["answer"]), 0, len(str(i["answer"])), i["question"]),
        )
        for i in items
    ]
    return {"trend": pairs, "claims": [], "missing": []}


def score(folder: Path) -> dict[str, Any]:
    """Gold and predicted labels of every answer and labelled claim of a gold folder."""

    if folder.is_file():
        return score_answers(folder)
    trend_pairs: list[tuple[str, str]] = []
    missing: list[str] = []
    claim_rows: list[dict[str, Any]] = []
    for path in gold_files(folder):
        gold = yaml.safe_load(path.read_text(encoding="utf-8"))
        text = article_text(path, str(gold["article"]))
        for answer, (start, end) in zip(gold["answers"], answer_spans(text, gold), strict=True):
            if start < 0:
                missing.append(f"{path.name}: {answer['starts_with'][:40]!r}")
                continue
            predicted = _answer_trend(text, start, end, str(answer["question"]))
            trend_pairs.append((gold_label("trend", answer["trend"]) or "", predicted))
            for claim in answer.get("claims") or []:
                g, p = claim_gold_labels(claim), claim_labels(str(claim["text"]))
                claim_rows.append({key: (g[key], p[key]) for key in g})
    return {"trend": trend_pairs, "claims": claim_rows, "missing": missing}


def trend_figures(pairs: Sequence[tuple[str, str]]) -> dict[str, Any]:
    """Accuracy, macro-F1 (over labels that occur in gold or prediction), recall per class.

    >>> f = trend_figures([("weakening", "weakening"), ("no change", "uncertain")])
    >>> f["accuracy"], round(f["macro_f1"], 2), f["recall"]["no change"]
    (0.5, 0.33, 0.0)
    """
    n = len(pairs)
    labels = [t for t in TRENDS if any(t in p for p in pairs)]
    recall: dict[str, float | None] = {}
    f1s = []
    for label in labels:
        tp = sum(1 for g, p in pairs if g == p == label)
        gold_n = sum(1 for g, _ in pairs if g == label)
        pred_n = sum(1 for _, p in pairs if p == label)
        recall[label] = tp / gold_n if gold_n else None
        f1s.append(2 * tp / (gold_n + pred_n) if gold_n + pred_n else 0.0)
    confusion = Counter(pairs)
    return {
        "n": n,
        "accuracy": sum(1 for g, p in pairs if g == p) / n if n else 0.0,
        "macro_f1": sum(f1s) / len(f1s) if f1s else 0.0,
        "recall": recall,
        "support": {label: sum(1 for g, _ in pairs if g == label) for label in labels},
        "confusion": {f"{g} -> {p}": k for (g, p), k in sorted(confusion.items())},
    }


def claim_figures(rows: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Type and certainty accuracy over claims that give them; topic precision and recall."""

    def accuracy(key: str) -> tuple[float | None, int]:
        pairs = [r[key] for r in rows if r[key][0] is not None]
        return (sum(1 for g, p in pairs if g == p) / len(pairs) if pairs else None), len(pairs)

    per_topic: dict[str, list[int]] = {}
    for g, p in (r["topics"] for r in rows):
        for topic in set(g) | set(p):
            counts = per_topic.setdefault(topic, [0, 0, 0])  # true pos., false pos., false neg.
            counts[0 if topic in g and topic in p else 1 if topic in p else 2] += 1
    types = Counter(r["type"] for r in rows if r["type"][0] is not None)
    tp = sum(len(set(g) & set(p)) for g, p in (r["topics"] for r in rows))
    predicted = sum(len(p) for _, p in (r["topics"] for r in rows))
    gold = sum(len(g) for g, _ in (r["topics"] for r in rows))
    return {
        "n": len(rows),
        "type_accuracy": accuracy("type"),
        "certainty_accuracy": accuracy("certainty"),
        "topic_precision": tp / predicted if predicted else None,
        "topic_recall": tp / gold if gold else None,
        "topic_pairs": (tp, predicted, gold),
        "type_confusion": {f"{g} -> {p}": k for (g, p), k in sorted(types.items())},
        "per_topic": dict(sorted(per_topic.items())),
    }


def figures(folder: Path) -> dict[str, Any]:
    """Every figure of a gold folder, as plain data (what --json writes)."""
    raw = score(folder)
    return {
        "trend": trend_figures(raw["trend"]),
        "claims": claim_figures(raw["claims"]),
        "missing": raw["missing"],
    }


# --- the baseline: another revision, same scoring code --------------------------------------


def baseline_figures(folder: Path, rev: str) -> dict[str, Any]:
    """The figures of the design at git revision `rev`, installed into a temporary folder."""
    with tempfile.TemporaryDirectory(prefix="cakg-baseline-") as tmp:
        src, site, out = Path(tmp, "src"), Path(tmp, "site"), Path(tmp, "figures.json")
        run = dict(check=True, capture_output=True, text=True)
        git = ["git", "-C", str(ROOT), "worktree"]
        subprocess.run([*git, "add", "--detach", str(src), rev], **run)
        try:
            subprocess.run(
                [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps",
                 "--target", str(site), str(src)],
                **run,
            )  # fmt: skip
            env = {**os.environ, "PYTHONPATH": str(site)}
            subprocess.run(
                [sys.executable, __file__, str(folder), "--json", str(out)], env=env, **run
            )
            data: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
            return dict(data["this design"])
        finally:
            subprocess.run([*git, "remove", "--force", str(src)], check=False)


# --- printing -------------------------------------------------------------------------------


def _fmt(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


def _rows(columns: Sequence[tuple[str, dict[str, Any]]]) -> Iterator[list[str]]:
    first = columns[0][1]
    yield ["answers scored", *(str(f["trend"]["n"]) for _, f in columns)]
    yield ["trend accuracy", *(_fmt(f["trend"]["accuracy"]) for _, f in columns)]
    yield ["trend macro-F1", *(_fmt(f["trend"]["macro_f1"]) for _, f in columns)]
    for label, support in first["trend"]["support"].items():
        yield [
            f"  recall {label} (n={support})",
            *(_fmt(f["trend"]["recall"].get(label)) for _, f in columns),
        ]
    yield ["claims labelled", *(str(f["claims"]["n"]) for _, f in columns)]
    for key, name in (
        ("type_accuracy", "claim type accuracy"),
        ("certainty_accuracy", "certainty accuracy"),
    ):
        yield [name, *(_fmt(f["claims"][key][0]) for _, f in columns)]
    yield ["topic precision", *(_fmt(f["claims"]["topic_precision"]) for _, f in columns)]
    yield ["topic recall", *(_fmt(f["claims"]["topic_recall"]) for _, f in columns)]


def topic_report(f: dict[str, Any]) -> list[str]:
    """Precision and recall of each topic over the labelled claims (what --topics prints).

    >>> topic_report({"claims": {"per_topic": {"economy": [3, 1, 2]}}})[1]
    '  economy                P 0.75 (3/4)  R 0.60 (3/5)'
    """
    per_topic = f["claims"].get("per_topic", {})
    lines = ["\ntopics (precision, recall):"] if per_topic else []
    for topic, (tp, fp, fn) in per_topic.items():
        p, r = (tp / (tp + fp) if tp + fp else None), (tp / (tp + fn) if tp + fn else None)
        lines.append(f"  {topic:<22} P {_fmt(p)} ({tp}/{tp + fp})  R {_fmt(r)} ({tp}/{tp + fn})")
    return lines


def report(columns: Sequence[tuple[str, dict[str, Any]]], topics: bool = False) -> str:
    """The figures of one or more designs side by side, then each one's confusion matrix
    (and, with `topics`, each topic's precision and recall)."""
    header = ["measure", *(name for name, _ in columns)]
    rows = [header, *_rows(columns)]
    widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
    for name, f in columns:
        lines.append(f"\nconfusion (gold -> predicted), {name}:")
        lines.extend(f"  {pair}: {k}" for pair, k in f["trend"]["confusion"].items())
        lines.extend(f"  answer not found: {m}" for m in f["missing"])
        if f["claims"].get("type_confusion"):
            lines.append(f"\nclaim type confusion (gold -> predicted), {name}:")
            lines.extend(f"  {pair}: {k}" for pair, k in f["claims"]["type_confusion"].items())
        if topics:
            lines.extend(topic_report(f))
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Score the folder (and a baseline revision, if asked) and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("gold", type=Path, help="folder of gold YAML files (or with gold/)")
    parser.add_argument("--baseline", metavar="REV", help="also score the design at git REV")
    parser.add_argument("--json", type=Path, help="write the figures as JSON to this file")
    parser.add_argument("--topics", action="store_true", help="also each topic's P and R")
    args = parser.parse_args(argv)
    if args.gold.is_dir() and not gold_files(args.gold):
        print(f"{args.gold}: no gold YAML files with answers", file=sys.stderr)
        return 2
    frozen = check_frozen(args.gold) if args.gold.is_dir() else None
    if frozen:
        print(frozen)
    columns = [("this design", figures(args.gold))]
    if args.baseline:
        columns.append((f"baseline {args.baseline}", baseline_figures(args.gold, args.baseline)))
    if args.json:
        args.json.write_text(json.dumps(dict(columns), indent=1), encoding="utf-8")
    print(report(columns, args.topics))
    return 0


if __name__ == "__main__":
    sys.exit(main())
