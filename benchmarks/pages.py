"""How importing saved pages grows: python benchmarks/pages.py [--sizes 3,30,200,500]

Issue 28's target: 500 saved pages import in at most 30 s from launch. Each size is a
folder of generated news pages of a real page's weight, about 300 KB (tests/pages/kit.py's
template with ``heavy``: cookie banner, a mega-menu, a script's JSON state, share
tools, a wall of related links, comments) around the bundled
sample's three reports, each page's text varied so none is a duplicate; one
``annotator import PROJECT FOLDER --format html`` process is timed from its start,
as a user runs it. A PDF row times ``--format pdf`` on two-column PDFs of the same
reports (they take longer: layout analysis). Prints size, measurement, seconds
(median of ``--runs``), per page, target and verdict.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGETS = {500: 30.0}  # seconds, html import from launch


def make_folder(folder: Path, count: int, kind: str) -> None:
    from annotator.resources import resource_path
    from tests.pages import kit

    folder.mkdir(parents=True)
    reports = [p.read_text("utf-8") for p in sorted(resource_path("sample").glob("*.txt"))]
    for n in range(count):
        base = kit.from_text(reports[n % len(reports)], f"Outlet {n}", n)
        article = kit.Article(
            base.outlet,
            f"{base.title} ({n})",
            tuple(f"{p} (Report {n}.)" for p in base.paragraphs),
            url=f"https://outlet{n}.example/news/{n}",
        )
        if kind == "html":
            page = kit.page(article, heavy=True)
            (folder / f"page{n:04}.html").write_text(page, encoding="utf-8")
        else:
            kit.two_column_pdf(
                folder / f"doc{n:04}.pdf", article.title, list(article.paragraphs), "HEAD"
            )


def time_import(folder: Path, project: Path, fmt: str) -> float:
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "annotator", "import", str(project), str(folder), "-f", fmt],
        capture_output=True,
        text=True,
        check=False,
    )
    took = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"import failed: {done.stderr[-2000:]}")
    return took


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="3,30,200,500")
    parser.add_argument("--pdf-sizes", default="3,30")
    parser.add_argument("--runs", type=int, default=3)
    opts = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for kind, sizes in (("html", opts.sizes), ("pdf", opts.pdf_sizes)):
            for size in (int(s) for s in sizes.split(",") if s):
                folder = Path(tmp) / f"{kind}-{size}"
                make_folder(folder, size, kind)
                times = [
                    time_import(folder, Path(tmp) / f"p-{kind}-{size}-{run}", kind)
                    for run in range(opts.runs)
                ]
                rows.append((kind, size, statistics.median(times), max(times) - min(times)))
    head = ("kind", "pages", "import s", "spread", "per page", "target")
    print("{:5} {:>6} {:>9} {:>7} {:>9} {:>7}  verdict".format(*head))
    for kind, size, took, spread in rows:
        target = TARGETS.get(size) if kind == "html" else None
        verdict = "" if target is None else ("ok" if took <= target else "MISSED")
        shown = f"{target:.0f}" if target else "-"
        each = f"{took / size * 1000:.0f}ms"
        print(f"{kind:5} {size:6} {took:9.2f} {spread:7.2f} {each:>9} {shown:>7}  {verdict}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
