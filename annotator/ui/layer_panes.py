"""View ▸ Layers Side by Side: one article twice, two annotators' layers (or one and
gold) beside each other, each under a header in that annotator's colour.

Read-only views over the project: each pane is an :class:`ArticlePane` that shows one
layer (see :meth:`ArticlePane.set_layer`). They follow the article the window is on,
or while adjudicating the queue's current item, and repaint when the project changes.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QSplitter, QVBoxLayout, QWidget

from annotator.core.adjudication import layers_of
from annotator.core.changes import Changes, span_changes
from annotator.core.models import GOLD, Span
from annotator.ui.article_pane import ArticlePane
from annotator.ui.session import Session

# an annotator's colour: by their place among the project's annotators
PALETTE = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b")
GOLD_COLOR = "#b8860b"


def layer_color(layer: str, everyone: list[str]) -> str:
    if layer == GOLD:
        return GOLD_COLOR
    names = sorted(everyone)
    return PALETTE[names.index(layer) % len(PALETTE)] if layer in names else "#666666"


class LayerPanes(QWidget):
    def __init__(self, session: Session, *, me: Callable[[], str | None]) -> None:
        super().__init__()
        self.setObjectName("layerPanes")
        self.session = session
        self.me = me
        self.doc_id: str | None = None
        self.everyone: list[str] = []  # the annotators, as last filled (a scan of every span)
        self.choices = (QComboBox(), QComboBox())
        for n, box in enumerate(self.choices):
            box.setObjectName(f"sideLayer{'AB'[n]}")
            box.activated.connect(lambda _i: self.refresh())
        self.heads = (QLabel(), QLabel())
        for head in self.heads:
            head.setTextFormat(Qt.TextFormat.PlainText)
            head.setObjectName("sideLayerHead")
        self.panes: list[ArticlePane] = []
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("sideBySide")
        self.columns: list[QVBoxLayout] = []
        for head in self.heads:
            holder = QWidget()
            column = QVBoxLayout(holder)
            column.setContentsMargins(0, 0, 0, 0)
            column.setSpacing(0)
            column.addWidget(head)
            self.splitter.addWidget(holder)
            self.columns.append(column)
        self.hint = QLabel("Open an article to see two layers of it side by side.")
        self.hint.setTextFormat(Qt.TextFormat.PlainText)
        top = QHBoxLayout()
        top.addWidget(QLabel("Left:"))
        top.addWidget(self.choices[0], 1)
        top.addWidget(QLabel("Right:"))
        top.addWidget(self.choices[1], 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.hint)
        layout.addWidget(self.splitter, 1)
        session.changed.connect(self._on_changed)

    def layers(self) -> tuple[str, str]:
        return self.choices[0].currentText(), self.choices[1].currentText()

    def fill(self, chosen: tuple[str, str] | None = None) -> None:
        """The layers to choose from; ``chosen`` (else the current, else the first two)."""
        self.everyone = layers_of(self.session.project)
        everyone = [*self.everyone, GOLD]
        current = chosen or self.layers()
        for n, box in enumerate(self.choices):
            box.blockSignals(True)
            box.clear()
            box.addItems(everyone)
            if current[n] in everyone:
                box.setCurrentText(current[n])
            elif len(everyone) > n:
                box.setCurrentIndex(n)
            box.blockSignals(False)

    def show_document(self, doc_id: str | None, span: Span | None = None) -> None:
        if doc_id != self.doc_id:
            self.doc_id = doc_id
            self._build()
        self.refresh()
        if span is not None:
            for pane in self.panes:
                pane.reveal(span, flash=False)

    def _build(self) -> None:
        for pane in self.panes:
            pane.setParent(None)
            pane.deleteLater()
        self.panes = []
        project = self.session.project
        if self.doc_id is None or not project.has_document(self.doc_id):
            self.hint.show()
            return
        self.hint.hide()
        doc = project.document(self.doc_id)
        for n, column in enumerate(self.columns):
            pane = ArticlePane(doc, project.labels)
            pane.setObjectName(f"sidePane{'AB'[n]}")
            column.addWidget(pane, 1)
            self.panes.append(pane)

    def refresh(self) -> None:
        """Each pane shows its layer, under a header in that layer's colour."""
        for n, layer in enumerate(self.layers()):
            color = layer_color(layer, self.everyone)
            style = f"background: {color}; color: white; padding: 3px 8px; font-weight: bold;"
            if self.heads[n].styleSheet() != style:  # restyling costs a millisecond
                self.heads[n].setStyleSheet(style)
            self.heads[n].setText(
                "Gold (adjudicated)" if layer == GOLD else f"{layer}'s work" if layer else ""
            )
            if n < len(self.panes):
                self.panes[n].set_layer(layer or None, self.me())

    def _on_changed(self, changes: Changes) -> None:
        if self.doc_id is None or not self.isVisible():
            return
        touched = [
            span
            for change in span_changes(changes)
            if change.document_id == self.doc_id
            for span in (change.before, change.after)
            if span is not None
        ]
        for pane in self.panes:
            # a change in a layer the pane does not show (gold, beside ann's) leaves it
            shown = [span for span in touched if pane.painter.visible(span)]
            if shown:
                pane.repaint_range(min(s.start for s in shown), max(s.end for s in shown))
                pane.update_header()
