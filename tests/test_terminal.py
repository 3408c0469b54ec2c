"""What `cakg query` prints at a terminal's width: every column and the evidence, at any width.

The rows are read back from the printed text (a table's cells, or the blocks of a narrow
terminal), so a dropped column, a cut quote or a column wrapped letter by letter shows.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from click.testing import CliRunner
from rich.console import Console

from cakg.cli import cli
from cakg.queries import format_term, query, table_columns
from cakg.terminal import CELL_MAX, PIPED_WIDTH, READABLE, print_table

WIDTHS = (80, 100, 200)


def _expected(built: Path, name: str) -> tuple[list[str], list[dict[str, str]]]:
    """A named query's columns and rows, as the terminal shows them."""
    answer = query(name, data=built / "kg.trig")
    cols = table_columns(answer.result.vars)
    rows = [{v: format_term(r.get(v), answer.base) for v in cols} for r in answer.result.rows]
    return cols, rows


def _read_table(out: str) -> tuple[list[str], list[dict[str, list[str]]]]:
    """The header and the rows of a Rich table, each cell as its lines."""
    lines = out.splitlines()
    header = next(line for line in lines if line.startswith("┃"))
    cols = [c.strip() for c in header.strip("┃").split("┃")]
    rows: list[dict[str, list[str]]] = []
    current: dict[str, list[str]] | None = None
    for line in lines:
        if line.startswith("│"):
            if current is None:
                current = {c: [] for c in cols}
                rows.append(current)
            for col, cell in zip(cols, line.strip("│").split("│"), strict=True):
                if cell.strip():
                    current[col].append(cell.strip())
        else:
            current = None
    return cols, rows


def _read_blocks(out: str) -> tuple[list[str], list[dict[str, list[str]]]]:
    """The columns and the rows of the block layout, each value as its lines."""
    rows: list[dict[str, list[str]]] = []
    key = ""
    for line in out.splitlines():
        if line.startswith("─["):
            rows.append({})
        elif rows and line.startswith(" "):
            rows[-1][key].append(line.strip())
        elif rows:
            key, _, value = line.partition("  ")
            rows[-1][key] = [value.strip()] if value.strip() else []
    return (list(rows[0]) if rows else []), rows


@pytest.mark.parametrize("width", WIDTHS)
def test_every_column_and_every_quote_at_any_width(built: Path, width: int) -> None:
    """The issue's case: claims-by-expert in an 80-column terminal lost the evidence."""
    cols, expected = _expected(built, "claims-by-expert")
    assert {"quote", "type", "certainty", "start", "end"} <= set(cols)
    run = CliRunner(env={"COLUMNS": str(width)}).invoke(
        cli, ["query", "claims-by-expert", "--data", str(built / "kg.trig")]
    )
    assert run.exit_code == 0, run.stderr
    out = run.stdout
    assert max(len(line) for line in out.splitlines()) <= width
    table = "┏" in out
    shown_cols, shown = _read_table(out) if table else _read_blocks(out)
    assert shown_cols == cols  # every header, whole, in order
    assert len(shown) == len(expected) > 50
    for got, want in zip(shown, expected, strict=True):
        quote = " ".join(want["quote"].split())
        if table:  # a table cuts long prose at CELL_MAX (csv/json give all of it)
            quote = quote if len(quote) <= CELL_MAX else quote[: CELL_MAX - 1] + "…"
        assert " ".join(got["quote"]) == quote
        assert " ".join(got["name"]) == want["name"]
        assert "".join(got["claim"]) == want["claim"]
        for col in cols:  # no column wrapped narrower than it can be read
            widest = max((len(line) for line in got[col]), default=0)
            assert widest >= min(len(want[col]), READABLE), (col, got[col])
    assert table == (width >= 200)  # 80 and 100 columns are too narrow for nine columns


def test_piped_output_stays_a_wide_table(built: Path) -> None:
    run = CliRunner(env={"COLUMNS": None}).invoke(
        cli, ["query", "claims-by-expert", "--data", str(built / "kg.trig")]
    )
    assert run.exit_code == 0
    assert "┏" in run.stdout
    assert max(len(line) for line in run.stdout.splitlines()) == PIPED_WIDTH


@pytest.mark.parametrize("width", [40, 20])  # a table, then blocks
@pytest.mark.parametrize(
    ("rows", "shown"),
    [
        ([], "no rows"),  # the headers even without rows
        ([["[bold]x[/bold]", "y"]], "[bold]x[/bold]"),  # values are text, never markup
    ],
)
def test_headers_and_values_are_shown_as_written(
    rows: list[list[str]], shown: str, width: int
) -> None:
    out = Console(width=width, file=io.StringIO(), record=True)
    print_table("t", ["first column", "second column"], rows, out)
    text = out.export_text()
    assert ("┏" in text) == (width == 40)
    assert "first column" in text and "second column" in text
    if rows or width == 20:
        assert shown in text
