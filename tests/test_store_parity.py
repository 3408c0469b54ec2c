"""Set semantics: every named query gives the merged graph's rows and counts on each store.

The corpus shares experts, states and relations between articles (each article is built
twice, under a second IRI, as a roundup republished under another title would be), so a
store whose default graph repeated a triple once per graph would multiply rows and counts.
The reference is the RDF merge itself, one graph holding each triple once; on the small
sample graph (every graph stated twice) rdflib's union of graphs, a set, is the reference
too (rdflib takes minutes per query on the built corpus).
"""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import Any

import pytest
from rdflib import URIRef

import cakg.queries as cq
from cakg.graph.build import build_knowledge_graph
from cakg.graph.info import store_info
from cakg.graph.store.dataset import KnowledgeGraph
from cakg.graph.store.engines import OxigraphStore, RdflibStore, Store
from cakg.graph.text.reader import bundled_article, read_article

ARTICLES = sorted((Path(__file__).parent / "fixtures" / "articles").iterdir())
LIBRARY = cq.list_queries()


@pytest.fixture(scope="module")
def corpus() -> KnowledgeGraph:
    texts = [bundled_article(), *(read_article(p) for p in ARTICLES)]
    kg, extractions, _ = build_knowledge_graph([*texts, *texts])
    assert len({ex.slug for ex in extractions}) == 2 * len(texts)
    return kg


def _fill(store: Any, kg: KnowledgeGraph) -> Any:
    for name, g in kg:
        store.add_graph(name, g)
    return store


@pytest.fixture(scope="module")
def stores(corpus: KnowledgeGraph, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Store]:
    folder = tmp_path_factory.mktemp("parity") / "store"
    disk = _fill(OxigraphStore(folder), corpus)
    del disk  # closed, then opened again read-only as `cakg serve --store` opens it
    merged = OxigraphStore()
    merged.add_graph(URIRef("urn:x-test:merged"), corpus.merged())
    return {
        "merged": merged,
        "oxigraph-memory": _fill(OxigraphStore(), corpus),
        "oxigraph-disk": OxigraphStore.open_read_only(folder),
    }


def _example_params(nq: cq.NamedQuery) -> dict[str, str]:
    """The parameters of the query's first example (as `cakg query` reads them)."""
    words = shlex.split(nq.examples[0]) if nq.examples else []
    items = [words[i + 1] for i, w in enumerate(words[:-1]) if w in ("-p", "--param")]
    return cq.parse_param_items(items)


def _canon(result: Any) -> list[tuple[tuple[str, str], ...]]:
    # GROUP_CONCAT order is not defined by SPARQL: compare its items as a multiset.
    return sorted(
        tuple(sorted((k, ", ".join(sorted(str(v).split(", ")))) for k, v in row.items()))
        for row in result.rows
    )


def test_the_corpus_shares_nodes(stores: dict[str, Store]) -> None:
    """The corpus has what makes a union of graphs differ from their merge."""
    shared = """SELECT (COUNT(*) AS ?n) WHERE {
      SELECT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?s ?p ?o HAVING (COUNT(?g) > 1)
    }"""
    assert int(str(stores["oxigraph-memory"].query(shared).rows[0]["n"])) > 500


@pytest.mark.parametrize("engine", ["oxigraph-memory", "oxigraph-disk"])
@pytest.mark.parametrize("nq", LIBRARY, ids=lambda nq: nq.name)
def test_named_query_parity(stores: dict[str, Store], engine: str, nq: cq.NamedQuery) -> None:
    params = _example_params(nq)
    expected = cq.run_query(stores["merged"], nq, **params)
    got = cq.run_query(stores[engine], nq, **params)
    assert got.vars == expected.vars
    assert len(got.rows) == len(expected.rows)
    assert _canon(got) == _canon(expected)


@pytest.mark.parametrize("engine", ["oxigraph-memory", "oxigraph-disk"])
def test_counts_parity(stores: dict[str, Store], engine: str) -> None:
    counts = {k: v for k, v in store_info(stores[engine]).items() if k != "named graphs"}
    assert counts == {k: v for k, v in store_info(stores["merged"]).items() if k != "named graphs"}


def test_dataset_clauses_see_the_graphs(stores: dict[str, Store], corpus: KnowledgeGraph) -> None:
    """GRAPH sees each article graph, FROM replaces the default graph (SPARQL 1.1 §13)."""
    store = stores["oxigraph-memory"]
    names = [name for name, _ in corpus]
    per_graph = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
    counts = {str(r["g"]): int(str(r["n"])) for r in store.query(per_graph).rows}
    assert counts == {str(name): len(g) for name, g in corpus}
    one = names[-1]
    from_one = f"SELECT (COUNT(*) AS ?n) FROM <{one}> WHERE {{ ?s ?p ?o }}"
    assert int(str(store.query(from_one).rows[0]["n"])) == len(corpus.graphs[one])
    merged = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    assert int(str(store.query(merged).rows[0]["n"])) == len(corpus.merged())


SAMPLE = Path(__file__).parent / "fixtures" / "sample" / "sample.trig"


@pytest.fixture(scope="module")
def twice() -> tuple[OxigraphStore, RdflibStore]:
    """The sample graph with each of its graphs also stated under a second name."""
    from cakg.graph.store.dataset import load_knowledge_graph

    kg = load_knowledge_graph(SAMPLE)
    ox, ref = OxigraphStore(), RdflibStore()
    for name, g in kg:
        for store in (ox, ref):
            store.add_graph(name, g)
            store.add_graph(URIRef(f"{name}/copy"), g)
    return ox, ref


# The examples name people of the bundled article, not of the sample: unparametrized runs.
UNBOUND = [nq for nq in LIBRARY if all(p.optional for p in nq.params)]


@pytest.mark.parametrize("nq", UNBOUND, ids=lambda nq: nq.name)
def test_rdflib_parity(twice: tuple[OxigraphStore, RdflibStore], nq: cq.NamedQuery) -> None:
    ox, ref = twice
    assert _canon(cq.run_query(ox, nq)) == _canon(cq.run_query(ref, nq))
