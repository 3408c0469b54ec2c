"""Curation overlays: a researcher's corrections, applied at build time and kept apart.

An overlay is a YAML file beside the article (``<article-stem>.curation.yaml``) or given
with ``--curation``. It may correct a claim's or answer's type, trend or certainty,
add or drop mentions, and merge two entities::

    article: my-article.txt          # optional when the file sits beside the article
    curator: Jane Doe                # becomes prov:wasAttributedTo of the curation
    claims:
      12: {trend: weakening, certainty: low, add_mentions: [Russia], drop_mentions: [CSTO]}
    answers:
      4: {trend: weakening}
    merge:
      - {from: person/a-smith, into: person/anna-smith}
    outcomes:                        # how predictions turned out, judged by a person
      https://cakg.example.org/id/article/my-article/claim/12:   # or just 12
        {outcome: came true, source: "https://example.org/news", by: Jane Doe, date: 2024-02-01}

Corrected statements leave the article's graph and go into its curation graph
``<base>graph/article/<slug>/curation``, which records by PROV who curated it and
from which file: extracted and curated statements stay distinguishable.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, XSD

from cakg.errors import InputError
from cakg.graph.entities.gazetteer import Gazetteer
from cakg.graph.extract.article import Extraction
from cakg.graph.io import atomic_write, read_yaml
from cakg.graph.namespaces import CAKG, DCT, PROV, SCHEMA, Minter, bind_prefixes
from cakg.graph.text.dates import iso_date
from cakg.graph.text.reader import ArticleText
from cakg.graph.vocabulary import concept_iri, vocabulary

__all__ = ["apply_curation", "find_overlay", "load_overlay", "record_outcome"]

#: The corrections that set a label of a controlled vocabulary (read from the ontology),
#: and the property each one sets.
_LABELLED = {"trend": CAKG.hasTrend, "type": CAKG.hasClaimType, "certainty": CAKG.hasCertainty}


def _concept(kind: str, raw: Any, where: str, overlay: Path) -> URIRef:
    """The concept an overlay names by its label (as ``skos:prefLabel`` spells it)."""
    allowed = [c.label for c in vocabulary(kind)]
    if str(raw) not in allowed:
        raise InputError(
            f"{where}: {kind} must be one of {', '.join(allowed)}, not {raw!r}", path=overlay
        )
    return concept_iri(kind, str(raw))


def load_overlay(path: Path) -> dict[str, Any]:
    """Parse an overlay file; a YAML error names the file and line."""
    data = read_yaml(path, "curation YAML")
    if not isinstance(data, dict):
        raise InputError("a curation overlay must be a YAML mapping", path=path)
    return data


def find_overlay(article: ArticleText, given: Sequence[Path]) -> Path | None:
    """The overlay for an article: one given for it by name, else the file beside it."""
    for path in given:
        data = load_overlay(Path(path))
        if data.get("article") in (None, article.name) and (
            len(given) == 1 or data.get("article") == article.name
        ):
            return Path(path)
    if article.path is not None:
        beside = article.path.with_name(article.path.stem + ".curation.yaml")
        if beside.exists():
            return beside
    return None


def _resolve(value: str, minter: Minter, gazetteer: Gazetteer, where: Path) -> URIRef:
    """An entity named in an overlay: an IRI, a path under the base, or a known name."""
    if value.startswith(("http://", "https://")):
        return URIRef(value)
    if "/" in value:
        return minter.iri(value)
    found = gazetteer.find(value)
    if found and found[0].start == 0 and found[0].end == len(value):
        return found[0].iri
    raise InputError(
        f"unknown entity in curation overlay: {value!r} (give an IRI or a path "
        "such as state/kazakhstan)",
        path=where,
    )


def apply_curation(
    ex: Extraction, overlay: Path, minter: Minter, gazetteer: Gazetteer, target: Graph
) -> Graph:
    """Apply an overlay to an article's graph `target`; return the curation graph."""
    data = load_overlay(overlay)
    art = ex.iri
    cur = Graph()
    bind_prefixes(cur)
    activity = URIRef(f"{art}/curation")
    cur.add((activity, RDF.type, PROV.Activity))
    cur.add((activity, DCT.source, Literal(overlay.name)))
    cur.add((minter.graph(f"article/{ex.slug}/curation"), PROV.wasGeneratedBy, activity))
    if data.get("curator"):
        curator = minter.person(str(data["curator"]))
        cur.add((curator, RDF.type, PROV.Agent))
        cur.add((curator, RDFS.label, Literal(str(data["curator"]), lang="en")))
        cur.add((activity, PROV.wasAssociatedWith, curator))

    def subject_of(kind: str, number: Any) -> URIRef:
        iri = URIRef(f"{art}/{kind}/{number}")
        if (iri, RDF.type, CAKG.Claim if kind == "claim" else CAKG.Answer) not in target:
            raise InputError(f"no {kind} {number} in {ex.article.name}", path=overlay)
        return iri

    for kind, section in (("claim", "claims"), ("answer", "answers")):
        entries = data.get(section) or {}
        if not isinstance(entries, dict):
            raise InputError(f"'{section}' must map numbers to corrections", path=overlay)
        for number, changes in sorted(entries.items(), key=lambda kv: str(kv[0])):
            subject = subject_of(kind, number)
            if not isinstance(changes, dict):
                raise InputError(f"{kind} {number}: corrections must be a mapping", path=overlay)
            for key, raw in changes.items():
                if key in _LABELLED:
                    value = _concept(key, raw, f"{kind} {number}", overlay)
                    target.remove((subject, _LABELLED[key], None))
                    cur.add((subject, _LABELLED[key], value))
                elif key in ("add_mentions", "drop_mentions"):
                    for name in raw or []:
                        iri = _resolve(str(name), minter, gazetteer, overlay)
                        if key == "add_mentions":
                            cur.add((subject, CAKG.mentions, iri))
                            cur.add((subject, SCHEMA.mentions, iri))
                        else:
                            target.remove((subject, CAKG.mentions, iri))
                            target.remove((subject, SCHEMA.mentions, iri))
                else:
                    raise InputError(f"{kind} {number}: unknown correction {key!r}", path=overlay)
            cur.add((subject, CAKG.curated, Literal(True)))
            cur.add((subject, PROV.wasInfluencedBy, activity))

    for item in data.get("merge") or []:
        if not isinstance(item, dict) or "from" not in item or "into" not in item:
            raise InputError("each merge needs 'from' and 'into'", path=overlay)
        old = _resolve(str(item["from"]), minter, gazetteer, overlay)
        new = _resolve(str(item["into"]), minter, gazetteer, overlay)
        for s, p, o in list(target.triples((old, None, None))):
            target.remove((s, p, o))
            target.add((new, p, o))
        for s, p, o in list(target.triples((None, None, old))):
            target.remove((s, p, o))
            target.add((s, p, new))
        cur.add((old, OWL.sameAs, new))
    _outcomes(data, overlay, ex, minter, target, cur, activity)
    return cur


