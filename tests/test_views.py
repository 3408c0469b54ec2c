"""Network views: projections and analytics of the bundled article, exports, the page, the CLI."""

from __future__ import annotations

import colorsys
import re
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from click.testing import CliRunner

from cakg.cli import cli
from cakg.errors import InputError
from cakg.graph.store.engines import open_store
from cakg.graph.vocabulary import vocabulary
from cakg.viz import analytics, ego, export_network, network_stats, render_all, render_view
from cakg.viz.capping import MAX_NODES
from cakg.viz.html import render_html, strip_external_resources
from cakg.viz.projections import CERTAINTY_RANK, actors, claims, comentions, resolve_focus, stances
from cakg.viz.styles import ROLE_STYLE, TREND_COLOURS
from cakg.viz.trends import MIXED, NONE, TREND_SCORE, trend_keys

TRENDS = trend_keys()

FIXTURES = Path(__file__).parent / "fixtures"
B = "https://cakg.example.org/id/"
CENTRAL_ASIA = ["kazakhstan", "kyrgyzstan", "tajikistan", "turkmenistan", "uzbekistan"]
# The bundled roundup's experts and the states they come from.
EXPERT_STATES = {
    "rustam-burnashev": "kazakhstan",
    "medet-tyulegenov": "kyrgyzstan",
    "farkhod-tolipov": "uzbekistan",
    "farrukh-salimov": "tajikistan",
    "rustam-mukhamedov": "turkmenistan",
}
ARTICLE = (
    Path(__file__).parent.parent
    / "graph/data/articles/cabar-2022-01-crisis-in-kazakhstan-regional-cooperation.txt"
)


def s(slug: str) -> str:
    return f"{B}state/{slug}"


def edges_of(g: nx.MultiDiGraph, relation: str) -> dict[tuple[str, str], dict[str, Any]]:
    return {(u, v): d for u, v, k, d in g.edges(keys=True, data=True) if k == relation}


@pytest.fixture(scope="module")
def nets(store: Any) -> dict[str, nx.Graph]:
    return {
        "actors": actors(store),
        "claims": claims(store),
        "stances": stances(store),
        "comentions": comentions(store),
    }


@pytest.fixture(scope="module")
def sample() -> Any:
    return open_store(FIXTURES / "sample" / "views-sample.trig")


# --- actors ------------------------------------------------------------------------------------


def test_actors_experts_link_to_their_states(nets: dict[str, nx.Graph]) -> None:
    g = nets["actors"]
    experts = {n for n, d in g.nodes(data=True) if d["kind"] == "expert"}
    assert experts == {f"{B}person/{p}" for p in EXPERT_STATES}
    nationality = edges_of(g, "nationality")
    assert set(nationality) == {(f"{B}person/{p}", s(st)) for p, st in EXPERT_STATES.items()}
    affiliation = edges_of(g, "affiliation")
    assert (f"{B}person/rustam-burnashev", f"{B}org/kazakh-german-university") in affiliation
    assert g.nodes[f"{B}org/kazakh-german-university"]["kind"] == "organization"


def test_actors_csto_memberships_and_roles(nets: dict[str, nx.Graph]) -> None:
    g = nets["actors"]
    csto = f"{B}org/csto"
    assert g.nodes[csto]["kind"] == "international-organization"
    assert g.nodes[csto]["label"] == "CSTO"
    members = {u: d for (u, v), d in edges_of(g, "membership").items() if v == csto}
    for st in ("kazakhstan", "kyrgyzstan", "tajikistan", "russia"):
        assert members[s(st)]["role"] == "member", st
    assert members[s("uzbekistan")]["role"] == "suspended"
    assert "suspended since 2012" in members[s("uzbekistan")]["history"]
    assert s("turkmenistan") in g and s("turkmenistan") not in members


def test_actors_mentions_are_weighted_by_claims(nets: dict[str, nx.Graph], store: Any) -> None:
    g = nets["actors"]
    mentions = edges_of(g, "mentions")
    assert mentions, "experts name states and organizations in their claims"
    # Cross-check one weight with a query: Burnashev's claims naming Uzbekistan, directly or
    # through a bilateral relation.
    rows = store.query(
        f"""PREFIX cakg: <https://cakg.example.org/ontology#>
        SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE {{
          ?c a cakg:Claim ; cakg:claimedBy <{B}person/rustam-burnashev> .
          {{ ?c cakg:about|cakg:mentions <{s("uzbekistan")}> }} UNION
          {{ ?c cakg:about|cakg:mentions ?r . ?r cakg:relationBetween <{s("uzbekistan")}> }} }}"""
    ).rows
    expected = int(rows[0]["n"])
    assert expected > 0
    assert mentions[(f"{B}person/rustam-burnashev", s("uzbekistan"))]["weight"] == expected
    for d in mentions.values():
        counts = sum(d[f"n_{t.replace('-', '_')}"] for t in [*TRENDS, "none"])
        assert counts == d["weight"]


