"""The project lock: who holds it, stale locks, take-over, and command-line writers."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.io.lock import (
    LOCK_NAME,
    LockOwner,
    ProjectLock,
    ProjectLocked,
    _process_start,
    read_owner,
)

REPO = Path(__file__).resolve().parents[2]


def write_lock(root: Path, owner: LockOwner) -> None:
    (root / LOCK_NAME).write_text(json.dumps(owner.__dict__), encoding="utf-8")


@pytest.fixture
def other_process() -> Iterator[subprocess.Popen[bytes]]:
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    yield child
    child.kill()
    child.wait()


def test_the_lock_names_its_owner_and_a_second_opener_is_refused(sample_copy: Path) -> None:
    lock, note = ProjectLock.acquire(sample_copy)
    assert note is None
    owner = read_owner(sample_copy)
    assert owner is not None and owner.pid == os.getpid() and owner.host == socket.gethostname()
    with pytest.raises(ProjectLocked) as refused:
        ProjectLock.acquire(sample_copy)  # a second window of this process
    assert refused.value.this_process
    lock.release()
    assert not (sample_copy / LOCK_NAME).exists()
    ProjectLock.acquire(sample_copy)[0].release()


def test_a_live_process_on_this_host_holds_the_lock(
    sample_copy: Path, other_process: subprocess.Popen[bytes]
) -> None:
    pid = other_process.pid
    write_lock(
        sample_copy, LockOwner(pid, socket.gethostname(), "ann", "09:00", _process_start(pid))
    )
    with pytest.raises(ProjectLocked) as refused:
        ProjectLock.acquire(sample_copy)
    assert f"process {pid} of ann on {socket.gethostname()}" in str(refused.value)
    lock, note = ProjectLock.acquire(sample_copy, take_over=True)
    assert note is not None and note.startswith("took the lock over")
    lock.release()


def test_locks_of_dead_or_reused_processes_are_stale(
    sample_copy: Path, other_process: subprocess.Popen[bytes]
) -> None:
    done = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    dead = int(done.stdout)
    write_lock(sample_copy, LockOwner(dead, socket.gethostname(), "ann", "09:00"))
    lock, note = ProjectLock.acquire(sample_copy)
    assert note is not None and "no longer running" in note and str(dead) in note
    lock.release()

    if _process_start(other_process.pid):  # Linux: a pid reused by a later process
        write_lock(
            sample_copy,
            LockOwner(other_process.pid, socket.gethostname(), "ann", "", process_start="1"),
        )
        lock, note = ProjectLock.acquire(sample_copy)
        assert note is not None and "no longer running" in note
        lock.release()

    (sample_copy / LOCK_NAME).write_text("{ half a lo", encoding="utf-8")
    lock, note = ProjectLock.acquire(sample_copy)
    assert note == "cleared an unreadable lock file"
    lock.release()


def test_a_lock_from_another_host_counts_as_live(sample_copy: Path) -> None:
    write_lock(sample_copy, LockOwner(1, "elsewhere.example", "bo", "09:00"))
    with pytest.raises(ProjectLocked):
        ProjectLock.acquire(sample_copy)


def test_release_leaves_a_lock_someone_took_over(sample_copy: Path) -> None:
    lock, _ = ProjectLock.acquire(sample_copy)
    write_lock(sample_copy, LockOwner(1, "elsewhere.example", "bo", "09:00"))
    lock.release()
    owner = read_owner(sample_copy)
    assert owner is not None and owner.host == "elsewhere.example"


def test_the_command_line_does_not_write_a_project_open_elsewhere(
    sample_copy: Path,
    other_process: subprocess.Popen[bytes],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("annotator.cli.LOCK_WAIT", 0.3)
    pid = other_process.pid
    write_lock(
        sample_copy, LockOwner(pid, socket.gethostname(), "ann", "09:00", _process_start(pid))
    )
    before = (sample_copy / "annotator.json").read_bytes()
    assert main(["suggest", str(sample_copy), "--extractor", "quotes"]) == 1
    err = capsys.readouterr().err
    assert f"open for editing in process {pid}" in err and "close it there first" in err
    assert (sample_copy / "annotator.json").read_bytes() == before

    other_process.kill()
    other_process.wait()
    assert main(["suggest", str(sample_copy), "--extractor", "quotes"]) == 0  # stale now
    assert (sample_copy / "annotator.json").read_bytes() != before
    assert not (sample_copy / LOCK_NAME).exists()  # released after the write


def test_a_killed_process_not_yet_reaped_is_not_alive(sample_copy: Path) -> None:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    try:
        deadline = time.monotonic() + 10
        while _process_start(child.pid) and time.monotonic() < deadline:
            stat = Path(f"/proc/{child.pid}/stat").read_text()
            if stat.rsplit(")", 1)[-1].split()[0] == "Z":
                break  # exited, not waited for: a zombie
            time.sleep(0.02)
        else:
            pytest.skip("no /proc to see the zombie in")
        write_lock(sample_copy, LockOwner(child.pid, socket.gethostname(), "ann", "09:00"))
        lock, note = ProjectLock.acquire(sample_copy)
        assert note is not None and "no longer running" in note
        lock.release()
    finally:
        child.wait()


def test_a_pipe_where_the_lock_goes_is_cleared_not_waited_on(sample_copy: Path) -> None:
    os.mkfifo(sample_copy / LOCK_NAME)
    lock, note = ProjectLock.acquire(sample_copy)  # returns: nothing waits on the pipe
    assert note is not None and "not a regular file" in note
    assert (sample_copy / LOCK_NAME).is_file()
    lock.release()
