"""The label bar: one button per label, showing its colour and key."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from annotator.core.changes import label_changes
from annotator.core.commands import Changes
from annotator.core.models import Label
from annotator.ui.plain import mnemonic_safe, tooltip

if TYPE_CHECKING:
    from annotator.ui.session import Session


class LabelBar(QWidget):
    label_clicked = Signal(str)

    def __init__(self, labels: list[Label], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(4, 0, 4, 0)
        self._layout.setSpacing(6)
        self.buttons: dict[str, QPushButton] = {}
        self.set_labels(labels)

    def follow(self, session: Session) -> None:
        """Redraw the buttons whenever a change record says the labels changed."""

        def on_changed(changes: Changes) -> None:
            if label_changes(changes):
                self.set_labels(session.project.labels)

        session.changed.connect(on_changed)

    def set_labels(self, labels: list[Label]) -> None:
        while self._layout.count():
            item = self._layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.buttons.clear()
        caption = QLabel("Tag as:")
        self._layout.addWidget(caption)
        for label in labels:
            key = f"{label.key}  " if label.key else ""
            button = QPushButton(f"{key}{mnemonic_safe(label.name)}")
            button.setObjectName(f"labelButton:{label.name}")
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.setToolTip(
                tooltip(
                    f"Tag the selection as {label.name}"
                    + (f" (key {label.key})" if label.key else "")
                )
            )
            bg = QColor(label.color)
            bg.setAlpha(110)
            border = QColor(label.color).darker(120).name()
            rgba = f"rgba({bg.red()},{bg.green()},{bg.blue()},{bg.alpha()})"
            button.setStyleSheet(
                f"QPushButton {{ border: 1px solid {border}; border-radius: 4px;"
                f" padding: 3px 10px; background: {rgba}; }}"
            )
            button.clicked.connect(lambda _=False, n=label.name: self.label_clicked.emit(n))
            self._layout.addWidget(button)
            self.buttons[label.name] = button
        self._layout.addStretch(1)
