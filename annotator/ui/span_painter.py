"""Drawing spans into a QTextDocument as character formats.

Formats are applied with ``QTextCursor.setCharFormat`` inside one edit block with
the document's undo off (the fastest approach measured in PERFORMANCE.md). Nested
and overlapping spans are flattened into segments: the innermost span gives the
background, an enclosing span adds a thick underline in its own colour.

Suggestions still pending review are drawn lighter with a dashed underline in their
label's colour; rejected suggestions are not drawn unless ``show_rejected`` is on,
and then struck through.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QTextCharFormat, QTextCursor, QTextDocument

from annotator.core.annotators import in_layer
from annotator.core.models import Label, Span
from annotator.core.project import Document
from annotator.core.segments import segments
from annotator.ui.textbridge import TextBridge

BACKGROUND_ALPHA = 85
PENDING_ALPHA = 38
FALLBACK_COLOR = "#9e9e9e"


def label_color(labels: dict[str, Label], name: str) -> QColor:
    label = labels.get(name)
    return QColor(label.color if label else FALLBACK_COLOR)


class SpanPainter:
    def __init__(self, qdoc: QTextDocument, bridge: TextBridge, labels: list[Label]) -> None:
        self._qdoc = qdoc
        self._bridge = bridge
        self.show_rejected = False
        self.layer: str | None = None  # View ▸ Show Layer: only this layer's spans
        self.me: str | None = None
        self.set_labels(labels)

    def set_labels(self, labels: list[Label]) -> None:
        self._labels = {lb.name: lb for lb in labels}
        self._formats: dict[tuple[str, str | None, str], QTextCharFormat] = {}

    def color(self, name: str) -> QColor:
        return label_color(self._labels, name)

    def visible(self, span: Span) -> bool:
        return (span.status != "rejected" or self.show_rejected) and in_layer(
            span, self.layer, self.me
        )

    def _format(self, inner: Span, outer: str | None) -> QTextCharFormat:
        key = (inner.label, outer, inner.status)
        fmt = self._formats.get(key)
        if fmt is None:
            fmt = QTextCharFormat()
            color = label_color(self._labels, inner.label)
            bg = QColor(color)
            if inner.status == "rejected":
                fmt.setFontStrikeOut(True)
                fmt.setForeground(QColor("#8a8a8a"))
                self._formats[key] = fmt
                return fmt
            bg.setAlpha(PENDING_ALPHA if inner.status == "pending" else BACKGROUND_ALPHA)
            fmt.setBackground(bg)
            if inner.status == "pending":
                # setUnderlineStyle alone: setFontUnderline(True) would reset it to single
                fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.DashUnderline)
                fmt.setUnderlineColor(color.darker(120))
            elif outer is not None:
                fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SingleUnderline)
                fmt.setUnderlineColor(label_color(self._labels, outer).darker(115))
                fmt.setFontUnderline(True)
            self._formats[key] = fmt
        return fmt

    def format_of(self, span: Span) -> QTextCharFormat:
        """The format a span alone is drawn with (tests and the legend use it)."""
        return self._format(span, None)

    def paint(self, document: Document, start: int = 0, end: int | None = None) -> None:
        """Redraw code points ``[start, end)`` of ``document`` (all of it by default)."""
        if end is None:
            end = len(document.text)
        if end <= start:
            return
        spans = [s for s in document.spans_overlapping(start, end) if self.visible(s)]
        cursor = QTextCursor(self._qdoc)
        to_qt = self._bridge.to_qt
        cursor.beginEditBlock()
        try:
            cursor.setPosition(to_qt(start))
            cursor.setPosition(to_qt(end), QTextCursor.MoveMode.KeepAnchor)
            cursor.setCharFormat(QTextCharFormat())
            for a, b, covering in segments(spans, start, end):
                inner = covering[-1]
                outer = covering[0].label if len(covering) > 1 else None
                cursor.setPosition(to_qt(a))
                cursor.setPosition(to_qt(b), QTextCursor.MoveMode.KeepAnchor)
                cursor.setCharFormat(self._format(inner, outer))
        finally:
            cursor.endEditBlock()
