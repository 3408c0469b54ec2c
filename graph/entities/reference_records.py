"""The reference data as typed records: what the YAML files say, once read and validated.

:mod:`cakg.graph.entities.reference` reads them, :mod:`cakg.graph.entities.reference_triples`
writes them as the reference graph.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from rdflib import Literal

from cakg.graph.namespaces import XSD

__all__ = [
    "MembershipRow",
    "OrgInfo",
    "PersonInfo",
    "PlaceInfo",
    "ReferenceData",
    "StateInfo",
    "When",
]


@dataclass(frozen=True)
class When:
    """A date (YYYY-MM-DD) or a year (YYYY), as written in the data."""

    value: str

    @property
    def is_year(self) -> bool:
        return len(self.value) == 4

    @property
    def year(self) -> str:
        return self.value[:4]

    def literal(self) -> Literal:
        return Literal(self.value, datatype=XSD.gYear if self.is_year else XSD.date)

    def sort_key(self) -> str:
        return self.value


@dataclass(frozen=True)
class StateInfo:
    """One ISO 3166-1 country, with the details states.yaml gives for some."""

    alpha2: str
    alpha3: str
    numeric: str
    label: str
    alt: tuple[str, ...] = ()
    variants: tuple[str, ...] = ()
    adjectives: tuple[str, ...] = ()
    demonyms: tuple[str, ...] = ()
    qid: str | None = None
    capital: str | None = None
    regions: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class PlaceInfo:
    """A region (cakg:Region) or a city (cakg:Place)."""

    key: str
    label: str
    is_region: bool
    alt: tuple[str, ...] = ()
    hidden: tuple[str, ...] = ()
    capital_of: str | None = None
    # the state (ISO alpha-2) a city that is not its capital lies in ("Almaty" -> KZ)
    located_in: str | None = None
    source: str | None = None


@dataclass(frozen=True)
class OrgInfo:
    """An international organization."""

    key: str
    label: str
    acronym: str | None = None
    alt: tuple[str, ...] = ()
    variants: tuple[str, ...] = ()
    qid: str | None = None
    founded: When | None = None
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class PersonInfo:
    """A head of state or government."""

    name: str
    given: str
    family: str
    state: str
    title: str
    term: str | None = None
    variants: tuple[str, ...] = ()
    qid: str | None = None
    source: str | None = None


@dataclass(frozen=True)
class MembershipRow:
    """One status of a state in an organization over one interval."""

    member: str
    org: str
    role: str
    start: When | None
    end: When | None
    source: str


@dataclass(frozen=True)
class ReferenceData:
    """Everything the reference graph is built from, validated."""

    states: tuple[StateInfo, ...]
    places: tuple[PlaceInfo, ...]
    organizations: tuple[OrgInfo, ...]
    persons: tuple[PersonInfo, ...]
    memberships: tuple[MembershipRow, ...]
    iso_source: str
    by_alpha2: Mapping[str, StateInfo] = field(default_factory=dict)
