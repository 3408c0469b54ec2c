"""Find the reference graph's states, organizations, leaders and places in text.

An Aho–Corasick automaton over every name form the reference graph knows
(labels, alternative and hidden labels, acronyms, adjectives, demonyms,
capitals, leaders' names with titles and initials) finds whole-word matches;
overlapping ones are resolved leftmost-longest.

>>> from cakg.graph.namespaces import Minter
>>> gz = Gazetteer.default(Minter("https://example.org/kg/"))
>>> [(m.surface, m.kind, m.via) for m in gz.find("Uzbek-Kazakh ties and Russia’s role")]
[('Uzbek', 'state', 'adjective'), ('Kazakh', 'state', 'adjective'), ('Russia', 'state', 'name')]

Rules:

- Whole words only: the characters around a match are not letters or digits, so a
  hyphen, an apostrophe ("Russia’s"), a quote or punctuation ends a word.
- Leftmost-longest: "Republic of Tajikistan" beats "Tajikistan", "Eurasian Customs
  Union" beats "Customs Union" and "Eurasian".
- Case: names match as written, and in capitals ("KAZAKHSTAN") when they have at
  least four letters; acronyms and short abbreviations (up to four letters: "US",
  "RK", "UN") only as written, and not in a line written all in capitals when the
  abbreviation is also an English word ("US").
- ``via`` says how the match was made: ``name`` (rdfs:label), ``alt``
  (skos:altLabel), ``acronym`` (cakg:acronym, or an all-capitals alternative
  name), ``variant`` (skos:hiddenLabel: a spelling variant), ``adjective`` /
  ``demonym`` (a state's, or a region's hidden label formed from its name:
  "Central Asian"), ``capital`` (the state whose capital is named), ``leader``
  (a leader's family name, with a title or initials: "President Tokayev",
  "G. Berdymukhamedov").
- A name form that belongs to two entities is dropped, except that a form shared
  only by leaders of one state (a family name: "Berdimuhamedov") matches that
  state, with ``via="leader"``.
- Names inside longer names are not suppressed here ("Kazakh" in "Kazakh-German
  University"): the caller sees the matches and decides.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

import ahocorasick  # type: ignore[import-not-found, unused-ignore]
from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from cakg.graph.namespaces import CAKG, RDF, RDFS, SCHEMA, SKOS, Minter

__all__ = ["Gazetteer", "Match", "normalize"]


@dataclass(frozen=True)
class Match:
    """One name found in text: ``text[start:end] == surface``."""

    start: int
    end: int
    surface: str
    # the state/org/person/place matched; for a capital or adjective/demonym: the state
    iri: URIRef
    # "state" | "organization" | "person" | "place" | "region"
    kind: str
    # "name" | "alt" | "acronym" | "adjective" | "demonym" | "capital" | "leader" | "variant"
    via: str
    # for leaders: the state they head; for capitals: the state; for other cities: the
    # state they lie in
    state: URIRef | None = None


@dataclass(frozen=True)
class _Entry:
    iri: URIRef
    kind: str
    via: str
    state: URIRef | None
    exact: bool  # matched only in the case written (acronyms, short abbreviations)


# How strongly a name form points at its entity: a label beats an alternative name,
# which beats a derived form. Used when two entities claim the same form.
_VIA_RANK = {
    "name": 0,
    "acronym": 1,
    "alt": 2,
    "capital": 3,
    "adjective": 4,
    "demonym": 4,
    "leader": 5,
    "variant": 6,
}

# One character for one character, so offsets into the normalized text are offsets
# into the original: dashes to "-", apostrophes to "'", quotes to '"', spaces to " ".
_CHAR_MAP = {
    **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d", "-"),
    **dict.fromkeys("\u2018\u2019\u201a\u201b\u02bc\u02b9\u2032\u00b4`\uff07", "'"),
    **dict.fromkeys("\u201c\u201d\u201e\u201f\u00ab\u00bb\u2033\uff02", '"'),
    **dict.fromkeys("\n\r\t\f\v\u00a0\u2007\u202f\u2009\u200a\u2002\u2003\u3000", " "),
}
_TRANS = str.maketrans(_CHAR_MAP)

# Abbreviations that are also English words: not matched in all-capitals lines.
_WORDLIKE = frozenset({"US", "IT", "IS", "AS", "AT", "IN", "ON", "OR", "NO", "AM", "ME", "WE"})

_ORDINAL_TITLES = ("First", "Former", "Acting", "Interim")

_NAME_PROPS = (("name", RDFS.label), ("alt", SKOS.altLabel), ("variant", SKOS.hiddenLabel))


def normalize(text: str) -> str:
    """Map dashes, apostrophes, quotes and spaces to one form each, keeping every offset.

    >>> normalize("Russia’s “CSTO”\\u00a0role")
    'Russia\\'s "CSTO" role'
    """
    return text.translate(_TRANS)


def _key(form: str) -> str:
    return " ".join(normalize(form).split())


def _fold(text: str) -> str:
    """The form without accents ("Erdoğan" -> "Erdogan"), or the same text."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _letters(text: str) -> int:
    return sum(ch.isalpha() for ch in text)


