"""The structure of an expert-roundup article: title, lead, experts, questions and answers.

Two layouts are read:

* **expert blocks** — a header ``Name, role, affiliation (Country):`` opens each
  expert's block (a bare name line may stand before it, or after the first
  question); questions are one-sentence lines ending in ``?``; an answer runs to
  the next question or expert;
* **topic headings** — a heading line per topic, under which every expert answers
  in a paragraph that starts ``Name (Country): ...``.

Nothing here knows any particular article: people, countries and questions are
recognized by the shape of the lines, and a header's country must be a state the
reference data knows.

>>> text = "A Title\\n\\nLead.\\n\\nAnna Li, analyst (Kazakhstan):\\n\\nWill it change?\\n\\nNo.\\n"
>>> s = parse_structure(text, resolve_country=lambda c: c == "Kazakhstan")
>>> [(e.name, e.role, e.country) for e in s.experts]
[('Anna Li', 'analyst', 'Kazakhstan')]
>>> [text[a.start:a.end] for a in s.answers]
['No.']
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
from itertools import pairwise

from cakg.graph.text.headers import (
    looks_like_name,
    looks_like_pen_name,
    near_miss,
    parse_header,
    role_line,
)
from cakg.graph.text.headers import split_role_affiliation as split_role_affiliation
from cakg.graph.text.interview import introduced, named, role_in

__all__ = [
    "AnswerBlock",
    "ArticleStructure",
    "ExpertHeader",
    "QuestionLine",
    "parse_structure",
]


# The states a paragraph names, as (start, end, surface), and the people the reference
# data knows; given by the caller, who has the gazetteer.
Locator = Callable[[str], tuple[list[tuple[int, int, str]], list[str]]]


class Kind(Enum):
    BLANK = "blank"
    BOILER = "boiler"
    FOOTER = "footer"
    HEADER = "header"
    INLINE = "inline"
    QUESTION = "question"
    NAME = "name"
    ROLE = "role"  # the role-and-country line under a name line
    HEADING = "heading"
    PARA = "para"


@dataclass
class ExpertHeader:
    """An expert as introduced by a header line."""

    name: str
    role: str | None
    affiliation: str | None
    country: str | None  # None when the header names no state
    line: int
    start: int  # span of the header's text (without markup)
    end: int


@dataclass
class QuestionLine:
    """One question (or topic heading) as it stands in the article."""

    index: int  # 0-based reading order
    text: str
    start: int
    end: int
    line: int


@dataclass
class AnswerBlock:
    """One expert's answer to one question: the span of its paragraphs."""

    expert: str
    question: int
    start: int
    end: int
    line: int
    paragraphs: list[tuple[int, int]] = field(default_factory=list)


@dataclass
class ArticleStructure:
    """What the parser found, with offsets into the article text."""

    title: str | None
    title_span: tuple[int, int] | None
    lead: list[tuple[int, int]]
    publisher: str | None
    experts: list[ExpertHeader]
    questions: list[QuestionLine]
    answers: list[AnswerBlock]
    layout: str  # "expert-blocks" | "topic-headings"
    warnings: list[str] = field(default_factory=list)
    # Lines after which who is speaking is unsure: (line, why); the build stops on them.
    ambiguous: list[tuple[int, str]] = field(default_factory=list)
    # Lines that look like an expert header but are none: (line, text, what it lacks).
    near_misses: list[tuple[int, str, str]] = field(default_factory=list)


@dataclass
class _Line:
    number: int
    start: int  # offsets of the content without markup and whitespace
    end: int
    content: str
    kind: Kind = Kind.PARA
    header: ExpertHeader | None = None
    inline_start: int | None = None  # INLINE: where the answer text begins
    loose: bool = False  # a header without a colon
    asks: bool = False  # marked as a question ("Q:"), whether or not it ends in "?"
    miss: str | None = None  # looks like an expert header but is none: what it lacks


# --- line classification -------------------------------------------------------------------

