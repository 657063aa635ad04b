"""One article in its own pane: title, source and the read-only text with its spans.

The pane owns the :class:`TextBridge` of its document and is the only widget that
turns Qt positions into code points. It reports what the person does (a selection,
a click on a span, a hover) and redraws spans from change records.
"""

from __future__ import annotations

import html

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QFocusEvent,
    QFont,
    QHelpEvent,
    QMouseEvent,
    QTextCharFormat,
    QTextCursor,
    QTextOption,
)
from PySide6.QtWidgets import (
    QFrame,
    QLabel,
    QPlainTextEdit,
    QTextEdit,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from annotator.core.models import Label, Span
from annotator.core.project import Document
from annotator.core.wording import span_counts
from annotator.ui.span_painter import SpanPainter
from annotator.ui.textbridge import TextBridge

FLASH_MS = 900


def article_font() -> QFont:
    font = QFont()
    font.setFamilies(["Noto Serif", "DejaVu Serif", "Georgia", "Times New Roman", "serif"])
    font.setPointSizeF(11.5)
    return font


class ArticleView(QPlainTextEdit):
    """The text area: read-only, wrapped, selectable with mouse and keyboard."""

    focused = Signal()
    clicked = Signal(int)  # code point under a plain click (no selection made)

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
        self.setPlainText(bridge.display_text)
        self._press: QPoint | None = None

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
        super().mousePressEvent(event)
        self.focused.emit()  # the pane a person clicks is the one they work in

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
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


class ArticlePane(QFrame):
    """Title, source and span count above the article text."""

    activated = Signal(str)  # document id: the pane got focus
    span_clicked = Signal(str, object)  # document id, Span | None

    def __init__(self, document: Document, labels: list[Label], parent: QWidget | None = None):
        super().__init__(parent)
        self.document = document
        self.bridge = TextBridge(document.text)
        self.setObjectName("articlePane")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setMinimumWidth(260)

        self.title = _plain_label(document.display_title, "paneTitle")
        self.title.setWordWrap(True)
        self.source = _plain_label(document.source or document.path, "paneSource")
        self.view = ArticleView(self.bridge, self)
        self.view.setObjectName(f"articleView:{document.id}")
        self.view.viewport().installEventFilter(self)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        header = QWidget(self)
        header.setObjectName("paneHeader")
        header_layout = QVBoxLayout(header)
        header_layout.setContentsMargins(12, 8, 12, 6)
        header_layout.setSpacing(1)
        header_layout.addWidget(self.title)
        header_layout.addWidget(self.source)
        layout.addWidget(header)
        layout.addWidget(self.view, 1)

        self._painter = SpanPainter(self.view.document(), self.bridge, labels)
        self._painter.paint(document)
        self._selected: Span | None = None
        self._flash: Span | None = None
        self._review: tuple[Span, tuple[int, int] | None] | None = None
        self._flash_timer = QTimer(self)
        self._flash_timer.setSingleShot(True)
        self._flash_timer.setInterval(FLASH_MS)
        self._flash_timer.timeout.connect(self._end_flash)
        self.view.focused.connect(lambda: self.activated.emit(self.document.id))
        self.view.clicked.connect(self._on_click)
        self.update_header()

    # --- drawing -----------------------------------------------------------------------

    def repaint_range(self, start: int, end: int) -> None:
        self._painter.paint(self.document, start, end)

    def set_labels(self, labels: list[Label]) -> None:
        self._painter.set_labels(labels)
        self._painter.paint(self.document)

    def set_show_rejected(self, on: bool) -> None:
        if on != self._painter.show_rejected:
            self._painter.show_rejected = on
            self._painter.paint(self.document)

    @property
    def painter(self) -> SpanPainter:
        return self._painter

    def set_current_suggestion(self, span: Span | None, draft: tuple[int, int] | None) -> None:
        """Mark the suggestion under review, over ``draft`` (its adjusted range) if given."""
        self._review = (span, draft) if span is not None else None
        self._update_decorations()

    def set_selected_span(self, span: Span | None) -> None:
        self._selected = span
        self._update_decorations()

    def reveal(self, span: Span, *, flash: bool = True) -> None:
        """Scroll the span into view (centred) and briefly flash it."""
        cursor = self.view.textCursor()
        cursor.setPosition(self.bridge.to_qt(span.start))
        self.view.setTextCursor(cursor)
        self.view.centerCursor()
        if flash:
            self._flash = span
            self._flash_timer.start()
            self._update_decorations()

    def _end_flash(self) -> None:
        self._flash = None
        self._update_decorations()

    def _update_decorations(self) -> None:
        selections = []
        for span, strong in ((self._selected, False), (self._flash, True)):
            if span is None or not self.document.has_span(span.id):
                continue
            sel = QTextEdit.ExtraSelection()
            cursor = QTextCursor(self.view.document())
            cursor.setPosition(self.bridge.to_qt(span.start))
            cursor.setPosition(self.bridge.to_qt(span.end), QTextCursor.MoveMode.KeepAnchor)
            sel.cursor = cursor  # type: ignore[attr-defined]
            fmt = QTextCharFormat()
            color = QColor("#ffd54f") if strong else self._painter.color(span.label)
            color.setAlpha(230 if strong else 170)
            fmt.setBackground(color)
            fmt.setFontWeight(QFont.Weight.DemiBold)
            sel.format = fmt  # type: ignore[attr-defined]
            selections.append(sel)
        if self._review is not None and self.document.has_span(self._review[0].id):
            span = self.document.span(self._review[0].id)
            start, end = self._review[1] or (span.start, span.end)
            sel = QTextEdit.ExtraSelection()
            cursor = QTextCursor(self.view.document())
            cursor.setPosition(self.bridge.to_qt(start))
            cursor.setPosition(self.bridge.to_qt(end), QTextCursor.MoveMode.KeepAnchor)
            sel.cursor = cursor  # type: ignore[attr-defined]
            fmt = QTextCharFormat()
            color = self._painter.color(span.label)
            color.setAlpha(200)
            fmt.setBackground(color)
            fmt.setFontWeight(QFont.Weight.DemiBold)
            fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SingleUnderline)
            fmt.setUnderlineColor(QColor("#202020"))
            fmt.setFontUnderline(True)
            sel.format = fmt  # type: ignore[attr-defined]
            selections.append(sel)
        self.view.setExtraSelections(selections)

    # --- interaction -------------------------------------------------------------------

    def spans_at(self, cp: int) -> list[Span]:
        """Spans covering code point ``cp``, innermost first."""
        hits = [s for s in self.document.spans_overlapping(cp, cp + 1) if self._painter.visible(s)]
        return sorted(hits, key=lambda s: (s.end - s.start, s.start, s.id))

    def _on_click(self, cp: int) -> None:
        hits = self.spans_at(cp) if cp >= 0 else []
        if not hits:
            self.span_clicked.emit(self.document.id, None)
            return
        # Clicking the selected span again selects the one around it (nested spans).
        ids = [s.id for s in hits]
        if self._selected is not None and self._selected.id in ids:
            nxt = hits[(ids.index(self._selected.id) + 1) % len(hits)]
        else:
            nxt = hits[0]
        self.span_clicked.emit(self.document.id, nxt)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.view.viewport() and event.type() == QEvent.Type.ToolTip:
            assert isinstance(event, QHelpEvent)
            cp = self.view.char_at(event.pos())
            text = self.tooltip_text(cp) if cp is not None else ""
            if text:
                QToolTip.showText(event.globalPos(), text, self.view.viewport())
            else:
                QToolTip.hideText()
            return True
        return super().eventFilter(watched, event)

    def tooltip_text(self, cp: int) -> str:
        """Rich text for the tooltip with every user string escaped (shown literally)."""
        rows = []
        for span in self.spans_at(cp):
            shown = span.text if len(span.text) <= 160 else span.text[:159] + "…"
            rows.append(f"<b>{html.escape(span.label)}</b>: {html.escape(shown)}")
            if span.is_suggestion:
                score = "" if span.score is None else f", score {span.score:g}"
                rows.append(
                    f"<i>{html.escape(span.review)} suggestion from "
                    f"{html.escape(span.origin)}{score}</i>"
                )
            if span.note:
                rows.append(f"<i>{html.escape(span.note)}</i>")
        return "<qt>" + "<br>".join(rows) + "</qt>" if rows else ""

    def update_title(self) -> None:
        """The document's title or outlet changed (an edit, its undo)."""
        self.title.setText(self.document.display_title)
        self.update_header()

    def update_header(self) -> None:
        counts = span_counts(self.document.count("accepted"), self.document.count("pending"))
        self.source.setText(f"{self.document.source or self.document.path} · {counts}")


def _plain_label(text: str, name: str) -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setObjectName(name)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
    return label
