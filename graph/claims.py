"""Split expert answers into claims and classify each claim by small, explainable rules.

Everything here is plain Python: lexicons are module-level tuples of regular
expressions, compiled once, and every label comes with a :class:`Cue` that names
the words of the text that decided it and the rule that fired, so a reader of the
graph can see *why* a claim is a "weakening prediction with low certainty".

Precedence rules (documented once here, applied in the functions below):

* **Claim type** — the first family that matches wins, in this order:
  recommendation (obligation modals, "it is necessary to", imperatives, "why not")
  > prediction (will/would/shall, "is going to", expect, likely, "in the near
  future", may/might/could + verb) > evaluative assessment ("showed that", "it is
  significant", "is very/extremely ...") > observation (reported past facts: "there
  was", "took place", "signed", dates) > assessment (the default: a statement about
  the present). Normative and forward-looking readings come first because a
  sentence that both reports and recommends ("the meeting took place; we should hold
  another") is used by readers for its advice or forecast.
* **Certainty** — the weakest hedge present wins: low ("may", "might", "could",
  "perhaps", "maybe", "possibly", "it seems", "cannot be ruled out", "speculative",
  conditionals) > medium ("I think", "I believe", "in my opinion", "apparently",
  "probably", "most likely", "it appears", negated beliefs such as "I do not
  think") > high (boosters such as "of course", "undoubtedly", "clearly", or no hedge
  at all). "Probably" is medium: it commits to the more likely outcome, unlike
  "perhaps". "It seems to me" is an opinion marker (medium); a bare "it seems" is low.
* **Trend** — every lexicon match is a vote; overlapping matches go to the longer
  phrase. Negation is scoped: a negator (not, no, never, n't, neither, without,
  hardly, cannot, absence of ...) at most four words before the cue in the same
  clause, or a negated belief ("I do not think/expect/see ...", "there is no reason
  to", "unlikely to") over the clause it introduces. A negated deterioration or a
  negated change is "no change" ("should not suffer", "did not affect", "I do not
  think that ... a negative impact"), a negated improvement a weaker "no change",
  "no longer" + improvement a weakening, a negated positive state ("not always
  smooth") a weakening; a negated "no change" or uncertainty cue is dropped. The
  rejected alternative ("grow rather than decline"), a later or earlier state ("worse
  before it gets better", "from a frozen state"), an asked-about one ("whether it
  will grow") and a definite reference to the event itself ("the clashes showed")
  cast no vote; growth of a negative ("competition will intensify") is a weakening.
  Weights: explicit no-change and uncertainty statements and negated deteriorations
  2, directional cues 1, "remain"/"continue" 0.9 and only when nothing else fires;
  cues in a ", which ..." aside half, after ", so" 1.5. The label with the highest
  total wins; a strengthening/weakening tie is "uncertain" (rule ``mixed-cues``).
  A claim that opens with "therefore"/"but"/"although" gets a ``conclusion/``,
  ``contrast/`` or ``concession/`` prefix on its rule, and " (+N more)" counts the
  agreeing cues; :func:`answer_trend` weighs claims by both. Short direct replies
  ("I do not think so.", "No.", "Of course, yes.") get reply rules that
  :func:`answer_trend` reads together with the question.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

__all__ = [
    "CERTAINTIES",
    "CLAIM_TYPES",
    "TOPICS",
    "TRENDS",
    "Classification",
    "Cue",
    "answer_trend",
    "classify",
    "split_claims",
]

TRENDS = ("strengthening", "weakening", "no change", "uncertain")
CLAIM_TYPES = ("prediction", "assessment", "recommendation", "observation")
CERTAINTIES = ("high", "medium", "low")
TOPICS = (
    "security",
    "economy",
    "ecology",
    "geopolitics",
    "domestic-politics",
    "extremism-terrorism",
    "integration",
    "military",
    "public-opinion",
    "diplomacy",
    "human-rights",
    "succession",
)


@dataclass(frozen=True)
class Cue:
    """Why a label was chosen: the label, the words of the text that decided it, the rule."""

    label: str
    text: str
    rule: str


@dataclass(frozen=True)
class Classification:
    """The labels of one claim, each with the cue that decided it."""

    claim_type: Cue
    trend: Cue
    certainty: Cue
    topics: tuple[Cue, ...]
    trend_is_default: bool  # True when no trend cue fired (trend then "uncertain", rule "default")


# ---------------------------------------------------------------------------
# Text normalization shared by all matchers
# ---------------------------------------------------------------------------


def _words(text: str) -> frozenset[str]:
    """A word list written as one string, for lexicons that are plain word sets."""
    return frozenset(text.split())


_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'"})


def _lower(text: str) -> str:
    """Lower-case text with typographic apostrophes made ASCII, keeping every offset.

    >>> _lower("Don’t")
    "don't"
    """
    # str.lower() may lengthen a few characters ("İ"); keep those as they are so that
    # match offsets in the copy are offsets in the original.
    low = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    return low.translate(_APOSTROPHES)


def _compile(patterns: Iterable[str]) -> re.Pattern[str]:
    """One case-sensitive alternation over lower-cased text, whole words only."""
    return re.compile(r"(?<![\w-])(?:" + "|".join(patterns) + r")(?![\w-])")


# ---------------------------------------------------------------------------
# Sentence and clause splitting
# ---------------------------------------------------------------------------

# Abbreviations after which a period never ends a sentence.
_ABBREV_ALWAYS = _words(
    "mr mrs ms dr prof st vs cf gen col lt sgt rev hon sen rep gov pres jr sr mt ft approx "
    "dept univ al e.g i.e viz resp incl esp ca"
)
# Abbreviations that never end a sentence when a number follows ("No. 5", "Art. 3").
_ABBREV_BEFORE_NUMBER = _words(
    "no nos art arts p pp vol vols ch sec fig para par nr jan feb mar apr jun jul aug sep sept "
    "oct nov dec"
)
# After an initialism ("U.S.") a sentence ends only if a typical sentence opener follows.
_SENTENCE_OPENERS = _words(
    "the this that these those it its he she they we i in on at as but however moreover "
    "therefore thus so then there here a an our their his her"
)
_LIST_MARKER = re.compile(r"[ \t]*(?:\(?\d{1,2}[.)]|\(?[a-zA-Z][)]|[-•*–—▪◦])[ \t]+(?=\S)")
_TERMINAL = re.compile(r"[.!?…]+")
_CLOSERS = "”»\"')]’"
_OPENERS = "“«\"'(['‘„"
_QUOTE_PAIRS = {"“": "”", "«": "»", "„": "“"}
_MAX_QUOTE = 300  # a quoted passage longer than this is split like ordinary text

_VERB = re.compile(
    r"\b(?:is|are|was|were|be|been|am|has|have|had|will|would|can|could|may|might|must|should|"
    r"shall|do|does|did|cannot|won't|can't|isn't|aren't|wasn't|weren't|don't|doesn't|didn't|"
    r"hasn't|haven't|seems?|remains?|continues?|needs?|says?|think|believe|sees?|shows?|"
    r"affects?|works?|exists?|depends?|occurs?|becomes?|includes?|plays?|looks?|takes?|makes?|"
    r"gains?|grows?|shifts?|rests?|means?|requires?|lacks?|wants?|\w{3,}ed|"
    # common irregular past forms
    r"took|made|gave|came|went|saw|became|began|brought|kept|left|met|said|sent|held|grew|"
    r"fell|rose|won|lost|paid|put|set|led|felt|thought|found|got|built|spoke|chose|drew)\b",
    re.IGNORECASE,
)
_CLAUSE_SPLIT = re.compile(
    r";[ \t]+|,[ \t]+(?=(?:but|yet|although|though|while|whereas|however,)\s)", re.IGNORECASE
)
_MIN_CLAUSE_WORDS = 5


def _blocks(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Paragraphs and list items: a blank line always ends one; a single newline too,
    unless the next line merely continues a hard-wrapped sentence."""
    blocks: list[tuple[int, int]] = []
    lines: list[tuple[int, int]] = []
    pos = start
    while pos <= end:
        nl = text.find("\n", pos, end)
        line_end = end if nl < 0 else nl
        lines.append((pos, line_end))
        if nl < 0:
            break
        pos = nl + 1
    cur: tuple[int, int] | None = None
    for ls, le in lines:
        content = text[ls:le].strip()
        if not content:  # blank line: paragraph break
            if cur is not None:
                blocks.append(cur)
            cur = None
            continue
        if cur is not None:
            prev = text[cur[0] : cur[1]].rstrip()
            continues = (
                content[0].islower()
                and prev[-1:] not in ".!?…:;"
                and _LIST_MARKER.match(text, ls, le) is None
            )
            if continues:
                cur = (cur[0], le)
                continue
            blocks.append(cur)
        cur = (ls, le)
    if cur is not None:
        blocks.append(cur)
    return blocks


