"""Drawing spans into a QTextDocument as character formats.

Formats are applied with ``QTextCursor.setCharFormat`` inside one edit block with
the document's undo off (the fastest approach measured in PERFORMANCE.md). Nested
and overlapping spans are flattened into segments: the innermost span gives the
background, an enclosing span adds a thick underline in its own colour.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QTextCharFormat, QTextCursor, QTextDocument

from annotator.core.layers import segments
from annotator.core.models import Label
from annotator.core.project import Document
from annotator.ui.textbridge import TextBridge

BACKGROUND_ALPHA = 85
FALLBACK_COLOR = "#9e9e9e"


def label_color(labels: dict[str, Label], name: str) -> QColor:
    label = labels.get(name)
    return QColor(label.color if label else FALLBACK_COLOR)


class SpanPainter:
    def __init__(self, qdoc: QTextDocument, bridge: TextBridge, labels: list[Label]) -> None:
        self._qdoc = qdoc
        self._bridge = bridge
        self.set_labels(labels)

    def set_labels(self, labels: list[Label]) -> None:
        self._labels = {lb.name: lb for lb in labels}
        self._formats: dict[tuple[str, str | None], QTextCharFormat] = {}

    def color(self, name: str) -> QColor:
        return label_color(self._labels, name)

    def _format(self, inner: str, outer: str | None) -> QTextCharFormat:
        key = (inner, outer)
        fmt = self._formats.get(key)
        if fmt is None:
            fmt = QTextCharFormat()
            bg = label_color(self._labels, inner)
            bg.setAlpha(BACKGROUND_ALPHA)
            fmt.setBackground(bg)
            if outer is not None:
                fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SingleUnderline)
                fmt.setUnderlineColor(label_color(self._labels, outer).darker(115))
                fmt.setFontUnderline(True)
            self._formats[key] = fmt
        return fmt

    def paint(self, document: Document, start: int = 0, end: int | None = None) -> None:
        """Redraw code points ``[start, end)`` of ``document`` (all of it by default)."""
        if end is None:
            end = len(document.text)
        if end <= start:
            return
        spans = document.spans_overlapping(start, end)
        cursor = QTextCursor(self._qdoc)
        to_qt = self._bridge.to_qt
        cursor.beginEditBlock()
        try:
            cursor.setPosition(to_qt(start))
            cursor.setPosition(to_qt(end), QTextCursor.MoveMode.KeepAnchor)
            cursor.setCharFormat(QTextCharFormat())
            for a, b, covering in segments(spans, start, end):
                inner = covering[-1].label
                outer = covering[0].label if len(covering) > 1 else None
                cursor.setPosition(to_qt(a))
                cursor.setPosition(to_qt(b), QTextCursor.MoveMode.KeepAnchor)
                cursor.setCharFormat(self._format(inner, outer))
        finally:
            cursor.endEditBlock()
