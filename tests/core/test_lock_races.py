"""The lock under real races: separate processes started together, hundreds of rounds.

Each round, every process tries to take the lock at the same instant (they wait on
one start time); while holding it, it does a read-modify-write of a counter file
with a pause in the middle. If two ever held the lock at once, an increment is lost
and the count comes out short; the processes also record every overlap they see.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time
from pathlib import Path

from annotator.io.lock import LOCK_NAME

REPO = Path(__file__).resolve().parents[2]

RACER = textwrap.dedent(
    """
    import os, sys, time
    from pathlib import Path
    from annotator.io.lock import ProjectLock, ProjectLocked

    root, rounds, start = Path(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
    counter, inside = root / "counter", root / "inside"
    got = refused = overlaps = 0
    for n in range(rounds):
        while time.time() < start + n * 0.02:  # every racer starts round n together
            pass
        try:
            lock, _ = ProjectLock.acquire(root)
        except ProjectLocked:
            refused += 1
            continue
        try:
            if inside.exists():
                overlaps += 1
            inside.write_text(str(os.getpid()))
            value = int(counter.read_text() or 0)
            time.sleep(0.001)
            counter.write_text(str(value + 1))
            got += 1
            inside.unlink()
        finally:
            lock.release()
    print(got, refused, overlaps)
    """
)


def test_two_processes_racing_never_both_hold_the_lock(tmp_path: Path) -> None:
    root = tmp_path / "project"
    root.mkdir()
    (root / "counter").write_text("0")
    rounds = 300
    start = time.time() + 1.5  # after both have imported Annotator
    racers = [
        subprocess.Popen(
            [sys.executable, "-c", RACER, str(root), str(rounds), str(start)],
            stdout=subprocess.PIPE,
            text=True,
            cwd=REPO,
        )
        for _ in range(3)
    ]
    results = []
    for racer in racers:
        out, _ = racer.communicate(timeout=120)
        assert racer.returncode == 0
        results.append([int(x) for x in out.split()])
    held = sum(r[0] for r in results)
    assert sum(r[2] for r in results) == 0, results  # nobody ever found another inside
    assert int((root / "counter").read_text()) == held, results  # no increment lost
    assert held >= rounds  # each round somebody got it
    assert sum(r[1] for r in results) > 0, results  # and they really did race
    assert not (root / LOCK_NAME).exists()


def test_concurrent_command_line_imports_all_land(tmp_path: Path) -> None:
    """Two `annotator import` commands run at once, round after round: every import
    that says it succeeded is in the project afterwards (the second waits its turn)."""
    root = tmp_path / "project"
    root.mkdir()
    (root / "a.txt").write_text("Ana Lee met Bo Chen in Oslo on Monday.\n", encoding="utf-8")
    words = ["Ana Lee", "Bo Chen", "Oslo", "Monday"]
    text = (root / "a.txt").read_text(encoding="utf-8")
    files = []
    for n, word in enumerate(words):
        start = text.index(word)
        spans = [{"start": start, "end": start + len(word), "label": "entity"}]
        record = _json({"id": "a", "text": text, "spans": spans})
        file = tmp_path / f"in{n}.jsonl"
        file.write_text(record + "\n", encoding="utf-8")
        files.append(file)
    subprocess.run(
        [sys.executable, "-m", "annotator", "validate", str(root)],
        cwd=REPO,
        capture_output=True,
        check=False,
    )
    rounds = 4
    for n in range(rounds):
        procs = [
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "annotator",
                    "import",
                    str(root),
                    str(files[k]),
                    "--format",
                    "jsonl",
                    "--annotator",
                    f"racer{n}x{k}",
                ],
                cwd=REPO,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for k in range(2)
        ]
        for proc in procs:
            _out, err = proc.communicate(timeout=120)
            assert proc.returncode == 0, err
    project = _load(root)
    authors = {s.author for d in project.documents for s in d.spans()}
    assert authors == {f"racer{n}x{k}" for n in range(rounds) for k in range(2)}


def _json(text: object) -> str:
    import json

    return json.dumps(text)


def _load(root: Path):  # type: ignore[no-untyped-def]
    from annotator.io.load import open_project

    project, _report = open_project(root)
    return project
