"""Split expert answers into claims and classify each claim by small, explainable rules.

The phrases are data: YAML lexicons in ``graph/data/lexicons`` (read and checked once by
:mod:`~cakg.graph.claims.lexicon`; their labels are concepts of the ontology's
vocabularies). Every label comes with a :class:`Cue` that names the words of the text
that decided it and the rule that fired, so a reader of the graph can see *why* a claim
is a "weakening prediction with low certainty".

Modules: :mod:`~cakg.graph.claims.split` (sentences, clauses, claim spans),
:mod:`~cakg.graph.claims.trend` (trend cues, negation, the vote),
:mod:`~cakg.graph.claims.labels` (claim type, certainty, topics),
:mod:`~cakg.graph.claims.answer` (the answer-level tally), with the records in
:mod:`~cakg.graph.claims.cue`.

Precedence rules (documented once here, applied in those modules):

* **Claim type** — the first family that matches wins, in this order:
  recommendation (obligation modals, "it is necessary to", imperatives, "why not")
  > prediction (will/would/shall, "is going to", expect, likely, "in the near
  future", may/might/could + verb) > evaluative assessment ("showed that", "it is
  significant", "is very/extremely ...") > observation (reported past facts: "there
  was", "took place", "signed", dates) > assessment (the default: a statement about
  the present). Normative and forward-looking readings come first because a
  sentence that both reports and recommends ("the meeting took place; we should hold
  another") is used by readers for its advice or forecast. A claim whose trend is a
  statement of not knowing what will be ("it is too early to say", "I cannot say which")
  is a prediction of low certainty, unless it recommends (rule ``unknown-future``).
* **Certainty** — the weakest hedge present wins: low ("may", "might", "could",
  "perhaps", "maybe", "possibly", "it seems", "cannot be ruled out", "speculative",
  conditionals) > medium ("I think", "I believe", "in my opinion", "apparently",
  "probably", "most likely", "it appears", negated beliefs such as "I do not
  think") > high (boosters such as "of course", "undoubtedly", "clearly", or no hedge
  at all). "Probably" is medium: it commits to the more likely outcome, unlike
  "perhaps". "It seems to me" is an opinion marker (medium); a bare "it seems" is low.
* **Trend** — every lexicon match is a vote; overlapping matches go to the longer
  phrase. Negation is scoped: a negator (not, no, never, n't, neither, without,
  hardly, cannot, absence of ...) at most four words before the cue in the same
  clause, or a negated belief ("I do not think/expect/see ...", "there is no reason
  to", "unlikely to") over the clause it introduces. A negated deterioration or a
  negated change is "no change" ("should not suffer", "did not affect", "I do not
  think that ... a negative impact"), a negated improvement a weaker "no change",
  "no longer" + improvement a weakening, a negated positive state ("not always
  smooth") a weakening; a negated "no change" or uncertainty cue is dropped. Denials
  beyond "not" ("far from", "it is hard to imagine", "there are no signs that") negate
  the clause they open, like a negated belief. A later state ("worse before it gets
  better") and an asked-about one ("whether it will grow") cast no vote; growth of a
  negative (a weakening cue, or a word VADER's lexicon rates at most -1, as the subject
  a few words before or the object right after: "threats are growing") is a weakening.
  Stasis idioms ("stuck", "marking time", "little will change") are "no change".
  Weights: explicit no-change and uncertainty statements and negated deteriorations
  2, directional cues 1, "remain"/"continue"/"persist" 0.9 and only when nothing else
  fires; cues in a ", which ..." aside half. The label with the highest total wins; a
  strengthening/weakening tie is "uncertain" (rule ``mixed-cues``). Where no domain cue
  fires, the summed valence of the claim's words in VADER's lexicon
  (:mod:`~cakg.graph.claims.valence`) gives a direction when it reaches ±1.5 (rule
  ``valence-backoff``, weight 0.5; words the domain lexicon has a cue for and stance words
  are left out).
  A claim that opens with "therefore"/"but"/"although"/"on the one hand"/"on the other
  hand" has the role conclusion, contrast, concession, one-hand or other-hand (a
  ``conclusion/`` ... prefix on its rule), and the cue counts the other cues that agreed
  (a " (+N more)" suffix); :func:`answer_trend` weighs claims by both. Direct replies
  ("I do not think so.", "No.", "Of course, yes.", "I believe it will, ...") get reply
  rules that
  :func:`answer_trend` reads together with the question.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from cakg.graph.claims.answer import answer_trend
from cakg.graph.claims.cue import Basis, Classification, Cue, Role
from cakg.graph.claims.labels import (
    certainty,
    claim_type,
    read_certainty,
    read_topics,
    read_types,
    topics,
)
from cakg.graph.claims.matching import lower
from cakg.graph.claims.split import read_words, split_claims
from cakg.graph.claims.trend import claim_trend, read_tables
from cakg.graph.vocabulary import vocabulary

# The claim types the precedence above names, by their labels in the ontology (checked by
# cakg.graph.claims.labels when it reads the type lexicon).
_PREDICTION = "prediction"
_RECOMMENDATION = "recommendation"
_LOW = "low"  # the certainty of a future that cannot be told

__all__ = [
    "CERTAINTIES",
    "CLAIM_TYPES",
    "LEXICONS",
    "TOPICS",
    "TRENDS",
    "Basis",
    "Classification",
    "Cue",
    "Role",
    "answer_trend",
    "check_lexicons",
    "classify",
    "split_claims",
]

#: Each lexicon file and the reader that checks it (``text`` replaces the file's content).
LEXICONS: dict[str, Callable[[str | None], object]] = {
    "split.yaml": read_words,
    "trend.yaml": read_tables,
    "type.yaml": read_types,
    "certainty.yaml": read_certainty,
    "topic.yaml": read_topics,
}


def check_lexicons(texts: Mapping[str, str] | None = None) -> None:
    """Read and check every lexicon; `texts` replaces files by name (for tests).

    A problem raises :class:`~cakg.errors.InputError` naming the file and line.
    """
    for name, read in LEXICONS.items():
        read(None if texts is None else texts.get(name))


def classify(sentence: str) -> Classification:
    """Claim type, trend, certainty and topics of one claim, each with its deciding cue.

    >>> c = classify("Tensions may worsen certain aspects of relations.")
    >>> c.claim_type.label, c.trend.label, c.certainty.label
    ('prediction', 'weakening', 'low')
    >>> trend = classify("Relations should not suffer.").trend
    >>> trend.label, trend.text, trend.rule
    ('no change', 'not suffer', 'negated-weakening→no change')
    """
    low = lower(sentence)
    trend, is_default = claim_trend(sentence, low)
    kind = claim_type(sentence, low)
    sure = certainty(sentence, low)
    if trend.basis is Basis.UNCERTAINTY_CUE and kind.label != _RECOMMENDATION:
        # "Which of the two will prevail is anyone's guess": a statement that the future
        # cannot be told is about what will happen, worded as possible only (the ontology's
        # definitions of prediction and of low certainty)
        kind = Cue(_PREDICTION, trend.text, Basis.UNKNOWN_FUTURE)
        sure = Cue(_LOW, trend.text, Basis.HEDGE_LOW)
    return Classification(
        claim_type=kind,
        trend=trend,
        certainty=sure,
        topics=topics(sentence, low),
        trend_is_default=is_default,
        text=sentence,
    )


# The label lists come from the ontology's vocabularies, in the form the classifier emits
# them: trend, type and certainty by label ("no change"), topics by key ("domestic-politics").
_LABEL_LISTS: dict[str, Callable[[], tuple[str, ...]]] = {
    "TRENDS": lambda: tuple(c.label for c in vocabulary("trend")),
    "CLAIM_TYPES": lambda: tuple(c.label for c in vocabulary("type")),
    "CERTAINTIES": lambda: tuple(c.label for c in vocabulary("certainty")),
    "TOPICS": lambda: tuple(c.key for c in vocabulary("topic")),
}


def __getattr__(name: str) -> tuple[str, ...]:
    # Computed on first use: reading the vocabularies parses the ontology, which importing
    # this package should not cost.
    if name in _LABEL_LISTS:
        return _LABEL_LISTS[name]()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
