"""How the cost of many links grows: python benchmarks/links.py [--sizes 1000,10000,100000]

Issue 27's targets at 100,000 links: in the window, open, tag one span, save and
close in at most 10 s from launch; ``annotator validate`` and ``annotator compare`` in
at most 2 s each. The project is three articles of 5,000 spans each with N relations
and links among them (benchmarks/run.py's ``linked_project``, saved once by this
version so the file is what the app writes); the same project without links is the
baseline. Each command runs in its own process, as a user runs it; the window is a
real one (offscreen) in a child process, timed from the process's start. Prints a
table: size, measurement, seconds (median of ``--runs``), target, verdict.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

TARGETS = {100_000: {"validate": 2.0, "compare": 2.0, "window": 10.0}}

WINDOW = """
import sys, time
start = float(sys.argv[2])
from pathlib import Path
from PySide6.QtWidgets import QApplication
from annotator.core.commands import AddSpan, make_span
from annotator.settings import Settings
from annotator.ui.app import ensure_application, open_window
ensure_application()
window, _ = open_window(Path(sys.argv[1]), Settings())
window.session.autosave_enabled = False
window.resize(1400, 860)
window.show()
QApplication.processEvents()
doc = window.session.project.documents[0]
span = make_span(doc, 0, 3, "entity")
assert window.session.run(AddSpan(doc.id, span))
QApplication.processEvents()
assert window.session.save()
window.close()
QApplication.processEvents()
print(time.time() - start)
"""


def make(folder: Path, links: int) -> Path:
    from run import linked_project

    from annotator.io.load import load_project
    from annotator.io.save import save_project

    linked_project(folder, 5000, links, linked=links > 0)
    project, _ = load_project(folder)
    save_project(project)  # written as this version writes it
    return folder


def timed(args: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(args, check=True, capture_output=True, env=env)
    return time.perf_counter() - start


def window_time(folder: Path, env: dict[str, str]) -> float:
    done = subprocess.run(
        [sys.executable, "-c", WINDOW, str(folder), repr(time.time())],
        check=True,
        capture_output=True,
        text=True,
        env=env,
    )
    return float(done.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="0,1000,10000,100000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-window", action="store_true")
    opts = parser.parse_args()
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    annotator = [sys.executable, "-m", "annotator"]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        env["XDG_CONFIG_HOME"] = str(Path(tmp) / "config")
        env["XDG_DATA_HOME"] = str(Path(tmp) / "data")
        for size in (int(s) for s in opts.sizes.split(",")):
            folder = make(Path(tmp) / f"links-{size}", size)
            measures = {
                "validate": lambda f=folder: timed([*annotator, "validate", str(f)], env),
                "compare": lambda f=folder: timed(
                    [*annotator, "compare", str(f), "-o", str(Path(tmp) / "c.md")], env
                ),
            }
            if not opts.no_window:
                measures["window"] = lambda f=folder: window_time(f, env)
            for name, measure in measures.items():
                seconds = statistics.median(measure() for _ in range(opts.runs))
                target = TARGETS.get(size, {}).get(name)
                verdict = "" if target is None else ("met" if seconds <= target else "MISSED")
                rows.append((size, name, seconds, target, verdict))
                print(f"{size:>7} {name:9} {seconds:7.2f} s", file=sys.stderr)
            shutil.rmtree(folder)
    print("| links | measurement | median (s) | target (s) | verdict |")
    print("|---:|---|---:|---:|---|")
    for size, name, seconds, target, verdict in rows:
        shown = "" if target is None else f"{target:.0f}"
        print(f"| {size:,} | {name} | {seconds:.2f} | {shown} | {verdict} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
