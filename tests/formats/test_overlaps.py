"""Choosing non-overlapping spans and sentence breaks for the token formats: the fast
versions (a byte array of covered characters, binary search over a union of ranges)
give what the obvious all-pairs versions give, on any spans."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.core.models import Span
from annotator.formats.tokens import covered, non_overlapping, strictly_inside

# a small world, so that ranges touch, nest and share edges often
RANGES = st.lists(
    st.tuples(st.integers(0, 20), st.integers(1, 6)).map(lambda t: (t[0], t[0] + t[1])),
    max_size=12,
)


def spans_of(ranges: list[tuple[int, int]]) -> list[Span]:
    text = "x" * 80
    return [
        Span(id=f"s{i}", start=a, end=b, label="entity" if i % 2 else "claim", text=text[a:b])
        for i, (a, b) in enumerate(ranges)
    ]


def obvious(spans: list[Span]) -> tuple[list[Span], list[Span]]:
    kept: list[Span] = []
    dropped: list[Span] = []
    # names first: a claim or quote gives way to any span it overlaps
    order = sorted(
        spans, key=lambda s: (s.label == "claim", -(s.end - s.start), s.start, s.label, s.id)
    )
    for span in order:
        if any(span.start < k.end and k.start < span.end for k in kept):
            dropped.append(span)
        else:
            kept.append(span)
    return sorted(kept, key=Span.sort_key), dropped


@given(RANGES)
@settings(max_examples=300, deadline=None)
def test_non_overlapping_keeps_what_the_obvious_way_keeps(ranges: list[tuple[int, int]]) -> None:
    spans = spans_of(ranges)
    assert non_overlapping(spans) == obvious(spans)


@given(RANGES, st.integers(0, 28))
@settings(max_examples=300, deadline=None)
def test_a_position_is_inside_the_union_as_inside_any_range(
    ranges: list[tuple[int, int]], position: int
) -> None:
    expected = any(a < position < b for a, b in ranges)
    assert strictly_inside(position, covered(ranges)) is expected


def test_ranges_that_only_touch_leave_the_edge_free() -> None:
    assert not strictly_inside(5, covered([(0, 5), (5, 10)]))
    assert strictly_inside(5, covered([(0, 6), (5, 10)]))
