"""The window's modes and what they show: review (its dock, its keys, the current
suggestion in its pane), adjudication (its dock, the two layers side by side) and
View ▸ Layers Side by Side. One mode at a time: entering one leaves the other.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt

from annotator.core.models import GOLD, Span
from annotator.core.wording import count
from annotator.ui.actions import ACTIONS

if TYPE_CHECKING:
    from annotator.ui.window.parts import WindowParts


class Modes:
    def __init__(self, window: WindowParts) -> None:
        self.w = window
        self._right_width = 0
        w = window
        a = w.actions_by_name
        a["review"].toggled.connect(self.set_review_mode)
        a["adjudicate"].toggled.connect(self.set_adjudicating)
        a["side_by_side"].toggled.connect(self.set_side_by_side)
        w.review.current_changed.connect(self._show_review_current)
        w.panes.current_changed.connect(self._follow_current)
        # closing a dock ends its mode (behind another tab it is only out of sight)
        for dock, name in ((w.sideDock, "side_by_side"), (w.adjudicateDock, "adjudicate")):
            dock.visibilityChanged.connect(
                lambda on, d=dock, n=name: self._dock_shown(on, d.isHidden(), n)
            )

    def _dock_shown(self, on: bool, hidden: bool, name: str) -> None:
        if not on and hidden:
            self.w.actions_by_name[name].setChecked(False)

    def tagging_into_gold(self) -> bool:
        """A span tagged while adjudicating, or while only gold is shown, is gold."""
        return self.w.actions_by_name["adjudicate"].isChecked() or self.w.team.layer == GOLD

    def reveal_item(self, doc_id: str, span: Span) -> None:
        """An adjudication item: in its pane, and its two layers side by side."""
        w = self.w
        w.reveal_span(doc_id, span)
        if w.sideDock.isVisible():
            chosen = w.adjudicate_panel.layers()
            if chosen is not None and chosen != w.layer_panes.layers():
                w.layer_panes.fill(chosen)
            w.layer_panes.show_document(doc_id, span)

    def _follow_current(self, doc_id: str) -> None:
        w = self.w
        if w.sideDock.isVisible() and not w.adjudicateDock.isVisible():
            w.layer_panes.show_document(doc_id)

    def set_side_by_side(self, on: bool) -> None:
        """View ▸ Layers Side by Side (Ctrl+Shift+K): the current article, two layers."""
        w = self.w
        w.sideDock.setVisible(on)
        if on:
            chosen = w.adjudicate_panel.layers() if w.adjudicateDock.isVisible() else None
            w.layer_panes.fill(chosen)
            w.layer_panes.show_document(w.panes.current_id)

    def set_adjudicating(self, on: bool) -> None:
        """Analysis ▸ Adjudicate (Ctrl+Shift+J): the queue in its dock, keys A/B/T/N."""
        w = self.w
        if on and w.review.active:
            w.actions_by_name["review"].setChecked(False)
        w.adjudicateDock.setVisible(on)
        if on:
            w.actions_by_name["side_by_side"].setChecked(True)  # the two layers, beside
            w.adjudicate_panel.fill_layers()
            w.adjudicate_panel.refresh()
            w.adjudicateDock.raise_()
            w.adjudicate_panel.table.setFocus()

    def set_review_mode(self, on: bool) -> None:
        """View ▸ Review (Ctrl+R): the review dock, the review keys, the first suggestion."""
        w = self.w
        action = w.actions_by_name["review"]
        if action.isChecked() != on:
            action.setChecked(on)  # comes back here through toggled
            return
        if on and w.actions_by_name["adjudicate"].isChecked():
            w.actions_by_name["adjudicate"].setChecked(False)
        review_keys = [w.actions_by_name[s.name] for s in ACTIONS if s.review]
        for key in [*review_keys, *w.retype_actions.values()]:
            key.setEnabled(on)
        self._review_dock(on)
        if on:
            w.review_panel.refresh_origins()
            w.review.set_documents(w.shown_documents())
        w.review.set_active(on)
        if not on:
            for pane in w.panes.panes.values():
                pane.set_current_suggestion(None, None)
        w.focus_current_pane()
        if on:
            done, total = w.review.reviewed_total()
            w.statusBar().showMessage(
                f"Review: {count(total - done, 'suggestion')} to review. A accepts, R rejects, "
                "N/P move, label keys relabel.",
                8000,
            )

    def _review_dock(self, on: bool) -> None:
        """The Review dock shown with room for the current suggestion and its note; the
        right docks' width given back when it goes (the panes fit again)."""
        w = self.w
        if on:
            self._right_width = w.linksDock.width() if w.linksDock.isVisible() else 0
        w.reviewDock.setVisible(on)
        if on:
            w.resizeDocks([w.reviewDock], [w.height() * 3 // 5], Qt.Orientation.Vertical)
        elif self._right_width and w.linksDock.isVisible():
            w.resizeDocks([w.linksDock], [self._right_width], Qt.Orientation.Horizontal)

    def _show_review_current(
        self, current: tuple[str, Span, tuple[int, int] | None] | None
    ) -> None:
        w = self.w
        for doc_id, pane in w.panes.panes.items():
            if current is None or doc_id != current[0]:
                pane.set_current_suggestion(None, None)
        if current is None:
            return
        doc_id, span, draft = current
        shown = w.panes.panes.get(doc_id)
        if shown is None:
            return
        pane = shown
        if draft is None:
            w.panes.ensureWidgetVisible(pane)
            pane.reveal(span, flash=False)
            w.panes.current_id = doc_id
        pane.set_current_suggestion(span, draft)
        if not w.find_box.hasFocus():
            pane.view.setFocus()
