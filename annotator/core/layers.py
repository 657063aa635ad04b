"""Flattening overlapping spans into segments, so nested spans can be drawn together."""

from __future__ import annotations

import itertools
from collections.abc import Iterable

from annotator.core.models import Span

Segment = tuple[int, int, tuple[Span, ...]]


def segments(spans: Iterable[Span], start: int, end: int) -> list[Segment]:
    """Cut ``[start, end)`` where any span begins or ends.

    Returns ``(seg_start, seg_end, covering)`` for every piece covered by at least one
    span, with ``covering`` ordered outermost (longest) first.
    """
    spans = [s for s in spans if s.end > start and s.start < end]
    if not spans:
        return []
    cuts = {start, end}
    for s in spans:
        if start < s.start < end:
            cuts.add(s.start)
        if start < s.end < end:
            cuts.add(s.end)
    points = sorted(cuts)
    by_start = sorted(spans, key=lambda s: s.start)
    active: list[Span] = []
    out: list[Segment] = []
    j = 0
    for a, b in itertools.pairwise(points):
        active = [s for s in active if s.end > a]
        while j < len(by_start) and by_start[j].start <= a:
            if by_start[j].end > a:
                active.append(by_start[j])
            j += 1
        if active:
            covering = tuple(sorted(active, key=lambda s: (-(s.end - s.start), s.start, s.id)))
            out.append((a, b, covering))
    return out
