"""A real SPARQL server: `cakg push` into Virtuoso, then every named query gives the same rows.

Virtuoso Open-Source (Debian's package) is started once per session on loopback ports in
a temporary folder (see tests/virtuoso.py). It is never skipped: a machine without it
fails with the reason and the command that installs it.
"""

from __future__ import annotations

import re
import shlex
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from rdflib import BNode, URIRef
from rdflib.compare import isomorphic
from rdflib.term import Node
from running_server import running_server
from virtuoso import VirtuosoServer, VirtuosoUnavailable, start_virtuoso, stop_virtuoso

from cakg.cli import cli
from cakg.errors import InputError
from cakg.graph.store.chunks import chunk_triples
from cakg.graph.store.dataset import KnowledgeGraph, load_knowledge_graph
from cakg.graph.store.engines import QueryResult, open_store
from cakg.graph.store.push import push
from cakg.graph.store.remote import RemoteStore, derive_endpoints
from cakg.graph.store.sparql_json import canonical_literal
from cakg.queries import NamedQuery, list_queries, resolve_params
from cakg.queries.params import inline_params

SAMPLE = Path(__file__).parent / "fixtures" / "sample" / "export-sample.trig"
SCRATCH = "https://cakg.example.org/test/"  # graphs of the push tests, apart from the parity data

pytestmark = pytest.mark.virtuoso


@pytest.fixture(scope="session")
def virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[VirtuosoServer]:
    try:
        server = start_virtuoso(tmp_path_factory.mktemp("virtuoso"))
    except VirtuosoUnavailable as exc:
        pytest.fail(f"Virtuoso is needed for the remote-store tests: {exc}", pytrace=False)
    try:
        yield server
    finally:
        stop_virtuoso(server)


@pytest.fixture(scope="session")
def pushed(virtuoso: VirtuosoServer, built: Path) -> RemoteStore:
    """The bundled article's build, pushed with `cakg push` (named graphs kept)."""
    res = CliRunner().invoke(
        cli,
        [
            "push",
            str(built / "kg.trig"),
            "--endpoint",
            virtuoso.endpoint,
            "--user",
            virtuoso.user,
            "--password",
            virtuoso.password,
            "--replace",
        ],
    )
    assert res.exit_code == 0, res.output
    kg = load_knowledge_graph(built / "kg.trig")
    return RemoteStore(virtuoso.endpoint, graphs=[name for name, _ in kg])


def _count(store: RemoteStore, graph: URIRef) -> int:
    res = store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {graph.n3()} {{ ?s ?p ?o }} }}")
    return int(res.rows[0]["n"])  # type: ignore[call-overload]


def _admin(server: VirtuosoServer, graphs: list[URIRef] | None = None) -> RemoteStore:
    return RemoteStore(server.endpoint, user=server.user, password=server.password, graphs=graphs)


# --- push -----------------------------------------------------------------------------------------


def test_push_keeps_every_named_graph(pushed: RemoteStore, built: Path) -> None:
    kg = load_knowledge_graph(built / "kg.trig")
    assert pushed.graph_names() == sorted(name for name, _ in kg)
    for name, g in kg:
        assert _count(pushed, name) == len(g), name
    # Discovery finds the same graphs (under <base>graph/) without being told.
    assert RemoteStore(pushed.endpoint, base=kg.base).graph_names() == pushed.graph_names()


def test_pushed_graphs_read_back_isomorphic(virtuoso: VirtuosoServer) -> None:
    kg = load_knowledge_graph(SAMPLE)
    push(
        _renamed(kg, "gsp"),
        virtuoso.endpoint,
        user=virtuoso.user,
        password=virtuoso.password,
        replace=True,
    )
    store = _admin(virtuoso)
    for name, g in _renamed(kg, "gsp"):
        assert isomorphic(store.graph(name), g), name


def _renamed(kg: KnowledgeGraph, tag: str) -> KnowledgeGraph:
    """The sample's graphs under scratch names, so tests do not disturb each other."""
    out = KnowledgeGraph(base=kg.base)
    for name, g in kg:
        target = out.graph(URIRef(f"{SCRATCH}{tag}/{str(name).rsplit('/graph/', 1)[-1]}"))
        for t in g:
            target.add(t)
    return out