_BOILER = re.compile(
    r"^(?:©|\(c\)\s|copyright\b|please make active links|when using materials|"
    r"all rights reserved|photo:|source:|read also\b|see also\b)",
    re.IGNORECASE,
)
# A paragraph wholly in emphasis ("*The next interview in this series looks at ...*").
_EMPHASIZED = re.compile(r"([*_]{1,3})[^*_\s](?:.*[^*_\s])?\1")
_FOOTER = re.compile(
    r"^(?:if you have found a (?:spelling|typo)|spelling error report|"
    r"the following text will be sent|share (?:this|on)\b|related (?:articles|posts|materials)|"
    r"subscribe to|tags?:)",
    re.IGNORECASE,
)
# Interview markers ("Q:", "A:") are markup too: an answer reaches the classifier without them.
_MARKUP_LEAD = re.compile(
    r"^(?:#{1,6}\s+|>\s*|[*_]{1,3}(?=\S)|(?:Q|A|Question|Answer)\s*:[*_]{0,3}\s+)"
)
_ASKS = re.compile(r"^[\s*_>#]*(?:Q|Question)\s*:")
_MARKUP_TAIL = re.compile(r"(?<=\S)[*_]{1,3}$")


def _strip_markup(raw: str, offset: int) -> tuple[int, int, str]:
    """Offsets and text of a line without surrounding whitespace and Markdown markers."""
    start, end = 0, len(raw)
    while True:
        stripped = raw[start:end]
        lead = len(stripped) - len(stripped.lstrip())
        tail = len(stripped) - len(stripped.rstrip())
        start, end = start + lead, end - tail
        m = _MARKUP_LEAD.match(raw[start:end])
        t = _MARKUP_TAIL.search(raw[start:end])
        if m and m.end() > 0:
            start += m.end()
            continue
        if t:
            end -= len(t.group(0))
            continue
        break
    return offset + start, offset + end, raw[start:end]


def _is_question(content: str) -> bool:
    text = content.rstrip('*_ "”»')
    if not text.endswith("?") or len(text) > 320:
        return False
    # One sentence only: a paragraph of several sentences ending in a question is an answer.
    body = text[:-1]
    return not re.search(r"[.!?…]\s+[A-Z“\"«]", body)


def _is_heading(raw: str, content: str) -> bool:
    if raw.lstrip().startswith("#"):
        return True
    words = content.split()
    return (
        0 < len(words) <= 10
        and content[:1].isupper()
        and not re.search(r"[.,;:!]$", content)
        and not looks_like_name(content)
    )


def _classify(lines: list[_Line], raws: list[str], resolve_country: Callable[[str], bool]) -> None:
    for ln in lines:
        if not ln.content:
            ln.kind = Kind.BLANK
            continue
        if _FOOTER.match(ln.content):
            ln.kind = Kind.FOOTER
            continue
        if _BOILER.match(ln.content):
            ln.kind = Kind.BOILER
            continue
        h = parse_header(ln.content, resolve_country)
        if h is not None:
            ln.header = ExpertHeader(
                h.name, h.role, h.affiliation, h.country, ln.number, ln.start, ln.end
            )
            if h.tail is not None:
                ln.kind = Kind.INLINE
                ln.inline_start = ln.start + h.tail
                ln.header.end = ln.inline_start
                # trim the header's own closing markup from the header span
                while (
                    ln.header.end > ln.start and ln.content[ln.header.end - ln.start - 1] in " *_"
                ):
                    ln.header.end -= 1
            else:
                ln.kind = Kind.HEADER
                ln.loose = not h.colon
            continue
        # A numbered question ("2. Will ...?"): the number is the list's, not the question's.
        number = re.match(r"\d{1,2}[.)]\s+", ln.content)
        if number and _is_question(ln.content[number.end() :]):
            ln.start += number.end()
            ln.content = ln.content[number.end() :]
        if ln.asks or _is_question(ln.content):
            ln.kind = Kind.QUESTION
            continue
        if _is_heading(raws[ln.number - 1], ln.content):
            ln.kind = Kind.HEADING
            continue
        ln.kind = Kind.PARA
    _participants(lines)
    _quoted_attributions(lines)
    _name_then_role(lines, raws, resolve_country)
    names = {ln.header.name for ln in lines if ln.header is not None}
    for ln in lines:
        if ln.kind in (Kind.PARA, Kind.HEADING) and ln.content.strip(" *_:") in names:
            ln.kind = Kind.NAME
        elif ln.kind in (Kind.PARA, Kind.HEADING):
            ln.miss = near_miss(ln.content, resolve_country)


_QUOTATION = re.compile(r"^[“\"«„].*[”\"»“]$")


