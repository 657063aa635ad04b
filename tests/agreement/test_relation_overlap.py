"""Relation and link agreement with partial credit: ends that overlap match, as spans
do in the overlapping figures, one to one, exact matches first."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.agreement.layers import End, Layer, RelationMark
from annotator.agreement.relations import overlap_counts, relation_figures


def _layer(name: str, relations: list[RelationMark]) -> Layer:
    return Layer(name, relations=list(relations))


def _figures(a: list[RelationMark], b: list[RelationMark]) -> dict[str, dict[str, object]]:
    return relation_figures(_layer("a", a), _layer("b", b))["relations"]  # type: ignore[no-any-return]


QUOTE_A: End = ("d", 40, 90)
SPEAKER_A: End = ("d", 0, 12)


def test_a_quote_a_few_characters_shorter_matches_only_with_overlap() -> None:
    a = [(QUOTE_A, SPEAKER_A, "speaker")]
    b = [(("d", 41, 90), ("d", 0, 9), "speaker")]  # the quote mark left out, "Dr." left out
    figures = _figures(a, b)
    assert figures["ends"]["matched"] == 0
    assert figures["typed"]["f1"] == 0.0
    assert figures["ends_overlap"]["matched"] == 1
    assert figures["typed_overlap"]["f1"] == 1.0


def test_both_ends_must_overlap_and_typed_asks_for_the_same_type() -> None:
    a = [(QUOTE_A, SPEAKER_A, "speaker")]
    far = [(("d", 41, 90), ("d", 200, 210), "speaker")]  # another speaker: no credit
    assert _figures(a, far)["ends_overlap"]["matched"] == 0
    other_type = [(("d", 41, 90), ("d", 0, 9), "supports")]
    figures = _figures(a, other_type)
    assert figures["ends_overlap"]["matched"] == 1
    assert figures["typed_overlap"]["matched"] == 0
    assert figures["typed_overlap"]["only_reference"] == 1
    assert figures["typed_overlap"]["only_other"] == 1


def test_each_relation_is_matched_once_the_largest_overlap_first() -> None:
    a = [(QUOTE_A, SPEAKER_A, "speaker")]
    b = [
        (("d", 80, 95), ("d", 0, 12), "speaker"),  # shares 10 + 12
        (("d", 40, 89), ("d", 0, 12), "speaker"),  # shares 49 + 12: this one
    ]
    counts = overlap_counts(a, b, typed=True)
    assert (counts.tp, counts.fp, counts.fn) == (1, 1, 0)
    # an exact match is taken before any overlapping one
    exact = [(QUOTE_A, SPEAKER_A, "speaker"), (("d", 40, 89), ("d", 0, 12), "speaker")]
    counts = overlap_counts([*a, (("d", 41, 88), SPEAKER_A, "speaker")], exact, typed=True)
    assert (counts.tp, counts.fp, counts.fn) == (2, 0, 0)


def test_direction_counts_unless_the_type_reads_both_ways() -> None:
    one, two = ("d", 10, 20), ("d", 30, 40)
    near_one, near_two = ("d", 12, 20), ("d", 30, 38)
    same = _figures([(one, two, "same")], [(near_two, near_one, "same")])
    assert same["typed_overlap"]["matched"] == 1
    speaker = _figures([(one, two, "speaker")], [(near_two, near_one, "speaker")])
    assert speaker["typed_overlap"]["matched"] == 0


def test_links_across_documents_are_scored_apart_with_overlap_too() -> None:
    link_a = (("d1", 10, 20), ("d2", 30, 40), "same")
    link_b = (("d1", 11, 20), ("d2", 30, 41), "same")
    inside = (("d1", 0, 5), ("d1", 10, 20), "speaker")
    figures = relation_figures(_layer("a", [link_a, inside]), _layer("b", [link_b]))
    assert figures["links"]["typed_overlap"]["f1"] == 1.0
    assert figures["links"]["typed"]["f1"] == 0.0
    assert figures["relations"]["ends_overlap"]["only_reference"] == 1


# Small worlds: two documents, ranges in 0..12, three types (one undirected).
_END = st.builds(
    lambda doc, start, length: (doc, start, start + length),
    st.sampled_from(["d1", "d2"]),
    st.integers(0, 10),
    st.integers(1, 3),
)
_RELATION = st.tuples(_END, _END, st.sampled_from(["same", "speaker", "supports"]))


def _naive(ref: list[RelationMark], oth: list[RelationMark]) -> int:
    """The same matching written without the exact pass's counters or the index by
    document: every pair is a candidate, exact pairs rank above any overlap."""

    def shared(x: End, y: End) -> int:
        return max(0, min(x[2], y[2]) - max(x[1], y[1])) if x[0] == y[0] else 0

    def score(r: RelationMark, o: RelationMark) -> tuple[int, int]:
        if r[2] != o[2]:
            return (0, 0)
        both = r[2] in ("same", "contradicts", "differs")
        ways = [(o[0], o[1])]
        if both:
            ways.append((o[1], o[0]))
        best = (0, 0)
        for s, t in ways:
            if shared(r[0], s) and shared(r[1], t):
                exact = int((r[0], r[1]) == (s, t))
                best = max(best, (exact, shared(r[0], s) + shared(r[1], t)))
        return best

    pairs = sorted(
        ((score(r, o), i, j) for i, r in enumerate(ref) for j, o in enumerate(oth)),
        key=lambda p: (-p[0][0], -p[0][1], p[1], p[2]),
    )
    used_i: set[int] = set()
    used_j: set[int] = set()
    for (_exact, overlap), i, j in pairs:
        if overlap and i not in used_i and j not in used_j:
            used_i.add(i)
            used_j.add(j)
    return len(used_i)


@settings(max_examples=300, deadline=None)
@given(st.lists(_RELATION, max_size=6), st.lists(_RELATION, max_size=6), st.booleans())
def test_overlap_matching_against_every_pair_tried(
    ref: list[RelationMark], oth: list[RelationMark], typed: bool
) -> None:
    counts = overlap_counts(ref, oth, typed=typed)
    assert counts.tp + counts.fn == len(ref)
    assert counts.tp + counts.fp == len(oth)
    exact = relation_figures(_layer("a", ref), _layer("b", oth))
    exact_tp = sum(
        exact[kind]["typed" if typed else "ends"]["matched"] for kind in ("relations", "links")
    )
    overlap_tp = sum(
        exact[kind]["typed_overlap" if typed else "ends_overlap"]["matched"]
        for kind in ("relations", "links")
    )
    assert overlap_tp >= exact_tp  # an exact match is an overlapping one
    if typed:  # same types: equal relations are interchangeable, so the pairings agree
        assert counts.tp == _naive(ref, oth)
