"""How fast the first window appears, against the floor Qt sets.

Two whole processes, run alternately (so that a busy moment of the machine hits both):
a minimal PySide6 window with one text pane holding the sample's first article, and
``annotator`` started as a user starts it (``python -m annotator FOLDER`` on a copy
of the sample, fresh settings). Each is timed from launch to its first painted text
pane. Prints the median of each, the ratio (target: at most 2x), and the seconds
Python spends importing before Annotator's first paint.

    python benchmarks/startup.py [--pairs 11]
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
SAMPLE = ROOT / "resources" / "sample"
TARGET = 2.0

# a paint of a text pane's viewport: the first moment a person sees the text
_PAINTED = (
    "import os\n"
    "from PySide6.QtCore import QEvent, QObject\n"
    "from PySide6.QtWidgets import QPlainTextEdit\n"
    "class Painted(QObject):\n"
    "    def eventFilter(self, obj, event):\n"
    "        if event.type() == QEvent.Type.Paint and isinstance(obj.parent(), QPlainTextEdit):\n"
    "            print('painted', flush=True)\n"
    "            os._exit(0)\n"
    "        return False\n"
)

MINIMAL = _PAINTED + (
    "import sys\n"
    "from PySide6.QtWidgets import QApplication, QMainWindow\n"
    "app = QApplication(sys.argv)\n"
    "watch = Painted()\n"
    "app.installEventFilter(watch)\n"
    "window = QMainWindow()\n"
    "pane = QPlainTextEdit()\n"
    "pane.setReadOnly(True)\n"
    "pane.setPlainText(open(sys.argv[1], encoding='utf-8').read())\n"
    "window.setCentralWidget(pane)\n"
    "window.resize(1400, 860)\n"
    "window.show()\n"
    "app.exec()\n"
)

# ``annotator FOLDER`` itself (annotator.cli.main), with the watcher put on the
# application when the app makes it
ANNOTATOR = _PAINTED + (
    "import sys\n"
    "from PySide6.QtWidgets import QApplication\n"
    "made = QApplication.__init__\n"
    "def init(self, *args):\n"
    "    made(self, *args)\n"
    "    self._watch = Painted()\n"
    "    self.installEventFilter(self._watch)\n"
    "QApplication.__init__ = init\n"
    "from annotator.cli import main\n"
    "sys.exit(main(sys.argv[1:]))\n"
)


def launch(code: str, argument: str, env: dict[str, str]) -> float:
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-c", code, argument], env=env, capture_output=True, text=True, timeout=120
    )
    took = time.perf_counter() - start
    if "painted" not in proc.stdout:
        raise RuntimeError(f"no paint: {proc.stderr[-600:]}")
    return took


def import_seconds(folder: Path, env: dict[str, str]) -> float:
    """Seconds spent importing modules before the first paint (``-X importtime``)."""
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", ANNOTATOR, str(folder)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    total = 0
    for line in proc.stderr.splitlines():
        parts = line.split("|")
        if len(parts) == 3 and parts[1].strip().isdigit() and not parts[2].startswith("  "):
            total += int(parts[1].strip())  # cumulative time of each top-level import
    return total / 1e6


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pairs", type=int, default=11)
    args = parser.parse_args()
    article = sorted(SAMPLE.glob("*.txt"))[0]
    minimal_times, annotator_times = [], []
    with tempfile.TemporaryDirectory(prefix="annotator-startup-") as tmp:
        base = Path(tmp)
        for i in range(args.pairs):
            folder = base / f"sample-{i}"
            shutil.copytree(SAMPLE, folder)
            env = {
                **os.environ,
                "XDG_CONFIG_HOME": str(base / f"config-{i}"),
                "XDG_DATA_HOME": str(base / f"data-{i}"),
            }
            minimal_times.append(launch(MINIMAL, str(article), env))
            annotator_times.append(launch(ANNOTATOR, str(folder), env))
        folder = base / "sample-imports"
        shutil.copytree(SAMPLE, folder)
        env = {**os.environ, "XDG_CONFIG_HOME": str(base / "ci"), "XDG_DATA_HOME": str(base / "di")}
        imports = import_seconds(folder, env)
    floor = statistics.median(minimal_times)
    ours = statistics.median(annotator_times)
    ratio = ours / floor
    print(f"launch to first painted text pane, median of {args.pairs} alternating pairs")
    print(f"{'process':<44} {'median':>8} {'min':>8} {'max':>8}")
    for name, times in (
        ("minimal PySide6 window, one text pane", minimal_times),
        ("annotator FOLDER (the sample)", annotator_times),
    ):
        middle, low, high = statistics.median(times), min(times), max(times)
        print(f"{name:<44} {middle:>7.3f}s {low:>7.3f}s {high:>7.3f}s")
    verdict = "ok" if ratio <= TARGET else "MISSED"
    print(f"{'ratio (target <= 2.0x)':<44} {ratio:>7.2f}x  {verdict}")
    print(f"{'annotator: imports before the first paint':<44} {imports:>7.3f}s")


if __name__ == "__main__":
    main()
