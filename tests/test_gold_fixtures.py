"""The gold annotations are well-formed and agree with their articles.

This checks the gold files themselves (keys, verbatim anchors, reading order, names of
states and organizations; for the dated series also dates, forecast horizons and trend
shifts; for the blind sets per-claim labels; for the near misses the trap line), not the
extractor: extraction quality is scored against them elsewhere. It covers tests/fixtures/gold,
tests/fixtures/layouts (gold/ and near-miss/gold/), tests/fixtures/series/gold and the blind
sets under tests/fixtures/blind/<set>/gold. The format is documented in
tests/fixtures/gold/README.md, with the layout families and the near-miss format in
tests/fixtures/layouts/README.md, the series keys in tests/fixtures/series/gold/README.md and
the per-claim labels in the blind set's README.
"""

from __future__ import annotations

import datetime
import hashlib
import itertools
import re
from pathlib import Path
from typing import Any

import pycountry
import pytest
import yaml
from bs4 import BeautifulSoup
from rdflib import Graph, Namespace
from rdflib.namespace import SKOS

TESTS = Path(__file__).parent
FIXTURES = TESTS / "fixtures"
GOLD_DIR = FIXTURES / "gold"
SERIES_GOLD_DIR = FIXTURES / "series" / "gold"
SHIFTS = SERIES_GOLD_DIR / "shifts.yaml"
BLIND_DIR = FIXTURES / "blind"
ONTOLOGY = TESTS.parent / "ontology" / "cakg.ttl"
CAKG = Namespace("https://cakg.example.org/ontology#")
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
# The dated series adds these; a file has both date keys or neither.
DATE_KEYS = {"date", "date_source"}
DATE_SOURCES = {"sidecar", "front-matter", "html-meta", "dateline", "none"}
EXPERT_KEYS = {"name", "country", "role", "affiliation"}
ANSWER_KEYS = {"expert", "question", "starts_with", "states", "organizations", "trend", "note"}
PREDICTION_KEY = "predictions"
OPTIONAL_ANSWER_KEYS = {PREDICTION_KEY, "claims"}
CLAIM_KEYS = {"text", "type", "certainty", "topics"}
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

BLIND_GOLD_FILES = sorted(BLIND_DIR.glob("*/gold/*.yaml"))
GOLD_FILES = sorted(GOLD_DIR.glob("*.yaml"))
LAYOUT_FILES = sorted((LAYOUTS_DIR / "gold").glob("*.yaml"))
SERIES_FILES = sorted(p for p in SERIES_GOLD_DIR.glob("*.yaml") if p != SHIFTS)
ALL_GOLD_FILES = GOLD_FILES + LAYOUT_FILES + SERIES_FILES + BLIND_GOLD_FILES
BLIND_SETS = sorted(p for p in BLIND_DIR.iterdir() if p.is_dir()) if BLIND_DIR.is_dir() else []
ALL_IDS = [
    path.stem if path.parent == GOLD_DIR else path.relative_to(FIXTURES).with_suffix("").as_posix()
    for path in ALL_GOLD_FILES
]
NEAR_MISS_FILES = sorted((NEAR_MISS_DIR / "gold").glob("*.yaml"))
NEAR_MISS_KEYS = {"article", "layout", "expect", "trap", "experts", "answers"}
TRAP_KEYS = {"line", "text", "why"}


def scheme_labels(scheme: str) -> set[str]:
    """The prefLabels of the concepts of one of the ontology's SKOS schemes."""
    graph = Graph().parse(ONTOLOGY)
    return {
        str(graph.value(concept, SKOS.prefLabel))
        for concept in graph.subjects(SKOS.inScheme, CAKG[scheme])
    }


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


@pytest.mark.parametrize("gold_path", ALL_GOLD_FILES, ids=ALL_IDS)
def test_gold_header(gold_path: Path) -> None:
    gold = load(gold_path)
    assert set(gold) in (TOP_KEYS, TOP_KEYS | DATE_KEYS), f"keys {sorted(gold)}"
    path = article_path(gold["article"])
    assert path.is_file(), f"article {gold['article']} missing"
    if gold["article"] != "bundled":
        assert path.stem == gold_path.stem, "a gold file is named after its article"
    assert gold["layout"] in LAYOUTS
    text = article_text(path)
    assert isinstance(gold["title"], str) and gold["title"] in text