def _judgement(claim: str, entry: Any, where: Path) -> dict[str, str]:
    """One outcome entry checked: the outcome's label, an http(s) source, who and when."""
    if not isinstance(entry, dict):
        raise InputError(f"outcome of {claim}: must be a mapping", path=where)
    missing = [
        k for k in ("outcome", "source", "by", "date") if not str(entry.get(k) or "").strip()
    ]
    if missing:
        raise InputError(f"outcome of {claim}: missing {', '.join(missing)}", path=where)
    _concept("outcome", entry["outcome"], f"outcome of {claim}", where)
    source = str(entry["source"]).strip()
    if not source.startswith(("http://", "https://")) or " " in source:
        raise InputError(f"outcome of {claim}: source must be an http(s) URL", path=where)
    day = iso_date(entry["date"])
    if day is None or len(day) != 10:
        raise InputError(f"outcome of {claim}: 'date' must be a day (YYYY-MM-DD)", path=where)
    return {"outcome": str(entry["outcome"]), "source": source, "by": str(entry["by"]), "date": day}


def _outcomes(
    data: dict[str, Any],
    overlay: Path,
    ex: Extraction,
    minter: Minter,
    target: Graph,
    cur: Graph,
    activity: URIRef,
) -> None:
    """Outcome judgements of this article's predictions, with PROV: who judged, when, on what.

    Entries name a claim by number or by IRI; an IRI of another article's claim is left to
    that article's build.
    """
    entries = data.get("outcomes") or {}
    if not isinstance(entries, dict):
        raise InputError("'outcomes' must map claims to outcomes", path=overlay)
    own = f"{ex.iri}/claim/"
    for key, entry in sorted(entries.items(), key=lambda kv: str(kv[0])):
        name = str(key).strip()
        claim = URIRef(own + name if name.isdigit() else name)
        if not str(claim).startswith(own):
            continue
        if (claim, RDF.type, CAKG.Claim) not in target:
            raise InputError(f"no claim {name} in {ex.article.name}", path=overlay)
        j = _judgement(name, entry, overlay)
        outcome = concept_iri("outcome", j["outcome"])
        node = URIRef(f"{claim}/outcome")
        judge = minter.person(j["by"])
        cur.add((claim, CAKG.hasOutcome, outcome))
        cur.add((claim, CAKG.hasJudgement, node))
        cur.add((node, RDF.type, CAKG.OutcomeJudgement))
        cur.add((node, CAKG.judgedOutcome, outcome))
        cur.add((node, PROV.wasAttributedTo, judge))
        cur.add((node, PROV.wasGeneratedBy, activity))
        cur.add((node, DCT.date, Literal(j["date"], datatype=XSD.date)))
        cur.add((node, DCT.source, URIRef(j["source"])))
        cur.add((judge, RDF.type, PROV.Agent))
        cur.add((judge, RDFS.label, Literal(j["by"], lang="en")))


def record_outcome(
    overlay: Path,
    claim: str,
    *,
    outcome: str,
    source: str,
    by: str,
    on: str | None = None,
) -> Path:
    """Write a prediction's outcome into an overlay file (created if missing), atomically.

    ``on`` (the day of the judgement) defaults to today, and is kept in the file so that
    every rebuild gives the same graph. The file is rewritten as YAML (comments are not kept).
    """
    data = load_overlay(overlay) if overlay.exists() else {}
    if not claim.startswith(("http://", "https://")) and not claim.strip().isdigit():
        raise InputError(f"{claim!r} is not a claim IRI (or a claim number)")
    entry = {"outcome": outcome, "source": source, "by": by, "date": on or date.today().isoformat()}
    checked = _judgement(claim, entry, overlay)
    outcomes = data.get("outcomes") or {}
    if not isinstance(outcomes, dict):
        raise InputError("'outcomes' must map claims to outcomes", path=overlay)
    outcomes[int(claim) if claim.strip().isdigit() else claim] = checked
    data["outcomes"] = outcomes
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
    return atomic_write(overlay, text.encode("utf-8"))
