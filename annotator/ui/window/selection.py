"""The selected span across the window: a click in a pane or a row of the
Annotations list selects it (unless linking takes the click), every view shows it,
and it is shown again after each change (a relabel, an undo)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from annotator.core.commands import Changes
from annotator.core.models import Span
from annotator.core.wording import quoted
from annotator.ui.session import SpanRef

if TYPE_CHECKING:
    from annotator.ui.window.parts import WindowParts


class Selection:
    def __init__(self, window: WindowParts) -> None:
        self.w = window
        session = window.session
        window.panes.span_clicked.connect(self._on_span_clicked)
        window.span_panel.span_activated.connect(window.reveal_span)
        session.selection_changed.connect(self._show)

    def follow(self) -> None:
        """Show the selection again after each change (subscribe after the views)."""
        self.w.session.changed.connect(self._after_change)

    def clear(self) -> None:
        """Escape: out of the find box, else the text selection and the selected span."""
        w = self.w
        if w.find_box.hasFocus():
            w.find_box.back_to_pane()
            return
        pane = w.panes.current_pane()
        if pane is not None:
            pane.view.clear_selection()
        w.session.select(None)

    def _on_span_clicked(self, doc_id: str, span: Span | None) -> None:
        if self.w.link_tools.span_clicked(doc_id, span):
            return  # linking: the click chose the other end
        self.w.session.select(SpanRef(doc_id, span.id) if span is not None else None)

    def _after_change(self, _changes: Changes) -> None:
        ref = self.w.session.selected
        if ref is not None:
            self._show(ref)

    def _show(self, ref: SpanRef | None) -> None:
        w = self.w
        selected = w.tagging.selected_span()
        w.panes.set_selected(ref.document_id if ref else None, selected[1] if selected else None)
        w.span_panel.select_span(ref.document_id if ref else None, ref.span_id if ref else None)
        if selected is not None:
            span = selected[1]
            w.statusBar().showMessage(
                f"{span.label}: {quoted(span.text, 80)} — a label key relabels, Delete removes"
            )
