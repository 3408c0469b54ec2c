"""The reference data: states, international organizations, places, leaders and memberships.

Every ISO 3166-1 country comes from pycountry; the package data files
(``cakg.graph.data``: countries.yaml, states.yaml, places.yaml,
organizations.yaml, memberships.yaml) add the details, and every fact carries
the page it comes from as ``dct:source``. This module reads and validates them into
records (:mod:`~cakg.graph.entities.reference_records`), reporting a bad value with its
file and line, and serves the graph written from them
(:mod:`~cakg.graph.entities.reference_triples`).

>>> from cakg.graph.namespaces import Minter, RDFS
>>> g = reference_graph(Minter("https://example.org/kg/"))
>>> kz = Minter("https://example.org/kg/").state("Kazakhstan")
>>> str(g.value(kz, RDFS.label))
'Kazakhstan'
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Iterable, Mapping
from functools import lru_cache
from importlib import resources
from typing import Any

import pycountry
import yaml
from rdflib import Graph

from cakg.errors import InputError
from cakg.graph.entities.reference_records import (
    MembershipRow,
    OrgInfo,
    PersonInfo,
    PlaceInfo,
    ReferenceData,
    StateInfo,
    When,
)
from cakg.graph.entities.reference_triples import Triple, build_reference_graph, reference_triples
from cakg.graph.io import LINE as _LINE
from cakg.graph.io import LINES as _LINES
from cakg.graph.io import LineLoader as _LineLoader
from cakg.graph.namespaces import Minter, bind_prefixes, slugify
from cakg.graph.vocabulary import vocabulary

__all__ = [
    "DATA_FILES",
    "MembershipRow",
    "OrgInfo",
    "PersonInfo",
    "PlaceInfo",
    "ReferenceData",
    "StateInfo",
    "build_reference_graph",
    "load_reference_data",
    "reference_graph",
]

DATA_PACKAGE = "cakg.graph.data"
DATA_FILES = (
    "countries.yaml",
    "states.yaml",
    "places.yaml",
    "organizations.yaml",
    "memberships.yaml",
)

_QID = re.compile(r"^Q[1-9][0-9]*$")
_ISO2 = re.compile(r"^[A-Z]{2}$")
_KEY = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_URL = re.compile(r"^https?://[^\s<>\"{}|\\^`]+$")
_YEAR = re.compile(r"^[0-9]{4}$")


# --- reading and validating -----------------------------------------------------------------


def _display(name: str) -> str:
    return f"graph/data/{name}"


def _read_text(name: str, texts: Mapping[str, str] | None) -> str:
    if texts is not None and name in texts:
        return texts[name]
    try:
        return resources.files(DATA_PACKAGE).joinpath(name).read_text(encoding="utf-8")
    except (FileNotFoundError, OSError) as exc:
        raise InputError(f"reference data file is missing ({exc})", path=_display(name)) from None
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text: {exc.reason}", path=_display(name)) from None


def _parse(name: str, text: str) -> dict[str, Any]:
    try:
        data = yaml.load(text, Loader=_LineLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        raise InputError(
            f"not valid YAML: {exc.problem or exc}", path=_display(name), line=line
        ) from None
    except yaml.YAMLError as exc:
        raise InputError(f"not valid YAML: {exc}", path=_display(name)) from None
    if not isinstance(data, dict):
        raise InputError("expected a mapping at the top level", path=_display(name), line=1)
    return data


class _Ctx:
    """Where a value was read from, to report errors with file and line."""

    def __init__(self, name: str, item: Mapping[str, Any] | None = None) -> None:
        self.name = name
        self.line = item.get(_LINE) if item is not None else None
        lines = item.get(_LINES) if item is not None else None
        self.lines: Mapping[str, int] = lines if isinstance(lines, dict) else {}

    def at(self, item: Mapping[str, Any]) -> _Ctx:
        return _Ctx(self.name, item)

    def error(self, message: str, key: str | None = None) -> InputError:
        """An InputError at the line of `key` in the current mapping, else of the mapping."""
        line = self.lines.get(key) if key is not None else None
        if line is None:
            line = self.line if isinstance(self.line, int) else None
        return InputError(message, path=_display(self.name), line=line)


def _mapping_list(ctx: _Ctx, data: Mapping[str, Any], key: str) -> list[dict[str, Any]]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise ctx.error(f"'{key}' must be a list of mappings", key)
    return value


def _text(ctx: _Ctx, item: Mapping[str, Any], key: str, *, required: bool = True) -> str | None:
    value = item.get(key)
    if value is None:
        if required:
            raise ctx.error(f"missing '{key}'")
        return None
    if not isinstance(value, str) or not value.strip():
        raise ctx.error(f"'{key}' must be a non-empty string, not {value!r}", key)
    return " ".join(value.split())


def _req(ctx: _Ctx, item: Mapping[str, Any], key: str) -> str:
    value = _text(ctx, item, key)
    assert value is not None
    return value


def _texts(ctx: _Ctx, item: Mapping[str, Any], key: str) -> tuple[str, ...]:
    value = item.get(key, [])
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ctx.error(f"'{key}' must be a list of non-empty strings", key)
    out: list[str] = []
    for v in value:
        norm = " ".join(v.split())
        if norm not in out:
            out.append(norm)
    return tuple(out)


def _url(ctx: _Ctx, value: str, key: str | None = None) -> str:
    if not _URL.match(value):
        raise ctx.error(f"not an http(s) URL: {value!r}", key)
    return value


def _urls(ctx: _Ctx, item: Mapping[str, Any], key: str) -> tuple[str, ...]:
    return tuple(_url(ctx, u, key) for u in _texts(ctx, item, key))


def _qid(ctx: _Ctx, item: Mapping[str, Any]) -> str | None:
    value = _text(ctx, item, "qid", required=False)
    if value is not None and not _QID.match(value):
        raise ctx.error(f"not a Wikidata item id: {value!r}", "qid")
    return value


def _when(ctx: _Ctx, value: Any, key: str) -> When | None:
    if value is None:
        return None
    if isinstance(value, _dt.datetime):
        raise ctx.error(f"'{key}' must be a date or a year, not a time", key)
    if isinstance(value, _dt.date):
        return When(value.isoformat())
    if isinstance(value, int) and not isinstance(value, bool) and 1000 <= value <= 9999:
        return When(str(value))
    if isinstance(value, str):
        if _YEAR.match(value):
            return When(value)
        try:
            return When(_dt.date.fromisoformat(value).isoformat())
        except ValueError:
            pass
    raise ctx.error(f"'{key}' must be YYYY-MM-DD or YYYY, not {value!r}", key)


def _alpha2(ctx: _Ctx, value: str | None, known: Mapping[str, Any], key: str) -> str:
    if value is None or not _ISO2.match(value) or value not in known:
        raise ctx.error(f"'{key}' must be an ISO 3166-1 alpha-2 code, not {value!r}", key)
    return value


def _merge(*groups: Iterable[str], exclude: Iterable[str] = ()) -> tuple[str, ...]:
    seen = set(exclude)
    out: list[str] = []
    for group in groups:
        for v in group:
            if v not in seen:
                seen.add(v)
                out.append(v)
    return tuple(out)


def _load_states(
    countries: Mapping[str, Any], states: Mapping[str, Any]
) -> tuple[list[StateInfo], str]:
    cctx = _Ctx("countries.yaml", countries)
    iso_source = _url(cctx, _req(cctx, countries, "source"), "source")
    iso = {c.alpha_2: c for c in pycountry.countries}
    labels = countries.get("labels", {}) or {}
    extra_alt = countries.get("alt", {}) or {}
    if not isinstance(labels, dict) or not isinstance(extra_alt, dict):
        raise cctx.error("'labels' and 'alt' must be mappings of ISO alpha-2 codes")
    for code in [*labels, *extra_alt]:
        if not code.startswith("__"):
            _alpha2(cctx.at(countries), code, iso, "labels/alt key")

    sctx = _Ctx("states.yaml")
    details: dict[str, dict[str, Any]] = {}
    for item in _mapping_list(sctx, states, "states"):
        ctx = sctx.at(item)
        code = _alpha2(ctx, _text(ctx, item, "iso"), iso, "iso")
        if code in details:
            raise ctx.error(f"state {code} is listed twice")
        details[code] = item

    out: list[StateInfo] = []
    slugs: dict[str, str] = {}
    for code in sorted(iso):
        c = iso[code]
        name = str(c.name)
        common = getattr(c, "common_name", None)
        official = getattr(c, "official_name", None)
        override = labels.get(code)
        if override is not None and not isinstance(override, str):
            raise cctx.at(countries).error(f"label of {code} must be a string")
        label = override or (str(common) if common else name)
        alt_extra = extra_alt.get(code, [])
        if isinstance(alt_extra, str):
            alt_extra = [alt_extra]
        if not isinstance(alt_extra, list) or not all(isinstance(a, str) for a in alt_extra):
            raise cctx.at(countries).error(f"alt of {code} must be a list of strings")
        item = details.get(code, {})
        ctx = sctx.at(item) if item else sctx
        alt = _merge(
            [name],
            [str(official)] if official else [],
            [str(common)] if common else [],
            alt_extra,
            _texts(ctx, item, "alt"),
            exclude=[label],
        )
        variants = _merge(_texts(ctx, item, "variants"), exclude=[label, *alt])
        slug = slugify(label)
        if slug in slugs:
            raise cctx.error(f"states {slugs[slug]} and {code} would share the IRI slug {slug!r}")
        slugs[slug] = code
        capital = _text(ctx, item, "capital", required=False)
        out.append(
            StateInfo(
                alpha2=code,
                alpha3=str(c.alpha_3),
                numeric=str(c.numeric),
                label=label,
                alt=alt,
                variants=variants,
                adjectives=_texts(ctx, item, "adjectives"),
                demonyms=_texts(ctx, item, "demonyms"),
                qid=_qid(ctx, item) if item else None,
                capital=capital,
                regions=_texts(ctx, item, "regions"),
                sources=_urls(ctx, item, "sources"),
            )
        )
    return out, iso_source


def _load_places(data: Mapping[str, Any], states: Mapping[str, StateInfo]) -> list[PlaceInfo]:
    pctx = _Ctx("places.yaml")
    out: list[PlaceInfo] = []
    keys: set[str] = set()
    for section, is_region in (("regions", True), ("places", False)):
        for item in _mapping_list(pctx, data, section):
            ctx = pctx.at(item)
            key = _req(ctx, item, "key")
            if not _KEY.match(key):
                raise ctx.error(f"key must be a lower-case slug, not {key!r}")
            if key in keys:
                raise ctx.error(f"place key {key!r} is listed twice")
            keys.add(key)
            label = _req(ctx, item, "label")
            alt = _merge(_texts(ctx, item, "alt"), exclude=[label])
            hidden = _merge(
                _texts(ctx, item, "variants"),
                _texts(ctx, item, "adjectives"),
                _texts(ctx, item, "demonyms"),
                exclude=[label, *alt],
            )
            capital_of = located_in = None
            if not is_region and item.get("capital_of") is not None:
                capital_of = _alpha2(ctx, _text(ctx, item, "capital_of"), states, "capital_of")
            if not is_region and item.get("located_in") is not None:
                if capital_of is not None:
                    raise ctx.error("a capital lies in its state: give capital_of or located_in")
                located_in = _alpha2(ctx, _text(ctx, item, "located_in"), states, "located_in")
            source = _text(ctx, item, "source", required=False)
            out.append(
                PlaceInfo(
                    key=key,
                    label=label,
                    is_region=is_region,
                    alt=alt,
                    hidden=hidden,
                    capital_of=capital_of,
                    located_in=located_in,
                    source=_url(ctx, source, "source") if source else None,
                )
            )
    return out


def _load_orgs(data: Mapping[str, Any]) -> list[OrgInfo]:
    octx = _Ctx("organizations.yaml")
    out: list[OrgInfo] = []
    keys: set[str] = set()
    for item in _mapping_list(octx, data, "organizations"):
        ctx = octx.at(item)
        key = _req(ctx, item, "key")
        if not _KEY.match(key):
            raise ctx.error(f"key must be a lower-case slug, not {key!r}")
        if key in keys:
            raise ctx.error(f"organization key {key!r} is listed twice")
        keys.add(key)
        label = _req(ctx, item, "label")
        acronym = _text(ctx, item, "acronym", required=False)
        alt = _merge(_texts(ctx, item, "alt"), exclude=[label, *([acronym] if acronym else [])])
        variants = _merge(_texts(ctx, item, "variants"), exclude=[label, *alt])
        sources = _urls(ctx, item, "sources")
        if not sources:
            raise ctx.error(f"organization {key!r} has no sources")
        out.append(
            OrgInfo(
                key=key,
                label=label,
                acronym=acronym,
                alt=alt,
                variants=variants,
                qid=_qid(ctx, item),
                founded=_when(ctx, item.get("founded"), "founded"),
                sources=sources,
            )
        )
    return out


def _load_persons(data: Mapping[str, Any], states: Mapping[str, StateInfo]) -> list[PersonInfo]:
    sctx = _Ctx("states.yaml")
    out: list[PersonInfo] = []
    names: set[str] = set()
    for item in _mapping_list(sctx, data, "leaders"):
        ctx = sctx.at(item)
        name = _req(ctx, item, "name")
        if slugify(name) in names:
            raise ctx.error(f"leader {name!r} is listed twice")
        names.add(slugify(name))
        given = _req(ctx, item, "given")
        family = _req(ctx, item, "family")
        if name not in (f"{given} {family}", f"{family} {given}"):
            raise ctx.error(f"'given' and 'family' must make up the name {name!r}")
        source = _text(ctx, item, "source", required=False)
        out.append(
            PersonInfo(
                name=name,
                given=given,
                family=family,
                state=_alpha2(ctx, _text(ctx, item, "state"), states, "state"),
                title=_req(ctx, item, "title"),
                term=_text(ctx, item, "term", required=False),
                variants=_merge(_texts(ctx, item, "variants"), exclude=[name]),
                qid=_qid(ctx, item),
                source=_url(ctx, source, "source") if source else None,
            )
        )
    return out


def _load_memberships(
    data: Mapping[str, Any], states: Mapping[str, StateInfo], orgs: Mapping[str, OrgInfo]
) -> list[MembershipRow]:
    mctx = _Ctx("memberships.yaml")
    roles = [c.key for c in vocabulary("role")]  # the ontology's org:Role individuals
    out: list[MembershipRow] = []
    seen: set[tuple[str, str, str, str]] = set()
    for group in _mapping_list(mctx, data, "memberships"):
        gctx = mctx.at(group)
        org = _req(gctx, group, "org")
        if org not in orgs:
            raise gctx.error(f"unknown organization {org!r} (not in organizations.yaml)", "org")
        default_source = _text(gctx, group, "source", required=False)
        for row in _mapping_list(gctx, group, "rows"):
            ctx = mctx.at(row)
            member = _alpha2(ctx, _text(ctx, row, "member"), states, "member")
            role = _req(ctx, row, "role")
            if role not in roles:
                raise ctx.error(f"unknown role {role!r} (one of {', '.join(roles)})", "role")
            start = _when(ctx, row.get("start"), "start")
            end = _when(ctx, row.get("end"), "end")
            if start is not None and end is not None and end.value < start.value[: len(end.value)]:
                raise ctx.error(f"ends ({end.value}) before it starts ({start.value})")
            source = _text(ctx, row, "source", required=False) or default_source
            if source is None:
                raise ctx.error(
                    "membership has no source (give one on the row or its organization)"
                )
            key = (member, org, role, start.year if start else "")
            if key in seen:
                raise ctx.error(f"duplicate membership {member} {org} {role} {key[3]}")
            seen.add(key)
            out.append(MembershipRow(member, org, role, start, end, _url(ctx, source)))
    return out


def load_reference_data(texts: Mapping[str, str] | None = None) -> ReferenceData:
    """Read and validate the reference data; `texts` replaces files by name (for tests).

    Invalid data raises :class:`~cakg.errors.InputError` naming the file and line.
    """
    if texts is None:
        return _default_data()
    return _load(texts)


@lru_cache(maxsize=1)
def _default_data() -> ReferenceData:
    return _load(None)


def _load(texts: Mapping[str, str] | None) -> ReferenceData:
    parsed = {name: _parse(name, _read_text(name, texts)) for name in DATA_FILES}
    states, iso_source = _load_states(parsed["countries.yaml"], parsed["states.yaml"])
    by_alpha2 = {s.alpha2: s for s in states}
    places = _load_places(parsed["places.yaml"], by_alpha2)
    place_keys = {p.key: p for p in places}
    sctx = _Ctx("states.yaml")
    for item in _mapping_list(sctx, parsed["states.yaml"], "states"):
        ctx = sctx.at(item)
        capital = _text(ctx, item, "capital", required=False)
        if capital is not None and (capital not in place_keys or place_keys[capital].is_region):
            raise ctx.error(f"capital {capital!r} is not a place in places.yaml", "capital")
        for region in _texts(ctx, item, "regions"):
            if region not in place_keys or not place_keys[region].is_region:
                raise ctx.error(f"region {region!r} is not a region in places.yaml", "regions")
    orgs = _load_orgs(parsed["organizations.yaml"])
    persons = _load_persons(parsed["states.yaml"], by_alpha2)
    memberships = _load_memberships(parsed["memberships.yaml"], by_alpha2, {o.key: o for o in orgs})
    return ReferenceData(
        states=tuple(states),
        places=tuple(places),
        organizations=tuple(orgs),
        persons=tuple(persons),
        memberships=tuple(memberships),
        iso_source=iso_source,
        by_alpha2=by_alpha2,
    )


# --- the graph ------------------------------------------------------------------------------


@lru_cache(maxsize=8)
def _cached_triples(base: str) -> tuple[Triple, ...]:
    return tuple(reference_triples(Minter(base), load_reference_data()))


def reference_graph(minter: Minter) -> Graph:
    """The reference graph under the minter's base: a fresh Graph, built once per base."""
    g = Graph()
    bind_prefixes(g)
    for t in _cached_triples(minter.base):
        g.add(t)
    return g