@pytest.mark.parametrize("gold_path", ALL_GOLD_FILES, ids=ALL_IDS)
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


@pytest.mark.parametrize("gold_path", ALL_GOLD_FILES, ids=ALL_IDS)
def test_gold_answers(gold_path: Path) -> None:
    gold = load(gold_path)
    text = article_text(article_path(gold["article"]))
    names = [e["name"] for e in gold["experts"]]
    answers = gold["answers"]
    assert isinstance(answers, list) and answers
    cursor = 0
    prev_start = -1
    prev_question_at = -1
    spans: list[tuple[int, int]] = []  # (answer start, its question line) in reading order
    for i, answer in enumerate(answers):
        where = f"answer {i + 1} ({answer.get('expert')})"
        keys = set(answer)
        assert ANSWER_KEYS <= keys <= ANSWER_KEYS | OPTIONAL_ANSWER_KEYS, (
            f"{where}: keys {sorted(keys)}"
        )
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
        spans.append((at, question_at))

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

    for i, answer in enumerate(answers):
        if "claims" in answer:
            check_claims(answer["claims"], answer_text(text, spans, i), f"answer {i + 1}")


def answer_text(text: str, spans: list[tuple[int, int]], i: int) -> str:
    """The text of answer i: from its first words to the next answer's question line or
    paragraph, whichever comes first (the last answer runs to the end)."""
    at = spans[i][0]
    if i + 1 == len(spans):
        return text[at:]
    next_at, next_question_at = spans[i + 1]
    end = text.rfind("\n", 0, next_at) + 1
    if next_question_at > at:
        end = min(end, next_question_at)
    return text[at:end]


def check_claims(claims: Any, text: str, where: str) -> None:
    """Per-claim labels: verbatim sentences of their answer, labels from the ontology."""
    assert isinstance(claims, list) and claims, f"{where}: claims is not a non-empty list"
    texts = [claim.get("text") for claim in claims]
    assert len(texts) == len(set(texts)), f"{where}: a claim is listed twice"
    for claim in claims:
        assert set(claim) == CLAIM_KEYS, f"{where}: claim keys {sorted(claim)}"
        sentence = claim["text"]
        assert isinstance(sentence, str) and sentence.strip() == sentence != ""
        assert sentence in text, f"{where}: claim not verbatim in its answer: {sentence[:60]!r}"
        assert claim["type"] in CLAIM_TYPES, f"{where}: type {claim['type']!r}"
        assert claim["certainty"] in CERTAINTIES, f"{where}: certainty {claim['certainty']!r}"
        topics = claim["topics"]
        assert isinstance(topics, list) and 1 <= len(topics) == len(set(topics)) <= 3
        for topic in topics:
            assert topic in TOPICS, f"{where}: topic {topic!r} is not a prefLabel of the scheme"


CLAIM_TYPES = scheme_labels("ClaimTypeScheme")
CERTAINTIES = scheme_labels("CertaintyScheme")
TOPICS = scheme_labels("TopicScheme")


def test_claim_labels_come_from_the_ontology() -> None:
    assert "prediction" in CLAIM_TYPES and "assessment" in CLAIM_TYPES
    assert {"high", "low"} <= CERTAINTIES
    assert "integration" in TOPICS and "Integration" not in TOPICS


@pytest.mark.parametrize("blind", BLIND_SETS, ids=[p.name for p in BLIND_SETS])
def test_blind_set_spread(blind: Path) -> None:
    """A blind set is big enough to measure: answers spread over the four trends and
    per-claim labels (issue 12's protocol, see the set's README)."""
    golds = sorted((blind / "gold").glob("*.yaml"))
    articles = {
        p.stem
        for p in blind.iterdir()
        if p.is_file() and p.suffix in {".txt", ".md", ".html"} and p.name != "README.md"
    }
    assert articles == {p.stem for p in golds}, "one gold file per article"
    answers = [a for path in golds for a in load(path)["answers"]]
    assert len(answers) >= 200
    trends = [a["trend"] for a in answers]
    assert min(trends.count(t) for t in TRENDS) >= 45, {t: trends.count(t) for t in TRENDS}
    assert sum(len(a.get("claims", [])) for a in answers) >= 120


