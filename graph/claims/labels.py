"""Claim type, certainty and topics of one claim, each from a lexicon of phrases.

Which family of phrases wins is documented in the package docstring
(:mod:`cakg.graph.claims`); the phrases are in ``graph/data/lexicons/type.yaml``,
``certainty.yaml`` and ``topic.yaml``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

from cakg.graph.claims.cue import Basis, Cue
from cakg.graph.claims.lexicon import Lexicon, read_lexicon
from cakg.graph.claims.matching import is_month, keep_longest
from cakg.graph.vocabulary import lookup

__all__ = [
    "certainty",
    "claim_type",
    "read_certainty",
    "read_topics",
    "read_types",
    "topics",
]

# The concepts the precedence rules name, by their labels in the ontology; the readers
# below check that the ontology has them.
_RECOMMENDATION = "recommendation"
_PREDICTION = "prediction"
_ASSESSMENT = "assessment"
_OBSERVATION = "observation"
# Certainty levels from the weakest hedge up: the weakest present wins.
_LEVELS = (("low", Basis.HEDGE_LOW), ("medium", Basis.HEDGE_MEDIUM), ("high", Basis.BOOSTER_HIGH))
_HIGH = "high"


def _by_label(lex: Lexicon, kind: str, needed: tuple[str, ...]) -> dict[str, re.Pattern[str]]:
    """One whole-word alternation per concept of `kind`, keyed by the concept's label."""
    cues = lex.section("cues")
    found = {concept.label: cues.alternation(key) for concept, key in cues.concepts(kind)}
    cues.close()
    for label in needed:
        if label not in found:
            raise lex.error(f"the {kind} rules need the {kind} {label!r}, not in the ontology")
    return found


# --- claim type -----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Types:
    patterns: Mapping[str, re.Pattern[str]]  # claim type label -> its phrases
    imperatives: frozenset[str]
    past_reporting: frozenset[str]  # "feared", "knew": a "would" after them is future-in-past


def read_types(text: str | None = None) -> _Types:
    """The claim-type lexicon from ``type.yaml``, or from `text` in its place, checked."""
    lex = read_lexicon("type.yaml", text)
    needed = (_RECOMMENDATION, _PREDICTION, _ASSESSMENT, _OBSERVATION)
    types = _Types(
        _by_label(lex, "type", needed), lex.words("imperatives"), lex.words("past-reporting")
    )
    lex.close()
    return types


@cache
def _types() -> _Types:
    return read_types()


def _first_word(low: str) -> re.Match[str] | None:
    return re.match(r"[\s\"“«'(]*(\w+)", low)


def _search(
    pattern: re.Pattern[str], sentence: str, low: str, skip: frozenset[str] = frozenset()
) -> re.Match[str] | None:
    """The first match that is not the month "May" read as the modal "may", nor a "would"
    after a past verb of reporting in `skip` ("as I feared it would": future-in-past)."""
    for m in pattern.finditer(low):
        if is_month(sentence, m.start(), m.end()):
            continue
        if low.startswith("would", m.start()) and skip & set(re.findall(r"\w+", low[: m.start()])):
            continue
        return m
    return None


def claim_type(sentence: str, low: str) -> Cue:
    """Recommendation, prediction, assessment or observation; `low` is the lowered sentence."""
    types = _types()
    m = _search(types.patterns[_RECOMMENDATION], sentence, low)
    if m:
        return Cue(_RECOMMENDATION, sentence[m.start() : m.end()], Basis.NORMATIVE)
    fw = _first_word(low)
    if fw and fw.group(1) in types.imperatives:
        return Cue(_RECOMMENDATION, sentence[fw.start(1) : fw.end(1)], Basis.IMPERATIVE)
    m = _search(types.patterns[_PREDICTION], sentence, low, types.past_reporting)
    if m:
        modal = re.match(r"(?:may|might|could)\b", low[m.start() :])
        basis = Basis.POSSIBILITY_MODAL if modal else Basis.FUTURE
        return Cue(_PREDICTION, sentence[m.start() : m.end()], basis)
    m = _search(types.patterns[_ASSESSMENT], sentence, low)
    if m:
        return Cue(_ASSESSMENT, sentence[m.start() : m.end()], Basis.EVALUATIVE)
    m = _search(types.patterns[_OBSERVATION], sentence, low)
    if m:
        return Cue(_OBSERVATION, sentence[m.start() : m.end()], Basis.REPORTED_FACT)
    return Cue(_ASSESSMENT, "", Basis.DEFAULT_ASSESSMENT)


# --- certainty ------------------------------------------------------------------------------


def read_certainty(text: str | None = None) -> tuple[tuple[str, Basis, re.Pattern[str]], ...]:
    """(level, rule, phrases) from ``certainty.yaml`` (or `text`), the weakest level first."""
    lex = read_lexicon("certainty.yaml", text)
    found = _by_label(lex, "certainty", tuple(level for level, _ in _LEVELS))
    lex.close()
    return tuple((level, basis, found[level]) for level, basis in _LEVELS)


@cache
def _certainty() -> tuple[tuple[str, Basis, re.Pattern[str]], ...]:
    return read_certainty()