def _quoted_attributions(lines: list[_Line]) -> None:
    """A header-shaped line inside an answer that attributes the quotation under it.

    The answer runs on after the quotation (a paragraph, not a question): the quoted
    person is cited by the expert, and the line and quotation stay in the expert's answer.
    """
    content = [ln for ln in lines if ln.kind not in (Kind.BLANK, Kind.BOILER)]
    for before, ln, quote, after in zip(
        content, content[1:], content[2:], content[3:], strict=False
    ):
        if (
            ln.kind == Kind.HEADER
            and before.kind == Kind.PARA
            and quote.kind == Kind.PARA
            and after.kind == Kind.PARA
            and _QUOTATION.match(quote.content)
        ):
            ln.kind, ln.header = Kind.PARA, None


def _closing_note(lines: list[_Line], raws: list[str]) -> None:
    """An editor's note that closes the article, a paragraph wholly in emphasis after the
    last answer ("*The next interview in this series looks at ...*"), belongs to no answer."""
    for ln in reversed(lines):
        if ln.kind in (Kind.BLANK, Kind.BOILER, Kind.FOOTER):
            continue
        if ln.kind == Kind.PARA and _EMPHASIZED.fullmatch(raws[ln.number - 1].strip()):
            ln.kind = Kind.FOOTER
            continue
        return


def _participants(lines: list[_Line]) -> None:
    """Colon-less headers that list the participants (two in a row, or above topic headings).

    They are the lead's roster, not the start of an answer: the experts speak further down.
    """
    content = [ln for ln in lines if ln.kind not in (Kind.BLANK, Kind.BOILER)]
    inline = any(ln.kind == Kind.INLINE for ln in content)
    for i, ln in enumerate(content):
        if not ln.loose:
            continue
        near = content[max(i - 1, 0) : i] + content[i + 1 : i + 2]
        if inline or any(o.kind == Kind.HEADER and o.loose for o in near):
            ln.kind, ln.header = Kind.PARA, None


def _name_then_role(
    lines: list[_Line], raws: list[str], resolve_country: Callable[[str], bool]
) -> None:
    """A name on its own line (a heading, a bold line) with role and country on the next."""
    content = [ln for ln in lines if ln.kind not in (Kind.BLANK, Kind.BOILER)]
    for ln, nxt in pairwise(content):
        if ln.kind not in (Kind.PARA, Kind.HEADING) or nxt.kind not in (Kind.PARA, Kind.HEADING):
            continue
        name = ln.content.strip(" *_:")
        # A one-word pen name counts only in a heading or a bold line of its own.
        set_off = raws[ln.number - 1].lstrip()[:1] in ("#", "*", "_")
        if not (looks_like_name(name) or (set_off and looks_like_pen_name(name))):
            continue
        found = role_line(nxt.content, resolve_country)
        if found is None:
            continue
        role, affiliation, country = found
        ln.kind, nxt.kind = Kind.HEADER, Kind.ROLE
        ln.header = ExpertHeader(name, role, affiliation, country, ln.number, ln.start, nxt.end)


def _introductions(lines: list[_Line], locate: Locator) -> None:
    """Interview layout: the paragraph right before a question that introduces one person.

    Where header lines introduce experts, only paragraphs above the first header are read
    so: below it, a paragraph before a question is the end of an answer.
    """
    first_header = next(
        (i for i, ln in enumerate(lines) if ln.kind in (Kind.HEADER, Kind.INLINE)), len(lines)
    )
    content = [ln for ln in lines[:first_header] if ln.kind not in (Kind.BLANK, Kind.BOILER)]
    experts = {ln.header.name for ln in lines if ln.header is not None}
    found: list[tuple[_Line, list[str]]] = []
    for ln, nxt in pairwise(content):
        if ln.kind != Kind.PARA or nxt.kind != Kind.QUESTION:
            continue
        states, known = locate(ln.content)
        people = introduced(ln.content, states, known)
        if len(people) == 1:
            (name, country), ln.miss = people[0], None
            role, affiliation = role_in(ln.content, name, states)
            ln.kind = Kind.HEADER
            ln.header = ExpertHeader(name, role, affiliation, country, ln.number, ln.start, ln.end)
            experts.add(name)
        elif people:
            ln.miss = _several([n for n, _ in people])
        else:
            found.append((ln, named(ln.content, known)))
    # Several experts named together right before a question: whose answer follows?
    for ln, names in found:
        if len(names) >= 2 and experts.intersection(names):
            ln.miss = _several(names)


