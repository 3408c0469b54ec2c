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

__all__ = [
    "AnswerBlock",
    "ArticleStructure",
    "ExpertHeader",
    "QuestionLine",
    "parse_structure",
    "split_role_affiliation",
]


class Kind(Enum):
    BLANK = "blank"
    BOILER = "boiler"
    FOOTER = "footer"
    HEADER = "header"
    INLINE = "inline"
    QUESTION = "question"
    NAME = "name"
    HEADING = "heading"
    PARA = "para"


@dataclass
class ExpertHeader:
    """An expert as introduced by a header line."""

    name: str
    role: str | None
    affiliation: str | None
    country: str
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


@dataclass
class _Line:
    number: int
    start: int  # offsets of the content without markup and whitespace
    end: int
    content: str
    kind: Kind = Kind.PARA
    header: ExpertHeader | None = None
    inline_start: int | None = None  # INLINE: where the answer text begins


# --- line classification -------------------------------------------------------------------

_BOILER = re.compile(
    r"^(?:©|\(c\)\s|copyright\b|please make active links|when using materials|"
    r"all rights reserved|photo:|source:|read also\b|see also\b)",
    re.IGNORECASE,
)
_FOOTER = re.compile(
    r"^(?:if you have found a (?:spelling|typo)|spelling error report|"
    r"the following text will be sent|share (?:this|on)\b|related (?:articles|posts|materials)|"
    r"subscribe to|tags?:)",
    re.IGNORECASE,
)
_MARKUP_LEAD = re.compile(r"^(?:#{1,6}\s+|>\s*|[*_]{1,3}(?=\S))")
_MARKUP_TAIL = re.compile(r"(?<=\S)[*_]{1,3}$")

_NAME_TOKEN = re.compile(r"^(?:[A-ZÀ-ÖØ-ÞĀ-Ž][\w'’\-]*\.?|[A-Z]\.)$")
_PARTICLES = {"de", "da", "van", "von", "der", "al", "bin", "ibn", "ul", "la", "le", "du", "ter"}

# Name, role, affiliation (Country):  — markup such as **bold** may wrap parts of it.
_HEADER = re.compile(
    r"^[*_]{0,3}(?P<body>[^():?!\n]{2,240}?)\s*[*_]{0,3}\s*"
    r"\((?P<country>[^()\n]{2,60})\)\s*[*_]{0,3}\s*:\s*[*_]{0,3}\s*(?P<rest>.*)$"
)


def looks_like_name(text: str) -> bool:
    """True for 2–5 capitalized words, as a person's name is written ("Anna Li", "A. Lukashenko").

    >>> looks_like_name("Aigerim Sultanova"), looks_like_name("Regional cooperation")
    (True, False)
    """
    tokens = text.split()
    if not 2 <= len(tokens) <= 5:
        return False
    capitalized = 0
    for tok in tokens:
        if tok.lower() in _PARTICLES:
            continue
        if not _NAME_TOKEN.match(tok):
            return False
        capitalized += 1
    return capitalized >= 2


_ORG_WORDS = re.compile(
    r"\b(University|Institute|Institution|Cent(?:er|re)|Foundation|Academy|Ministry|Bureau|"
    r"Council|School|Agency|Committee|Fund|Forum|Society|Association|College|Club|Program(?:me)?|"
    r"Laboratory|Lab|Initiative|Endowment|Service|Office|Department|Office|Commission|"
    r"Network|Group|Corporation|Company|Bank|Parliament|Assembly|Project|Observatory|"
    r"Review|Journal|Times|News|Media|Press|Agency|Consulting|Analytics|Hub|Platform)\b"
)
_QUOTED = re.compile(r"[“\"«](?P<name>[^”\"»]{2,100})[”\"»]")
_ROLE_SPLIT = re.compile(r"^(?P<role>.+?)\s+(?:of|at|with|from|in)\s+(?:the\s+)?(?P<org>.+)$")


