"""The Review dock: progress, the current suggestion, filters and bulk decisions.

A thin view over :class:`~annotator.ui.review.ReviewMode`: it shows the mode's
state and turns its controls into calls on the mode. Every user string is shown as
plain text.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from annotator.core import provenance
from annotator.core.changes import RelationTypeChange, label_changes
from annotator.core.commands import Changes, document_changes
from annotator.core.models import Label, Relation
from annotator.core.review import ReviewFilter, relation_review
from annotator.core.wording import quoted
from annotator.ui.review import ReviewMode
from annotator.ui.widgets import named

ANY = "Any"
TYPE = "relation type\n"  # the label filter's data for a relation type (no label has \n)
KEYS_HINT = (
    "A/Enter accept · R/X reject · N/P next/previous · label keys relabel · "
    "Shift+←/→ end · Alt+Shift+←/→ start (add Ctrl: by word) · Ctrl+Z undo"
)


def _plain(text: str = "", name: str = "") -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    if name:
        label.setObjectName(name)
    return label


class ReviewPanel(QWidget):
    def __init__(self, mode: ReviewMode, labels: list[Label], parent: QWidget | None = None):
        super().__init__(parent)
        self.mode = mode
        self._documents: list[tuple[str, str]] = []

        self.progress_bar = QProgressBar()
        self.progress_bar.setObjectName("reviewProgress")
        self.progress_label = _plain(name="reviewProgressText")
        self.current_label = _plain(name="reviewCurrent")
        self.current_text = _plain(name="reviewCurrentText")
        self.current_text.setStyleSheet("font-size: 12pt;")

        self.label_filter = named(QComboBox(), "reviewLabelFilter")
        self.origin_filter = named(QComboBox(), "reviewOriginFilter")
        self.document_filter = named(QComboBox(), "reviewDocumentFilter")
        self.min_score = named(QDoubleSpinBox(), "reviewMinScore")
        self.min_score.setRange(0.0, 1.0)
        self.min_score.setSingleStep(0.05)
        self.min_score.setSpecialValueText(ANY)  # 0.0 shows "Any": no score threshold
        self.label_filter.addItem(ANY, None)
        for value, text in self._kinds(labels):
            self.label_filter.addItem(text, value)

        self.bulk_threshold = named(QDoubleSpinBox(), "reviewBulkThreshold")
        self.bulk_threshold.setRange(0.0, 1.0)
        self.bulk_threshold.setSingleStep(0.05)
        self.bulk_threshold.setValue(0.9)
        self.accept_above_button = named(QPushButton("Accept all ≥"), "reviewAcceptAbove")
        self.reject_origin_button = named(
            QPushButton("Reject all from the origin filter"), "reviewRejectOrigin"
        )

        buttons = QGridLayout()  # two by two: the dock stays narrow, the panes keep room
        for place, (text, slot, name) in enumerate(
            (
                ("Reject (R)", mode.reject, "reviewReject"),
                ("Accept (A)", mode.accept, "reviewAccept"),
                ("◀ Previous (P)", mode.previous, "reviewPrevious"),
                ("Next (N) ▶", mode.next, "reviewNext"),
            )
        ):
            button = named(QPushButton(text), name)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keys stay with the article
            button.clicked.connect(slot)
            buttons.addWidget(button, place // 2, place % 2)

        current = QGroupBox("Current suggestion")
        current_layout = QVBoxLayout(current)
        current_layout.addWidget(self.current_label)
        current_layout.addWidget(self.current_text)
        current_layout.addLayout(buttons)

        filters = QGroupBox("Queue")
        form = QFormLayout(filters)
        form.addRow("Label", self.label_filter)
        form.addRow("Origin", self.origin_filter)
        form.addRow("Document", self.document_filter)
        form.addRow("Score at least", self.min_score)

        bulk = QGroupBox("Bulk (undoable)")
        bulk_layout = QVBoxLayout(bulk)
        row = QHBoxLayout()
        row.addWidget(self.accept_above_button)
        row.addWidget(self.bulk_threshold)
        bulk_layout.addLayout(row)
        bulk_layout.addWidget(self.reject_origin_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.progress_label)
        layout.addWidget(self.progress_bar)
        layout.addWidget(current)
        layout.addWidget(filters)
        layout.addWidget(bulk)
        layout.addWidget(_plain(KEYS_HINT, "reviewKeys"))
        layout.addStretch(1)

        for combo in (self.label_filter, self.origin_filter, self.document_filter):
            combo.currentIndexChanged.connect(self._apply_filter)
        self.min_score.valueChanged.connect(self._apply_filter)
        self.accept_above_button.clicked.connect(
            lambda: mode.accept_above(self.bulk_threshold.value())
        )
        self.reject_origin_button.clicked.connect(self._reject_origin)
        mode.changed.connect(self.refresh)

    def follow(self) -> None:
        """Take every change record of the mode's session: new labels for the label
        filter, new titles for the document filter."""
        session = self.mode.session

        def on_changed(changes: Changes) -> None:
            project = session.project
            if label_changes(changes) or any(isinstance(c, RelationTypeChange) for c in changes):
                self.set_labels(project.labels)
            if document_changes(changes):
                shown = [d for d, _title in self._documents if project.has_document(d)]
                self.show_documents(shown)

        session.changed.connect(on_changed)

    def show_documents(self, doc_ids: list[str]) -> None:
        """These documents are shown: the document filter offers them by title."""
        project = self.mode.session.project
        self.set_documents([(d, provenance.name(project.document(d))) for d in doc_ids])

    def set_documents(self, documents: list[tuple[str, str]]) -> None:
        """(id, title) of the shown documents, for the document filter."""
        self._documents = documents
        self._fill(self.document_filter, documents)

    def set_labels(self, labels: list[Label]) -> None:
        """The project's labels changed: the label filter offers the new ones."""
        self._fill(self.label_filter, self._kinds(labels))

    def _kinds(self, labels: list[Label]) -> list[tuple[str, str]]:
        """The label filter's entries: each label, then each relation type's links
        ("contradicts only")."""
        kinds = self.mode.session.project.relation_types
        return [(lb.name, lb.name) for lb in labels] + [
            (TYPE + k.name, f"{k.name} links") for k in kinds
        ]

    def refresh_origins(self) -> None:
        self._fill(self.origin_filter, [(o, o) for o in self.mode.origins()])

    def _fill(self, combo: QComboBox, items: list[tuple[str, str]]) -> None:
        current = combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(ANY, None)
        for value, text in items:
            combo.addItem(text, value)
        combo.setCurrentIndex(max(combo.findData(current), 0))
        combo.blockSignals(False)

    def _apply_filter(self, *_args: object) -> None:
        def one(combo: QComboBox) -> frozenset[str] | None:
            value = combo.currentData()
            return None if value is None else frozenset({value})

        score = self.min_score.value()
        kind = self.label_filter.currentData()
        typed = isinstance(kind, str) and kind.startswith(TYPE)
        self.mode.set_filter(
            ReviewFilter(
                labels=None if typed else one(self.label_filter),
                types=frozenset({kind[len(TYPE) :]}) if typed else None,
                origins=one(self.origin_filter),
                documents=one(self.document_filter),
                min_score=score if score > 0 else None,
            )
        )

    def _reject_origin(self) -> None:
        origin = self.origin_filter.currentData()
        if origin is None:
            self.mode.session.edit_refused.emit("Choose an origin in the queue filter first.")
            return
        self.mode.reject_origin(origin)

    def refresh(self) -> None:
        done, total = self.mode.reviewed_total()
        self.progress_bar.setMaximum(max(total, 1))
        self.progress_bar.setValue(done)
        per_label = " · ".join(
            f"{label} {sum(c.values()) - c['pending']}/{sum(c.values())}"
            for label, c in sorted(self.mode.counts.items())
        )
        self.progress_label.setText(
            f"Reviewed {done} of {total}" + (f" — {per_label}" if per_label else "")
        )
        relation = self.mode.current_relation()
        if relation is not None:
            self._show_relation(relation)
            return
        span = self.mode.current_span()
        key = self.mode.current()
        if span is None or key is None:
            self.current_label.setText("No pending suggestion in the queue.")
            self.current_text.setText("")
            return
        score = "" if span.score is None else f" · score {span.score:.2f}"
        speaker = span.attributes.get("speaker")
        extra = f" · speaker {speaker}" if speaker else ""
        self.current_label.setText(
            f"{span.label} · {span.review} · from {span.origin}{score}{extra} · {key[0]}"
        )
        doc = self.mode.session.project.document(key[0])
        start, end = self.mode.draft or (span.start, span.end)
        changed = " (boundaries changed)" if self.mode.draft else ""
        self.current_text.setText(quoted(doc.text[start:end], 300) + changed)

    def _show_relation(self, relation: Relation) -> None:
        """A suggested relation or link: its type, review, origin, score and both ends."""
        project = self.mode.session.project
        score = "" if relation.score is None else f" · score {relation.score:.2f}"
        kind = "link" if relation.across else "relation"
        was = f" (proposed: {relation.proposed})" if relation.proposed else ""
        self.current_label.setText(
            f"{relation.type} {kind}{was} · {relation_review(relation)} · "
            f"from {relation.origin}{score}"
        )
        ends = []
        for end in (relation.source, relation.target):
            span = project.span_of(end.key)
            title = provenance.name(project.document(end.document))
            ends.append(f"{quoted(span.text, 120) if span else end.span} ({title})")
        arrow = " → " if (t := project.relation_type(relation.type)) and t.directed else " ↔ "
        self.current_text.setText(
            arrow.join(ends) + (f"\n{relation.note}" if relation.note else "")
        )
