"""Reasoning at corpus scale: each article checked on its own gives what HermiT gives over
the whole ABox, inconsistencies are found where they are added, and the inferences come and
go with their article."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph, URIRef

from cakg.cli import cli
from cakg.graph.build import build_knowledge_graph
from cakg.graph.check.corpus_reason import check_article, inferred_graph, reason_store
from cakg.graph.check.reason import reason_graph
from cakg.graph.corpus import build_store, open_corpus_store, remove_article
from cakg.graph.namespaces import CAKG, RDF
from cakg.graph.store.context import article_context
from cakg.graph.store.engines import OxigraphStore
from cakg.graph.text.reader import read_article

ARTICLES = sorted((Path(__file__).parent / "fixtures" / "articles").iterdir())[:3]


def inferred_union(store: OxigraphStore) -> set[tuple[object, object, object]]:
    names = [n for n in store.graph_names() if str(n).endswith("/inferred")]
    return {t for n in names for t in store.graph(n)}


@pytest.fixture(scope="module")
def reasoned(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("reasoned") / "store"
    report = build_store(ARTICLES, folder, reason=True, jobs=1)
    assert not report.failed and not report.inconsistent and report.inferred > 0
    return folder


def test_article_by_article_gives_what_hermit_gives_over_everything(reasoned: Path) -> None:
    kg, _, _ = build_knowledge_graph([read_article(p) for p in ARTICLES])
    whole = reason_graph(kg)
    assert whole.consistent
    # Added with --reason, and again by `cakg reason --store` (the reference graph too).
    store = open_corpus_store(reasoned, read_only=True)
    on_adding = inferred_union(store)
    del store
    again = reason_store(reasoned)
    assert again.consistent and len(again.checks) == len(ARTICLES) + 1
    store = open_corpus_store(reasoned, read_only=True)
    assert inferred_union(store) == set(whole.triples) >= on_adding
    assert CAKG.hasClaim in {p for _, p, _ in on_adding}  # the inverse links


def test_an_inconsistent_article_is_named(tmp_path: Path) -> None:
    """Disjoint types, one stated by the store and one by the new article, are found when the
    article is checked with the nodes it touches."""
    store = OxigraphStore()
    x = URIRef("https://cakg.example.org/id/state/x")
    before = Graph()
    before.add((x, RDF.type, CAKG.State))
    store.put_graphs({URIRef("https://cakg.example.org/id/graph/article/a"): before})
    name = URIRef("https://cakg.example.org/id/graph/article/b")
    article = Graph()
    article.add((x, RDF.type, CAKG.Organization))
    data = article_context(store, {name: article})
    check = check_article(name, {name: article}, data, "https://cakg.example.org/id/")
    assert not check.consistent and check.culprits == [x]
    assert "disjoint" in check.explanation


def test_reason_store_cli_and_removal(reasoned: Path) -> None:
    result = CliRunner().invoke(cli, ["reason", "--store", str(reasoned)])
    assert result.exit_code == 0, result.output
    assert "checked one by one" in result.output
    store = open_corpus_store(reasoned, read_only=True)
    article = next(n for n in store.graph_names() if str(n).endswith(("/inferred",)))
    main = URIRef(str(article).removesuffix("/inferred"))
    assert inferred_graph(main) == article
    del store
    removed = remove_article(reasoned, str(main))
    assert article in removed
    store = open_corpus_store(reasoned, read_only=True)
    assert article not in store.graph_names()
