"""How many decisions a reviewer faces: python benchmarks/decisions.py [--sizes 3,20,50]

Issue 30's target: confirming every suggestion the aligners make takes at most 10
decisions per article, flat from 20 to 200 articles. For each size, a project of that
many reports of one event (the seed reports, or the bundled sample when they are
absent, each copy with its figures varied so that the aligners find agreements and
disagreements) gets the suggesters a fact-checker runs (quotes, claims, then the three
aligners), and the pending suggestions are counted: spans and links, each one key in
the Review queue today. Prints size, spans, links by type, decisions per article and
the seconds the suggesters took.
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SUGGESTERS = ("quotes", "claims", "align-entities", "align-quotes", "align-claims")
VARIANTS = (("six times", "several times", "five times"), ("140", "about 140", "150"))


def make_project(folder: Path, count: int) -> None:
    from annotator.resources import resource_path

    seeds = ROOT.parent / "shared" / "seeds"
    source = seeds if seeds.is_dir() and any(seeds.glob("*.txt")) else resource_path("sample")
    texts = [p.read_text("utf-8") for p in sorted(source.glob("*.txt"))]
    rng = random.Random(count)
    folder.mkdir(parents=True)
    for n in range(count):
        text = texts[n % len(texts)]
        for choices in VARIANTS:
            text = text.replace(choices[0], rng.choice(choices))
        (folder / f"report{n:03}.txt").write_text(text + f"\n\nReport {n}.\n", encoding="utf-8")


def count_pending(folder: Path) -> tuple[int, Counter[str], int]:
    """Pending spans, pending links by type, and the rows of the comparison (with
    suggestions) that hold anything pending: one key each in the Compare matrix."""
    from annotator.io.load import open_project
    from annotator.ops.comparing import comparison

    project, _report = open_project(folder)
    spans = sum(
        1 for d in project.documents for s in d.spans() if s.status == "pending" and s.is_suggestion
    )
    links = Counter(r.type for r in project.relations() if r.status == "pending")
    rows = 0
    for row in comparison(project, pending=True).rows:
        members = set(row.members())
        if any(
            (s := project.span_of(k)) is not None and s.status == "pending" for k in members
        ) or any(r.status == "pending" for k in members for r in project.relations_of(*k)):
            rows += 1
    return spans, links, rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="3,20,50")
    opts = parser.parse_args()
    head = ("articles", "spans", "links", "per article", "rows", "by row", "seconds")
    print("{:>8} {:>7} {:>7} {:>11} {:>6} {:>7} {:>8}  links by type".format(*head))
    with tempfile.TemporaryDirectory() as tmp:
        for size in (int(s) for s in opts.sizes.split(",")):
            folder = Path(tmp) / f"p{size}"
            make_project(folder, size)
            start = time.perf_counter()
            for extractor in SUGGESTERS:
                subprocess.run(
                    [sys.executable, "-m", "annotator", "suggest", str(folder), "-e", extractor],
                    capture_output=True,
                    check=True,
                )
            took = time.perf_counter() - start
            spans, links, rows = count_pending(folder)
            total = spans + sum(links.values())
            kinds = ", ".join(f"{k} {n}" for k, n in links.most_common())
            each, by_row = total / size, rows / size
            print(
                f"{size:8} {spans:7} {sum(links.values()):7} {each:11.1f} {rows:6} {by_row:7.1f}"
                f" {took:8.1f}  {kinds}"
            )
    print("per article: one key per pending span and link (the Review queue);")
    print("by row: one key per comparison row holding anything pending (A in the matrix)")
    print("target: at most 10 decisions per article, flat from 20 to 200 articles")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
