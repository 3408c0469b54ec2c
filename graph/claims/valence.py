"""General word valence from VADER's lexicon, a backoff where no domain trend cue fires.

The lexicon is the one the ``vaderSentiment`` package ships (``vader_lexicon.txt``, MIT;
Hutto and Gilbert, "VADER: A Parsimonious Rule-based Model for Sentiment Analysis of
Social Media Text", ICWSM 2014): about 7,500 words, each with the mean of ten raters'
valence on a scale from -4 to +4. It is read as data; VADER's analyser is not used, since
its intensity rules are tuned to social-media text.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources

from cakg.errors import InputError
from cakg.graph.claims.matching import TOKEN

__all__ = ["NEGATIVE", "ValenceCue", "valence", "valence_cue"]

#: A word at or below this valence is a negative word ("tension" -1.3, "threat" -2.4); VADER's
#: raters put mildly negative words between -1 and 0 ("limited" -0.9 ... "unclear" -1.0).
NEGATIVE = -1.0
# The sum of a claim's valences must reach this for a direction: one clearly valenced word
# ("hostility" -2.5, "prosper" 2.2), or two milder ones.
_DECISIVE = 1.5
# VADER's own factor for a negated word (N_SCALAR in vaderSentiment.py).
_NEGATED = -0.74
_NEGATION_REACH = 3  # VADER looks three words back for a negator


@cache
def _table() -> dict[str, float]:
    try:
        text = resources.files("vaderSentiment").joinpath("vader_lexicon.txt").read_text("utf-8")
    except (ModuleNotFoundError, FileNotFoundError, OSError) as exc:
        raise InputError(f"VADER's lexicon cannot be read ({exc})", path="vaderSentiment") from None
    table: dict[str, float] = {}
    for line in text.splitlines():
        parts = line.split("\t")
        # only words: the lexicon also rates emoticons (":-(") and slang abbreviations
        if len(parts) >= 2 and parts[0].replace("-", "").replace("'", "").isalpha():
            table[parts[0]] = float(parts[1])
    return table


def valence(word: str) -> float | None:
    """VADER's mean valence of a lower-cased word, else None.

    >>> valence("hostility"), valence("trust"), valence("cooperation")
    (-2.5, 2.3, None)
    """
    return _table().get(word)


@dataclass(frozen=True)
class ValenceCue:
    """The valence of a claim and the words that carry most of it."""

    score: float
    start: int
    end: int


def valence_cue(
    low: str, negators: Iterable[str], skip: Callable[[str], bool] = lambda _: False
) -> ValenceCue | None:
    """The summed valence of a lower-cased claim when it is decisive, with the span from its
    first to its last valenced word of that sign; a word after a negator counts -0.74 times,
    a word for which `skip` is true not at all.

    >>> valence_cue("farmers downstream complain bitterly about the shortages", ["not"])
    ValenceCue(score=-4.1, start=19, end=56)
    >>> valence_cue("this is not a problem", ["not"]) is None
    True
    """
    negating = frozenset(negators)
    tokens = [t for t in TOKEN.finditer(low) if t.group(0)[0].isalpha()]
    rated: list[tuple[float, int, int]] = []
    for i, tok in enumerate(tokens):
        value = valence(tok.group(0))
        if value is None or skip(tok.group(0)):
            continue
        before = (t.group(0) for t in tokens[max(0, i - _NEGATION_REACH) : i])
        if any(w in negating or w.endswith("n't") for w in before):
            value *= _NEGATED
        rated.append((value, tok.start(), tok.end()))
    score = round(sum(v for v, _, _ in rated), 2)
    if abs(score) < _DECISIVE:
        return None
    same = [(s, e) for v, s, e in rated if (v > 0) == (score > 0)]
    return ValenceCue(score, same[0][0], same[-1][1])
