"""The claim splitter and classifier: sentence and clause spans, labels with their cues,
and the answer-level trend.

Most classification expectations live in tests/fixtures/claims/cases.yaml (one case per
sentence); this module runs them and adds the structural checks that are easier to
write in Python: exact offsets, invariants of every cue, and answer_trend's rules.
"""

from __future__ import annotations

import dataclasses
import itertools
from pathlib import Path
from typing import Any

import pytest
import yaml

from cakg.errors import InputError
from cakg.graph.claims import (
    CERTAINTIES,
    CLAIM_TYPES,
    TOPICS,
    TRENDS,
    Classification,
    Cue,
    answer_trend,
    classify,
    read_topics,
    split_claims,
)
from cakg.graph.claims.answer import rule_trend

FIXTURES = Path(__file__).parent / "fixtures"
CASES: list[dict[str, Any]] = yaml.safe_load(
    (FIXTURES / "claims" / "cases.yaml").read_text(encoding="utf-8")
)
BUNDLED = (
    Path(__file__).parent.parent
    / "graph"
    / "data"
    / "articles"
    / "cabar-2022-01-crisis-in-kazakhstan-regional-cooperation.txt"
)


def claims_of(text: str, start: int = 0, end: int | None = None) -> list[str]:
    """The claim texts split_claims finds, checking on the way that offsets are exact."""
    out = []
    for s, e in split_claims(text, start, end):
        claim = text[s:e]
        assert claim == claim.strip() and claim, (s, e, claim)
        out.append(claim)
    return out


# --------------------------------------------------------------------------- cases file


def test_cases_file_is_well_formed() -> None:
    assert len(CASES) >= 80
    ids = [c["id"] for c in CASES]
    assert len(ids) == len(set(ids)), "case ids must be unique"
    for c in CASES:
        assert c["type"] in CLAIM_TYPES, c["id"]
        assert c["trend"] in TRENDS, c["id"]
        assert c["certainty"] in CERTAINTIES, c["id"]
        assert set(c.get("topics", [])) <= set(TOPICS), c["id"]
        assert set(c.get("no_topics", [])) <= set(TOPICS), c["id"]


def _folded(text: str) -> str:
    return " ".join(text.replace("’", "'").split()).lower()


@pytest.mark.parametrize("case", [c for c in CASES if "source" in c], ids=lambda c: c["id"])
def test_a_case_from_an_article_is_in_that_article(case: dict[str, Any]) -> None:
    """A case marked with its source quotes it (at least its first six words in a row)."""
    path = BUNDLED if case["source"] == "bundled" else FIXTURES / case["source"]
    article = _folded(path.read_text(encoding="utf-8"))
    words = _folded(case["text"]).split()
    assert any(" ".join(words[i : i + 6]) in article for i in range(max(1, len(words) - 5))), case[
        "source"
    ]


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_classify_case(case: dict[str, Any]) -> None:
    got = classify(case["text"])
    explain = f"{got.claim_type} {got.trend} {got.certainty}"
    assert got.claim_type.label == case["type"], explain
    assert got.trend.label == case["trend"], explain
    assert got.certainty.label == case["certainty"], explain
    topics = {t.label for t in got.topics}
    assert set(case.get("topics", [])) <= topics, got.topics
    assert not set(case.get("no_topics", [])) & topics, got.topics
    if "rule" in case:
        assert case["rule"] in got.trend.rule, got.trend


# --------------------------------------------------------------------------- classify


def check_invariants(sentence: str, c: Classification) -> None:
    assert c.claim_type.label in CLAIM_TYPES
    assert c.trend.label in TRENDS
    assert c.certainty.label in CERTAINTIES
    assert all(t.label in TOPICS for t in c.topics)
    assert len({t.label for t in c.topics}) == len(c.topics), "one cue per topic"
    for cue in (c.claim_type, c.trend, c.certainty, *c.topics):
        assert isinstance(cue, Cue)
        assert cue.rule, cue
        assert cue.text in sentence, cue  # the cue quotes the sentence's own words
    assert c.trend_is_default == (c.trend.rule == "default")
    if c.trend_is_default:
        assert c.trend == Cue("uncertain", "", "default")


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_cue_invariants_on_cases(case: dict[str, Any]) -> None:
    check_invariants(case["text"], classify(case["text"]))


