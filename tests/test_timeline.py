"""`cakg view --kind timeline`: the page and its figures, and the errors it can give."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from cakg.cli import cli


def test_timeline_writes_page_and_figures(built: Path, tmp_path: Path) -> None:
    out = tmp_path / "csto.html"
    args = ["view", "--kind", "timeline", "--focus", "CSTO", "-o", str(out)]
    result = CliRunner().invoke(cli, [*args, "--data", str(built / "kg.trig")])
    assert result.exit_code == 0, result.stderr
    page = out.read_text(encoding="utf-8")
    assert "Content-Security-Policy" in page and "<script src" not in page
    assert "Claims about CSTO over time" in page
    assert (tmp_path / "csto.png").stat().st_size > 5_000
    assert (tmp_path / "csto.svg").read_text(encoding="utf-8").startswith("<?xml")


def test_timeline_of_an_unknown_subject_exits_2(built: Path, tmp_path: Path) -> None:
    args = ["view", "--kind", "timeline", "--focus", "Atlantis", "-o", str(tmp_path)]
    result = CliRunner().invoke(cli, [*args, "--data", str(built / "kg.trig")])
    assert result.exit_code == 2
    assert "Atlantis" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert not list(tmp_path.iterdir())


def test_timeline_without_dated_claims_exits_2(tmp_path: Path) -> None:
    article = tmp_path / "undated.txt"
    article.write_text(
        "Will ties hold?\n\nAida Karimova, analyst (Kyrgyzstan):\n\n"
        "Will relations between Kyrgyzstan and Kazakhstan change?\n\nThey will improve.\n",
        encoding="utf-8",
    )
    runner = CliRunner()
    assert runner.invoke(cli, ["build", str(article), "-o", str(tmp_path / "b")]).exit_code == 0
    args = ["view", "--kind", "timeline", "-o", str(tmp_path / "v")]
    result = runner.invoke(cli, [*args, "--data", str(tmp_path / "b" / "kg.trig")])
    assert result.exit_code == 2 and "no dated claim" in result.stderr
    assert not (tmp_path / "v").exists()
