"""The find box above the panes: Ctrl+F comes here, Enter selects the next match in
the shown articles and hands the keyboard back to the pane, Escape goes back."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLineEdit

from annotator.ui.find import find_next
from annotator.ui.panes_area import PanesArea


class FindBox(QLineEdit):
    found = Signal()  # a match was selected in a pane (link mode takes it as the target)

    def __init__(self, panes: PanesArea, say: Callable[..., None]) -> None:
        super().__init__()
        self.panes = panes
        self.say = say
        self.setObjectName("findBox")
        self.setPlaceholderText("Find (Ctrl+F), Enter selects the match")
        self.setClearButtonEnabled(True)
        self.setMaximumWidth(360)
        self.returnPressed.connect(self._find_from_box)

    def start(self) -> None:
        """Edit ▸ Find (Ctrl+F)."""
        self.setFocus()
        self.selectAll()

    def find_match(self, *, backwards: bool) -> bool:
        """Select the next match in the shown panes, wrapping around."""
        if not find_next(self.panes, self.text(), backwards, self.say):
            return False
        self.found.emit()
        return True

    def back_to_pane(self) -> None:
        if self.panes.current_id:
            self.panes.focus_pane(self.panes.current_id)

    def _find_from_box(self) -> None:
        if self.find_match(backwards=False):
            self.back_to_pane()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.back_to_pane()
            return
        super().keyPressEvent(event)
