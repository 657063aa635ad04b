"""Code points ↔ UTF-16 units, for formats made by JavaScript tools (doccano, Label Studio).

Qt-free and separate from the UI's bridge, so exporters never import the UI. A
position moves by one for every character outside the Basic Multilingual Plane
before it (those take two UTF-16 units).
"""

from __future__ import annotations

from bisect import bisect_left


class Utf16:
    def __init__(self, text: str) -> None:
        self.wide = [i for i, ch in enumerate(text) if ord(ch) > 0xFFFF]
        self.length = len(text)

    def to_units(self, cp: int) -> int:
        return cp + bisect_left(self.wide, cp)

    def to_cp(self, units: int) -> int | None:
        """The code point at UTF-16 position ``units``; None inside a surrogate pair or past
        the end."""
        lo, hi = 0, self.length
        while lo < hi:  # smallest cp with to_units(cp) >= units
            mid = (lo + hi) // 2
            if self.to_units(mid) < units:
                lo = mid + 1
            else:
                hi = mid
        return lo if self.to_units(lo) == units else None
