"""`cakg build`: the bundled article builds; bad inputs exit 2 with one line and write nothing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from cakg.cli import cli

BAD = Path(__file__).parent / "fixtures" / "bad"


def _run(args: list[str]) -> tuple[int, str, str]:
    runner = CliRunner()
    result = runner.invoke(cli, args, catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_bundled_build_writes_graph(tmp_path: Path) -> None:
    code, out, err = _run(["build", "-o", str(tmp_path / "out")])
    assert code == 0, err
    assert (tmp_path / "out" / "kg.trig").stat().st_size > 10_000
    assert (tmp_path / "out" / "kg.ttl").exists()
    assert "kg.trig" in out


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("empty.txt", "empty"),
        ("binary.bin", "binary"),
        ("latin1.txt", "not UTF-8"),
        ("no-experts.txt", "no expert found"),
    ],
)
def test_bad_input_exits_2_and_writes_nothing(tmp_path: Path, name: str, message: str) -> None:
    out = tmp_path / "out"
    code, _, err = _run(["build", str(BAD / name), "-o", str(out)])
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert name in lines[0] and message in lines[0]
    assert "Traceback" not in err
    assert not out.exists() or not any(out.iterdir())


def test_latin1_error_names_the_line(tmp_path: Path) -> None:
    _, _, err = _run(["build", str(BAD / "latin1.txt"), "-o", str(tmp_path)])
    assert "latin1.txt:" in err and err.split("latin1.txt:")[1].split(":")[0].isdigit()


def test_missing_file_and_directory(tmp_path: Path) -> None:
    for target, message in ((tmp_path / "nope.txt", "no such file"), (tmp_path, "directory")):
        code, _, err = _run(["build", str(target), "-o", str(tmp_path / "out")])
        assert code == 2 and message in err and str(target) in err
    assert not (tmp_path / "out").exists()


def test_one_bad_among_several_writes_nothing(tmp_path: Path) -> None:
    good = Path(__file__).parent / "fixtures" / "articles"
    first = sorted(good.glob("*.txt"))[0]
    out = tmp_path / "out"
    code, _, err = _run(["build", str(first), str(BAD / "empty.txt"), "-o", str(out)])
    assert code == 2 and "empty.txt" in err
    assert not out.exists()


def test_existing_outputs_survive_a_failed_build(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert _run(["build", "-o", str(out)])[0] == 0
    before = (out / "kg.trig").read_bytes()
    assert _run(["build", str(BAD / "binary.bin"), "-o", str(out)])[0] == 2
    assert (out / "kg.trig").read_bytes() == before


def test_partial_article_builds_with_a_warning(tmp_path: Path) -> None:
    code, _, err = _run(["build", str(BAD / "partial.txt"), "-o", str(tmp_path / "out")])
    assert code == 0, err
    assert "warning" in err and "line" in err


def test_bad_base_is_usage_error(tmp_path: Path) -> None:
    code, _, err = _run(["build", "--base", "not an iri", "-o", str(tmp_path / "o")])
    assert code == 2 and "base IRI" in err


def test_html_article_drops_page_chrome(tmp_path: Path) -> None:
    from cakg.graph.reader import read_article

    pages = sorted((Path(__file__).parent / "fixtures" / "articles").glob("*.html"))
    assert pages, "an HTML fixture article"
    for page in pages:
        text = read_article(page).text
        assert "<" not in text or "<script" not in text
        low = text.lower()
        assert "spelling error" not in low and "share on" not in low


def test_copy_of_bundled_builds_same_experts(tmp_path: Path) -> None:
    from cakg.graph.reader import bundled_article

    copy = tmp_path / "copy.txt"
    copy.write_text(bundled_article().text, encoding="utf-8")
    shutil.copy(copy, tmp_path / "copy2.txt")
    code, _, err = _run(["build", str(copy), "-o", str(tmp_path / "out")])
    assert code == 0, err
