"""The trend of one claim: lexicon cues, scoped negation, and a weighted vote of the cues.

The rules are documented in the package docstring (:mod:`cakg.graph.claims`); the cue
phrases are in ``graph/data/lexicons/trend.yaml``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache

from cakg.graph.claims.cue import UNCERTAIN, Basis, Cue, Role
from cakg.graph.claims.lexicon import read_lexicon
from cakg.graph.claims.matching import TOKEN, keep_longest
from cakg.graph.claims.valence import NEGATIVE, valence, valence_cue

__all__ = [
    "CHANGE",
    "DENIED_TOWARD",
    "DIRECTIONS",
    "NO_CHANGE",
    "STRENGTHENING",
    "WEAKENING",
    "base_weight",
    "claim_trend",
    "cue_kinds",
    "read_tables",
]

# The trend concepts the rules reason about, by their labels in the ontology; read_tables
# checks that the ontology has them.
STRENGTHENING = "strengthening"
WEAKENING = "weakening"
NO_CHANGE = "no change"
DIRECTIONS = (STRENGTHENING, WEAKENING)
# Kinds of lexicon match that are no trend label of their own.
_CONTINUITY = "continuity"  # "remain", "continue": a weak "no change"
CHANGE = "change"  # change with no direction: only its negation is a trend
_POSITIVE = "positive"  # a positive state: only its negation is a trend (a weakening)

_STRONG = 2.0  # explicit "no change"/uncertainty statements and negated cues
_WEAK = 1.0  # plain directional cues
_CONTINUITY_WEIGHT = 0.9  # weaker than a directional cue: "remain" alone is thin evidence
_MIXED_WEIGHT = 0.5  # a claim whose cues disagree
_BACKOFF_WEIGHT = 0.5  # general valence, no domain cue: the thinnest evidence of a direction
_NEG_WINDOW = 4  # at most this many words between a negator and the cue it negates


def base_weight(basis: Basis) -> float:
    """How much one cue decided by this rule counts, before position and context."""
    return _BASE_WEIGHT.get(basis, _WEAK)


_BASE_WEIGHT = {
    Basis.NO_CHANGE_CUE: _STRONG,
    Basis.UNCERTAINTY_CUE: _STRONG,
    Basis.NEGATED_WEAKENING: _STRONG,  # denying a deterioration is a firm "no change"
    Basis.NEGATED_CHANGE: _STRONG,
    Basis.CONTINUITY_CUE: _CONTINUITY_WEIGHT,
    Basis.MIXED_CUES: _MIXED_WEIGHT,
    Basis.VALENCE_BACKOFF: _BACKOFF_WEIGHT,
}
# The label each kind of vote is for.
_VOTES_FOR = {
    Basis.STRENGTHENING_CUE: STRENGTHENING,
    Basis.WEAKENING_CUE: WEAKENING,
    Basis.GROWING_NEGATIVE: WEAKENING,
    Basis.NO_CHANGE_CUE: NO_CHANGE,
    Basis.CONTINUITY_CUE: NO_CHANGE,
    Basis.UNCERTAINTY_CUE: UNCERTAIN,
    Basis.CEASED_STRENGTHENING: WEAKENING,
    Basis.CEASED_WEAKENING: STRENGTHENING,
    Basis.NEGATED_WEAKENING: NO_CHANGE,
    Basis.NEGATED_STRENGTHENING: NO_CHANGE,
    Basis.NEGATED_CHANGE: NO_CHANGE,
    Basis.NEGATED_POSITIVE: WEAKENING,
}

# "I do not think/believe/see ..." negates the clause it introduces.
_NEGATED_BELIEF = re.compile(
    r"\b(?:i|we)\s+(?:do|did|would|can)\s*(?:not|n't)\s+(?:really\s+)?(?:think|believe|expect|"
    r"see|suppose|assume|consider|anticipate|foresee|envisage|predict)\b|"
    r"\bthere\s+(?:is|are|will be)\s+no\s+(?:reason|grounds|ground|basis|prerequisites|"
    r"indications?|signs?)\s+(?:to|for|that)\b|"
    r"\b(?:it is|it's|seems|is|are)\s+(?:unlikely|doubtful|improbable)\b|"
    r"\bi\s+doubt\b|\bunlikely\s+to\b|\bdon't\s+think\b|"
    r"\b(?:i|we)\s+(?:would|will)\s*(?:not|n't)\s+(?:say|speak|talk|call)\b"
)
_SCOPE_END = re.compile(r";|,\s*(?:although|though|but|while|whereas|however)\b|[.!?](?:\s|$)")
_CESSATIVE = re.compile(r"\bno\s+longer\b|\bnot\s+any\s*more\b")

# Short direct replies to a yes/no question ("I do not think so.", "Of course, yes.").
_DENIAL_REPLY = re.compile(
    r"(?:well,?\s+|honestly,?\s+)?(?:no|not really|hardly|unlikely|of course not|certainly not|"
    r"definitely not|absolutely not|not at all|not now|not yet|i doubt (?:it|that|so)|"
    r"(?:i|we) (?:do not|don't|would not|wouldn't) (?:think|believe|expect|say) so|"
    r"i (?:do not|don't) think that (?:will|they will) happen|"
    r"there (?:is|are) no (?:prerequisites|grounds|reasons?|basis|preconditions) "
    r"for (?:this|that|it))"
)
_AFFIRM_REPLY = re.compile(
    r"(?:(?:yes|of course|certainly|definitely|undoubtedly|surely|absolutely|most likely|"
    r"probably|i think|i believe|i am sure|without doubt)[,\s]*)*"
    r"(?:yes|of course|certainly|definitely|undoubtedly|surely|absolutely|i think so|"
    r"i believe so|most likely|probably|it will|they will|they will change|it will change)"
)
# A reply that opens a longer sentence ("Yes, I believe it should, sooner or later.").
_DENIAL_PREFIX = re.compile(
    r"(?:no|not now|not yet|hardly|of course not|not really|unlikely|"
    r"(?:i|we) (?:do not|don't) (?:think|believe|expect) so)\s*[,.;:—–-]|"
    r"(?:i|we) (?:do not|don't) (?:think|believe|expect) (?:that )?(?:it|they|this|he|she) "
    r"(?:will|would|is|are|does|do|has|have|can)\b"
)
_AFFIRM_PREFIX = re.compile(
    r"(?:yes|of course,? yes|(?:i|we) (?:think|believe|expect) so|most likely,? yes)\s*[,.;:—–-]|"
    # "I believe it will, ...": the reply takes up the question's own verb
    r"(?:i|we) (?:think|believe|expect|am sure|am certain|am confident|are sure) (?:that )?"
    r"(?:it|they|this|he|she) (?:will|would|is|are|does|do|has|have|can)\b(?!\s*(?:not|n't)\b)"
)


@dataclass(frozen=True)
class _Tables:
    """The compiled trend lexicon (see trend.yaml for what each table holds)."""

    cues: tuple[tuple[str, re.Pattern[str]], ...]  # (kind, one lexicon entry)
    denials: re.Pattern[str]
    not_valence: frozenset[str]
    intensifiers: re.Pattern[str]
    negators: frozenset[str]
    not_negating: Mapping[str, frozenset[str]]
    clause_breaks: frozenset[str]
    later_or_earlier: frozenset[str]
    discourse: tuple[tuple[Role, re.Pattern[str]], ...]


def read_tables(text: str | None = None) -> _Tables:
    """The trend lexicon from ``trend.yaml``, or from `text` in its place, checked."""
    lex = read_lexicon("trend.yaml", text)
    votes = lex.section("cues")
    by_label = {concept.label: votes.each(key) for concept, key in votes.concepts("trend")}
    votes.close()
    for label in (*DIRECTIONS, NO_CHANGE, UNCERTAIN):
        if label not in by_label:
            raise lex.error(f"the trend rules need the trend {label!r}, not in the ontology")
    # One regex per lexicon entry: an alternation would stop at its first matching branch
    # ("negative" before "negative impact"), and the longest match must win instead. The
    # order decides between equally long matches at one place.
    kinds = (
        (STRENGTHENING, by_label[STRENGTHENING]),
        (WEAKENING, by_label[WEAKENING]),
        (NO_CHANGE, by_label[NO_CHANGE]),
        (_CONTINUITY, lex.each("continuity")),
        (CHANGE, lex.each("change")),
        (UNCERTAIN, by_label[UNCERTAIN]),
        (_POSITIVE, lex.each("positive-state")),
    )
    not_negating = lex.section("not-negating")
    discourse = lex.section("discourse")
    tables = _Tables(
        cues=tuple((kind, pattern) for kind, patterns in kinds for pattern in patterns),
        denials=lex.alternation("denials"),
        not_valence=lex.words("not-valence"),
        intensifiers=lex.regex("intensifiers"),
        negators=lex.words("negators"),
        not_negating={word: not_negating.words(word) for word in not_negating.names()},
        clause_breaks=lex.words("clause-breaks"),
        later_or_earlier=lex.words("later-or-earlier"),
        discourse=tuple(
            (role, discourse.alternation(role.value, around=("(?:", r")\b"))) for role in Role
        ),
    )
    for section in (not_negating, discourse, lex):
        section.close()
    return tables


@cache
def _tables() -> _Tables:
    return read_tables()


@dataclass(frozen=True)
class _Match:
    start: int
    end: int
    kind: str  # strengthening | weakening | no change | continuity | change | uncertain | positive


def _cue_matches(low: str) -> list[_Match]:
    """All lexicon matches, overlaps resolved in favour of the longer (more specific) one."""
    found = [
        _Match(m.start(), m.end(), kind)
        for kind, pattern in _tables().cues
        for m in pattern.finditer(low)
    ]
    return keep_longest(found, lambda m: (m.start, m.end))


def cue_kinds(low: str) -> list[str]:
    """The kinds of the lexicon matches in lower-cased text, in text order."""
    return [m.kind for m in _cue_matches(low)]


def _local_negator(
    low: str, cue_start: int, skip: Sequence[tuple[int, int]] = ()
) -> tuple[int, str] | None:
    """The start and kind of a negator a few words before the cue, if any.

    Kinds: "not" (plain negation), "ceased" ("no longer"), "contrast" ("rather than",
    "instead of": the cue is the rejected alternative; "before", "until", "from": it is a
    later or an earlier state, not the one forecast; "whether": it is only asked about).
    Negators inside the spans in skip (the words of a negated belief) are left to the
    belief rule.
    """
    tab = _tables()
    tokens = list(TOKEN.finditer(low, 0, cue_start))
    for back, tok in enumerate(reversed(tokens)):
        if back > _NEG_WINDOW:
            return None
        word = tok.group(0)
        idx = len(tokens) - 1 - back
        previous = tokens[idx - 1].group(0) if idx > 0 else ""
        if word in tab.later_or_earlier and back <= 2:
            return tok.start(), "contrast"
        if word == "whether":
            return tok.start(), "contrast"  # "whether X will grow" asks, it does not forecast
        if word in ("less", "fewer") and back == 0:
            return tok.start(), "ceased"  # "less optimistic", "less close": a diminished state
        if word in tab.clause_breaks:
            return None
        if word in tab.negators or word.endswith("n't"):
            if any(s0 <= tok.start() < s1 for s0, s1 in skip):
                return None
            follower = tokens[idx + 1].group(0) if idx + 1 < len(tokens) else ""
            if word == "no" and follower == "longer":
                return tok.start(), "ceased"
            if follower in tab.not_negating.get(word, frozenset()) or previous == "why":
                continue  # "not only", "no doubt", "why not": no negation
            return tok.start(), "not"
    return None


def _belief_scopes(low: str) -> list[tuple[int, int, int]]:
    """(trigger start, scope start, scope end) of negated beliefs such as "I do not think"
    and of denials such as "far from", "it is hard to imagine"."""
    scopes = []
    found = [*_NEGATED_BELIEF.finditer(low), *_tables().denials.finditer(low)]
    for m in sorted(found, key=lambda m: m.start()):
        end = _SCOPE_END.search(low, m.end())
        scopes.append((m.start(), m.end(), end.start() if end else len(low)))
    return scopes


def _relative_aside(low: str, pos: int) -> bool:
    """Whether pos lies in a ", which ..." aside, a side remark about something else."""
    head = low[:pos]
    i = head.rfind(", which ")
    return i >= 0 and not re.search(r"[,;]", head[i + 8 :])


def _has_cue(word: str) -> bool:
    """Whether the domain lexicon has a cue for the word alone; it then decides, not VADER
    ("positive" is a cue, "positive neutrality" a doctrine)."""
    return any(p.fullmatch(word) for _, p in _tables().cues)


def _is_negative(word: str) -> bool:
    """Whether a word is negative: a weakening cue of its own, or negative in VADER's lexicon.

    >>> _is_negative("rivalry"), _is_negative("threats"), _is_negative("trade")
    (True, True, False)
    """
    value = valence(word)
    if value is not None and value <= NEGATIVE:
        return True
    return any(kind == WEAKENING and p.fullmatch(word) for kind, p in _tables().cues)


def _growth_of_negative(low: str, start: int, end: int) -> bool:
    """Whether the thing a growth cue makes grow is negative: its subject a few words before
    ("the rivalry will intensify") or its object right after ("more tension"), not a word
    further on ("strengthen cooperation in countering terrorism").

    >>> _growth_of_negative("threats from the south are growing", 27, 34)
    True
    >>> _growth_of_negative("we will strengthen cooperation against terrorism", 8, 18)
    False
    """
    clause_breaks = _tables().clause_breaks
    subject = reversed(list(TOKEN.finditer(low, 0, start))[-6:])
    obj = list(TOKEN.finditer(low, end))[:2]
    for seq in (subject, obj):
        for tok in seq:
            word = tok.group(0)
            if word in clause_breaks and word not in ("that", "which"):
                break
            if _is_negative(word):
                return True
    return False


@dataclass(frozen=True)
class _Vote:
    basis: Basis
    weight: float
    start: int
    end: int

    @property
    def label(self) -> str:
        return _VOTES_FOR[self.basis]


#: A denied change and the direction it leaves room for: "not A; B" with B that direction
#: is B ("I do not think its role will decline; it will grow"): the gold rules' negated
#: opposite that comes with a direction keeps the direction.
DENIED_TOWARD = {
    Basis.NEGATED_WEAKENING: STRENGTHENING,
    Basis.NEGATED_STRENGTHENING: WEAKENING,
}


# What turns from a denial to the direction it leaves room for ("...; they will improve",
# "on the contrary", "instead"); a concession ("although priorities may shift") does not.
_TURN_TO_DIRECTION = re.compile(r";|\bon the contrary\b|\binstead\b")


def _without_denied_opposites(votes: list[_Vote], low: str) -> list[_Vote]:
    """The votes less each denial followed, past a turn, by the direction it leaves room for."""
    return [
        v
        for v in votes
        if not any(
            w.label == DENIED_TOWARD.get(v.basis)
            and w.basis not in DENIED_TOWARD
            and w.start >= v.end
            and _TURN_TO_DIRECTION.search(low, v.end, w.start)
            for w in votes
        )
    ]


def _vote(basis: Basis, factor: float, start: int, end: int) -> _Vote:
    return _Vote(basis, base_weight(basis) * factor, start, end)


def _trend_votes(low: str) -> list[_Vote]:
    """Each cue as a vote for a trend label, after negation."""
    tab = _tables()
    scopes = _belief_scopes(low)
    triggers = [(trig, s0) for trig, s0, _ in scopes]
    votes: list[_Vote] = []
    for m in _cue_matches(low):
        start = m.start
        negated = False
        ceased = False
        # A directional phrase may hold its own negator ("cooperation will not grow"): look
        # back from its last word. Uncertainty and no-change phrases may contain a negator
        # as part of the phrase ("not clear"): look back from their first word.
        anchor = m.start
        if m.kind in (*DIRECTIONS, CHANGE, _POSITIVE):
            anchor = list(TOKEN.finditer(low, m.start, m.end))[-1].start()
        local = _local_negator(low, anchor, triggers)
        if local is not None:
            if local[1] == "contrast":
                continue  # "grow rather than decline": the rejected alternative casts no vote
            negated, ceased = True, local[1] == "ceased"
            start = min(start, local[0])
        for trig, s0, s1 in scopes:
            if s0 <= m.start < s1:
                negated = not negated
                start = min(start, trig)
                break
        kind = m.kind
        if kind in DIRECTIONS and _CESSATIVE.search(low, m.end, min(len(low), m.end + 20)):
            ceased = negated = True
        factor = 0.5 if _relative_aside(low, m.start) else 1.0
        if (
            kind == STRENGTHENING
            and tab.intensifiers.search(low, m.start, m.end)
            and _growth_of_negative(low, m.start, m.end)
        ):
            kind = WEAKENING  # more competition or tension is a weakening
            if not negated:
                votes.append(_vote(Basis.GROWING_NEGATIVE, factor, start, m.end))
                continue
        basis = _basis(kind, negated, ceased)
        if basis is not None:
            votes.append(_vote(basis, factor, start, m.end))
    if any(v.basis is not Basis.CONTINUITY_CUE for v in votes):
        # "remain"/"continue" only decide when nothing else does: "will continue to decline"
        votes = [v for v in votes if v.basis is not Basis.CONTINUITY_CUE]
    return votes


_PLAIN = {
    STRENGTHENING: Basis.STRENGTHENING_CUE,
    WEAKENING: Basis.WEAKENING_CUE,
    NO_CHANGE: Basis.NO_CHANGE_CUE,
    _CONTINUITY: Basis.CONTINUITY_CUE,
    UNCERTAIN: Basis.UNCERTAINTY_CUE,
}
_CEASED = {STRENGTHENING: Basis.CEASED_STRENGTHENING, WEAKENING: Basis.CEASED_WEAKENING}
_NEGATED = {
    # denying a deterioration is a firm "no change"
    WEAKENING: Basis.NEGATED_WEAKENING,
    # denying an improvement leaves things as they are, but says less
    STRENGTHENING: Basis.NEGATED_STRENGTHENING,
    _POSITIVE: Basis.NEGATED_POSITIVE,
}


def _basis(kind: str, negated: bool, ceased: bool) -> Basis | None:
    """The rule by which a cue of this kind votes, after negation; None: no vote."""
    if not negated:
        return _PLAIN.get(kind)  # a bare change or positive state says nothing
    if ceased and kind in _CEASED:
        return _CEASED[kind]
    if kind == CHANGE:
        return Basis.NEGATED_CHANGE
    # a negated "no change" or uncertainty cue says only that something changes: no vote
    return _NEGATED.get(kind)


def _reply(low: str) -> tuple[Basis, int] | None:
    """The kind of a direct reply and the length of its words, else None."""
    stripped = low.strip()
    bare = re.sub(r"[\s\"“”«»'.!?…,;:—–-]+$", "", stripped)
    bare = re.sub(r"\s+", " ", bare)
    if len(bare.split()) <= 6:
        if _DENIAL_REPLY.fullmatch(bare):
            return Basis.REPLY_DENIAL, len(bare)
        if _AFFIRM_REPLY.fullmatch(bare):
            return Basis.REPLY_AFFIRMATION, len(bare)
    m = _DENIAL_PREFIX.match(stripped)
    if m:
        return Basis.REPLY_DENIAL, m.end() - 1
    m = _AFFIRM_PREFIX.match(stripped)
    if m:
        return Basis.REPLY_AFFIRMATION, m.end() - 1
    return None


def _backoff(sentence: str, low: str) -> tuple[Cue, bool]:
    """Where no domain cue fires: the direction of the claim's general valence, if decisive."""
    tab = _tables()
    found = valence_cue(low, tab.negators, lambda w: w in tab.not_valence or _has_cue(w))
    if found is None:
        return Cue(UNCERTAIN, "", Basis.DEFAULT), True
    label = STRENGTHENING if found.score > 0 else WEAKENING
    return Cue(label, sentence[found.start : found.end], Basis.VALENCE_BACKOFF), False


