"""`cakg build`: the bundled article builds; bad inputs exit 2 with one line and write nothing."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from cakg.cli import cli
from cakg.errors import InputError

BAD = Path(__file__).parent / "fixtures" / "bad"


def _run(args: list[str]) -> tuple[int, str, str]:
    runner = CliRunner()
    result = runner.invoke(cli, args, catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_bundled_build_writes_graph(tmp_path: Path) -> None:
    code, out, err = _run(["build", "-o", str(tmp_path / "out")])
    assert code == 0, err
    assert (tmp_path / "out" / "kg.trig").stat().st_size > 10_000
    assert (tmp_path / "out" / "kg.ttl").exists()
    assert "kg.trig" in out


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("empty.txt", "empty"),
        ("binary.bin", "is a PNG image"),
        ("report.pdf", "is a PDF document"),
        ("utf16.txt", "is UTF-16 text"),
        ("latin1.txt", "not UTF-8"),
        ("no-experts.txt", "no expert found"),
    ],
)
def test_bad_input_exits_2_and_writes_nothing(tmp_path: Path, name: str, message: str) -> None:
    out = tmp_path / "out"
    code, _, err = _run(["build", str(BAD / name), "-o", str(out)])
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert name in lines[0] and message in lines[0]
    assert "Traceback" not in err
    assert not out.exists() or not any(out.iterdir())


def test_latin1_error_names_the_line(tmp_path: Path) -> None:
    _, _, err = _run(["build", str(BAD / "latin1.txt"), "-o", str(tmp_path)])
    assert "latin1.txt:" in err and err.split("latin1.txt:")[1].split(":")[0].isdigit()


def test_missing_file_and_directory(tmp_path: Path) -> None:
    targets = ((tmp_path / "nope.txt", "no such file"), (tmp_path, "holds no article"))
    for target, message in targets:
        code, _, err = _run(["build", str(target), "-o", str(tmp_path / "out")])
        assert code == 2 and message in err and str(target) in err
    assert not (tmp_path / "out").exists()


def test_one_bad_among_several_writes_nothing(tmp_path: Path) -> None:
    good = Path(__file__).parent / "fixtures" / "articles"
    first = sorted(good.glob("*.txt"))[0]
    out = tmp_path / "out"
    code, _, err = _run(["build", str(first), str(BAD / "empty.txt"), "-o", str(out)])
    assert code == 2 and "empty.txt" in err
    assert not out.exists()


def test_existing_outputs_survive_a_failed_build(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert _run(["build", "-o", str(out)])[0] == 0
    before = (out / "kg.trig").read_bytes()
    assert _run(["build", str(BAD / "binary.bin"), "-o", str(out)])[0] == 2
    assert (out / "kg.trig").read_bytes() == before


def test_partial_article_builds_with_a_warning(tmp_path: Path) -> None:
    code, _, err = _run(["build", str(BAD / "partial.txt"), "-o", str(tmp_path / "out")])
    assert code == 0, err
    assert "warning" in err and "line" in err


def test_bad_base_is_usage_error(tmp_path: Path) -> None:
    code, _, err = _run(["build", "--base", "not an iri", "-o", str(tmp_path / "o")])
    assert code == 2 and "base IRI" in err


def test_html_article_drops_page_chrome(tmp_path: Path) -> None:
    from cakg.graph.text.reader import read_article

    pages = sorted((Path(__file__).parent / "fixtures" / "articles").glob("*.html"))
    assert pages, "an HTML fixture article"
    for page in pages:
        text = read_article(page).text
        assert "<" not in text or "<script" not in text
        low = text.lower()
        assert "spelling error" not in low and "share on" not in low


ROUNDUP = """A Roundtable on {topic}

Lead paragraph about {topic}.

Aida Karimova, analyst (Kyrgyzstan):

Will relations between Kyrgyzstan and Kazakhstan change?

I do not think that relations will worsen; Kazakhstan remains our main partner in the EAEU.
"""


def test_articles_built_together_share_iris_and_keep_their_graphs(tmp_path: Path) -> None:
    from rdflib import Dataset, URIRef
    from rdflib.namespace import RDF

    from cakg.graph.namespaces import CAKG

    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text(ROUNDUP.format(topic="trade"), encoding="utf-8")
    b.write_text(ROUNDUP.format(topic="water"), encoding="utf-8")
    code, _, err = _run(["build", str(a), str(b), "-o", str(tmp_path / "out")])
    assert code == 0, err
    ds = Dataset()
    ds.parse(tmp_path / "out" / "kg.trig", format="trig")
    base = "https://cakg.example.org/id/"
    expert = URIRef(base + "person/aida-karimova")
    graphs = {g.identifier for g in ds.graphs() if (expert, RDF.type, CAKG.Expert) in g}
    assert graphs == {
        URIRef(base + "graph/article/a-roundtable-on-trade"),
        URIRef(base + "graph/article/a-roundtable-on-water"),
    }
    relation = URIRef(base + "relation/kazakhstan--kyrgyzstan")
    assert all((relation, RDF.type, CAKG.BilateralRelation) in ds.graph(g) for g in graphs)


def test_same_title_twice_gets_two_articles(tmp_path: Path) -> None:
    from cakg.graph.build import build_knowledge_graph
    from cakg.graph.text.reader import read_text

    text = ROUNDUP.format(topic="trade")
    arts = [read_text(text, name="one.txt"), read_text(text, name="two.txt")]
    _, extractions, _ = build_knowledge_graph(arts)
    assert [e.slug for e in extractions] == ["a-roundtable-on-trade", "a-roundtable-on-trade-2"]


URL = "https://www.cabar.asia/en/article?id=1//2"  # pathlib would fold both "//"
ENDPOINT = "http://127.0.0.1:9/sparql"


@pytest.mark.parametrize(
    "args",
    [
        ["build", "--curation", URL],
        ["validate", URL],
        ["reason", URL],
        ["info", URL],
        ["evaluate", URL, "gold.yaml"],
        ["evaluate", "bundled", URL],
        ["export", URL],
        ["push", URL, "--endpoint", ENDPOINT],
        ["view", "--data", URL],
        ["query", "experts", "--data", URL],
        ["query", "--file", URL],
        ["queries", "--check", "--data", URL],
    ],
)
def test_a_url_is_named_as_typed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert not any(tmp_path.iterdir())  # nothing written
    assert result.exit_code == 2
    assert result.stderr == (
        f"cakg: error: {URL}: is a URL; cakg reads local files only "
        "(download it first, then give its path)\n"
    )


def test_a_url_given_to_the_library_is_named() -> None:
    from cakg.graph.store.engines import open_store
    from cakg.graph.text.reader import read_article
    from cakg.queries import open_graph
    from cakg.server import ServerConfig, create_app

    def serve(data: str | Path) -> object:
        return create_app(ServerConfig(data=(str(data),)))

    url = "https://www.cabar.asia/en/article"
    for read in (read_article, open_store, open_graph, serve):
        for given in (url, Path(url)):  # a Path folds "//": the message restores it
            with pytest.raises(InputError, match=f"^{re.escape(url)}: is a URL; "):
                read(given)
