"""Finding a span again after its article changed, by its covered text."""

from __future__ import annotations

from annotator.core.models import Span, replace_span, utc_now


def reanchor(text: str, span: Span) -> Span | None:
    """The span moved to the occurrence of its text nearest its old start, or None."""
    needle = span.text
    best: int | None = None
    pos = text.find(needle)
    while pos != -1:
        if best is None or abs(pos - span.start) < abs(best - span.start):
            best = pos
        pos = text.find(needle, pos + 1)
    if best is None:
        return None
    return replace_span(span, start=best, end=best + len(needle), modified=utc_now())
