"""The trend of a whole answer, summed up from the trends of its claims (rules: answer_trend)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from cakg.graph.claims.cue import UNCERTAIN, Basis, Classification, Cue, Role
from cakg.graph.claims.matching import lower
from cakg.graph.claims.model import answer_features, trend_model
from cakg.graph.claims.trend import (
    CHANGE,
    DENIED_TOWARD,
    DIRECTIONS,
    NO_CHANGE,
    base_weight,
    cue_kinds,
)

__all__ = ["answer_trend", "rule_trend"]

# An opinion marker ("I think") is the expert's own verdict and counts in full; only a
# real hedge ("may", "perhaps") halves a claim.
_CERTAINTY_WEIGHT = {"high": 1.0, "medium": 1.0, "low": 0.5}
# Questions ask about what will be: forecasts and present assessments answer them, advice
# and reported past facts are background.
_TYPE_WEIGHT = {"prediction": 1.0, "assessment": 1.0, "recommendation": 0.5, "observation": 0.3}
_ROLE_WEIGHT = {
    Role.CONCLUSION: 1.5,
    Role.CONTRAST: 1.25,
    Role.CONCESSION: 0.5,
    Role.ONE_HAND: 1.0,
    Role.OTHER_HAND: 1.25,
}
# Claims that state what is or was (facts) cannot outvote an explicit "I do not know" about
# what will be; forecasts and advice can.
_FORWARD = ("prediction", "recommendation")
_FIRST_CLAIM_WEIGHT = 1.5  # the first sentence of an answer usually answers the question
_LAST_CLAIM_WEIGHT = 1.25  # ... and the last one often sums it up
# "I expect / I think / I am afraid / in my opinion": the expert states a verdict. A negated
# belief ("I do not think") is not boosted; its negation rule already counts double.
_STANCE = re.compile(r"(?:(?:i|we)\b(?!.*\b(?:not|n't)\b)|in my )")
_STANCE_WEIGHT = 1.5
_CLEAR_MAJORITY = 1.5  # the winner must outweigh the runner-up by this factor
_YES_NO = re.compile(r"(?:will|would|is|are|does|do|did|has|have|should|shall|could|may|might)\b")


def _question_polarity(question: str | None) -> str | None:
    """What a yes/no question asks about: a direction, "no change" or "change"; else None.

    Without a question, a reply is read as answering "Will ... change?". Questions of
    ability ("Can the CSTO play a role ...?") and open questions ("What changes ...?")
    have no polarity: a "No" to them says nothing about a trend.

    >>> _question_polarity("Will cooperation between A and B deepen after the summit?")
    'strengthening'
    >>> _question_polarity("Can the CSTO play a role in settling the conflict?") is None
    True
    """
    if question is None:
        return CHANGE
    low = lower(question).strip()
    if not _YES_NO.match(low):
        return None
    kinds = cue_kinds(low)
    for kind in kinds:
        if kind in (*DIRECTIONS, NO_CHANGE):
            return kind
    return CHANGE if CHANGE in kinds else None


def _claim_weight(c: Classification, first: bool, last: bool) -> float:
    """How much one claim's trend counts towards its answer's trend."""
    cue = c.trend
    w = base_weight(cue.basis) * (1.0 + 0.5 * min(cue.agreeing, 2))  # several cues: firmer
    if _STANCE.match(c.certainty.text.lower()):
        w *= _STANCE_WEIGHT
    if c.trend.label != UNCERTAIN:  # "it may be hard to say" is no less uncertain
        w *= _CERTAINTY_WEIGHT.get(c.certainty.label, 1.0)
    w *= _TYPE_WEIGHT.get(c.claim_type.label, 1.0)
    if cue.role is not None:
        w *= _ROLE_WEIGHT[cue.role]
    if first:
        w *= _FIRST_CLAIM_WEIGHT
    elif last:
        w *= _LAST_CLAIM_WEIGHT
    return w


def _tally(
    claims: Sequence[Classification],
    labels: Sequence[str] | None = None,
    offset: int = 0,
    backoff: bool = True,
) -> tuple[dict[str, float], dict[str, tuple[float, Cue]]]:
    """Weighted votes per label (of `labels`, else of all), and the strongest cue behind each;
    without `backoff`, claims decided by general valence alone do not vote."""
    totals: dict[str, float] = {}
    best: dict[str, tuple[float, Cue]] = {}
    for i, c in enumerate(claims, start=offset):
        if c.trend_is_default or c.trend.basis.is_reply:
            continue
        if not backoff and c.trend.basis is Basis.VALENCE_BACKOFF:
            continue
        label = c.trend.label
        if labels is not None and label not in labels:
            continue
        w = _claim_weight(c, first=i == 0, last=i == offset + len(claims) - 1)
        totals[label] = totals.get(label, 0.0) + w
        if label not in best or w > best[label][0]:
            best[label] = (w, c.trend)
    return totals, best


def _reply_trend(claims: Sequence[Classification], polarity: str) -> Cue:
    """The answer's trend when its first claim is a direct yes/no reply to the question."""
    reply = claims[0].trend
    denial = reply.basis is Basis.REPLY_DENIAL
    if denial and polarity in DIRECTIONS:
        # "Will X get stronger?" "Unlikely. ... it has lost its credibility": a denial
        # followed by a clear opposite direction is that direction, else no change
        opposite = DIRECTIONS[1 - DIRECTIONS.index(polarity)]
        totals, best = _tally(claims[1:], offset=1)
        if totals.get(opposite, 0.0) > 0.0:
            others = [v for k, v in totals.items() if k != opposite]
            if not others or totals[opposite] >= _CLEAR_MAJORITY * max(others):
                return Cue(opposite, best[opposite][1].text, Basis.REPLY_DENIAL)
    if denial and polarity != NO_CHANGE:
        return Cue(NO_CHANGE, reply.text, Basis.REPLY_DENIAL)
    if not denial and polarity in DIRECTIONS:
        return Cue(polarity, reply.text, Basis.REPLY_AFFIRMATION)
    if not denial and polarity == NO_CHANGE:
        return Cue(NO_CHANGE, reply.text, Basis.REPLY_AFFIRMATION)
    # "Yes, they will change" / "No, they will not stay the same": the rest gives the direction
    totals, best = _tally(claims[1:], DIRECTIONS, offset=1)
    if totals:
        label = max(totals, key=lambda k: totals[k])
        others = [v for k, v in totals.items() if k != label]
        if not others or totals[label] >= _CLEAR_MAJORITY * max(others):
            return Cue(label, best[label][1].text, Basis.REPLY_CHANGE)
    return Cue(UNCERTAIN, reply.text, Basis.REPLY_CHANGE_UNCLEAR)


