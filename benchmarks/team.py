"""Team work at scale: python benchmarks/team.py [--quick] [--json OUT]

Generates a team project of 1,000 articles (about 4 KB each) where three annotators
each tagged 20 spans per article, mostly the same ones (a tenth with other
boundaries, a tenth with another label, a twentieth left out), with each annotator's
work in ``annotations/NAME.json``, then times:

- the agreement report over all of it (in the process, and ``annotator agree`` as a
  whole process, from launch);
- opening the adjudication queue of two of them over every article;
- one adjudication decision in the window (the command, the queue and the views).

Prints a table with the targets of the issue beside each figure. ``--quick`` uses 100
articles so CI can check the script still works (times not judged).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import run  # noqa: E402  (benchmarks/run.py: prose, repeat, calibrate)

NAMES = ("ann", "bob", "cleo")
TARGETS = {  # seconds
    "agreement": 2.0,
    "agreement_launch": None,
    "queue": 1.0,
    "decision": 0.016,
}


def team_project(folder: Path, count: int) -> Path:
    """``count`` articles, three annotators' layers that mostly agree."""
    import re

    from annotator.core.models import Span
    from annotator.io.load import open_project
    from annotator.io.save import save_project

    rng = random.Random(17)
    folder.mkdir(parents=True)
    for i in range(count):
        (folder / f"doc-{i:05}.txt").write_text(run.prose(rng, 4000), encoding="utf-8")
    project, _ = open_project(folder)
    labels = ("entity", "claim", "quote")
    for doc in project.documents:
        words = [m.span() for m in re.finditer(r"\w+", doc.text)]
        step = max(1, len(words) // 20)
        base = []
        for k in range(20):
            w = min(k * step, len(words) - 1)
            base.append(
                (words[w][0], words[min(w + rng.randint(0, 2), len(words) - 1)][1], labels[k % 3])
            )
        for name in NAMES:
            for k, (start, end, label) in enumerate(base):
                roll = rng.random()
                if roll < 0.05:
                    continue
                if roll < 0.15:
                    end = (
                        words[min(w + 3, len(words) - 1)][1]
                        if (w := min(k * step, len(words) - 1))
                        else end
                    )
                elif roll < 0.25:
                    label = labels[(k + 1) % 3]
                doc.put_span(
                    Span(
                        id=f"s-{rng.getrandbits(48):012x}",
                        start=start,
                        end=end,
                        label=label,
                        text=doc.text[start:end],
                        author=name,
                    )
                )
    save_project(project)
    return folder


def _median(values: list[float]) -> float:
    return statistics.median(values)


def measure(folder: Path, runs: int) -> dict[str, Any]:
    from PySide6.QtWidgets import QApplication

    from annotator.core import adjudication
    from annotator.io.load import open_project
    from annotator.ops.agreeing import agreement
    from annotator.settings import load_settings
    from annotator.ui.app import ensure_application, open_window

    project, _ = open_project(folder)
    out: dict[str, Any] = {"spans": sum(d.span_count for d in project.documents)}
    out["agreement"] = run.repeat(lambda: agreement(project), runs)
    launch = []
    for _ in range(max(1, runs // 2)):
        t = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "annotator", "agree", str(folder), "--format", "json"],
            capture_output=True,
            check=True,
        )
        launch.append(time.perf_counter() - t)
        json.loads(done.stdout)
    out["agreement_launch"] = launch
    out["queue"] = run.repeat(lambda: adjudication.queue(project, ["ann", "bob"]), runs)
    out["queue_items"] = [len(adjudication.queue(project, ["ann", "bob"]))]
    # in the window: every article shown in the queue's scope is what the panel sees;
    # a decision is the command, the queue row dropped and the panes repainted
    ensure_application()
    settings = load_settings()
    settings.author = "judge"
    window, _report = open_window(folder, settings)
    window.session.autosave_enabled = False
    window.show()
    QApplication.processEvents()
    window.set_adjudicating(True)
    QApplication.processEvents()
    panel = window.adjudicate_panel
    decisions = []
    for _ in range(min(runs * 6, max(1, panel.model.rowCount() - 1))):
        t = time.perf_counter()
        panel.decide("a")
        QApplication.processEvents()
        decisions.append(time.perf_counter() - t)
    out["decision"] = decisions
    window.session.close()
    window.close()
    QApplication.processEvents()
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="100 articles, times not judged")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()
    count = 100 if args.quick else 1000
    runs = 3 if args.quick else 5
    run.compile_bytecode()  # as pip does: `annotator agree` from launch reads bytecode
    calibration = run.calibrate()
    with tempfile.TemporaryDirectory(prefix="annotator-team-") as tmp:
        os.environ["XDG_CONFIG_HOME"] = str(Path(tmp) / "config")
        os.environ["XDG_DATA_HOME"] = str(Path(tmp) / "data")
        folder = team_project(Path(tmp) / "team", count)
        raw = measure(folder, runs)
    rows = []
    names = {
        "agreement": f"agreement, {count:,} articles × 3 annotators × 20 spans (in process)",
        "agreement_launch": "the same, annotator agree --format json (from launch)",
        "queue": f"open the adjudication queue of two over {count:,} articles",
        "decision": "one adjudication decision in the window",
    }
    print(f"{'measurement':<78} {'median':>10} {'target':>9}  verdict")
    for key, name in names.items():
        median = _median(raw[key])
        target = TARGETS[key]
        verdict = "—" if target is None or args.quick else ("met" if median <= target else "MISSED")
        shown = f"{median * 1000:.1f} ms" if median < 0.1 else f"{median:.3f} s"
        goal = (
            ""
            if target is None
            else (f"{target * 1000:.0f} ms" if target < 0.1 else f"{target:.1f} s")
        )
        print(f"{name:<78} {shown:>10} {goal:>9}  {verdict}")
        rows.append(
            {
                "key": key,
                "measurement": name,
                "median": median,
                "target": target,
                "verdict": verdict,
            }
        )
    print(
        f"\n{raw['spans']:,} spans; {raw['queue_items'][0]:,} items in the queue; "
        f"calibration {calibration:.3f} s; {os.cpu_count()} cores"
    )
    if args.json:
        args.json.write_text(
            json.dumps({"rows": rows, "raw": raw, "calibration": calibration}, indent=2),
            encoding="utf-8",
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
