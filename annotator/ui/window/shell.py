"""The main window: a shell that builds the panes, the docks and the menus, lays them
out, and hands each job to its module (menus, modes, status, selection, lifecycle).

It routes no change records: every view follows the session itself (see
:func:`annotator.ui.window.wiring.subscribe_views`).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QCloseEvent
from PySide6.QtWidgets import QDockWidget, QHBoxLayout, QVBoxLayout, QWidget

from annotator.core.commands import Changes
from annotator.core.wording import count
from annotator.formats.records import ImportPlan
from annotator.io.recovery import JournalContents
from annotator.ops.importing import ImportCommand
from annotator.settings import Settings
from annotator.ui.actions import build_actions
from annotator.ui.adjudicate_panel import AdjudicatePanel
from annotator.ui.compare_panel import Comparing
from annotator.ui.context import Workbench
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
from annotator.ui.widgets import scrolled
from annotator.ui.window import wiring
from annotator.ui.window.documents import DocumentList
from annotator.ui.window.find_bar import FindBox
from annotator.ui.window.label_actions import LabelActions
from annotator.ui.window.lifecycle import Lifecycle
from annotator.ui.window.menus import build_menus
from annotator.ui.window.modes import Modes
from annotator.ui.window.parts import WindowParts
from annotator.ui.window.queue import WorkQueue
from annotator.ui.window.selection import Selection
from annotator.ui.window.status import WindowStatus

DEFAULT_SHOWN = 3
# actions that change the project, off in a read-only window
READ_ONLY_DISABLED = (
    "save",
    "mark_done",
    "reopen_document",
    "import",
    "add_articles",
    "import_suggestions",
    "delete_span",
    "review",
    "tag_all",
    "tag_all_variants",
    "edit_document",
    "edit_labels",
    "edit_relation_types",
    "link",
    "take_out_of_cluster",
)
LEFT, RIGHT = Qt.DockWidgetArea.LeftDockWidgetArea, Qt.DockWidgetArea.RightDockWidgetArea
TOP, BOTTOM = Qt.DockWidgetArea.TopDockWidgetArea, Qt.DockWidgetArea.BottomDockWidgetArea


class MainWindow(WindowParts):
    """The window of one project: its parts are named in :class:`WindowParts`."""

    def __init__(self, session: Session, settings: Settings) -> None:
        super().__init__()
        self.session = session
        # The session dies with the window: its signal connections hold lambdas that
        # refer to the window, a cycle the Python collector cannot see through Qt.
        session.setParent(self)
        self.settings = settings
        # edits left in the journal by a crashed session, offered once shown
        self.recovery: tuple[JournalContents, Changes] | None = None
        project = session.project
        self.setObjectName("mainWindow")
        self.resize(1400, 860)
        view = settings.view(project.root)
        shown = [d for d in view.shown if project.has_document(d)] or [
            d.id for d in project.documents[:DEFAULT_SHOWN]
        ]
        say = self.statusBar().showMessage
        self._build_central()
        self._build_docks(shown)
        self._build_tools(say)
        self.actions_by_name = build_actions(self)
        self.labeling = LabelActions(session, self, self.review, self.apply_label)
        self.label_actions: dict[str, QAction] = self.labeling.tag
        self.retype_actions: dict[str, QAction] = self.labeling.retype
        self.modes = Modes(self)
        self.queue = WorkQueue(self, gold=self.modes.tagging_into_gold)
        self.documents.whose = self.queue.who
        self.selection = Selection(self)
        self.lifecycle = Lifecycle(self)
        self.layer_menu, self.suggest_menu = build_menus(self)
        self.actions_by_name["snap"].setChecked(settings.snap_to_words)
        wiring.connect_actions(self, clear_selection=self.selection.clear)
        wiring.subscribe_views(self, last=self.selection.follow)
        wiring.show_documents(self, shown)
        self.lifecycle.restore_layout(view)
        for dock in (self.reviewDock, self.adjudicateDock, self.sideDock):
            dock.hide()  # the modes start off, whatever the saved layout says
        if session.read_only:
            for name in READ_ONLY_DISABLED:
                self.actions_by_name[name].setEnabled(False)
            self.suggest_menu.setEnabled(False)
        self.status = WindowStatus(self)
        self.save_state, self.journal_state = self.status.save_state, self.status.journal_state
        self.focus_current_pane()  # keyboard-first: the caret is in the first article
        say(
            f"{count(len(project.documents), 'document')}, {count(project.span_count, 'span')}. "
            "Select text and press a label key.",
            8000,
        )

    # --- construction ---------------------------------------------------------------

    def _build_central(self) -> None:
        """The label bar and the find box above the panes."""
        self.label_bar = LabelBar(self.session.project.labels)
        self.panes = PanesArea(self.session.project)
        self.find_box = FindBox(self.panes, self.statusBar().showMessage)
        top = QHBoxLayout()
        top.setContentsMargins(6, 6, 6, 2)
        top.addWidget(self.label_bar, 1)
        top.addWidget(self.find_box)
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(top)
        layout.addWidget(self.panes, 1)
        self.setCentralWidget(central)

    def _build_docks(self, shown: list[str]) -> None:
        """Documents on the left, annotations at the bottom, review on the right."""
        session = self.session
        self.document_view = DocumentList(session, shown)
        self.documents = self.document_view.documents
        self.spans = SpanTableModel(session.project)
        self.span_panel = SpanPanel(self.spans, session.project.labels)
        self.documentsDock = self._add_dock(
            "documentsDock", "Documents", self.document_view.panel(), LEFT
        )
        self.spansDock = self._add_dock("spansDock", "Annotations", self.span_panel, BOTTOM)
        self.review = ReviewMode(session, self)
        self.review_panel = ReviewPanel(self.review, session.project.labels)
        # scrolled: a long suggestion and its note are never cut in a short dock
        self.reviewDock = self._add_dock("reviewDock", "Review", scrolled(self.review_panel), RIGHT)

    def _build_tools(self, say: object) -> None:
        """The tools behind the menus, and the docks of the linking, comparing,
        adjudicating and side-by-side tools."""
        session, settings, shown = self.session, self.settings, self.shown_documents
        self.tagging = Tagging(
            session,
            self.panes,
            self.review,
            settings,
            parent=self,
            snap=lambda: self.actions_by_name["snap"].isChecked(),
            shown=shown,
            chosen_document=self.document_view.chosen,
            say=self.statusBar().showMessage,
            into_gold=lambda: self.modes.tagging_into_gold(),
        )
        bench = Workbench(
            parent=self,
            session=session,
            shown_documents=shown,
            say=self.statusBar().showMessage,
            apply_import=self.add_imported,
            suggestions_added=self.suggestions_added,
            show=lambda doc_id: self.documents.set_shown(doc_id, True),
        )
        self.suggestion_tools = SuggestionTools(bench)
        self.exchange = Exchange(bench)
        me = lambda: self.session.project.annotator  # noqa: E731
        tell = self.statusBar().showMessage
        self.link_tools = LinkTools(
            session, self.panes, parent=self, author=me, say=tell, reveal=self.reveal_span
        )
        self.linksDock = self._add_dock("linksDock", "Links", self.link_tools.panel, RIGHT)
        self.team = TeamTools(
            session, settings, parent=self, shown=shown, say=tell, set_layer=self._set_layer
        )
        self.comparing = Comparing(
            session, self.panes, parent=self, reveal=self.reveal_span, say=tell
        )
        self.compareDock = self._add_dock("compareDock", "Compare", self.comparing.panel, BOTTOM)
        self.compareDock.hide()
        self.compareDock.visibilityChanged.connect(self._compare_visibility)
        self.adjudicate_panel = AdjudicatePanel(
            session, reveal=lambda d, s: self.modes.reveal_item(d, s), shown=shown, say=tell
        )
        self.adjudicateDock = self._add_dock(
            "adjudicateDock", "Adjudicate", self.adjudicate_panel, BOTTOM
        )
        self.tabifyDockWidget(self.spansDock, self.adjudicateDock)
        self.layer_panes = LayerPanes(session, me=me)
        self.sideDock = self._add_dock("sideDock", "Layers Side by Side", self.layer_panes, TOP)

    def _add_dock(
        self, name: str, title: str, widget: QWidget, area: Qt.DockWidgetArea
    ) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)
        dock.setWidget(widget)
        self.addDockWidget(area, dock)
        return dock

    def _set_layer(self, layer: str | None, me: str | None) -> None:
        self.panes.set_layer(layer, me)
        self.span_panel.set_layer(layer, me)

    def _compare_visibility(self, on: bool) -> None:
        """The Compare panel came into view: up to date, and tall enough to read."""
        if not on:
            return
        self.comparing.shown()
        self.comparing.panel.table.setFocus()  # keyboard-first: arrows move, Enter reveals
        if self.compareDock.height() < self.height() // 4:
            self.resizeDocks([self.compareDock], [self.height() * 2 // 5], Qt.Orientation.Vertical)

    # --- what the tools and the tests ask of the window ------------------------------

    def delete_selected_span(self) -> None:
        self.tagging.delete_selected_span()

    def set_review_mode(self, on: bool) -> None:
        self.modes.set_review_mode(on)

    def set_adjudicating(self, on: bool) -> None:
        self.modes.set_adjudicating(on)

    def find_match(self, *, backwards: bool) -> bool:
        return self.find_box.find_match(backwards=backwards)

    def add_imported(self, plan: ImportPlan) -> None:
        """Apply an import as one undo step: new labels, documents (they join the list,
        hidden) and spans; undo takes all of it back, the article files it wrote too."""
        if plan.batch.changes or plan.new_documents or plan.new_labels or plan.new_relation_types:
            self.session.run(ImportCommand(plan))
        self.suggestions_added()

    def suggestions_added(self) -> None:
        self.review_panel.refresh_origins()

    # --- ending -------------------------------------------------------------------------

    def offer_recovery(self) -> None:
        self.lifecycle.offer_recovery()

    def remember_layout(self) -> None:
        self.lifecycle.remember_layout()

    def shutdown(self) -> None:
        self.lifecycle.shutdown()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.lifecycle.close_event(event)
