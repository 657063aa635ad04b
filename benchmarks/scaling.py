"""How open and export scale: python benchmarks/scaling.py [--quick] [--json OUT]

Generates one article with 10,000 / 50,000 / 200,000 spans (40 characters of text
per span, as the 2 MB / 50,000-span article of ``run.py``) and projects of 1,000 /
10,000 / 50,000 articles (4 KB, 20 spans each), then times, as whole processes a
user would start:

- opening each from launch to the first painted window, with that process's peak
  memory (``run.py``'s ``launch_to_paint``);
- ``annotator export`` of each in every format.

Prints one table per measurement with the target beside it, and where each stops
meeting its target. One run each (these are minutes of work); ``--quick`` uses small
sizes so CI can check the script still works.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import run  # noqa: E402  (benchmarks/run.py: the corpora and launch_to_paint)

from annotator.formats import FORMATS  # noqa: E402

# Targets for a whole process: the where it names one (open 10,000 articles
# 3 s, 50,000 10 s and 700 MB; CoNLL 3 s / spaCy 5 s for the 50,000-span article),
# else the app's own from run.py, scaled with the work.
OPEN_TARGET = {"spans": 1.2, "articles": 3.0}
EXPORT_TARGET_PER_SPAN = {"spacy": 5.0 / 50_000, "hf": 5.0 / 50_000}
DEFAULT_EXPORT_PER_SPAN = 3.0 / 50_000
TIMEOUT = 120


def open_target(kind: str, size: int) -> tuple[float, float]:
    """(seconds, MB) to open a project of this kind and size, from launch."""
    if kind == "articles":
        seconds = {1_000: 1.0, 10_000: 3.0, 50_000: 10.0}.get(size, 3.0 * size / 10_000)
        memory = {1_000: 200.0, 10_000: 400.0, 50_000: 700.0}.get(size, 150 + 0.011 * size)
        return max(1.0, seconds), memory
    return 1.2 * max(1.0, size / 50_000), 300.0 * max(1.0, size / 50_000)


def export_target(fmt: str, spans: int) -> float:
    """Linear in the spans; never under 1 s, 3 s where importing the library (spaCy,
    pyarrow) alone takes over a second."""
    floor = 3.0 if fmt in EXPORT_TARGET_PER_SPAN else 1.0
    return max(floor, spans * EXPORT_TARGET_PER_SPAN.get(fmt, DEFAULT_EXPORT_PER_SPAN))


def export_time(folder: Path, fmt: str, tmp: Path) -> float | None:
    """One whole ``annotator export`` process; None if it took over TIMEOUT."""
    spec = FORMATS[fmt]
    target = tmp / f"out-{fmt}" / ("out" if spec.folder else f"out.{fmt}")
    target.parent.mkdir(exist_ok=True)
    command = [sys.executable, "-m", "annotator", "export", str(folder), "-f", fmt]
    start = time.perf_counter()
    try:
        subprocess.run(
            [*command, "-o", str(target)], check=True, capture_output=True, timeout=TIMEOUT
        )
    except subprocess.TimeoutExpired:
        return None
    finally:
        subprocess.run(["rm", "-rf", str(target.parent)], check=False)
    return time.perf_counter() - start


def main() -> int:  # noqa: C901
    """Long on purpose: a benchmark script's table, read once from top to bottom."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    spans_sizes = [1_000, 5_000] if args.quick else [10_000, 50_000, 200_000]
    article_sizes = [50, 200] if args.quick else [1_000, 10_000, 50_000]
    formats = [name for name, spec in FORMATS.items() if spec.write is not None]
    results: list[dict[str, Any]] = []
    run.compile_bytecode()  # as pip does: each process from launch reads bytecode
    calibration = run.calibrate()
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="annotator-scaling-") as tmp_name:
        tmp = Path(tmp_name)
        cases: list[tuple[str, int, int, Path]] = []
        for spans in spans_sizes:
            folder = run.big_project(tmp / f"spans-{spans}", spans * 40, spans, pending=0)
            cases.append(("spans", spans, spans, folder))
        for count in article_sizes:
            folder = run.corpus_project(tmp / f"articles-{count}", count)
            cases.append(("articles", count, count * 20, folder))
        for kind, size, spans, folder in cases:
            times, peaks = run.launch_to_paint(folder, 1, tmp)
            row: dict[str, Any] = {
                "kind": kind,
                "size": size,
                "spans": spans,
                "open": times[0],
                "peak_mb": peaks[0],
                "open_target": open_target(kind, size),
                "exports": {},
            }
            for fmt in formats:
                row["exports"][fmt] = export_time(folder, fmt, tmp)
            results.append(row)
            print(f"measured {kind} {size:,}", file=sys.stderr, flush=True)
            subprocess.run(["rm", "-rf", str(folder)], check=False)

    def what(row: dict[str, Any]) -> str:
        if row["kind"] == "spans":
            return f"1 article, {row['size']:,} spans"
        return f"{row['size']:,} articles, {row['spans']:,} spans"

    print(f"{'project':<32} {'open':>8} {'target':>7} {'peak':>8} {'target':>8}")
    for row in results:
        seconds, memory = row["open_target"]
        flag = "" if row["open"] <= seconds and row["peak_mb"] <= memory else "  MISSED"
        print(
            f"{what(row):<32} {row['open']:>7.2f}s {seconds:>6.1f}s "
            f"{row['peak_mb']:>6.0f}MB {memory:>6.0f}MB{flag}"
        )
    print()
    print(f"{'export (whole process), s':<32} " + " ".join(f"{f:>11}" for f in formats))
    for row in results:
        cells = []
        for fmt in formats:
            took = row["exports"][fmt]
            target = export_target(fmt, row["spans"])
            mark = "" if took is not None and took <= target else "!"
            cells.append(f"{'>' + str(TIMEOUT) if took is None else f'{took:.2f}'}{mark:1}")
        print(f"{what(row):<32} " + " ".join(f"{c:>11}" for c in cells))
    print(
        f"\n! over its target: {DEFAULT_EXPORT_PER_SPAN * 50_000:g} s per 50,000 spans "
        f"(spaCy and Hugging Face 5 s), never under 1 s (those two 3 s). Calibration "
        f"{calibration:.3f} s, "
        f"load average {load:.2f}, one run each."
    )
    if args.json:
        args.json.write_text(
            json.dumps({"calibration": calibration, "load": load, "rows": results}, indent=2),
            encoding="utf-8",
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
