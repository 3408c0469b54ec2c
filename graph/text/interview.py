"""Interviews: experts introduced in a sentence of prose, not in a header line.

"Our guest this week, Jane Doe, heads the energy programme of an institute in Almaty";
"John Roe (Kazakhstan), who teaches at …, sees it differently". A person is introduced
where their name stands in apposition (between commas, or followed by a parenthesis or
"is/a/an/who …") and the paragraph names a state — by name, demonym or capital, as the
gazetteer finds them. The country is the state named nearest after the name.

>>> text = "Our guest this week, Jane Doe, is an economist in Kazakhstan."
>>> introduced(text, [(text.index("Kazakhstan"), len(text) - 1, "Kazakhstan")])
[('Jane Doe', 'Kazakhstan')]
>>> text = "Jane Doe said it in Kazakhstan."
>>> introduced(text, [(text.index("Kazakhstan"), len(text) - 1, "Kazakhstan")])
[]
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from cakg.graph.text.headers import ROLE_NOUNS, looks_like_name, names_a_body

__all__ = ["introduced", "named", "role_in"]

# A run of capitalized words with the particles and marks of regional names.
_CANDIDATE = re.compile(
    r"(?<![\w’'])(?:[A-ZÀ-ÖØ-ÞĀ-ſ][\w'’ʻʼ‘\-]*|[A-Z]\.)"
    r"(?:\s+(?:[A-ZÀ-ÖØ-ÞĀ-ſ][\w'’ʻʼ‘\-]*|[A-Z]\.|uulu|kyzy|ogly|oglu|qizi|gyzy|de|van|von|al-\w+))+"
)
# What makes a name an introduction, right after it: a parenthesis (a country), or an
# apposition or predicate that says who the person is.
_APPOSITION = re.compile(
    r"^\s*(?:\(|,\s+(?:is|was|a|an|the|who|whose|head|heads|teaches|works|leads|directs|chairs|"
    r"runs|has|from|of)\b|\s+(?:is|heads|teaches|works|leads|directs|chairs|runs)\s"
    # or a role in apposition ("Jane Doe, director of the security programme at ...")
    rf"|,\s+(?:(?:senior|chief|deputy|associate|assistant|lead|executive|founding)\s+)?"
    rf"(?:{ROLE_NOUNS})\b)"
)


# The end of a longer capitalized name ("Institute of | Migration Studies").
_INSIDE_A_NAME = re.compile(r"[A-Z][\w'’\-]*\s+(?:of|for|the|&|de|on)\s+$")
# Capitalized words that open a sentence or a phrase, never a name's first word.
_OPENERS = frozenset({"the", "our", "this", "a", "an", "in", "on", "at", "for", "and", "but"})


def _people(
    paragraph: str, states: Sequence[tuple[int, int, str]], known: Sequence[str]
) -> list[tuple[str, int, int]]:
    """Every run of the paragraph written as a person's name: (name, start, end)."""
    people: list[tuple[str, int, int]] = []
    for m in _CANDIDATE.finditer(paragraph):
        name = _trim(m.group(0))
        start, end = m.end() - len(name), m.end()
        if (
            looks_like_name(name)
            and not names_a_body(name)
            and name not in known
            and not any(s < end and e > start for s, e, _ in states)
            and not _INSIDE_A_NAME.search(paragraph[:start])
        ):
            people.append((name, start, end))
    return people


def named(paragraph: str, known: Sequence[str] = ()) -> list[str]:
    """The people a paragraph names, introduced or not ("Our guests, A and B, disagree").

    >>> named("Our guests, Aida Ermekova and Rustam Safarov, disagree.")
    ['Aida Ermekova', 'Rustam Safarov']
    """
    return list(dict.fromkeys(name for name, _, _ in _people(paragraph, [], known)))


def introduced(
    paragraph: str, states: Sequence[tuple[int, int, str]], known: Sequence[str] = ()
) -> list[tuple[str, str]]:
    """(name, country) of each person the paragraph introduces, in order of appearance.

    `states` are the spans of the paragraph that name a state (and which state); `known`
    are people the reference data knows (leaders), who are talked about, not interviewed.
    """
    if not states:
        return []
    people = _people(paragraph, states, known)
    found: list[tuple[str, str]] = []
    introduces = False  # the run of names joined by "and" ends in an apposition
    for k in range(len(people) - 1, -1, -1):
        name, start, end = people[k]
        joined = k + 1 < len(people) and re.fullmatch(
            r"\s+(?:and|&)\s+", paragraph[end : people[k + 1][1]]
        )
        introduces = bool(_APPOSITION.match(paragraph[end:])) or (bool(joined) and introduces)
        if not introduces:
            continue
        after = [c for s, _, c in states if s >= end]
        before = [c for _, e, c in states if e <= start]
        if name not in (n for n, _ in found):
            found.append((name, after[0] if after else before[-1]))
    return found[::-1]


def _trim(name: str) -> str:
    """The name without a sentence's first word glued to it ("Finally Jane Doe")."""
    words = name.split()
    while len(words) > 2 and (words[0].lower() in _OPENERS or not looks_like_name(" ".join(words))):
        words = words[1:]
    return " ".join(words)


_CLAUSE_END = re.compile(r"[,;]\s|\.\s|\.$|\s(?:who|which|whose|and has|sees|says)\s")
_LEAD_WORDS = re.compile(r"^(?:(?:is|was|now|currently|an?|the)\s+)+")
_AT = re.compile(r"\s+(?:at|with|of|from)\s+(?:the\s+)?(?=[A-Z])")
_CAPITALIZED = re.compile(r"^[A-Z][\w&'’\-]*(?:\s+(?:[A-Z][\w&'’\-]*|of|and|for|on|the|&))*$")


def role_in(
    paragraph: str, name: str, states: Sequence[tuple[int, int, str]]
) -> tuple[str | None, str | None]:
    """(role, affiliation) from the apposition after an introduced name, where it gives them.

    >>> role_in("Jane Doe, an economist at the Steppe Institute, agrees.", "Jane Doe", [])
    ('economist', 'Steppe Institute')
    """
    start = paragraph.find(name)
    if start < 0:
        return None, None
    at = start + len(name)
    # Only an apposition or "is/was" says what the person is ("runs a firm" is no role).
    skip = re.match(r"\s*(?:\([^)]*\))?(?:\s*,\s*|\s+(?=(?:is|was)\s))", paragraph[at:])
    if skip is None:
        return None, None
    at += skip.end()
    end_match = _CLAUSE_END.search(paragraph, at)
    end = end_match.start() if end_match else len(paragraph)
    lead = _LEAD_WORDS.match(paragraph[at:end])
    at += lead.end() if lead else 0
    for s, e, _ in states:
        if s == at:  # a demonym is the country, not the role ("an Uzbek demographer")
            at = e + 1
        elif at < s < end:
            place = re.search(r"\s(?:in|from)\s+$", paragraph[at:s])  # "... in Bishkek"
            if place:
                end = min(end, at + place.start())
    clause = " ".join(paragraph[at:end].split())
    if not clause or not clause[0].islower():
        return None, None
    for m in _AT.finditer(clause):
        org = clause[m.end() :]
        if _CAPITALIZED.match(org):
            return clause[: m.start()] or None, org
    return clause, None
