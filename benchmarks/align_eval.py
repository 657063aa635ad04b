"""How well the aligners find what a person would link, on three sets of articles.

    python benchmarks/align_eval.py [--seeds ../shared/seeds] [--min-score ALIGNER=X ...]

Compares what ``align-entities``, ``align-quotes`` and ``align-claims`` propose on an
empty project with ``tests/data/alignment_gold.json`` (judged by hand, offsets only):
the seed articles, the sample corpus and the ferry set in ``tests/data/alignment``.
A proposed pair counts as correct when both ends fall on a judged unit: for entities
the written form in its document (a cluster's pairs, within and across documents);
for quotes the quote (pairs across documents); for claims the sentence, and "typed"
also asks for the right link type. ``same`` links are taken with what they imply
(a → b and b → c give a → c). Used by ``tests/extract/test_align_eval.py`` and
``docs/extractors.md``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import sys
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from annotator.core.suggestions import Alignment, Mention  # noqa: E402
from annotator.extract import load  # noqa: E402
from annotator.extract.names import fold  # noqa: E402
from annotator.io.load import open_project  # noqa: E402

GOLD = ROOT / "tests" / "data" / "alignment_gold.json"
SEEDS = ROOT.parent / "shared" / "seeds"
ALIGNERS = ("align-entities", "align-quotes", "align-claims")

Unit = tuple[str, int, int]  # file, start, end


@dataclass(frozen=True)
class Scores:
    set: str
    aligner: str
    gold: int
    proposed: int
    correct: int  # proposed pairs that are right
    found: int  # gold pairs found
    typed: int | None = None  # claims: gold pairs found with the right type

    @property
    def precision(self) -> float:
        return self.correct / self.proposed if self.proposed else 1.0

    @property
    def recall(self) -> float:
        return self.found / self.gold if self.gold else 1.0

    @property
    def typed_recall(self) -> float | None:
        return None if self.typed is None else self.typed / self.gold if self.gold else 1.0


def folder_of(name: str, entry: dict, seeds: Path) -> Path:
    return seeds if name == "seeds" else (ROOT / entry["folder"]).resolve()


def evaluate(
    name: str, entry: dict, folder: Path, min_scores: dict[str, float] | None = None
) -> list[Scores]:
    texts = {f: (folder / f).read_text(encoding="utf-8") for f in entry["sha256"]}
    for f, text in texts.items():
        if hashlib.sha256(text.encode()).hexdigest() != entry["sha256"][f]:
            raise SystemExit(f"{name}/{f} changed since it was judged; judge it again")
    with tempfile.TemporaryDirectory() as tmp:
        for f in texts:
            shutil.copy(folder / f, Path(tmp) / f)
        project, _ = open_project(Path(tmp))
        file_of = {doc.id: _file(doc.id, texts) for doc in project.documents}
        out = []
        for aligner_name in ALIGNERS:
            options = (
                {}
                if not min_scores or aligner_name not in min_scores
                else {"min_score": min_scores[aligner_name]}
            )
            aligner = load(aligner_name, **options)
            found = aligner.align(project, list(project.documents))  # type: ignore[attr-defined]
            found = [_in_files(a, file_of) for a in found]
            key = aligner_name.split("-")[1]
            out.append(_score(name, aligner_name, key, entry[key], found, texts))
        return out


def _file(doc_id: str, texts: dict[str, str]) -> str:
    return next(f for f in texts if Path(f).stem == doc_id)


def _in_files(a: Alignment, file_of: dict[str, str]) -> Alignment:
    def m(x: Mention) -> Mention:
        return Mention(file_of[x.document], x.start, x.end, x.label)

    return Alignment(a.type, m(a.source), m(a.target), a.score, a.note)


def _closure(links: Iterable[tuple[Unit, Unit]]) -> set[frozenset[Unit]]:
    group: dict[Unit, set[Unit]] = {}
    for a, b in links:
        ga, gb = group.setdefault(a, {a}), group.setdefault(b, {b})
        if ga is not gb:
            ga |= gb
            for u in gb:
                group[u] = ga
    pairs: set[frozenset[Unit]] = set()
    for g in {id(g): g for g in group.values()}.values():
        pairs |= {frozenset(p) for p in combinations(sorted(g), 2)}
    return pairs


def _unit(m: Mention) -> Unit:
    return (m.document, m.start, m.end)


def _score(
    set_name: str, aligner: str, key: str, gold: list, found: list[Alignment], texts: dict[str, str]
) -> Scores:
    if key == "entities":

        def node(u: Unit) -> tuple[str, str]:
            return (u[0], fold(texts[u[0]][u[1] : u[2]]))

        gold_pairs = set()
        for cluster in gold:
            nodes = sorted({node(tuple(u)) for u in cluster})
            gold_pairs |= {frozenset(p) for p in combinations(nodes, 2)}
        links = [(node(_unit(a.source)), node(_unit(a.target))) for a in found if a.type == "same"]
        proposed = {p for p in _closure(links) if len(p) == 2}
        right = proposed & gold_pairs
        return Scores(set_name, aligner, len(gold_pairs), len(proposed), len(right), len(right))
    if key == "quotes":
        gold_pairs = [(tuple(a), tuple(b), "same") for a, b in gold]
        links = [(_unit(a.source), _unit(a.target)) for a in found]
        proposed = [(*sorted(p), "same") for p in _closure(links) if _across(p)]
        return _match(set_name, aligner, gold_pairs, proposed, share=0.0)
    gold_pairs = [(tuple(g["pair"][0]), tuple(g["pair"][1]), g["type"]) for g in gold]
    same = [(_unit(a.source), _unit(a.target)) for a in found if a.type == "same"]
    proposed = [(*sorted(p), "same") for p in _closure(same) if _across(p)]
    proposed += [(_unit(a.source), _unit(a.target), a.type) for a in found if a.type != "same"]
    return _match(set_name, aligner, gold_pairs, proposed, share=0.5, typed=True)


def _across(pair: frozenset[Unit]) -> bool:
    a, b = sorted(pair)
    return a[0] != b[0]


def _hits(unit: Unit, gold: Unit, share: float) -> bool:
    if unit[0] != gold[0]:
        return False
    common = min(unit[2], gold[2]) - max(unit[1], gold[1])
    return common > share * (gold[2] - gold[1]) if share else common > 0


def _match(
    set_name: str, aligner: str, gold: list, proposed: list, share: float, typed: bool = False
) -> Scores:
    def same_pair(p: tuple, g: tuple) -> bool:
        return (_hits(p[0], g[0], share) and _hits(p[1], g[1], share)) or (
            _hits(p[0], g[1], share) and _hits(p[1], g[0], share)
        )

    correct = sum(any(same_pair(p, g) for g in gold) for p in proposed)
    found = sum(any(same_pair(p, g) for p in proposed) for g in gold)
    right_type = sum(any(same_pair(p, g) and p[2] == g[2] for p in proposed) for g in gold)
    return Scores(
        set_name, aligner, len(gold), len(proposed), correct, found, right_type if typed else None
    )


def run(seeds: Path, min_scores: dict[str, float] | None = None) -> list[Scores]:
    gold = json.loads(GOLD.read_text(encoding="utf-8"))["sets"]
    out: list[Scores] = []
    for name, entry in gold.items():
        folder = folder_of(name, entry, seeds)
        if not folder.is_dir():
            print(f"({name}: no articles at {folder}; left out)", file=sys.stderr)
            continue
        out += evaluate(name, entry, folder, min_scores)
    return out


def table(scores: list[Scores]) -> str:
    lines = [
        "| set | aligner | judged pairs | proposed | correct | precision | recall | type right |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for s in scores:
        typed = "" if s.typed_recall is None else f"{s.typed}/{s.gold} ({s.typed_recall:.0%})"
        lines.append(
            f"| {s.set} | {s.aligner} | {s.gold} | {s.proposed} | {s.correct} | "
            f"{s.precision:.0%} | {s.recall:.0%} | {typed} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--seeds", type=Path, default=SEEDS)
    parser.add_argument("--min-score", action="append", default=[], metavar="ALIGNER=X")
    args = parser.parse_args()
    mins = {k: float(v) for k, v in (item.split("=", 1) for item in args.min_score)}
    print(table(run(args.seeds, mins)))


if __name__ == "__main__":
    main()
