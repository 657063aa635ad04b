"""Small widget helpers shared by the panels and dialogs."""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtWidgets import QWidget

W = TypeVar("W", bound=QWidget)


def named(widget: W, name: str) -> W:
    """``widget`` with its object name set (tests and style sheets find it by name)."""
    widget.setObjectName(name)
    return widget
