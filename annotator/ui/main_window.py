"""The main window: a shell that lays out the panes, the panels and the menus.

It turns actions (keys, clicks, menus) into core commands run through the
:class:`Session`, and routes the session's change records to the views.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QByteArray, QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDockWidget,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from annotator import APP_DISPLAY_NAME, extract
from annotator.core.changes import RelationTypeChange
from annotator.core.commands import (
    Batch,
    Changes,
    EditError,
    document_changes,
    edit_labels,
    label_changes,
)
from annotator.core.models import GOLD, Span
from annotator.core.relating import edit_relation_types
from annotator.core.wording import count, quoted
from annotator.formats.records import ImportPlan
from annotator.io.paths import project_file
from annotator.io.recovery import JournalContents, set_aside
from annotator.ops.importing import ImportCommand
from annotator.settings import ProjectView, Settings, save_settings, team_example
from annotator.ui import prompts
from annotator.ui.actions import ACTIONS, MENUS, build_actions, shortcut_rows
from annotator.ui.adjudicate_panel import AdjudicatePanel
from annotator.ui.compare_panel import Comparing
from annotator.ui.context import Workbench
from annotator.ui.dialogs import ShortcutsDialog, message_box, show_about
from annotator.ui.document_model import DocumentListModel
from annotator.ui.exchange import Exchange
from annotator.ui.find import find_next
from annotator.ui.label_bar import LabelBar
from annotator.ui.label_dialog import LabelDialog
from annotator.ui.layer_panes import LayerPanes
from annotator.ui.link_tools import LinkTools
from annotator.ui.panes_area import PanesArea
from annotator.ui.plain import mnemonic_safe, title_safe, tooltip
from annotator.ui.relation_type_dialog import RelationTypeDialog
from annotator.ui.review import ReviewMode
from annotator.ui.review_panel import ReviewPanel
from annotator.ui.session import Session, SpanRef
from annotator.ui.span_model import SpanTableModel
from annotator.ui.span_panel import SpanPanel
from annotator.ui.suggestion_tools import EXTRACTOR_MENU, SuggestionTools
from annotator.ui.tagging import Tagging
from annotator.ui.team import TeamTools

DEFAULT_SHOWN = 3
# actions that change the project, off in a read-only window
READ_ONLY_DISABLED = (
    "save",
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


class MainWindow(QMainWindow):
    closed = Signal()  # after the layout was remembered: time to write settings
    open_requested = Signal()  # File ▸ Open: the app chooses and opens another project
    open_path_requested = Signal(object)  # Help ▸ Open the Team Example: open this folder
    reload_requested = Signal()  # the project file changed on disk and the user chose Reload

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

        # central: label bar + find box above the panes
        self.label_bar = LabelBar(project.labels)
        self.find_box = QLineEdit()
        self.find_box.setObjectName("findBox")
        self.find_box.setPlaceholderText("Find (Ctrl+F), Enter selects the match")
        self.find_box.setClearButtonEnabled(True)
        self.find_box.setMaximumWidth(360)
        self.panes = PanesArea(project)
        top = QHBoxLayout()
        top.setContentsMargins(6, 6, 6, 2)
        top.addWidget(self.label_bar, 1)
        top.addWidget(self.find_box)
        central = QWidget()
        central_layout = QVBoxLayout(central)
        central_layout.setContentsMargins(0, 0, 0, 0)
        central_layout.setSpacing(0)
        central_layout.addLayout(top)
        central_layout.addWidget(self.panes, 1)
        self.setCentralWidget(central)

        # docks: documents on the left, spans at the bottom
        self.documents = DocumentListModel(project, shown)
        self.document_view = QTableView()
        self.document_view.setObjectName("documentList")
        self.document_view.setModel(self.documents)
        self.document_view.verticalHeader().hide()
        self.document_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.document_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.document_view.horizontalHeader().setSectionResizeMode(
            0, QHeaderView.ResizeMode.Stretch
        )
        # The Spans column is sized by hand (_fit_count_column), not ResizeToContents:
        # that re-measured every document's row on each edit (1,000 documents: 80 ms),
        # and on every row whenever the Documents dock was closed (90 ms a decision)
        self.document_view.horizontalHeader().setSectionResizeMode(
            1, QHeaderView.ResizeMode.Interactive
        )
        self.document_view.resizeColumnToContents(1)
        self.document_view.setColumnHidden(2, True)
        self.spans = SpanTableModel(project)
        self.span_panel = SpanPanel(self.spans, project.labels)
        self._add_dock(
            "documentsDock", "Documents", self.document_view, Qt.DockWidgetArea.LeftDockWidgetArea
        )
        self._add_dock(
            "spansDock", "Annotations", self.span_panel, Qt.DockWidgetArea.BottomDockWidgetArea
        )
        self.review = ReviewMode(session, self)
        self.review_panel = ReviewPanel(self.review, project.labels)
        self.reviewDock = self._add_dock(
            "reviewDock", "Review", self.review_panel, Qt.DockWidgetArea.RightDockWidgetArea
        )
        self.reviewDock.hide()
        self.tagging = Tagging(
            session,
            self.panes,
            self.review,
            settings,
            parent=self,
            snap=lambda: self.actions_by_name["snap"].isChecked(),
            shown=self.shown_documents,
            chosen_document=self._chosen_document,
            say=self.statusBar().showMessage,
            into_gold=self._tagging_into_gold,
        )
        bench = Workbench(
            parent=self,
            session=session,
            shown_documents=self.shown_documents,
            say=self.statusBar().showMessage,
            apply_import=self.add_imported,
            suggestions_added=self.suggestions_added,
        )
        self.suggestion_tools = SuggestionTools(bench)
        self.exchange = Exchange(bench)
        self.link_tools = LinkTools(
            session,
            self.panes,
            parent=self,
            author=lambda: self.session.project.annotator,
            say=self.statusBar().showMessage,
            reveal=self.reveal_span,
        )
        self.linksDock = self._add_dock(
            "linksDock", "Links", self.link_tools.panel, Qt.DockWidgetArea.RightDockWidgetArea
        )
        self.team = TeamTools(
            session,
            settings,
            parent=self,
            shown=self.shown_documents,
            say=self.statusBar().showMessage,
            set_layer=self._set_layer,
        )
        self.comparing = Comparing(
            session,
            self.panes,
            parent=self,
            reveal=self.reveal_span,
            say=self.statusBar().showMessage,
        )
        self.compareDock = self._add_dock(
            "compareDock", "Compare", self.comparing.panel, Qt.DockWidgetArea.BottomDockWidgetArea
        )
        self.compareDock.hide()
        self.compareDock.visibilityChanged.connect(self._compare_visibility)
        self.adjudicate_panel = AdjudicatePanel(
            session,
            reveal=self._reveal_item,
            shown=self.shown_documents,
            say=self.statusBar().showMessage,
        )
        self.adjudicateDock = self._add_dock(
            "adjudicateDock",
            "Adjudicate",
            self.adjudicate_panel,
            Qt.DockWidgetArea.BottomDockWidgetArea,
        )
        self.tabifyDockWidget(self.spansDock, self.adjudicateDock)  # type: ignore[attr-defined]
        self.layer_panes = LayerPanes(session, me=lambda: self.session.project.annotator)
        self.sideDock = self._add_dock(
            "sideDock", "Layers Side by Side", self.layer_panes, Qt.DockWidgetArea.TopDockWidgetArea
        )

        self.actions_by_name = build_actions(self)
        self.label_actions: dict[str, QAction] = {}
        self.retype_actions: dict[str, QAction] = {}
        self._build_menus()
        self.actions_by_name["snap"].setChecked(settings.snap_to_words)

        self._connect()
        self._show_documents(shown)
        self._restore_layout(view)
        self.reviewDock.hide()  # review mode starts off, whatever the saved layout says
        self.adjudicateDock.hide()  # and so does adjudication
        self.sideDock.hide()
        if session.read_only:
            for name in READ_ONLY_DISABLED:
                self.actions_by_name[name].setEnabled(False)
            self.suggest_menu.setEnabled(False)
        self.save_state = QLabel("")
        self.save_state.setObjectName("saveState")
        self.save_state.setTextFormat(Qt.TextFormat.PlainText)
        self.journal_state = QLabel("Edit journal not written")
        self.journal_state.setObjectName("journalState")
        self.journal_state.setTextFormat(Qt.TextFormat.PlainText)
        self.journal_state.hide()
        self.statusBar().addPermanentWidget(self.journal_state)
        self.statusBar().addPermanentWidget(self.team.name_label)
        self.statusBar().addPermanentWidget(self.save_state)
        self._update_title()
        self._focus_current_pane()  # keyboard-first: the caret is in the first article
        self.statusBar().showMessage(
            f"{count(len(project.documents), 'document')}, {count(project.span_count, 'span')}. "
            "Select text and press a label key.",
            8000,
        )

    # --- construction ---------------------------------------------------------------

    def _add_dock(
        self, name: str, title: str, widget: QWidget, area: Qt.DockWidgetArea
    ) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)
        dock.setWidget(widget)
        self.addDockWidget(area, dock)
        setattr(self, name, dock)
        return dock

    def _build_menus(self) -> None:
        menus = {name: self.menuBar().addMenu(f"&{name}") for name in MENUS}
        for spec in ACTIONS:
            menus[spec.menu].addAction(self.actions_by_name[spec.name])
        self.labels_menu = menus["Labels"]
        self._build_label_actions()
        self.review_menu = menus["Review"]
        for dock in (self.documentsDock, self.spansDock, self.linksDock):  # type: ignore[attr-defined]
            menus["View"].addAction(dock.toggleViewAction())
        self.linksDock.toggleViewAction().setShortcut(QKeySequence("Ctrl+Shift+L"))
        self.linksDock.toggleViewAction().setObjectName("action_show_links")
        compare = self.compareDock.toggleViewAction()
        compare.setText("&Compare")
        compare.setShortcut(QKeySequence("Ctrl+Shift+C"))
        compare.setObjectName("action_compare")
        compare.setStatusTip("The comparison matrix: what each outlet has, where they disagree")
        menus["View"].addAction(compare)
        layers = menus["View"].addMenu("Show &Layer")
        layers.setObjectName("layerMenu")
        layers.aboutToShow.connect(lambda: self.team.fill_layer_menu(layers))
        self.layer_menu = layers
        menus["Review"].addSeparator()
        suggest = menus["Review"].addMenu("&Suggest With")
        suggest.setObjectName("suggestMenu")
        self.suggest_menu = suggest
        entries = list(EXTRACTOR_MENU)
        builtin = {name for _t, name, _o in EXTRACTOR_MENU}
        entries += [(name, name, {}) for name in extract.available() if name not in builtin]
        aligning = False
        for text, name, options in entries:
            if name.startswith("align-") != aligning:  # the link aligners stand apart
                aligning = not aligning
                suggest.addSeparator()
            action = suggest.addAction(text)
            action.setObjectName(f"action_suggest_{name}{'_fuzzy' if options else ''}")
            action.triggered.connect(
                lambda _=False, n=name, o=options: self.suggestion_tools.run_extractor(
                    n, **o, **self._link_options(n)
                )
            )
        minimum = suggest.addAction("Minimum Score for Links…")
        minimum.setObjectName("action_link_min_score")
        minimum.setStatusTip("The lowest score a suggested link needs (the Links entries above)")
        minimum.triggered.connect(self.ask_link_min_score)
        menus["Review"].addSeparator()
        self._build_retype_actions()

    def _set_layer(self, layer: str | None, me: str | None) -> None:
        self.panes.set_layer(layer, me)
        self.span_panel.set_layer(layer, me)

    def _link_options(self, name: str) -> dict[str, float]:
        score = self.settings.link_min_score
        return {"min_score": score} if name.startswith("align-") and score is not None else {}

    def ask_link_min_score(self) -> None:
        """Review ▸ Suggest With ▸ Minimum Score for Links…: kept in the user settings."""
        current = self.settings.link_min_score
        dialog = QInputDialog(self)  # an object, not the static helper: tests answer exec()
        dialog.setWindowTitle("Minimum score for links")
        dialog.setLabelText(
            "Suggest links scoring at least (0 to 1; each aligner's own default is 0.35 to 0.85):"
        )
        dialog.setInputMode(QInputDialog.InputMode.DoubleInput)
        dialog.setDoubleRange(0.0, 1.0)
        dialog.setDoubleDecimals(2)
        dialog.setDoubleStep(0.05)
        dialog.setDoubleValue(0.5 if current is None else current)
        ok = dialog.exec() == QInputDialog.DialogCode.Accepted
        value = dialog.doubleValue()
        dialog.deleteLater()
        if ok:
            self.settings.link_min_score = round(value, 2)
            save_settings(self.settings)
            self.statusBar().showMessage(f"Link suggestions now need a score of {value:.2f}", 5000)

    def _build_label_actions(self) -> None:
        """Labels ▸ Tag as …, one action a label, its key as shortcut."""
        for action in self.label_actions.values():
            self.removeAction(action)
            self.labels_menu.removeAction(action)
            action.deleteLater()
        self.label_actions.clear()
        for label in self.session.project.labels:
            action = QAction(f"Tag as {mnemonic_safe(label.name)}", self)
            action.setToolTip(tooltip(f"Tag as {label.name}"))  # else Qt may read it as HTML
            action.setStatusTip(f"Tag the selection as {label.name}")
            action.setObjectName(f"action_label_{label.name}")
            if label.key:
                action.setShortcut(QKeySequence(label.key))
            action.triggered.connect(lambda _=False, n=label.name: self.apply_label(n))
            self.addAction(action)
            self.labels_menu.addAction(action)
            self.label_actions[label.name] = action

    def _build_retype_actions(self) -> None:
        """Review ▸ Make It …: in review mode, a relation type's key retypes the suggested
        relation or link under review (the model's type is kept)."""
        for action in self.retype_actions.values():
            self.removeAction(action)
            self.review_menu.removeAction(action)
            action.deleteLater()
        self.retype_actions.clear()
        for kind in self.session.project.relation_types:
            action = QAction(f"Make It {mnemonic_safe(kind.name)}", self)
            action.setToolTip(tooltip(f"Retype the relation under review as {kind.name}"))
            action.setObjectName(f"action_retype_{kind.name}")
            if kind.key:
                action.setShortcut(QKeySequence(kind.key))
            action.setEnabled(self.review.active)
            action.triggered.connect(lambda _=False, n=kind.name: self.review.retype(n))
            self.addAction(action)
            self.review_menu.addAction(action)
            self.retype_actions[kind.name] = action

    def _labels_changed(self) -> None:
        """Labels were added, removed or edited (an import, its undo): every view follows."""
        labels = self.session.project.labels
        self.label_bar.set_labels(labels)
        self.span_panel.set_labels(labels)
        self.review_panel.set_labels(labels)
        for pane in self.panes.panes.values():
            pane.set_labels(labels)
        self._build_label_actions()

    def _connect(self) -> None:
        a = self.actions_by_name
        s = self.session
        a["save"].triggered.connect(s.save)
        a["quit"].triggered.connect(self.close)
        a["undo"].triggered.connect(s.undo)
        a["redo"].triggered.connect(s.redo)
        a["delete_span"].triggered.connect(self.delete_selected_span)
        a["edit_document"].triggered.connect(self.edit_document)
        a["edit_labels"].triggered.connect(self.edit_labels)
        a["edit_relation_types"].triggered.connect(self.edit_relation_types)
        a["link"].triggered.connect(self.link_tools.start)
        a["take_out_of_cluster"].triggered.connect(lambda: self.link_tools.take_out())
        self.document_view.doubleClicked.connect(lambda _index: self.edit_document())
        self.document_view.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.document_view.addAction(a["edit_document"])
        a["tag_all"].triggered.connect(lambda: self.tag_all_occurrences(variants=False))
        a["tag_all_variants"].triggered.connect(lambda: self.tag_all_occurrences(variants=True))
        a["find"].triggered.connect(self._focus_find)
        a["find_next"].triggered.connect(lambda: self.find_match(backwards=False))
        a["find_previous"].triggered.connect(lambda: self.find_match(backwards=True))
        a["snap"].toggled.connect(self._on_snap_toggled)
        a["clear_selection"].triggered.connect(self._clear_selection)
        a["next_pane"].triggered.connect(lambda: self.panes.cycle(1))
        a["previous_pane"].triggered.connect(lambda: self.panes.cycle(-1))
        a["shortcuts"].triggered.connect(self._show_shortcuts)
        a["about"].triggered.connect(self._show_about)
        a["annotator_name"].triggered.connect(self.team.ask_name)
        a["agreement"].triggered.connect(self.team.show_agreement)
        a["adjudicate"].toggled.connect(self.set_adjudicating)
        a["side_by_side"].toggled.connect(self.set_side_by_side)
        self.panes.current_changed.connect(self._follow_current)
        self.sideDock.visibilityChanged.connect(
            lambda on: (
                a["side_by_side"].setChecked(False) if not on and self.sideDock.isHidden() else None
            )
        )
        # closing the dock ends adjudication (behind another tab it is only out of sight)
        self.adjudicateDock.visibilityChanged.connect(
            lambda on: (
                a["adjudicate"].setChecked(False)
                if not on and self.adjudicateDock.isHidden()
                else None
            )
        )
        a["open"].triggered.connect(self.open_requested)
        a["team_example"].triggered.connect(lambda: self.open_path_requested.emit(team_example()))
        a["import_suggestions"].triggered.connect(self.suggestion_tools.ask_import)
        a["export"].triggered.connect(self.exchange.ask_export)
        a["export_comparison"].triggered.connect(self.comparing.ask_export)
        a["import"].triggered.connect(self.exchange.ask_import)
        a["add_articles"].triggered.connect(self.exchange.ask_add_articles)
        a["review"].toggled.connect(self.set_review_mode)
        a["show_rejected"].toggled.connect(self._on_show_rejected)
        r = self.review
        a["review_accept"].triggered.connect(r.accept)
        a["review_reject"].triggered.connect(r.reject)
        a["review_next"].triggered.connect(r.next)
        a["review_previous"].triggered.connect(r.previous)
        for name, edge, step, by_word in (
            ("review_end_right", "end", 1, False),
            ("review_end_left", "end", -1, False),
            ("review_end_word_right", "end", 1, True),
            ("review_end_word_left", "end", -1, True),
            ("review_start_left", "start", -1, False),
            ("review_start_right", "start", 1, False),
            ("review_start_word_left", "start", -1, True),
            ("review_start_word_right", "start", 1, True),
        ):
            a[name].triggered.connect(
                lambda _=False, e=edge, st=step, w=by_word: r.adjust(e, st, by_word=w)
            )
        r.current_changed.connect(self._show_review_current)
        r.relation_current.connect(self.link_tools.show_relation)
        self.label_bar.label_clicked.connect(self.apply_label)
        self.find_box.returnPressed.connect(self._find_from_box)
        self.find_box.installEventFilter(self)
        self.documents.shown_changed.connect(self._show_documents)
        self.panes.span_clicked.connect(self._on_span_clicked)
        self.span_panel.span_activated.connect(self.reveal_span)
        s.changed.connect(self._on_changed)
        s.history_changed.connect(self._update_title)
        s.selection_changed.connect(self._on_selection_changed)
        s.save_failed.connect(self._on_save_failed)
        s.changed_on_disk.connect(self._on_changed_on_disk)
        s.edit_refused.connect(lambda msg: self.statusBar().showMessage(msg, 5000))
        s.saved.connect(self._on_saved)
        s.journal_problem.connect(self._on_journal_problem)
        s.notice.connect(lambda text: self.statusBar().showMessage(text, 10000))
        s.late_problems.connect(self._on_late_problems)

    # --- documents and panes --------------------------------------------------------

    def _show_documents(self, doc_ids: list[str]) -> None:
        self.panes.show_documents(doc_ids)
        self.spans.set_documents(doc_ids)
        project = self.session.project
        self.review_panel.set_documents([(d, project.document(d).display_title) for d in doc_ids])
        self.review.set_documents(doc_ids)
        self.link_tools.set_documents(doc_ids)
        self.comparing.set_documents(doc_ids)
        sel = self.session.selected
        if sel is not None and sel.document_id not in doc_ids:
            self.session.select(None)

    def shown_documents(self) -> list[str]:
        return self.documents.shown()

    def _chosen_document(self) -> str | None:
        rows = self.document_view.selectionModel().selectedRows()
        return str(self.documents.data(rows[0], Qt.ItemDataRole.UserRole)) if rows else None

    # --- tagging ----------------------------------------------------------------------

    def apply_label(self, label: str) -> None:
        """Tag the current pane's selection, or relabel the selected span or suggestion."""
        self.tagging.apply_label(label)

    def edit_document(self) -> None:
        self.tagging.edit_document()

    def edit_labels(self) -> None:
        """Labels ▸ Edit Labels…: one undo step, renamed labels take their spans along."""
        dialog = LabelDialog(self.session.project.labels, self)
        while dialog.exec() == LabelDialog.DialogCode.Accepted:
            try:
                batch = edit_labels(self.session.project, dialog.rows())
            except (ValueError, EditError) as exc:  # say what is wrong, keep the dialog
                message_box(self, QMessageBox.Icon.Warning, str(exc), "labelProblem").exec()
                continue
            if batch.changes and self.session.run(batch):
                self.statusBar().showMessage("Labels changed (undo: Ctrl+Z).", 5000)
            return

    def edit_relation_types(self) -> None:
        """Labels ▸ Edit Relation Types…: one undo step; renamed types take their
        relations along."""
        dialog = RelationTypeDialog(self.session.project.relation_types, self)
        while dialog.exec() == RelationTypeDialog.DialogCode.Accepted:
            try:
                batch = edit_relation_types(self.session.project, dialog.rows())
            except (ValueError, EditError) as exc:
                message_box(self, QMessageBox.Icon.Warning, str(exc), "labelProblem").exec()
                continue
            if batch.changes and self.session.run(batch):
                self.statusBar().showMessage("Relation types changed (undo: Ctrl+Z).", 5000)
            return

    def tag_all_occurrences(self, *, variants: bool) -> None:
        self.tagging.tag_all_occurrences(variants=variants)

    def delete_selected_span(self) -> None:
        self.tagging.delete_selected_span()

    def _selected_span(self) -> tuple[str, Span] | None:
        return self.tagging.selected_span()

    def _on_span_clicked(self, doc_id: str, span: Span | None) -> None:
        if self.link_tools.span_clicked(doc_id, span):
            return  # linking: the click chose the other end
        self.session.select(SpanRef(doc_id, span.id) if span is not None else None)

    def _on_selection_changed(self, ref: SpanRef | None) -> None:
        selected = self._selected_span()
        self.panes.set_selected(ref.document_id if ref else None, selected[1] if selected else None)
        self.span_panel.select_span(ref.document_id if ref else None, ref.span_id if ref else None)
        if selected is not None:
            span = selected[1]
            self.statusBar().showMessage(
                f"{span.label}: {quoted(span.text, 80)} — a label key relabels, Delete removes"
            )

    def _clear_selection(self) -> None:
        if self.find_box.hasFocus():
            self._focus_current_pane()
            return
        pane = self.panes.current_pane()
        if pane is not None:
            pane.view.clear_selection()
        self.session.select(None)

    def _fit_count_column(self, doc_ids: set[str]) -> None:
        """The Spans column of the Documents list grows to fit the counts of the
        documents that changed; only those rows are measured."""
        view, model = self.document_view, self.documents
        metrics = view.fontMetrics()
        widest = view.columnWidth(1)
        for doc_id in doc_ids:
            text = model.data(model.index(model.row_of(doc_id), 1))
            if isinstance(text, str):
                widest = max(widest, metrics.horizontalAdvance(text) + 16)
        if widest > view.columnWidth(1):
            view.setColumnWidth(1, widest)

    def _on_changed(self, changes: Changes) -> None:
        """Every view takes the kinds of change it shows (see annotator.core.changes)."""
        if label_changes(changes):
            self._labels_changed()
        if any(isinstance(c, RelationTypeChange) for c in changes):
            self._build_retype_actions()
        project = self.session.project
        if any(c.before is None or c.after is None for c in document_changes(changes)):
            self.documents.reset()  # documents added or removed
            self.document_view.resizeColumnToContents(1)
            shown = [d for d in self.documents.shown() if project.has_document(d)]
            if shown != list(self.panes.panes):
                self._show_documents(shown)
        self.panes.apply(changes)
        self.spans.apply(changes)
        touched = {c.document_id for c in changes if project.has_document(c.document_id)}
        self.documents.refresh_counts(touched)
        self._fit_count_column(touched)
        if document_changes(changes):  # a title: the lists name documents by it
            self.spans.refresh_titles()
            project = self.session.project
            shown = self.shown_documents()
            self.review_panel.set_documents([(d, project.document(d).display_title) for d in shown])
        ref = self.session.selected
        if ref is not None:
            self._on_selection_changed(ref)

    def _compare_visibility(self, on: bool) -> None:
        """The Compare panel came into view: up to date, and tall enough to read."""
        if not on:
            return
        self.comparing.shown()
        self.comparing.panel.table.setFocus()  # keyboard-first: arrows move, Enter reveals
        if self.compareDock.height() < self.height() // 4:
            self.resizeDocks([self.compareDock], [self.height() * 2 // 5], Qt.Orientation.Vertical)

    def reveal_span(self, doc_id: str, span: Span) -> None:
        if doc_id not in self.panes.panes:
            self.documents.set_shown(doc_id, True)
        pane = self.panes.panes[doc_id]
        self.panes.ensureWidgetVisible(pane)
        pane.reveal(span)
        self.session.select(SpanRef(doc_id, span.id))

    # --- review -----------------------------------------------------------------------

    def _reveal_item(self, doc_id: str, span: Span) -> None:
        """An adjudication item: in its pane, and its two layers side by side."""
        self.reveal_span(doc_id, span)
        if self.sideDock.isVisible():
            chosen = self.adjudicate_panel.layers()
            if chosen is not None and chosen != self.layer_panes.layers():
                self.layer_panes.fill(chosen)
            self.layer_panes.show_document(doc_id, span)

    def _follow_current(self, doc_id: str) -> None:
        if self.sideDock.isVisible() and not self.adjudicateDock.isVisible():
            self.layer_panes.show_document(doc_id)

    def set_side_by_side(self, on: bool) -> None:
        """View ▸ Layers Side by Side (Ctrl+Shift+K): the current article, two layers."""
        self.sideDock.setVisible(on)
        if on:
            panel = self.adjudicate_panel
            chosen = panel.layers() if self.adjudicateDock.isVisible() else None
            self.layer_panes.fill(chosen)
            self.layer_panes.show_document(self.panes.current_id)

    def _tagging_into_gold(self) -> bool:
        """A span tagged while adjudicating, or while only gold is shown, is gold."""
        return self.actions_by_name["adjudicate"].isChecked() or self.team.layer == GOLD

    def set_adjudicating(self, on: bool) -> None:
        """Analysis ▸ Adjudicate (Ctrl+Shift+J): the queue in its dock, keys A/B/T/N."""
        if on and self.review.active:
            self.actions_by_name["review"].setChecked(False)
        self.adjudicateDock.setVisible(on)
        if on:
            self.actions_by_name["side_by_side"].setChecked(True)  # the two layers, beside
            self.adjudicate_panel.fill_layers()
            self.adjudicate_panel.refresh()
            self.adjudicateDock.raise_()
            self.adjudicate_panel.table.setFocus()

    def set_review_mode(self, on: bool) -> None:
        """View ▸ Review (Ctrl+R): the review dock, the review keys, the first suggestion."""
        action = self.actions_by_name["review"]
        if action.isChecked() != on:
            action.setChecked(on)  # comes back here through toggled
            return
        if on and self.actions_by_name["adjudicate"].isChecked():
            self.actions_by_name["adjudicate"].setChecked(False)
        for spec in ACTIONS:
            if spec.review:
                self.actions_by_name[spec.name].setEnabled(on)
        for action in self.retype_actions.values():
            action.setEnabled(on)
        self.reviewDock.setVisible(on)
        if on:
            self.review_panel.refresh_origins()
            self.review.set_documents(self.shown_documents())
        self.review.set_active(on)
        if not on:
            for pane in self.panes.panes.values():
                pane.set_current_suggestion(None, None)
        self._focus_current_pane()
        done, total = self.review.reviewed_total()
        if on:
            self.statusBar().showMessage(
                f"Review: {count(total - done, 'suggestion')} to review. A accepts, R rejects, "
                "N/P move, label keys relabel.",
                8000,
            )

    def _show_review_current(
        self, current: tuple[str, Span, tuple[int, int] | None] | None
    ) -> None:
        for doc_id, pane in self.panes.panes.items():
            if current is None or doc_id != current[0]:
                pane.set_current_suggestion(None, None)
        if current is None:
            return
        doc_id, span, draft = current
        shown = self.panes.panes.get(doc_id)
        if shown is None:
            return
        pane = shown
        if draft is None:
            self.panes.ensureWidgetVisible(pane)
            pane.reveal(span, flash=False)
            self.panes.current_id = doc_id
        pane.set_current_suggestion(span, draft)
        if not self.find_box.hasFocus():
            pane.view.setFocus()

    def add_imported(self, plan: ImportPlan) -> None:
        """Apply an import as one undo step: new labels, documents (they join the list,
        hidden) and spans; undo takes all of it back, the article files it wrote too."""
        if plan.batch.changes or plan.new_documents or plan.new_labels or plan.new_relation_types:
            self.session.run(ImportCommand(plan))
        self.suggestions_added()

    def suggestions_added(self) -> None:
        self.review_panel.refresh_origins()

    def _on_show_rejected(self, on: bool) -> None:
        self.panes.set_show_rejected(on)
        self.span_panel.set_show_rejected(on)

    # --- find -------------------------------------------------------------------------

    def _focus_find(self) -> None:
        self.find_box.setFocus()
        self.find_box.selectAll()

    def _find_from_box(self) -> None:
        if self.find_match(backwards=False):
            self._focus_current_pane()

    def find_match(self, *, backwards: bool) -> bool:
        """Select the next match of the find box in the shown panes, wrapping around."""
        return find_next(self.panes, self.find_box.text(), backwards, self.statusBar().showMessage)

    def _focus_current_pane(self) -> None:
        if self.panes.current_id:
            self.panes.focus_pane(self.panes.current_id)

    def eventFilter(self, watched: object, event: QEvent) -> bool:
        if watched is self.find_box and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if event.key() == Qt.Key.Key_Escape:
                self._focus_current_pane()
                return True
        return super().eventFilter(watched, event)  # type: ignore[arg-type]

    # --- settings, title, closing ---------------------------------------------------

    def _on_snap_toggled(self, on: bool) -> None:
        self.settings.snap_to_words = on

    def _update_title(self) -> None:
        root = self.session.project.root
        mode = " (read-only)" if self.session.read_only else ""
        # the marker stands apart from the name: "x[*]" + "[*]" would read as escaped
        self.setWindowTitle(f"{title_safe(root.name)} [*]{mode} — {APP_DISPLAY_NAME}")
        self.setWindowModified(self.session.is_dirty)
        writable = not self.session.read_only
        self.actions_by_name["undo"].setEnabled(writable and self.session.history.can_undo)
        self.actions_by_name["redo"].setEnabled(writable and self.session.history.can_redo)
        self.actions_by_name["undo"].setText(_with_hint("&Undo", self.session.history.undo_text))
        self.actions_by_name["redo"].setText(_with_hint("&Redo", self.session.history.redo_text))

    def _on_saved(self, path: str) -> None:
        """Shown beside the messages, never over them: an autosave must not hide the
        count of what the last command did."""
        self.save_state.setText(f"Saved {datetime.now().strftime('%H:%M:%S')}")
        self.save_state.setToolTip(tooltip(f"Saved {path}"))

    def _on_late_problems(self) -> None:
        """Spans read after the project opened (a large project's are read when first
        used) had problems: said as at opening, each said once."""
        problems = self.session.project.late_problems
        new, self._late_shown = problems[self._late_shown :], len(problems)
        if new:
            prompts.late_problems(self, new)

    _late_shown = 0

    def _on_journal_problem(self, message: str | None) -> None:
        """The edit journal cannot be written (once, with why), or works again."""
        if message is None:
            self.journal_state.setText("Edit journal written again")
            self.journal_state.setStyleSheet("")
            self.journal_state.setToolTip(tooltip("Every edit is in the edit journal again."))
            QTimer.singleShot(10_000, self._hide_journal_state)
            return
        self.journal_state.setText("Edit journal not written")
        self.journal_state.setStyleSheet("color: #b00020; font-weight: bold;")
        self.journal_state.setToolTip(tooltip(message))
        self.journal_state.show()
        prompts.journal_problem(self, message)

    def _hide_journal_state(self) -> None:
        if self.session.journal is None or self.session.journal.failed is None:
            self.journal_state.hide()

    def _on_save_failed(self, message: str) -> None:
        self.statusBar().showMessage(message)
        prompts.save_failed(self, message)

    def _restore_layout(self, view: ProjectView) -> None:
        if view.geometry:
            self.restoreGeometry(QByteArray.fromBase64(view.geometry.encode()))
        if view.window_state:
            self.restoreState(QByteArray.fromBase64(view.window_state.encode()))
        else:  # first time: the articles get most of the room
            self.resizeDocks([self.spansDock], [190], Qt.Orientation.Vertical)  # type: ignore[attr-defined]
            self.resizeDocks([self.documentsDock], [230], Qt.Orientation.Horizontal)  # type: ignore[attr-defined]
        if view.splitter:
            self.panes.restore_state(QByteArray.fromBase64(view.splitter.encode()))

    def remember_layout(self) -> None:
        view = self.settings.view(self.session.project.root)
        view.shown = self.shown_documents()
        view.geometry = bytes(self.saveGeometry().toBase64().data()).decode()
        view.window_state = bytes(self.saveState().toBase64().data()).decode()
        view.splitter = bytes(self.panes.save_state().toBase64().data()).decode()

    def shutdown(self) -> None:
        """End now, asking nothing (SIGTERM, logout): save what can be saved, keep the
        journal if it could not be saved (the next open offers it back), release the lock,
        remember the layout."""
        if self.session.is_dirty and not self.session.conflict and not self.session.read_only:
            self.session.save()
        self.session.close()
        self.remember_layout()
        self.closed.emit()
        self.hide()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.session.is_dirty and self.session.conflict:
            self.statusBar().showMessage("Choose Reload or Keep Mine first.", 5000)
            self._on_changed_on_disk()
            event.ignore()
            return
        if self.session.is_dirty and not self.session.save():
            if self.session.conflict:  # the file changed on disk: the conflict dialog asks
                event.ignore()
                return
            answer = QMessageBox.question(
                self,
                APP_DISPLAY_NAME,
                "Your changes could not be saved. Quit anyway and lose them?",
                QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Cancel,
            )
            if answer != QMessageBox.StandardButton.Discard:
                event.ignore()
                return
        self.session.close()
        self.remember_layout()
        self.closed.emit()
        event.accept()

    # --- the project file changed on disk -----------------------------------------------

    def _on_changed_on_disk(self) -> None:
        """Someone else changed annotator.json: reload theirs or keep mine, losing neither."""
        if self.findChild(QMessageBox, "conflictDialog") is not None:
            return  # already asking
        session = self.session
        changed = session.conflict_file or project_file(session.project.root)
        where = changed.relative_to(session.project.root).as_posix()
        prompts.ask_conflict(self, session.is_dirty, self._conflict_answered, where)

    def _conflict_answered(self, keep_mine: bool) -> None:
        if keep_mine:
            kept = self.session.keep_mine()
            names = ", ".join(p.name for p in kept) or "nothing (it was deleted)"
            if not self.session.is_dirty:
                self.statusBar().showMessage(f"Saved your version; the other is kept as {names}")
            return
        self.reload_requested.emit()

    # --- recovery ---------------------------------------------------------------------

    def offer_recovery(self) -> None:
        """Offer the edits a crashed session left in the journal (see ``app._check_journal``)."""
        if self.recovery is None:
            return
        contents, changes = self.recovery
        prompts.ask_recovery(self, contents, len(changes), self._recovery_answered)

    def _recovery_answered(self, restore: bool) -> None:
        if self.recovery is None:
            return
        contents, changes = self.recovery
        self.recovery = None
        self.session.start_journal()
        if restore:
            restored = count(len(changes), "change")
            self.session.run(Batch(f"Restore {restored} from the journal", changes))
            self.statusBar().showMessage(f"Restored {restored}.", 5000)
            return
        try:
            kept = set_aside(contents)
        except OSError as exc:
            self.statusBar().showMessage(f"Could not set the journal aside: {exc}", 8000)
            return
        self.statusBar().showMessage(f"The journal was kept as {kept.name}.", 8000)

    # --- dialogs ----------------------------------------------------------------------

    def _show_shortcuts(self) -> None:
        project = self.session.project
        keys = [(lb.name, lb.key) for lb in project.labels if lb.key]
        kinds = [(t.name, t.key) for t in project.relation_types if t.key]
        ShortcutsDialog(shortcut_rows(keys, kinds), self).open()

    def _show_about(self) -> None:
        show_about(self, str(self.session.project.root))


def _with_hint(text: str, hint: str) -> str:
    return f"{text} {hint.replace('&', '&&')}" if hint else text
