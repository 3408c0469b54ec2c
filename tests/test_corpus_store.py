"""The corpus store: `cakg build --store` adds and replaces articles, `cakg remove` takes one
out, a killed build leaves it consistent, and every reading command takes `--store`."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner, Result
from rdflib import URIRef
from running_server import running_server

from cakg.cli import cli
from cakg.graph.corpus import open_corpus_store
from cakg.graph.store.engines import OxigraphStore

ARTICLES = sorted((Path(__file__).parent / "fixtures" / "articles").iterdir())
ID = "https://cakg.example.org/id/"


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def count(store: OxigraphStore, where: str) -> int:
    return int(str(store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}").rows[0]["n"]))


def assert_consistent(store: OxigraphStore) -> None:
    """The default graph is exactly the merge of the named graphs."""
    merged = "SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }"
    assert count(store, f"{{ {merged} }}") == count(store, "?s ?p ?o")
    assert count(store, f"?s ?p ?o FILTER NOT EXISTS {{ {merged} }}") == 0


def articles_in(store: OxigraphStore) -> set[str]:
    return {str(n) for n in store.graph_names() if "/graph/article/" in str(n)}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store of the five test articles, and the same build as files beside it."""
    folder = tmp_path_factory.mktemp("corpus")
    result = run("build", "--store", str(folder / "store"), *map(str, ARTICLES))
    assert result.exit_code == 0, result.output
    result = run("build", "-o", str(folder / "files"), *map(str, ARTICLES))
    assert result.exit_code == 0, result.output
    return folder


def test_store_holds_what_the_file_build_holds(corpus: Path) -> None:
    store = open_corpus_store(corpus / "store", read_only=True)
    files = OxigraphStore()
    files.load_dataset((corpus / "files" / "kg.trig").read_bytes())
    assert store.graph_names() == files.graph_names()
    for name in store.graph_names():
        assert len(store.graph(name)) == len(files.graph(name)), name
    assert store.merged_size() == files.merged_size()
    assert_consistent(store)


def test_build_again_replaces_and_remove_takes_out(tmp_path: Path) -> None:
    folder = tmp_path / "store"
    first, second = str(ARTICLES[0]), str(ARTICLES[1])
    assert run("build", "--store", str(folder), first, second).exit_code == 0
    before = open_corpus_store(folder, read_only=True)
    sizes = {n: len(before.graph(n)) for n in articles_in(before)}
    total = before.merged_size()
    del before
    again = run("build", "--store", str(folder), first)
    assert again.exit_code == 0, again.output
    assert "replaced" in again.output
    store = open_corpus_store(folder)
    assert {n: len(store.graph(n)) for n in articles_in(store)} == sizes
    assert store.merged_size() == total
    assert_consistent(store)
    gone = sorted(articles_in(store))[0]
    del store
    slug = gone.rsplit("/graph/article/", 1)[1]
    result = run("remove", "--store", str(folder), f"{ID}article/{slug}")
    assert result.exit_code == 0, result.output
    store = open_corpus_store(folder)
    assert articles_in(store) == set(sizes) - {gone}
    assert_consistent(store)
    # What the remaining article shares with the removed one stays in the merge.
    assert count(store, f"?a a <http://schema.org/Article> FILTER (STRSTARTS(STR(?a), '{ID}'))")
    del store
    again = run("remove", "--store", str(folder), f"{ID}article/{slug}")
    assert again.exit_code == 2 and "no such article" in again.output


def test_a_bad_article_stops_nothing_else(tmp_path: Path) -> None:
    bad = tmp_path / "empty.txt"
    bad.write_text("", encoding="utf-8")
    folder = tmp_path / "store"
    result = run("build", "--store", str(folder), str(ARTICLES[0]), str(bad))
    assert result.exit_code == 2
    assert "empty.txt" in result.output and "not added" in result.output
    assert len(articles_in(open_corpus_store(folder, read_only=True))) == 1
    strict = run(
        "build", "--store", str(tmp_path / "strict"), "--strict", str(ARTICLES[0]), str(bad)
    )
    assert strict.exit_code == 2 and "nothing added" in strict.output
    assert not (tmp_path / "strict").exists()


def test_two_processes_extract(tmp_path: Path) -> None:
    """Many articles go through the process pool and give what one process gives."""
    result = run("build", "--store", str(tmp_path / "pool"), "-j", "2", *map(str, ARTICLES[:3]))
    assert result.exit_code == 0, result.output
    one = run("build", "--store", str(tmp_path / "one"), "-j", "1", *map(str, ARTICLES[:3]))
    assert one.exit_code == 0, one.output
    a = open_corpus_store(tmp_path / "pool", read_only=True)
    b = open_corpus_store(tmp_path / "one", read_only=True)
    assert articles_in(a) == articles_in(b)
    for name in articles_in(a):
        assert set(a.graph(URIRef(name))) == set(b.graph(URIRef(name)))