def _quote_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """(open, close) positions of short balanced quotations inside one block."""
    spans: list[tuple[int, int]] = []
    stack: list[tuple[str, int]] = []
    straight: int | None = None
    for i in range(start, end):
        c = text[i]
        if stack and c == _QUOTE_PAIRS[stack[-1][0]]:
            _, pos = stack.pop()
            spans.append((pos, i))
        elif c in _QUOTE_PAIRS:
            stack.append((c, i))
        elif c == '"':
            if straight is None:
                straight = i
            else:
                spans.append((straight, i))
                straight = None
    return [(o, c) for o, c in spans if c - o <= _MAX_QUOTE]


def _is_boundary(text: str, punct_start: int, punct_end: int, nxt: int) -> bool:
    """Whether the terminal punctuation text[punct_start:punct_end] ends a sentence,
    given that the next sentence would start at nxt."""
    first = text[nxt]
    if not (first.isupper() or first.isdigit() or first in _OPENERS):
        return False
    if text[punct_start:punct_end] != ".":
        return True  # "?", "!", "…" and "..." before a capital end a sentence
    m = re.search(r"(\S+)$", text[max(0, punct_start - 40) : punct_start])
    word = m.group(1).lstrip(_OPENERS) if m else ""
    low = word.lower()
    if len(word) == 1 and word.isalpha():
        return False  # an initial: "J. Smith"
    if low in _ABBREV_ALWAYS:
        return False
    if low in _ABBREV_BEFORE_NUMBER and first.isdigit():
        return False
    if re.fullmatch(r"(?:\w\.)+\w", word):  # "U.S", "U.N": an initialism
        nm = re.match(r"\w+", text[nxt : nxt + 30])
        return nm is not None and nm.group(0).lower() in _SENTENCE_OPENERS
    return True


def _sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentence spans inside one block, respecting abbreviations, initials and quotes."""
    quotes = _quote_spans(text, start, end)
    spans: list[tuple[int, int]] = []
    sent_start = start
    for m in _TERMINAL.finditer(text, start, end):
        j = m.end()
        while j < end and text[j] in _CLOSERS:
            j += 1
        if j >= end or not text[j].isspace():
            continue
        nxt = j
        while nxt < end and text[nxt].isspace():
            nxt += 1
        if nxt >= end:
            continue
        # A full stop inside a short quotation does not end the quoting sentence,
        # unless the quotation closes right after it.
        if any(o < m.start() and j <= c for o, c in quotes):
            continue
        if re.fullmatch(r"\s*\(?\d{1,2}", text[sent_start : m.start()]):
            continue  # "1. The positions ...": a list marker, not a sentence
        if _is_boundary(text, m.start(), m.end(), nxt):
            spans.append((sent_start, j))
            sent_start = nxt
    spans.append((sent_start, end))
    return spans


def _can_stand_alone(segment: str) -> bool:
    """A clause long enough to be its own claim: five words or more, with a verb."""
    return len(re.findall(r"\w+", segment)) >= _MIN_CLAUSE_WORDS and bool(_VERB.search(segment))


def _clauses(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Split one sentence at "; " or ", but/yet/although/while/however" into independent clauses."""
    pieces: list[tuple[int, int]] = []
    cur = start
    for m in _CLAUSE_SPLIT.finditer(text, start, end):
        left, right = text[cur : m.start()], text[m.end() : end]
        if re.match(r"but\s+(?:also|rather|not)\b", right, re.IGNORECASE):
            continue  # "not only X, but also Y" is one claim
        if _can_stand_alone(left) and _can_stand_alone(right):
            pieces.append((cur, m.start()))
            cur = m.end()
    pieces.append((cur, end))
    return pieces


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Strip whitespace, and a dangling comma or semicolon left by a clause split."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ",;"):
        end -= 1
    return start, end


