"""Text normalization and match selection shared by the splitter and the classifiers."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import TypeVar

__all__ = ["TOKEN", "is_month", "keep_longest", "lower", "whole_words"]

T = TypeVar("T")

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'"})

#: A word (with inner apostrophes and hyphens) or one punctuation mark.
TOKEN = re.compile(r"\w+(?:['-]\w+)*|[^\w\s]")


def lower(text: str) -> str:
    """Lower-case text with typographic apostrophes made ASCII, keeping every offset.

    >>> lower("Don’t")
    "don't"
    """
    # str.lower() may lengthen a few characters ("İ"); keep those as they are so that
    # match offsets in the copy are offsets in the original.
    low = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    return low.translate(_APOSTROPHES)


def whole_words(patterns: Iterable[str]) -> re.Pattern[str]:
    """One case-sensitive alternation over lower-cased text, whole words only."""
    return re.compile(r"(?<![\w-])(?:" + "|".join(patterns) + r")(?![\w-])")


def keep_longest(found: Iterable[T], span: Callable[[T], tuple[int, int]]) -> list[T]:
    """The matches left when overlaps go to the longer (more specific) one, in text order.

    Among equally long overlapping matches the earlier one in the text wins, then the
    earlier one in ``found``.

    >>> keep_longest([(0, 6), (0, 11), (12, 15)], lambda s: s)
    [(0, 11), (12, 15)]
    """
    ordered = sorted(found, key=lambda f: (-(span(f)[1] - span(f)[0]), span(f)[0]))
    kept: list[tuple[int, int, T]] = []
    for f in ordered:
        start, end = span(f)
        if all(end <= k_start or start >= k_end for k_start, k_end, _ in kept):
            kept.append((start, end, f))
    return [f for _, _, f in sorted(kept, key=lambda k: k[0])]


def is_month(sentence: str, start: int, end: int) -> bool:
    """Whether a match at sentence[start:end] that reads "may" is the month "May".

    Inside a sentence the modal is lower-case; a capital "May" there, alone or before
    a space, comma or period, is the month.

    >>> is_month("It happened in May, not June.", 15, 18)
    True
    >>> is_month("May it last.", 0, 3)
    False
    """
    if start == 0 or not sentence.startswith("May", start):
        return False
    return end == start + 3 or sentence[start + 3 : start + 4] in (" ", ",", ".")
