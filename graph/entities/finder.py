"""Entities the reference data does not know: persons, organizations, agreements, events.

They are found by the shape of the text around them (a title before a name, an
organization word in a capitalized phrase, "Treaty of …", "the events in <State>"),
anchored on what the gazetteer did find, and become nodes marked as not linked.

>>> ents = find_entities("the poet Daniyar Omarov was arrested", [])
>>> [(e.kind, e.label) for e in ents]
[('person', 'Daniyar Omarov')]
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol, TypeVar

from rdflib import URIRef

__all__ = ["Entity", "GazetteerMatch", "find_entities", "suppressed"]


class GazetteerMatch(Protocol):
    """What this module needs of a gazetteer match (see cakg.graph.entities.gazetteer.Match)."""

    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...
    @property
    def iri(self) -> URIRef: ...
    @property
    def kind(self) -> str: ...
    @property
    def via(self) -> str: ...
    @property
    def surface(self) -> str: ...


M = TypeVar("M", bound=GazetteerMatch)


@dataclass(frozen=True)
class Entity:
    """An entity found in text but not in the reference data."""

    start: int
    end: int
    kind: str  # "person" | "organization" | "agreement" | "event"
    key: str  # what its IRI is minted from (stable across articles)
    label: str
    involves: tuple[URIRef, ...] = ()

    @property
    def surface_span(self) -> tuple[int, int]:
        return self.start, self.end


_CAP = r"[A-ZÀ-ÖØ-Þ][\w’'\-]*"
_MONTHS = (
    r"January|February|March|April|May|June|July|August|September|October|November|"
    r"December"
)

# Organization words that make a capitalized phrase an organization's name.
_ORG_HEADS = (
    r"University|Institute|Ministry|Council|Parliament|Assembly|Committee|Agency|Bureau|"
    r"Service|Party|Bank|Fund|Foundation|Academy|Cent(?:er|re)|Court|Commission|Government|"
    r"Senate|Mazhilis|Majilis|Kenesh|Majlis|Maslakhaty|Khural|Duma|Rada|Administration|"
    r"Office|Department|Guard|Army|Forces|Corporation|Company|Movement|Front"
)
_ORG_PHRASE = re.compile(
    rf"(?:{_CAP}\s+){{0,5}}(?:{_ORG_HEADS})\b"
    rf"(?:\s+(?:of|for|on)\s+(?:the\s+)?{_CAP}(?:\s+(?:and\s+)?{_CAP}){{0,4}})?"
)
# "… session of the Khalk Maslakhaty", "speaker of the Jogorku Kenesh": a body that meets.
_BODY_OF = re.compile(
    rf"\b(?:session|sessions|sitting|deputies|members|speaker|chairman|decree|resolution)\s+"
    rf"of\s+the\s+(?P<name>{_CAP}(?:\s+{_CAP}){{0,3}})"
)
_AGREEMENT = re.compile(
    r"\b(?P<name>(?:[Tt]reaty|[Dd]eclaration|[Aa]greement|[Cc]onvention|[Cc]harter|"
    r"[Mm]emorandum|[Pp]act|[Aa]ccord)\s+(?:on|of|for)\s+(?:the\s+)?"
    r"(?:[\w’'\-]+\s+){0,3}?"
    r"(?:[\w’']+-)?"
    r"(?:[Rr]elations|[Pp]artnership|[Cc]ooperation|[Ff]riendship|[Nn]eighbou?rliness|"
    r"[Aa]lliance|[Ss]ecurity|[Aa]ssistance|[Bb]order|[Tt]rade|[Dd]emarcation|[Pp]eace|"
    r"[Ii]nvestments?))\b"
)
_PERSON_TITLE = re.compile(
    r"\b(?:President|Prime Minister|Foreign Minister|Minister|Chairman|Speaker|Senator|"
    r"Ambassador|Mr\.|Ms\.|Mrs\.|Dr\.|Professor|musician|journalist|activist|blogger|poet|"
    r"singer|writer|businessman|leader|analyst|researcher|scholar|politician|General|"
    r"commander|Colonel|lawyer|director|editor|human rights defender)\s+"
    rf"(?P<name>(?:[A-Z]\.\s?)?{_CAP}(?:\s+{_CAP}){{0,2}})"
)
_EVENT_IN = re.compile(
    rf"\b(?:(?P<month>{_MONTHS})\s+(?:(?P<year>\d{{4}})\s+)?)?"
    r"(?P<kind>events|crisis|unrest|riots|protests|turmoil|uprising|tragedy|clashes|conflict|"
    r"war|coup)\s+(?:in|on)\s+(?:the\s+)?(?P<place>" + _CAP + r")"
)
_DEPLOYMENT = re.compile(
    rf"\b(?:(?:participation|deployment|introduction|involvement|intervention|presence|"
    rf"mission)\s+of\s+(?:the\s+)?)?(?P<org>{_CAP})\s+"
    r"(?P<what>forces|troops|peacekeepers|contingent|peacekeeping (?:operation|mission|forces)|"
    r"deployment|mission|operation)"
    rf"(?:\s+(?:in|to)\s+(?P<place>{_CAP}))?"
)
_SUMMIT = re.compile(
    rf"\b(?:(?P<org>{_CAP})\s+(?:summit|meeting|ministerial)|summit\s+of\s+(?:the\s+)?(?P<org2>{_CAP}))"
)

_EVENT_FAMILY = {
    "events": "events",
    "crisis": "events",
    "unrest": "events",
    "riots": "events",
    "protests": "events",
    "turmoil": "events",
    "uprising": "events",
    "tragedy": "events",
    "clashes": "clashes",
    "conflict": "clashes",
    "war": "war",
    "coup": "coup",
}
# Capitalized words that begin sentences or phrases and are never names.
_NOT_NAME = {
    "The",
    "This",
    "That",
    "These",
    "Those",
    "However",
    "Moreover",
    "In",
    "On",
    "At",
    "Of",
    "And",
    "But",
    "If",
    "As",
    "It",
    "Its",
    "His",
    "Her",
    "Their",
    "Our",
    "We",
    "I",
    "He",
    "She",
    "They",
    "Such",
    "Some",
    "Many",
    "All",
    "Both",
    "Each",
    "Only",
}


def _at(
    matches: Sequence[GazetteerMatch], start: int, kinds: tuple[str, ...]
) -> GazetteerMatch | None:
    for m in matches:
        if m.start == start and m.kind in kinds:
            return m
    return None


def _overlaps(
    start: int,
    end: int,
    matches: Sequence[GazetteerMatch],
    kinds: tuple[str, ...],
    vias: tuple[str, ...] | None = None,
) -> bool:
    return any(
        m.start < end and start < m.end and m.kind in kinds and (vias is None or m.via in vias)
        for m in matches
    )


def _title_case(text: str) -> str:
    """Title case for a name written in lower case ("treaty on good-neighbourliness")."""
    small = {"on", "of", "for", "the", "and", "in"}

    def cap(word: str) -> str:
        return "-".join(p[:1].upper() + p[1:] for p in word.split("-"))

    return " ".join(w if (i and w.lower() in small) else cap(w) for i, w in enumerate(text.split()))


def find_entities(
    text: str,
    matches: Sequence[GazetteerMatch],
    *,
    start: int = 0,
    end: int | None = None,
    year: str | None = None,
    labels: Mapping[URIRef, str] | None = None,
    dated: Collection[URIRef] = (),
) -> list[Entity]:
    """Unknown entities in text[start:end], not overlapping what the gazetteer matched.

    `labels` gives the reference label of matched IRIs, so that "the Kazakh crisis"
    and "the events in Kazakhstan" name their event after the state, not the word used.
    `year` (the article's) dates "the events in X" only for places in `dated` — those
    the article is about; "the events in Transcaucasia" in passing may be years older.
    """
    labels = labels or {}
    end = len(text) if end is None else end
    found: list[Entity] = []
    linked = ("state", "organization", "person", "place", "region")
    names = ("name", "alt", "acronym", "leader", "variant")

    def add(e: Entity) -> None:
        if any(o.start < e.end and e.start < o.end for o in found):
            return
        found.append(e)

    for m in _AGREEMENT.finditer(text, start, end):
        label = _title_case(m.group("name"))
        add(Entity(m.start("name"), m.end("name"), "agreement", label, label))

    for m in _DEPLOYMENT.finditer(text, start, end):
        org = _at(matches, m.start("org"), ("organization",))
        if org is None:
            continue
        place = _at(matches, m.start("place"), ("state",)) if m.group("place") else None
        where = f" in {labels.get(place.iri) or place.surface}" if place else ""
        key = f"{org.surface} deployment{where} {year or ''}".strip()
        label = f"{org.surface} deployment{where}" + (f" ({year})" if year else "")
        involves = (org.iri,) + ((place.iri,) if place else ())
        add(Entity(m.start(), m.end(), "event", key, label, involves))

    for m in _SUMMIT.finditer(text, start, end):
        group = "org" if m.group("org") else "org2"
        org = _at(matches, m.start(group), ("organization",))
        if org is None:
            continue
        label = f"{org.surface} summit" + (f" ({year})" if year else "")
        add(
            Entity(
                m.start(),
                m.end(),
                "event",
                f"{org.surface} summit {year or ''}".strip(),
                label,
                (org.iri,),
            )
        )

    for m in _EVENT_IN.finditer(text, start, end):
        place = _at(matches, m.start("place"), ("state", "place", "region"))
        if place is None:
            continue
        when = m.group("year") or (year if place.iri in dated else None)
        family = _EVENT_FAMILY[m.group("kind").lower()]
        where = labels.get(place.iri) or place.surface
        label = f"{family.capitalize()} in {where}" + (f" ({when})" if when else "")
        add(
            Entity(
                m.start(),
                m.end(),
                "event",
                f"{family} in {where} {when or ''}".strip(),
                label,
                (place.iri,),
            )
        )

    for m in _ORG_PHRASE.finditer(text, start, end):
        s, e = m.start(), m.end()
        phrase = m.group(0)
        # Leading sentence words ("However Ministry …") are not part of a name.
        while phrase.split(" ", 1)[0] in _NOT_NAME and " " in phrase:
            head = phrase.split(" ", 1)[0]
            s += len(head) + 1
            phrase = phrase[len(head) + 1 :]
        if _overlaps(s, e, matches, ("organization",)) or len(phrase) < 6:
            continue
        if _overlaps(s, e, matches, linked, names) and not re.search(_ORG_HEADS, phrase):
            continue
        add(Entity(s, e, "organization", phrase, phrase))

    for m in _BODY_OF.finditer(text, start, end):
        name = m.group("name")
        s, e = m.start("name"), m.end("name")
        if _overlaps(s, e, matches, linked) or name.split()[0] in _NOT_NAME:
            continue
        add(Entity(s, e, "organization", name, name))

    for m in _PERSON_TITLE.finditer(text, start, end):
        s, e = m.start("name"), m.end("name")
        name = m.group("name")
        if _overlaps(s, e, matches, linked) or name.split()[0] in _NOT_NAME:
            continue
        if re.search(_ORG_HEADS, name):
            continue
        add(Entity(s, e, "person", name, name))

    return sorted(found, key=lambda x: (x.start, x.end))


def suppressed(matches: Sequence[M], entities: Sequence[Entity]) -> list[M]:
    """Gazetteer matches minus adjectives inside an organization's name ("Tajik State University").

    An adjective that is part of a name ("Kazakh-German University") refers to the
    organization, not to the state; a state's own name ("… of Kazakhstan") still counts.
    """
    orgs = [e for e in entities if e.kind == "organization"]
    keep = []
    for m in matches:
        inside = any(o.start <= m.start and m.end <= o.end for o in orgs)
        if inside and m.via in ("adjective", "demonym"):
            continue
        keep.append(m)
    return keep
