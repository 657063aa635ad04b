"""Small widget helpers shared by the panels and dialogs."""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QScrollArea, QWidget

W = TypeVar("W", bound=QWidget)


def named(widget: W, name: str) -> W:
    """``widget`` with its object name set (tests and style sheets find it by name)."""
    widget.setObjectName(name)
    return widget


def scrolled(widget: QWidget) -> QScrollArea:
    """``widget`` in a frameless scroll area that scrolls up and down only, so that a
    dock shorter than its content scrolls instead of squeezing it."""
    area = QScrollArea()
    area.setObjectName(f"{widget.objectName() or 'panel'}Scroll")
    area.setWidget(widget)
    area.setWidgetResizable(True)
    area.setFrameShape(QScrollArea.Shape.NoFrame)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    # as wide as the widget needs (nothing cut at the right), with room for the bar
    bar = area.verticalScrollBar().sizeHint().width()
    area.setMinimumWidth(widget.minimumSizeHint().width() + bar)
    return area
