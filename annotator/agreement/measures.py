"""The agreement measures, on plain values: span matching, Cohen's and Fleiss' κ,
Krippendorff's α.

κ is computed here from its definition with numpy (tests compare it with
scikit-learn's ``cohen_kappa_score`` and statsmodels' ``fleiss_kappa``, and Fleiss'
κ with annotators missing with Gwet's published example); α is the
``krippendorff`` library's, always at the nominal level (its default is interval),
and tests compare it with NLTK's. A figure that is undefined (every unit in one
category, so chance agreement is total) is ``None``, never a made-up 0 or 1.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Any

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


def prf(counts: Counts) -> dict[str, Any]:
    return {
        "precision": counts.precision,
        "recall": counts.recall,
        "f1": counts.f1,
        "matched": counts.tp,
        "only_reference": counts.fn,
        "only_other": counts.fp,
    }


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
    """Spans with the same label that overlap, matched one to one: equal spans first,
    then the rest by :func:`overlap_pairs`."""
    return matches(reference, response)[1]


def matches(reference: Sequence[Mark], response: Sequence[Mark]) -> tuple[Counts, Counts]:
    """Exact and overlapping matches of ``response`` against ``reference`` at once."""
    left, right = set(reference), set(response)
    if len(left) == len(reference) and len(right) == len(response):  # no duplicates
        same = left & right
        rest_ref = [m for m in reference if m not in same]
        rest_res = [m for m in response if m not in same]
        equal = len(same)
    else:
        lc, rc = Counter(reference), Counter(response)
        common = lc & rc
        rest_ref = list((lc - common).elements())
        rest_res = list((rc - common).elements())
        equal = sum(common.values())
    near = equal + (len(overlap_pairs(rest_ref, rest_res)) if rest_ref and rest_res else 0)
    exact = Counts(equal, len(response) - equal, len(reference) - equal)
    return exact, Counts(near, len(response) - near, len(reference) - near)


def _coded(columns: Sequence[Sequence[Hashable | None]]) -> tuple[Any, int]:
    """The values as an int array (units × columns), -1 for None, and how many
    distinct values there are."""
    import numpy as np

    codes: dict[Hashable, int] = {}
    n = len(columns[0]) if columns else 0
    out = np.full((n, len(columns)), -1, dtype=np.int64)
    for k, column in enumerate(columns):
        out[:, k] = [-1 if v is None else codes.setdefault(v, len(codes)) for v in column]
    return out, len(codes)


def cohen_kappa(first: Sequence[Hashable], second: Sequence[Hashable]) -> float | None:
    """Cohen's κ of two annotators' categories for the same units."""
    if not first or len(first) != len(second):
        return None
    coded, _k = _coded([first, second])
    return kappa_coded(coded[:, 0], coded[:, 1])


def kappa_coded(first: Any, second: Any) -> float | None:
    """Cohen's κ of two int arrays of category codes (0, 1, …)."""
    import numpy as np

    n = len(first)
    if n == 0:
        return None
    k = int(max(first.max(), second.max())) + 1
    table = np.bincount(first * k + second, minlength=k * k).reshape(k, k)
    observed = float(np.trace(table)) / n
    expected = float(table.sum(axis=1) @ table.sum(axis=0)) / (n * n)
    if math.isclose(expected, 1.0):
        return None
    return float((observed - expected) / (1 - expected))


def fleiss_kappa(rows: Sequence[Sequence[Hashable | None]]) -> float | None:
    """Fleiss' κ: ``rows`` holds, per unit, the category each annotator gave, or None
    where that annotator did not rate the unit (see :func:`fleiss_coded`)."""
    if not rows or len(rows[0]) < 2 or any(len(r) != len(rows[0]) for r in rows):
        return None
    coded, _k = _coded([[row[r] for row in rows] for r in range(len(rows[0]))])
    return fleiss_coded(coded)


def fleiss_coded(matrix: Any) -> float | None:
    """Fleiss' κ of an int array (units × annotators) of category codes, -1 where an
    annotator did not rate a unit.

    With every unit rated by everyone this is Fleiss (1971). With gaps it is Fleiss'
    generalised κ (Gwet 2014, §2.4; R's and Python's ``irrCAC``): observed agreement
    averaged over the units two or more rated, and each category's chance share the
    mean over rated units of its share of that unit's ratings.
    """
    import numpy as np

    n, raters = matrix.shape
    if n == 0 or raters < 2 or matrix.max() < 0:
        return None
    k = int(matrix.max()) + 1
    counts = np.zeros((n, k), dtype=np.int64)
    for r in range(raters):
        rated = matrix[:, r] >= 0
        np.add.at(counts, (np.flatnonzero(rated), matrix[rated, r]), 1)
    per_unit = counts.sum(axis=1)
    counts, per_unit = counts[per_unit > 0], per_unit[per_unit > 0]
    pairs = per_unit >= 2
    if not pairs.any():
        return None
    agreeing = (counts[pairs] * (counts[pairs] - 1)).sum(axis=1)
    observed = float((agreeing / (per_unit[pairs] * (per_unit[pairs] - 1))).mean())
    shares = (counts / per_unit[:, None]).mean(axis=0)
    expected = float((shares * shares).sum())
    if math.isclose(expected, 1.0):
        return None
    return float((observed - expected) / (1 - expected))


def nominal_alpha(rows: Sequence[Sequence[Hashable | None]]) -> float | None:
    """Krippendorff's α (nominal): ``rows`` holds, per unit, each annotator's category
    or None where that annotator did not see the unit."""
    if not rows:
        return None
    coded, _k = _coded([[row[a] for row in rows] for a in range(len(rows[0]))])
    return alpha_coded(coded)


def alpha_coded(matrix: Any) -> float | None:
    """Krippendorff's α (nominal, by the ``krippendorff`` library) of an int array
    (units × annotators) of category codes, -1 where an annotator did not see a unit."""
    import numpy as np

    # Units fewer than two annotators saw carry no pairs: α does not use them.
    matrix = matrix[(matrix >= 0).sum(axis=1) >= 2]
    if len(matrix) == 0 or len(np.unique(matrix[matrix >= 0])) < 2:
        return None  # one value in every pair: α is 0/0
    data = np.where(matrix >= 0, matrix, np.nan).T.astype(float)
    import krippendorff

    with np.errstate(invalid="ignore", divide="ignore"):
        value = float(krippendorff.alpha(reliability_data=data, level_of_measurement="nominal"))
    return None if math.isnan(value) else value
