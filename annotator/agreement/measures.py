"""The agreement measures, on plain values: span matching, Cohen's and Fleiss' κ,
Krippendorff's α.

κ is computed here from its definition with numpy (tests compare it with
scikit-learn's ``cohen_kappa_score`` and statsmodels' ``fleiss_kappa``); α is the
``krippendorff`` library's, always at the nominal level (its default is interval),
and tests compare it with NLTK's. A figure that is undefined (every unit in one
category, so chance agreement is total) is ``None``, never a made-up 0 or 1.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Hashable, Sequence
from dataclasses import dataclass

Mark = tuple[int, int, str]


@dataclass
class Counts:
    """Matches of a response against a reference: true and false positives, misses."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, other: Counts) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    @property
    def f1(self) -> float | None:
        total = 2 * self.tp + self.fp + self.fn
        return 2 * self.tp / total if total else None

    @property
    def items(self) -> int:
        """How many spans the figures stand on: matched pairs plus unmatched ones."""
        return self.tp + self.fp + self.fn


def exact_matches(reference: Sequence[Mark], response: Sequence[Mark]) -> Counts:
    """Spans equal in start, end and label (each span matched at most once)."""
    ref = Counter(reference)
    res = Counter(response)
    tp = sum((ref & res).values())
    return Counts(tp, len(response) - tp, len(reference) - tp)


def overlap_pairs(reference: Sequence[Mark], response: Sequence[Mark]) -> list[tuple[int, int]]:
    """One-to-one pairs (indexes) of spans with the same label that share at least one
    character, the largest overlaps first (ties: the earliest spans)."""
    candidates = []
    by_label: dict[str, list[int]] = {}
    for j, (_s, _e, label) in enumerate(response):
        by_label.setdefault(label, []).append(j)
    for i, (s1, e1, label) in enumerate(reference):
        for j in by_label.get(label, ()):
            s2, e2, _ = response[j]
            shared = min(e1, e2) - max(s1, s2)
            if shared > 0:
                candidates.append((-shared, i, j))
    candidates.sort()
    used_i: set[int] = set()
    used_j: set[int] = set()
    pairs = []
    for _neg, i, j in candidates:
        if i not in used_i and j not in used_j:
            used_i.add(i)
            used_j.add(j)
            pairs.append((i, j))
    return pairs


def overlap_matches(reference: Sequence[Mark], response: Sequence[Mark]) -> Counts:
    """Spans with the same label that overlap, matched one to one."""
    tp = len(overlap_pairs(reference, response))
    return Counts(tp, len(response) - tp, len(reference) - tp)


def cohen_kappa(first: Sequence[Hashable], second: Sequence[Hashable]) -> float | None:
    """Cohen's κ of two annotators' categories for the same units."""
    n = len(first)
    if n == 0 or n != len(second):
        return None
    observed = sum(a == b for a, b in zip(first, second, strict=True)) / n
    ca, cb = Counter(first), Counter(second)
    expected = sum(ca[k] * cb[k] for k in ca) / (n * n)
    if math.isclose(expected, 1.0):
        return None
    return (observed - expected) / (1 - expected)


def fleiss_kappa(rows: Sequence[Sequence[Hashable]]) -> float | None:
    """Fleiss' κ: ``rows`` holds, per unit, the category each annotator gave (every
    unit rated by the same number of annotators, at least two)."""
    if not rows:
        return None
    raters = len(rows[0])
    if raters < 2 or any(len(r) != raters for r in rows):
        return None
    totals: Counter[Hashable] = Counter()
    p_units = 0.0
    for row in rows:
        counts = Counter(row)
        totals.update(counts)
        p_units += (sum(c * c for c in counts.values()) - raters) / (raters * (raters - 1))
    n = len(rows)
    observed = p_units / n
    expected = sum((c / (n * raters)) ** 2 for c in totals.values())
    if math.isclose(expected, 1.0):
        return None
    return (observed - expected) / (1 - expected)


def nominal_alpha(rows: Sequence[Sequence[Hashable | None]]) -> float | None:
    """Krippendorff's α (nominal): ``rows`` holds, per unit, each annotator's category
    or None where that annotator did not see the unit."""
    import numpy as np

    # Units fewer than two annotators saw carry no pairs: α does not use them.
    rows = [row for row in rows if sum(v is not None for v in row) >= 2]
    codes: dict[Hashable, int] = {}
    data = np.full((len(rows[0]) if rows else 0, len(rows)), np.nan)
    for u, row in enumerate(rows):
        for a, value in enumerate(row):
            if value is not None:
                data[a, u] = codes.setdefault(value, len(codes))
    if len(codes) < 2:
        return None  # one value in every pair: α is 0/0
    import krippendorff

    with np.errstate(invalid="ignore", divide="ignore"):
        value = float(krippendorff.alpha(reliability_data=data, level_of_measurement="nominal"))
    return None if math.isnan(value) else value
