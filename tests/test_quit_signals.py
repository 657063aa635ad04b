"""SIGTERM and SIGHUP end the app like Quit: the work is saved and the lock released."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from annotator.io.journal import journal_path
from annotator.io.load import load_project
from annotator.io.lock import lock_path

REPO = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("name", ["SIGTERM", "SIGHUP"])
def test_a_quit_signal_saves_and_releases_the_lock(
    sample_copy: Path, name: str, isolated_user_dirs: Path
) -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    with subprocess.Popen(
        [sys.executable, "-m", "tests.quit_child", str(sample_copy)],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as child:
        try:
            assert child.stdout is not None
            line = child.stdout.readline()
            assert line, child.communicate()[1]
            expected = json.loads(line)
            assert lock_path(sample_copy).exists()
            child.send_signal(getattr(signal, name))
            _out, err = child.communicate(timeout=30)
        finally:
            if child.poll() is None:
                child.kill()
    assert child.returncode == 0, err
    assert not lock_path(sample_copy).exists()  # the next start shows no note
    assert not journal_path(sample_copy).exists()  # everything reached the file
    project, _ = load_project(sample_copy)
    got = {
        doc.id: [[s.id, s.start, s.end, s.label] for s in doc.spans()] for doc in project.documents
    }
    assert got == expected


def test_a_signal_before_the_event_loop_runs_still_ends_the_app(
    sample_copy: Path, isolated_user_dirs: Path
) -> None:
    """quit() is ignored while no event loop runs: a signal in the moment between
    opening the window and app.exec() must end the app all the same."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run(
        [sys.executable, "-m", "tests.quit_child", str(sample_copy), "--signal-before-loop"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert not lock_path(sample_copy).exists()
    expected = json.loads(done.stdout.splitlines()[0])
    project, _ = load_project(sample_copy)
    got = {
        doc.id: [[s.id, s.start, s.end, s.label] for s in doc.spans()] for doc in project.documents
    }
    assert got == expected
