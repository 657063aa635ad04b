"""Counts in messages: "1 change", "2 changes", never "1 changes".

Every message that states a count says it through :func:`count`, so singular and
plural are right everywhere (``tests/core/test_wording.py`` walks the package for
counts written any other way).
"""

from __future__ import annotations

_IRREGULAR = {"entry": "entries", "match": "matches", "this": "these", "is": "are"}


def plural(n: int, singular: str, many: str | None = None) -> str:
    """The word for ``n`` things: ``singular`` for exactly one, else its plural."""
    if n == 1:
        return singular
    return many or _IRREGULAR.get(singular) or singular + "s"


def count(n: int, singular: str, many: str | None = None) -> str:
    """``"1 change"``, ``"3 changes"``, ``"0 changes"``."""
    return f"{n:,} {plural(n, singular, many)}"


def quoted(text: str, limit: int = 40) -> str:
    """``text`` in quotation marks, on one line: “like this”.

    Shortened text ends in an ellipsis and no closing mark (“the first words…), so a
    shortened quotation never reads as the whole of it.
    """
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return f"“{flat}”"
    return f"“{flat[: limit - 1].rstrip()}…"


def span_counts(accepted: int, pending: int, *, short: bool = False) -> str:
    """What a document holds, said the same way everywhere: ``5 spans · 15 to review``
    (``5 · 15 to review`` in a narrow column). Rejected suggestions are not counted."""
    spans = f"{accepted:,}" if short else count(accepted, "span")
    return f"{spans} · {pending:,} to review" if pending else spans
