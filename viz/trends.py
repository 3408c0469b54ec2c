"""The trends a view shows: the ontology's trend concepts, plus a tie ('mixed') and 'none'.

Which trends exist comes from :mod:`cakg.graph.vocabulary`; a view adds two states of its
own: ``mixed`` when an expert's claims on a subject split evenly between trends, and
``none`` for a claim without a trend. Claim counts per trend travel as GraphML-legal node
and edge attributes (``n_strengthening``, ..., ``n_none``).

>>> trend_keys()
('strengthening', 'weakening', 'no-change', 'uncertain')
>>> trend_labels()["no-change"], trend_labels()[MIXED]
('no change', 'mixed (tie)')
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from functools import cache
from typing import Any

from cakg.graph.vocabulary import vocabulary

__all__ = [
    "MIXED",
    "NONE",
    "TREND_SCORE",
    "count_attribute",
    "dominant",
    "trend_counts",
    "trend_keys",
    "trend_labels",
    "trends_counted",
]

MIXED = "mixed"
NONE = "none"

# Net direction of each trend concept, for the stance score and the heat-map
# (tests/test_views.py checks that it covers exactly the vocabulary).
TREND_SCORE: dict[str, float] = {
    "strengthening": 1.0,
    "weakening": -1.0,
    "no-change": 0.0,
    "uncertain": 0.0,
}


@cache
def trend_keys() -> tuple[str, ...]:
    """The keys of the ontology's trend concepts, in the vocabulary's order."""
    return tuple(c.key for c in vocabulary("trend"))


@cache
def trend_labels() -> dict[str, str]:
    """Trend key -> label: the vocabulary's concepts, then the view's own 'mixed' and 'none'."""
    return {
        **{c.key: c.label for c in vocabulary("trend")},
        MIXED: "mixed (tie)",
        NONE: "not classified",
    }


def count_attribute(trend: str) -> str:
    """The attribute that counts a trend's claims (a GraphML key cannot hold a hyphen).

    >>> count_attribute("no-change")
    'n_no_change'
    """
    return f"n_{trend.replace('-', '_')}"


def trend_counts(trends: Iterable[str | None]) -> dict[str, int]:
    """Claims per trend as GraphML-legal attributes (n_strengthening, ..., n_none).

    >>> trend_counts(["weakening", None, "weakening"])["n_weakening"]
    2
    """
    c = Counter(t or NONE for t in trends)
    return {count_attribute(t): c.get(t, 0) for t in [*trend_keys(), NONE]}


def trends_counted(attrs: Mapping[str, Any]) -> dict[str, int]:
    """The non-zero claim counts per trend that :func:`trend_counts` stored in ``attrs``.

    >>> trends_counted(trend_counts(["weakening", None]))
    {'weakening': 1, 'none': 1}
    """
    out = {}
    for t in [*trend_keys(), NONE]:
        c = int(attrs.get(count_attribute(t), 0) or 0)
        if c:
            out[t] = c
    return out


def dominant(counts: Counter[str]) -> str:
    """The most frequent trend; 'mixed' on a tie between directions.

    >>> dominant(Counter({"weakening": 2, "no-change": 1}))
    'weakening'
    >>> dominant(Counter({"weakening": 1, "strengthening": 1}))
    'mixed'
    """
    if not counts:
        return NONE
    ranked = counts.most_common()
    if len(ranked) > 1 and ranked[0][1] == ranked[1][1]:
        return MIXED
    return ranked[0][0]
