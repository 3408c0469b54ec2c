"""`cakg evaluate`: extraction measured against a gold annotation.

The gold file (YAML, format in ``tests/fixtures/gold/README.md``) lists an article's
experts, and for every answer its expert, question, first words, the states and
international organizations it names and its trend. Experts, answers and mentions
get precision and recall; trends get accuracy over the answers both sides found;
every claim's and answer's evidence is checked to quote the article exactly.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdflib import URIRef

from cakg.errors import InputError
from cakg.graph.build import build_knowledge_graph
from cakg.graph.check.evaluate_time import TimeScores, evaluate_time
from cakg.graph.entities.gazetteer import Gazetteer
from cakg.graph.entities.reference import reference_graph
from cakg.graph.extract.article import Extraction
from cakg.graph.io import read_yaml
from cakg.graph.namespaces import DEFAULT_BASE, Minter
from cakg.graph.text.reader import ARTICLE_SUFFIXES, ArticleText, bundled_article, read_article

__all__ = [
    "FAMILY_COLUMNS",
    "EvaluationReport",
    "FamilyRow",
    "Measure",
    "evaluate_article",
    "evaluate_extraction",
    "evaluate_families",
    "load_gold",
]


@dataclass
class Measure:
    """Precision and recall of one kind of item."""

    name: str
    true_positives: int
    predicted: int
    expected: int

    @property
    def precision(self) -> float:
        return self.true_positives / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.true_positives / self.expected if self.expected else 1.0

    @property
    def support(self) -> int:
        return self.expected


@dataclass
class EvaluationReport:
    """All measures of one article."""

    article: str
    measures: list[Measure]
    trend_correct: int = 0
    trend_n: int = 0
    offsets_exact: int = 0
    offsets_total: int = 0
    affiliations_correct: int = 0
    affiliations_n: int = 0
    errors: list[str] = field(default_factory=list)
    time: TimeScores | None = None  # where the gold gives a date (a dated series)

    @property
    def trend_accuracy(self) -> float:
        return self.trend_correct / self.trend_n if self.trend_n else 1.0

    def measure(self, name: str) -> Measure:
        return next(m for m in self.measures if m.name == name)


def load_gold(path: Path) -> dict[str, Any]:
    """Read a gold annotation; errors name the file and line."""
    if not path.is_file():
        raise InputError("no such gold file", path=path)
    data = read_yaml(path)
    if not isinstance(data, dict) or "experts" not in data or "answers" not in data:
        raise InputError("a gold file needs 'experts' and 'answers'", path=path)
    return data


def _norm(text: str | None) -> str:
    return " ".join((text or "").replace("\xa0", " ").split()).casefold()


def evaluate_extraction(
    ex: Extraction, gold: dict[str, Any], gazetteer: Gazetteer, minter: Minter
) -> EvaluationReport:
    """Compare one extraction with its gold annotation."""
    report = EvaluationReport(ex.article.name, [])
    text = ex.article.text

    # Experts: name and country.
    def state_iri(label: str | None) -> URIRef | None:
        for m in gazetteer.find(label or ""):
            if m.kind == "state" and m.start == 0 and m.end == len(label or ""):
                return m.iri
        return None

    gold_experts = {(_norm(e["name"]), state_iri(e["country"])) for e in gold["experts"]}
    # The state the extractor gave each expert (a city in the header or introduction
    # stands for the state it lies in), not a second reading of the header's words.
    got_experts = {(_norm(x.name), x.nationality) for x in ex.records.experts}
    report.measures.append(
        Measure("experts", len(gold_experts & got_experts), len(got_experts), len(gold_experts))
    )
    by_name = {_norm(h.name): h for h in ex.structure.experts}
    for e in gold["experts"]:
        h = by_name.get(_norm(e["name"]))
        report.affiliations_n += 1
        if (
            h
            and _norm(h.affiliation) == _norm(e.get("affiliation"))
            and _norm(h.role) == _norm(e.get("role"))
        ):
            report.affiliations_correct += 1

    # Answers: matched by expert, question and first words, in order.
    got = {i: a for i, a in enumerate(ex.answers)}
    matched: list[tuple[dict[str, Any], int]] = []
    for ga in gold["answers"]:
        for i, a in list(got.items()):
            if (
                _norm(a.expert) == _norm(ga["expert"])
                and _norm(a.question) == _norm(ga["question"])
                and _norm(text[a.start : a.end]).startswith(_norm(ga["starts_with"]))
            ):
                matched.append((ga, i))
                del got[i]
                break
        else:
            report.errors.append(f"answer not found: {ga['expert']} / {ga['question'][:50]}")
    report.measures.append(Measure("answers", len(matched), len(ex.answers), len(gold["answers"])))

    # Mentions of states and international organizations, per matched answer.
    for kind in ("states", "organizations"):
        tp = pred = exp = 0
        for ga, i in matched:
            a = ex.answers[i]
            if kind == "states":
                expected = {state_iri(s) for s in ga.get("states") or []}
                predicted = set(a.states)
            else:
                expected = {minter.org(o.lower()) for o in ga.get("organizations") or []}
                predicted = set(a.organizations)
            tp += len(expected & predicted)
            pred += len(predicted)
            exp += len(expected)
            for miss in expected - predicted:
                report.errors.append(
                    f"missed {kind[:-1]} {miss} in {ga['expert']} / {ga['question'][:40]}"
                )
            for extra in predicted - expected:
                report.errors.append(
                    f"extra {kind[:-1]} {extra} in {ga['expert']} / {ga['question'][:40]}"
                )
        report.measures.append(Measure(f"mentions: {kind}", tp, pred, exp))

    for ga, i in matched:
        report.trend_n += 1
        if ex.answers[i].trend == ga["trend"]:
            report.trend_correct += 1
        else:
            report.errors.append(
                f"trend {ex.answers[i].trend!r} ≠ gold {ga['trend']!r}: "
                f"{ga['expert']} / {ga['question'][:40]}"
            )

    # Evidence: the quoted text is exactly the text between the offsets.
    from cakg.graph.namespaces import OA

    for _, _, exact_node in ex.graph.triples((None, OA.exact, None)):
        report.offsets_total += 1
        del exact_node
    for sel in ex.graph.subjects(OA.start, None):
        start = int(str(ex.graph.value(sel, OA.start)))
        end = int(str(ex.graph.value(sel, OA.end)))
        quote = ex.graph.value(URIRef(str(sel).rsplit("/", 1)[0] + "/quote"), OA.exact)
        if quote is not None and text[start:end] == str(quote):
            report.offsets_exact += 1
    if "date" in gold:
        report.time = evaluate_time(ex, gold, matched)
        report.errors.extend(report.time.errors)
    return report


def evaluate_article(
    article: Path, gold_path: Path, *, base: str | None = None
) -> EvaluationReport:
    """Extract ARTICLE and compare it with GOLD (`article: bundled` means the bundled article)."""
    gold = load_gold(gold_path)
    text: ArticleText = bundled_article() if str(article) == "bundled" else read_article(article)
    minter = Minter(base or DEFAULT_BASE)
    _, extractions, _ = build_knowledge_graph([text], base=minter.base)
    gazetteer = Gazetteer.from_graph(reference_graph(minter))
    return evaluate_extraction(extractions[0], gold, gazetteer, minter)


#: The columns of :meth:`FamilyRow.cells`.
FAMILY_COLUMNS = (
    "family",
    "articles",
    "experts P/R",
    "answers P/R",
    "mentions P/R",
    "trend",
    "exact",
)


def _empty_total() -> EvaluationReport:
    return EvaluationReport("", [Measure(n, 0, 0, 0) for n in ("experts", "answers", "mentions")])


@dataclass
class FamilyRow:
    """The figures of one layout family: measures summed over its articles."""

    family: str
    articles: int = 0
    total: EvaluationReport = field(default_factory=_empty_total)

    def cells(self) -> list[str]:
        """The row as the table shows it (:data:`FAMILY_COLUMNS`)."""
        t = self.total
        return [
            self.family,
            str(self.articles),
            *(f"{m.precision:.2f}/{m.recall:.2f}" for m in t.measures),
            f"{t.trend_accuracy:.2f} ({t.trend_n})",
            f"{t.offsets_exact}/{t.offsets_total}",
        ]

    def add(self, report: EvaluationReport) -> None:
        self.articles += 1
        t = self.total
        for name in ("experts", "answers"):
            _add(t.measure(name), report.measure(name))
        for m in report.measures:
            if m.name.startswith("mentions"):
                _add(t.measure("mentions"), m)
        t.trend_correct += report.trend_correct
        t.trend_n += report.trend_n
        t.offsets_exact += report.offsets_exact
        t.offsets_total += report.offsets_total
        t.errors.extend(f"{report.article}: {e}" for e in report.errors)

    def refused(self, article: str, gold: dict[str, Any], error: InputError) -> None:
        """An article that did not build: nothing found, everything of its gold missed."""
        self.articles += 1
        self.total.measure("experts").expected += len(gold["experts"])
        self.total.measure("answers").expected += len(gold["answers"])
        self.total.errors.append(f"{article}: not built: {error.message}")


def _add(total: Measure, m: Measure) -> None:
    total.true_positives += m.true_positives
    total.predicted += m.predicted
    total.expected += m.expected


def evaluate_families(folders: list[Path], *, base: str | None = None) -> list[FamilyRow]:
    """Evaluate every article of the folders that has a gold file in ``gold/``, by layout family.

    The family is the gold's ``layout`` (``expert-blocks`` when it has none); gold files of
    another kind (near misses, with ``expect``) are left out.
    """
    rows: dict[str, FamilyRow] = {}
    for folder in folders:
        if not folder.is_dir():
            raise InputError("not a folder of articles with a gold/ folder", path=folder)
        for article in sorted(folder.iterdir()):
            gold_path = folder / "gold" / f"{article.stem}.yaml"
            if article.suffix.lower() not in ARTICLE_SUFFIXES or not gold_path.is_file():
                continue
            gold = load_gold(gold_path)
            if "expect" in gold:
                continue
            row = rows.setdefault(str(gold.get("layout") or "expert-blocks"), FamilyRow(""))
            row.family = str(gold.get("layout") or "expert-blocks")
            try:
                row.add(evaluate_article(article, gold_path, base=base))
            except InputError as exc:
                row.refused(article.name, gold, exc)
    if not rows:
        raise InputError("no article with a gold file (gold/<stem>.yaml) in the folders")
    return list(rows.values())
