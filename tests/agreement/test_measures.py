"""The agreement measures against second implementations (scikit-learn, statsmodels,
NLTK, scorch) and against published worked examples."""

from __future__ import annotations

import itertools
import math
import warnings

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.agreement.layers import Layer
from annotator.agreement.measures import (
    cohen_kappa,
    exact_matches,
    fleiss_kappa,
    nominal_alpha,
    overlap_matches,
)
from annotator.agreement.relations import cluster_figures, lea

CATEGORIES = st.sampled_from(["O", "entity", "claim", "quote"])


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(CATEGORIES, CATEGORIES), min_size=1, max_size=60))
def test_cohen_kappa_equals_scikit_learn(pairs: list[tuple[str, str]]) -> None:
    from sklearn.metrics import cohen_kappa_score

    first, second = [a for a, _ in pairs], [b for _, b in pairs]
    ours = cohen_kappa(first, second)
    if len(set(first) | set(second)) == 1:
        assert ours is None  # chance agreement is total: κ is undefined
        return
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = cohen_kappa_score(first, second)
    if ours is None:  # each annotator used one category: expected agreement 1
        assert math.isnan(theirs) or len(set(first)) == len(set(second)) == 1
    else:
        assert ours == pytest.approx(theirs, abs=1e-9)


@settings(max_examples=150, deadline=None)
@given(
    st.integers(3, 5).flatmap(
        lambda n: st.lists(st.lists(CATEGORIES, min_size=n, max_size=n), min_size=2, max_size=40)
    )
)
def test_fleiss_kappa_equals_statsmodels(rows: list[list[str]]) -> None:
    from statsmodels.stats.inter_rater import aggregate_raters
    from statsmodels.stats.inter_rater import fleiss_kappa as sm_fleiss

    ours = fleiss_kappa(rows)
    table, _cats = aggregate_raters(
        [[["O", "entity", "claim", "quote"].index(v) for v in r] for r in rows]
    )
    if ours is None:
        assert len({v for r in rows for v in r}) == 1
        return
    assert ours == pytest.approx(sm_fleiss(table, method="fleiss"), abs=1e-9)


# Gwet (2014), Handbook of Inter-Rater Reliability, 4 raters × 12 units with gaps (the
# data set R's and Python's irrCAC ship as ``raw_4raters``); also Krippendorff's own
# example of α with missing values.
GWET_4_RATERS = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, None],
    [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, 3],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
]


def test_fleiss_kappa_with_raters_missing_matches_the_published_value() -> None:
    rows = [list(unit) for unit in zip(*GWET_4_RATERS, strict=True)]
    # irrCAC's fleiss(): p_a 0.8181818, p_e 0.2387153, κ 0.76117
    assert fleiss_kappa(rows) == pytest.approx((0.8181818 - 0.2387153) / (1 - 0.2387153), abs=1e-6)
    assert round(fleiss_kappa(rows) or 0, 5) == 0.76117
    assert round(nominal_alpha(rows) or 0, 3) == 0.743  # Krippendorff's published α
    # a unit one annotator rated alone (the last) counts in the chance shares only,
    # so dropping it changes κ
    assert fleiss_kappa(rows[:-1]) != pytest.approx(fleiss_kappa(rows))


@settings(max_examples=100, deadline=None)
@given(
    st.integers(3, 4).flatmap(
        lambda n: st.lists(st.lists(CATEGORIES, min_size=n, max_size=n), min_size=2, max_size=30)
    ),
    st.data(),
)
def test_fleiss_kappa_with_gaps_equals_statsmodels_on_the_full_units(
    rows: list[list[str]], data: st.DataObject
) -> None:
    """Units nobody rated add nothing: κ stays statsmodels' over the rated units."""
    from statsmodels.stats.inter_rater import aggregate_raters
    from statsmodels.stats.inter_rater import fleiss_kappa as sm_fleiss

    gaps = data.draw(st.integers(0, 5))
    padded: list[list[str | None]] = [list(r) for r in rows]
    for _ in range(gaps):
        padded.insert(data.draw(st.integers(0, len(padded))), [None] * len(rows[0]))
    table, _cats = aggregate_raters(
        [[["O", "entity", "claim", "quote"].index(v) for v in r] for r in rows]
    )
    ours = fleiss_kappa(padded)
    if ours is None:
        assert len({v for r in rows for v in r}) == 1
        return
    assert ours == pytest.approx(sm_fleiss(table, method="fleiss"), abs=1e-9)


@settings(max_examples=100, deadline=None)
@given(
    st.integers(2, 4).flatmap(
        lambda n: st.lists(
            st.lists(st.one_of(st.none(), CATEGORIES), min_size=n, max_size=n),
            min_size=2,
            max_size=30,
        )
    )
)
def test_alpha_equals_nltk(rows: list[list[str | None]]) -> None:
    from nltk.metrics.agreement import AnnotationTask

    ours = nominal_alpha(rows)
    triples = [
        (f"c{a}", f"u{u}", v)
        for u, row in enumerate(rows)
        for a, v in enumerate(row)
        if v is not None
    ]
    pairable = [row for row in rows if sum(v is not None for v in row) >= 2]
    values = {v for row in pairable for v in row if v is not None}
    if len(values) < 2:
        # every pairable value the same: α is undefined (0/0), never reported as 0 or 1
        assert ours is None or ours == pytest.approx(1.0) or not pairable
        return
    task = AnnotationTask(
        data=[t for t in triples if sum(v is not None for v in rows[int(t[1][1:])]) >= 2]
    )
    assert ours == pytest.approx(task.alpha(), abs=1e-9)


