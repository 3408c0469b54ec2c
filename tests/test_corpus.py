"""The benchmarks' synthetic corpus: deterministic, buildable, and labelled synthetic."""

from __future__ import annotations

import importlib.util
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType

import pytest
from rdflib import Literal

from cakg.graph.build import build_knowledge_graph
from cakg.graph.io import parse_yaml
from cakg.graph.namespaces import CAKG, DCT, RDF, SCHEMA, Minter
from cakg.graph.text.reader import read_article

CORPUS = Path(__file__).resolve().parents[1] / "benchmarks" / "corpus.py"


@pytest.fixture(scope="module")
def corpus() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_corpus", CORPUS)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


def test_the_same_seed_gives_the_same_articles_and_another_seed_others(corpus: ModuleType) -> None:
    first = corpus.articles(6, seed=3)
    assert first == corpus.articles(6, seed=3)
    assert [a.text for a in first] != [a.text for a in corpus.articles(6, seed=4)]
    # Article k depends on the seed and k only: a larger corpus extends a smaller one.
    assert corpus.articles(10, seed=3)[:6] == first
    assert corpus.articles(1, seed=3, start=5) == first[5:]


def test_experts_recur_across_articles(corpus: ModuleType) -> None:
    arts = corpus.articles(40, seed=0)
    seen = [name for a in arts for name in a.experts]
    assert all(name in a.text for a in arts for name in a.experts)
    # A few experts answer in many articles, most in one or two (Zipf-like reuse).
    assert Counter(seen).most_common(1)[0][1] >= len(arts) // 4
    assert len(set(seen)) < len(seen) * 3 / 4


def test_every_layout_builds_and_every_article_is_labelled_synthetic(
    corpus: ModuleType, tmp_path: Path
) -> None:
    paths = corpus.write_corpus(tmp_path, len(corpus.LAYOUTS), seed=1)
    assert {p.suffix for p in paths} == {".txt", ".md", ".html"}
    for path in paths:
        meta = parse_yaml(
            path.with_name(path.stem + ".meta.yaml").read_text(encoding="utf-8"), path, "meta"
        )
        assert meta["synthetic"] is True and "synthetic" in str(meta["generator"]).lower()
    kg, extractions, _ = build_knowledge_graph([read_article(p) for p in paths])
    assert len(extractions) == len(paths)
    merged = kg.merged()
    for ex in extractions:
        g = kg.graph(Minter(kg.base).article_graph(ex.slug))
        assert len(set(g.subjects(RDF.type, CAKG.Expert))) >= 3, ex.slug
        assert (None, DCT.rights, Literal(corpus.RIGHTS)) in g
        (publisher,) = g.objects(None, CAKG.publisher)
        assert corpus.PUBLISHER in {str(o) for o in merged.objects(publisher, None)}
    assert set(merged.subjects(RDF.type, SCHEMA.Article))