def test_replace_clears_the_target_graphs_first(virtuoso: VirtuosoServer) -> None:
    kg = _renamed(load_knowledge_graph(SAMPLE), "replace")
    args = {"user": virtuoso.user, "password": virtuoso.password}
    push(kg, virtuoso.endpoint, replace=True, **args)  # type: ignore[arg-type]
    # Without --replace, the blank nodes (membership intervals) arrive a second time.
    push(kg, virtuoso.endpoint, **args)  # type: ignore[arg-type]
    store = _admin(virtuoso, [name for name, _ in kg])
    reference = URIRef(f"{SCRATCH}replace/reference")
    blank = sum(
        1 for s, _, o in kg.graphs[reference] if isinstance(s, BNode) or isinstance(o, BNode)
    )
    assert _count(store, reference) == len(kg.graphs[reference]) + blank
    push(kg, virtuoso.endpoint, replace=True, **args)  # type: ignore[arg-type]
    for name, g in kg:
        assert _count(store, name) == len(g)


def test_push_into_one_graph(virtuoso: VirtuosoServer) -> None:
    target = f"{SCRATCH}one-graph"
    res = CliRunner().invoke(
        cli,
        ["push", str(SAMPLE), "--endpoint", virtuoso.endpoint, "--graph", target, "--replace",
         "--user", virtuoso.user, "--password", virtuoso.password],
    )  # fmt: skip
    assert res.exit_code == 0, res.output
    merged = load_knowledge_graph(SAMPLE).merged()
    assert isomorphic(_admin(virtuoso).graph(URIRef(target)), merged)


def test_push_through_sparql_update(virtuoso: VirtuosoServer) -> None:
    kg = _renamed(load_knowledge_graph(SAMPLE), "update")
    report = push(
        kg,
        virtuoso.endpoint,
        user=virtuoso.user,
        password=virtuoso.password,
        replace=True,
        method="update",
        chunk_size=7,  # many requests, so blank nodes must not be split between them
    )
    assert report.method == "sparql-update"
    store = _admin(virtuoso)
    for name, g in kg:
        assert isomorphic(store.graph(name), g), name


def test_push_a_whole_build_through_sparql_update(virtuoso: VirtuosoServer, built: Path) -> None:
    """Default chunk sizes stay within what Virtuoso compiles (it caps generated SQL)."""
    target = URIRef(f"{SCRATCH}update-built")
    report = push(
        built / "kg.trig",
        virtuoso.endpoint,
        graph=str(target),
        user=virtuoso.user,
        password=virtuoso.password,
        replace=True,
        method="update",
    )
    merged = load_knowledge_graph(built / "kg.trig").merged()
    assert report.triples == len(merged)
    assert _count(_admin(virtuoso, [target]), target) == len(merged)


def test_anonymous_and_wrong_credentials_are_refused(virtuoso: VirtuosoServer) -> None:
    base = ["push", str(SAMPLE), "--endpoint", virtuoso.endpoint, "--graph", f"{SCRATCH}refused"]
    res = CliRunner().invoke(cli, base)
    assert res.exit_code == 2
    assert "--user and --password" in res.output
    res = CliRunner().invoke(cli, [*base, "--user", "dba", "--password", "not-the-password"])
    assert res.exit_code == 2
    assert "401" in res.output


def test_an_unreachable_endpoint_is_one_line() -> None:
    res = CliRunner().invoke(cli, ["push", str(SAMPLE), "--endpoint", "http://127.0.0.1:9/sparql"])
    assert res.exit_code == 2
    assert res.output.startswith("cakg: error: cannot reach")