def _is_abbreviation(form: str) -> bool:
    """An acronym or short abbreviation: matched only in the case written ("US", "RK", "EaEU")."""
    compact = form.replace(".", "").replace(" ", "")
    if _letters(compact) <= 4:
        return True
    return compact.isupper() and compact.isalpha() and len(compact) <= 6


def _all_caps_form(form: str) -> bool:
    compact = form.replace(".", "").replace(" ", "").replace("-", "")
    return compact.isalpha() and compact.isupper()


def _initials(given: str) -> list[str]:
    """Initials of a given name: "Kassym-Jomart" -> "K.", "K.-J.", "K.J."."""
    words = [w for w in re.split(r"[\s-]+", given) if w]
    if not words:
        return []
    heads = [f"{w[0]}." for w in words]
    out = [heads[0]]
    if len(words) > 1:
        out.append("".join(heads))
        out.append("-".join(heads) if "-" in given else " ".join(heads))
    return list(dict.fromkeys(out))


def _titles(job_title: str) -> list[str]:
    """The words of a title used before a name: "First President of Kazakhstan" -> ["First
    President", "President"], "Prime Minister of India" -> ["Prime Minister"]."""
    head = job_title.split(" of ")[0].strip()
    out = [head]
    first, _, rest = head.partition(" ")
    if first in _ORDINAL_TITLES and rest:
        out.append(rest)
    return out


class Gazetteer:
    """Finds reference entities in text (see the module's rules)."""

    def __init__(self, entries: dict[str, _Entry]) -> None:
        self._entries = entries
        self._automaton = ahocorasick.Automaton()
        for key in sorted(entries):
            self._automaton.add_word(key, key)
        if entries:
            self._automaton.make_automaton()

    def __len__(self) -> int:
        """The number of name forms (keys) the automaton matches."""
        return len(self._entries)

    def forms(self) -> dict[str, tuple[URIRef, str, str]]:
        """Every name form with what it matches: form -> (iri, kind, via)."""
        return {k: (e.iri, e.kind, e.via) for k, e in sorted(self._entries.items())}

    @classmethod
    def from_graph(cls, reference: Graph) -> Gazetteer:
        """A gazetteer of the states, organizations, places and leaders in a reference graph."""
        builder = _Builder()
        builder.read(reference)
        return cls(builder.resolve())

    @classmethod
    def default(cls, minter: Minter) -> Gazetteer:
        """The gazetteer of the bundled reference data under the minter's base (built once)."""
        return _default(minter.base)

    def find(self, text: str, start: int = 0, end: int | None = None) -> list[Match]:
        """Whole-word matches in ``text[start:end]``, sorted, non-overlapping, leftmost-longest.

        Offsets are into ``text``; the characters just outside the window count as
        word boundaries too.
        """
        stop = len(text) if end is None else min(end, len(text))
        begin = max(0, start)
        if begin >= stop or not self._entries:
            return []
        window = normalize(text[begin:stop])
        candidates: list[tuple[int, int, str]] = []
        for last, key in self._automaton.iter(window):
            s = begin + last - len(key) + 1
            e = begin + last + 1
            if not _boundary(text, s, e):
                continue
            entry = self._entries[key]
            if entry.exact and key in _WORDLIKE and _in_caps_line(text, s, e):
                continue
            candidates.append((s, e, key))
        candidates.sort(key=lambda c: (c[0], -(c[1] - c[0])))
        out: list[Match] = []
        covered = begin
        for s, e, key in candidates:
            if s < covered:
                continue
            entry = self._entries[key]
            out.append(Match(s, e, text[s:e], entry.iri, entry.kind, entry.via, entry.state))
            covered = e
        return out


def _boundary(text: str, start: int, end: int) -> bool:
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    return not (before.isalnum() or before == "_") and not (after.isalnum() or after == "_")


