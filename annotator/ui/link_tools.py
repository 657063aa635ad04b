"""The window's link tools: link mode, the Links panel, the span context menu, Alt-drag
between spans, what the selection highlights and what hovering a span says of its
links. Every edit is a command from :mod:`annotator.core.relating` run through the
session; this module only turns gestures into them and shows the result."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QPoint
from PySide6.QtGui import QCursor
from PySide6.QtWidgets import QInputDialog, QLineEdit, QMenu, QWidget

from annotator.core import provenance
from annotator.core.changes import Changes, RelationTypeChange, touches_links
from annotator.core.clusters import Cluster, cluster_of, members_of
from annotator.core.commands import Batch, EditError
from annotator.core.models import Span
from annotator.core.relating import (
    merge_clusters,
    remove_relation,
    rename_cluster,
    take_out_of_cluster,
)
from annotator.core.wording import quoted
from annotator.ui.linking import LinkMode
from annotator.ui.links_panel import LinksPanel
from annotator.ui.panes_area import PanesArea
from annotator.ui.session import Session, SpanRef


class LinkTools(QObject):
    def __init__(
        self,
        session: Session,
        panes: PanesArea,
        *,
        parent: QWidget,
        author: Callable[[], str | None],
        say: Callable[[str, int], None],
        reveal: Callable[[str, Span], None],
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.panes = panes
        self.window = parent
        self.say = say
        self.reveal = reveal
        self.mode = LinkMode(session, panes, parent=parent, author=author, say=say)
        self.panel = LinksPanel(session.project)
        self._drag_from: SpanRef | None = None
        self.mode.changed.connect(self._show_pending)
        panes.link_drag_started.connect(self._drag_started)
        panes.menu_requested.connect(self._menu)
        self.panel.relation_activated.connect(self.show_relation)
        self.panel.cluster_activated.connect(self.show_cluster)
        self.panel.remove_requested.connect(self.remove)
        self.panel.rename_requested.connect(self.rename)
        self.panel.merge_requested.connect(self.merge)
        session.changed.connect(self._on_changed)
        session.selection_changed.connect(lambda _ref: self.highlight())

    # --- views ---------------------------------------------------------------------------

    def set_documents(self, doc_ids: list[str]) -> None:
        self.panel.set_documents(doc_ids)
        for pane in self.panes.panes.values():
            pane.link_lines = self.link_lines
        self.highlight()

    def _on_changed(self, changes: Changes) -> None:
        if any(isinstance(c, RelationTypeChange) for c in changes):
            self.panel.types_changed()
        elif touches_links(changes):
            self.panel.apply(changes)
        if touches_links(changes):
            self.highlight()

    def highlight(self) -> None:
        """Everything linked to the selected span, in every pane, and its lines."""
        ref = self.session.selected
        project = self.session.project
        linked: dict[str, list[Span]] = {}
        relation_ids: set[str] = set()
        if ref is not None and project.span_of((ref.document_id, ref.span_id)) is not None:
            key = (ref.document_id, ref.span_id)
            keys = set(members_of(project, key))
            for relation in project.relations_of(*key):
                relation_ids.add(relation.id)
                keys.update((relation.source.key, relation.target.key))
            for member in members_of(project, key):
                relation_ids.update(r.id for r in project.relations_of(*member))
            keys.discard(key)
            for other in keys:
                span = project.span_of(other)
                if span is not None:
                    linked.setdefault(other[0], []).append(span)
        self.panes.set_linked(linked, relation_ids)

    def link_lines(self, span: Span) -> list[str]:
        """What hovering a span says of its links: one line each, and its cluster."""
        project = self.session.project
        pane = next((p for p in self.panes.panes.values() if p.document.has_span(span.id)), None)
        if pane is None:
            return []
        key = (pane.document.id, span.id)
        lines = []
        for relation in project.relations_of(*key):
            other = relation.target.key if relation.source.key == key else relation.source.key
            other_span = project.span_of(other)
            where = (
                "" if other[0] == key[0] else f" in {provenance.name(project.document(other[0]))}"
            )
            arrow = "→" if relation.source.key == key else "←"
            text = quoted(other_span.text, 50) if other_span else other[1]
            status = f" ({relation.status})" if relation.status != "accepted" else ""
            lines.append(f"{arrow} {relation.type}: {text}{where}{status}")
        cluster = cluster_of(project, key)
        if cluster is not None:
            lines.append(f"cluster {quoted(cluster.name, 50)}: {len(cluster.members)} mentions")
        return lines

    def _show_pending(self) -> None:
        overlay = self.panes.overlay
        source = self.mode.source
        overlay.pending = (source.document_id, source.span_id) if source else None
        target = self.mode.target() if source else None
        overlay.pending_target = (target.document_id, target.span_id) if target else None
        overlay.schedule()

    # --- gestures ------------------------------------------------------------------------

    def start(self) -> None:
        """Edit ▸ Link Selected Span (L)."""
        if self.mode.active:
            self.mode.cancel()
            return
        self.mode.start()

    def span_clicked(self, doc_id: str, span: Span | None) -> bool:
        """A click while linking picks the other end (True: it was taken)."""
        if not self.mode.active:
            return False
        self.mode.span_clicked(doc_id, span, QCursor.pos() if span is not None else None)
        return True

    def _drag_started(self, doc_id: str, span: Span) -> None:
        self._drag_from = SpanRef(doc_id, span.id)
        overlay = self.panes.overlay
        overlay.pending = (doc_id, span.id)
        view = self.panes.panes[doc_id].view
        view.drag_moved.connect(self._drag_moved)
        view.drag_finished.connect(self._drag_finished)

    def _drag_moved(self, where: QPoint) -> None:
        self.panes.overlay.pending_to = where
        self.panes.overlay.schedule()

    def _drag_finished(self, where: QPoint) -> None:
        source = self._drag_from
        self._drag_from = None
        overlay = self.panes.overlay
        overlay.pending = overlay.pending_to = None
        if source is not None:
            pane = self.panes.panes.get(source.document_id)
            if pane is not None:
                pane.view.drag_moved.disconnect(self._drag_moved)
                pane.view.drag_finished.disconnect(self._drag_finished)
        overlay.schedule()
        target_pane = self.panes.pane_at(where)
        target = target_pane.span_at_global(where) if target_pane is not None else None
        if source is None or target_pane is None or target is None:
            self.say("Drop on another span to link them.", 4000)
            return
        self.mode.offer_types(source, SpanRef(target_pane.document.id, target.id), where)

    def _menu(self, doc_id: str, span: Span | None, where: QPoint) -> None:
        """The context menu of a pane: copy, and for a span, Link to… and its cluster."""
        pane = self.panes.panes.get(doc_id)
        if pane is None:
            return
        menu = QMenu(self.window)
        menu.setObjectName("paneMenu")
        copy = menu.addAction("Copy")
        copy.setEnabled(pane.view.textCursor().hasSelection())
        copy.triggered.connect(pane.view.copy)
        if span is not None:
            ref = SpanRef(doc_id, span.id)
            menu.addSeparator()
            link_to = menu.addAction("Link to…")
            link_to.setObjectName("menu_link_to")
            link_to.setEnabled(not self.session.read_only)
            link_to.triggered.connect(lambda: self._link_from(ref))
            take_out = menu.addAction("Take Out of Cluster")
            take_out.setObjectName("menu_take_out")
            take_out.setEnabled(cluster_of(self.session.project, (doc_id, span.id)) is not None)
            take_out.triggered.connect(lambda: self.take_out(ref))
        menu.exec(where)

    def _link_from(self, ref: SpanRef) -> None:
        self.session.select(ref)
        if self.mode.start(ref):
            self.say("Link to…: click the other span (Escape cancels).", 0)

    # --- commands ------------------------------------------------------------------------

    def take_out(self, ref: SpanRef | None = None) -> None:
        """Edit ▸ Take Out of Cluster: the selected span leaves its cluster."""
        ref = ref or self.session.selected
        if ref is None:
            self.say("Select a span in a cluster first.", 4000)
            return
        key = (ref.document_id, ref.span_id)
        self._run(lambda: take_out_of_cluster(self.session.project, key))

    def remove(self, relation_id: str) -> None:
        project = self.session.project
        if project.has_relation(relation_id):
            self._run(lambda: remove_relation(project, project.relation(relation_id)))

    def rename(self, cluster: Cluster) -> None:
        name, ok = QInputDialog.getText(
            self.window,
            "Name the Cluster",
            "Name (empty: its longest mention):",
            QLineEdit.EchoMode.Normal,
            cluster.name if cluster.named else "",
        )
        if ok:
            self._run(lambda: rename_cluster(self.session.project, cluster, name))

    def merge(self, first: Cluster, second: Cluster) -> None:
        self._run(lambda: merge_clusters(self.session.project, first, second))

    def _run(self, make: Callable[[], Batch]) -> None:
        """Make a command and run it (one undo step), or say why it cannot be made."""
        try:
            command = make()
        except EditError as exc:
            self.say(str(exc), 5000)
            return
        if command.changes and self.session.run(command):
            self.say(f"{command.description} (undo: Ctrl+Z).", 5000)

    def show_relation(self, relation_id: str) -> None:
        """Scroll both ends of a relation or link into view."""
        project = self.session.project
        if not project.has_relation(relation_id):
            return
        relation = project.relation(relation_id)
        for end in (relation.target, relation.source):
            span = project.span_of(end.key)
            if span is not None:
                self.reveal(end.document, span)

    def show_cluster(self, cluster: Cluster) -> None:
        """Scroll to the first mention of a cluster in each shown document."""
        project = self.session.project
        first: dict[str, tuple[str, str]] = {}
        for key in cluster.members:
            if key[0] in self.panes.panes:
                first.setdefault(key[0], key)
        for key in reversed(list(first.values())):
            span = project.span_of(key)
            if span is not None:
                self.reveal(key[0], span)
