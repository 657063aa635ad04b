"""Krippendorff's unitizing α (uα): agreement on where each label's spans begin and
end, measured on the characters themselves, not on tokens.

This is the α of Krippendorff (2004, *Content Analysis*, 2nd ed., §12.4; the measure
of 1995, "On the reliability of unitizing continuous data"), the one INCEpTION and
DKPro Statistics call "Krippendorff's α (unitizing)". For one label, each annotator
cuts a document into *units* (their spans of that label) and the *gaps* between them.
Observed disagreement sums, over every pair of annotators and every pair of their
segments that overlap, the squared differences of both ends when both are units, the
squared length of a unit that lies inside the other's gap, and nothing otherwise.
Expected disagreement is the mean of that distance over every placement of the same
units into the same gaps. α = 1 − D_o / D_e, per label, and over several labels from
the sums of both.

Documents are separate continua laid end to end: a gap never runs from one document
into the next, and over several documents units may fall into any document's gaps.
Two overlapping spans of one label by one annotator are one unit (their union), as
the measure allows no overlap within one annotator's label. Everything is computed
on numpy arrays, for all documents at once. Tests check the published worked
examples of Krippendorff 1995 and 2004, and the observed disagreement against its
definition, pair of segments by pair of segments.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import Any

Unit = tuple[int, int]  # start, end (end exclusive) within one document


@dataclass
class Disagreement:
    """One label's observed and expected disagreement, per document (arrays) and over
    all the documents together, with how many units (spans) each stands on."""

    observed: Any
    expected: Any
    units: Any
    total_observed: float
    total_expected: float
    total_units: int


def label_disagreement(lengths: Sequence[int], raters: Sequence[Any]) -> Disagreement:
    """``lengths``: each document's length; ``raters[r]``: annotator r's units of the
    label, an int array of rows (document index, start, end) in code points, end
    exclusive, inside the document."""
    import numpy as np

    m = len(raters)
    docs = len(lengths)
    offsets = np.zeros(docs + 1, dtype=np.int64)
    np.cumsum(np.asarray(lengths, dtype=np.int64), out=offsets[1:])
    cut = [_segments(units, offsets) for units in raters]
    observed = np.zeros(docs)
    for a, b in combinations(cut, 2):
        observed += 2.0 * _observed(a, b, offsets)  # both orders of the pair
    seg_doc = np.concatenate([np.searchsorted(offsets, s, "right") - 1 for s, _e, _u in cut])
    seg_len = np.concatenate([(e - s) for s, e, _u in cut]).astype(np.float64)
    seg_unit = np.concatenate([u for _s, _e, u in cut])
    udoc, ulen = seg_doc[seg_unit], seg_len[seg_unit]
    gdoc, glen = seg_doc[~seg_unit], seg_len[~seg_unit]
    length = np.asarray(lengths, dtype=np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        per_doc_o = observed / (m * (m - 1) * length * length)
    per_doc_e = _expected(udoc, ulen, gdoc, glen, length, m)
    total = float(length.sum())
    one = np.zeros(len(udoc), dtype=np.int64)
    total_e = float(_expected(one, ulen, np.zeros(len(gdoc), np.int64), glen, [total], m)[0])
    total_o = float(observed.sum()) / (m * (m - 1) * total * total) if total else 0.0
    units = np.bincount(udoc, minlength=docs)
    return Disagreement(per_doc_o, per_doc_e, units, total_o, total_e, int(units.sum()))


def _segments(units: Any, offsets: Any) -> tuple[Any, Any, Any]:
    """One annotator's documents cut into units and gaps, on the continuum of all the
    documents: (starts, ends, is a unit). A document's end always cuts."""
    import numpy as np

    rows: Any = np.asarray(units, dtype=np.int64).reshape(-1, 3)
    rows = rows[rows[:, 2] > rows[:, 1]]
    spans: Any = rows[:, 1:] + offsets[rows[:, 0]][:, None]
    spans = spans[np.lexsort((spans[:, 1], spans[:, 0]))]
    starts, ends = spans[:, 0], spans[:, 1]
    if len(spans):  # join overlapping units (touching ones stay two)
        reach = np.maximum.accumulate(ends)
        first = np.ones(len(spans), dtype=bool)
        first[1:] = starts[1:] >= reach[:-1]
        at = np.flatnonzero(first)
        starts, ends = starts[at], np.maximum.reduceat(ends, at)
    cuts = np.unique(np.concatenate([offsets, starts, ends]))
    seg_start, seg_end = cuts[:-1], cuts[1:]
    return seg_start, seg_end, np.isin(seg_start, starts)


