"""Expert header lines: the shapes publishers write them in, and what a near miss lacks.

A header names a person and the state the article gives for them, with a role and an
affiliation where it has them. Read forms (markup such as ``**bold**`` may wrap parts)::

    Name, role, Institution (Country):      answer text may follow on the same line
    Name, role, Institution (Country)       no colon, the line on its own
    Name (Country), role, Institution       the country before the role, colon optional
    Name – role, Institution, Country       a dash or comma, the country a bare part
    Name, Country, role

A country counts only when it is a whole part (in parentheses or between commas) that
the reference data knows as a state, so "Centre for China Studies" never gives China.

>>> known = {"Kazakhstan", "Uzbekistan"}.__contains__
>>> h = parse_header("Jane Doe – senior fellow, Centre for China Studies, Kazakhstan", known)
>>> h.name, h.role, h.affiliation, h.country, h.tail
('Jane Doe', 'senior fellow', 'Centre for China Studies', 'Kazakhstan', None)
>>> near_miss("Jane Doe, senior fellow (Utopia):", known)
'gives "Utopia" as the country, which is no state the reference data knows'
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

__all__ = [
    "ROLE_NOUNS",
    "Header",
    "looks_like_name",
    "looks_like_pen_name",
    "names_a_body",
    "near_miss",
    "parse_header",
    "role_line",
    "split_role_affiliation",
]

Resolver = Callable[[str], bool]

# A name token: capitalized, with the apostrophes, okina-like marks and hyphens of
# Central Asian and Turkic spellings (O'tkir, Sa’dullayev, Oʻzbek), an Arabic article
# prefix (al-Rashid; assimilated, as South Asian names write it: ul-Haq, ur-Rehman), or
# initials (A. / A.B.).
_NAME_TOKEN = re.compile(
    r"^(?:(?:al|el|ad|ar|as|at|an|ash|ud|ul|ur|us|uz|un)-)?[A-ZÀ-ÖØ-ÞĀ-ſ][\w'’ʻʼ‘`\-]*\.?$"
    r"|^(?:[A-Z]\.){1,3}$"
)
# Words that open a noun phrase, never a person's name ("The China–Kyrgyzstan railway").
_DETERMINERS = frozenset({"the", "a", "an", "this", "that", "these", "our", "their", "its"})
# Lower-case words inside names: European particles and the patronymic particles of
# Kyrgyz (uulu, kyzy), Azerbaijani and Turkmen (ogly, oglu, gyzy) and Uzbek (o'g'li, qizi).
_PARTICLES = frozenset(
    {"de", "da", "van", "von", "der", "den", "al", "el", "bin", "ibn", "ul", "la", "le", "du"}
    | {"ter", "dos", "das", "di", "del", "uulu", "kyzy", "ogly", "oglu", "ogli", "o'g'li"}
    | {"o‘g‘li", "ugli", "qizi", "kizi", "gyzy"}
)


def looks_like_pen_name(text: str) -> bool:
    """One capitalized word, as a pen name is written ("Qalamkash"); only where markup sets it off.

    >>> looks_like_pen_name("Qalamkash"), looks_like_pen_name("However,")
    (True, False)
    """
    return re.fullmatch(r"[A-ZÀ-ÖØ-ÞĀ-ſ][\w'’ʻʼ‘\-]{2,40}", text) is not None


def looks_like_name(text: str) -> bool:
    """True for 2–5 words written as a person's name ("Anna Li", "Aibek Sadyr uulu", "A. Li").

    >>> looks_like_name("Aigerim Sultanova"), looks_like_name("Regional cooperation")
    (True, False)
    >>> looks_like_name("Nurlan Bakyt uulu"), looks_like_name("O'tkir Sa’dullayev")
    (True, True)
    """
    tokens = text.split()
    if not 2 <= len(tokens) <= 5 or tokens[0].lower() in _DETERMINERS:
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
# Words that make a capitalized phrase a body or an event, never a person.
_NOT_PERSON = re.compile(
    r"\b(Organi[sz]ation|Union|Treaty|Alliance|Community|Federation|Republic|Party|Movement|"
    r"Coalition|Conference|Summit|Declaration|Agreement|Strategy|Corridor|Pipeline|Studies|"
    r"Research|Affairs|Relations|Policy|Economics|Sciences)\b"
)
# What a role or an affiliation says, so that "Name, words:" is a header, not a lead-in.
# The nouns of a role ("senior fellow", "director of ..."): a header names one, and so does
# an apposition that introduces an interview guest ("Jane Doe, director of ...").
ROLE_NOUNS = (
    r"analyst|researcher|fellow|professor|lecturer|director|head|expert|economist|"
    r"scientist|scholar|journalist|editor|adviser|advisor|consultant|chair|dean|founder"
)
_ROLE_WORDS = re.compile(rf"\b({ROLE_NOUNS})\b|" + _ORG_WORDS.pattern, re.IGNORECASE)
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


@dataclass(frozen=True)
class Header:
    """A header as read: who, in what role, where from; `tail` is where an answer begins."""

    name: str
    role: str | None
    affiliation: str | None
    country: str | None  # None: the header names no state (the build warns)
    tail: int | None  # offset in the line where answer text follows the header, if any
    colon: bool = True  # False: a line with no colon, which a participants' list also has


# Emphasis markers (CommonMark §6.2) wrap a name or a whole header; they carry no content.
_EMPHASIS = re.compile(r"(?<![\w*_])[*_]{1,3}(?=\S)|(?<=\S)[*_]{1,3}(?![\w*_])")
_CLASSIC = re.compile(
    r"^(?P<body>[^():?!\n]{2,240}?)\s*\((?P<country>[^()\n]{2,60})\)\s*(?::\s*(?P<tail>.*))?$"
)
_COUNTRY_FIRST = re.compile(
    r"^(?P<name>[^():?!,\n]{2,80}?)\s*\((?P<country>[^()\n]{2,60})\)\s*"
    r"(?:[,–—]|\s-\s)\s*(?P<rest>[^:?!\n]{2,240}?)\s*(?::\s*(?P<tail>.*))?$"
)
# Where a header's name ends: a comma or a dash set off by spaces (an en or em dash may
# stand unspaced; a hyphen never, it joins double surnames).
_SPACED_DASH = r"\s[–—-]\s"
_NAME_END_AT = rf",|{_SPACED_DASH}|[–—]"
_NAME_END = re.compile(_NAME_END_AT)
_SEPARATED = re.compile(
    rf"^(?P<name>[^():?!,\n–—]{{2,80}}?)\s*(?:{_NAME_END_AT})\s*(?P<rest>[^()?!:\n]{{2,240}}?)"
    r"\s*(?::\s*(?P<tail>.*))?$"
)


def _unemphasized(line: str) -> tuple[str, list[int]]:
    """The line without emphasis markers, and the offset in `line` of each kept character."""
    keep: list[int] = []
    last = 0
    for m in _EMPHASIS.finditer(line):
        keep.extend(range(last, m.start()))
        last = m.end()
    keep.extend(range(last, len(line)))
    return "".join(line[i] for i in keep), keep


def _tail(m: re.Match[str], index: list[int]) -> int | None:
    if m.group("tail") is None or not m.group("tail").strip():
        return None
    return index[m.start("tail")]


def parse_header(line: str, resolve_country: Resolver) -> Header | None:
    """The header a line (markup stripped at its ends) writes, or None."""
    text, index = _unemphasized(line)
    m = _CLASSIC.match(text)
    in_parens = _bare_country(m.group("country"), resolve_country) if m else None
    if m and in_parens is not None:
        name, *after = _NAME_END.split(m.group("body").strip(), maxsplit=1)
        rest = after[0] if after else ""
        tail = _tail(m, index)
        # Without a colon the header must stand alone: a sentence is no header.
        if looks_like_name(name.strip()) and (m.group("tail") is not None or _standalone(text)):
            role, affiliation = split_role_affiliation(rest)
            colon = m.group("tail") is not None
            return Header(name.strip(), role, affiliation, in_parens[0], tail, colon)
    m = _COUNTRY_FIRST.match(text)
    if (
        m
        and resolve_country(m.group("country").strip())
        and looks_like_name(m.group("name"))
        and (m.group("tail") is not None or _standalone(text))
    ):
        role, affiliation = split_role_affiliation(m.group("rest"))
        return Header(
            m.group("name").strip(),
            role,
            affiliation,
            m.group("country").strip(),
            _tail(m, index),
            m.group("tail") is not None,
        )
    m = _SEPARATED.match(text)
    if m and looks_like_name(m.group("name").strip()):
        if m.group("tail") is None and not _standalone(text):
            return None
        found = _bare_country(m.group("rest"), resolve_country)
        if found is not None:
            country, rest = found
            role, affiliation = split_role_affiliation(rest)
            colon = m.group("tail") is not None
            return Header(
                m.group("name").strip(), role, affiliation, country, _tail(m, index), colon
            )
        if m.group("tail") == "" and _ROLE_WORDS.search(m.group("rest")):
            # "Name, role, Institution:" on its own line: an expert of no stated country.
            role, affiliation = split_role_affiliation(m.group("rest"))
            return Header(m.group("name").strip(), role, affiliation, None, None)
    return None


def _standalone(text: str) -> bool:
    """A line that is a label, not a sentence: short and without a sentence's end."""
    # An initial ("A. K. Nurmatov") is no sentence end.
    return len(text) <= 240 and not re.search(
        r"(?<!\b[A-Z])[.!?…;]$|(?<!\b[A-Z])[.!?]\s+[A-Z]", text.rstrip(" :")
    )


