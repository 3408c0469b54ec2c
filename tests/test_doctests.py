"""Every module of the installed ``cakg`` package runs its docstring examples.

The modules are found by walking the installed package, so a new module's examples run
without being listed anywhere. pytest's ``--doctest-modules`` cannot do this: it imports
the files under the source folders (``graph/``, ``viz/``, ``src/cakg`` …), which are not
importable as ``cakg.*`` from the repository (setuptools' ``package-dir`` assembles the
package only when it is installed), while every test here runs against the installed
package.
"""

from __future__ import annotations

import doctest
import importlib
import pkgutil
from pathlib import Path

import pytest

import cakg


def _modules() -> list[str]:
    """Every module of the installed package; ``__main__`` runs the CLI when imported."""
    found = pkgutil.walk_packages(cakg.__path__, prefix="cakg.")
    return ["cakg", *sorted(m.name for m in found if not m.name.endswith(".__main__"))]


@pytest.mark.parametrize("name", _modules())
def test_docstring_examples(name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The examples see the same setting as a plain run: no SOURCE_DATE_EPOCH from the
    # caller's shell (the build date's examples set and clear it themselves; monkeypatch
    # restores it even if one fails half-way), and a scratch working folder, so an example
    # that writes a file leaves nothing in the repository.
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    monkeypatch.chdir(tmp_path)
    module = importlib.import_module(name)
    finder = doctest.DocTestFinder()
    runner = doctest.DocTestRunner(
        optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE, verbose=False
    )
    for test in finder.find(module, name):
        runner.run(test)
    assert runner.failures == 0, f"{runner.failures} example(s) of {name} failed (see above)"
