"""An article's publication date, from wherever its file carries one, and where it came from.

Looked for in this order, the first found wins: the sidecar ``<stem>.meta.yaml``, Markdown
front matter, the page's JSON-LD ``datePublished`` (schema.org), its ``<meta>`` tags
(Open Graph ``article:published_time`` and the usual alternatives), a ``<time datetime>``
element, and last a dateline opening a paragraph of the text ("ALMATY, 14 March 2022 —").
An article with none has no date: never the day it was read.

A date keeps the precision it is written with: ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``.

>>> iso_date("2023-06-12T09:30:00+05:00"), iso_date("14 March 2022"), iso_date("March 2022")
('2023-06-12', '2022-03-14', '2022-03')
>>> found = publication_date({}, {}, "", "ALMATY, 14 March 2022 — The summit...", "text")
>>> (found.value, found.source)
('2022-03-14', 'dateline')
"""

from __future__ import annotations

import calendar
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

__all__ = ["PublicationDate", "dated", "first_day", "iso_date", "last_day", "publication_date"]

#: Metadata keys (sidecar or front matter) that hold the publication date, preferred first.
DATE_KEYS = ("date_published", "datePublished", "published", "date")

# <meta> tags that carry a publication date: Open Graph's article namespace
# (https://ogp.me/#type_article), schema.org microdata, Dublin Core and the common others.
_META_NAMES = (
    "article:published_time",
    "og:published_time",
    "datepublished",
    "dc.date.issued",
    "dcterms.issued",
    "dc.date",
    "pubdate",
    "publish-date",
    "date",
)

_MONTHS = {
    name.lower(): n
    for n in range(1, 13)
    for name in (calendar.month_name[n], calendar.month_abbr[n])
} | {"sept": 9}
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_WRITTEN = (
    re.compile(rf"^{_DAY}\s+{_MONTH},?\s+{_YEAR}$", re.IGNORECASE),
    re.compile(rf"^{_MONTH}\s+{_DAY},?\s+{_YEAR}$", re.IGNORECASE),
    re.compile(rf"^{_MONTH},?\s+{_YEAR}$", re.IGNORECASE),
    re.compile(r"^(?P<day>\d{1,2})[./](?P<month>\d{1,2})[./](?P<year>(?:19|20)\d\d)$"),
)
_ISO = re.compile(r"^(?P<year>\d{4})(?:-(?P<month>\d{2})(?:-(?P<day>\d{2}))?)?(?:[T ].*)?$")

# A dateline: a place in capitals, a comma, a date, then a dash (AP Stylebook "datelines").
_DATELINE = re.compile(
    r"^(?:[A-Z][A-Z.'’-]+(?:\s+[A-Z][A-Z.'’-]+)*),\s+(?P<date>[^—–\n]{6,30}?)\s*(?:—|–|--|-)\s",
    re.MULTILINE,
)
# Datelines are looked for near the top only: a later paragraph opening with a place and a
# date quotes an event, not the article's own date.
_DATELINE_WINDOW = 3000


@dataclass(frozen=True)
class PublicationDate:
    """A publication date (ISO, as precise as written) and where it was found."""

    value: str
    source: str  # sidecar | front-matter | html-meta (JSON-LD, <meta> or <time>) | dateline


def iso_date(raw: object) -> str | None:
    """A written date as ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``; None when it is not a date."""
    text = " ".join(str(raw).strip().split())
    m = _ISO.match(text)
    if m:
        return _checked(m.group("year"), m.group("month"), m.group("day"))
    for pattern in _WRITTEN:
        m = pattern.match(text)
        if m:
            month = m.group("month").lower().rstrip(".")
            number = str(_MONTHS[month]) if month in _MONTHS else month
            day = m.groupdict().get("day")
            return _checked(m.group("year"), number, day)
    return None


def _checked(year: str, month: str | None, day: str | None) -> str | None:
    try:
        if day is not None and month is not None:
            return date(int(year), int(month), int(day)).isoformat()
        if month is not None:
            return f"{int(year):04d}-{date(int(year), int(month), 1).month:02d}"
    except ValueError:
        return None
    return f"{int(year):04d}"


