"""The built wheel holds every module and data file of the prescribed folders, under `cakg`."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# setuptools package-dir: each top-level folder is one subpackage of cakg.
FOLDERS = {
    "src/cakg": "cakg",
    "graph": "cakg/graph",
    "ontology": "cakg/ontology",
    "queries": "cakg/queries",
    "viz": "cakg/viz",
}
SUFFIXES = {".py", ".ttl", ".jsonld", ".rq", ".yaml", ".html", ".js", ".css"}


@pytest.fixture(scope="module")
def wheel_names(tmp_path_factory: pytest.TempPathFactory) -> set[str]:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(out), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (wheel,) = out.glob("cakg-*.whl")
    with zipfile.ZipFile(wheel) as zf:
        return set(zf.namelist())


def _source_files() -> list[tuple[Path, str]]:
    files = []
    for folder, package in FOLDERS.items():
        for path in sorted((ROOT / folder).rglob("*")):
            if path.suffix in SUFFIXES and "__pycache__" not in path.parts and path.is_file():
                files.append((path, f"{package}/{path.relative_to(ROOT / folder).as_posix()}"))
    return files


def test_every_source_and_data_file_is_in_the_wheel(wheel_names: set[str]) -> None:
    files = _source_files()
    assert any(name.endswith(".rq") for _, name in files)
    assert any(name.endswith(".ttl") for _, name in files)
    missing = [name for _, name in files if name not in wheel_names]
    assert not missing


def test_bundled_article_ships_with_its_source(wheel_names: set[str]) -> None:
    articles = [n for n in wheel_names if n.startswith("cakg/graph/data/articles/")]
    assert any(n.endswith(".txt") for n in articles)
    assert any(n.endswith(".meta.yaml") for n in articles)


def test_tests_are_not_shipped(wheel_names: set[str]) -> None:
    assert not [n for n in wheel_names if n.startswith(("tests/", "cakg/tests/"))]
