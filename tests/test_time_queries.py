"""The time queries on a small dated series of our own, with a curation overlay of outcomes."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from cakg import queries as cq
from cakg.cli import cli
from cakg.errors import InputError

ROUNDUP = """{title}

BISHKEK, {day} — Two experts answer.

Aigerim Sadykova, analyst, Steppe Institute (Kazakhstan):

What future does the CSTO have?

{first}

Timur Ergashev, researcher, Open Valley Centre (Uzbekistan):

What future does the CSTO have?

{second}
"""
SERIES = [
    (
        "Security after January",
        "12 January 2022",
        "The CSTO will grow stronger in 2022.",
        "The CSTO will probably weaken by 2024.",
    ),
    (
        "Security after the border clashes",
        "20 September 2022",
        "The CSTO will weaken within two years.",
        "The CSTO will probably weaken in 2023.",
    ),
    (
        "Security outlook",
        "10 March 2023",
        "The CSTO will continue to weaken.",
        "The CSTO may weaken further next year.",
    ),
]
ID = "https://cakg.example.org/id/article/"


@pytest.fixture(scope="module")
def series(tmp_path_factory: pytest.TempPathFactory) -> cq.KnowledgeGraphQueries:
    folder = tmp_path_factory.mktemp("series")
    paths = []
    for n, (title, day, first, second) in enumerate(SERIES):
        path = folder / f"roundup-{n}.txt"
        path.write_text(
            ROUNDUP.format(title=title, day=day, first=first, second=second), encoding="utf-8"
        )
        paths.append(str(path))
    overlay = folder / "outcomes.yaml"
    judged = [
        ("security-after-january/claim/1", "came true"),
        ("security-after-january/claim/2", "did not"),
        ("security-after-the-border-clashes/claim/2", "partly"),
    ]
    runner = CliRunner()
    for claim, outcome in judged:
        result = runner.invoke(
            cli,
            [
                "curate",
                "outcome",
                ID + claim,
                "--outcome",
                outcome,
                "--by",
                "Ann Lee",
                "--source",
                "https://example.org/review",
                "--on",
                "2024-06-01",
                "--overlay",
                str(overlay),
            ],
        )
        assert result.exit_code == 0, result.stderr
    out = folder / "out"
    result = runner.invoke(cli, ["build", *paths, "-o", str(out), "--curation", str(overlay)])
    assert result.exit_code == 0, result.stderr
    return cq.open_graph(out / "kg.trig")


def test_stance_timeline_is_in_date_order(series: cq.KnowledgeGraphQueries) -> None:
    rows = series.query("stance-timeline", subject="CSTO").rows
    dates = [str(r["date"]) for r in rows]
    assert dates == sorted(dates)
    assert sorted(set(dates)) == ["2022-01-12", "2022-09-20", "2023-03-10"]
    first = [(str(r["name"]), str(r["trend"])) for r in rows if str(r["date"]) == "2022-01-12"]
    assert ("Aigerim Sadykova", "strengthening") in first


def test_trend_shift_finds_the_change(series: cq.KnowledgeGraphQueries) -> None:
    rows = series.query("trend-shift", subject="CSTO").rows
    shifts = {
        (
            str(r["name"]),
            str(r["fromDate"]),
            str(r["fromTrend"]),
            str(r["toDate"]),
            str(r["toTrend"]),
        )
        for r in rows
    }
    assert ("Aigerim Sadykova", "2022-01-12", "strengthening", "2022-09-20", "weakening") in shifts
    assert all(r["fromTrend"] != r["toTrend"] for r in rows)
    assert not any(str(r["name"]) == "Timur Ergashev" for r in rows)
    assert all("CSTO" in str(r["fromQuote"]) and "CSTO" in str(r["toQuote"]) for r in rows)


def test_predictions_due_before_a_day_and_not_judged(series: cq.KnowledgeGraphQueries) -> None:
    due = series.query("predictions-due", before="2024-10-01").rows
    ends = {str(r["horizon"]): str(r["end"]) for r in due}
    # Judged predictions ("in 2022", "by 2024", "in 2023") are left out; "next year" (2024)
    # is not due yet.
    assert ends == {"within two years": "2024-09-20"}
    later = {str(r["horizon"]) for r in series.query("predictions-due", before="2025-01-01").rows}
    assert later == {"next year", "within two years"}
    assert all(str(r["end"]) < "2025-01-01" for r in series.query("predictions-due").rows)


def test_predictions_due_refuses_a_bad_day(series: cq.KnowledgeGraphQueries) -> None:
    with pytest.raises(InputError, match="takes a day"):
        series.query("predictions-due", before="next week")


def test_expert_track_record(series: cq.KnowledgeGraphQueries) -> None:
    rows = {str(r["name"]): r for r in series.query("expert-track-record").rows}
    a, t = rows["Aigerim Sadykova"], rows["Timur Ergashev"]
    assert (int(a["judged"]), int(a["cameTrue"]), int(a["didNot"])) == (1, 1, 0)
    assert (int(t["judged"]), int(t["didNot"]), int(t["partly"])) == (2, 1, 1)
    # high certainty 0.875 came true; medium 0.675 did not, and partly (0.5)
    assert float(a["brier"]) == pytest.approx((1 - 0.875) ** 2)
    assert float(t["brier"]) == pytest.approx((0.675**2 + (0.675 - 0.5) ** 2) / 2)