def certainty(sentence: str, low: str) -> Cue:
    """The certainty of a claim: its weakest hedge, else high; `low` is the lowered sentence."""
    found: list[tuple[int, int, int, str, Basis]] = []
    for rank, (label, basis, pattern) in enumerate(_certainty()):
        for m in pattern.finditer(low):
            if not is_month(sentence, m.start(), m.end()):
                found.append((m.start(), m.end(), rank, label, basis))
    # overlaps go to the longer phrase ("most likely" over "likely", "seems to me" over "seems")
    kept = keep_longest(found, lambda f: (f[0], f[1]))
    if not kept:
        return Cue(_HIGH, "", Basis.NO_HEDGE)
    # the weakest hedge wins; among equals the first in the sentence
    start, end, _, label, basis = min(kept, key=lambda f: (f[2], f[0]))
    return Cue(label, sentence[start:end], basis)


# --- topics ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Topic:
    key: str  # the topic's key ("domestic-politics"), as the graph's topic cues record it
    keywords: re.Pattern[str]  # one of these names the topic
    weak: re.Pattern[str] | None  # two different ones of these name it


@dataclass(frozen=True)
class _Topics:
    topics: tuple[_Topic, ...]  # in the ontology's order of topics
    in_passing: re.Pattern[str]  # a clause whose keywords name no topic of the claim


def read_topics(text: str | None = None) -> _Topics:
    """The topics' keywords from ``topic.yaml`` (or `text`), in the ontology's order of topics."""
    lex = read_lexicon("topic.yaml", text)
    keywords = lex.section("keywords")
    strong = [(c.key, keywords.alternation(key)) for c, key in keywords.concepts("topic")]
    weak = lex.section("weak")
    weak_keys: dict[str, str] = {}
    for key in weak.names():
        concept = lookup("topic", key)
        if concept is None:
            raise weak.error(f"{key!r} is not a topic of the ontology", key)
        weak_keys[concept.key] = key
    found = tuple(
        _Topic(topic, pattern, weak.alternation(weak_keys[topic]) if topic in weak_keys else None)
        for topic, pattern in strong
    )
    in_passing = lex.alternation("in-passing")
    for lexicon in (keywords, weak, lex):
        lexicon.close()
    return _Topics(found, in_passing)


@cache
def _topics() -> _Topics:
    return read_topics()


def _main_clauses(low: str, in_passing: re.Pattern[str]) -> str:
    """`low` with its clauses that name things in passing blanked out, offsets kept.

    >>> _main_clauses("trade grows as prices fall, and so on", re.compile("as[^,]*"))
    'trade grows               , and so on'
    """
    return in_passing.sub(lambda m: " " * len(m.group()), low)


def _topic_match(topic: _Topic, low: str) -> tuple[re.Match[str], int] | None:
    """The first word that names `topic` in `low` and how many different words of its lists
    the claim has: a keyword names it, a weak word only beside another (one weak word is
    too often a sentence on something else)."""
    strong = list(topic.keywords.finditer(low))
    weak = list(topic.weak.finditer(low)) if topic.weak is not None else []
    words = len({m.group() for m in strong}) + len({m.group() for m in weak})
    if strong:
        return strong[0], words
    return (weak[0], words) if words >= 2 else None


def topics(sentence: str, low: str) -> tuple[Cue, ...]:
    """The topics a claim is on, each with its first keyword, in the order of the keywords.

    The first topic the claim's main clauses name is what it is on (a keyword in a clause of
    condition, concession, time or cause is left out); a topic named later is often named in
    passing ("..., and the security situation gives me no reason to think ...") and counts
    only with two different words of its lists.

    >>> [(c.label, c.text) for c in topics("Security and stability.", "security and stability.")]
    [('security', 'Security')]
    >>> topics("The security of the route.", "the security of the route.")
    ()
    >>> s = "Gas prices rose after the summit."
    >>> [c.label for c in topics(s, s.lower())]
    ['economy']

    A keyword in a clause that sets the scene (a condition, a concession, a comparison)
    names no topic of the claim:

    >>> s = "I expect the border to become safer still as trade grows."
    >>> [c.label for c in topics(s, s.lower())]
    []
    """
    lexicon = _topics()
    low = _main_clauses(low, lexicon.in_passing)
    found: list[tuple[int, int, int, Cue]] = []
    for topic in lexicon.topics:
        hit = _topic_match(topic, low)
        if hit:
            m, words = hit
            cue = Cue(topic.key, sentence[m.start() : m.end()], Basis.TOPIC_KEYWORD)
            found.append((m.start(), m.end(), words, cue))
    if not found:
        return ()
    found.sort(key=lambda f: f[0])
    first = found[0][0]
    # "bilateral trade", "military cooperation": a keyword right before another topic's is a
    # modifier of it; the phrase is on the second
    after = [f for f in found if f[0] == found[0][1] + 1 and low[found[0][1]] == " "]
    heads = {f[0] for f in found if f[0] == first} if not after else {after[0][0]}
    return tuple(cue for start, _, words, cue in found if start in heads or words >= 2)
