"""`cakg query` and `cakg queries`: formats, parameters, errors and exit codes."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph

from cakg.cli import cli
from cakg.queries import list_queries

FIXTURES = Path(__file__).parent / "fixtures"
SAMPLE = str(FIXTURES / "sample" / "sample.trig")
BROKEN = str(FIXTURES / "sample" / "broken.trig")


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner(env={"COLUMNS": "250"}).invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


HEADLINE = ("query", "experts-expecting-trend", "--data", SAMPLE,
            "-p", "relation=Kazakhstan–Kyrgyzstan", "-p", "trend=weakening")  # fmt: skip


def test_table_is_readable() -> None:
    code, out, _ = run(*HEADLINE)
    assert code == 0
    assert "Bob Analyst" in out and "2 row(s)" in out
    assert "relationLabel" in out and "| relation " not in out  # the IRI column is folded


@pytest.mark.parametrize("fmt", ["csv", "tsv", "json", "xml"])
def test_result_formats(fmt: str) -> None:
    code, out, _ = run(*HEADLINE, "--format", fmt)
    assert code == 0
    if fmt == "json":
        doc = json.loads(out)
        assert {b["name"]["value"] for b in doc["results"]["bindings"]} == {"Bob Analyst"}
    elif fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(out)))
        assert {r["name"] for r in rows} == {"Bob Analyst"} and len(rows) == 2
    elif fmt == "tsv":
        lines = out.splitlines()
        assert lines[0].startswith("?relation\t?relationLabel")
        assert all('"Bob Analyst"' in line for line in lines[1:])
    else:
        assert "<sparql xmlns=" in out and "Bob Analyst" in out


@pytest.mark.parametrize(("fmt", "parser"), [("ttl", "turtle"), ("jsonld", "json-ld"),
                                             ("nt", "nt"), ("xml", "xml")])  # fmt: skip
def test_graph_formats(fmt: str, parser: str) -> None:
    query = "CONSTRUCT WHERE { ?s <http://schema.org/name> ?o }"
    code, out, _ = run("query", "--data", SAMPLE, "--sparql", query, "-f", fmt)
    assert code == 0
    assert len(Graph().parse(data=out, format=parser)) == 3


def test_ask() -> None:
    code, out, _ = run("query", "--data", SAMPLE, "--sparql", "ASK { ?s ?p ?o }")
    assert code == 0 and out.strip() == "true"
    code, _, err = run("query", "--data", SAMPLE, "--sparql", "ASK { ?s ?p ?o }", "-f", "csv")
    assert code == 2 and "no CSV/TSV form for ASK" in err


def test_query_file_with_parameters(tmp_path: Path) -> None:
    rq = tmp_path / "who.rq"
    rq.write_text(
        "PREFIX schema: <http://schema.org/>\n"
        "SELECT ?name WHERE { ?e schema:name ?name ; schema:nationality ?state }\n",
        encoding="utf-8",
    )
    code, out, _ = run("query", "--data", SAMPLE, "--file", str(rq), "-p", "state=Kyrgyzstan",
                       "-f", "csv")  # fmt: skip
    assert code == 0 and out.splitlines() == ["name", "Bob Analyst"]


def test_syntax_error_shows_line_and_column(tmp_path: Path) -> None:
    rq = tmp_path / "bad.rq"
    rq.write_text("SELECT ?x WHERE {\n  ?x ?p ?o .\n  FILTER(?x = )\n}\n", encoding="utf-8")
    code, _, err = run("query", "--data", SAMPLE, "--file", str(rq))
    assert code == 2
    assert f"{rq}: SPARQL syntax error at line 3, column 3: expected" in err
    assert "   3 |   FILTER(?x = )" in err
    assert err.splitlines()[-1] == "       |   ^"
    code, _, err = run("query", "--data", SAMPLE, "--sparql", "SELECT * WHERE { ?s ?p ?o } LIMIT x")
    assert code == 2 and "--sparql: SPARQL syntax error at line 1, column 35: expected" in err


def test_violation_with_rows_exits_1() -> None:
    code, out, err = run("query", "claim-without-evidence-violation", "--data", BROKEN)
    assert code == 1
    assert "claim-without-evidence" in out and "1 violation(s)" in err
    code, _, _ = run("query", "claim-without-evidence-violation", "--data", SAMPLE)
    assert code == 0


def test_queries_check() -> None:
    code, out, _ = run("queries", "--check", "--data", SAMPLE)
    assert code == 0 and "consistency report" in out
    code, _, err = run("queries", "--check", "--data", BROKEN)
    assert code == 1 and "7 violation query(ies) returned rows" in err


def test_queries_lists_every_query() -> None:
    code, out, _ = run("queries")
    assert code == 0
    flat = out.replace("\n", " ")
    for nq in list_queries():
        assert nq.name[:20] in flat.replace(" │ ", "").replace("│", "") or nq.name in out
    code, out, _ = run("queries", "--verbose")
    assert code == 0
    assert "--param relation=" in out and "e.g. cakg query experts-expecting-trend" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("query", "expert"), "did you mean experts"),
        (("query",), "give exactly one of NAME"),
        (("query", "experts", "--sparql", "ASK {}"), "give exactly one of NAME"),
        (("query", "experts", "-p", "country"), "--param takes KEY=VALUE"),
        (("query", "experts", "-p", "nation=Kazakhstan"), "has no parameter 'nation'"),
        (("query", "experts", "-p", "country=Narnia"), "no state called 'Narnia'"),
        (("query", "experts", "-f", "ttl"), "ttl is a format for CONSTRUCT"),
    ],
)
def test_input_errors_exit_2(args: tuple[str, ...], message: str) -> None:
    code, _, err = run(*args, "--data", SAMPLE)
    assert code == 2
    assert message in err
    assert "Traceback" not in err


def test_missing_data_is_explained(tmp_path: Path) -> None:
    code, _, err = run("query", "experts", "--data", str(tmp_path / "nope.trig"))
    assert code == 2 and "build the graph first" in err


SELECT = "SELECT ?o WHERE { ?s <http://schema.org/name> ?o }"
ASK = "ASK { ?s ?p ?o }"
GRAPH = "CONSTRUCT WHERE { ?s <http://schema.org/name> ?o }"


@pytest.mark.parametrize(
    ("query", "fmt"),
    [(SELECT, f) for f in ("csv", "tsv", "json", "xml", "table")]
    + [(ASK, f) for f in ("json", "xml", "table")]
    + [(GRAPH, f) for f in ("ttl", "jsonld", "nt", "xml", "table")],
)
def test_every_text_output_ends_with_a_newline(query: str, fmt: str) -> None:
    code, out, _ = run("query", "--data", SAMPLE, "--sparql", query, "-f", fmt)
    assert code == 0 and out.strip()
    assert out.endswith("\n")


def csv_rows(*args: str) -> list[dict[str, str]]:
    code, out, err = run(*args, "--format", "csv")
    assert code == 0, err
    return list(csv.DictReader(io.StringIO(out)))


@pytest.mark.parametrize(
    ("name", "params"), [("questions", ()), ("claims-by-expert", ("expert=Bob Analyst",))]
)
def test_pages_of_a_named_query_put_together_are_its_rows_in_order(
    name: str, params: tuple[str, ...]
) -> None:
    base = ("query", name, "--data", SAMPLE, *[a for p in params for a in ("-p", p)])
    everything = csv_rows(*base)
    assert len(everything) >= 2
    pages = [csv_rows(*base, "--limit", "2", "--offset", str(o))
             for o in range(0, len(everything) + 2, 2)]  # fmt: skip
    assert [len(p) for p in pages[:-1]] == [min(2, len(everything) - o)
                                            for o in range(0, len(everything), 2)]  # fmt: skip
    assert pages[-1] == [] and [r for p in pages for r in p] == everything
    assert csv_rows(*base, "--offset", "1") == everything[1:]


def test_paging_a_query_that_ends_with_its_own_limit_is_refused() -> None:
    query = "SELECT ?s WHERE { ?s ?p ?o } LIMIT 5"
    code, _, err = run("query", "--data", SAMPLE, "--sparql", query, "--limit", "2")
    assert code == 2 and "its own LIMIT" in err and "Traceback" not in err