@pytest.mark.parametrize("blind", BLIND_SETS, ids=[p.name for p in BLIND_SETS])
def test_blind_set_frozen(blind: Path) -> None:
    """A blind set is fixed before its first run: SHA256SUMS lists every other file of
    the set with its hash, so an edit after the fact (tuning on it) fails here."""
    sums = blind / "SHA256SUMS"
    assert sums.is_file(), f"{blind.name}: no SHA256SUMS"
    listed: dict[str, str] = {}
    for line in sums.read_text(encoding="utf-8").splitlines():
        digest, name = line.split(maxsplit=1)
        listed[name.lstrip("*")] = digest
    present = {str(p.relative_to(blind)) for p in blind.rglob("*") if p.is_file() and p != sums}
    assert set(listed) == present, "SHA256SUMS does not list exactly the set's files"
    for name, digest in listed.items():
        actual = hashlib.sha256((blind / name).read_bytes()).hexdigest()
        assert actual == digest, f"{blind.name}/{name} changed after the set was frozen"


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


# --- The dated series (tests/fixtures/series): dates, forecast horizons, trend shifts ---

SERIES_IDS = [p.stem for p in SERIES_FILES]
MONTHS = "January February March April May June July August September October November December"
DATELINE = re.compile(
    rf"^[A-Z][A-Z -]+, (\d{{1,2}}) ({'|'.join(MONTHS.split())}) (\d{{4}}) —", re.M
)


def as_date(value: str) -> datetime.date:
    """The calendar day an ISO date or date-time string starts with."""
    return datetime.date.fromisoformat(value[:10])


def page_dates(path: Path) -> dict[str, list[datetime.date]]:
    """Every publication date the article's page carries, by the kind of place it is in."""
    raw = path.read_text(encoding="utf-8")
    found: dict[str, list[datetime.date]] = {}
    sidecar = path.with_suffix(".meta.yaml")
    if sidecar.is_file():
        meta = yaml.safe_load(sidecar.read_text(encoding="utf-8"))
        if meta.get("date") is not None:
            found["sidecar"] = [meta["date"]]
    if path.suffix == ".md" and raw.startswith("---\n"):
        front = yaml.safe_load(raw[4 : raw.index("\n---\n", 4)])
        if front.get("date") is not None:
            found["front-matter"] = [front["date"]]
    if path.suffix == ".html":
        soup = BeautifulSoup(raw, "lxml")
        html: list[datetime.date] = []
        for meta_tag in soup.find_all("meta", attrs={"property": "article:published_time"}):
            html.append(as_date(str(meta_tag["content"])))
        for time_tag in soup.find_all("time", attrs={"datetime": True}):
            html.append(as_date(str(time_tag["datetime"])))
        for script in soup.find_all("script", attrs={"type": "application/ld+json"}):
            data = yaml.safe_load(script.string or "{}")
            if "datePublished" in data:
                html.append(as_date(str(data["datePublished"])))
        if html:
            found["html-meta"] = html
    for m in DATELINE.finditer(article_text(path)):
        month = MONTHS.split().index(m.group(2)) + 1
        found.setdefault("dateline", []).append(
            datetime.date(int(m.group(3)), month, int(m.group(1)))
        )
    return found


def answer_spans(text: str, answers: list[dict[str, Any]]) -> list[tuple[int, int]]:
    """(start, end) of each answer in reading order: to the next answer's first words."""
    starts: list[int] = []
    cursor = 0
    for answer in answers:
        at = text.find(answer["starts_with"], cursor)
        assert at >= 0, f"{answer['expert']}: starts_with not found"
        starts.append(at)
        cursor = at + 1
    return list(zip(starts, [*starts[1:], len(text)], strict=True))


def test_series_covers_every_date_source() -> None:
    golds = [load(p) for p in SERIES_FILES]
    assert len(golds) >= 5
    assert {g["date_source"] for g in golds} >= DATE_SOURCES
    undated = [g for g in golds if g["date"] is None]
    assert len(undated) == 1 and undated[0]["date_source"] == "none"
    appearances: dict[str, int] = {}
    for gold in golds:
        for expert in gold["experts"]:
            appearances[expert["name"]] = appearances.get(expert["name"], 0) + 1
        assert any("CSTO" in a["organizations"] or "CSTO" in a["question"] for a in gold["answers"])
    assert sum(1 for n in appearances.values() if n >= 3) >= 4
    horizons = [p["horizon"] for g in golds for a in g["answers"] for p in a[PREDICTION_KEY]]
    assert sum(1 for h in horizons if h is not None) >= 25
    assert sum(1 for h in horizons if h is None) >= 10


