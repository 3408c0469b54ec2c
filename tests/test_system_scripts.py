"""The set-up scripts: waiting for another apt instead of failing on its lock."""

from __future__ import annotations

import fcntl
import subprocess
import threading
import time
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "wait-for-apt-lock.sh"


def _run(seconds: float, *locks: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", str(SCRIPT), str(seconds), *map(str, locks)],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip


def test_free_locks_pass_at_once(tmp_path: Path) -> None:
    lock = tmp_path / "lock-frontend"
    lock.touch()
    proc = _run(5, lock, tmp_path / "missing")
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""


def test_a_held_lock_fails_after_the_wait_naming_it(tmp_path: Path) -> None:
    lock = tmp_path / "lock-frontend"
    with lock.open("a") as held:
        fcntl.lockf(held, fcntl.LOCK_EX)  # as dpkg takes it: fcntl(2), another process
        proc = _run(1, lock)
    assert proc.returncode == 1
    assert f"{lock} is still held after 1 s" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_a_lock_released_during_the_wait_lets_it_go_on(tmp_path: Path) -> None:
    lock = tmp_path / "lock"
    held = lock.open("a")
    fcntl.lockf(held, fcntl.LOCK_EX)

    def release() -> None:
        time.sleep(1.5)
        held.close()

    t = threading.Thread(target=release)
    t.start()
    try:
        proc = _run(30, lock)
    finally:
        t.join()
    assert proc.returncode == 0, proc.stderr
    assert "waiting up to 30 s" in proc.stderr