def test_push_into_cakg_serve_with_its_write_token(built: Path, tmp_path: Path) -> None:
    """`cakg serve` takes SPARQL Update with a bearer token and has no Graph Store: `cakg push
    --token` picks SPARQL Update, and a named query then gives the rows it gives locally."""
    empty = tmp_path / "empty.trig"
    empty.write_text("# nothing yet: the data arrives by cakg push\n", encoding="utf-8")
    with running_server(data=(str(empty),), write_token="s3cret", workers=1) as url:
        endpoint = f"{url}/sparql"
        pushing = ["push", str(built / "kg.trig"), "--endpoint", endpoint]
        refused = CliRunner().invoke(cli, pushing, env={"CAKG_WRITE_TOKEN": ""})
        assert refused.exit_code == 2, refused.output
        assert (
            refused.output.strip().startswith("cakg: error: POST") and "--token" in refused.output
        )
        assert len(refused.output.strip().splitlines()) == 1
        wrong = CliRunner().invoke(cli, [*pushing, "--token", "guess"])
        assert wrong.exit_code == 2 and "HTTP 403" in wrong.output
        res = CliRunner().invoke(cli, pushing, env={"CAKG_WRITE_TOKEN": "s3cret"})
        assert res.exit_code == 0, res.output
        assert "sparql-update" in res.output
        args = ["experts", "--param", "country=Kyrgyzstan", "-f", "csv"]
        remote = CliRunner().invoke(cli, ["query", *args, "--endpoint", endpoint])
    local = CliRunner().invoke(cli, ["query", *args, "--data", str(built / "kg.trig")])
    assert remote.exit_code == 0, remote.output
    assert remote.stdout_bytes == local.stdout_bytes
    assert b"Tyulegenov" in remote.stdout_bytes


def test_a_token_and_a_user_are_not_both_sent() -> None:
    with pytest.raises(InputError, match="not both"):
        RemoteStore("http://127.0.0.1:9/sparql", user="u", password="p", token="t")
    # The token a shell exports for its own `cakg serve` gives way to an explicit --user.
    pushing = ["push", str(SAMPLE), "--endpoint", "http://127.0.0.1:9/sparql"]
    res = CliRunner().invoke(
        cli, [*pushing, "--user", "u", "--password", "p"], env={"CAKG_WRITE_TOKEN": "t"}
    )
    assert res.exit_code == 2 and "cannot reach" in res.output
    res = CliRunner().invoke(cli, [*pushing, "--user", "u", "--password", "p", "--token", "t"])
    assert res.exit_code == 2 and "not both" in res.output


# --- parity of the named queries ------------------------------------------------------------------


def _example_params(nq: NamedQuery) -> list[dict[str, str]]:
    """No parameters, then each example's `--param k=v` set."""
    sets: list[dict[str, str]] = [{}]
    for example in nq.examples:
        words = shlex.split(example)
        params = {}
        for i, word in enumerate(words):
            if word in ("--param", "-p") and i + 1 < len(words):
                key, _, value = words[i + 1].partition("=")
                params[key] = value
        if params and params not in sets:
            sets.append(params)
    return sets


def _norm(term: Node | None) -> Any:
    # Blank node labels are local to each store; only their presence can be compared.
    if isinstance(term, BNode):
        return "_:"
    return term


_GROUP_CONCAT = re.compile(
    r"GROUP_CONCAT\s*\(.*?SEPARATOR\s*=\s*(\"[^\"]*\"|'[^']*')\s*\)\s+AS\s+\?(\w+)", re.I | re.S
)


def _lists(sparql: str) -> dict[str, str]:
    """GROUP_CONCAT columns and their separators."""
    return {m.group(2): m.group(1)[1:-1] for m in _GROUP_CONCAT.finditer(sparql)}


def _rows(result: QueryResult, sparql: str) -> list[tuple[Any, ...]]:
    if result.kind == "ASK":
        return [(result.boolean,)]
    if result.kind == "CONSTRUCT":
        graph = result.graph
        assert graph is not None
        return sorted((tuple(_norm(x) for x in t) for t in graph), key=repr)
    lists = _lists(sparql)

    def cell(var: str, term: Node | None) -> Any:
        # GROUP_CONCAT's order is not defined (SPARQL 1.1 §18.5.1.7): compare the items.
        if var in lists and term is not None:
            return (type(term).__name__, tuple(sorted(str(term).split(lists[var]))))
        return _norm(term)

    return [tuple(cell(v, row.get(v)) for v in result.vars) for row in result.rows]


_ORDER_BY = re.compile(r"\bORDER\s+BY\s+(.+?)(?:\bLIMIT\b|\bOFFSET\b|\Z)", re.I | re.S)


def _order_keys(sparql: str, variables: list[str]) -> list[int] | None:
    """Columns the ORDER BY sorts on, in order (up to the first one not projected)."""
    body = "\n".join(line.split("#", 1)[0] for line in sparql.splitlines())
    m = _ORDER_BY.search(body)
    if not m:
        return None
    keys: list[int] = []
    for name in re.findall(r"\?(\w+)", m.group(1)):
        if name not in variables:
            break  # rows tied on the keys before it may come in any order after it
        keys.append(variables.index(name))
    return keys


