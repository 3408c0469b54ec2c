"""What cakg does, as files: the snapshot that a restructuring must leave byte-identical.

Everything goes through the command line (the stable contract), never through library
functions whose homes may move. For each case (the bundled article, every fixture
article, and all of them built together as one corpus) it records:

* the SHA-256 of every file ``cakg build`` and ``cakg export --format all`` write;
* the canonical N-Quads, gzipped, so that a difference can be shown line by line;
* the printed figures of ``cakg evaluate`` against the case's gold annotation;
* for the bundled article and the corpus, every named query's CSV output (with its
  example's parameters); for the bundled article, the exports after ``cakg reason``.

Run ``python tests/behaviour.py --update`` only when a change of behaviour is intended,
and say so in the commit message; ``tests/test_behaviour.py`` compares against it.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import re
import shlex
import sys
import tempfile
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from cakg.cli import cli

HERE = Path(__file__).parent
FIXTURES = HERE / "fixtures"
EXPECTED = FIXTURES / "behaviour"
ARTICLES = FIXTURES / "articles"
GOLD = FIXTURES / "gold"
REPO = HERE.parent
BUNDLED = REPO / "graph" / "data" / "articles"


def _cli(args: list[str]) -> tuple[int, bytes, str]:
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    return result.exit_code, result.stdout_bytes, result.stderr


def _digests(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _evaluate(article: str, gold: Path) -> list[str]:
    code, out, err = _cli(["evaluate", article, str(gold)])
    assert code == 0, err
    # The table's box drawing depends on the terminal width; the figures do not.
    return [line for line in out.decode().splitlines() if re.search(r"\d", line)]


def _build(articles: list[str], work: Path) -> tuple[Path, Path]:
    built, exported = work / "built", work / "export"
    code, _, err = _cli(["build", *articles, "-o", str(built)])
    assert code == 0, err
    code, _, err = _cli(["export", "--format", "all", "-o", str(exported), str(built / "kg.trig")])
    assert code == 0, err
    return built, exported


def cases() -> dict[str, list[str]]:
    """Case name -> the article arguments of `cakg build` (empty: the bundled article)."""
    fixtures = sorted(p for p in ARTICLES.iterdir() if p.is_file())
    out: dict[str, list[str]] = {"bundled": []}
    for p in fixtures:
        out[p.stem] = [str(p)]
    bundled_file = next(p for p in sorted(BUNDLED.iterdir()) if p.suffix == ".txt")
    out["corpus"] = [str(bundled_file), *map(str, fixtures)]
    return out


def _example_args(rq: str) -> list[str]:
    for line in rq.splitlines():
        if line.startswith("# example:"):
            words = shlex.split(line.removeprefix("# example:"))
            return [w for w in words[3:] if w]  # after `cakg query NAME`
    return []


def _queries(built: Path) -> dict[str, dict[str, Any]]:
    from importlib import resources

    out: dict[str, dict[str, Any]] = {}
    folder = resources.files("cakg.queries")
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".rq"):
            continue
        name = entry.name.removesuffix(".rq")
        args = _example_args(entry.read_text(encoding="utf-8"))
        code, stdout, err = _cli(
            ["query", name, *args, "-f", "csv", "--data", str(built / "kg.trig")]
        )
        assert code in (0, 1), f"{name}: {err}"
        out[name] = {
            "args": args,
            "exit": code,
            "sha256": hashlib.sha256(stdout).hexdigest(),
            "rows": max(stdout.count(b"\n") - 1, 0),
        }
    return out


def snapshot(case: str, articles: list[str], work: Path) -> tuple[dict[str, Any], bytes]:
    """The record of one case, and its canonical N-Quads."""
    built, exported = _build(articles, work)
    record: dict[str, Any] = {"build": _digests(built), "export": _digests(exported)}
    gold = GOLD / f"{case}.yaml"
    if gold.exists():
        record["evaluate"] = _evaluate("bundled" if case == "bundled" else articles[0], gold)
    if case in ("bundled", "corpus"):
        record["queries"] = _queries(built)
    if case == "bundled":
        code, _, err = _cli(["reason", str(built / "kg.trig"), "-o", str(work / "reasoned.trig")])
        assert code == 0, err
        code, _, err = _cli(
            ["export", "--format", "all", "-o", str(work / "rexport"), str(work / "reasoned.trig")]
        )
        assert code == 0, err
        record["reasoned"] = _digests(work / "rexport")
    return record, (exported / "kg.nq").read_bytes()


def update() -> None:
    """Write the expected snapshot from what the installed cakg does now."""
    EXPECTED.mkdir(parents=True, exist_ok=True)
    records: dict[str, Any] = {}
    for case, articles in cases().items():
        with tempfile.TemporaryDirectory() as tmp:
            record, nquads = snapshot(case, articles, Path(tmp))
        records[case] = record
        (EXPECTED / f"{case}.nq.gz").write_bytes(gzip.compress(nquads, mtime=0))
        print(f"{case}: {len(record['export'])} exports", file=sys.stderr)
    text = json.dumps(records, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
    (EXPECTED / "expected.json").write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--update", action="store_true", help="rewrite the expected snapshot")
    if parser.parse_args().update:
        update()
    else:
        parser.print_help()


if __name__ == "__main__":
    main()
