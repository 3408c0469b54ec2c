"""Unknown entities (persons, organizations, agreements, events) found by the words around them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from cakg.graph.entities.finder import find_entities, suppressed
from cakg.graph.entities.gazetteer import Gazetteer
from cakg.graph.namespaces import DEFAULT_BASE, Minter

CASES: list[dict[str, Any]] = yaml.safe_load(
    (Path(__file__).parent / "fixtures" / "entities" / "cases.yaml").read_text(encoding="utf-8")
)


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return Gazetteer.default(Minter(DEFAULT_BASE))


@pytest.mark.parametrize("case", CASES, ids=[c["text"][:40] for c in CASES])
def test_unknown_entities(gazetteer: Gazetteer, case: dict[str, Any]) -> None:
    text = case["text"]
    matches = gazetteer.find(text)
    labels = {m.iri: m.surface for m in matches}
    dated = {m.iri for m in gazetteer.find(" ".join(case.get("dated", []))) if m.kind == "state"}
    found = find_entities(text, matches, year="2022", labels=labels, dated=dated)
    assert [[e.kind, e.label] for e in found] == case["entities"]
    for e in found:
        assert e.start < e.end and text[e.start : e.end].strip() == text[e.start : e.end]


def test_adjective_inside_an_organization_name_is_not_a_state_mention(
    gazetteer: Gazetteer,
) -> None:
    text = "He teaches at the Tajik National University, not in Tajikistan."
    matches = gazetteer.find(text)
    kept = suppressed(matches, find_entities(text, matches))
    states = [m.surface for m in kept if m.kind == "state"]
    assert states == ["Tajikistan"]