def test_cue_invariants_on_every_claim_of_the_bundled_article() -> None:
    text = BUNDLED.read_text(encoding="utf-8")
    for s, e in split_claims(text):
        check_invariants(text[s:e], classify(text[s:e]))


def test_classification_is_frozen() -> None:
    c = classify("Relations will improve.")
    for obj, name in ((c, "trend"), (c.trend, "label")):
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(obj, name, "weakening")


def test_cue_text_keeps_original_case_and_apostrophes() -> None:
    c = classify("Relations WON’T deteriorate.")
    assert c.trend.label == "no change"
    assert c.trend.text == "WON’T deteriorate"


def test_negated_belief_scope_ends_at_although() -> None:
    """The belief negation covers its own clause, not the concession after it."""
    c = classify(
        "I do not think that the events will have a negative impact on relations, "
        "although priorities may shift towards expanding cooperation in the economy."
    )
    assert c.trend.label == "no change"
    assert c.trend.text.startswith("I do not think")
    assert c.certainty.label == "low"  # "may" in the concession: the weakest hedge wins


def test_empty_and_punctuation_only() -> None:
    for text in ("", "   ", "—", "?"):
        c = classify(text)
        assert c.trend_is_default
        assert c.claim_type.label == "assessment"
        assert c.topics == ()


def test_weak_topic_list_names_a_topic() -> None:
    """A weak list keyed by a word that is no topic is a one-line file:line error."""
    shipped = (Path(__file__).parent.parent / "graph/data/lexicons/topic.yaml").read_text()
    broken = shipped.replace("\nweak:\n  security:", "\nweak:\n  war:")
    line = broken[: broken.index("\n  war:") + 1].count("\n") + 1
    with pytest.raises(InputError, match=rf"topic.yaml:{line}: 'war' is not a topic"):
        read_topics(broken)


# --------------------------------------------------------------------------- split_claims


def test_split_offsets_index_the_full_text() -> None:
    text = "Header line\n\nFirst claim here. Second claim here.\n\nAnother paragraph."
    start = text.index("First")
    end = text.index("\n\nAnother")
    spans = split_claims(text, start, end)
    assert [text[s:e] for s, e in spans] == ["First claim here.", "Second claim here."]
    assert spans[0][0] == start
    assert all(start <= s < e <= end for s, e in spans)


def test_split_trims_whitespace() -> None:
    text = "   Trade grew.    Imports fell.   \n"
    assert claims_of(text) == ["Trade grew.", "Imports fell."]


@pytest.mark.parametrize(
    "text",
    [
        "President G. Berdimuhamedov met A. Lukashenko in Minsk.",
        "Exports (grain, flour, etc.) grew by 3.5 percent this year.",
        "Many states, e.g. Kazakhstan, joined the initiative.",
        "The U.S. State Department welcomed the agreement.",
        "Resolution No. 5 was adopted unanimously.",
        "Dr. Smith and Prof. Jones disagreed with St. Petersburg.",
        "He said: “We will never give up. We will win.”",
        "The leader called it «a new era. A real turn» at the summit.",
        "A line that is hard-wrapped in the\nmiddle of a sentence continues here.",
    ],
)
def test_split_keeps_one_sentence_whole(text: str) -> None:
    assert claims_of(text) == [text]


def test_split_sentences() -> None:
    text = (
        "President G. Berdimuhamedov met A. Lukashenko. They signed a treaty. "
        "Resolution No. 5 was adopted. No. That is wrong! Is it? Yes… Then etc. The end."
    )
    assert claims_of(text) == [
        "President G. Berdimuhamedov met A. Lukashenko.",
        "They signed a treaty.",
        "Resolution No. 5 was adopted.",
        "No.",
        "That is wrong!",
        "Is it?",
        "Yes…",
        "Then etc.",
        "The end.",
    ]


def test_split_after_closing_quote() -> None:
    text = "He said: “We will win.” Then he left. «Enough.» The talks ended."
    assert claims_of(text) == [
        "He said: “We will win.”",
        "Then he left.",
        "«Enough.»",
        "The talks ended.",
    ]