def _bare_country(rest: str, resolve_country: Resolver) -> tuple[str, str] | None:
    """The part of `rest` (between commas, middle dots, bars or spaced dashes) that is a
    state, and the rest."""
    parts = [p.strip() for p in re.split(rf"[,·|]|{_SPACED_DASH}", rest)]
    for i, part in enumerate(parts):
        if part and resolve_country(part):
            return part, ", ".join(p for j, p in enumerate(parts) if j != i and p)
    return None


def role_line(line: str, resolve_country: Resolver) -> tuple[str | None, str | None, str] | None:
    """(role, affiliation, country) of the line under a name ("fellow, Institute (Uzbekistan)").

    >>> role_line("Senior fellow, Institute of Strategic Studies (Uzbekistan)", "Uzbekistan".__eq__)
    ('Senior fellow', 'Institute of Strategic Studies', 'Uzbekistan')
    """
    text, _ = _unemphasized(line)
    if not _standalone(text):
        return None
    m = re.match(r"^(?P<rest>[^()\n]*?)\s*\((?P<country>[^()\n]{2,60})\)\s*:?$", text)
    in_parens = _bare_country(m.group("country"), resolve_country) if m else None
    if m and in_parens is not None:
        role, affiliation = split_role_affiliation(m.group("rest"))
        return role, affiliation, in_parens[0]
    found = _bare_country(text.rstrip(" :"), resolve_country)
    if found is not None:
        role, affiliation = split_role_affiliation(found[1])
        return role, affiliation, found[0]
    return None


