"""Find (Ctrl+F, F3, Shift+F3): the next match of a query in the shown panes, from the
selection or the caret, across panes in order and wrapping around; the match becomes
the selection, so a label key tags it."""

from __future__ import annotations

from collections.abc import Callable

from annotator.core.search import find_in_text
from annotator.ui.panes_area import PanesArea


def find_next(
    panes: PanesArea, query: str, backwards: bool, say: Callable[[str, int], None]
) -> bool:
    """Select the next (or previous) match of ``query``; False, and said, if none."""
    ids = list(panes.panes)
    if not query or not ids:
        return False
    current = panes.current_id if panes.current_id in ids else ids[0]
    first = ids.index(current)
    pane = panes.panes[current]
    sel = pane.view.selection_range()
    caret = pane.view.bridge.to_cp(pane.view.textCursor().position())
    origin = (sel[0] if backwards else sel[1]) if sel else caret
    order = [ids[(first + (-k if backwards else k)) % len(ids)] for k in range(len(ids))]
    for k, doc_id in enumerate([*order, order[0]]):
        text = panes.panes[doc_id].document.text
        if k == 0:
            start = origin
        elif backwards:
            start = len(text)
        else:
            start = 0
        hit = find_in_text(text, query, start, backwards=backwards)
        if hit is not None:
            panes.focus_pane(doc_id)
            panes.panes[doc_id].view.select_range(*hit)
            say(f"Found “{query}” in {doc_id}", 3000)
            return True
    say(f"“{query}” not found in the shown documents", 4000)
    return False
