"""Roundup layouts: header forms, regional name forms, interview markers, near misses, refusals.

The sentences are written here for the rules; the blind layout fixtures are measured by
`cakg evaluate` (tests/test_gold_fixtures.py).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from cakg.cli import cli
from cakg.graph.text.headers import near_miss, parse_header
from cakg.graph.text.structure import ArticleStructure, parse_structure

STATES = {"Kazakhstan", "Uzbekistan", "Kyrgyzstan", "Tajikistan", "Turkmenistan", "China", "Turkey"}
known = STATES.__contains__


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            "Jane Doe, senior fellow, Caspian Policy Institute (Kazakhstan):",
            ("Jane Doe", "senior fellow", "Caspian Policy Institute", "Kazakhstan"),
        ),
        (
            "Jane Doe, senior fellow, Caspian Policy Institute (Kazakhstan)",
            ("Jane Doe", "senior fellow", "Caspian Policy Institute", "Kazakhstan"),
        ),
        (
            "**Jane Doe**, senior fellow, Caspian Policy Institute (Kazakhstan)",
            ("Jane Doe", "senior fellow", "Caspian Policy Institute", "Kazakhstan"),
        ),
        (
            "**Jane Doe** (Kazakhstan), senior fellow at the Caspian Policy Institute",
            ("Jane Doe", "senior fellow", "Caspian Policy Institute", "Kazakhstan"),
        ),
        (
            "Jane Doe – senior fellow, Centre for China Studies, Kazakhstan",
            ("Jane Doe", "senior fellow", "Centre for China Studies", "Kazakhstan"),
        ),
        ("John Roe, Uzbekistan, economist", ("John Roe", "economist", None, "Uzbekistan")),
        # A dash after the name, the country in parentheses at the end.
        (
            "Marta Kowalska — senior analyst, Caspian Policy Institute (Kazakhstan):",
            ("Marta Kowalska", "senior analyst", "Caspian Policy Institute", "Kazakhstan"),
        ),
        # The country between dashes, before the role.
        (
            "Bekzod Rakhimov — Uzbekistan — director, Silk Road Logistics Council",
            ("Bekzod Rakhimov", "director", "Silk Road Logistics Council", "Uzbekistan"),
        ),
        # Assimilated Arabic articles in South Asian names.
        (
            "**Fazal ur-Rehman, senior fellow, Institute of Regional Studies (China):**",
            ("Fazal ur-Rehman", "senior fellow", "Institute of Regional Studies", "China"),
        ),
        (
            "Zia ul-Hassan – lecturer, Turkey",
            ("Zia ul-Hassan", "lecturer", None, "Turkey"),
        ),
        (
            "Nurlan Bakyt uulu, analyst (Kyrgyzstan):",
            ("Nurlan Bakyt uulu", "analyst", None, "Kyrgyzstan"),
        ),
        (
            "O'tkir Sa’dullayev, economist (Uzbekistan):",
            ("O'tkir Sa’dullayev", "economist", None, "Uzbekistan"),
        ),
        (
            "Emre Şahin Öztürk, columnist (Turkey)",
            ("Emre Şahin Öztürk", "columnist", None, "Turkey"),
        ),
        (
            "Layla al-Hashimi, researcher (Tajikistan)",
            ("Layla al-Hashimi", "researcher", None, "Tajikistan"),
        ),
        (
            "A. B. Karimova, lecturer (Tajikistan):",
            ("A. B. Karimova", "lecturer", None, "Tajikistan"),
        ),
    ],
)
def test_header_forms(line: str, expected: tuple[str, str | None, str | None, str]) -> None:
    h = parse_header(line, known)
    assert h is not None
    assert (h.name, h.role, h.affiliation, h.country) == expected


@pytest.mark.parametrize(
    "line",
    [
        "Kazakhstan, Uzbekistan and Kyrgyzstan, however, disagree.",
        "Collective Security Treaty Organization (CSTO)",
        "The Centre for China Studies (Kazakhstan) published a report last year.",
        "Jane Doe, senior fellow (Kazakhstan), said in May that relations will improve.",
    ],
)
def test_prose_and_names_of_organizations_are_no_headers(line: str) -> None:
    assert parse_header(line, known) is None
    assert near_miss(line, known) is None


def _roundup(second_header: str, after: str = "I expect the water talks to resume.") -> str:
    return (
        "Water in the Fergana Valley\n\n"
        "Two experts answer.\n\n"
        "Jane Doe, senior fellow, Caspian Policy Institute (Kazakhstan):\n\n"
        "Will the water dispute ease?\n\n"
        "Relations will improve slowly.\n\n"
        f"{second_header}\n\n"
        f"{after}\n"
    )


def _parse(text: str) -> ArticleStructure:
    return parse_structure(text, known)


def _author_of(st: ArticleStructure, text: str, words: str) -> set[str]:
    return {a.expert for a in st.answers if words in text[a.start : a.end]}


@pytest.mark.parametrize(
    "header",
    [
        "John Roe, economist (Atlantis)",  # a country the reference data does not know
        "John Roe, economist, Tashkent",  # a city, no country
        "**John Roe**",  # a bare name
    ],
)
def test_a_near_miss_header_never_hands_its_answer_to_the_previous_expert(header: str) -> None:
    text = _roundup(header)
    st = _parse(text)
    assert "Jane Doe" not in _author_of(st, text, "water talks")
    assert _author_of(st, text, header.strip("*")) == set()
    assert st.ambiguous and st.ambiguous[0][0] == 11
    assert "line 11 looks like an expert header but" in st.ambiguous[0][1]


def test_a_near_miss_before_the_next_header_is_a_warning() -> None:
    text = _roundup(
        "John Roe, economist (Atlantis)", "Anna Li, analyst (Uzbekistan):\n\nOr?\n\nNo."
    )
    st = _parse(text)
    assert not st.ambiguous and [e.name for e in st.experts] == ["Jane Doe", "Anna Li"]
    assert any(w.startswith("line 11 looks like an expert header") for w in st.warnings)


def _build(tmp_path: Path, name: str, text: str) -> tuple[int, str]:
    article = tmp_path / name
    article.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(
        cli, ["build", str(article), "-o", str(tmp_path / "out"), "--no-validate"]
    )
    return result.exit_code, result.stderr


def test_an_ambiguous_attribution_stops_the_build(tmp_path: Path) -> None:
    code, err = _build(tmp_path, "a.txt", _roundup("John Roe, economist (Atlantis)"))
    assert code == 2
    assert err.startswith(f"cakg: error: {tmp_path / 'a.txt'}:11: line 11 looks like an expert")
    assert len(err.strip().splitlines()) == 1
    assert not (tmp_path / "out").exists()


def test_no_expert_names_the_closest_line_and_the_layouts(tmp_path: Path) -> None:
    text = "Water\n\nA lead.\n\nJane Doe, senior fellow (Atlantis):\n\nWill it end?\n\nNo.\n"
    code, err = _build(tmp_path, "b.txt", text)
    assert code == 2 and len(err.strip().splitlines()) == 1
    assert 'closest: line 5: "Jane Doe, senior fellow (Atlantis):" gives "Atlantis"' in err
    assert "What an article must look like" in err


@pytest.mark.parametrize(
    "layout",
    [
        # Markdown, the name as a heading and the role under it; questions as headings.
        "## {q}\n\n### Jane Doe\n\nSenior fellow, Caspian Policy Institute (Kazakhstan)\n\n{a}\n",
        # Bold name line, then the role line, then a block quote.
        "{q}\n\n**Jane Doe**\n\nSenior fellow, Caspian Policy Institute, Kazakhstan\n\n> {a}\n",
        # Interview markers.
        "Jane Doe, senior fellow, Caspian Policy Institute (Kazakhstan)\n\nQ: {q}\n\nA: {a}\n",
        "**Jane Doe** (Kazakhstan), senior fellow\n\n**Q:** {q}\n\n**A:** {a}\n",
        # A numbered question line.
        "Jane Doe, senior fellow (Kazakhstan)\n\n1. {q}\n\n{a}\n",
    ],
)
def test_each_layout_gives_the_answer_whole_and_without_markers(layout: str) -> None:
    q, a = "Will the water dispute ease?", "Relations will improve slowly. Talks resume in May."
    text = "Water in the Fergana Valley\n\nA lead paragraph.\n\n" + layout.format(q=q, a=a)
    st = _parse(text)
    assert [(e.name, e.country) for e in st.experts] == [("Jane Doe", "Kazakhstan")]
    assert [q.text for q in st.questions] == [q]
    assert [text[x.start : x.end] for x in st.answers] == [a]


LOCATE_STATES = {"Kazakhstan": "Kazakhstan", "Kazakh": "Kazakhstan", "Tashkent": "Uzbekistan"}


def _locate(paragraph: str) -> tuple[list[tuple[int, int, str]], list[str]]:
    found = []
    for surface in LOCATE_STATES:
        start = paragraph.find(surface)
        if start >= 0 and not paragraph[start + len(surface) : start + len(surface) + 1].isalpha():
            found.append((start, start + len(surface), surface))
    return sorted(found), []


INTERVIEW = (
    "Grain and Rails\n\nA lead about the harvest.\n\n"
    "This week we spoke to Marat Ospanov, a Kazakh agronomist at the Steppe Grain Institute.\n\n"
    "Q: Will grain exports grow?\n\nA: They will. Rail capacity is the limit.\n\n"
    "Rail is the real question.\n\n"
    "{second}\n\n"
    "Q: Will grain exports grow?\n\nA: Not this year.\n"
)


def test_an_interview_takes_its_experts_from_the_introductions() -> None:
    text = INTERVIEW.format(second="Lola Karimova (Uzbekistan) runs a logistics firm in Tashkent.")
    st = parse_structure(text, lambda c: c in LOCATE_STATES or c == "Uzbekistan", _locate)
    assert [(e.name, e.country, e.role, e.affiliation) for e in st.experts] == [
        ("Marat Ospanov", "Kazakh", "agronomist", "Steppe Grain Institute"),
        ("Lola Karimova", "Tashkent", None, None),
    ]
    assert [(a.expert, text[a.start : a.end]) for a in st.answers] == [
        ("Marat Ospanov", "They will. Rail capacity is the limit.\n\nRail is the real question."),
        ("Lola Karimova", "Not this year."),
    ]


def test_an_introduction_of_two_people_is_never_guessed() -> None:
    second = "Our guests, Lola Karimova and Aziz Nurov, from Tashkent, disagree."
    text = INTERVIEW.format(second=second)
    st = parse_structure(text, LOCATE_STATES.__contains__, _locate)
    assert "Not this year." not in {text[a.start : a.end] for a in st.answers}
    assert st.ambiguous and "names 2 people at once" in st.ambiguous[0][1]


def test_a_topic_heading_that_opens_with_an_article_is_no_name() -> None:
    """A topic heading joining states with dashes ("The Kazakhstan–China pipeline") opens
    the body of a topic-headings roundup; it used to read as a name ("The Kazakhstan") with
    a role, so its answers fell under no topic and were dropped."""
    text = (
        "Pipelines and Politics\n\n"
        "Taking part:\n"
        "Jane Doe, senior fellow (Kazakhstan)\n"
        "John Roe, economist (China)\n\n"
        "The Kazakhstan–China pipeline\n\n"
        "Jane Doe (Kazakhstan): Volumes will grow.\n\n"
        "John Roe (China): I expect no change.\n\n"
        "Water in the Fergana Valley\n\n"
        "Jane Doe (Kazakhstan): Talks will resume.\n"
    )
    st = _parse(text)
    assert [q.text for q in st.questions] == [
        "The Kazakhstan–China pipeline",
        "Water in the Fergana Valley",
    ]
    assert len(st.answers) == 3 and not st.ambiguous
