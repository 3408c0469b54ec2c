"""Predeclared prefixes: `schema:`, `cakg:`, … need no PREFIX line, in `cakg query`, from
Python, in the server's editor and at /sparql; errors still point at the user's own lines."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner
from running_server import running_server

from cakg.cli import cli
from cakg.errors import ForbiddenQuery
from cakg.graph.namespaces import PREFIXES
from cakg.queries import open_graph
from cakg.queries.prefixes import predeclare
from cakg.server.protocol import vet_query

DOCS = Path(__file__).parent.parent / "docs" / "queries.md"
CLAIMS = "SELECT (COUNT(?c) AS ?n) WHERE { ?c a schema:Claim }"


@pytest.mark.parametrize(
    ("query", "added"),
    [
        ("SELECT * { ?c a schema:Claim ; cakg:hasTrend ?t }", ["cakg", "schema"]),
        ("PREFIX schema: <https://schema.org/>\nSELECT * { ?c a schema:Claim }", []),  # wins
        ("prefix schema: <http://schema.org/> SELECT * { ?c a schema:Claim }", []),
        ('SELECT * { ?c ?p "schema:Claim" } # rdfs:label', []),  # strings and comments
        ("SELECT * { ?c ?p <http://example.org/a:b> }", []),  # an IRI
        ("SELECT ?schema { ?schema ?p ?o }", []),  # a variable
        ("SELECT * { ?c ?p 'x'^^xsd:string }", ["xsd"]),
        ("SELECT * { ?c a foo:Bar }", []),  # unknown: left for the error to name
    ],
)
def test_only_used_undeclared_known_prefixes_are_added(query: str, added: list[str]) -> None:
    run = predeclare(query)
    head = run.text.splitlines()[: run.added]
    assert head == [f"PREFIX {p}: <{PREFIXES[p]}>" for p in added]
    assert run.text.endswith(query)


def cli_query(built: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["query", "--data", str(built / "kg.trig"), *args])
    return result.exit_code, result.stdout, result.stderr


def test_cli_query_without_prefixes(built: Path, tmp_path: Path) -> None:
    declared = f"PREFIX schema: <{PREFIXES['schema']}>\n{CLAIMS}"
    code, expected, _ = cli_query(built, "--sparql", declared, "-f", "csv")
    assert code == 0 and int(expected.split()[1]) > 50
    assert cli_query(built, "--sparql", CLAIMS, "-f", "csv") == (0, expected, "")
    rq = tmp_path / "claims.rq"
    rq.write_text(CLAIMS, encoding="utf-8")
    assert cli_query(built, "--file", str(rq), "-f", "csv") == (0, expected, "")
    n = open_graph(built / "kg.trig").sparql(CLAIMS).rows[0]["n"]
    assert str(n) == expected.split()[1]


def test_the_query_s_own_prefix_wins(built: Path) -> None:
    own = CLAIMS.replace("SELECT", "PREFIX schema: <https://schema.org/>\nSELECT")
    code, out, _ = cli_query(built, "--sparql", own, "-f", "csv")
    assert code == 0 and out.split() == ["n", "0"]


@pytest.mark.parametrize(
    ("query", "where", "message"),
    [
        # A syntax error keeps the line and column of the query as written.
        ("SELECT * WHERE {\n  ?c a schema:Claim .\n  FILTER(?c = )\n}\n", (3, 3), "expected"),
        ("SELECT * WHERE {\n  ?c a shema:Claim }", (2, 8), "unknown prefix shema: (did you"),
        ("PREFIX s: <http://schema.org/>\nSELECT * { ?c a foo:Bar }", (2, 17), "prefix foo:"),
    ],
)
def test_errors_name_the_user_s_lines(
    built: Path, query: str, where: tuple[int, int], message: str
) -> None:
    code, _, err = cli_query(built, "--sparql", query)
    line, column = where
    assert code == 2
    assert f"SPARQL syntax error at line {line}, column {column}: " in err
    assert message in err
    assert f"{line:>4} | {query.splitlines()[line - 1]}" in err
    if "unknown" in message or "foo" in message:
        assert ", ".join(sorted(PREFIXES)) in err  # the prefixes it could have used
    with pytest.raises(Exception, match=re.escape(f"line {line}, column {column}")):
        vet_query(query)


def test_vetting_sees_what_runs() -> None:
    query = "SELECT * { ?c a schema:Claim }"
    assert vet_query(query).text == f"PREFIX schema: <{PREFIXES['schema']}>\n{query}"
    with pytest.raises(ForbiddenQuery):  # undeclared prefixes inside SERVICE change nothing
        vet_query("SELECT * { SERVICE <http://example.org/sparql> { ?c a schema:Claim } }")


@pytest.fixture(scope="module")
def server(built: Path) -> Iterator[str]:
    with running_server(data=(str(built / "kg.trig"),), timeout=30.0, workers=1) as url:
        yield url


def test_endpoint_and_editor_predeclare(server: str, built: Path) -> None:
    _, expected, _ = cli_query(built, "--sparql", CLAIMS, "-f", "csv")
    r = httpx.get(f"{server}/sparql", params={"query": CLAIMS, "format": "csv"})
    assert r.status_code == 200 and r.text.split() == expected.split()
    r = httpx.post(f"{server}/editor", data={"query": CLAIMS})
    assert r.status_code == 200 and expected.split()[1] in r.text
    r = httpx.get(f"{server}/sparql", params={"query": "SELECT * {\n ?c a foo:Bar }"})
    assert r.status_code == 400 and "line 2, column 7: unknown prefix foo:" in r.text


def test_docs_list_every_predeclared_prefix() -> None:
    text = DOCS.read_text(encoding="utf-8")
    for prefix, namespace in PREFIXES.items():
        assert f"| `{prefix}:` | `{namespace}` |" in text