def _in_caps_line(text: str, start: int, end: int) -> bool:
    """True where the line around [start, end) has letters, none of them lower-case."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line = text[line_start : len(text) if line_end < 0 else line_end]
    letters = [ch for ch in line if ch.isalpha()]
    return len(letters) > end - start and not any(ch.islower() for ch in letters)


@lru_cache(maxsize=8)
def _default(base: str) -> Gazetteer:
    from cakg.graph.entities.reference import reference_graph

    return Gazetteer.from_graph(reference_graph(Minter(base)))


class _Builder:
    """Collects name forms from a reference graph and resolves forms claimed twice."""

    def __init__(self) -> None:
        self.claims: dict[str, dict[URIRef, _Entry]] = {}
        self.leader_states: dict[str, set[URIRef]] = {}

    def add(self, form: str, entry: _Entry, *, plural: bool = False) -> None:
        base = _key(form)
        if not base or _letters(base) == 0:
            return
        exact = _is_abbreviation(base)
        forms = [base]
        folded = _fold(base)
        if folded != base:
            forms.append(folded)
        if plural and not exact and not base.endswith("s"):
            forms += [f"{f}s" for f in list(forms)]
        variants: list[str] = []
        for f in forms:
            variants.append(f)
            if exact:
                continue
            if f[0].islower():
                variants.append(f[0].upper() + f[1:])
            if _letters(f) >= 4 and any(ch.islower() for ch in f):
                variants.append(f.upper())
        via = entry.via
        if via in ("alt", "variant") and exact and _all_caps_form(base):
            via = "acronym"
        final = _Entry(entry.iri, entry.kind, via, entry.state, exact)
        for v in variants:
            self._claim(v, final)

    def _claim(self, key: str, entry: _Entry) -> None:
        claims = self.claims.setdefault(key, {})
        old = claims.get(entry.iri)
        if old is None or _VIA_RANK[entry.via] < _VIA_RANK[old.via]:
            claims[entry.iri] = entry

    def resolve(self) -> dict[str, _Entry]:
        out: dict[str, _Entry] = {}
        for key, claims in self.claims.items():
            best = min(_VIA_RANK[e.via] for e in claims.values())
            top = [e for e in claims.values() if _VIA_RANK[e.via] == best]
            if len(top) == 1:
                out[key] = top[0]
                continue
            states = {e.state for e in top}
            if all(e.kind == "person" for e in top) and len(states) == 1:
                state = next(iter(states))
                if state is not None:
                    out[key] = _Entry(state, "state", "leader", state, top[0].exact)
            # otherwise ambiguous between entities: left out
        return out

    # --- reading the graph ------------------------------------------------------------------

    def read(self, g: Graph) -> None:
        capitals: dict[URIRef, URIRef] = {}
        for state, place in g.subject_objects(CAKG.capital):
            if isinstance(state, URIRef) and isinstance(place, URIRef):
                capitals[place] = state
        for s in sorted(_subjects(g, CAKG.State)):
            self._read_state(g, s)
        for o in sorted(_subjects(g, CAKG.InternationalOrganization)):
            self._read_org(g, o)
        regions = set(_subjects(g, CAKG.Region))
        for r in sorted(regions):
            self._read_region(g, r)
        states = set(_subjects(g, CAKG.State))
        for p in sorted(_subjects(g, CAKG.Place)):
            if p in regions or p in states:
                continue
            # A city that is not a capital keeps the state it lies in beside its match:
            # it never counts as a mention of that state, but it tells where an
            # institution is ("an institute in Almaty" -> Kazakhstan).
            within = next((s for s in g.objects(p, SCHEMA.containedInPlace) if s in states), None)
            self._read_place(g, p, capitals.get(p), within if isinstance(within, URIRef) else None)
        for person in sorted(_subjects(g, CAKG.Person)):
            self._read_person(g, person)

    def _read_state(self, g: Graph, s: URIRef) -> None:
        for via, prop in (
            ("name", RDFS.label),
            ("alt", SKOS.altLabel),
            ("variant", SKOS.hiddenLabel),
            ("adjective", CAKG.adjective),
            ("demonym", CAKG.demonym),
        ):
            for form in _texts(g, s, prop):
                self.add(form, _Entry(s, "state", via, None, False))

    def _read_org(self, g: Graph, o: URIRef) -> None:
        acronyms = set(_texts(g, o, CAKG.acronym))
        for form in acronyms:
            self.add(form, _Entry(o, "organization", "acronym", None, True))
        for via, prop in (
            ("name", RDFS.label),
            ("alt", SKOS.altLabel),
            ("variant", SKOS.hiddenLabel),
        ):
            for form in _texts(g, o, prop):
                if form in acronyms:
                    continue
                self.add(form, _Entry(o, "organization", via, None, False), plural=True)

    def _read_region(self, g: Graph, r: URIRef) -> None:
        names = _texts(g, r, RDFS.label) + _texts(g, r, SKOS.altLabel)
        for form in _texts(g, r, RDFS.label):
            self.add(form, _Entry(r, "region", "name", None, False))
        for form in _texts(g, r, SKOS.altLabel):
            self.add(form, _Entry(r, "region", "alt", None, False))
        for form in _texts(g, r, SKOS.hiddenLabel):
            via = "variant"
            stem = next((n for n in names if form.startswith(n) and len(form) > len(n)), None)
            if stem is None:
                # "Transcaucasian" from "Transcaucasia", "South Caucasian" from "South Caucasus"
                stem = next((n for n in names if _shares_stem(form, n)), None)
            if stem is not None:
                via = "demonym" if form.endswith("s") and not stem.endswith("s") else "adjective"
            self.add(form, _Entry(r, "region", via, None, False))

    def _read_place(
        self, g: Graph, p: URIRef, state: URIRef | None, within: URIRef | None = None
    ) -> None:
        for via, prop in (
            ("name", RDFS.label),
            ("alt", SKOS.altLabel),
            ("variant", SKOS.hiddenLabel),
        ):
            for form in _texts(g, p, prop):
                if state is not None:
                    self.add(form, _Entry(state, "state", "capital", state, False))
                else:
                    self.add(form, _Entry(p, "place", via, within, False))

    def _read_person(self, g: Graph, p: URIRef) -> None:
        state = next((o for o in g.objects(p, CAKG.headOfState) if isinstance(o, URIRef)), None)
        labels = _texts(g, p, RDFS.label) or _texts(g, p, SCHEMA.name)
        if not labels:
            return
        label = labels[0]
        family = next(iter(_texts(g, p, SCHEMA.familyName)), None)
        given = next(iter(_texts(g, p, SCHEMA.givenName)), None)
        hidden = _texts(g, p, SKOS.hiddenLabel)
        full_variants = [h for h in hidden if len(h.split()) > 1]
        families = [family] if family else []
        families += [h for h in hidden if len(h.split()) == 1 and h not in families]
        family_first = bool(family and given and label == f"{family} {given}")
        givens = [given] if given else []
        for h in [label, *full_variants]:
            for f in families:
                if not family_first and h.endswith(f" {f}"):
                    g_part = h[: -len(f) - 1]
                    if g_part and g_part not in givens:
                        givens.append(g_part)

        def entry(via: str) -> _Entry:
            return _Entry(p, "person", via, state, False)

        self.add(label, entry("name"))
        for v in full_variants:
            self.add(v, entry("variant"))
        short: list[str] = list(families)
        if not family_first:
            for gv in givens:
                for ini in _initials(gv):
                    for f in families:
                        short += [f"{ini} {f}", f"{ini}{f}"]
        for form in short:
            self.add(form, entry("leader"))
        titles: list[str] = []
        for job in _texts(g, p, SCHEMA.jobTitle) + _texts(g, p, CAKG.jobTitle):
            for t in _titles(job):
                titles += [t, t[0].lower() + t[1:]]
        for t in dict.fromkeys(titles):
            for form in [*short, label, *full_variants]:
                self.add(f"{t} {form}", entry("leader"))


def _shares_stem(form: str, name: str) -> bool:
    """True where the form's last word extends the stem of the name's last word."""
    fw, nw = form.split(), name.split()
    if len(fw) != len(nw) or fw[:-1] != nw[:-1]:
        return False
    a, b = fw[-1], nw[-1]
    common = len(_common_prefix(a, b))
    return common >= 5 and len(a) > common


def _common_prefix(a: str, b: str) -> str:
    out = []
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        out.append(x)
    return "".join(out)


def _subjects(g: Graph, cls: URIRef) -> Iterator[URIRef]:
    for s in g.subjects(RDF.type, cls):
        if isinstance(s, URIRef):
            yield s


def _texts(g: Graph, s: Node, prop: URIRef) -> list[str]:
    out: list[str] = []
    for o in g.objects(s, prop):
        if isinstance(o, Literal) and (o.language in (None, "en") or o.language.startswith("en")):
            text = " ".join(str(o).split())
            if text and text not in out:
                out.append(text)
    return sorted(out)
