"""Finding text in documents, case-insensitively, with code-point offsets."""

from __future__ import annotations

import re


def find_in_text(
    text: str, query: str, start: int, *, backwards: bool = False
) -> tuple[int, int] | None:
    """The next match of ``query`` at or after ``start`` (or the last one before it)."""
    if not query:
        return None
    pattern = re.compile(re.escape(query), re.IGNORECASE)
    if not backwards:
        match = pattern.search(text, start)
        return (match.start(), match.end()) if match else None
    last = None
    for match in pattern.finditer(text, 0, max(start, 0)):
        last = (match.start(), match.end())
    return last
