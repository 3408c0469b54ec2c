"""The runnable examples in docstrings run (against the installed package)."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "cakg",
    "cakg.graph.namespaces",
    "cakg.graph.store.engines",
    "cakg.graph.text.reader",
    "cakg.graph.text.structure",
    "cakg.graph.entities.finder",
    "cakg.graph.build",
    "cakg.graph.info",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0, f"{name} has no examples"
    assert result.failed == 0
