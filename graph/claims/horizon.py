"""When a prediction says it will come true: the words that name a time, as an interval of days.

A horizon is resolved against the article's publication date (the *base*, D): "next year" in
an article of March 2022 is 2023. Every interval is closed (both ends are days inside it):

* a named period is that period, first day to last: a year ("in 2023", "next year"), a half
  or quarter ("in the second half of the year", "in the first quarter of 2023"), a month
  ("in October 2025"; "in November" without a year is the first November not before D's
  month), a season ("in the spring of 2025"; "next spring" is the first spring that begins
  after D; winter runs to the end of February);
* the current year ("this year") and a deadline ("by the end of the year", "by the end of
  next year", "by 2030", "by mid-2024", "until 2026") run from D to the end of the period
  named; so does an event placed in a period ("before the presidential election in 2024":
  the latest the event can fall);
* a span runs from D for that long, keeping the day of the month ("within two years",
  "in the next six months"); "the coming months" are :data:`COMING_MONTHS` months, "the
  coming weeks" a month, "the short term" a year, and "the coming years" :data:`FEW` years;
* a period that ended before D is history the sentence recalls, not a horizon;
* vague words ("soon", "in the long term", "in the near future") give no horizon: a
  prediction without a stated time is marked so, never given a guessed one.

Without a base, a named year, half, season or month with its year still resolves (a
deadline then has no beginning); relative words ("next year") give no horizon.

>>> h = find_horizon("Trade will double by the end of next year.", "2022-03-14")
>>> (h.words, str(h.start), str(h.end))
('by the end of next year', '2022-03-14', '2023-12-31')
>>> find_horizon("Relations will improve in the long term.", "2022-03") is None
True
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from cakg.graph.text.dates import first_day

__all__ = ["FEW", "Horizon", "find_horizon"]

#: How many units "the coming months" or "the next few years" span: a few is three.
FEW = 3
#: How many months "the coming months" and "the months ahead" span (half a year).
COMING_MONTHS = 6

_NUMBERS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "eighteen": 18,
    "fifteen": 15,
    "twenty": 20,
    "a couple of": 2,
    "couple of": 2,
    "a few": FEW,
    "few": FEW,
    "several": FEW,
}
_MONTH_NUMBER = {calendar.month_name[n]: n for n in range(1, 13)}
_CURRENT = ("this", "the current", "the")
# A season's first month and how many months it lasts (meteorological seasons of the
# northern hemisphere; winter runs into the next year's February).
_SEASONS = {"spring": 3, "summer": 6, "autumn": 9, "fall": 9, "winter": 12}
_SEASON = r"(?P<season>spring|summer|autumn|fall|winter)"


@dataclass(frozen=True)
class Horizon:
    """A stated horizon: its interval (None where it cannot be resolved) and its words."""

    start: date | None
    end: date | None
    words: str
    offset: int  # where the words start in the sentence
    length: int


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def _year_end(year: int) -> date:
    return date(year, 12, 31)


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


_COUNT = (
    r"(?P<n>\d{1,2}|a couple of|couple of|a few|few|several|"
    + "|".join(k for k in _NUMBERS if " " not in k and k not in ("few", "several"))
    + ")"
)
_UNIT = r"(?P<unit>year|month|week|decade)s?"
_YEAR = r"(?P<year>20\d\d)"
_MONTHNAME = r"(?P<month>" + "|".join(_MONTH_NUMBER) + ")"
_REL_YEAR = r"(?P<rel>this|next|the current|the following|the coming|the)\s+year"
_PART = (
    r"(?P<part>the first half of|the second half of|the (?:first|second|third|fourth|last) "
    r"quarter of|"
    r"early|late|mid-|the middle of|the beginning of|the start of|the end of)\s*"
)

_EVENT = r"(?:elections?|summit|vote|referendum|olympics|games|congress|talks)"

Resolver = Callable[[re.Match[str], date | None], tuple[date | None, date | None] | None]


def _year_of(m: re.Match[str], base: date | None) -> int | None:
    """The year a match names: written out, or relative to the base."""
    groups = m.groupdict()
    if groups.get("year"):
        return int(groups["year"])
    rel = groups.get("rel")
    if rel is None or base is None:
        return None
    return base.year + (0 if rel.lower() in _CURRENT else 1)


def _part_of_year(part: str | None, year: int) -> tuple[date, date]:
    """The days of a part of a year (halves, quarters; early/late as its first/last third)."""
    spans = {
        "the first half of": (1, 6),
        "the second half of": (7, 12),
        "the first quarter of": (1, 3),
        "the second quarter of": (4, 6),
        "the third quarter of": (7, 9),
        "the fourth quarter of": (10, 12),
        "the last quarter of": (10, 12),
        "early": (1, 4),
        "the beginning of": (1, 4),
        "the start of": (1, 4),
        "mid-": (5, 8),
        "the middle of": (5, 8),
        "late": (9, 12),
        "the end of": (9, 12),
    }
    first, last = spans.get(part or "", (1, 12))
    return date(year, first, 1), _month_end(year, last)


def _named_year(m: re.Match[str], base: date | None) -> tuple[date | None, date | None] | None:
    year = _year_of(m, base)
    if year is None:
        return None
    part = m.groupdict().get("part")
    start, end = _part_of_year(part, year)
    if base is not None and part is None and (m.groupdict().get("rel") or "").lower() in _CURRENT:
        start = max(start, base)
    return start, end


def _deadline_year(m: re.Match[str], base: date | None) -> tuple[date | None, date | None] | None:
    year = _year_of(m, base)
    if year is None:
        return None
    part = m.groupdict().get("part")
    end = date(year, 6, 30) if part in ("mid-", "the middle of") else _year_end(year)
    if part in ("the beginning of", "the start of", "early"):
        end = _month_end(year, 4)
    return base, end


def _deadline_event(m: re.Match[str], base: date | None) -> tuple[date | None, date | None] | None:
    year = int(m.group("year"))
    month = m.group("month")
    if month:
        return base, _month_end(year, _MONTH_NUMBER[month.capitalize()])
    return base, _year_end(year)


def _named_month(m: re.Match[str], base: date | None) -> tuple[date | None, date | None] | None:
    month = _MONTH_NUMBER[m.group("month")]
    year = int(m.group("year")) if m.group("year") else None
    if year is None:
        if base is None:
            return None
        year = base.year if month >= base.month else base.year + 1
    if m.group("by"):
        return base, _month_end(year, month)
    return date(year, month, 1), _month_end(year, month)


def _season_days(season: str, year: int) -> tuple[date, date]:
    first = _SEASONS[season.lower()]
    end = _add_months(date(year, first, 1), 3)
    return date(year, first, 1), date.fromordinal(end.toordinal() - 1)


def _season(m: re.Match[str], base: date | None) -> tuple[date | None, date | None] | None:
    """A season with its year; else "next" is the first that begins after the base, "this"
    the one the base falls in or the next."""
    season = m.group("season")
    if m.groupdict().get("year"):
        return _season_days(season, int(m.group("year")))
    if base is None:
        return None
    for year in (base.year - 1, base.year, base.year + 1):
        start, end = _season_days(season, year)
        if start > base or (m.group("which").lower() == "this" and end >= base):
            return start, end
    return None  # pragma: no cover - the next year's season always begins after the base


def _next_month(m: re.Match[str], base: date | None) -> tuple[date | None, date | None] | None:
    if base is None:
        return None
    first = _add_months(date(base.year, base.month, 1), 1)
    return first, _month_end(first.year, first.month)


def _span(m: re.Match[str], base: date | None) -> tuple[date | None, date | None] | None:
    if base is None:
        return None
    raw = (m.groupdict().get("n") or "").lower()
    unit = m.group("unit").lower()
    count = int(raw) if raw.isdigit() else _NUMBERS.get(raw, 1)
    if m.groupdict().get("vague"):
        count = {"month": COMING_MONTHS, "week": 1}.get(unit, FEW)
        if unit == "week":  # "the coming weeks": a month
            return base, _add_months(base, 1)
    if unit.startswith("week"):
        return base, date.fromordinal(base.toordinal() + 7 * count)
    months = count * {"year": 12, "month": 1, "decade": 120}[unit]
    return base, _add_months(base, months)


def _short_term(m: re.Match[str], base: date | None) -> tuple[date | None, date | None] | None:
    """ "In the short term": a year from the base."""
    return None if base is None else (base, _add_months(base, 12))


def _decade_end(m: re.Match[str], base: date | None) -> tuple[date | None, date | None] | None:
    if base is None:
        return None
    return base, _year_end(base.year // 10 * 10 + 9)


# (pattern, resolver), most specific first; the earliest match in the sentence wins and, at
# the same place, the longest.
_RULES: list[tuple[re.Pattern[str], Resolver]] = [
    (
        re.compile(
            rf"\b(?:by|before|until|till|through|no later than)\s+(?:the\s+end\s+of\s+)?"
            rf"(?:{_YEAR}|{_REL_YEAR})\b",
            re.IGNORECASE,
        ),
        _deadline_year,
    ),
    (
        re.compile(
            rf"\bby\s+(?P<part>mid-|the middle of|the beginning of|early)\s*{_YEAR}\b", re.I
        ),
        _deadline_year,
    ),
    (
        re.compile(
            rf"\b(?:before|ahead of|by)\s+the\s+{_YEAR}\s+(?:[a-z]+\s+){{0,2}}{_EVENT}\b",
            re.IGNORECASE,
        ),
        _deadline_year,
    ),
    # An event the text places in a period: the latest it can fall is that period's end.
    (
        re.compile(
            rf"\b(?:before|ahead of)\s+(?:the\s+|a\s+|next\s+)?(?:[a-z-]+\s+){{0,3}}"
            rf"{_EVENT}\s+(?:(?:in|of|due\s+in|set\s+for|scheduled\s+for)\s+)"
            rf"(?:(?P<month>{'|'.join(_MONTH_NUMBER)})\s+)?{_YEAR}\b",
            re.IGNORECASE,
        ),
        _deadline_event,
    ),
    (re.compile(r"\bby\s+the\s+end\s+of\s+the\s+decade\b", re.I), _decade_end),
    # Month names are matched capitalized and after a preposition or before a year only:
    # "may" and "march" are also words.
    (
        re.compile(rf"\b(?:(?P<by>by|until|before)|in|during)\s+{_MONTHNAME}(?:\s+{_YEAR})?\b"),
        _named_month,
    ),
    (re.compile(rf"\b(?P<by>)(?<![Bb]y ){_MONTHNAME}\s+{_YEAR}\b"), _named_month),
    (
        re.compile(
            rf"\b(?:in|during|over|within|throughout)\s+(?:{_PART})?(?:{_YEAR}|{_REL_YEAR})\b",
            re.I,
        ),
        _named_year,
    ),
    (re.compile(rf"\b(?:in\s+)?(?P<part>early|late|mid-)\s*{_YEAR}\b", re.I), _named_year),
    (re.compile(r"\b(?P<rel>this|next)\s+year\b", re.I), _named_year),
    (re.compile(rf"\b(?P<which>this|next)\s+{_SEASON}\b", re.I), _season),
    (re.compile(rf"\b(?:in\s+)?(?:the\s+)?{_SEASON}\s+(?:of\s+)?{_YEAR}\b", re.I), _season),
    (re.compile(r"\bin\s+the\s+short\s+term\b", re.I), _short_term),
    (re.compile(r"\bnext\s+month\b", re.I), _next_month),
    (
        re.compile(
            rf"\b(?:within|in|over|during|for)\s+the\s+(?:next|coming|following)\s+{_COUNT}\s+{_UNIT}\b",
            re.IGNORECASE,
        ),
        _span,
    ),
    (re.compile(rf"\b(?:within|in)\s+{_COUNT}\s+{_UNIT}\b", re.I), _span),
    (
        re.compile(
            r"\b(?:within|in|over|during)\s+the\s+(?P<vague>coming|next\s+few|following|"
            r"next\s+several)\s+(?P<unit>month|year|week)s\b",
            re.IGNORECASE,
        ),
        _span,
    ),
    (
        re.compile(
            r"\b(?:in|over)\s+the\s+(?P<unit>month|year)s\s+(?P<vague>ahead|to\s+come)\b", re.I
        ),
        _span,
    ),
    (re.compile(r"\b(?:within|in|over)\s+the\s+next\s+(?P<unit>year|month|decade)\b", re.I), _span),
    (re.compile(r"\bwithin\s+(?:a|one)\s+(?P<unit>year|month|decade)\b", re.I), _span),
]


def find_horizon(sentence: str, published: str | None) -> Horizon | None:
    """The horizon a sentence states, resolved against the article's date (ISO, any
    precision; its first day is the base); None when it states none."""
    base = first_day(published) if published else None
    best: tuple[int, int, Horizon] | None = None
    for pattern, resolve in _RULES:
        for m in pattern.finditer(sentence):
            interval = resolve(m, base)
            relative = interval is None
            start, end = interval if interval is not None else (None, None)
            if base is not None and end is not None and end < base:
                continue  # a period that is over: the sentence recalls it
            if relative and base is not None:
                continue
            words = m.group(0).strip()
            key = (m.start(), -len(words))
            if best is None or key < (best[0], best[1]):
                best = (key[0], key[1], Horizon(start, end, words, m.start(), len(words)))
    return best[2] if best is not None else None