def test_a_killed_build_leaves_the_store_consistent(tmp_path: Path) -> None:
    """kill -9 in the middle of a build: each article is wholly there or not at all."""
    folder = tmp_path / "store"
    expected = tmp_path / "expected"
    assert run("build", "--store", str(expected), "-j", "1", *map(str, ARTICLES)).exit_code == 0
    reference = open_corpus_store(expected, read_only=True)
    sizes = {str(n): len(reference.graph(n)) for n in reference.graph_names()}
    del reference
    cmd = [sys.executable, "-m", "cakg", "build", "--store", str(folder), "-j", "1"]
    proc = subprocess.Popen([*cmd, *map(str, ARTICLES)], stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while not (folder / "CURRENT").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(2.0)  # into the articles, whose extraction takes about a second each
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    store = open_corpus_store(folder)
    for name in store.graph_names():
        assert len(store.graph(name)) == sizes[str(name)], name
    assert_consistent(store)


@pytest.fixture(scope="module")
def store_dir(corpus: Path) -> Iterator[str]:
    yield str(corpus / "store")


@pytest.mark.parametrize(
    "args",
    [
        ["query", "organizations-ranked", "-f", "csv"],
        ["queries", "--check"],
        ["info"],
        ["validate"],
    ],
    ids=lambda a: a[0],
)
def test_reading_commands_take_store(corpus: Path, store_dir: str, args: list[str]) -> None:
    on_store = run(*args, "--store", store_dir)
    on_files = (
        run(*args, "--data", str(corpus / "files"))
        if args[0] in ("query", "queries", "view")
        else run(*args, str(corpus / "files"))
    )
    assert on_store.exit_code == 0, on_store.output
    assert on_store.output == on_files.output


def test_view_takes_store(corpus: Path, store_dir: str) -> None:
    """The same network (nodes, edges) from the store as from the files."""

    def sizes(result: Result) -> list[str]:
        assert result.exit_code == 0, result.output
        return re.findall(r"\d+ nodes, \d+ edges", result.output)

    args = ["view", "--kind", "actors", "--stats"]
    on_files = sizes(run(*args, "--data", str(corpus / "files")))
    assert on_files and sizes(run(*args, "--store", store_dir)) == on_files


def test_export_takes_store(corpus: Path, store_dir: str, tmp_path: Path) -> None:
    result = run("export", "--store", store_dir, "-f", "nt", "-o", str(tmp_path / "kg.nt"))
    assert result.exit_code == 0, result.output
    lines = (tmp_path / "kg.nt").read_text(encoding="utf-8").splitlines()
    assert len(lines) == open_corpus_store(Path(store_dir), read_only=True).merged_size()


def test_store_and_files_together_is_an_error(corpus: Path, store_dir: str) -> None:
    result = run("info", str(corpus / "files"), "--store", store_dir)
    assert result.exit_code == 2 and "not both" in result.output


def test_serve_and_push_take_store(corpus: Path, store_dir: str) -> None:
    """`cakg serve --store` answers from the store; `cakg push --store` sends its graphs."""
    orgs = "?o a <https://cakg.example.org/ontology#InternationalOrganization>"
    ranked = f"SELECT (COUNT(*) AS ?n) WHERE {{ {orgs} }}"
    want = count(open_corpus_store(Path(store_dir), read_only=True), orgs)
    with running_server(store=store_dir, data=(), workers=1) as url:
        r = httpx.get(
            f"{url}/sparql",
            params={"query": ranked},
            headers={"Accept": "application/sparql-results+json"},
            timeout=60,
        )
        assert int(r.json()["results"]["bindings"][0]["n"]["value"]) == want
    token = "store-push-token"
    with running_server(
        data=(str(corpus / "files" / "kg.trig"),), workers=1, write_token=token
    ) as url:
        result = run(
            "push",
            "--store",
            store_dir,
            "--endpoint",
            f"{url}/sparql",
            "--token",
            token,
            "--replace",
        )
        assert result.exit_code == 0, result.output
        assert "pushed" in result.output


def test_adding_validates_the_article_not_the_corpus(tmp_path: Path) -> None:
    """The triples handed to SHACL for a new article are its own and its context: the same
    whether the articles it shares experts and states with are held once or three times."""
    from cakg.graph.corpus import build_store

    other, new = ARTICLES[1], ARTICLES[0]
    validated = []
    for copies in (1, 3):
        folder = tmp_path / f"store-{copies}"
        build_store([other] * copies, folder, jobs=1)
        report = build_store([new], folder, jobs=1)
        assert report.added and not report.failed
        validated.append(report.validated)
        store = open_corpus_store(folder, read_only=True)
        assert len(articles_in(store)) == copies + 1
        assert report.validated < store.merged_size()
        del store
    assert validated[0] == validated[1] > 0
