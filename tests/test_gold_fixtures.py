"""The gold annotations under tests/fixtures/gold and tests/fixtures/layouts are well-formed
and agree with their articles.

This checks the gold files themselves (keys, verbatim anchors, reading order, names of
states and organizations), not the extractor: extraction quality is scored against them
elsewhere. The format is documented in tests/fixtures/gold/README.md; the layout families
and the near-miss format in tests/fixtures/layouts/README.md.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pycountry
import pytest
import yaml
from bs4 import BeautifulSoup

TESTS = Path(__file__).parent
FIXTURES = TESTS / "fixtures"
GOLD_DIR = FIXTURES / "gold"
LAYOUTS_DIR = FIXTURES / "layouts"
NEAR_MISS_DIR = LAYOUTS_DIR / "near-miss"
BUNDLED = (
    TESTS.parent
    / "graph"
    / "data"
    / "articles"
    / "cabar-2022-01-crisis-in-kazakhstan-regional-cooperation.txt"
)

TOP_KEYS = {"article", "layout", "title", "experts", "answers"}
EXPERT_KEYS = {"name", "country", "role", "affiliation"}
ANSWER_KEYS = {"expert", "question", "starts_with", "states", "organizations", "trend", "note"}
LAYOUTS = {
    "expert-blocks", "topic-headings",
    "interview", "markdown-emphasised", "question-first", "header-variants",
}  # fmt: skip
# Layouts in which every answer has a question line of its own (question-first and
# topic-headings share one question line among the answers under it).
OWN_QUESTION = {"expert-blocks", "interview", "markdown-emphasised", "header-variants"}
TRENDS = {"strengthening", "weakening", "no change", "uncertain"}
ORGANIZATIONS = {
    "CSTO", "EAEU", "ECU", "SCO", "OTS", "CIS", "CAHS", "EU", "UN", "NATO",
    "OSCE", "CICA", "ECO", "BRICS", "ASEAN", "WTO", "IMF", "CAREC",
}  # fmt: skip

# Common English short names that pycountry spells otherwise (its `name` and `common_name`
# are accepted as they are). Every alias is listed here on purpose: nothing else is mapped.
STATE_ALIASES = {
    "Russia": "RU",
    "Turkey": "TR",
}

GOLD_FILES = sorted(GOLD_DIR.glob("*.yaml")) + sorted((LAYOUTS_DIR / "gold").glob("*.yaml"))
GOLD_IDS = [p.relative_to(FIXTURES).with_suffix("").as_posix() for p in GOLD_FILES]
NEAR_MISS_FILES = sorted((NEAR_MISS_DIR / "gold").glob("*.yaml"))
NEAR_MISS_KEYS = {"article", "layout", "expect", "trap", "experts", "answers"}
TRAP_KEYS = {"line", "text", "why"}


def state_code(name: str) -> str | None:
    """The ISO alpha-2 code of a state given by its common English short name, else None.

    Accepted: pycountry's `common_name`, its `name` when that is not an inverted
    ("Korea, Republic of") form, or an entry of STATE_ALIASES. Official names
    ("Republic of Tajikistan"), demonyms and abbreviations are rejected.
    """
    if name in STATE_ALIASES:
        return STATE_ALIASES[name]
    for country in pycountry.countries:
        common = getattr(country, "common_name", None)
        if common == name or (country.name == name and "," not in name):
            return str(country.alpha_2)
    return None


def article_path(ref: str) -> Path:
    return BUNDLED if ref == "bundled" else FIXTURES / ref


def article_text(path: Path) -> str:
    """The article as a reader sees it: line ends normalized; for HTML the <article> text
    without page chrome (navigation, share buttons, sidebar, footer, scripts)."""
    raw = path.read_text(encoding="utf-8").replace("\r\n", "\n").replace("\r", "\n")
    if path.suffix != ".html":
        return raw
    soup = BeautifulSoup(raw, "lxml")
    body = soup.find("article")
    assert body is not None, f"{path.name}: no <article> element"
    for tag in body.find_all(["nav", "aside", "footer", "script", "style", "form", "button"]):
        tag.decompose()
    for tag in body.select(".share"):
        tag.decompose()
    return str(body.get_text())


def question_lines(text: str, question: str) -> list[int]:
    """Offsets of the lines that consist of the question (or topic heading) alone; a
    Markdown heading mark, bold marks, a number ("2.") or a "Q:" marker and surrounding
    blanks are allowed."""
    blank = r"[ \t\u00a0]*"
    mark = rf"(?:#+{blank}|\*\*{blank}|Q:{blank}|\d+[.)]{blank})*"
    pattern = re.compile(rf"^{blank}{mark}{re.escape(question)}(?:\*\*)?{blank}$", re.MULTILINE)
    return [m.start() for m in pattern.finditer(text)]


def load(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict), f"{path.name}: top level is not a mapping"
    return data


def test_gold_files_exist() -> None:
    stems = {p.stem for p in GOLD_FILES}
    assert "bundled" in stems
    assert len(stems) >= 5


@pytest.mark.parametrize("gold_path", GOLD_FILES, ids=GOLD_IDS)
def test_gold_header(gold_path: Path) -> None:
    gold = load(gold_path)
    assert set(gold) == TOP_KEYS, f"keys {sorted(gold)}"
    path = article_path(gold["article"])
    assert path.is_file(), f"article {gold['article']} missing"
    if gold["article"] != "bundled":
        assert path.stem == gold_path.stem, "a gold file is named after its article"
    assert gold["layout"] in LAYOUTS
    text = article_text(path)
    assert isinstance(gold["title"], str) and gold["title"] in text


@pytest.mark.parametrize("gold_path", GOLD_FILES, ids=GOLD_IDS)
def test_gold_experts(gold_path: Path) -> None:
    gold = load(gold_path)
    text = article_text(article_path(gold["article"]))
    experts = gold["experts"]
    assert isinstance(experts, list) and experts
    names = [e["name"] for e in experts]
    assert len(names) == len(set(names)), "duplicate expert"
    for expert in experts:
        assert set(expert) == EXPERT_KEYS, f"{expert}: keys"
        assert expert["name"] in text, f"{expert['name']} not in the article"
        assert state_code(expert["country"]) is not None, f"{expert['country']}: not a state"
        for key in ("role", "affiliation"):
            value = expert[key]
            assert value is None or (isinstance(value, str) and value.strip() == value != "")
            if value is not None:
                assert value in text, f"{expert['name']}: {key} {value!r} not in the article"
    answered = {a["expert"] for a in gold["answers"]}
    assert answered == set(names), "every expert answers at least once"


@pytest.mark.parametrize("gold_path", GOLD_FILES, ids=GOLD_IDS)
def test_gold_answers(gold_path: Path) -> None:
    gold = load(gold_path)
    text = article_text(article_path(gold["article"]))
    names = [e["name"] for e in gold["experts"]]
    answers = gold["answers"]
    assert isinstance(answers, list) and answers
    cursor = 0
    prev_start = -1
    prev_question_at = -1
    for i, answer in enumerate(answers):
        where = f"answer {i + 1} ({answer.get('expert')})"
        assert set(answer) == ANSWER_KEYS, f"{where}: keys {sorted(answer)}"
        assert answer["expert"] in names, f"{where}: unknown expert"
        question, start = answer["question"], answer["starts_with"]
        assert isinstance(question, str) and question.strip() == question != ""
        assert isinstance(start, str) and start.strip() == start != ""
        lines = question_lines(text, question)
        assert lines, f"{where}: question is not a line of the article, verbatim"
        # Reading order: each answer starts after the previous one, below its question.
        at = text.find(start, cursor)
        assert at >= 0, f"{where}: starts_with not found after the previous answer"
        question_at = max((q for q in lines if q < at), default=-1)
        assert question_at >= 0, f"{where}: starts_with does not follow its question"
        assert question_at >= prev_question_at, f"{where}: question out of reading order"
        if gold["layout"] in OWN_QUESTION:
            assert question_at > prev_start, f"{where}: no question line of its own"
        elif gold["layout"] == "topic-headings":
            line = text[text.rfind("\n", 0, at) + 1 : at]
            assert line.startswith(answer["expert"]), f"{where}: paragraph not 'Name (Country):'"
        # The answer belongs to the expert named last before it (header, bare name or prefix).
        last = max(names, key=lambda n: text.rfind(n, 0, at))
        assert last == answer["expert"], f"{where}: text before it belongs to {last}"
        cursor, prev_start, prev_question_at = at + len(start), at, question_at

        states, orgs = answer["states"], answer["organizations"]
        assert isinstance(states, list) and isinstance(orgs, list)
        assert states == sorted(set(states)), f"{where}: states not a sorted set"
        assert orgs == sorted(set(orgs)), f"{where}: organizations not a sorted set"
        for state in states:
            assert state_code(state) is not None, f"{where}: {state!r} is not a state short name"
        for org in orgs:
            assert org in ORGANIZATIONS, f"{where}: {org!r} is not an allowed acronym"
        assert answer["trend"] in TRENDS, f"{where}: trend {answer['trend']!r}"
        assert isinstance(answer["note"], str) and answer["note"].strip()


def test_state_names_are_checked() -> None:
    assert state_code("Russia") == "RU"
    assert state_code("Iran") == "IR"
    assert state_code("South Korea") == "KR"
    assert state_code("Kyrgyzstan") == "KG"
    assert state_code("United States") == "US"
    for wrong in ("Republic of Tajikistan", "Korea, Republic of", "Kazakh", "USA", "Central Asia"):
        assert state_code(wrong) is None, wrong


def test_question_templates_present() -> None:
    """Some questions differ only by the states they name (for question-template tests)."""
    states = r"(Kazakhstan|Kyrgyzstan|Tajikistan|Turkmenistan|Uzbekistan)"
    shapes: dict[str, set[str]] = {}
    for gold_path in GOLD_FILES:
        for answer in load(gold_path)["answers"]:
            shape = re.sub(states, "STATE", answer["question"])
            if shape != answer["question"]:
                shapes.setdefault(shape, set()).add(answer["question"])
    assert sum(1 for qs in shapes.values() if len(qs) > 1) >= 3


def test_layout_families_present() -> None:
    """Every layout family of the layout fixtures has at least one gold file."""
    families = {load(p)["layout"] for p in GOLD_FILES if p.parent != GOLD_DIR}
    assert families >= LAYOUTS - {"expert-blocks", "topic-headings"}


@pytest.mark.parametrize("gold_path", NEAR_MISS_FILES, ids=[p.stem for p in NEAR_MISS_FILES])
def test_near_miss_gold(gold_path: Path) -> None:
    """A near-miss gold file names its trap line verbatim and, when the article must
    build, the author of every answer in reading order."""
    gold = load(gold_path)
    assert set(gold) == NEAR_MISS_KEYS, f"keys {sorted(gold)}"
    path = FIXTURES / gold["article"]
    assert path.is_file() and path.parent == NEAR_MISS_DIR
    assert path.stem == gold_path.stem, "a gold file is named after its article"
    assert gold["layout"] in LAYOUTS
    assert gold["expect"] in {"build", "refuse"}
    text = article_text(path)
    lines = text.split("\n")
    trap = gold["trap"]
    assert set(trap) == TRAP_KEYS
    assert isinstance(trap["line"], int) and 1 <= trap["line"] <= len(lines)
    assert lines[trap["line"] - 1].strip() == trap["text"], "trap text is not that line"
    assert isinstance(trap["why"], str) and trap["why"].strip()
    names = []
    for expert in gold["experts"]:
        assert set(expert) == {"name", "country"}
        assert expert["name"] in text
        # null: the article does not give the country (the trap itself may be its absence).
        assert expert["country"] is None or state_code(expert["country"]) is not None
        names.append(expert["name"])
    answers = gold["answers"]
    assert isinstance(answers, list)
    assert bool(answers) == (gold["expect"] == "build"), "a refusal lists no answers"
    cursor = 0
    for i, answer in enumerate(answers):
        assert set(answer) == {"expert", "question", "starts_with"}, f"answer {i + 1}: keys"
        assert answer["expert"] in names
        assert question_lines(text, answer["question"]), f"answer {i + 1}: question"
        at = text.find(answer["starts_with"], cursor)
        assert at >= 0, f"answer {i + 1}: starts_with not found after the previous answer"
        cursor = at + len(answer["starts_with"])
    if answers:
        assert {a["expert"] for a in answers} == set(names), "every expert answers"


def test_near_miss_count() -> None:
    assert len(NEAR_MISS_FILES) >= 8