def test_split_initialism_before_sentence_opener() -> None:
    assert claims_of("Talks were held in the U.S. The results were modest.") == [
        "Talks were held in the U.S.",
        "The results were modest.",
    ]


def test_split_numbered_list_items() -> None:
    text = (
        "The following can be assumed:\n\n"
        "  1. The positions were different. They will converge.\n"
        "  2. Trade will grow.\n"
        "3) Security cooperation will improve.\n"
        "- A bullet item.\n"
        "4. Inline items follow. 5. This is the fifth."
    )
    assert claims_of(text) == [
        "The following can be assumed:",
        "The positions were different.",
        "They will converge.",
        "Trade will grow.",
        "Security cooperation will improve.",
        "A bullet item.",
        "Inline items follow.",
        "This is the fifth.",
    ]


def test_split_paragraph_break_always_ends_a_claim() -> None:
    text = "A paragraph without a final stop\n\nanother one, lower-case\nNew line, new claim"
    assert claims_of(text) == [
        "A paragraph without a final stop",
        "another one, lower-case",
        "New line, new claim",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Trade will grow fast in the coming years; the border will stay closed for months.",
            ["Trade will grow fast in the coming years", "the border will stay closed for months."],
        ),
        (
            "Relations between the two states will improve, but the border issue will remain "
            "unresolved for years.",
            [
                "Relations between the two states will improve",
                "but the border issue will remain unresolved for years.",
            ],
        ),
        (
            "I do not think that the events will harm relations between the states, although "
            "priorities may shift towards security.",
            [
                "I do not think that the events will harm relations between the states",
                "although priorities may shift towards security.",
            ],
        ),
        (
            "Some members of the organization took part in the operation, while others stayed "
            "away from it.",
            [
                "Some members of the organization took part in the operation",
                "while others stayed away from it.",
            ],
        ),
        (
            "Regional cooperation will not collapse, yet it will most likely slow down this year.",
            [
                "Regional cooperation will not collapse",
                "yet it will most likely slow down this year.",
            ],
        ),
        (
            "The summit produced a joint statement, however, the key water issues were left out.",
            [
                "The summit produced a joint statement",
                "however, the key water issues were left out.",
            ],
        ),
    ],
)
def test_split_clauses(text: str, expected: list[str]) -> None:
    assert claims_of(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        # one side too short to stand alone
        "Cooperation is weak; it is nominal.",
        "The format will survive, but barely.",
        # "not only ..., but also ..." is one claim
        "Cooperation grew not only in the economy, but also in the security sphere of both states.",
        # no verb on the right
        "The region needs more trade between its states, but also better roads and railways.",
    ],
)
def test_split_clauses_conservatively(text: str) -> None:
    assert claims_of(text) == [text]


def test_split_bundled_article_spans_are_ordered_and_clean() -> None:
    text = BUNDLED.read_text(encoding="utf-8")
    spans = split_claims(text)
    assert len(spans) > 100
    for (_, e1), (s2, _) in itertools.pairwise(spans):
        assert e1 <= s2
    for s, e in spans:
        claim = text[s:e]
        assert claim == claim.strip()
        assert "\n\n" not in claim
        assert not claim[0].isdigit() or not claim[1:3].startswith(". ")  # no list marker
    claims = {text[s:e] for s, e in spans}
    # initials stay inside their sentence
    assert any("A. Lukashenko warned" in c for c in claims)
    assert not any(c.endswith(" A.") or c.endswith(" G.") for c in claims)
    # the numbered list item starts at its first word
    assert any(c.startswith("Tajikistan and Kazakhstan will strengthen") for c in claims)


def test_split_end_beyond_text_and_empty() -> None:
    assert split_claims("Short.", 0, 100) == [(0, 6)]
    assert split_claims("") == []
    assert split_claims("  \n\n  ") == []


# --------------------------------------------------------------------------- answer_trend


def classify_all(*sentences: str) -> list[Classification]:
    return [classify(s) for s in sentences]


CHANGE_Q = "Will bilateral relations between Kazakhstan and Uzbekistan change?"


def test_answer_trend_denial_reply_to_change_question() -> None:
    claims = classify_all(
        "I do not think so.",
        "I admit that relations should be strengthened even more.",
        "Any isolation would drive a wedge of mutual alienation between them.",
    )
    cue = answer_trend(claims, CHANGE_Q)
    assert cue.label == "no change"
    assert cue.rule == "reply-denial→no change"
    assert cue.text == "I do not think so"