def _balanced_trend(claims: Sequence[Classification]) -> Cue | None:
    """An "on the one hand ... on the other" answer: its concluding judgement (the claims
    after the other hand) decides; without one, two sides that differ are "uncertain"."""
    roles = [c.trend.role for c in claims]
    if Role.ONE_HAND not in roles or Role.OTHER_HAND not in roles[roles.index(Role.ONE_HAND) :]:
        return None
    one = roles.index(Role.ONE_HAND)
    other = roles.index(Role.OTHER_HAND, one)
    after = other + 1
    totals, best = _tally(claims[after:], offset=after, backoff=False)
    if totals:
        label = max(totals, key=lambda k: totals[k])
        return Cue(label, best[label][1].text, Basis.CONCLUDING_JUDGEMENT)
    sides = {claims[one].trend.label, claims[other].trend.label}
    if len(sides) > 1:
        return Cue(UNCERTAIN, claims[other].trend.text, Basis.BALANCED)
    return None


def _not_knowing(claims: Sequence[Classification]) -> Cue | None:
    """An explicit "I do not know" / "hard to say" that no forecast contradicts stands, however
    many facts the answer adds."""
    unknown = [c for c in claims if c.trend.basis is Basis.UNCERTAINTY_CUE]
    forecasts = [
        c
        for c in claims
        if c.claim_type.label in _FORWARD
        and c.trend.label != UNCERTAIN
        and c.trend.basis is not Basis.VALENCE_BACKOFF
    ]
    if not unknown or forecasts:
        return None
    return Cue(UNCERTAIN, unknown[0].trend.text, Basis.NOT_KNOWING)


def _without_denied_opposites(claims: Sequence[Classification]) -> Sequence[Classification]:
    """The claims less each denial the next claim answers with its direction ("I do not
    think it will decline. On the contrary, it will grow."); a concession after the denial
    ("..., although priorities may shift towards expanding cooperation") leaves it."""
    return [
        c
        for i, c in enumerate(claims)
        if not (
            i + 1 < len(claims)
            and DENIED_TOWARD.get(c.trend.basis) == claims[i + 1].trend.label
            and claims[i + 1].trend.role is not Role.CONCESSION
        )
    ]


def answer_trend(claims: Sequence[Classification], question: str | None = None) -> Cue:
    """The answer's trend: the rules' (:func:`rule_trend`), unless the shipped linear model
    (:mod:`~cakg.graph.claims.model`), which reads the answer's words and the rules' verdict,
    disagrees; then the model's, its cue the answer's words that pushed it most (rule
    ``trend-model``). The model is used only where cross-validation chose it.
    """
    cue = rule_trend(claims, question)
    model = trend_model()
    if model is None or not model.use or not claims:
        return cue
    found = model.predict(answer_features([c.text for c in claims], cue.label))
    if found.label == cue.label:
        return cue
    return Cue(found.label, ", ".join(found.top), Basis.TREND_MODEL)