def first_day(value: str) -> date:
    """The first day an ISO date of any precision covers.

    >>> first_day("2022-01"), first_day("2022")
    (datetime.date(2022, 1, 1), datetime.date(2022, 1, 1))
    """
    parts = [int(p) for p in value.split("-")] + [1, 1]
    return date(parts[0], parts[1], parts[2])


def last_day(value: str) -> date:
    """The last day an ISO date of any precision covers.

    >>> last_day("2024-02"), last_day("2023")
    (datetime.date(2024, 2, 29), datetime.date(2023, 12, 31))
    """
    parts = [int(p) for p in value.split("-")]
    if len(parts) == 3:
        return date(parts[0], parts[1], parts[2])
    month = parts[1] if len(parts) == 2 else 12
    return date(parts[0], month, calendar.monthrange(parts[0], month)[1])


def _from_keys(meta: Mapping[str, Any]) -> str | None:
    for key in DATE_KEYS:
        if meta.get(key) not in (None, ""):
            return iso_date(meta[key])
    return None


def _html_dates(html: str) -> Iterator[tuple[str, str]]:
    """(source, raw date) candidates of a page, in the order they are trusted."""
    from bs4 import BeautifulSoup, Tag

    soup = BeautifulSoup(html, "lxml")
    for script in soup.find_all("script", attrs={"type": "application/ld+json"}):
        yield from (("html-meta", d) for d in _json_ld_dates(script.get_text()))
    for tag in soup.find_all("meta"):
        if not isinstance(tag, Tag):
            continue
        key = str(tag.get("property") or tag.get("name") or tag.get("itemprop") or "").lower()
        if key in _META_NAMES and tag.get("content"):
            yield "html-meta", str(tag.get("content"))
    for tag in soup.find_all("time"):
        if isinstance(tag, Tag) and tag.find_parent(["aside", "nav", "footer"]) is None:
            yield "html-meta", str(tag.get("datetime") or tag.get_text(" "))


def _json_ld_dates(text: str) -> Iterator[str]:
    try:
        data = json.loads(text)
    except ValueError:
        return
    stack = [data]
    while stack:
        item = stack.pop(0)
        if isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, dict):
            if isinstance(item.get("datePublished"), str):
                yield item["datePublished"]
            stack.extend(v for v in item.values() if isinstance(v, list | dict))


def _dateline(text: str) -> str | None:
    for m in _DATELINE.finditer(text[:_DATELINE_WINDOW]):
        found = iso_date(m.group("date"))
        if found is not None:
            return found
    return None


def publication_date(
    given: Mapping[str, Any], front: Mapping[str, Any], raw: str, text: str, fmt: str
) -> PublicationDate | None:
    """The date of an article: `given` is its sidecar metadata, `front` its front matter,
    `raw` the file's text (for HTML), `text` the text as read."""
    found = _from_keys(given)
    if found is not None:
        return PublicationDate(found, "sidecar")
    found = _from_keys(front)
    if found is not None:
        return PublicationDate(found, "front-matter")
    if fmt == "html":
        for source, value in _html_dates(raw):
            found = iso_date(value)
            if found is not None:
                return PublicationDate(found, source)
    found = _dateline(text)
    return PublicationDate(found, "dateline") if found is not None else None


def dated(
    meta: Mapping[str, Any],
    given: Mapping[str, Any],
    front: Mapping[str, Any],
    raw: str,
    text: str,
    fmt: str,
) -> dict[str, Any]:
    """`meta` with ``date_published`` and ``date_source`` from :func:`publication_date`
    (neither when the article carries no date)."""
    out = {k: v for k, v in meta.items() if k not in ("date_published", "date_source")}
    found = publication_date(given, front, raw, text, fmt)
    if found is not None:
        out["date_published"], out["date_source"] = found.value, found.source
    return out
