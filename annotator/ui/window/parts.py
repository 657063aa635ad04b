"""The parts of the main window, named and typed once: what the shell builds and the
window's other modules (menus, wiring, modes, selection, status, lifecycle) use.

The modules take a :class:`WindowParts` rather than the shell's class, so imports run
one way: the shell imports them, they import only this.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QMainWindow

if TYPE_CHECKING:
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QDockWidget

    from annotator.core.commands import Changes
    from annotator.core.models import Span
    from annotator.io.recovery import JournalContents
    from annotator.settings import Settings
    from annotator.ui.adjudicate_panel import AdjudicatePanel
    from annotator.ui.compare_panel import Comparing
    from annotator.ui.document_model import DocumentListModel
    from annotator.ui.exchange import Exchange
    from annotator.ui.label_bar import LabelBar
    from annotator.ui.layer_panes import LayerPanes
    from annotator.ui.link_tools import LinkTools
    from annotator.ui.panes_area import PanesArea
    from annotator.ui.review import ReviewMode
    from annotator.ui.review_panel import ReviewPanel
    from annotator.ui.session import Session
    from annotator.ui.span_model import SpanTableModel
    from annotator.ui.span_panel import SpanPanel
    from annotator.ui.suggestion_tools import SuggestionTools
    from annotator.ui.tagging import Tagging
    from annotator.ui.team import TeamTools
    from annotator.ui.window.documents import DocumentList
    from annotator.ui.window.find_bar import FindBox
    from annotator.ui.window.label_actions import LabelActions


class Queue(Protocol):
    """The queue of work (:class:`annotator.ui.window.queue.WorkQueue`), as the other
    parts call it (named here, not imported: the queue imports this module)."""

    def follow(self) -> None: ...
    def tick(self) -> None: ...
    def mark_done_and_next(self) -> None: ...
    def reopen(self) -> None: ...
    def step(self, forward: bool) -> None: ...
    def show_progress(self) -> None: ...


class WindowParts(QMainWindow):
    closed = Signal()  # after the layout was remembered: time to write settings
    open_requested = Signal()  # File ▸ Open: the app chooses and opens another project
    open_path_requested = Signal(object)  # Help ▸ Open the Team Example: open this folder
    reload_requested = Signal()  # the project file changed on disk and the user chose Reload

    session: Session
    settings: Settings
    recovery: tuple[JournalContents, Changes] | None  # a crashed session's edits, offered
    actions_by_name: dict[str, QAction]
    retype_actions: dict[str, QAction]
    labeling: LabelActions
    # the central area
    label_bar: LabelBar
    find_box: FindBox
    panes: PanesArea
    # the docks and what they hold
    document_view: DocumentList
    documents: DocumentListModel
    spans: SpanTableModel
    span_panel: SpanPanel
    review: ReviewMode
    review_panel: ReviewPanel
    adjudicate_panel: AdjudicatePanel
    layer_panes: LayerPanes
    documentsDock: QDockWidget
    spansDock: QDockWidget
    reviewDock: QDockWidget
    linksDock: QDockWidget
    compareDock: QDockWidget
    adjudicateDock: QDockWidget
    sideDock: QDockWidget
    # the tools behind the menus
    tagging: Tagging
    suggestion_tools: SuggestionTools
    exchange: Exchange
    link_tools: LinkTools
    team: TeamTools
    comparing: Comparing
    queue: Queue

    def shown_documents(self) -> list[str]:
        return self.documents.shown()

    def apply_label(self, label: str) -> None:
        """Tag the current pane's selection, or relabel the selected span or suggestion."""
        self.tagging.apply_label(label)

    def reveal_span(self, doc_id: str, span: Span) -> None:
        """The span in its pane (shown first if it was not), scrolled to and selected."""
        from annotator.ui.session import SpanRef

        if doc_id not in self.panes.panes:
            self.documents.set_shown(doc_id, True)
        pane = self.panes.panes[doc_id]
        self.panes.ensureWidgetVisible(pane)
        pane.reveal(span)
        self.session.select(SpanRef(doc_id, span.id))

    def focus_current_pane(self) -> None:
        if self.panes.current_id:
            self.panes.focus_pane(self.panes.current_id)
