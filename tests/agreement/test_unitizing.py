"""Krippendorff's unitizing α against the published worked examples (Krippendorff
1995, p. 57, and 2004, p. 254; the values DKPro Statistics tests against), and its
observed disagreement against the definition, pair of segments by pair of segments."""

from __future__ import annotations

from itertools import combinations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.agreement.layers import Corpus, Layer
from annotator.agreement.report import agreement_report
from annotator.agreement.unitizing import Disagreement, alpha, label_disagreement, unitized_alpha


def _one(length: int, *raters: list[tuple[int, int]]) -> Disagreement:
    """One document: each rater's units as (start, length)."""
    return label_disagreement(
        [length], [[(0, start, start + size) for start, size in units] for units in raters]
    )


def test_krippendorff_2004_example() -> None:
    # The continuum runs from 150 to 450; shifted here to start at 0.
    def shifted(units: list[tuple[int, int]]) -> list[tuple[int, int]]:
        return [(start - 150, size) for start, size in units]

    c = _one(300, shifted([(225, 70), (370, 30)]), shifted([(220, 80), (355, 20), (400, 20)]))
    k = _one(300, shifted([(180, 60), (300, 50)]), shifted([(180, 60), (300, 50)]))
    assert c.total_observed == pytest.approx(0.0144, abs=1e-4)
    assert c.total_expected == pytest.approx(0.0532, abs=1e-4)
    assert alpha(c.total_observed, c.total_expected) == pytest.approx(0.7286, abs=1e-4)
    assert k.total_observed == 0
    assert k.total_expected == pytest.approx(0.0490, abs=1e-4)
    assert alpha(k.total_observed, k.total_expected) == 1.0
    both = alpha(c.total_observed + k.total_observed, c.total_expected + k.total_expected)
    assert both == pytest.approx(0.8591, abs=5e-4)


KRIPPENDORFF_1995 = {  # two observers' units (start, length) on a continuum of 24
    "A": ([(2, 8), (14, 6)], [(4, 4), (15, 2)]),
    "B": ([(0, 18)], [(0, 2), (2, 1), (3, 1), (4, 1), (5, 1), (6, 3), (9, 1)]),
    "C": ([(2, 6), (10, 2), (14, 4), (20, 2)], [(0, 2), (4, 4), (10, 4), (16, 2), (20, 2)]),
    "D": ([(0, 2), (2, 8), (10, 4), (14, 6), (20, 4)], [(0, 4), (4, 4), (8, 7), (15, 2), (17, 7)]),
}


def _stretched(stretch: float) -> dict[str, Disagreement]:
    def s(x: int) -> int:
        return int(x * stretch)

    return {
        name: _one(s(24), [(s(x), s(n)) for x, n in a], [(s(x), s(n)) for x, n in b])
        for name, (a, b) in KRIPPENDORFF_1995.items()
    }


def test_krippendorff_1995_examples() -> None:
    observed = {"A": 0.03125, "B": 2.26736, "C": 0.02777, "D": 0.38715}
    for name, found in _stretched(1).items():
        assert found.total_observed == pytest.approx(observed[name], abs=1e-5)
    # The published expected disagreements are for a fine continuum (stretched).
    fine = _stretched(1_200_000 / 24)
    expected = {"A": 0.06990, "B": 1.17731, "C": 0.08642, "D": 0.41445}
    agreement = {"A": 0.553, "B": -0.926, "C": 0.679, "D": 0.066}
    for name, found in fine.items():
        assert found.total_expected == pytest.approx(expected[name], abs=5e-3)
        value = alpha(found.total_observed, found.total_expected)
        assert value == pytest.approx(agreement[name], abs=0.02)
    coarse = _stretched(12 / 24)["C"]
    assert coarse.total_observed == pytest.approx(0.02777, abs=1e-5)
    assert coarse.total_expected == pytest.approx(0.05494, abs=1e-5)
    assert alpha(coarse.total_observed, coarse.total_expected) == pytest.approx(0.494, abs=0.02)


def _cut(units: list[tuple[int, int]], length: int) -> list[tuple[int, int, bool]]:
    out, at = [], 0
    for start, end in sorted(units):
        if start > at:
            out.append((at, start, False))
        out.append((start, end, True))
        at = end
    if at < length:
        out.append((at, length, False))
    return out