def split_claims(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Spans (start, end) of the claims in text[start:end]: sentences, and clauses where one
    sentence makes two claims; trimmed of whitespace; offsets index the full text.

    >>> t = "Trade grew. 1. Exports will grow very fast; the border will stay closed for months."
    >>> [t[s:e] for s, e in split_claims(t)]
    ['Trade grew.', 'Exports will grow very fast', 'the border will stay closed for months.']
    """
    stop = len(text) if end is None else min(end, len(text))
    claims: list[tuple[int, int]] = []
    for bs, be in _blocks(text, start, stop):
        for ss, se in _sentences(text, bs, be):
            # the marker of a list item ("1. ", "2) ", "- ") is not part of the claim
            marker = _LIST_MARKER.match(text, ss, se)
            if marker is not None:
                ss = marker.end()
            for cs, ce in _clauses(text, ss, se):
                s, e = _trim(text, cs, ce)
                if s < e and re.search(r"\w", text[s:e]):
                    claims.append((s, e))
    return claims


# ---------------------------------------------------------------------------
# Trend lexicons
# ---------------------------------------------------------------------------

# Objects of a relation whose growth or shrinking is a trend of the relation itself.
_REL = (
    r"(?:cooperation|ties|relations|relationships?|partnership|trade|integration|contacts|"
    r"interaction|dialogue|alliance|trust|exchanges?|investments?|links|role|influence|"
    r"presence|authority|format|initiatives|engagement|involvement)"
)
_UP_VERB = (
    r"(?:expand\w*|expansion|increas\w*|boost\w*|enhanc\w*|broaden\w*|build(?:ing)? up|"
    r"grow|grows|growing|grew|grown|growth|revitali[sz]\w*|restor\w*|revival|revive\w*|"
    r"widen\w*|upgrad\w*|more|bigger|greater|larger)"
)
# "develop" only before its object: "X is being developed" is mostly about documents
_UP_VERB_BEFORE = r"(?:develop\w*|" + _UP_VERB[3:]
_DOWN_VERB = (
    r"(?:reduc\w*|decreas\w*|curtail\w*|cut\w*|limit\w*|freez\w*|froze\w*|suspend\w*|scal\w+ down|"
    r"stop\w*|halt\w*|damag\w*|harm|harms|harmed|harming|undermin\w*|complicat\w*|spoil\w*|"
    r"sour|soured|souring|"
    r"fewer|less|lesser|smaller|weaker|hamper\w*|hinder\w*|poison\w*|hit|hits|hitting)"
)

STRENGTHENING = (
    r"strengthen\w*",
    r"stronger",
    r"deepen\w*",
    r"intensif\w*",
    r"consolidat\w*",
    r"closer",
    r"improv\w*",
    r"(?:get|gets|getting|got|become|becomes|becoming|became|grow|grows|turn|turns) "
    r"(?:\w+ )?better",
    r"better (?:relations|ties|cooperation)",
    r"optimis(?:m|tic)",
    # growth without a named object: "I expect contacts with Kabul to expand further"
    r"(?:to|will|would|keep|keeps|kept|is|are) (?:\w+ )?(?:expand|grow|growing|increase|"
    r"increasing|rise|rising|expanding)",
    r"more (?:often|frequently|regularly|closely)",
    r"accelerat\w*",
    r"renew(?:s|ed|al|ing)?",  # not "renewable"
    r"rapprochement",
    r"cooperat(?:e|es|ed|ing) (?:more )?(?:closely|actively|intensively)",
    r"reinforc\w*",
    r"unite",
    r"unit(?:y|ing)",
    r"converg\w*",
    r"warm(?:ing|er)",
    r"breakthroughs?",
    r"de-escalat\w*",
    r"(?:more |further )?institutionali[sz]\w*",
    r"new impetus",
    r"mutual trust",
    r"positive(?:ly)?(?! neutrality)",  # "positive neutrality" is Turkmenistan's doctrine
    r"positive(?: \w+)? (?:impact|effect|influence|dynamics|trend|consequences|role|signal)",
    r"bring\w* (?:\w+ ){0,3}closer",
    r"becom\w* (?:a |an )?(?:more |real |truly )?(?:formal|full-fledged|permanent|stronger|"
    r"closer|effective|real)",
    r"becom\w* (?:\w+ )?more (?:substantive|significant|important|effective|active|relevant|"
    r"influential|meaningful|visible)",
    r"(?:ease|eased|easing|defus\w*|reduc\w*|overcom\w*|resolv\w*|settl\w*) (?:the )?"
    r"(?:tensions?|conflicts?|disputes?|differences|contradictions)",
    # more contacts: convening or holding meetings and summits intensifies the relation
    r"(?:convene|convening|hold|holding|organi[sz]e|organi[sz]ing) (?:\w+ ){0,4}"
    r"(?:meetings?|summits?|consultations|talks)",
    _UP_VERB_BEFORE + r" (?:\w+ ){0,3}" + _REL,
    _REL + r" (?:\w+ ){0,5}" + _UP_VERB,
)
WEAKENING = (
    r"worsen\w*",
    r"(?:get|gets|getting|got|become|becomes|becoming|became|grow|grows|turn|turns) "
    r"(?:\w+ )?worse",
    r"worse (?:relations|ties|cooperation)",
    r"pessimis(?:m|tic)",
    r"s[ck]eptical",
    r"interrupt\w*",
    r"frozen",
    r"froze",
    r"freez\w*",
    r"deteriorat\w*",
    r"exacerbat\w*",
    r"aggravat\w*",
    r"escalat\w*",
    r"tensions?",
    r"tense",
    r"misunderstandings?",
    r"conflicts?",
    r"alienat\w*",
    r"suffer\w*",
    r"declin\w*",
    r"weaken\w*",
    r"isolat\w*",
    r"cooling",
    r"cooled",
    r"rift",
    r"(?:drive|drives|driving|drove) a wedge",
    r"distrust",
    r"mistrust",
    r"suspicions?",
    r"frictions?",
    r"disputes?",
    r"clash\w*",
    r"flare-ups?",
    r"confrontation\w*",
    r"crisis",
    r"hostil\w*",
    r"rivalr\w*",
    r"strained",
    r"rupture\w*",
    r"(?:serious |heavy |severe )?blow",
    r"rejection",
    r"collaps\w*",
    r"disintegrat\w*",
    r"eroding",
    r"shrink\w*",
    r"shrank",
    r"erosion",
    r"postpone\w*",
    r"overshadow\w*",
    r"slow\w* down",
    r"exhausted",
    r"los\w+ (?:\w+ ){0,2}(?:momentum|relevance|significance|ground|steam|interest|"
    r"credibility|trust|authority|influence|weight|appeal)",
    r"disrupt\w*",
    r"negative(?:ly)?",
    r"negative(?: \w+)? (?:impact|effect|influence|dynamics|trend|consequences|role)",
    r"break\w*(?: off)? (?:\w+ ){0,2}(?:ties|relations)",
    _DOWN_VERB + r" (?:\w+ ){0,3}" + _REL,
    _REL + r" (?:\w+ ){0,5}" + _DOWN_VERB,
)
# Nouns that, after "the"/"these", name the event under discussion rather than a trend:
# "the clashes showed that ..." is not a forecast of new clashes.
_EVENT_NOUNS = re.compile(r"(?:clash\w*|conflicts?|disputes?|confrontations?|crisis|war)")
_DETERMINERS = _words("the this these those that such its their our")
NO_CHANGE = (
    r"remain\w* (?:\w+ )?(?:the same|unchanged|stable|at the same level|as before|intact|as it is|"
    r"as they are|the way it is)",
    r"stay\w* (?:\w+ )?(?:the same|unchanged|stable|as before|intact|that way)",
    r"(?:continue|continues|proceed|proceeds) as (?:before|usual)",
    r"(?:continue\w* )?(?:at|on) the (?:current|same|present) level",
    r"the same as before",
    r"unchanged",
    r"unaffected",
    r"status quo",
    r"business as usual",
    r"(?:cycle|pattern|scenario|history) (?:\w+ ){0,3}repeat\w*",
    r"(?:changes?|shifts?|revision) (?:\w+ ){0,4}(?:is|are|would be) (?:simply )?(?:out of the "
    r"question|excluded|impossible|unthinkable|ruled out)",
)
# Verbs of continuity: weaker evidence of "no change" than the explicit phrases above, and
# counted only when no other cue fires ("will continue to decline" is a weakening).
CONTINUITY = (
    r"remain",
    r"remains",
    r"remained",
    r"stay",
    r"stays",
    r"stayed",
    r"continu(?:e|es|ed|ing)",
    r"continuity",
    r"stagnat\w*",
)
# Verbs and nouns of change with no direction: only their negation is a trend ("no change").
CHANGE = (
    r"chang\w*",
    r"affect\w*",
    r"impact\w*",
    r"influenc\w*",
    r"effect",
    r"consequences?",
    r"alter(?:s|ed|ing)?",
    r"shak\w*",
    r"touch\w* (?:up)?on",
    r"undergo\w*",
    r"transform\w*",
    r"turn",
    r"shifts?",
)
UNCERTAIN = (
    r"(?:difficult|hard|impossible|too early|premature) to (?:say|tell|predict|forecast|assess|"
    r"judge|answer|know|foresee|determine|draw conclusions)",
    r"(?:is|are) not (?:yet )?clear",
    r"(?:outlook|future|outcome|question) (?:is|remains) (?:still |wide )?open",
    r"(?:difficult|hard|complicated|open) question",
    r"refrain from (?:\w+ )?(?:forecasts|predictions|forecasting|predicting)",
    r"cannot give (?:an? )?(?:unambiguous|definite|definitive|clear|certain) answer",
    r"remains to be seen",
    r"(?:is|it's|remains?) (?:still )?(?:unclear|not clear|uncertain|unknown|an open question)",
    r"time will tell",
    r"no one knows",
    r"nobody knows",
    r"open question",
    r"unpredictab\w*",
    r"uncertainty",
    r"(?:it all|everything|it|much|a lot) (?:will )?depends? on",
    r"depends? (?:\w+ )?on (?:whether|how|what|if)",
    r"cannot (?:be )?(?:say|predicted|predict|foreseen|foresee)",
)
# Positive states whose negation ("relations were not always easy") is a weakening cue.
POSITIVE_STATE = (
    r"smooth",
    r"cloudless",
    r"easy",
    r"simple",
    r"rosy",
    r"friendly",
    r"good",
    r"stable",
)

_NEGATORS = _words(
    "not no never neither nor without hardly cannot none nothing nobody barely scarcely "
    "absence lack"
)
# A negator followed by one of these words does not negate what follows.
_NOT_NEGATING = {
    "not": frozenset({"only", "just", "least", "merely", "simply", "to"}),
    "no": frozenset({"doubt", "less", "matter", "sooner", "choice", "longer"}),
    "nothing": frozenset({"but", "else"}),
    "without": frozenset({"doubt", "a"}),
    "never": frozenset({"mind"}),
}
_CLAUSE_BREAKS = _words(
    ", ; : ( ) – — but although though while whereas which that who because since if when "
    "however so"
)
# "worse before it gets better", "from an almost frozen state to a partnership"
_LATER_OR_EARLIER = frozenset({"before", "until", "from"})
# Words that make a negated change a statement about the relation itself ("will not
# change them", "nothing will change"), not about some side issue ("our water supply").
_RELATION_WORDS = re.compile(_REL[:-1] + r"|them|it|they|anything|nothing|everything)")
_OBJECT_DETERMINERS = _words("the our their its his her a an these those this that any my such")
# Negative nouns whose growth is a weakening: "competition for water will only intensify".
_NEGATIVE_NOUNS = re.compile(
    r"(?:competition|tensions?|rivalry|pressure|threats?|conflicts?|confrontation|mistrust|"
    r"distrust|problems|disputes?|risks?|frictions?|hostility)"
)
_INTENSIFIERS = re.compile(
    r"\b(?:intensif|increas|grow|deepen|strengthen|accelerat|expan|more\b|rise|rising)"
)
_CONTINUITY_WEIGHT = 0.9  # weaker than a directional cue: "remain" alone is thin evidence
_NEG_WINDOW = 4  # at most this many words between a negator and the cue it negates
# "I do not think/believe/see ..." negates the clause it introduces.
_NEGATED_BELIEF = re.compile(
    r"\b(?:i|we)\s+(?:do|did|would|can)\s*(?:not|n't)\s+(?:really\s+)?(?:think|believe|expect|"
    r"see|suppose|assume|consider|anticipate|foresee|envisage|predict)\b|"
    r"\bthere\s+(?:is|are|will be)\s+no\s+(?:reason|grounds|ground|basis|prerequisites|"
    r"indications?|signs?)\s+(?:to|for|that)\b|"
    r"\b(?:it is|it's|seems|is|are)\s+(?:unlikely|doubtful|improbable)\b|"
    r"\bi\s+doubt\b|\bunlikely\s+to\b|\bdon't\s+think\b|"
    r"\b(?:i|we)\s+(?:would|will)\s*(?:not|n't)\s+(?:say|speak|talk|call)\b"
)
_SCOPE_END = re.compile(r";|,\s*(?:although|though|but|while|whereas|however)\b|[.!?](?:\s|$)")
_CESSATIVE = re.compile(r"\bno\s+longer\b|\bnot\s+any\s*more\b")

# Short direct replies to a yes/no question ("I do not think so.", "Of course, yes.").
_DENIAL_REPLY = re.compile(
    r"(?:well,?\s+|honestly,?\s+)?(?:no|not really|hardly|unlikely|of course not|certainly not|"
    r"definitely not|absolutely not|not at all|not now|not yet|i doubt (?:it|that|so)|"
    r"(?:i|we) (?:do not|don't|would not|wouldn't) (?:think|believe|expect|say) so|"
    r"i (?:do not|don't) think that (?:will|they will) happen|"
    r"there (?:is|are) no (?:prerequisites|grounds|reasons?|basis|preconditions) "
    r"for (?:this|that|it))"
)
_AFFIRM_REPLY = re.compile(
    r"(?:(?:yes|of course|certainly|definitely|undoubtedly|surely|absolutely|most likely|"
    r"probably|i think|i believe|i am sure|without doubt)[,\s]*)*"
    r"(?:yes|of course|certainly|definitely|undoubtedly|surely|absolutely|i think so|"
    r"i believe so|most likely|probably|it will|they will|they will change|it will change)"
)
# A reply that opens a longer sentence ("Yes, I believe it should, sooner or later.").
_DENIAL_PREFIX = re.compile(
    r"(?:no|not now|not yet|hardly|of course not|not really|"
    r"(?:i|we) (?:do not|don't) (?:think|believe|expect) so)\s*[,.;:—–-]"
)
_AFFIRM_PREFIX = re.compile(
    r"(?:yes|of course,? yes|(?:i|we) (?:think|believe|expect) so|most likely,? yes)\s*[,.;:—–-]"
)
# How a claim stands in its answer, from its first words: a conclusion ("Therefore, ...")
# or a contrast ("But ...") carries the answer; a concession ("although ...") does not.
_DISCOURSE = (
    (
        "conclusion",
        re.compile(
            r"(?:therefore|thus|so|hence|consequently|accordingly|in short|overall|all in all|"
            r"to sum up|in conclusion|in general|in any case|in other words|in this sense|"
            r"in this respect|ultimately|in the end|on the whole|so my answer is)\b"
        ),
    ),
    (
        "contrast",
        re.compile(r"(?:but|yet|however|nevertheless|nonetheless|still|on the other hand)\b"),
    ),
    ("concession", re.compile(r"(?:although|though|while|whereas|even if|even though)\b")),
)

_DIRECTIONS = ("strengthening", "weakening")
_STRONG = 2.0  # explicit "no change"/uncertainty statements and negated cues
_WEAK = 1.0  # plain directional cues


@dataclass(frozen=True)
class _Match:
    start: int
    end: int
    kind: str  # strengthening | weakening | no change | change | uncertain | positive


# One regex per lexicon entry: an alternation would stop at its first matching branch
# ("negative" before "negative impact"), and the longest match must win instead.
_LEXICON: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, _compile([pattern]))
    for kind, patterns in (
        ("strengthening", STRENGTHENING),
        ("weakening", WEAKENING),
        ("no change", NO_CHANGE),
        ("continuity", CONTINUITY),
        ("change", CHANGE),
        ("uncertain", UNCERTAIN),
        ("positive", POSITIVE_STATE),
    )
    for pattern in patterns
)


def _cue_matches(low: str) -> list[_Match]:
    """All lexicon matches, overlaps resolved in favour of the longer (more specific) one."""
    found = [
        _Match(m.start(), m.end(), kind)
        for kind, pattern in _LEXICON
        for m in pattern.finditer(low)
    ]
    found.sort(key=lambda x: (-(x.end - x.start), x.start))
    kept: list[_Match] = []
    for cand in found:
        if all(cand.end <= k.start or cand.start >= k.end for k in kept):
            kept.append(cand)
    return sorted(kept, key=lambda x: x.start)


_TOKEN = re.compile(r"\w+(?:['-]\w+)*|[^\w\s]")


def _local_negator(
    low: str, cue_start: int, skip: Sequence[tuple[int, int]] = ()
) -> tuple[int, str] | None:
    """The start and kind of a negator a few words before the cue, if any.

    Kinds: "not" (plain negation), "ceased" ("no longer"), "contrast" ("rather than",
    "instead of": the cue is the rejected alternative; "before", "until", "from": it is a
    later or an earlier state, not the one forecast; "whether": it is only asked about).
    Negators inside the spans in skip (the words of a negated belief) are left to the
    belief rule.
    """
    tokens = list(_TOKEN.finditer(low, 0, cue_start))
    for back, tok in enumerate(reversed(tokens)):
        if back > _NEG_WINDOW:
            return None
        word = tok.group(0)
        idx = len(tokens) - 1 - back
        previous = tokens[idx - 1].group(0) if idx > 0 else ""
        if (word, previous) in (("than", "rather"), ("of", "instead")):
            return tokens[idx - 1].start(), "contrast"
        if word in _LATER_OR_EARLIER and back <= 2:
            return tok.start(), "contrast"
        if word == "whether":
            return tok.start(), "contrast"  # "whether X will grow" asks, it does not forecast
        if word in _CLAUSE_BREAKS:
            return None
        if word in _NEGATORS or word.endswith("n't"):
            if any(s0 <= tok.start() < s1 for s0, s1 in skip):
                return None
            follower = tokens[idx + 1].group(0) if idx + 1 < len(tokens) else ""
            if word == "no" and follower == "longer":
                return tok.start(), "ceased"
            if follower in _NOT_NEGATING.get(word, frozenset()) or previous == "why":
                continue  # "not only", "no doubt", "why not": no negation
            return tok.start(), "not"
    return None


def _names_the_event(low: str, m: _Match) -> bool:
    """Whether a weakening noun is a definite reference ("the clashes") to the event itself."""
    if m.kind != "weakening" or not _EVENT_NOUNS.fullmatch(low[m.start : m.end]):
        return False
    before = [t.group(0) for t in _TOKEN.finditer(low, 0, m.start)][-3:]
    for word in reversed(before):
        if word in _DETERMINERS:
            return True
        if word in _CLAUSE_BREAKS or word in _NEGATORS:
            return False
    return False


def _belief_scopes(low: str) -> list[tuple[int, int, int]]:
    """(trigger start, scope start, scope end) of negated beliefs such as "I do not think"."""
    scopes = []
    for m in _NEGATED_BELIEF.finditer(low):
        end = _SCOPE_END.search(low, m.end())
        scopes.append((m.start(), m.end(), end.start() if end else len(low)))
    return scopes


def _relative_aside(low: str, pos: int) -> bool:
    """Whether pos lies in a ", which ..." aside, a side remark about something else."""
    head = low[:pos]
    i = head.rfind(", which ")
    return i >= 0 and not re.search(r"[,;]", head[i + 8 :])


@dataclass(frozen=True)
class _Vote:
    label: str
    weight: float
    start: int
    end: int
    rule: str


def _near(low: str, start: int, end: int, pattern: re.Pattern[str], reach: int = 4) -> bool:
    """Whether a word matching pattern lies within reach words before start or after end,
    in the same clause."""
    before = list(_TOKEN.finditer(low, 0, start))[-reach:]
    after = list(_TOKEN.finditer(low, end))[:reach]
    for seq in (reversed(before), iter(after)):
        for tok in seq:
            word = tok.group(0)
            if word in _CLAUSE_BREAKS and word not in ("that", "which"):
                break
            if pattern.fullmatch(word):
                return True
    return False


def _about_relation(low: str, start: int, end: int) -> bool:
    """Whether a (negated) change is said of the relation itself rather than of a side issue.

    >>> _about_relation("the dam does not affect our water supply", 13, 23)
    False
    >>> _about_relation("this will not change either", 5, 19)
    True
    """
    if _near(low, start, end, _RELATION_WORDS):
        return True
    after = [t.group(0) for t in _TOKEN.finditer(low, end)][:3]
    if after and after[0] in ("on", "upon", "for", "to"):
        after = after[1:]
    # "does not affect our water supply": an object of its own, so it is a side issue;
    # "will not change this." or no object at all: the subject itself stays as it is
    return not (len(after) >= 2 and after[0] in _OBJECT_DETERMINERS and after[1].isalpha())


def _trend_votes(low: str) -> list[_Vote]:
    """Each cue as a vote for a trend label, after negation."""
    scopes = _belief_scopes(low)
    triggers = [(trig, s0) for trig, s0, _ in scopes]
    conclusion = re.search(r",\s+(?:so|therefore|thus|hence)\s", low)
    votes: list[_Vote] = []
    for m in _cue_matches(low):
        if _names_the_event(low, m):
            continue
        start = m.start
        negated = False
        ceased = False
        # A directional phrase may hold its own negator ("cooperation will not grow"): look
        # back from its last word. Uncertainty and no-change phrases may contain a negator
        # as part of the phrase ("not clear"): look back from their first word.
        anchor = m.start
        if m.kind in ("strengthening", "weakening", "change", "positive"):
            anchor = list(_TOKEN.finditer(low, m.start, m.end))[-1].start()
        local = _local_negator(low, anchor, triggers)
        if local is not None:
            if local[1] == "contrast":
                continue  # "grow rather than decline": the rejected alternative casts no vote
            negated, ceased = True, local[1] == "ceased"
            start = min(start, local[0])
        for trig, s0, s1 in scopes:
            if s0 <= m.start < s1:
                negated = not negated
                start = min(start, trig)
                break
        kind = m.kind
        if kind in _DIRECTIONS and _CESSATIVE.search(low, m.end, min(len(low), m.end + 20)):
            ceased = negated = True
        weight = 0.5 if _relative_aside(low, m.start) else 1.0
        if conclusion and m.start > conclusion.start():
            weight *= 1.5  # "..., so I would not speak of a sharp turn": the sentence's point
        if (
            kind == "strengthening"
            and _INTENSIFIERS.search(low, m.start, m.end)
            and _near(low, m.start, m.end, _NEGATIVE_NOUNS, reach=6)
        ):
            kind = "weakening"  # more competition or tension is a weakening
            if not negated:
                votes.append(
                    _Vote(kind, _WEAK * weight, start, m.end, "growing-negative→weakening")
                )
                continue
        if not negated:
            if kind in _DIRECTIONS:
                votes.append(_Vote(kind, _WEAK * weight, start, m.end, f"{kind}-cue"))
            elif kind == "no change":
                votes.append(_Vote(kind, _STRONG * weight, start, m.end, "no-change-cue"))
            elif kind == "continuity":
                w = _CONTINUITY_WEIGHT * weight
                votes.append(_Vote("no change", w, start, m.end, "continuity-cue"))
            elif kind == "uncertain":
                votes.append(_Vote(kind, _STRONG * weight, start, m.end, "uncertainty-cue"))
            continue
        if ceased and kind in _DIRECTIONS:
            flipped = "weakening" if kind == "strengthening" else "strengthening"
            rule = f"ceased-{kind}→{flipped}"
            votes.append(_Vote(flipped, _WEAK * weight, start, m.end, rule))
        elif kind == "weakening":
            # denying a deterioration is a firm "no change"
            rule = "negated-weakening→no change"
            votes.append(_Vote("no change", _STRONG * weight, start, m.end, rule))
        elif kind == "strengthening":
            # denying an improvement leaves things as they are, but says less
            rule = "negated-strengthening→no change"
            votes.append(_Vote("no change", _WEAK * weight, start, m.end, rule))
        elif kind == "change":
            if _about_relation(low, start, m.end):
                rule, w = "negated-change→no change", _STRONG
            else:
                rule, w = "negated-change-elsewhere→no change", _WEAK
            votes.append(_Vote("no change", w * weight, start, m.end, rule))
        elif kind == "positive":
            rule = "negated-positive→weakening"
            votes.append(_Vote("weakening", _WEAK * weight, start, m.end, rule))
        # a negated "no change" or uncertainty cue says only that something changes: no vote
    if any(v.rule != "continuity-cue" for v in votes):
        # "remain"/"continue" only decide when nothing else does: "will continue to decline"
        votes = [v for v in votes if v.rule != "continuity-cue"]
    return votes


def _reply(low: str) -> tuple[str, int] | None:
    """('denial' | 'affirmation', length of the reply words) for a direct reply, else None."""
    stripped = low.strip()
    bare = re.sub(r"[\s\"“”«»'.!?…,;:—–-]+$", "", stripped)
    bare = re.sub(r"\s+", " ", bare)
    if len(bare.split()) <= 6:
        if _DENIAL_REPLY.fullmatch(bare):
            return "denial", len(bare)
        if _AFFIRM_REPLY.fullmatch(bare):
            return "affirmation", len(bare)
    m = _DENIAL_PREFIX.match(stripped)
    if m:
        return "denial", m.end() - 1
    m = _AFFIRM_PREFIX.match(stripped)
    if m:
        return "affirmation", m.end() - 1
    return None


def _discourse_role(low: str) -> str | None:
    """'conclusion', 'contrast' or 'concession' from the claim's first words, else None."""
    head = low.lstrip(" \"“«'(-–—")
    for role, pattern in _DISCOURSE:
        if pattern.match(head):
            return role
    return None


def _trend(sentence: str, low: str) -> tuple[Cue, bool]:
    votes = _trend_votes(low)
    if not votes:
        reply = _reply(low)
        if reply is None:
            return Cue("uncertain", "", "default"), True
        kind, length = reply
        off = len(low) - len(low.lstrip())
        words = sentence[off : off + length].strip()
        if kind == "denial":
            return Cue("no change", words, "reply-denial→no change"), False
        return Cue("uncertain", words, "reply-affirmation"), False
    totals: dict[str, float] = {}
    for v in votes:
        totals[v.label] = totals.get(v.label, 0.0) + v.weight
    best = max(totals.values())
    leaders = [label for label, total in totals.items() if total == best]
    role = _discourse_role(low)
    prefix = f"{role}/" if role else ""
    if {"strengthening", "weakening"} <= set(leaders):
        first = min(votes, key=lambda v: v.start)
        last = max(votes, key=lambda v: v.end)
        cue = Cue("uncertain", sentence[first.start : last.end], prefix + "mixed-cues")
        return cue, False
    # among tied labels the strongest, then the earliest vote decides
    winner = max((v for v in votes if v.label in leaders), key=lambda v: (v.weight, -v.start))
    agreeing = sum(1 for v in votes if v.label == winner.label) - 1
    more = f" (+{agreeing} more)" if agreeing else ""
    return Cue(
        winner.label, sentence[winner.start : winner.end], prefix + winner.rule + more
    ), False


# ---------------------------------------------------------------------------
# Claim type
# ---------------------------------------------------------------------------

RECOMMENDATION = (
    r"(?<!which )should",
    r"shouldn't",
    r"must(?! have)",
    r"ought to",
    r"needs? to",
    r"urgently need\w*",
    r"(?:has|have) to",
    r"(?:it is|it's|it would be) (?:\w+ )?(?:necessary|important|essential|vital|crucial|"
    r"advisable|desirable|imperative|expedient|worth|time|high time)",
    r"(?:i|we) (?:would )?(?:recommend|suggest|propose|urge|advise|call on)",
    r"let us",
    r"let's",
    r"why not",
    r"(?:i|we) hope",
)
# Sentence-initial base verbs read as imperatives ("Pay attention, ...").
IMPERATIVES = _words(
    "pay let consider note look imagine remember take keep stop avoid give mind bear recall "
    "compare notice"
)
PREDICTION = (
    r"(?<!political )(?<!good )(?<!free )(?<!the )will(?! of)",
    r"won't",
    r"shall",
    r"\w+'ll",
    r"(?<!i )(?<!we )would",  # "I would say" is a polite assessment, not a forecast
    r"(?:is|are|am) going to",
    r"expect\w*",
    r"likely",
    r"unlikely",
    r"in the (?:near|foreseeable|coming|medium|long) (?:future|term|years|months|weeks)",
    r"in the future",
    r"soon",
    r"forecast\w*",
    r"predict\w*",
    r"(?:next|later this|coming) (?:year|month|week|decade)",
    r"(?:may|might|could) (?:well |also |even |still |soon |again |not |eventually )*"
    r"(?!have\b|had\b)[a-z]+",
)
EVALUATIVE = (
    r"(?:show|shows|showed|shown|prove|proves|proved|proven|demonstrate|demonstrates|"
    r"demonstrated|indicates?|indicated|confirm\w*) that",
    r"(?:it is|it's) (?:\w+ )?(?:significant|important|obvious|clear|evident|noteworthy|"
    r"symptomatic|telling|remarkable|notable|curious|interesting|characteristic|indicative|"
    r"worth noting)",
    r"(?:is|are|was|were|seems?|remains?) (?:very|extremely|quite|rather|too|highly|fairly|"
    r"so|increasingly|not very|especially|particularly)",
    r"in my (?:opinion|view)",
    r"(?:i|we) (?:think|believe|consider)",
)
OBSERVATION = (
    r"there (?:was|were|had been|have been)",
    r"took place",
    r"(?:has|have|had) (?:already |recently |even )?(?:taken place|occurred|happened|"
    r"been held|been signed)",
    r"signed",
    r"issued",
    r"announced",
    r"convened",
    r"visited",
    r"occurred",
    r"happened",
    r"declared",
    r"adopted",
    r"ratified",
    r"launched",
    r"warned",
    r"condemned",
    r"reported",
    r"arrested",
    r"detained",
    r"appointed",
    r"expressed",
    r"stated",
    r"said",
    r"met",
    r"was held",
    r"were held",
    r"did not",
    r"didn't",
    r"last (?:year|month|week|autumn|spring|summer|winter)",
    r"yesterday",
    r"(?:january|february|march|april|may|june|july|august|september|october|november|"
    r"december) \d{1,2}",
    r"(?:in|on|since|by) (?:january|february|march|april|may|june|july|august|september|"
    r"october|november|december)",
    r"(?:in|since) (?:19|20)\d\d",
)

_RECOMMENDATION = _compile(RECOMMENDATION)
_PREDICTION = _compile(PREDICTION)
_EVALUATIVE = _compile(EVALUATIVE)
_OBSERVATION = _compile(OBSERVATION)


def _first_word(low: str) -> re.Match[str] | None:
    return re.match(r"[\s\"“«'(]*(\w+)", low)


def _search(pattern: re.Pattern[str], sentence: str, low: str) -> re.Match[str] | None:
    """The first match that is not the month "May" read as the modal "may"."""
    for m in pattern.finditer(low):
        if m.start() > 0 and sentence[m.start() : m.start() + 4] in ("May ", "May,", "May."):
            continue
        return m
    return None


def _claim_type(sentence: str, low: str) -> Cue:
    m = _search(_RECOMMENDATION, sentence, low)
    if m:
        return Cue("recommendation", sentence[m.start() : m.end()], "normative")
    fw = _first_word(low)
    if fw and fw.group(1) in IMPERATIVES:
        return Cue("recommendation", sentence[fw.start(1) : fw.end(1)], "imperative")
    m = _search(_PREDICTION, sentence, low)
    if m:
        modal = re.match(r"(?:may|might|could)\b", low[m.start() :])
        rule = "possibility-modal" if modal else "future"
        return Cue("prediction", sentence[m.start() : m.end()], rule)
    m = _search(_EVALUATIVE, sentence, low)
    if m:
        return Cue("assessment", sentence[m.start() : m.end()], "evaluative")
    m = _search(_OBSERVATION, sentence, low)
    if m:
        return Cue("observation", sentence[m.start() : m.end()], "reported-fact")
    return Cue("assessment", "", "default-assessment")


# ---------------------------------------------------------------------------
# Certainty
# ---------------------------------------------------------------------------

LOW_CERTAINTY = (
    r"may",
    r"might",
    r"could",
    r"perhaps",
    r"maybe",
    r"possibly",
    r"(?:it is|it's|quite|it seems) possible",
    r"(?:it )?seems?(?! to me)",
    r"seemingly",
    r"cannot be (?:completely |entirely |fully )?(?:ruled out|excluded)",
    r"(?:is|are) not (?:completely |entirely )?(?:ruled out|excluded)",
    r"speculative",
    r"(?:i|we) hope",
    r"if",
    r"unless",
    r"in case",
    r"there is a (?:chance|risk|possibility)",
)
MEDIUM_CERTAINTY = (
    r"most likely",
    r"likely",
    r"unlikely",
    r"probably",
    r"apparently",
    r"presumably",
    r"supposedly",
    r"it appears",
    r"appears? to",
    r"(?:it )?seems to me",
    r"(?:i|we) (?:think|believe|consider|suppose|assume|expect|admit|guess|feel)",
    r"(?:i am|i'm|we are) afraid",
    r"(?:i|we) would (?:not )?(?:say|argue|call|describe|speak)",
    r"(?:i|we) (?:do not|don't) (?:think|believe|expect|see|suppose)",
    r"in my (?:opinion|view)",
    r"(?:can|could) be (?:assumed|argued|expected|supposed)",
    r"(?:we|one) can expect",
    r"more than possible",
    r"to assume",
)
HIGH_CERTAINTY = (
    r"of course",
    r"undoubtedly",
    r"certainly",
    r"clearly",
    r"definitely",
    r"obviously",
    r"surely",
    r"inevitabl\w+",
    r"(?:i am|i'm|we are) (?:sure|confident|convinced|certain)",
    r"(?:there is )?no doubt",
    r"without (?:a )?doubt",
    r"for sure",
    r"absolutely",
)
_CERTAINTY = (
    ("low", "hedge-low", _compile(LOW_CERTAINTY)),
    ("medium", "hedge-medium", _compile(MEDIUM_CERTAINTY)),
    ("high", "booster-high", _compile(HIGH_CERTAINTY)),
)


def _certainty(sentence: str, low: str) -> Cue:
    found: list[tuple[int, int, int, str, str]] = []
    for rank, (label, rule, pattern) in enumerate(_CERTAINTY):
        for m in pattern.finditer(low):
            if sentence[m.start() : m.end()] == "May" and m.start() > 0:
                continue  # the month, not the modal
            found.append((m.start(), m.end(), rank, label, rule))
    # overlaps go to the longer phrase ("most likely" over "likely", "seems to me" over "seems")
    found.sort(key=lambda f: (-(f[1] - f[0]), f[0]))
    kept: list[tuple[int, int, int, str, str]] = []
    for f in found:
        if all(f[1] <= k[0] or f[0] >= k[1] for k in kept):
            kept.append(f)
    if not kept:
        return Cue("high", "", "no-hedge")
    # the weakest hedge wins; among equals the first in the sentence
    start, end, _, label, rule = min(kept, key=lambda f: (f[2], f[0]))
    return Cue(label, sentence[start:end], rule)


# ---------------------------------------------------------------------------
# Topics
# ---------------------------------------------------------------------------

TOPIC_KEYWORDS: dict[str, tuple[str, ...]] = {
    "security": (
        r"security",
        r"securiti[sz]ation",
        r"military",
        r"csto(?: \w+)? forces",
        r"peacekeep\w*",
        r"intelligence services",
        r"special services",
        r"law enforcement",
        r"threats?",
        r"instability",
        r"stability",
        r"border guards?",
        r"unrest",
        r"defen[cs]e",
    ),
    "economy": (
        r"trade",
        r"economic\w*",
        r"econom(?:y|ies)",
        r"socio-economic",
        r"investments?",
        r"investors?",
        r"suppliers?",
        r"exports?",
        r"imports?",
        r"transit",
        r"gdp",
        r"markets?",
        r"business\w*",
        r"energy",
        r"industr\w*",
        r"consumer products",
        r"labou?r migra\w*",
        r"remittances",
        r"goods",
    ),
    "ecology": (
        r"ecolog\w*",
        r"water",
        r"environmental\w*",
        r"(?:natural |protection of the |the natural )environment",
        r"climate",
        r"aral",
        r"drought\w*",
        r"glaciers?",
        r"pollution",
        r"emissions",
        r"irrigation",
        r"reservoirs?",
        r"rivers?",
    ),
    "extremism-terrorism": (
        r"terroris[mt]s?",
        r"terrorist",
        r"anti-terrorist",
        r"counter-terrorism",
        r"extremis[mt]s?",
        r"extremist",
        r"anti-extremist",
        r"radicali[sz]\w*",
        r"radicalism",
        r"jihad\w*",
        r"salafi\w*",
        r"islamist\w*",
        r"militants?",
    ),
    "domestic-politics": (
        r"repressions?",
        r"elections?",
        r"parliament\w*",
        r"opposition",
        r"regimes?",
        r"protests?",
        r"protesters",
        r"riots?",
        r"internal political",
        r"domestic politic\w*",
        r"reforms?",
        r"political opponents",
        r"authoritarian\w*",
        r"constitution\w*",
        r"referendum",
        r"ruling elite\w*",
    ),
    "integration": (
        r"integration",
        r"regional cooperation",
        r"eaeu",
        r"eeu",
        r"eurasian economic union",
        r"customs union",
        r"consolidat\w*",
        r"common market",
        r"single market",
        r"consultative meetings?",
        r"regional formats?",
        r"c5\+1",
    ),
    "geopolitics": (
        r"geopoliti\w*",
        r"influence",
        r"great powers",
        r"major powers",
        r"russia and china",
        r"china and russia",
        r"external (?:forces|actors|players)",
        r"non-regional actors",
        r"sphere of influence",
        r"russian world",
        r"multi-vector",
        r"superpowers?",
        r"global players",
        r"the west",
    ),
    "diplomacy": (
        r"summits?",
        r"visits?",
        r"meetings? of (?:the )?heads of state",
        r"heads of state",
        r"ministr(?:y|ies) of foreign affairs",
        r"foreign ministr\w*",
        r"foreign ministers?",
        r"foreign policy",
        r"consultations?",
        r"statements?",
        r"negotiations?",
        r"diplomat\w*",
        r"ambassadors?",
        r"talks",
        r"condolences",
        r"strategic partnership",
        r"treat(?:y|ies)",
        r"declaration",
        r"agreements?",
        r"bilateral",
        r"meeting of the presidents",
    ),
    "public-opinion": (
        r"public",
        r"societ(?:y|ies)",
        r"social networks",
        r"social media",
        r"rhetoric",
        r"sentiments?",
        r"media",
        r"public perception",
        r"narratives?",
        r"discourse",
        r"ordinary people",
        r"population",
        r"nationalis[mt]\w*",
        r"perceived",
    ),
    "human-rights": (
        r"freedom of (?:religion|speech|expression|assembly|the press|press)",
        r"arrests?",
        r"arrested",
        r"human rights",
        r"detentions?",
        r"detained",
        r"political prisoners",
        r"torture",
        r"civil liberties",
        r"persecution",
    ),
    "succession": (
        r"succession",
        r"successors?",
        r"hand\w* over (?:the |his |her )?(?:post|presidency|office)",
        r"hand\w* over power",
        r"transfer of power",
        r"transit of power",
        r"son",
        r"early presidential elections?",
        r"heirs?",
        r"dynast\w*",
    ),
    "military": (
        r"armed forces",
        r"military-technical",
        r"troops",
        r"military",
        r"army",
        r"armies",
        r"military exercises",
        r"contingents?",
        r"weapons",
        r"arms",
        r"peacekeeping forces",
        r"military bases?",
    ),
}
_TOPICS = tuple((topic, _compile(TOPIC_KEYWORDS[topic])) for topic in TOPICS)


def _topics(sentence: str, low: str) -> tuple[Cue, ...]:
    found: list[tuple[int, Cue]] = []
    for topic, pattern in _TOPICS:
        m = pattern.search(low)
        if m:
            found.append((m.start(), Cue(topic, sentence[m.start() : m.end()], "topic-keyword")))
    return tuple(cue for _, cue in sorted(found, key=lambda f: f[0]))


# ---------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------


def classify(sentence: str) -> Classification:
    """Claim type, trend, certainty and topics of one claim, each with its deciding cue.

    >>> c = classify("Tensions may worsen certain aspects of relations.")
    >>> c.claim_type.label, c.trend.label, c.certainty.label
    ('prediction', 'weakening', 'low')
    >>> classify("Relations should not suffer.").trend
    Cue(label='no change', text='not suffer', rule='negated-weakening→no change')
    """
    low = _lower(sentence)
    trend, is_default = _trend(sentence, low)
    certainty = _certainty(sentence, low)
    return Classification(
        claim_type=_claim_type(sentence, low),
        trend=trend,
        certainty=certainty,
        topics=_topics(sentence, low),
        trend_is_default=is_default,
    )


# An opinion marker ("I think") is the expert's own verdict and counts in full; only a
# real hedge ("may", "perhaps") halves a claim.
_CERTAINTY_WEIGHT = {"high": 1.0, "medium": 1.0, "low": 0.5}
# Questions ask about what will be: forecasts and present assessments answer them, advice
# and reported past facts are background.
_TYPE_WEIGHT = {"prediction": 1.0, "assessment": 1.0, "recommendation": 0.5, "observation": 0.3}
_ROLE_WEIGHT = {"conclusion": 1.5, "contrast": 1.25, "concession": 0.5}
_FIRST_CLAIM_WEIGHT = 1.5  # the first sentence of an answer usually answers the question
_LAST_CLAIM_WEIGHT = 1.25  # ... and the last one often sums it up
# "I expect / I think / I am afraid / in my opinion": the expert states a verdict. A negated
# belief ("I do not think") is not boosted; its negation rule already counts double.
_STANCE = re.compile(r"(?:(?:i|we)\b(?!.*\b(?:not|n't)\b)|in my )")
_STANCE_WEIGHT = 1.5
_CLEAR_MAJORITY = 1.5  # the winner must outweigh the runner-up by this factor
_YES_NO = re.compile(r"(?:will|would|is|are|does|do|did|has|have|should|shall|could|may|might)\b")


def _question_polarity(question: str | None) -> str | None:
    """What a yes/no question asks about: a direction, "no change" or "change"; else None.

    Without a question, a reply is read as answering "Will ... change?". Questions of
    ability ("Can the CSTO play a role ...?") and open questions ("What changes ...?")
    have no polarity: a "No" to them says nothing about a trend.

    >>> _question_polarity("Will cooperation between A and B deepen after the summit?")
    'strengthening'
    >>> _question_polarity("Can the CSTO play a role in settling the conflict?") is None
    True
    """
    if question is None:
        return "change"
    low = _lower(question).strip()
    if not _YES_NO.match(low):
        return None
    kinds = [m.kind for m in _cue_matches(low)]
    for kind in kinds:
        if kind in ("strengthening", "weakening", "no change"):
            return kind
    return "change" if "change" in kinds else None


def _split_rule(rule: str) -> tuple[str | None, str, int]:
    """('contrast', 'weakening-cue', 1) from 'contrast/weakening-cue (+1 more)'."""
    m = re.fullmatch(r"(?:(\w+)/)?(.*?)(?: \(\+(\d+) more\))?", rule)
    assert m is not None  # the pattern matches every string
    return m.group(1), m.group(2), int(m.group(3) or 0)


_STRONG_RULES = frozenset(
    {"no-change-cue", "uncertainty-cue", "negated-weakening→no change", "negated-change→no change"}
)


def _claim_weight(c: Classification, first: bool, last: bool) -> float:
    """How much one claim's trend counts towards its answer's trend."""
    role, rule, agreeing = _split_rule(c.trend.rule)
    if rule in _STRONG_RULES:
        base = _STRONG
    elif rule == "continuity-cue":
        base = _CONTINUITY_WEIGHT
    elif rule == "mixed-cues":
        base = 0.5
    else:
        base = _WEAK
    w = base * (1.0 + 0.5 * min(agreeing, 2))  # several agreeing cues: firmer evidence
    if _STANCE.match(c.certainty.text.lower()):
        w *= _STANCE_WEIGHT
    if c.trend.label != "uncertain":  # "it may be hard to say" is no less uncertain
        w *= _CERTAINTY_WEIGHT.get(c.certainty.label, 1.0)
    w *= _TYPE_WEIGHT.get(c.claim_type.label, 1.0)
    w *= _ROLE_WEIGHT.get(role or "", 1.0)
    if first:
        w *= _FIRST_CLAIM_WEIGHT
    elif last:
        w *= _LAST_CLAIM_WEIGHT
    return w


def _tally(
    claims: Sequence[Classification], labels: Sequence[str] = TRENDS, offset: int = 0
) -> tuple[dict[str, float], dict[str, tuple[float, Cue]]]:
    """Weighted votes per label, and the strongest cue behind each label."""
    totals: dict[str, float] = {}
    best: dict[str, tuple[float, Cue]] = {}
    for i, c in enumerate(claims, start=offset):
        if c.trend_is_default or c.trend.rule.startswith("reply-"):
            continue
        label = c.trend.label
        if label not in labels:
            continue
        w = _claim_weight(c, first=i == 0, last=i == offset + len(claims) - 1)
        totals[label] = totals.get(label, 0.0) + w
        if label not in best or w > best[label][0]:
            best[label] = (w, c.trend)
    return totals, best


def _reply_trend(claims: Sequence[Classification], polarity: str) -> Cue:
    """The answer's trend when its first claim is a direct yes/no reply to the question."""
    reply = claims[0].trend
    denial = reply.rule.startswith("reply-denial")
    if denial and polarity in _DIRECTIONS:
        # "Will X get stronger?" "Unlikely. ... it has lost its credibility": a denial
        # followed by a clear opposite direction is that direction, else no change
        opposite = "weakening" if polarity == "strengthening" else "strengthening"
        totals, best = _tally(claims[1:], offset=1)
        # a single hedged remark ("it could even harm the format") is not enough
        if totals.get(opposite, 0.0) >= _CLEAR_MAJORITY * _WEAK:
            others = [v for k, v in totals.items() if k != opposite]
            if not others or totals[opposite] >= _CLEAR_MAJORITY * max(others):
                return Cue(opposite, best[opposite][1].text, f"reply-denial→{opposite}")
    if denial and polarity != "no change":
        return Cue("no change", reply.text, "reply-denial→no change")
    if not denial and polarity in _DIRECTIONS:
        return Cue(polarity, reply.text, f"reply-affirmation→{polarity}")
    if not denial and polarity == "no change":
        return Cue("no change", reply.text, "reply-affirmation→no change")
    # "Yes, they will change" / "No, they will not stay the same": the rest gives the direction
    totals, best = _tally(claims[1:], _DIRECTIONS, offset=1)
    if totals:
        label = max(totals, key=lambda k: totals[k])
        others = [v for k, v in totals.items() if k != label]
        if not others or totals[label] >= _CLEAR_MAJORITY * max(others):
            return Cue(label, best[label][1].text, f"reply-change→{label}")
    return Cue("uncertain", reply.text, "reply-change, direction unclear")


def answer_trend(claims: Sequence[Classification], question: str | None = None) -> Cue:
    """The answer's trend about its question's subject, summed up from its claims' trends
    (with the cue that decided).

    Rules, in order:

    1. A direct reply in the first claim ("I do not think so.", "Yes, I think so.") to a
       yes/no question ("Will/Should/Is ...?", not "Can ...?"; no question given counts as
       "Will ... change?"): a denial is "no change", unless the question asks about a
       direction and the rest of the answer clearly goes the other way ("Will it get
       stronger?" "Unlikely. It has lost its credibility." → weakening); an affirmation
       takes the question's direction ("Will cooperation deepen?" → strengthening), or, for
       "Will ... change?", the direction of the rest of the answer.
    2. Otherwise a weighted vote of the claims' trends. Base weight: explicit no-change
       and uncertainty statements, negated deteriorations and negated changes of the
       relation itself 2; directional cues, negated improvements and negated changes of a
       side issue 1; "remain"/"continue" alone 0.9; mixed 0.5; ×1.5 / ×2 when two / three
       cues of the sentence agree. Times certainty (high and medium 1, low 0.5; not for
       "uncertain"), claim type (prediction, assessment 1; recommendation 0.5; observation
       0.3), discourse role (conclusion 1.5, contrast 1.25, concession 0.5), an expert's
       stated verdict ("I think/expect ...") 1.5, and position (first claim 1.5, last 1.25).
       The top label wins if it outweighs the runner-up 1.5 times ("weighted-majority").
    3. A close call: the side the expert states as a verdict wins ("expert-verdict"); else
       a strengthening/weakening contest is "uncertain" ("mixed"), and any other goes to
       the first claim that took one of the two sides ("first-decided-claim").
    4. No cue at all: "uncertain" ("default").

    >>> claims = [classify("I do not think so."), classify("Trade may grow.")]
    >>> answer_trend(claims, "Will relations between A and B change?").label
    'no change'
    """
    polarity = _question_polarity(question)
    if claims and claims[0].trend.rule.startswith("reply-") and polarity is not None:
        return _reply_trend(claims, polarity)
    totals, best = _tally(claims)
    if not totals:
        return Cue("uncertain", "", "default")
    ranked = sorted(totals.items(), key=lambda kv: -kv[1])
    top_label, top = ranked[0]
    runner = ranked[1][1] if len(ranked) > 1 else 0.0
    if runner == 0.0 or top >= _CLEAR_MAJORITY * runner:
        return Cue(top_label, best[top_label][1].text, "weighted-majority")
    second_label = ranked[1][0]
    # a close call between a direction and "no change"/"uncertain": the side the expert
    # states as a verdict ("I think ...") wins, else the first claim that took a side
    decided = [
        c for c in claims if not c.trend_is_default and not c.trend.rule.startswith("reply-")
    ]
    verdicts = {
        c.trend.label
        for c in decided
        if c.trend.label in (top_label, second_label) and _STANCE.match(c.certainty.text.lower())
    }
    if len(verdicts) == 1:
        label = verdicts.pop()
        verdict = next(
            c for c in decided if c.trend.label == label and _STANCE.match(c.certainty.text.lower())
        )
        return Cue(label, verdict.trend.text, "expert-verdict")
    if {top_label, second_label} == set(_DIRECTIONS):
        return Cue("uncertain", best[top_label][1].text, "mixed")
    for c in decided:
        if c.trend.label in (top_label, second_label):
            return Cue(c.trend.label, c.trend.text, "first-decided-claim")
    return Cue(top_label, best[top_label][1].text, "weighted-majority")
