"""Token units: what each annotator said about each token someone marked.

κ and α need units that every annotator judged. A unit here is a token (the
``simple`` tokenizer of the token exports) inside a span of any annotator, cut at
every span edge of every annotator, so each annotator either covers a unit whole or
not at all. Each annotator's value for a unit is the set of labels covering it (an
empty set: "nothing here"), or None for a document that annotator did not see.
Tokens nobody marked are not units: counting them would let the mass of unmarked
text inflate κ.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass

from annotator.agreement.layers import Corpus
from annotator.formats.tokens import split_at, tokenize

Value = frozenset[str] | None


@dataclass(frozen=True)
class Unit:
    document: str
    start: int
    end: int
    values: tuple[Value, ...]  # one per layer, in the corpus' order

    def category(self, layer: int) -> str | None:
        """The labels as one category (``claim+quote``; ``O`` for none)."""
        value = self.values[layer]
        if value is None:
            return None
        return "+".join(sorted(value)) if value else "O"


def units(corpus: Corpus) -> list[Unit]:
    out: list[Unit] = []
    for doc_id, text in corpus.texts.items():
        marks = [
            (i, mark)
            for i, layer in enumerate(corpus.layers)
            if layer.saw(doc_id)
            for mark in layer.marks(doc_id)
        ]
        if not marks:
            continue
        cuts = sorted({p for _i, (s, e, _l) in marks for p in (s, e)})
        tokens: list[tuple[int, int]] = []
        for start, end in _regions(sorted((s, e) for _i, (s, e, _l) in marks)):
            piece = text[start:end]
            inner = [c - start for c in cuts if start < c < end]
            tokens.extend(
                (start + s, start + e) for s, e in split_at(tokenize(piece), inner, piece)
            )
        starts = [s for s, _e in tokens]
        labels: list[list[set[str]]] = [[set() for _ in corpus.layers] for _ in tokens]
        for i, (s, e, label) in marks:
            k = bisect_left(starts, s)
            while k < len(tokens) and tokens[k][1] <= e:
                labels[k][i].add(label)
                k += 1
        seen = [layer.saw(doc_id) for layer in corpus.layers]
        for (s, e), sets in zip(tokens, labels, strict=True):
            values = tuple(
                frozenset(found) if saw else None for found, saw in zip(sets, seen, strict=True)
            )
            if any(values):
                out.append(Unit(doc_id, s, e, values))
    return out


def _regions(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[list[int]] = []
    for s, e in ranges:
        if merged and s <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    return [(s, e) for s, e in merged]