def test_actors_views_only_involved_entities(sample: Any) -> None:
    """Armenia is a CSTO member in the sample but named by no claim and no expert: not drawn."""
    g = actors(sample)
    assert s("armenia") not in g
    member = edges_of(g, "membership")
    assert member[(s("uzbekistan"), f"{B}org/csto")]["history"] == (
        "former member 1994–1999; suspended since 2012"
    )
    assert member[(s("uzbekistan"), f"{B}org/eaeu")]["role"] == "observer"


# --- claims ------------------------------------------------------------------------------------


def test_claims_carry_quote_expert_question_offsets(nets: dict[str, nx.Graph], store: Any) -> None:
    g = nets["claims"]
    n_claims = int(
        store.query(
            "PREFIX cakg: <https://cakg.example.org/ontology#> "
            "SELECT (COUNT(?c) AS ?n) WHERE { ?c a cakg:Claim }"
        ).rows[0]["n"]
    )
    claim_nodes = [(n, d) for n, d in g.nodes(data=True) if d["kind"] == "claim"]
    assert len(claim_nodes) == n_claims > 50
    text = ARTICLE.read_text(encoding="utf-8").replace("\r\n", "\n")
    for n, d in claim_nodes:
        assert d["quote"] and d["question"].endswith("?"), n
        assert d["trend"] in (*TRENDS, "none")
        assert d["expert_label"] and g.has_edge(d["expert"], n)
        assert text[d["start"] : d["end"]] == d["quote"], n
        assert any(g.edges[n, x]["relation"] == "about" for x in g.successors(n)) or any(
            g.edges[n, x]["relation"] == "mentions" for x in g.successors(n)
        )


# --- stances and co-mentions -------------------------------------------------------------------


def test_stances_is_bipartite_with_trend_counts(nets: dict[str, nx.Graph]) -> None:
    g = nets["stances"]
    left = {n for n, d in g.nodes(data=True) if d["bipartite"] == 0}
    assert left == {f"{B}person/{p}" for p in EXPERT_STATES}
    assert nx.is_bipartite(g)
    for u, v, d in g.edges(data=True):
        assert (u in left) != (v in left)
        assert d["trend"] in (*TRENDS, "mixed", "none")
        counts = {t: d[f"n_{t.replace('-', '_')}"] for t in [*TRENDS, "none"]}
        assert sum(counts.values()) == d["weight"]
        assert -1.0 <= d["score"] <= 1.0
        if d["trend"] in TRENDS:
            assert counts[d["trend"]] == max(counts[t] for t in TRENDS)


def test_comentions_link_states_and_organizations(nets: dict[str, nx.Graph]) -> None:
    g = nets["comentions"]
    kinds = {d["kind"] for _, d in g.nodes(data=True)}
    assert kinds <= {"state", "international-organization", "organization"}
    assert all(d["weight"] >= 1 for _, _, d in g.edges(data=True))
    assert g.has_edge(s("kazakhstan"), s("uzbekistan"))
    assert g.has_edge(s("kazakhstan"), f"{B}org/csto")
    for n, d in g.nodes(data=True):  # a pair is never named more often than either end
        for m in g.neighbors(n):
            assert g[n][m]["weight"] <= d["claims"]


# --- analytics ---------------------------------------------------------------------------------


def test_analytics_are_complete_and_deterministic(nets: dict[str, nx.Graph]) -> None:
    for name, g in nets.items():
        a = analytics(g)
        assert set(a["degree"]) == set(a["betweenness"]) == set(a["community"]) == set(g), name
        assert all(0.0 <= v <= 1.0 for v in a["degree"].values())
        assert all(0.0 <= v <= 1.0 for v in a["betweenness"].values())
        assert sorted(x for c in a["communities"] for x in c) == sorted(g)
        assert analytics(g) == a  # fixed seed: the same partition every run


