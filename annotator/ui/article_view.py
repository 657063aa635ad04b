"""The text area of an article pane: read-only, wrapped, selectable with the mouse and
the keyboard, a double-click selecting a word in any script, right-to-left paragraphs
aligned to the right. It speaks code points through the pane's :class:`TextBridge`.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt, QTimer, Signal
from PySide6.QtGui import (
    QContextMenuEvent,
    QFocusEvent,
    QFont,
    QMouseEvent,
    QTextCursor,
    QTextOption,
)
from PySide6.QtWidgets import QFrame, QPlainTextEdit, QWidget

from annotator.core.words import has_rtl_paragraph, warm, word_at
from annotator.ui.textbridge import TextBridge


def article_font() -> QFont:
    font = QFont()
    font.setFamilies(["Noto Serif", "DejaVu Serif", "Georgia", "Times New Roman", "serif"])
    font.setPointSizeF(11.5)
    return font


class ArticleView(QPlainTextEdit):
    """The text area: read-only, wrapped, selectable with mouse and keyboard."""

    focused = Signal()
    clicked = Signal(int)  # code point under a plain click (no selection made)
    # Alt held: a drag from a span to another span makes a link
    drag_started = Signal(int)  # code point where the drag began
    drag_moved = Signal(QPoint)  # global position
    drag_finished = Signal(QPoint)  # global position
    menu_requested = Signal(int, QPoint)  # code point (-1: none), global position

    def __init__(self, bridge: TextBridge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bridge = bridge
        self.setReadOnly(True)
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self.setFont(article_font())
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.document().setDocumentMargin(14)
        self.document().setUndoRedoEnabled(False)
        if has_rtl_paragraph(bridge.text):
            # each paragraph aligned to its own leading edge: right-to-left ones to the
            # right (a plain-text view has one alignment; justified, its last lines
            # follow each paragraph's direction)
            option = self.document().defaultTextOption()
            option.setAlignment(Qt.AlignmentFlag.AlignJustify)
            self.document().setDefaultTextOption(option)
        self.setPlainText(bridge.display_text)
        # Chinese, Japanese or Thai: the segmenter loads after the window is up
        QTimer.singleShot(300, lambda text=bridge.text: warm(text))
        self._press: QPoint | None = None
        self._dragging = False

    def char_at(self, point: QPoint) -> int | None:
        """Code point of the character under a viewport point, or None past the text."""
        cursor = self.cursorForPosition(point)
        pos = cursor.position()
        rect = self.cursorRect(cursor)
        if point.x() < rect.x() and pos > 0:
            pos -= 1
        if pos >= self.bridge.display_length:
            return None
        return self.bridge.to_cp(pos)

    def selection_range(self) -> tuple[int, int] | None:
        cursor = self.textCursor()
        if not cursor.hasSelection():
            return None
        return self.bridge.to_cp(cursor.selectionStart()), self.bridge.to_cp(cursor.selectionEnd())

    def select_range(self, start: int, end: int) -> None:
        cursor = self.textCursor()
        cursor.setPosition(self.bridge.to_qt(start))
        cursor.setPosition(self.bridge.to_qt(end), QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(cursor)
        self.ensureCursorVisible()

    def clear_selection(self) -> None:
        cursor = self.textCursor()
        cursor.clearSelection()
        self.setTextCursor(cursor)

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self.focused.emit()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self._press = event.position().toPoint()
        alt = event.modifiers() & Qt.KeyboardModifier.AltModifier
        if alt and event.button() == Qt.MouseButton.LeftButton:
            cp = self.char_at(self._press)
            if cp is not None:
                self._dragging = True
                self.focused.emit()
                self.drag_started.emit(cp)
                return
        super().mousePressEvent(event)
        self.focused.emit()  # the pane a person clicks is the one they work in

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        """A double-click selects the word under it, as :mod:`annotator.core.words`
        finds words in every script (a Chinese word, not the clause around it)."""
        plain = event.modifiers() == Qt.KeyboardModifier.NoModifier
        if event.button() == Qt.MouseButton.LeftButton and plain:
            cp = self.char_at(event.position().toPoint())
            word = word_at(self.bridge.text, cp) if cp is not None else None
            if word is not None:
                self.select_range(*word)
                self.focused.emit()
                event.accept()
                return
        super().mouseDoubleClickEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._dragging:
            self.drag_moved.emit(event.globalPosition().toPoint())
            return
        super().mouseMoveEvent(event)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        cp = self.char_at(event.pos())
        self.menu_requested.emit(-1 if cp is None else cp, event.globalPos())

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._dragging:
            self._dragging = False
            self._press = None
            self.drag_finished.emit(event.globalPosition().toPoint())
            return
        super().mouseReleaseEvent(event)
        point = event.position().toPoint()
        if (
            event.button() == Qt.MouseButton.LeftButton
            and self._press is not None
            and (point - self._press).manhattanLength() < 4
            and not self.textCursor().hasSelection()
        ):
            cp = self.char_at(point)
            self.clicked.emit(-1 if cp is None else cp)
        self._press = None
