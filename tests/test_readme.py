"""The README's console examples are executable: each ```console block runs, output compared.

Every ```console block of README.md is a session: a line ``$ cakg …`` runs that command
(through click's runner, at the 100-column width the README is written for), the lines
after it up to the next ``$`` are its expected output (stdout and stderr as a terminal
shows them), and ``$ echo $?`` prints the previous command's exit code. A line ``…`` alone
stands for any number of lines (for long tables); times such as ``(7.0 s)`` are masked.
The blocks run in order in one folder, so a later block sees what an earlier one built;
the files the examples name are laid there from the test fixtures (``notes.txt``,
``broken.ttl``, …) or from the README itself (``my.rq``, shown in a fenced block).
Examples that should not run (a server, a remote endpoint) use ```sh.
"""

from __future__ import annotations

import re
import shlex
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from click.testing import CliRunner

from cakg.cli import cli

REPO = Path(__file__).resolve().parents[1]
README = REPO / "README.md"
FIXTURES = Path(__file__).parent / "fixtures"
WIDTH = 100

# Files the README's examples name, and the fixture each one is.
FILES = {
    "notes.txt": FIXTURES / "bad" / "no-experts.txt",
    "broken.ttl": FIXTURES / "shapes" / "selector-start-after-end.ttl",
    "bad.ttl": FIXTURES / "reason" / "inconsistent-state-and-organization.ttl",
}
# Files the README itself shows: the ```sparql block after the line that names it.
SHOWN = ("my.rq",)

_TIME = re.compile(r"\b\d+(?:\.\d+)? ?(?:s|ms)\b")


@dataclass
class Step:
    """One ``$`` command of a block and the output the README shows for it."""

    line: int
    command: str
    expected: list[str] = field(default_factory=list)


@dataclass
class Block:
    """One ```console block."""

    line: int
    steps: list[Step] = field(default_factory=list)


def console_blocks(text: str) -> list[Block]:
    """The ```console blocks of a Markdown text, split into commands and their output."""
    blocks: list[Block] = []
    current: Block | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        if current is None:
            if raw.strip() == "```console":
                current = Block(number)
            continue
        if raw.strip() == "```":
            blocks.append(current)
            current = None
        elif raw.startswith("$ "):
            current.steps.append(Step(number, raw[2:]))
        elif current.steps:
            current.steps[-1].expected.append(raw)
    return blocks


def matches(expected: list[str], actual: list[str]) -> bool:
    """Whether ``actual`` is ``expected`` line for line, a line ``…`` standing for any lines."""
    if not expected:
        return not actual
    head, rest = expected[0], expected[1:]
    if head.strip() == "…":
        return any(matches(rest, actual[i:]) for i in range(len(actual) + 1))
    return bool(actual) and actual[0] == head and matches(rest, actual[1:])


def _normal(lines: list[str]) -> list[str]:
    out = [_TIME.sub("… s", line.rstrip()) for line in lines]
    while out and not out[-1]:
        out.pop()
    return out


def lay_files(work: Path) -> None:
    """Put the files the README's examples name into the folder they run in."""
    for name, source in FILES.items():
        shutil.copy(source, work / name)
    for name in SHOWN:
        (work / name).write_text(shown_file(README.read_text(encoding="utf-8"), name))
    (work / "tests").symlink_to(REPO / "tests")


def shown_file(text: str, name: str) -> str:
    """The first fenced block after the first line that names ``name`` in backquotes."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if f"`{name}`" in line)
    begin = next(i for i in range(start, len(lines)) if lines[i].startswith("```"))
    end = next(i for i in range(begin + 1, len(lines)) if lines[i].startswith("```"))
    return "\n".join(lines[begin + 1 : end]) + "\n"


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The folder the README's sessions run in, with the files they name."""
    work = tmp_path_factory.mktemp("readme")
    lay_files(work)
    yield work


BLOCKS = console_blocks(README.read_text(encoding="utf-8"))


def test_readme_has_executable_examples() -> None:
    assert len(BLOCKS) >= 5
    assert any(step.command.startswith("cakg build") for b in BLOCKS for step in b.steps)


def run_block(block: Block) -> list[list[str]]:
    """What each command of a block prints, in the current folder, at the README's width."""
    outputs: list[list[str]] = []
    last_code = 0
    for step in block.steps:
        argv = shlex.split(step.command)
        if argv == ["echo", "$?"]:
            outputs.append([str(last_code)])
        elif argv[0] == "cakg":
            runner = CliRunner(env={"COLUMNS": str(WIDTH)})
            result = runner.invoke(cli, argv[1:], catch_exceptions=False)
            last_code = result.exit_code
            outputs.append(result.output.splitlines())
        else:
            raise ValueError(f"README.md:{step.line}: only cakg commands and `echo $?` run here")
    return outputs


@pytest.mark.parametrize("block", BLOCKS, ids=[f"README.md:{b.line}" for b in BLOCKS])
def test_readme_console_block(block: Block, workdir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(workdir)
    for step, actual in zip(block.steps, run_block(block), strict=True):
        want, got = _normal(step.expected), _normal(actual)
        assert matches(want, got), (
            f"README.md:{step.line}: `{step.command}` printed:\n"
            + "\n".join(got)
            + "\n(after an intended change: python tests/test_readme.py --update)"
        )


@pytest.mark.parametrize(
    ("expected", "actual", "ok"),
    [
        (["a", "b"], ["a", "b"], True),
        (["a", "…", "d"], ["a", "b", "c", "d"], True),
        (["a", "…"], ["a"], True),
        (["a", "…", "d"], ["a", "b"], False),
        (["a"], ["a", "b"], False),
    ],
)
def test_ellipsis_matching(expected: list[str], actual: list[str], ok: bool) -> None:
    assert matches(expected, actual) is ok


KEEP = 30  # lines of a long output kept in the README before a closing "…"


def update() -> None:
    """Rewrite each console block's outputs with what the commands print now."""
    import os
    import tempfile

    lines = README.read_text(encoding="utf-8").splitlines()
    replaced: dict[int, list[str]] = {}  # line of a `$` command -> its new output
    with tempfile.TemporaryDirectory() as tmp:
        os.chdir(tmp)
        lay_files(Path(tmp))
        for block in console_blocks("\n".join(lines)):
            for step, actual in zip(block.steps, run_block(block), strict=True):
                out = [line.rstrip() for line in actual]
                if len(out) > KEEP + 5:
                    out = [*out[:KEEP], "…"]
                replaced[step.line] = out
    result: list[str] = []
    skipping = False
    for number, line in enumerate(lines, start=1):
        if number in replaced:
            result += [line, *replaced[number]]
            skipping = True
            continue
        if skipping and (line.startswith("$ ") or line.strip() == "```"):
            skipping = False
        if not skipping:
            result.append(line)
    README.write_text("\n".join(result) + "\n", encoding="utf-8")


if __name__ == "__main__":
    import sys

    if sys.argv[1:] != ["--update"]:
        sys.exit("usage: python tests/test_readme.py --update")
    update()