def _several(names: list[str]) -> str:
    return f"names {len(names)} people at once ({' and '.join(names)}) before a question"


def _publisher(content: str) -> str | None:
    m = re.match(r"^(?:©|\(c\)|copyright)\s*(?:\d{4}\s*)?(?P<name>.+)$", content, re.IGNORECASE)
    return m.group("name").strip() if m else None


_ROSTER = re.compile(
    r"(?<![\w’'])(?P<name>[A-ZÀ-ÖØ-Þ][\w’'\-]+(?:[ \t]+(?:[A-Z]\.|[A-ZÀ-ÖØ-Þ][\w’'\-]+)){1,3})"
    r"\s*,\s*(?P<rest>[^();\n]{2,200}?)\s*\((?P<country>[^()\n]{2,60})\)"
)


def _roster(
    text: str, resolve_country: Callable[[str], bool]
) -> dict[str, tuple[str | None, str | None]]:
    """Participants listed before the answers ("A, role (Country); B, role, Institute (Country)").

    Topic-heading articles often name each expert's role only there, not where they answer.
    """
    found: dict[str, tuple[str | None, str | None]] = {}
    for m in _ROSTER.finditer(text):
        name = m.group("name")
        if looks_like_name(name) and resolve_country(m.group("country").strip()):
            found.setdefault(name, split_role_affiliation(m.group("rest")))
    return found


