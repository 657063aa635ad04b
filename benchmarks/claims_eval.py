"""How well the ``claims`` extractor picks check-worthy sentences of the seed articles.

    python benchmarks/claims_eval.py [--seeds ../shared/seeds]

Compares the extractor's suggestions with ``tests/data/claims_gold.json`` (sentences
judged by hand, offsets only) and prints precision and recall at several score
thresholds, plus the share of check-worthy sentences (the precision of suggesting
every sentence). Used by ``tests/extract/test_claims.py`` and ``docs/extractors.md``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from annotator.extract.claims import DEFAULT_MIN_SCORE, ClaimExtractor  # noqa: E402

GOLD = ROOT / "tests" / "data" / "claims_gold.json"
SEEDS = ROOT.parent / "shared" / "seeds"


@dataclass(frozen=True)
class Scores:
    threshold: float
    suggested: int
    correct: int
    checkworthy: int
    sentences: int

    @property
    def precision(self) -> float:
        return self.correct / self.suggested if self.suggested else 1.0

    @property
    def recall(self) -> float:
        return self.correct / self.checkworthy if self.checkworthy else 1.0


def evaluate(seeds: Path, threshold: float) -> Scores:
    gold = json.loads(GOLD.read_text(encoding="utf-8"))["files"]
    suggested = correct = checkworthy = total = 0
    for name, entry in gold.items():
        text = (seeds / name).read_text(encoding="utf-8")
        if hashlib.sha256(text.encode()).hexdigest() != entry["sha256"]:
            raise SystemExit(f"{name} changed since it was judged; judge it again")
        good = {tuple(r) for r in entry["checkworthy"]}
        checkworthy += len(good)
        total += len(good) + len(entry["other"])
        for cand in ClaimExtractor(min_score=threshold).extract(text):
            suggested += 1
            correct += (cand.start, cand.end) in good
    return Scores(threshold, suggested, correct, checkworthy, total)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=Path, default=SEEDS)
    args = parser.parse_args()
    if not args.seeds.is_dir():
        raise SystemExit(f"no seed articles at {args.seeds}")
    print(f"{'threshold':>9} {'suggested':>9} {'correct':>7} {'precision':>9} {'recall':>6}")
    base = None
    for t in (0.3, 0.4, DEFAULT_MIN_SCORE, 0.6, 0.7, 0.8, 0.9):
        s = evaluate(args.seeds, t)
        base = s
        mark = "  (default)" if t == DEFAULT_MIN_SCORE else ""
        print(
            f"{t:>9.2f} {s.suggested:>9} {s.correct:>7} {s.precision:>9.0%} {s.recall:>6.0%}{mark}"
        )
    assert base is not None
    print(
        f"{base.checkworthy} of {base.sentences} sentences are check-worthy "
        f"({base.checkworthy / base.sentences:.0%}: the precision of suggesting every sentence)"
    )


if __name__ == "__main__":
    main()