_LOOKS = re.compile(rf"^(?P<name>(?:\S+\s+){{1,4}}?\S+?)\s*(?:\(|{_NAME_END_AT})")


def names_a_body(name: str) -> bool:
    """True when a capitalized phrase names an organization or an event, not a person.

    >>> names_a_body("Caspian Policy Institute"), names_a_body("Jane Doe")
    (True, False)
    """
    return _ORG_WORDS.search(name) is not None or _NOT_PERSON.search(name) is not None


def near_miss(line: str, resolve_country: Resolver) -> str | None:
    """What a line that looks like an expert header (but is none) lacks, or None.

    >>> ok = "Uzbekistan".__eq__
    >>> near_miss("Jane Doe, senior fellow, Tashkent", ok)
    'names no country the reference data knows as a state'
    >>> near_miss("Jane Doe, senior fellow (Uzbekistan): she said so.", ok) is None
    True
    """
    text, _ = _unemphasized(line)
    if parse_header(line, resolve_country) is not None or not _standalone(text):
        return None
    if text.endswith(":") and role_line(text, resolve_country) is not None:
        return "gives a role and a country but no name"
    if looks_like_name(text.strip(" :")) and not names_a_body(text):
        return "is a bare name, with no role and no country on it or on the next line"
    m = _LOOKS.match(text)
    if m is None or not looks_like_name(m.group("name")) or names_a_body(m.group("name")):
        return None
    paren = re.search(r"\((?P<inner>[^()\n]{2,60})\)", text)
    if paren and not resolve_country(paren.group("inner").strip()):
        inner = paren.group("inner").strip()
        return f'gives "{inner}" as the country, which is no state the reference data knows'
    if paren is None:
        return "names no country the reference data knows as a state"
    return "is not in a header form that is read"
