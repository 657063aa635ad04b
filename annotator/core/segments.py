"""Flattening overlapping spans into segments, so nested spans can be drawn together."""

from __future__ import annotations

import itertools
import operator
from collections.abc import Iterable

from annotator.core.models import Span

Segment = tuple[int, int, tuple[Span, ...]]


def segments(spans: Iterable[Span], start: int, end: int) -> list[Segment]:
    """Cut ``[start, end)`` where any span begins or ends.

    Returns ``(seg_start, seg_end, covering)`` for every piece covered by at least one
    span, with ``covering`` ordered outermost (longest) first. One sweep over the cut
    points; most pieces are covered by one span, which needs no sorting.
    """
    live = sorted((s for s in spans if s.end > start and s.start < end), key=_START)
    if not live:
        return []
    cuts = {start, end}
    for s in live:
        cuts.add(s.start)
        cuts.add(s.end)
    points = sorted(c for c in cuts if start <= c <= end)
    active: list[Span] = []
    out: list[Segment] = []
    j, n = 0, len(live)
    for a, b in itertools.pairwise(points):
        if active:
            active = [s for s in active if s.end > a]
        while j < n and live[j].start <= a:
            if live[j].end > a:
                active.append(live[j])
            j += 1
        if len(active) == 1:
            out.append((a, b, (active[0],)))
        elif active:
            out.append((a, b, tuple(sorted(active, key=_outermost_first))))
    return out


_START = operator.attrgetter("start")


def _outermost_first(s: Span) -> tuple[int, int, str]:
    return (s.start - s.end, s.start, s.id)
