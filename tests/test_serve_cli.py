"""`cakg serve` checks its data and its port before it says where it listens."""

from __future__ import annotations

import re
import socket
import subprocess
import sys
from pathlib import Path

import httpx
from click.testing import CliRunner

from cakg.cli import cli

BROKEN = Path(__file__).parent / "fixtures" / "sample" / "broken.trig"
ANNOUNCED = "cakg serve: http"


def test_a_port_in_use_is_one_line_exit_2(built: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(
            cli, ["serve", "--data", str(built / "kg.trig"), "--port", str(port)]
        )
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and f"127.0.0.1:{port}" in lines[0], result.output
    assert "in use" in lines[0] and ANNOUNCED not in result.output
    assert "Traceback" not in result.output


def test_an_unknown_host_is_one_line_exit_2(built: Path) -> None:
    result = CliRunner().invoke(
        cli, ["serve", "--data", str(built / "kg.trig"), "--host", "no-such-host.invalid"]
    )
    assert result.exit_code == 2 and "cannot listen on no-such-host.invalid" in result.output
    assert ANNOUNCED not in result.output


def test_data_that_does_not_parse_is_one_line_exit_2(tmp_path: Path) -> None:
    # broken.trig is valid RDF (its data breaks the shapes, which serving allows); cut off
    # mid-statement it no longer parses.
    cut = tmp_path / "cut.trig"
    text = BROKEN.read_text(encoding="utf-8")
    cut.write_text(text[: text.rindex("}")], encoding="utf-8")
    result = CliRunner().invoke(cli, ["serve", "--data", str(cut), "--port", "0"])
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "cut.trig" in lines[0] and "not valid RDF" in lines[0]
    assert ANNOUNCED not in result.output


def test_a_folder_that_is_no_store_is_one_line_exit_2(tmp_path: Path) -> None:
    (tmp_path / "store").mkdir()
    (tmp_path / "store" / "CURRENT").write_text("not a store\n")
    result = CliRunner().invoke(cli, ["serve", "--store", str(tmp_path / "store"), "--port", "0"])
    assert result.exit_code == 2, result.output
    assert len(result.output.strip().splitlines()) == 1 and ANNOUNCED not in result.output


def test_served_data_is_announced_with_the_port_it_listens_on(built: Path) -> None:
    run = [sys.executable, "-c", "from cakg.cli import main; main()"]
    args = ["serve", "--data", str(built / "kg.trig"), "--port", "0", "--workers", "1"]
    proc = subprocess.Popen([*run, *args], stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stderr is not None
        line = proc.stderr.readline()
        found = re.match(r"cakg serve: (http://127\.0\.0\.1:(\d+)/) ", line)
        assert found and found.group(2) != "0", line
        # The port is bound before the announcement: connections wait for the workers.
        health = httpx.get(found.group(1) + "health", timeout=120)
        assert health.status_code == 200 and health.json()["status"] == "ok"
    finally:
        proc.terminate()
        proc.wait(60)
