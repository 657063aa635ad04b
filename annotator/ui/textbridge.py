"""The one place that converts between code points and Qt text positions.

Qt counts UTF-16 code units (a non-BMP character such as an emoji is two) and
``QTextDocument`` turns ``\\r\\n`` into a single paragraph break. The core counts
code points in the original text. :class:`TextBridge` maps both ways with two
sorted tables of the places where the counts diverge, so each lookup is a bisect.
This module imports no Qt so that it is tested without a display.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

_DIVERGES = re.compile("\r\n|[\U00010000-\U0010ffff]")


class TextBridge:
    def __init__(self, text: str) -> None:
        self.text = text
        # One event per character where the counts change: its code-point index, the
        # display delta after it, and the first display position that follows it.
        self._cp_at: list[int] = []
        self._delta_after: list[int] = []
        self._display_from: list[int] = []
        delta = 0
        # Only the places where the counts diverge are visited (a regex finds them),
        # not every character: 2 MB of text takes milliseconds, not 0.3 s.
        for match in _DIVERGES.finditer(text):
            i = match.start()
            if match.end() - i == 2:
                # "\r\n" becomes one break; display position i+delta is that break and
                # maps back to the "\r", so a selection ending at a line end excludes it.
                delta -= 1
                self._cp_at.append(i)
                self._delta_after.append(delta)
                self._display_from.append(i + delta + 2)
            else:  # a non-BMP character is two UTF-16 units
                delta += 1
                self._cp_at.append(i)
                self._delta_after.append(delta)
                self._display_from.append(i + 1 + delta)
        n = len(text)
        self.display_text = text.replace("\r\n", "\n")
        self.display_length = n + delta  # in UTF-16 units

    def to_qt(self, cp: int) -> int:
        """Qt position of code-point offset ``cp`` (0 ≤ cp ≤ len(text))."""
        k = bisect_left(self._cp_at, cp)
        if k and self._cp_at[k - 1] == cp - 1 and self._is_crlf_event(k - 1):
            # cp points at the "\n" of a "\r\n": same display position as the "\r".
            return cp - 1 + (self._delta_after[k - 2] if k >= 2 else 0)
        return cp + (self._delta_after[k - 1] if k else 0)

    def to_cp(self, pos: int) -> int:
        """Code-point offset of Qt position ``pos``."""
        k = bisect_right(self._display_from, pos)
        return pos - (self._delta_after[k - 1] if k else 0)

    def _is_crlf_event(self, k: int) -> bool:
        i = self._cp_at[k]
        return self.text[i] == "\r"
