"""Dates and forecast horizons measured against a gold annotation of a dated roundup.

The gold (``tests/fixtures/series/gold/README.md``) gives an article's ``date`` (or null)
and ``date_source``, and for each answer its ``predictions``: every forecast sentence,
with the horizon it states (``start``, ``end``, ``words``) or null. A gold prediction is
found among its answer's claims by its words (a claim inside the sentence, or the
sentence inside a claim); its horizon is right when both ends are the gold's days, and
invented when the gold says the sentence states none but the graph gives one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from cakg.graph.extract.article import Extraction
from cakg.graph.extract.horizons import horizons

__all__ = ["TimeScores", "evaluate_time"]


@dataclass
class TimeScores:
    """How an article's date and its predictions' horizons compare with the gold."""

    date_expected: str | None
    date_found: str | None
    source_expected: str
    source_found: str
    stated: int = 0  # gold predictions that state a horizon (and were found)
    stated_right: int = 0
    unstated: int = 0  # gold predictions that state none (and were found)
    invented: int = 0
    missing: int = 0  # gold predictions no claim of their answer matches
    errors: list[str] = field(default_factory=list)

    @property
    def date_right(self) -> bool:
        return self.date_expected == self.date_found and self.source_expected == self.source_found

    @property
    def horizon_accuracy(self) -> float:
        return self.stated_right / self.stated if self.stated else 1.0


def _norm(text: str) -> str:
    return " ".join(text.replace("\xa0", " ").split()).casefold()


def evaluate_time(
    ex: Extraction, gold: dict[str, Any], matched: list[tuple[dict[str, Any], int]]
) -> TimeScores:
    """Compare an extraction's date and horizons with the gold; `matched` pairs each gold
    answer with the index of the extracted answer found for it."""
    meta = ex.article.meta
    scores = TimeScores(
        date_expected=str(gold["date"]) if gold.get("date") else None,
        date_found=str(meta["date_published"]) if meta.get("date_published") else None,
        source_expected=str(gold.get("date_source") or "none"),
        source_found=str(meta.get("date_source") or "none"),
    )
    if not scores.date_right:
        scores.errors.append(
            f"date {scores.date_found} ({scores.source_found}) ≠ gold "
            f"{scores.date_expected} ({scores.source_expected})"
        )
    horizon_of = {h.claim.iri: h.horizon for h in horizons(ex.records)}
    for ga, i in matched:
        answer = ex.answers[i]
        claims = [c for c in ex.claims if c.answer_iri == answer.iri]
        for p in ga.get("predictions") or []:
            want = _norm(str(p["text"]))
            mine = [c for c in claims if _norm(c.text) in want or want in _norm(c.text)]
            if not mine:
                scores.missing += 1
                scores.errors.append(f"prediction not found: {p['text'][:60]}")
                continue
            got = next((h for c in mine if (h := horizon_of.get(c.iri)) is not None), None)
            expected = p.get("horizon")
            if expected is None:
                scores.unstated += 1
                if got is not None:
                    scores.invented += 1
                    scores.errors.append(f"horizon invented ({got.words!r}): {p['text'][:60]}")
                continue
            scores.stated += 1
            ends = (str(got.start), str(got.end)) if got is not None else None
            if ends == (str(expected["start"]), str(expected["end"])):
                scores.stated_right += 1
            else:
                scores.errors.append(
                    f"horizon {ends} ({got.words if got else None!r}) ≠ gold "
                    f"({expected['start']}, {expected['end']}) {expected['words']!r}"
                )
    return scores
