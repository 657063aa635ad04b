"""The side-by-side area: one :class:`ArticlePane` per shown document in a splitter,
with the :class:`LinkOverlay` that draws relations and links over them.

It creates and drops panes as documents are shown or hidden, remembers which pane
the person worked in last, and forwards change records to the panes they concern.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QPoint, QRect, Qt, Signal, SignalInstance
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QScrollArea, QSplitter, QWidget

from annotator.core.changes import RelationTypeChange, label_changes, touches_links
from annotator.core.commands import Changes, document_changes, span_changes
from annotator.core.models import Span
from annotator.core.project import Project
from annotator.ui.article_pane import ArticlePane
from annotator.ui.link_overlay import LinkOverlay

# A batch touching more ranges than this (an extractor's output) repaints the whole pane once.
REPAINT_ALL_ABOVE = 200


class PanesArea(QScrollArea):
    current_changed = Signal(str)  # document id
    span_clicked = Signal(str, object)  # document id, Span | None
    link_drag_started = Signal(str, object)  # document id, Span (Alt held)
    menu_requested = Signal(str, object, QPoint)  # document id, Span | None, global position

    def __init__(self, project: Project, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._project = project
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("panesSplitter")
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setHandleWidth(6)
        self.setWidget(self.splitter)
        self.setWidgetResizable(True)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFrameShape(QScrollArea.Shape.NoFrame)
        self.panes: dict[str, ArticlePane] = {}
        self.current_id: str | None = None
        self.show_rejected = False
        self.layer: tuple[str | None, str | None] = (None, None)  # shown layer, viewer
        self.overlay = LinkOverlay(project, self.viewport())
        self.splitter.splitterMoved.connect(lambda _pos, _index: self.overlay.schedule())
        self.horizontalScrollBar().valueChanged.connect(lambda _v: self.overlay.schedule())

    def show_documents(self, doc_ids: list[str]) -> None:
        for doc_id in list(self.panes):
            if doc_id not in doc_ids:
                gone = self.panes.pop(doc_id)
                gone.hide()
                gone.setParent(None)
                gone.deleteLater()
        for position, doc_id in enumerate(doc_ids):
            pane = self.panes.get(doc_id)
            if pane is None:
                pane = ArticlePane(self._project.document(doc_id), self._project.labels)
                pane.set_show_rejected(self.show_rejected)
                pane.set_layer(*self.layer)
                pane.activated.connect(self._on_activated)
                pane.span_clicked.connect(self.span_clicked)
                pane.link_drag_started.connect(self.link_drag_started)
                pane.menu_requested.connect(self.menu_requested)
                pane.scrolled.connect(self.overlay.schedule)
                self.panes[doc_id] = pane
            self.splitter.insertWidget(position, pane)
        self.panes = {d: self.panes[d] for d in doc_ids}
        if self.current_id not in self.panes:
            self.current_id = doc_ids[0] if doc_ids else None
        self.splitter.setSizes([1000] * len(doc_ids))
        self.overlay.set_panes(self.panes)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.overlay.setGeometry(QRect(QPoint(0, 0), self.viewport().size()))
        self.overlay.schedule()

    def pane_at(self, where: QPoint) -> ArticlePane | None:
        """The pane under a global screen position."""
        for pane in self.panes.values():
            viewport = pane.view.viewport()
            if viewport.rect().contains(viewport.mapFromGlobal(where)):
                return pane
        return None

    def _on_activated(self, doc_id: str) -> None:
        if doc_id != self.current_id:
            self.current_id = doc_id
            self.current_changed.emit(doc_id)

    def current_pane(self) -> ArticlePane | None:
        return self.panes.get(self.current_id) if self.current_id else None

    def focus_pane(self, doc_id: str) -> None:
        pane = self.panes.get(doc_id)
        if pane is not None:
            moved = doc_id != self.current_id
            self.current_id = doc_id
            pane.view.setFocus()
            self.ensureWidgetVisible(pane)
            if moved:
                self.current_changed.emit(doc_id)

    def cycle(self, step: int) -> None:
        ids = list(self.panes)
        if not ids:
            return
        i = ids.index(self.current_id) if self.current_id in ids else 0
        self.focus_pane(ids[(i + step) % len(ids)])

    def follow(self, changed: SignalInstance) -> None:
        """Take every change record the session announces (see :meth:`apply`)."""
        changed.connect(self.apply)

    def apply(self, changes: Changes) -> None:
        """Draw what the change records touched: new labels in every pane, spans and
        titles in their panes, links over them."""
        if label_changes(changes):
            for pane in self.panes.values():
                pane.set_labels(self._project.labels)
        for info in document_changes(changes):
            if info.document_id in self.panes:
                self.panes[info.document_id].update_title()
        for doc_id, ranges in self._touched_ranges(changes).items():
            pane = self.panes[doc_id]
            if len(ranges) > REPAINT_ALL_ABOVE:
                pane.repaint_range(0, len(pane.document.text))
            else:
                for start, end in ranges:
                    pane.repaint_range(start, end)
            pane.update_header()
        if touches_links(changes):
            self.overlay.changed(types=any(isinstance(c, RelationTypeChange) for c in changes))

    def _touched_ranges(self, changes: Changes) -> dict[str, list[tuple[int, int]]]:
        """The ranges the span changes touched (before and after), by shown document."""
        by_doc: dict[str, list[tuple[int, int]]] = {}
        for change in span_changes(changes):
            if change.document_id in self.panes:
                ranges = by_doc.setdefault(change.document_id, [])
                ranges += [(s.start, s.end) for s in (change.before, change.after) if s]
        return by_doc

    def set_show_rejected(self, on: bool) -> None:
        self.show_rejected = on
        for pane in self.panes.values():
            pane.set_show_rejected(on)

    def set_layer(self, layer: str | None, me: str | None) -> None:
        """Show only ``layer``'s spans (None: every layer's)."""
        self.layer = (layer, me)
        for pane in self.panes.values():
            pane.set_layer(layer, me)
        self.overlay.changed()  # only the shown layer's links are drawn

    def set_selected(self, doc_id: str | None, span: Span | None) -> None:
        for pane_id, pane in self.panes.items():
            pane.set_selected_span(span if pane_id == doc_id else None)

    def set_linked(self, linked: dict[str, list[Span]], relation_ids: set[str]) -> None:
        """Highlight what is linked to the selected span: its spans in every pane, and
        its lines."""
        for doc_id, pane in self.panes.items():
            pane.set_linked(linked.get(doc_id, []))
        self.overlay.highlighted = relation_ids
        self.overlay.schedule()

    def save_state(self) -> QByteArray:
        return self.splitter.saveState()

    def restore_state(self, state: QByteArray) -> None:
        self.splitter.restoreState(state)
