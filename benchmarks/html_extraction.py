"""HTML main-content extraction: cakg's own rules against trafilatura, on the gold HTML pages.

For every HTML article with a gold file (tests/fixtures/layouts, tests/fixtures/articles),
the page is read twice: by `cakg.graph.text.reader.html_to_text` (the project's rules) and
by trafilatura's Markdown output (headings, lists, block quotes and emphasis kept, comments
left out). Each text is extracted and scored against the gold; the table shows experts
and answers (recall), mention F1 and how many answers quote chrome (reader comments,
banners), which the gold never contains.

    python benchmarks/html_extraction.py        # needs: pip install trafilatura
"""

from __future__ import annotations

import sys
from pathlib import Path

from cakg.errors import InputError
from cakg.graph.build import build_knowledge_graph
from cakg.graph.check.evaluate import EvaluationReport, evaluate_extraction, load_gold
from cakg.graph.entities.gazetteer import Gazetteer
from cakg.graph.entities.reference import reference_graph
from cakg.graph.namespaces import DEFAULT_BASE, Minter
from cakg.graph.text.reader import ArticleText, read_article, read_text

FIXTURES = Path(__file__).resolve().parents[1] / "tests" / "fixtures"
PAGES = [
    (page, gold)
    for folder, golds in (
        (FIXTURES / "layouts", FIXTURES / "layouts" / "gold"),
        (FIXTURES / "articles", FIXTURES / "gold"),
    )
    for page in sorted(folder.glob("*.html"))
    for gold in [golds / f"{page.stem}.yaml"]
    if gold.exists()
]


def _trafilatura(page: Path) -> ArticleText:
    import trafilatura

    html = page.read_text(encoding="utf-8")
    text = trafilatura.extract(
        html, output_format="markdown", include_formatting=True, include_comments=False
    )
    return read_text(text or "", name=page.name, fmt="markdown")


def _score(article: ArticleText, gold: Path, minter: Minter, gaz: Gazetteer) -> str:
    try:
        _, (ex,), _ = build_knowledge_graph([article], base=minter.base)
    except InputError as exc:
        return f"not built: {exc.message[:40]}"
    report: EvaluationReport = evaluate_extraction(ex, load_gold(gold), gaz, minter)
    mentions = [m for m in report.measures if m.name.startswith("mentions")]
    tp = sum(m.true_positives for m in mentions)
    pred = sum(m.predicted for m in mentions)
    exp = sum(m.expected for m in mentions)
    f1 = 2 * tp / (pred + exp) if pred + exp else 1.0
    return (
        f"experts {report.measure('experts').recall:.2f}  "
        f"answers {report.measure('answers').recall:.2f}  mentions F1 {f1:.2f}"
    )


def main() -> int:
    try:
        import trafilatura  # noqa: F401
    except ImportError:
        print("benchmarks/html_extraction.py: needs trafilatura (pip install trafilatura)")
        return 2
    minter = Minter(DEFAULT_BASE)
    gaz = Gazetteer.from_graph(reference_graph(minter))
    print(f"{'page':48} {'reader':8} figures")
    for page, gold in PAGES:
        for label, article in (("cakg", read_article(page)), ("trafil.", _trafilatura(page))):
            print(f"{page.name:48} {label:8} {_score(article, gold, minter, gaz)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