@pytest.fixture(scope="session")
def embedded(built: Path) -> Any:
    return open_store(built / "kg.trig")


@pytest.mark.parametrize("nq", list_queries(), ids=lambda nq: nq.name)
def test_named_query_gives_the_same_rows_on_virtuoso(
    nq: NamedQuery, pushed: RemoteStore, embedded: Any
) -> None:
    for params in _example_params(nq):
        # Bound as `cakg query` binds them (a date where the query compares it).
        text, here_bound = inline_params(nq, resolve_params(embedded, nq, params))
        there_text, there_bound = inline_params(nq, resolve_params(pushed, nq, params))
        here = embedded.query(text, here_bound)
        there = pushed.query(there_text, there_bound)
        assert there.kind == here.kind
        assert there.vars == here.vars
        a, b = _rows(here, nq.sparql), _rows(there, nq.sparql)
        assert Counter(b) == Counter(a), f"{nq.name} {params}: different rows"
        keys = _order_keys(nq.sparql, here.vars) if here.kind == "SELECT" else None
        if keys:
            assert [tuple(r[k] for k in keys) for r in b] == [
                tuple(r[k] for k in keys) for r in a
            ], f"{nq.name} {params}: different order"


def test_cakg_query_runs_against_virtuoso(pushed: RemoteStore, built: Path) -> None:
    """`cakg query NAME --endpoint URL`: the query command over this module's RemoteStore."""
    args = ["experts", "--param", "country=Kyrgyzstan", "-f", "csv"]
    remote = CliRunner().invoke(cli, ["query", *args, "--endpoint", pushed.endpoint])
    local = CliRunner().invoke(cli, ["query", *args, "--data", str(built / "kg.trig")])
    assert remote.exit_code == 0, remote.output
    assert remote.stdout_bytes == local.stdout_bytes
    assert b"Tyulegenov" in remote.stdout_bytes


# --- units ----------------------------------------------------------------------------------------


def test_rows_come_back_as_the_embedded_store_gives_them() -> None:
    xsd = "http://www.w3.org/2001/XMLSchema#"
    assert canonical_literal("812", xsd + "nonNegativeInteger") == ("812", xsd + "integer")
    assert canonical_literal("1", xsd + "boolean") == ("true", xsd + "boolean")
    assert canonical_literal("2.50", xsd + "decimal") == ("2.5", xsd + "decimal")
    assert canonical_literal("2022-01-05T10:00:00+00:00", xsd + "dateTime")[0] == (
        "2022-01-05T10:00:00Z"
    )
    assert canonical_literal("2022-01", xsd + "gYearMonth") == ("2022-01", xsd + "gYearMonth")


def test_chunks_never_split_a_blank_node() -> None:
    kg = load_knowledge_graph(SAMPLE)
    g = kg.merged()
    chunks = chunk_triples(g, 3)
    assert sum(len(c) for c in chunks) == len(g)
    where: dict[Node, set[int]] = {}
    for i, chunk in enumerate(chunks):
        for s, _, o in chunk:
            for x in (s, o):
                if isinstance(x, BNode):
                    where.setdefault(x, set()).add(i)
    assert where and all(len(v) == 1 for v in where.values())


def test_endpoints_of_common_servers() -> None:
    v = derive_endpoints("http://h:8890/sparql", server="Virtuoso/07.20.3229 (Linux)")
    assert (v.update, v.gsp, v.graph_param) == (
        "http://h:8890/sparql",
        "http://h:8890/sparql-graph-crud",
        "graph-uri",
    )
    f = derive_endpoints("http://h:3030/cakg/sparql", server="Apache Jena Fuseki (5.1.0)")
    assert (f.server, f.update, f.gsp) == (
        "fuseki",
        "http://h:3030/cakg/update",
        "http://h:3030/cakg/data",
    )
    g = derive_endpoints("http://h:7200/repositories/cakg")
    assert g.gsp == "http://h:7200/repositories/cakg/rdf-graphs/service"
    o = derive_endpoints("http://h:7878/query", server="Oxigraph/0.4")
    assert (o.update, o.gsp) == ("http://h:7878/update", "http://h:7878/store")
    x = derive_endpoints("http://h/sparql", gsp_endpoint="http://h/gsp")
    assert x.gsp == "http://h/gsp"