def test_communities_of_the_central_asian_states(nets: dict[str, nx.Graph]) -> None:
    """Each Central Asian state falls into the community of the expert who comes from it,
    and in co-mentions Kazakhstan, Uzbekistan, Kyrgyzstan and Tajikistan form one community."""
    a = analytics(nets["actors"])["community"]
    for person, state in EXPERT_STATES.items():
        assert a[s(state)] == a[f"{B}person/{person}"], state
    c = analytics(nets["comentions"])["community"]
    assert len({c[s(x)] for x in ("kazakhstan", "uzbekistan", "kyrgyzstan", "tajikistan")}) == 1


# --- ego views and focus -----------------------------------------------------------------------


def test_ego_views(nets: dict[str, nx.Graph]) -> None:
    g = nets["actors"]
    kz = resolve_focus(g, "Kazakhstan")
    assert kz == s("kazakhstan")
    assert resolve_focus(g, "csto") == resolve_focus(g, "CSTO") == f"{B}org/csto"
    assert resolve_focus(g, f"{B}person/rustam-burnashev") == f"{B}person/rustam-burnashev"
    one = ego(g, kz, 1)
    assert {f"{B}org/csto", f"{B}person/rustam-burnashev"} <= set(one)
    assert set(one) == {kz, *nx.all_neighbors(g, kz)}
    assert set(ego(g, kz, 0)) == {kz}
    assert len(ego(g, kz, 2)) >= len(one)
    assert one.graph["focus"] == kz and one.graph["kind"] == "actors"
    with pytest.raises(InputError):
        resolve_focus(g, "Atlantis")


# --- exports -----------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["actors", "claims", "stances", "comentions"])
def test_graphml_and_gexf_read_back(nets: dict[str, nx.Graph], kind: str, tmp_path: Path) -> None:
    g = nets[kind]
    graphml, gexf = export_network(g, tmp_path / kind)
    back = nx.read_graphml(graphml)
    assert back.number_of_nodes() == g.number_of_nodes()
    assert back.number_of_edges() == g.number_of_edges()
    n = next(iter(g))
    assert back.nodes[n]["kind"] == g.nodes[n]["kind"]
    assert "community" in back.nodes[n] and "betweenness_centrality" in back.nodes[n]
    back_gexf = nx.read_gexf(gexf)
    assert back_gexf.number_of_nodes() == g.number_of_nodes()
    assert back_gexf.number_of_edges() == g.number_of_edges()
    if kind == "actors":
        roles = {
            d.get("role") for _, _, d in back.edges(data=True) if d["relation"] == "membership"
        }
        assert "suspended" in roles


# --- the page: offline, escaped, capped ---------------------------------------------------------

_EXTERNAL = re.compile(r"<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)\s*=", re.IGNORECASE)


@pytest.fixture(scope="module")
def xss_store(tmp_path_factory: pytest.TempPathFactory) -> Any:
    from cakg.graph.build import build_graph

    out = tmp_path_factory.mktemp("xss")
    build_graph([FIXTURES / "xss" / "xss-roundup.txt"], out)
    return open_store(out / "kg.trig")


def test_pages_reference_nothing_external(store: Any, tmp_path: Path) -> None:
    written = render_all(store, tmp_path, figures=False, exports=False)
    pages = [p for p in written if p.suffix == ".html"]
    assert {p.name for p in pages} == {
        "actors.html", "claims.html", "stances.html", "comentions.html", "views.html"
    }  # fmt: skip
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert not _EXTERNAL.search(html), page.name
        assert not re.search(r"url\(\s*['\"]?(?:https?:)?//", html), page.name
        assert "Content-Security-Policy" in html
    html = (tmp_path / "claims.html").read_text(encoding="utf-8")
    assert "vis-network" in html and "@license" in html  # inlined with its licence header
    assert "Tom Select" in html
    assert "bootstrap" not in html.lower()


def test_strip_external_resources_drops_cdn_tags() -> None:
    html = (
        '<link href="https://cdn.jsdelivr.net/npm/bootstrap@5/bootstrap.min.css" rel="stylesheet">'
        '<script src="https://cdn.jsdelivr.net/npm/bootstrap@5/bootstrap.bundle.min.js"></script>'
        "<script>var ok = 1;</script>"
    )
    assert strip_external_resources(html) == "<script>var ok = 1;</script>"


