"""How a session through a corpus scales: python benchmarks/done_next.py [--sizes 30,200,1000]

Issue 32: a manual session goes through hundreds of articles, one Ctrl+Enter (mark
done, bring the next) after another, and the window must open as fast as before at
1,000 documents. For each size, a project of that many articles (2 KB each, made up
here) is opened from launch to the first painted window in its own process (as
``annotator PATH`` does; ``run.py``'s ``launch_to_paint``), then in a real offscreen
window 20 documents are tagged and marked done by the window's own action, each step
timed from the key to the next document shown. Prints a table: size, measurement,
median, worst, target, verdict. ``annotator progress`` is timed as a process too.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

TARGETS = {"open": 2.0, "done and next": 0.1, "progress": 2.0}
WORDS = [
    *("council", "harbour", "flood", "minister", "said", "residents", "road", "bridge"),
    *("water", "evening", "report", "mayor", "police", "Tuesday", "seven", "thousand"),
    *("homes", "north", "river", "people", "officials"),
]

STEPS = """
import sys, time, statistics
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
took = []
for _ in range(20):
    pane = window.panes.current_pane()
    doc = pane.document
    window.session.run(AddSpan(doc.id, make_span(doc, 0, 7, "entity")))
    QApplication.processEvents()
    start = time.perf_counter()
    window.queue.mark_done_and_next()
    QApplication.processEvents()
    took.append(time.perf_counter() - start)
window.session.save()
print(statistics.median(took), max(took))
"""


def make(folder: Path, size: int) -> None:
    folder.mkdir(parents=True)
    for n in range(size):
        words = [WORDS[(n * 7 + i * 3) % len(WORDS)] for i in range(330)]
        text = "Harbour " + " ".join(words) + ".\n"
        (folder / f"article{n:04}.txt").write_text(text, encoding="utf-8")


def main() -> int:
    from run import launch_to_paint

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="30,200,1000")
    parser.add_argument("--runs", type=int, default=3)
    opts = parser.parse_args()
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for size in (int(s) for s in opts.sizes.split(",")):
            folder = Path(tmp) / f"c{size}"
            make(folder, size)
            subprocess.run(  # made a project once (the first open writes annotator.json)
                [sys.executable, "-m", "annotator", "validate", str(folder)],
                check=False,
                capture_output=True,
            )
            times, _peaks = launch_to_paint(folder, opts.runs, Path(tmp))
            rows.append((size, "open", statistics.median(times), max(times)))
            out = subprocess.run(
                [sys.executable, "-c", STEPS, str(folder)],
                check=True,
                capture_output=True,
                text=True,
                env={**env, "XDG_CONFIG_HOME": str(Path(tmp) / "cfg")},
            )
            median, worst = (float(x) for x in out.stdout.split()[-2:])
            rows.append((size, "done and next", median, worst))
            took = []
            for _ in range(opts.runs):
                start = time.perf_counter()
                subprocess.run(
                    [sys.executable, "-m", "annotator", "progress", str(folder)],
                    check=True,
                    capture_output=True,
                )
                took.append(time.perf_counter() - start)
            rows.append((size, "progress", statistics.median(took), max(took)))
            for row in rows[-3:]:
                print(f"{row[0]:>6} {row[1]:<14} {row[2]:.3f} s", flush=True)
    print("| documents | measurement | median (s) | worst (s) | target (s) | verdict |")
    print("|---:|---|---:|---:|---:|---|")
    for size, what, median, worst in rows:
        target = TARGETS[what]
        verdict = "met" if median <= target else "MISSED"
        print(f"| {size:,} | {what} | {median:.3f} | {worst:.3f} | {target} | {verdict} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
