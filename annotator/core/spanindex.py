"""Overlap queries over the spans of one document.

Spans are kept sorted by start; a query for ``[start, end)`` looks only at spans
whose start lies in ``[start - longest, end)``, which is a handful in real text.
"""

from __future__ import annotations

from bisect import bisect_left, insort


class SpanIndex:
    def __init__(self, entries: list[tuple[int, int, str]] | None = None) -> None:
        """An index, optionally of ``(start, end, span id)`` entries in any order."""
        self._entries: list[tuple[int, int, str]] = sorted(entries or [])
        self._longest = max((e - s for s, e, _ in self._entries), default=0)

    def __len__(self) -> int:
        return len(self._entries)

    def add(self, span_id: str, start: int, end: int) -> None:
        insort(self._entries, (start, end, span_id))
        self._longest = max(self._longest, end - start)

    def remove(self, span_id: str, start: int, end: int) -> None:
        i = bisect_left(self._entries, (start, end, span_id))
        if i >= len(self._entries) or self._entries[i] != (start, end, span_id):
            raise KeyError(span_id)
        del self._entries[i]

    def overlapping(self, start: int, end: int) -> list[str]:
        """Ids of spans that share at least one character with ``[start, end)``.

        An empty range ``[p, p)`` asks for the spans that contain position ``p``.
        """
        if end <= start:
            end = start + 1
        lo = bisect_left(self._entries, (start - self._longest, -1, ""))
        hi = bisect_left(self._entries, (end, -1, ""))
        return [sid for s, e, sid in self._entries[lo:hi] if e > start and s < end]