def _observed(a: tuple[Any, Any, Any], b: tuple[Any, Any, Any], offsets: Any) -> Any:
    """Per document, the distances of every overlapping pair of segments of two
    annotators: each such pair meets in exactly one piece between two cuts."""
    import numpy as np

    (s1, e1, u1), (s2, e2, u2) = a, b
    pieces = np.union1d(s1, s2)
    i = np.searchsorted(s1, pieces, "right") - 1
    j = np.searchsorted(s2, pieces, "right") - 1
    s1, e1, u1, s2, e2, u2 = s1[i], e1[i], u1[i], s2[j], e2[j], u2[j]
    f1, f2 = s1.astype(np.float64), s2.astype(np.float64)
    g1, g2 = e1.astype(np.float64), e2.astype(np.float64)
    both = u1 & u2
    inside_gap_2 = u1 & ~u2 & (s2 <= s1) & (e1 <= e2)
    inside_gap_1 = u2 & ~u1 & (s1 <= s2) & (e2 <= e1)
    d = np.where(both, (f1 - f2) ** 2 + (g1 - g2) ** 2, 0.0)
    d += np.where(inside_gap_2, (g1 - f1) ** 2, 0.0)
    d += np.where(inside_gap_1, (g2 - f2) ** 2, 0.0)
    doc = np.searchsorted(offsets, pieces, "right") - 1
    return np.bincount(doc, weights=d, minlength=len(offsets) - 1)


def _expected(udoc: Any, ulen: Any, gdoc: Any, glen: Any, lengths: Any, m: int) -> Any:
    """Expected disagreement per document (Krippendorff 2004): every unit placed at
    every position of every gap at least as long, of the same document."""
    import numpy as np

    lengths = np.asarray(lengths, dtype=np.float64)
    docs = len(lengths)
    wide = float(max(lengths.max(initial=0.0), 1.0)) + 2.0  # a document's key space
    gkey = gdoc * wide + glen
    order = np.argsort(gkey, kind="stable")
    gkey, glen = gkey[order], glen[order]
    before = np.concatenate([[0.0], np.cumsum(glen)])  # sum of the gaps before k
    end = np.searchsorted(gkey, (np.arange(docs) + 1) * wide, "left")
    k = np.searchsorted(gkey, udoc * wide + ulen, "left")  # the first gap that fits
    stop = end[udoc]
    fits = stop - k
    placements = (before[stop] - before[k]) - fits * (ulen - 1.0)
    n = np.bincount(udoc, minlength=docs).astype(np.float64)
    within = (n[udoc] - 1.0) * (2 * ulen**3 - 3 * ulen**2 + ulen) / 3.0
    numerator = np.bincount(udoc, weights=within + ulen * ulen * placements, minlength=docs)
    squares = np.bincount(udoc, weights=ulen * (ulen - 1.0), minlength=docs)
    denominator = m * lengths * (m * lengths - 1.0) - squares
    with np.errstate(invalid="ignore", divide="ignore"):
        out = 2.0 / lengths * numerator / denominator
    return np.where((denominator > 0) & (lengths > 0), out, 0.0)


def alpha(observed: float, expected: float) -> float | None:
    """1 − D_o / D_e; None where nothing could be expected (no units at all)."""
    return 1.0 - observed / expected if expected > 0 else None


def unitized_alpha(length: int, raters: Sequence[Sequence[Unit]]) -> float | None:
    """uα of one label in one document: ``raters`` holds each annotator's units."""
    rows = [[(0, start, end) for start, end in units] for units in raters]
    found = label_disagreement([length], rows)
    return alpha(found.total_observed, found.total_expected)