def test_answer_trend_denial_reply_to_direction_question() -> None:
    claims = classify_all("Hardly.", "The members have other priorities at the moment.")
    q = "Will the customs union become a real common market?"
    assert answer_trend(claims, q).label == "no change"


def test_answer_trend_denial_then_the_opposite_direction() -> None:
    """One opposite cue after a denial decides it: no threshold fitted to one remark."""
    claims = classify_all("Not now.", "A formal body could even weaken the format.")
    q = "Should the meeting become a formal regional organization?"
    assert answer_trend(claims, q).label == "weakening"


def test_answer_trend_affirmation_takes_the_question_direction() -> None:
    claims = classify_all("Yes, I think so.", "However, much will depend on the canal.")
    cue = answer_trend(claims, "Will cooperation between the two states deepen after the summit?")
    rendered = (cue.label, cue.text, cue.rule)
    assert rendered == ("strengthening", "Yes, I think so", "reply-affirmation→strengthening")


def test_answer_trend_affirmation_to_change_question_reads_the_rest() -> None:
    claims = classify_all("Of course, yes.", "Relations will worsen.", "Trade may suffer too.")
    cue = answer_trend(claims, CHANGE_Q)
    assert cue.label == "weakening"
    assert cue.rule == "reply-change→weakening"
    assert answer_trend(classify_all("Of course, yes."), CHANGE_Q).label == "uncertain"


def test_answer_trend_denial_to_an_ability_question_is_not_a_trend() -> None:
    """'Can X play a role?' – 'No': the rest of the answer decides."""
    claims = classify_all(
        "I do not think so.",
        "The organization will keep its structures, but its authority will continue to decline.",
    )
    # the rule itself: the shipped model may read this two-sentence answer otherwise
    cue = rule_trend(claims, "Can the CSTO play a role in settling the conflict?")
    assert cue.label == "weakening"


@pytest.mark.parametrize(
    ("second", "label"),
    [
        ("On the contrary, it will grow stronger.", "strengthening"),
        ("Although its cohesion may improve a little, nothing else will happen.", "no change"),
    ],
)
def test_answer_trend_denial_then_its_direction(second: str, label: str) -> None:
    """'I do not think it will weaken. On the contrary, it will grow.' keeps the direction;
    a concession after the denial does not (sentences written for this test)."""
    claims = classify_all("I do not think the alliance will weaken.", second)
    assert rule_trend(claims, "How will the alliance develop?").label == label


def test_answer_trend_without_question_reads_replies_as_change_questions() -> None:
    assert answer_trend(classify_all("No.", "Trade may grow.")).label == "no change"


def test_answer_trend_explicit_no_change_outweighs_hedged_cues() -> None:
    claims = classify_all(
        "The situation in the region is difficult.",
        "I do not see any grounds for changes in bilateral relations.",
        "Perhaps trade may decline a little.",
        "Some tension could appear at the border.",
        "Maybe investment could grow.",
    )
    cue = answer_trend(claims, CHANGE_Q)
    assert cue.label == "no change"
    assert cue.rule == "weighted-majority"


def test_answer_trend_clear_majority() -> None:
    claims = classify_all(
        "The two states will strengthen cooperation against terrorism.",
        "Military-technical cooperation will be intensified.",
        "There may be some tension over water.",
        "Economic ties will deepen.",
    )
    assert answer_trend(claims).label == "strengthening"


def test_answer_trend_mixed_strong_signals_are_uncertain() -> None:
    claims = classify_all(
        "Trade between the two states will grow.",
        "Border tensions will worsen.",
    )
    cue = answer_trend(claims)
    assert cue.label == "uncertain"
    assert cue.rule == "mixed"


def test_answer_trend_stated_uncertainty() -> None:
    claims = classify_all(
        "Here, of course, it is still difficult to say.",
        "The format will most likely survive.",
    )
    assert answer_trend(claims).label == "uncertain"


def test_answer_trend_default() -> None:
    cue = answer_trend(classify_all("The summit took place in Dushanbe.", "It lasted two days."))
    assert cue == Cue("uncertain", "", "default")
    assert answer_trend([]) == Cue("uncertain", "", "default")