def parse_structure(
    text: str, resolve_country: Callable[[str], bool], locate: Locator | None = None
) -> ArticleStructure:
    """Find title, lead, experts, questions and answers; offsets index `text`.

    `resolve_country` says whether a header's parenthesized text names a state: only then
    is the line an expert header (so "(see above):" never makes a person). `locate` finds
    the states a paragraph names (and the people the reference data knows), for articles
    whose experts are introduced in prose.
    """
    raws = text.split("\n")
    lines: list[_Line] = []
    offset = 0
    for i, raw in enumerate(raws, start=1):
        start, end, content = _strip_markup(raw, offset)
        lines.append(_Line(i, start, end, content, asks=_ASKS.match(raw) is not None))
        offset += len(raw) + 1
    _classify(lines, raws, resolve_country)
    # Markdown front matter is metadata the reader has already taken: no line of it is the
    # title, the lead or an expert (its first line "---" once made the title).
    if raws and raws[0].strip() == "---":
        closing = next((i for i in range(1, len(raws)) if raws[i].strip() == "---"), None)
        for ln in lines[: closing + 1 if closing is not None else 0]:
            ln.kind, ln.header, ln.miss = Kind.BOILER, None, None
    if locate is not None:
        _introductions(lines, locate)
    _closing_note(lines, raws)

    warnings: list[str] = []
    ambiguous: list[tuple[int, str]] = []
    publisher = next(
        (p for ln in lines if ln.kind == Kind.BOILER for p in [_publisher(ln.content)] if p), None
    )

    # Everything before the first structural line is title and lead.
    first_struct = next(
        (i for i, ln in enumerate(lines) if ln.kind in (Kind.HEADER, Kind.INLINE, Kind.NAME)),
        len(lines),
    )
    content_idx = [
        i
        for i in range(first_struct)
        if lines[i].kind not in (Kind.BLANK, Kind.BOILER, Kind.FOOTER)
    ]
    title_span: tuple[int, int] | None = None
    title: str | None = None
    body_start = first_struct
    if content_idx:
        t = lines[content_idx[0]]
        title, title_span = t.content, (t.start, t.end)
        # A question or topic heading right before the first expert opens the body
        # (topic-headings layout, or one question that all experts answer).
        rest_idx = content_idx[1:]
        if rest_idx and lines[rest_idx[-1]].kind in (Kind.QUESTION, Kind.HEADING):
            body_start = rest_idx[-1]
            rest_idx = rest_idx[:-1]
        lead = [(lines[i].start, lines[i].end) for i in rest_idx]
    else:
        lead = []

    experts: dict[str, ExpertHeader] = {}
    questions: list[QuestionLine] = []
    answers: list[AnswerBlock] = []
    expert: str | None = None
    question: int | None = None
    answer: AnswerBlock | None = None
    answered: set[int] = set()
    orphaned_by: _Line | None = None  # the near-miss header since which nobody speaks
    inline_seen = any(ln.kind == Kind.INLINE for ln in lines)

    def close() -> None:
        nonlocal answer
        if answer is not None:
            answers.append(answer)
            answered.add(answer.question)
        answer = None

    def next_content(i: int) -> _Line | None:
        for ln in lines[i + 1 :]:
            if ln.kind not in (Kind.BLANK, Kind.BOILER):
                return ln
        return None

    for i in range(body_start, len(lines)):
        ln = lines[i]
        if ln.kind == Kind.FOOTER:
            break
        if ln.kind == Kind.NAME and ln.content.strip(" *_:") in experts:
            # A known expert's name on its own line: they speak now (question-first pages
            # give the role only at a first appearance).
            close()
            expert = ln.content.strip(" *_:")
            continue
        if ln.kind in (Kind.BLANK, Kind.BOILER, Kind.NAME, Kind.ROLE):
            continue
        if ln.miss is not None:
            # Never glued into the answer before it (issue: no silent misattribution): what
            # follows has no author until the next header; text there stops the build.
            close()
            warnings.append(f"line {ln.number} looks like an expert header but {ln.miss}")
            expert, orphaned_by = None, ln
            continue
        if ln.kind == Kind.PARA and expert is None and orphaned_by is not None:
            ambiguous.append(
                (
                    orphaned_by.number,
                    f"line {orphaned_by.number} looks like an expert header but {orphaned_by.miss}"
                    f"; the text after it (line {ln.number}) has no sure author",
                )
            )
            orphaned_by = None
            continue
        if ln.kind in (Kind.HEADER, Kind.INLINE):
            close()
            orphaned_by = None
            assert ln.header is not None
            if ln.header.country is None:
                warnings.append(
                    f"line {ln.number}: the header of {ln.header.name} names no country"
                )
            expert = ln.header.name
            experts.setdefault(expert, ln.header)
            if ln.kind == Kind.INLINE and question is not None and ln.inline_start is not None:
                answer = AnswerBlock(
                    expert,
                    question,
                    ln.inline_start,
                    ln.end,
                    ln.number,
                    [(ln.inline_start, ln.end)],
                )
            elif ln.kind == Kind.INLINE:
                warnings.append(f"line {ln.number}: answer of {expert} under no question or topic")
            continue
        nxt = next_content(i)
        is_topic = ln.kind == Kind.HEADING and nxt is not None and nxt.kind == Kind.INLINE
        if ln.kind == Kind.QUESTION or is_topic:
            close()
            questions.append(QuestionLine(len(questions), ln.content, ln.start, ln.end, ln.number))
            question = len(questions) - 1
            if (
                inline_seen
                and ln.kind == Kind.QUESTION
                and nxt is not None
                and nxt.kind == Kind.INLINE
            ):
                expert = None
            continue
        if ln.kind == Kind.HEADING and raws[ln.number - 1].lstrip().startswith("#"):
            # A Markdown section heading between answers is the page's, never an answer's.
            close()
            continue
        # A paragraph (or a heading-like short line inside an answer).
        if expert is None or question is None:
            if expert is not None:
                warnings.append(f"line {ln.number}: text of {expert} before any question, skipped")
            continue
        if answer is None:
            answer = AnswerBlock(expert, question, ln.start, ln.end, ln.number, [])
        answer.end = ln.end
        answer.paragraphs.append((ln.start, ln.end))
    close()

    roster = _roster(
        text[: lines[body_start].start] if body_start < len(lines) else text, resolve_country
    )
    for e in experts.values():
        if e.role is None and e.affiliation is None and e.name in roster:
            e.role, e.affiliation = roster[e.name]

    for q in questions:
        if q.index not in answered:
            warnings.append(f"line {q.line}: question has no answer: {q.text[:60]!r}")

    return ArticleStructure(
        title=title,
        title_span=title_span,
        lead=lead,
        publisher=publisher,
        experts=list(experts.values()),
        questions=questions,
        answers=answers,
        layout="topic-headings" if inline_seen else "expert-blocks",
        warnings=warnings,
        ambiguous=ambiguous,
        near_misses=[(ln.number, ln.content, ln.miss) for ln in lines if ln.miss is not None],
    )