def _by_definition(length: int, raters: list[list[tuple[int, int]]]) -> float:
    """D_o from Krippendorff's definition: every ordered pair of observers, every pair
    of their segments, with the distance of the book's case table."""
    total = 0
    for r1, r2 in combinations(range(len(raters)), 2):
        for first, second in ((r1, r2), (r2, r1)):
            for s1, e1, u1 in _cut(raters[first], length):
                for s2, e2, u2 in _cut(raters[second], length):
                    if u1 and u2 and s1 < e2 and s2 < e1:
                        total += (s1 - s2) ** 2 + (e1 - e2) ** 2
                    elif u1 and not u2 and s2 <= s1 and e1 <= e2:
                        total += (e1 - s1) ** 2
                    elif u2 and not u1 and s1 <= s2 and e2 <= e1:
                        total += (e2 - s2) ** 2
    m = len(raters)
    return total / (m * (m - 1) * length * length)


@st.composite
def _unitized(draw: st.DrawFn) -> tuple[int, list[list[tuple[int, int]]]]:
    length = draw(st.integers(1, 60))
    raters = []
    for _ in range(draw(st.integers(2, 4))):
        cuts = sorted(draw(st.sets(st.integers(0, length), max_size=10)))
        pairs = list(zip(cuts[::2], cuts[1::2], strict=False))
        raters.append([(s, e) for s, e in pairs if e > s])
    return length, raters


@settings(max_examples=200, deadline=None)
@given(_unitized())
def test_observed_disagreement_is_the_definitions(case: tuple[int, list]) -> None:
    length, raters = case
    found = label_disagreement([length], [[(0, s, e) for s, e in units] for units in raters])
    assert found.total_observed == pytest.approx(_by_definition(length, raters))
    assert found.observed[0] == pytest.approx(found.total_observed)
    if found.total_expected > 0:
        assert alpha(found.total_observed, found.total_expected) <= 1.0


def test_documents_are_separate_continua() -> None:
    """Two documents together: D_o per document is the document's own, and no unit
    is taken to sit in a gap that runs on into the next document."""
    together = label_disagreement([10, 10], [[(0, 2, 5), (1, 0, 10)], [(0, 2, 5), (1, 0, 4)]])
    first = _one(10, [(2, 3)], [(2, 3)])
    second = _one(10, [(0, 10)], [(0, 4)])
    assert together.observed[0] == pytest.approx(first.total_observed)
    assert together.observed[1] == pytest.approx(second.total_observed)
    assert list(together.units) == [2, 2]
    # over both: the same distances, over a continuum twice as long
    assert together.total_observed == pytest.approx(
        (first.total_observed + second.total_observed) / 4
    )


def test_identical_work_agrees_and_overlapping_spans_are_one_unit() -> None:
    same = [(3, 9), (20, 30)]
    assert unitized_alpha(40, [same, same, same]) == 1.0
    # one annotator's two overlapping spans count as their union
    assert unitized_alpha(40, [[(3, 7), (5, 9), (20, 30)], same]) == 1.0
    assert unitized_alpha(40, [[], []]) is None  # nobody marked anything


def test_in_the_report_per_label_per_document_and_overall() -> None:
    texts = {"d1": "x" * 100, "d2": "y" * 50}
    ann = Layer("ann", {"d1": [(10, 20, "entity"), (40, 60, "claim")], "d2": [(0, 10, "entity")]})
    bob = Layer("bob", {"d1": [(12, 20, "entity"), (40, 60, "claim")], "d2": [(0, 10, "entity")]})
    group = agreement_report(Corpus(texts, [ann, bob], ["entity", "claim"]))["group"]
    claim = group["labels"]["claim"]["unitized_alpha"]
    assert claim == {"value": 1.0, "units": 2}
    entity = group["labels"]["entity"]["unitized_alpha"]
    assert entity["units"] == 4 and entity["value"] is not None and entity["value"] < 1.0
    assert group["documents"]["d2"]["unitized_alpha"]["value"] == 1.0
    assert group["documents"]["d1"]["unitized_alpha"]["value"] < 1.0
    assert group["overall"]["unitized_alpha"]["units"] == 6