def test_answer_trend_conclusion_outweighs_background() -> None:
    claims = classify_all(
        "Similar incidents have occurred in the region before.",
        "But they did not affect regional cooperation.",
        "Therefore, I believe the events have become an argument for further consolidation.",
    )
    assert answer_trend(claims).label == "strengthening"


def test_answer_trend_names_the_deciding_words() -> None:
    claims = classify_all(
        "The events exacerbate relations with the neighbours.",
        "This causes misunderstandings in society.",
    )
    cue = answer_trend(claims)
    assert cue.label == "weakening"
    assert cue.text in {c.trend.text for c in claims}


ANSWERS: list[dict[str, Any]] = yaml.safe_load(
    (FIXTURES / "claims" / "answers.yaml").read_text(encoding="utf-8")
)


@pytest.mark.parametrize(
    "case", ANSWERS, ids=[f"{i:02d}-{a['trend']}" for i, a in enumerate(ANSWERS, 1)]
)
def test_answer_trend_case(case: dict[str, Any]) -> None:
    text = case["answer"]
    claims = [classify(text[s:e]) for s, e in split_claims(text)]
    cue = answer_trend(claims, case["question"])
    assert cue.label == case["trend"], (cue, [c.trend for c in claims])
    assert cue.label in TRENDS
    assert cue.text in text or cue.text == ""


# ------------------------------------------------- answer shapes (sentences written for these)


@pytest.mark.parametrize(
    ("sentences", "label", "rule"),
    [
        pytest.param(
            ["On the one hand, trade is growing.",
             "On the other hand, tensions at the border have worsened.",
             "All things considered, I expect relations to improve."],
            "strengthening", "concluding-judgement", id="balanced-with-a-judgement",
        ),
        pytest.param(
            ["On the one hand, investment is increasing.",
             "On the other hand, the disputes over water are worsening."],
            "uncertain", "balanced", id="balanced-without-a-judgement",
        ),
        pytest.param(
            ["I honestly do not know.",
             "Trade grew by ten percent last year.",
             "In 2023 the two sides signed a deal to expand cooperation."],
            "uncertain", "not-knowing", id="not-knowing-beside-facts",
        ),
    ],
)  # fmt: skip
def test_answer_trend_shape(sentences: list[str], label: str, rule: str) -> None:
    """A balanced answer follows its concluding judgement; not knowing is not outvoted by facts."""
    cue = answer_trend(classify_all(*sentences), "What is the future of the partnership?")
    assert (cue.label, cue.rule) == (label, rule)


def test_answer_trend_not_knowing_yields_to_a_forecast() -> None:
    claims = classify_all(
        "It is hard to say.",
        "Still, I expect that cooperation will deepen and trade will grow.",
    )
    assert answer_trend(claims, "What is the future of the partnership?").label == "strengthening"


@pytest.mark.parametrize(
    ("reply", "question", "label"),
    [
        ("I believe it will, sooner or later.", "Will the union grow stronger?", "strengthening"),
        ("I think they will, but slowly.", "Will the two states grow closer?", "strengthening"),
        ("Yes, slowly.", "Is Moscow losing ground in the region?", "weakening"),
        ("I do not think it will happen soon.", "Will the alliance weaken?", "no change"),
        ("Unlikely, given the mood in both capitals.", "Will relations improve?", "no change"),
    ],
)
def test_answer_trend_reply_takes_up_the_question(reply: str, question: str, label: str) -> None:
    """A reply that takes up the question's own words ("I believe it will") answers it."""
    assert answer_trend(classify_all(reply), question).label == label


# ------------------------------------------- evidence offsets, read again from the raw files

_SPANS = """
PREFIX oa: <http://www.w3.org/ns/oa#>
SELECT ?start ?end ?exact WHERE {
  ?ev oa:hasSelector ?pos, ?quote .
  ?pos oa:start ?start ; oa:end ?end .
  ?quote oa:exact ?exact .
}
"""


def _raw_text(path: Path) -> str:
    """The file as the offsets count it, read without the package's reader: UTF-8, no BOM,
    line ends made \\n (the offset rule of docs/standard-view.md)."""
    text = path.read_bytes().decode("utf-8").removeprefix("\ufeff")
    return text.replace("\r\n", "\n").replace("\r", "\n")