def _discourse_role(low: str) -> Role | None:
    """The claim's role in its answer from its first words, else None."""
    head = low.lstrip(" \"“«'(-–—")
    for role, pattern in _tables().discourse:
        if pattern.match(head):
            return role
    return None


def claim_trend(sentence: str, low: str) -> tuple[Cue, bool]:
    """The trend of one claim with its deciding cue, and whether no cue fired at all.

    `low` is ``matching.lower(sentence)``.
    """
    votes = _without_denied_opposites(_trend_votes(low), low)
    if not votes:
        reply = _reply(low)
        if reply is None:
            return _backoff(sentence, low)
        basis, length = reply
        off = len(low) - len(low.lstrip())
        words = sentence[off : off + length].strip()
        # a "no" denies the change asked about; a "yes" takes its direction from the question
        label = NO_CHANGE if basis is Basis.REPLY_DENIAL else UNCERTAIN
        return Cue(label, words, basis), False
    totals: dict[str, float] = {}
    for v in votes:
        totals[v.label] = totals.get(v.label, 0.0) + v.weight
    best = max(totals.values())
    leaders = [label for label, total in totals.items() if total == best]
    role = _discourse_role(low)
    if set(DIRECTIONS) <= set(leaders):
        first = min(votes, key=lambda v: v.start)
        last = max(votes, key=lambda v: v.end)
        return Cue(UNCERTAIN, sentence[first.start : last.end], Basis.MIXED_CUES, role), False
    # among tied labels the strongest, then the earliest vote decides
    winner = max((v for v in votes if v.label in leaders), key=lambda v: (v.weight, -v.start))
    agreeing = sum(1 for v in votes if v.label == winner.label) - 1
    text = sentence[winner.start : winner.end]
    return Cue(winner.label, text, winner.basis, role, agreeing), False