def rule_trend(claims: Sequence[Classification], question: str | None = None) -> Cue:
    """The answer's trend by the rules alone, summed up from its claims' trends (with the cue
    that decided).

    Rules, in order:

    1. A direct reply in the first claim ("I do not think so.", "Yes, I think so.") to a
       yes/no question ("Will/Should/Is ...?", not "Can ...?"; no question given counts as
       "Will ... change?"): a denial is "no change", unless the question asks about a
       direction and the rest of the answer clearly goes the other way ("Will it get
       stronger?" "Unlikely. It has lost its credibility." → weakening); an affirmation
       takes the question's direction ("Will cooperation deepen?" → strengthening), or, for
       "Will ... change?", the direction of the rest of the answer.
    2. An "on the one hand ... on the other" answer: the claims after the other hand (its
       concluding judgement) decide ("concluding-judgement"); without any, two sides that
       differ are "uncertain" ("balanced"). An explicit statement of not knowing ("it is
       hard to say", "I do not know") that no forecast or advice with a direction
       contradicts is "uncertain" ("not-knowing"), whatever facts the answer adds.
    3. Otherwise a weighted vote of the claims' trends. Base weight: explicit no-change
       and uncertainty statements, negated deteriorations and negated changes of the
       relation itself 2; directional cues, negated improvements and negated changes of a
       side issue 1; "remain"/"continue" alone 0.9; mixed 0.5; ×1.5 / ×2 when two / three
       cues of the sentence agree. Times certainty (high and medium 1, low 0.5; not for
       "uncertain"), claim type (prediction, assessment 1; recommendation 0.5; observation
       0.3), discourse role (conclusion 1.5, contrast 1.25, concession 0.5), an expert's
       stated verdict ("I think/expect ...") 1.5, and position (first claim 1.5, last 1.25).
       The top label wins if it outweighs the runner-up 1.5 times ("weighted-majority").
    4. A close call: the side the expert states as a verdict wins ("expert-verdict"); else
       a strengthening/weakening contest is "uncertain" ("mixed"), and any other goes to
       the first claim that took one of the two sides ("first-decided-claim").
    5. No domain cue in any claim: the same vote over the claims' general valence
       ("valence-backoff" claims); none either: "uncertain" ("default").

    >>> from cakg.graph.claims import classify
    >>> claims = [classify("I do not think so."), classify("Trade may grow.")]
    >>> answer_trend(claims, "Will relations between A and B change?").label
    'no change'
    """
    polarity = _question_polarity(question)
    if claims and claims[0].trend.basis.is_reply and polarity is not None:
        return _reply_trend(claims, polarity)
    claims = _without_denied_opposites(claims)
    shaped = _balanced_trend(claims) or _not_knowing(claims)
    if shaped is not None:
        return shaped
    totals, best = _tally(claims, backoff=False)
    if not totals:
        # no domain cue in the whole answer: the general valence of its claims, if any
        totals, best = _tally(claims)
    if not totals:
        return Cue(UNCERTAIN, "", Basis.DEFAULT)
    ranked = sorted(totals.items(), key=lambda kv: -kv[1])
    top_label, top = ranked[0]
    runner = ranked[1][1] if len(ranked) > 1 else 0.0
    if runner == 0.0 or top >= _CLEAR_MAJORITY * runner:
        return Cue(top_label, best[top_label][1].text, Basis.WEIGHTED_MAJORITY)
    second_label = ranked[1][0]
    # a close call between a direction and "no change"/"uncertain": the side the expert
    # states as a verdict ("I think ...") wins, else the first claim that took a side
    decided = [c for c in claims if not c.trend_is_default and not c.trend.basis.is_reply]
    verdicts = {
        c.trend.label
        for c in decided
        if c.trend.label in (top_label, second_label) and _STANCE.match(c.certainty.text.lower())
    }
    if len(verdicts) == 1:
        label = verdicts.pop()
        verdict = next(
            c for c in decided if c.trend.label == label and _STANCE.match(c.certainty.text.lower())
        )
        return Cue(label, verdict.trend.text, Basis.EXPERT_VERDICT)
    if {top_label, second_label} == set(DIRECTIONS):
        return Cue(UNCERTAIN, best[top_label][1].text, Basis.MIXED)
    for c in decided:
        if c.trend.label in (top_label, second_label):
            return Cue(c.trend.label, c.trend.text, Basis.FIRST_DECIDED_CLAIM)
    return Cue(top_label, best[top_label][1].text, Basis.WEIGHTED_MAJORITY)
