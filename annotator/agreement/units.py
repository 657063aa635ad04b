"""Token units: what each annotator said about each token someone marked.

κ and α need units that every annotator judged. A unit here is a token (the
``simple`` tokenizer of the token exports) inside a span of any annotator, cut at
every span edge of every annotator, so each annotator either covers a unit whole or
not at all. Each annotator's value for a unit is the set of labels covering it (none:
"nothing here", the category ``O``; several: ``claim+quote``), or no value for a
document that annotator did not see. Tokens nobody marked are not units: counting
them would let the mass of unmarked text inflate κ.

The units come as arrays (:class:`Units`), built in one pass: every figure of the
report is a slice of them.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from typing import Any

from annotator.agreement.layers import Corpus
from annotator.formats.tokens import split_at, tokenize

NONE = 0  # the category code of "nothing here" (O)


@dataclass
class Units:
    """``cats`` (units × layers): each layer's category code, -1 where it did not see
    the unit, :data:`NONE` where it marked nothing; ``marks`` (units × layers × labels):
    whether the layer put that label there; ``docs``: each document's slice of the
    units (they come in document order); ``categories``: the code of each category."""

    cats: Any
    marks: Any
    docs: dict[str, slice]
    categories: dict[str, int]

    def __len__(self) -> int:
        return len(self.cats)


def units(corpus: Corpus) -> Units:  # noqa: C901
    """Long on purpose: the unit table built in one pass; the closures share its arrays and
    category codes.
    """
    import numpy as np

    layers = len(corpus.layers)
    label_bit = {label: 1 << k for k, label in enumerate(corpus.labels)}
    categories: dict[str, int] = {"O": NONE}
    names: dict[int, int] = {0: NONE}  # label bits → category code

    def category(bits: int) -> int:
        code = names.get(bits)
        if code is None:
            name = "+".join(lb for lb, bit in label_bit.items() if bits & bit)
            code = names[bits] = categories.setdefault(name, len(categories))
        return code

    flat_bits: list[int] = []  # units × layers, -1: not seen
    docs: dict[str, slice] = {}
    for doc_id, text in corpus.texts.items():
        seen = [layer.saw(doc_id) for layer in corpus.layers]
        marks = [
            (i, mark)
            for i, layer in enumerate(corpus.layers)
            if seen[i]
            for mark in layer.marks(doc_id)
            if mark[2] in label_bit
        ]
        if not marks:
            continue
        cuts = sorted({p for _i, (s, e, _l) in marks for p in (s, e)})
        tokens: list[tuple[int, int]] = []
        for start, end in _regions(sorted((s, e) for _i, (s, e, _l) in marks)):
            piece = text[start:end]
            inner = [c - start for c in cuts[bisect_right(cuts, start) : bisect_left(cuts, end)]]
            tokens.extend(
                (start + s, start + e) for s, e in split_at(tokenize(piece), inner, piece)
            )
        if not tokens:
            continue
        starts = [s for s, _e in tokens]
        bits = [0] * (len(tokens) * layers)
        for i, (s, e, label) in marks:
            bit = label_bit[label]
            k = bisect_left(starts, s)
            while k < len(tokens) and tokens[k][1] <= e:
                bits[k * layers + i] |= bit
                k += 1
        first = len(flat_bits) // layers
        for k in range(len(tokens)):
            row = bits[k * layers : (k + 1) * layers]
            if any(row):
                flat_bits.extend(b if seen[i] else -1 for i, b in enumerate(row))
        if len(flat_bits) // layers > first:
            docs[doc_id] = slice(first, len(flat_bits) // layers)
    table = np.array(flat_bits, dtype=np.int64).reshape(-1, layers)
    cats = np.full(table.shape, -1, dtype=np.int64)
    for value in np.unique(table):
        if value >= 0:
            cats[table == value] = category(int(value))
    label_bits = np.array([label_bit[lb] for lb in corpus.labels] or [0], dtype=np.int64)
    marks = (table[:, :, None] >= 0) & ((table[:, :, None] & label_bits) != 0)
    return Units(cats, marks, docs, categories)


def _regions(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[list[int]] = []
    for s, e in ranges:
        if merged and s <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    return [(s, e) for s, e in merged]