def test_alpha_is_nominal_not_interval() -> None:
    # Interval α would treat claim (1) as closer to entity (0) than quote (2) is.
    rows = [
        ["entity", "claim"],
        ["claim", "claim"],
        ["quote", "quote"],
        ["entity", "entity"],
        ["quote", "entity"],
    ]
    from nltk.metrics.agreement import AnnotationTask

    task = AnnotationTask(
        data=[(f"c{a}", f"u{u}", v) for u, r in enumerate(rows) for a, v in enumerate(r)]
    )
    assert nominal_alpha(rows) == pytest.approx(task.alpha())


def test_undefined_figures_are_none() -> None:
    assert cohen_kappa(["entity"] * 5, ["entity"] * 5) is None
    assert fleiss_kappa([["O", "O", "O"]] * 4) is None
    assert nominal_alpha([["O", "O"], ["O", "O"]]) is None
    assert cohen_kappa([], []) is None


def test_span_matching_by_hand() -> None:
    ref = [(0, 5, "entity"), (10, 20, "claim"), (30, 35, "quote")]
    res = [(0, 5, "entity"), (12, 20, "claim"), (30, 35, "entity"), (40, 45, "quote")]
    ex = exact_matches(ref, res)
    assert (ex.tp, ex.fp, ex.fn) == (1, 3, 2)
    ov = overlap_matches(ref, res)
    assert (ov.tp, ov.fp, ov.fn) == (2, 2, 1)
    assert ov.precision == pytest.approx(0.5)
    assert ov.recall == pytest.approx(2 / 3)
    # one span of the other side overlapping two of the reference is matched once
    many = overlap_matches([(0, 5, "entity"), (6, 10, "entity")], [(0, 10, "entity")])
    assert (many.tp, many.fp, many.fn) == (1, 0, 1)


def test_lea_matches_the_papers_example() -> None:
    # Moosavi and Strube (2016), section 4: key {a,b,c} {d,e,f,g}; response {a,b} {c,d}
    # {f,g,h,i}: recall (3·1/3 + 4·1/6) / 7 ≈ 0.24, precision (2·1 + 2·0 + 4·1/6) / 8 ≈ 0.33.
    def m(name: str) -> tuple[str, int, int]:
        return ("doc", ord(name), ord(name) + 1)

    key = [frozenset(map(m, "abc")), frozenset(map(m, "defg"))]
    response = [frozenset(map(m, "ab")), frozenset(map(m, "cd")), frozenset(map(m, "fghi"))]
    recall, precision, f1 = lea(key, response)
    assert recall == pytest.approx((1 + 4 / 6) / 7)
    assert precision == pytest.approx((2 + 4 / 6) / 8)
    assert round(recall, 2) == 0.24
    assert round(precision, 2) == 0.33
    assert f1 == pytest.approx(2 * precision * recall / (precision + recall))


def _linked(name: str, groups: list[str]) -> Layer:
    layer = Layer(name)
    for group in groups:
        ends = [(f"d{c}", ord(c), ord(c) + 1) for c in group]
        for a, b in itertools.pairwise(ends):
            layer.relations.append((a, b, "same"))
    return layer


def test_cluster_scores_match_published_values() -> None:
    # Vilain et al. (1995): key {A B C D}, response {A B} {C D}: MUC recall 2/3, precision 1.
    figures = cluster_figures(_linked("key", ["ABCD"]), _linked("response", ["AB", "CD"]))
    assert figures["muc"]["recall"] == pytest.approx(2 / 3)
    assert figures["muc"]["precision"] == pytest.approx(1.0)
    # B³ (Bagga and Baldwin 1998): each of A-D has 2 of its 4 right: recall 0.5, precision 1.
    assert figures["b3"]["recall"] == pytest.approx(0.5)
    assert figures["b3"]["precision"] == pytest.approx(1.0)
    # CEAF-e (Luo 2005): φ4 of the best pair is 2·2/(4+2) = 2/3; recall 2/3 over 1 key
    # entity, precision 2/3 over 2 response entities.
    assert figures["ceaf_e"]["recall"] == pytest.approx(2 / 3)
    assert figures["ceaf_e"]["precision"] == pytest.approx(1 / 3)
    conll = (figures["muc"]["f1"] + figures["b3"]["f1"] + figures["ceaf_e"]["f1"]) / 3
    assert figures["conll"] == pytest.approx(conll)
    same = cluster_figures(_linked("a", ["ABC", "XY"]), _linked("b", ["CBA", "YX"]))
    for name in ("muc", "b3", "ceaf_e", "lea"):
        assert same[name]["f1"] == pytest.approx(1.0)


def test_in_the_report_fleiss_kappa_counts_documents_an_annotator_did_not_see() -> None:
    from annotator.agreement.layers import Corpus
    from annotator.agreement.report import agreement_report

    texts = {"d1": "one two three four five six", "d2": "seven eight nine ten"}
    marks = {"d1": [(4, 7, "entity"), (14, 18, "claim")], "d2": [(0, 5, "entity")]}
    ann, bob = Layer("ann", dict(marks)), Layer("bob", dict(marks))
    cleo = Layer("cleo", {"d1": [(4, 7, "entity"), (14, 18, "entity")]}, seen={"d1"})
    group = agreement_report(Corpus(texts, [ann, bob, cleo], ["entity", "claim"]))["group"]
    kappa = group["overall"]["fleiss_kappa"]
    # "five" is marked claim, claim, entity: below 1; d2's "seven" (two raters) counts
    assert kappa["units"] == 3
    assert kappa["value"] is not None and kappa["value"] < 1.0
    rows = [
        ["entity", "entity", "entity"],
        ["claim", "claim", "entity"],
        ["entity", "entity", None],
    ]
    assert kappa["value"] == pytest.approx(fleiss_kappa(rows))
    assert group["documents"]["d2"]["fleiss_kappa"]["units"] == 1
