"""The house rules of the package's source, checked on the installed package.

* no module over 600 lines unless it says at its top why (a line starting ``# Long:``);
* no access to a private attribute that the module does not define itself (``store._store``);
* no controlled vocabulary written out in Python: a tuple, list or set literal that holds
  three or more concepts of one vocabulary is a second copy of the ontology's list.
"""

from __future__ import annotations

import ast
import pkgutil
from pathlib import Path

import pytest

import cakg
from cakg.graph.vocabulary import KINDS, vocabulary

MAX_LINES = 600


def _modules() -> list[tuple[str, Path]]:
    out = []
    for info in pkgutil.walk_packages(cakg.__path__, "cakg."):
        spec = info.module_finder.find_spec(info.name, None)  # type: ignore[call-arg]
        if spec is not None and spec.origin and spec.origin.endswith(".py"):
            out.append((info.name, Path(spec.origin)))
    out.append(("cakg", Path(cakg.__file__)))
    return sorted(out)


MODULES = _modules()


def test_modules_found() -> None:
    names = {name for name, _ in MODULES}
    assert {"cakg.cli", "cakg.graph.vocabulary", "cakg.queries"} <= names


@pytest.mark.parametrize(("name", "path"), MODULES, ids=[n for n, _ in MODULES])
def test_module_size(name: str, path: Path) -> None:
    lines = path.read_text(encoding="utf-8").splitlines()
    if len(lines) > MAX_LINES:
        head = lines[:60]
        assert any(line.startswith("# Long:") for line in head), (
            f"{name} has {len(lines)} lines: split it, or say why at its top (# Long: ...)"
        )


def _own_names(tree: ast.Module) -> set[str]:
    """Names a module defines: functions, classes, assigned attributes and variables."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
            names.add(node.attr)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
    return names


@pytest.mark.parametrize(("name", "path"), MODULES, ids=[n for n, _ in MODULES])
def test_no_foreign_private_access(name: str, path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    own = _own_names(tree)
    foreign = sorted(
        f"line {node.lineno}: .{node.attr}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute)
        and node.attr.startswith("_")
        and not node.attr.startswith("__")
        and not (isinstance(node.value, ast.Name) and node.value.id in ("self", "cls"))
        and node.attr not in own
    )
    assert not foreign, f"{name} reaches into another module's private names: {foreign}"


def _vocab_words() -> dict[str, str]:
    words: dict[str, str] = {}
    for kind in KINDS:
        for c in vocabulary(kind):
            for w in (c.key, c.label):
                words.setdefault(w, kind)
    return words


@pytest.mark.parametrize(("name", "path"), MODULES, ids=[n for n, _ in MODULES])
def test_no_vocabulary_written_in_python(name: str, path: Path) -> None:
    words = _vocab_words()
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Tuple | ast.List | ast.Set):
            kinds: dict[str, int] = {}
            for elt in node.elts:
                if isinstance(elt, ast.Constant) and isinstance(elt.value, str):
                    kind = words.get(elt.value)
                    if kind:
                        kinds[kind] = kinds.get(kind, 0) + 1
            found += [f"line {node.lineno}: {k}" for k, n in kinds.items() if n >= 3]
    assert not found, f"{name} lists a controlled vocabulary; read cakg.graph.vocabulary: {found}"