@pytest.mark.parametrize("gold_path", SERIES_FILES, ids=SERIES_IDS)
def test_series_date(gold_path: Path) -> None:
    gold = load(gold_path)
    assert set(gold) == TOP_KEYS | DATE_KEYS
    assert gold["article"] == f"series/{article_path(gold['article']).name}"
    found = page_dates(article_path(gold["article"]))
    if gold["date"] is None:
        assert gold["date_source"] == "none"
        assert found == {}, f"the page carries a date: {found}"
    else:
        assert isinstance(gold["date"], datetime.date)
        assert list(found) == [gold["date_source"]], f"dates found: {found}"
        assert set(found[gold["date_source"]]) == {gold["date"]}


@pytest.mark.parametrize("gold_path", SERIES_FILES, ids=SERIES_IDS)
def test_series_predictions(gold_path: Path) -> None:
    gold = load(gold_path)
    text = article_text(article_path(gold["article"]))
    for answer, (begin, end) in zip(
        gold["answers"], answer_spans(text, gold["answers"]), strict=True
    ):
        where = f"{answer['expert']} / {answer['question']}"
        predictions = answer[PREDICTION_KEY]
        assert isinstance(predictions, list)
        cursor = begin
        for prediction in predictions:
            assert set(prediction) == {"text", "horizon"}, f"{where}: keys"
            sentence = prediction["text"]
            at = text.find(sentence, cursor, end)
            assert at >= 0, f"{where}: {sentence!r} not in the answer after the previous one"
            assert sentence[0].isupper() and sentence[-1] in ".!?", f"{where}: not a sentence"
            cursor = at + len(sentence)
            horizon = prediction["horizon"]
            if horizon is None:
                continue
            assert set(horizon) == {"start", "end", "words"}, f"{where}: horizon keys"
            assert isinstance(horizon["start"], datetime.date)
            assert isinstance(horizon["end"], datetime.date)
            assert horizon["start"] <= horizon["end"], f"{where}: empty interval"
            assert horizon["words"] in sentence, f"{where}: words not in the sentence"
            if gold["date"] is None:
                assert re.search(r"\b\d{4}\b", horizon["words"]), f"{where}: needs the date"
            else:
                assert horizon["end"] >= gold["date"], f"{where}: horizon before the article"


def answer_subject(question: str) -> str | None:
    """The subject a series question asks about: a state pair, an organization, or a state."""
    pair = re.search(r"between (\w+) and (\w+)", question)
    if pair:
        return f"{pair.group(1)}–{pair.group(2)}"
    named = {"Organization of Turkic States": "OTS", "Eurasian Economic Union": "EAEU"}
    for name, acronym in {**named, **{o: o for o in ORGANIZATIONS}}.items():
        if re.search(rf"\b{re.escape(name)}\b", question):
            return acronym
    state = re.search(r"(\w+)'s position", question)
    return state.group(1) if state else None


def test_series_shifts_are_every_change() -> None:
    """shifts.yaml lists exactly the consecutive changes of trend the dated gold files show."""
    timeline: dict[tuple[str, str], list[tuple[datetime.date, str, str]]] = {}
    for gold in map(load, SERIES_FILES):
        if gold["date"] is None:
            continue
        for answer in gold["answers"]:
            subject = answer_subject(answer["question"])
            assert subject is not None, answer["question"]
            key = (answer["expert"], subject)
            timeline.setdefault(key, []).append((gold["date"], gold["article"], answer["trend"]))
    expected = set()
    for (expert, subject), rows in timeline.items():
        rows.sort()
        for (_, a, ta), (_, b, tb) in itertools.pairwise(rows):
            if ta != tb:
                expected.add((expert, subject, a, ta, b, tb))
    listed = yaml.safe_load(SHIFTS.read_text(encoding="utf-8"))
    got = set()
    for shift in listed:
        assert set(shift) == {"expert", "subject", "from", "to"}
        got.add(
            (shift["expert"], shift["subject"], shift["from"]["article"], shift["from"]["trend"],
             shift["to"]["article"], shift["to"]["trend"])
        )  # fmt: skip
    assert len(got) == len(listed), "duplicate shift"
    assert got == expected


def test_layout_families_present() -> None:
    """Every layout family of the layout fixtures has at least one gold file."""
    families = {load(p)["layout"] for p in LAYOUT_FILES}
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