def test_article_markup_never_reaches_the_page_as_markup(xss_store: Any, tmp_path: Path) -> None:
    quotes = [d["quote"] for _, d in claims(xss_store).nodes(data=True) if d["kind"] == "claim"]
    assert any("<script>window.__pwned=1</script>" in q for q in quotes)
    assert any("onerror=" in q for q in quotes)
    for path in render_all(xss_store, tmp_path, figures=False, exports=False):
        html = path.read_text(encoding="utf-8")
        assert "<script>window.__pwned" not in html and "<img src=x" not in html, path.name
        # The article text appears only inside JSON data blocks, with < and > escaped.
        outside = re.sub(r'<script type="application/json"[^>]*>.*?</script>', "", html, flags=re.S)
        assert "__pwned" not in outside, path.name
    view_js = (Path(__file__).parent.parent / "viz" / "view.js").read_text(encoding="utf-8")
    assert "innerHTML" not in view_js.replace("never innerHTML", "")


def test_large_networks_are_capped_and_laid_out_in_python() -> None:
    g = nx.barabasi_albert_graph(MAX_NODES + 700, 2, seed=3)
    g = nx.relabel_nodes(g, {i: f"urn:n{i}" for i in g})
    for n in g:
        g.nodes[n].update(kind="state", label=n[4:])
    g.graph["kind"] = "actors"
    html = render_html(g)
    meta = re.search(r'<script type="application/json" id="cakg-meta">(.*?)</script>', html)
    assert meta is not None
    import json

    data = json.loads(meta.group(1))
    assert data["counts"]["total_nodes"] == MAX_NODES + 700
    assert data["counts"]["nodes"] <= MAX_NODES
    assert data["physics"] is False and "Large network" in data["banner"]


def test_render_is_deterministic(store: Any, tmp_path: Path) -> None:
    a = render_view(store, "stances", tmp_path / "a", figures=False, exports=True)
    b = render_view(store, "stances", tmp_path / "b", figures=False, exports=True)
    for x, y in zip(a, b, strict=True):
        assert x.read_bytes() == y.read_bytes(), x.name