def split_role_affiliation(rest: str) -> tuple[str | None, str | None]:
    """Split what follows a name in a header into (role, affiliation); either may be missing.

    >>> split_role_affiliation("Professor of the Kazakh-German University")
    ('Professor', 'Kazakh-German University')
    >>> split_role_affiliation("Head of the Policy Department, Tajik National University")
    ('Head of the Policy Department', 'Tajik National University')
    >>> split_role_affiliation("political scientist")
    ('political scientist', None)
    """
    rest = rest.strip(" ,;–—-")
    if not rest:
        return None, None
    quoted = _QUOTED.search(rest)
    if quoted:
        m = _ROLE_SPLIT.match(rest[: quoted.start()].strip())
        role = m.group("role") if m else rest[: quoted.start()].strip(" ,") or None
        return role, quoted.group("name").strip()
    parts = [p.strip() for p in rest.split(",") if p.strip()]
    if len(parts) >= 2:
        last = parts[-1]
        if _ORG_WORDS.search(last) or _is_capitalized_phrase(last):
            return ", ".join(parts[:-1]), _strip_article(last)
        return rest, None
    m = _ROLE_SPLIT.match(rest)
    if m:
        org = m.group("org").strip()
        if _ORG_WORDS.search(org) or _is_capitalized_phrase(org):
            return m.group("role").strip(), _strip_article(org)
    if _ORG_WORDS.search(rest) and _is_capitalized_phrase(rest):
        return None, _strip_article(rest)
    return rest, None


def _strip_article(text: str) -> str:
    return re.sub(r"^(?:the)\s+", "", text.strip(), flags=re.IGNORECASE)


def _is_capitalized_phrase(text: str) -> bool:
    words = [w for w in re.split(r"\s+", _strip_article(text)) if w]
    if not words:
        return False
    small = {"of", "and", "for", "the", "on", "in", "at", "de", "&"}
    return all(w[0].isupper() or w.lower() in small or not w[0].isalpha() for w in words) and (
        words[0][0].isupper()
    )


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
        m = _HEADER.match(ln.content)
        if m:
            body = m.group("body").strip(" *_")
            name, _, rest = body.partition(",")
            name = name.strip()
            country = m.group("country").strip()
            if looks_like_name(name) and resolve_country(country):
                role, affiliation = split_role_affiliation(rest)
                ln.header = ExpertHeader(
                    name, role, affiliation, country, ln.number, ln.start, ln.end
                )
                tail = m.group("rest")
                if tail.strip():
                    ln.kind = Kind.INLINE
                    ln.inline_start = ln.start + m.start("rest")
                    ln.header.end = ln.inline_start
                    # trim the header's own closing markup from the header span
                    while (
                        ln.header.end > ln.start
                        and ln.content[ln.header.end - ln.start - 1] in " *_"
                    ):
                        ln.header.end -= 1
                else:
                    ln.kind = Kind.HEADER
                continue
        if _is_question(ln.content):
            ln.kind = Kind.QUESTION
            continue
        if _is_heading(raws[ln.number - 1], ln.content):
            ln.kind = Kind.HEADING
            continue
        ln.kind = Kind.PARA
    names = {ln.header.name for ln in lines if ln.header is not None}
    for ln in lines:
        if ln.kind in (Kind.PARA, Kind.HEADING) and ln.content.strip(" *_:") in names:
            ln.kind = Kind.NAME


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


def parse_structure(text: str, resolve_country: Callable[[str], bool]) -> ArticleStructure:
    """Find title, lead, experts, questions and answers; offsets index `text`.

    `resolve_country` says whether a header's parenthesized text names a state: only then
    is the line an expert header (so "(see above):" never makes a person).
    """
    raws = text.split("\n")
    lines: list[_Line] = []
    offset = 0
    for i, raw in enumerate(raws, start=1):
        start, end, content = _strip_markup(raw, offset)
        lines.append(_Line(i, start, end, content))
        offset += len(raw) + 1
    _classify(lines, raws, resolve_country)

    warnings: list[str] = []
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
        if ln.kind in (Kind.BLANK, Kind.BOILER, Kind.NAME):
            continue
        if ln.kind in (Kind.HEADER, Kind.INLINE):
            close()
            assert ln.header is not None
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
    )