@pytest.mark.parametrize(
    "path",
    [BUNDLED, *sorted((FIXTURES / "articles").glob("*.txt"))],
    ids=lambda p: p.stem,
)
def test_evidence_quotes_are_the_raw_text_at_their_offsets(path: Path) -> None:
    """Every oa:exact in the built graph is the raw file's text between its oa:start and
    oa:end, and every answer's first claim opens with the gold's words for that answer."""
    from cakg.graph.build import build_knowledge_graph
    from cakg.graph.text.reader import read_article

    _, (extraction,), _ = build_knowledge_graph([read_article(path)])
    raw = _raw_text(path)
    rows = list(extraction.graph.query(_SPANS))
    assert len(rows) > 20
    for start, end, exact in rows:
        assert raw[int(start) : int(end)] == str(exact), (int(start), str(exact)[:60])
    gold_name = "bundled.yaml" if path == BUNDLED else f"{path.stem}.yaml"
    gold = yaml.safe_load((FIXTURES / "gold" / gold_name).read_text(encoding="utf-8"))
    starts = {int(s) for s, _, _ in rows}
    for answer in gold["answers"]:
        words = answer["starts_with"]
        at = [i for i in starts if raw.startswith(words, i)]
        assert at, f"no quote starts at the gold's {words!r}"


# ------------------------------------------------------------- the answer-level trend model


def test_shipped_trend_model_is_readable_and_covers_the_trends() -> None:
    from cakg.graph.claims.model import trend_model

    model = trend_model()
    assert model is not None
    assert set(model.labels) == set(TRENDS)
    assert any(name.startswith("rule=") for name in model.weights)
    assert "leave-one-set-out" in model.meta


@pytest.mark.parametrize(
    "text",
    ["not json", '{"labels": ["a"]}', '{"labels": ["a", "b"], "intercepts": [0], '
     '"weights": {}, "use": true}'],
)  # fmt: skip
def test_a_malformed_trend_model_is_an_input_error(text: str) -> None:
    from cakg.errors import InputError
    from cakg.graph.claims.model import read_model

    with pytest.raises(InputError, match=r"trend\.json"):
        read_model(text)


def test_a_model_decision_names_words_of_the_answer(monkeypatch: pytest.MonkeyPatch) -> None:
    """Where the model overrules the rules, the rule is trend-model and its cue quotes the
    answer's words that pushed it; where it agrees, the rules' cue stands."""
    import cakg.graph.claims.answer as answer_module
    from cakg.graph.claims.model import TrendModel

    labels = ("strengthening", "weakening", "no change", "uncertain")
    toy = TrendModel(labels, (0.0, 0.0, 0.0, 0.5), {"w=villages": (0.0, 2.0, 0.0, 0.0)}, True, {})
    monkeypatch.setattr(answer_module, "trend_model", lambda: toy)
    question = "How will relations between the two countries develop?"
    villages = classify_all("Life in the border villages goes on.")
    assert rule_trend(villages, question).label == "uncertain"
    cue = answer_trend(villages, question)
    assert (cue.label, cue.rule, cue.text) == ("weakening", "trend-model", "villages")
    calm = classify_all("The two sides will keep talking.")
    assert answer_trend(calm, question) == rule_trend(calm, question)


# --------------------------------------------------------------------------- the evaluation


def test_the_evaluation_counts_claim_type_confusions() -> None:
    import importlib.util

    script = Path(__file__).resolve().parents[1] / "benchmarks" / "claims_eval.py"
    spec = importlib.util.spec_from_file_location("claims_eval", script)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    rows = [
        {"type": (gold, got), "certainty": (None, "high"), "topics": ([], [])}
        for gold, got in [
            ("observation", "assessment"),
            ("observation", "assessment"),
            ("prediction", "prediction"),
            (None, "assessment"),  # a claim without a gold type is not counted
        ]
    ]
    f = module.claim_figures(rows)
    assert f["type_confusion"] == {"observation -> assessment": 2, "prediction -> prediction": 1}
    columns = [("this design", {"trend": module.trend_figures([]), "claims": f, "missing": []})]
    assert "  observation -> assessment: 2" in module.report(columns).splitlines()