def test_figures_are_png_and_svg(store: Any, tmp_path: Path) -> None:
    written = render_view(store, "stances", tmp_path, exports=False)
    names = {p.name for p in written}
    assert {"stances.png", "stances.svg", "stances-heatmap.png", "stances-heatmap.svg"} <= names
    assert (tmp_path / "stances.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    svg = (tmp_path / "stances-heatmap.svg").read_text(encoding="utf-8")
    assert "<svg" in svg and "Farkhod Tolipov" in svg  # text stays text


# --- the command -------------------------------------------------------------------------------


def test_cli_view_stats(built: Path) -> None:
    result = CliRunner().invoke(cli, ["view", "--stats", "--data", str(built)])
    assert result.exit_code == 0, result.output
    for kind in ("actors", "claims", "stances", "comentions"):
        assert kind in result.output
    assert "Louvain" in result.output and "betweenness" in result.output
    assert "Kazakhstan" in result.output


def test_cli_view_writes_one_view_and_focus(built: Path, tmp_path: Path) -> None:
    out = tmp_path / "kz.html"
    result = CliRunner().invoke(
        cli,
        ["view", "--kind", "actors", "--focus", "Kazakhstan", "--depth", "1", "-o", str(out),
         "--data", str(built), "--no-figures"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert out.exists() and (tmp_path / "kz.graphml").exists()
    assert "around Kazakhstan" in out.read_text(encoding="utf-8")


def test_cli_view_bad_focus_is_a_usage_error(built: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli, ["view", "--kind", "actors", "--focus", "Atlantis", "--data", str(built), "-o",
              str(tmp_path)],
    )  # fmt: skip
    assert result.exit_code == 2
    assert "Atlantis" in result.output


# (kind, focus, what the error says, what it must not say)
FOCUS_ERRORS = [
    ("stances", "CSTO", "CSTO is not in the stances view (it shows ", "did you mean"),
    ("stances", "csto", "try --kind actors, claims or comentions", "did you mean"),
    ("comentions", "Rustam Burnashev", "not in the comentions view", "did you mean"),
    ("comentions", "Rustam Burnashev", "try --kind actors, claims or stances", "CSTO"),
    (
        "actors",
        "Kazakstan",
        "no node 'Kazakstan' in the actors view; did you mean Kazakhstan?",
        "try",
    ),
    ("stances", "Farkhod Tolipev", "did you mean Farkhod Tolipov?", "try --kind"),
    ("actors", "Atlantis", "no node 'Atlantis' in the actors view (give a node's IRI", "did you"),
]


@pytest.mark.parametrize(("kind", "focus", "says", "never"), FOCUS_ERRORS)
def test_a_focus_the_view_lacks_gets_a_hint_from_that_view(
    built: Path, nets: dict[str, nx.Graph], kind: str, focus: str, says: str, never: str
) -> None:
    result = CliRunner().invoke(
        cli, ["view", "--kind", kind, "--focus", focus, "--data", str(built)]
    )
    assert result.exit_code == 2
    assert says in result.stderr and never not in result.stderr, result.stderr
    suggested = re.search(r"did you mean (.+)\?", result.stderr)
    labels = {str(d.get("label")) for _, d in nets[kind].nodes(data=True)}
    if suggested:  # a hint names only nodes of that view
        assert set(re.split(r", | or ", suggested.group(1))) <= labels


# (focus, the views that lack it)
FOCUS_IN_SOME_VIEWS = [
    ("Rustam Burnashev", ["comentions"]),
    ("CSTO", ["stances"]),
    ("Kazakhstan", []),
]


@pytest.mark.parametrize(("focus", "lacking"), FOCUS_IN_SOME_VIEWS)
@pytest.mark.parametrize("stats", [False, True])
def test_kind_all_says_which_views_it_skips(
    built: Path, tmp_path: Path, focus: str, lacking: list[str], stats: bool
) -> None:
    out = ["--stats"] if stats else ["-o", str(tmp_path), "--no-figures", "--no-exports"]
    result = CliRunner().invoke(cli, ["view", "--focus", focus, "--data", str(built), *out])
    assert result.exit_code == 0, result.stderr
    assert result.stderr.splitlines() == [
        f"cakg: the {kind} view has no node {focus!r}; skipped" for kind in lacking
    ]


@pytest.mark.parametrize(
    ("focus", "hint"),
    [("Atlantis", " (give a node's IRI"), ("Kazakstan", "; did you mean Kazakhstan?")],
)
def test_kind_all_fails_only_when_no_view_has_the_focus(
    built: Path, tmp_path: Path, focus: str, hint: str
) -> None:
    result = CliRunner().invoke(
        cli, ["view", "--focus", focus, "--data", str(built), "-o", str(tmp_path)]
    )
    assert result.exit_code == 2
    assert result.stderr.startswith(f"cakg: error: no view has a node {focus!r}{hint}")
    assert len(result.stderr.splitlines()) == 1  # no 'skipped' lines when nothing is written
    assert not list(tmp_path.iterdir())


def test_network_stats_skips_views_without_the_focus(store: Any) -> None:
    stats = network_stats(store, focus="Rustam Burnashev")
    assert [v.kind for v in stats] == ["actors", "claims", "stances"]  # no experts in co-mentions
    assert stats[0].top(3)[0]["label"]


def test_styles_cover_exactly_the_vocabularies() -> None:
    """A trend or role added to the ontology needs a colour; one removed leaves none behind."""
    keys = {kind: {c.key for c in vocabulary(kind)} for kind in ("trend", "role", "certainty")}
    assert set(TREND_COLOURS) == keys["trend"] | {MIXED, NONE}
    assert set(TREND_SCORE) == keys["trend"] == set(TRENDS)
    assert set(ROLE_STYLE) == keys["role"]
    assert set(CERTAINTY_RANK) == keys["certainty"]


def _saturation(colour: str) -> float:
    r, g, b = (int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    return colorsys.rgb_to_hls(r, g, b)[2]


def test_trend_colours_show_direction_and_leave_uncertain_neutral() -> None:
    """A trend with a direction stands out; no change and uncertain (no direction) are muted."""
    directional = {t: _saturation(TREND_COLOURS[t]) for t, score in TREND_SCORE.items() if score}
    neutral = {t: _saturation(TREND_COLOURS[t]) for t, score in TREND_SCORE.items() if not score}
    assert directional and neutral
    assert min(directional.values()) > 0.45, directional
    assert max(neutral.values()) < 0.25, neutral
    assert len({TREND_COLOURS[t] for t in TREND_COLOURS}) == len(TREND_COLOURS)


def test_projections_are_the_same_on_rdflibs_engine(sample: Any) -> None:
    """The views use only the Store interface: rdflib's engine gives the same networks."""
    from rdflib import Dataset, URIRef

    from cakg.graph.store.engines import RdflibStore

    ds = Dataset()
    ds.parse(FIXTURES / "sample" / "views-sample.trig", format="trig")
    ref = RdflibStore()
    for g in ds.graphs():
        if isinstance(g.identifier, URIRef) and len(g):
            ref.add_graph(g.identifier, g)
    for project in (actors, claims, stances, comentions):
        a, b = project(sample), project(ref)
        assert dict(a.nodes(data=True)) == dict(b.nodes(data=True)), project.__name__
        assert sorted(map(repr, a.edges(data=True))) == sorted(map(repr, b.edges(data=True)))
