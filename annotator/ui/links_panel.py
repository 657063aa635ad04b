"""The Links panel: every relation, link and cluster of the shown documents.

Two tables over item models (Qt model/view; the views own no data): relations and
links, filterable by type and document; clusters with their name, mentions and
documents. A click on a row scrolls both ends into view. Delete removes the chosen
link, F2 (or a double click) names the chosen cluster, "Merge" joins two clusters.
The link table follows each change record (a row in, out or redrawn: a link costs the
panel well under a millisecond at 10,000 links); the cluster table is rebuilt a moment
after the last change, and only while it is shown (a hidden panel costs an edit nothing).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QColor, QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSizePolicy,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from annotator.core import provenance
from annotator.core.changes import Changes, SpanChange, relation_changes
from annotator.core.clusters import Cluster, clusters
from annotator.core.models import Relation
from annotator.core.project import Project
from annotator.core.wording import count

Index = QModelIndex | QPersistentModelIndex
ALL = "(all)"


def _mention(project: Project, key: tuple[str, str]) -> str:
    span = project.span_of(key)
    text = " ".join(span.text.split()) if span else f"({key[1]} is gone)"
    return text if len(text) <= 70 else text[:69] + "…"


def _title(project: Project, doc_id: str) -> str:
    return provenance.name(project.document(doc_id)) if project.has_document(doc_id) else doc_id


class _Table(QAbstractTableModel):
    """A flat table with fixed column headers (rows come from the subclass)."""

    HEADERS: tuple[str, ...] = ()
    rows: list[Any]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        return None


class LinkTableModel(_Table):
    HEADERS = ("Type", "From", "To", "Documents", "Status")

    def __init__(self, project: Project) -> None:
        super().__init__()
        self.project = project
        self.rows: list[Relation] = []
        self._row_of: dict[str, int] = {}
        self.documents: list[str] = []
        self.type_filter: str | None = None
        self.document_filter: str | None = None

    def accepts(self, relation: Relation) -> bool:
        docs = {relation.source.document, relation.target.document}
        if not docs & set(self.documents):
            return False
        if self.type_filter and relation.type != self.type_filter:
            return False
        return not self.document_filter or self.document_filter in docs

    def rebuild(self) -> None:
        self.beginResetModel()
        self.rows = [r for r in self.project.relations() if self.accepts(r)]
        self._row_of = {r.id: i for i, r in enumerate(self.rows)}
        self.endResetModel()

    def apply(self, changes: Changes) -> None:
        """Follow the change records: rows in, out or redrawn; span edits redraw the ends."""
        for change in relation_changes(changes):
            row = self._row_of.get(change.relation_id)
            keep = change.after is not None and self.accepts(change.after)
            if row is not None and keep:
                assert change.after is not None
                self.rows[row] = change.after
                self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.HEADERS) - 1))
            elif row is not None:
                self.beginRemoveRows(QModelIndex(), row, row)
                del self.rows[row]
                self._row_of = {r.id: i for i, r in enumerate(self.rows)}
                self.endRemoveRows()
            elif keep:
                assert change.after is not None
                self.beginInsertRows(QModelIndex(), len(self.rows), len(self.rows))
                self._row_of[change.after.id] = len(self.rows)
                self.rows.append(change.after)
                self.endInsertRows()
        if self.rows and any(isinstance(c, SpanChange) for c in changes):
            last = self.index(len(self.rows) - 1, len(self.HEADERS) - 1)
            self.dataChanged.emit(self.index(0, 0), last)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        relation = self.rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return relation.type
            if column == 1:
                return _mention(self.project, relation.source.key)
            if column == 2:
                return _mention(self.project, relation.target.key)
            if column == 3:
                a = _title(self.project, relation.source.document)
                if not relation.across:
                    return a
                return f"{a} ↔ {_title(self.project, relation.target.document)}"
            return relation.status if relation.is_suggestion else "manual"
        if role == Qt.ItemDataRole.ForegroundRole and column == 0:
            kind = self.project.relation_type(relation.type)
            return QColor(kind.color) if kind else None
        if role == Qt.ItemDataRole.UserRole:
            return relation.id
        return None


class ClusterTableModel(_Table):
    HEADERS = ("Cluster", "Mentions", "Documents")

    def __init__(self, project: Project) -> None:
        super().__init__()
        self.project = project
        self.rows: list[Cluster] = []
        self.documents: list[str] = []

    def rebuild(self) -> None:
        self.beginResetModel()
        self.rows = clusters(self.project, self.documents)
        self.endResetModel()

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        cluster = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            if index.column() == 0:
                return cluster.name
            if index.column() == 1:
                texts = dict.fromkeys(_mention(self.project, k) for k in cluster.members)
                return f"{len(cluster.members)}: " + " / ".join(texts)
            return ", ".join(_title(self.project, d) for d in cluster.documents)
        if role == Qt.ItemDataRole.FontRole and index.column() == 0 and cluster.named:
            font = QFont()
            font.setBold(True)
            return font
        return None


class LinksPanel(QWidget):
    """Relations, links and clusters of the shown documents."""

    relation_activated = Signal(str)  # relation id: show both ends
    cluster_activated = Signal(object)  # Cluster: show its mentions
    remove_requested = Signal(str)  # relation id
    rename_requested = Signal(object)  # Cluster
    merge_requested = Signal(object, object)  # Cluster, Cluster

    def __init__(self, project: Project, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.project = project
        self.links = LinkTableModel(project)
        self.clusters = ClusterTableModel(project)
        self._stale = True  # the link table must be rebuilt when next shown
        self._clusters_stale = True
        self._cluster_timer = QTimer(self)
        self._cluster_timer.setSingleShot(True)
        self._cluster_timer.setInterval(300)
        self._cluster_timer.timeout.connect(self._rebuild_clusters)
        self._pending: list[Changes] = []  # change records the link table has yet to follow
        self._table_timer = QTimer(self)
        self._table_timer.setSingleShot(True)
        self._table_timer.setInterval(120)
        self._table_timer.timeout.connect(self._apply_pending)

        self.type_box = QComboBox()
        self.type_box.setObjectName("linkTypeFilter")
        self.document_box = QComboBox()
        self.document_box.setObjectName("linkDocumentFilter")
        for box in (self.type_box, self.document_box):
            box.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            box.setMinimumContentsLength(6)
        self.type_box.currentIndexChanged.connect(self._filters_changed)
        self.document_box.currentIndexChanged.connect(self._filters_changed)
        self.link_view = _table("linkTable", self.links)
        self.link_view.clicked.connect(self._link_clicked)
        self.link_view.activated.connect(self._link_clicked)
        self.count = QLabel("")
        self.count.setTextFormat(Qt.TextFormat.PlainText)
        self.count.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        remove = QPushButton("Remove")
        remove.setObjectName("removeLink")
        remove.clicked.connect(self._remove_chosen)
        _local_key("Delete", self.link_view, self._remove_chosen)

        filters = QHBoxLayout()
        self.type_box.setToolTip("Show one relation type")
        self.document_box.setToolTip("Show the links of one document")
        filters.addWidget(self.type_box, 1)
        filters.addWidget(self.document_box, 2)
        link_page = QWidget()
        link_layout = QVBoxLayout(link_page)
        link_layout.setContentsMargins(4, 4, 4, 4)
        link_layout.addLayout(filters)
        link_layout.addWidget(self.link_view, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.count, 1)
        bottom.addWidget(remove)
        link_layout.addLayout(bottom)

        self.cluster_view = _table("clusterTable", self.clusters)
        self.cluster_view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.cluster_view.clicked.connect(self._cluster_clicked)
        self.cluster_view.doubleClicked.connect(lambda _i: self._rename_chosen())
        _local_key("F2", self.cluster_view, self._rename_chosen)
        rename = QPushButton("Name…")
        rename.setObjectName("renameCluster")
        rename.clicked.connect(self._rename_chosen)
        merge = QPushButton("Merge")
        merge.setObjectName("mergeClusters")
        merge.setToolTip("Join the two chosen clusters into one")
        merge.clicked.connect(self._merge_chosen)
        cluster_page = QWidget()
        cluster_layout = QVBoxLayout(cluster_page)
        cluster_layout.setContentsMargins(4, 4, 4, 4)
        cluster_layout.addWidget(self.cluster_view, 1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(rename)
        buttons.addWidget(merge)
        cluster_layout.addLayout(buttons)

        self.tabs = QTabWidget()
        self.tabs.setObjectName("linkTabs")
        self.tabs.addTab(link_page, "Links")
        self.tabs.addTab(cluster_page, "Clusters")
        self.tabs.currentChanged.connect(lambda _i: self._rebuild_clusters_if_stale())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)
        self._fill_filters()

    # --- content ------------------------------------------------------------------------

    def set_documents(self, doc_ids: list[str]) -> None:
        self.links.documents = list(doc_ids)
        self.clusters.documents = list(doc_ids)
        self._fill_filters()
        self.refresh()

    def _fill_filters(self) -> None:
        for box, items in (
            (self.type_box, [t.name for t in self.project.relation_types]),
            (self.document_box, self.links.documents),
        ):
            current = box.currentData()
            box.blockSignals(True)
            box.clear()
            box.addItem(ALL, None)
            for item in items:
                text = _title(self.project, item) if box is self.document_box else item
                box.addItem(text, item)
            found = box.findData(current)
            box.setCurrentIndex(max(0, found))
            box.blockSignals(False)

    def _filters_changed(self) -> None:
        self.links.type_filter = self.type_box.currentData()
        self.links.document_filter = self.document_box.currentData()
        self.refresh()

    def refresh(self) -> None:
        """Rebuild from the project now if shown, else when it is next shown."""
        self._stale = self._clusters_stale = True
        if self.isVisible():
            self._rebuild()

    def apply(self, changes: Changes) -> None:
        """Links changed: the link table follows the records a moment later (after the
        frame that shows the new line), clusters too, if they are shown."""
        if not self._stale:
            self._pending.append(changes)
            self._table_timer.start()
        self._clusters_stale = True
        if self.isVisible() and self.tabs.currentIndex() == 1:
            self._cluster_timer.start()

    def _apply_pending(self) -> None:
        pending, self._pending = self._pending, []
        if self._stale:
            return
        for changes in pending:
            self.links.apply(changes)
        self._count()

    def types_changed(self) -> None:
        self._fill_filters()
        self.refresh()

    def showEvent(self, event: object) -> None:
        super().showEvent(event)  # type: ignore[arg-type]
        if self._stale:
            self._rebuild()
        self._rebuild_clusters_if_stale()

    def _rebuild(self) -> None:
        self._stale = False
        self._pending.clear()
        self._table_timer.stop()
        self.links.rebuild()
        self._count()
        self._rebuild_clusters_if_stale()

    def _rebuild_clusters_if_stale(self) -> None:
        if self._clusters_stale and self.isVisible() and self.tabs.currentIndex() == 1:
            self._rebuild_clusters()

    def _rebuild_clusters(self) -> None:
        self._cluster_timer.stop()
        self._clusters_stale = False
        self.clusters.rebuild()

    def _count(self) -> None:
        self.count.setText(f"{count(len(self.links.rows), 'row')} in the shown documents")

    # --- choices -------------------------------------------------------------------------

    def _link_clicked(self, index: QModelIndex) -> None:
        if index.isValid():
            self.relation_activated.emit(self.links.rows[index.row()].id)

    def _cluster_clicked(self, index: QModelIndex) -> None:
        if index.isValid():
            self.cluster_activated.emit(self.clusters.rows[index.row()])

    def _remove_chosen(self) -> None:
        rows = self.link_view.selectionModel().selectedRows()
        if rows:
            self.remove_requested.emit(self.links.rows[rows[0].row()].id)

    def chosen_clusters(self) -> list[Cluster]:
        rows = sorted(i.row() for i in self.cluster_view.selectionModel().selectedRows())
        return [self.clusters.rows[r] for r in rows]

    def _rename_chosen(self) -> None:
        chosen = self.chosen_clusters()
        if chosen:
            self.rename_requested.emit(chosen[0])

    def _merge_chosen(self) -> None:
        chosen = self.chosen_clusters()
        if len(chosen) == 2:
            self.merge_requested.emit(chosen[0], chosen[1])


def _local_key(key: str, view: QWidget, slot: Callable[[], None]) -> None:
    """A key for one table only (the window's Delete and F2 act on spans and documents)."""
    shortcut = QShortcut(QKeySequence(key), view)
    shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
    shortcut.activated.connect(slot)


def _table(name: str, model: QAbstractTableModel) -> QTableView:
    view = QTableView()
    view.setObjectName(name)
    view.setModel(model)
    view.verticalHeader().hide()
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setWordWrap(False)
    header = view.horizontalHeader()
    header.setStretchLastSection(True)
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    return view
