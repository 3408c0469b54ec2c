"""What a classifier decided and why: the label, the words that decided it, the typed rule."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum, StrEnum

__all__ = ["UNCERTAIN", "Basis", "Classification", "Cue", "Role"]

# The trend label of "no direction known"; its rules name no label after an arrow.
UNCERTAIN = "uncertain"


class Role(Enum):
    """How a claim stands in its answer, read from its first words."""

    CONCLUSION = "conclusion"  # "Therefore, ...": carries the answer
    CONTRAST = "contrast"  # "But ...": carries the answer
    CONCESSION = "concession"  # "Although ...": background
    ONE_HAND = "one-hand"  # "On the one hand ...": the first side of a balanced answer
    OTHER_HAND = "other-hand"  # "On the other hand ...": its second side


class Basis(StrEnum):
    """The rule that decided a label; its value is the rule's name in the graph's cue text."""

    # claim type
    NORMATIVE = "normative"
    IMPERATIVE = "imperative"
    POSSIBILITY_MODAL = "possibility-modal"
    FUTURE = "future"
    EVALUATIVE = "evaluative"
    REPORTED_FACT = "reported-fact"
    DEFAULT_ASSESSMENT = "default-assessment"
    UNKNOWN_FUTURE = "unknown-future"
    # certainty
    HEDGE_LOW = "hedge-low"
    HEDGE_MEDIUM = "hedge-medium"
    BOOSTER_HIGH = "booster-high"
    NO_HEDGE = "no-hedge"
    # topic
    TOPIC_KEYWORD = "topic-keyword"
    # trend of a claim: the cue that won the vote
    STRENGTHENING_CUE = "strengthening-cue"
    WEAKENING_CUE = "weakening-cue"
    NO_CHANGE_CUE = "no-change-cue"
    CONTINUITY_CUE = "continuity-cue"
    UNCERTAINTY_CUE = "uncertainty-cue"
    GROWING_NEGATIVE = "growing-negative"
    CEASED_STRENGTHENING = "ceased-strengthening"
    CEASED_WEAKENING = "ceased-weakening"
    NEGATED_WEAKENING = "negated-weakening"
    NEGATED_STRENGTHENING = "negated-strengthening"
    NEGATED_CHANGE = "negated-change"
    NEGATED_POSITIVE = "negated-positive"
    MIXED_CUES = "mixed-cues"
    VALENCE_BACKOFF = "valence-backoff"
    DEFAULT = "default"
    # direct replies to a yes/no question, in a claim and in its answer
    REPLY_DENIAL = "reply-denial"
    REPLY_AFFIRMATION = "reply-affirmation"
    REPLY_CHANGE = "reply-change"
    REPLY_CHANGE_UNCLEAR = "reply-change, direction unclear"
    # trend of an answer
    WEIGHTED_MAJORITY = "weighted-majority"
    EXPERT_VERDICT = "expert-verdict"
    MIXED = "mixed"
    FIRST_DECIDED_CLAIM = "first-decided-claim"
    BALANCED = "balanced"
    CONCLUDING_JUDGEMENT = "concluding-judgement"
    NOT_KNOWING = "not-knowing"
    TREND_MODEL = "trend-model"

    @property
    def turns(self) -> bool:
        """Whether the rule reads the words as a label they do not state ("not suffer")."""
        return self in _TURNING

    @property
    def is_reply(self) -> bool:
        """Whether the rule is a direct yes/no reply, read together with the question."""
        return self in _REPLIES


_TURNING = frozenset(
    {
        Basis.GROWING_NEGATIVE,
        Basis.CEASED_STRENGTHENING,
        Basis.CEASED_WEAKENING,
        Basis.NEGATED_WEAKENING,
        Basis.NEGATED_STRENGTHENING,
        Basis.NEGATED_CHANGE,
        Basis.NEGATED_POSITIVE,
        Basis.VALENCE_BACKOFF,
        Basis.REPLY_DENIAL,
        Basis.REPLY_AFFIRMATION,
        Basis.REPLY_CHANGE,
    }
)
_REPLIES = frozenset(
    {Basis.REPLY_DENIAL, Basis.REPLY_AFFIRMATION, Basis.REPLY_CHANGE, Basis.REPLY_CHANGE_UNCLEAR}
)


@dataclass(frozen=True)
class Cue:
    """Why a label was chosen: the label, the words of the text that decided it, the rule.

    >>> Cue("no change", "not suffer", Basis.NEGATED_WEAKENING, Role.CONTRAST, 1).rule
    'contrast/negated-weakening→no change (+1 more)'
    """

    label: str
    text: str
    basis: Basis
    role: Role | None = None  # of the claim whose trend this is
    agreeing: int = 0  # how many more cues of the claim voted for the same label

    @property
    def rule(self) -> str:
        """The rule as the graph records it: ``[role/]basis[→label][ (+N more)]``."""
        name = f"{self.basis}→{self.label}" if self.turns_to_label else f"{self.basis}"
        prefix = f"{self.role.value}/" if self.role is not None else ""
        more = f" (+{self.agreeing} more)" if self.agreeing else ""
        return prefix + name + more

    @property
    def turns_to_label(self) -> bool:
        """Whether the rule turned the words into a label; a reply that leads nowhere yet
        (a "yes" whose direction the question must supply) names none."""
        return self.basis.turns and self.label != UNCERTAIN


@dataclass(frozen=True)
class Classification:
    """The labels of one claim, each with the cue that decided it."""

    claim_type: Cue
    trend: Cue
    certainty: Cue
    topics: tuple[Cue, ...]
    trend_is_default: bool  # True when no trend cue fired (trend then "uncertain", rule "default")
    text: str = ""  # the claim's words, which the answer-level model reads
