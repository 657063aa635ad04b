"""One article in its own pane: title, source and the read-only text with its spans.

The pane owns the :class:`TextBridge` of its document and is the only widget that
turns Qt positions into code points. It reports what the person does (a selection,
a click on a span, a hover) and redraws spans from change records.
"""

from __future__ import annotations

import html
from collections import Counter
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QPoint, QRect, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QHelpEvent,
    QTextCharFormat,
    QTextCursor,
)
from PySide6.QtWidgets import (
    QFrame,
    QLabel,
    QTextEdit,
    QToolButton,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from annotator.core import provenance
from annotator.core.annotators import in_layer
from annotator.core.models import GOLD, Label, Span
from annotator.core.project import Document
from annotator.core.wording import span_counts
from annotator.ui.article_view import ArticleView as ArticleView  # its home before
from annotator.ui.article_view import article_font as article_font
from annotator.ui.plain import tooltip
from annotator.ui.span_painter import SpanPainter
from annotator.ui.textbridge import TextBridge

FLASH_MS = 900


class ArticlePane(QFrame):
    """Title, source and span count above the article text."""

    activated = Signal(str)  # document id: the pane got focus
    span_clicked = Signal(str, object)  # document id, Span | None
    scrolled = Signal()  # the text moved in the pane (scrolling, resizing, a new layout)
    link_drag_started = Signal(str, object)  # document id, Span (Alt held)
    menu_requested = Signal(str, object, QPoint)  # document id, Span | None, global position

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
        self.view.verticalScrollBar().valueChanged.connect(lambda _v: self.scrolled.emit())
        self.view.horizontalScrollBar().valueChanged.connect(lambda _v: self.scrolled.emit())
        self.view.drag_started.connect(self._on_drag_started)
        self.view.menu_requested.connect(self._on_menu_requested)
        self._linked: list[Span] = []
        # what the hover tooltip says of a span's links (set by the window)
        self.link_lines: Callable[[Span], list[str]] | None = None
        self._markers = {edge: _EdgeMarker(edge, self.view.viewport()) for edge in ("up", "down")}
        for marker in self._markers.values():
            marker.clicked.connect(lambda _=False, m=marker: self._marker_clicked(m))
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

    def set_layer(self, layer: str | None, me: str | None) -> None:
        if (layer, me) != (self._painter.layer, self._painter.me):
            self._painter.layer, self._painter.me = layer, me
            self._painter.paint(self.document)
            self.update_header()

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

    def set_linked(self, spans: list[Span]) -> None:
        """Mark the spans linked to the selected one (in any pane)."""
        if spans != self._linked:
            self._linked = spans
            self._update_decorations()

    # --- geometry (what the link overlay draws from) -----------------------------------

    def visible_range(self) -> tuple[int, int]:
        """The code points shown in the pane now, roughly ``[first, last)``."""
        viewport = self.view.viewport()
        top = self.view.cursorForPosition(QPoint(0, 0)).position()
        bottom = self.view.cursorForPosition(QPoint(viewport.width(), viewport.height())).position()
        return self.bridge.to_cp(top), min(self.document.length, self.bridge.to_cp(bottom) + 1)

    def first_visible(self) -> int | None:
        start, end = self.visible_range()
        return start if end > start else None

    def span_rect(self, span: Span) -> QRect:
        """Where the span's first line stands, in the viewport's coordinates (possibly
        outside it when scrolled away)."""
        cursor = QTextCursor(self.view.document())
        cursor.setPosition(self.bridge.to_qt(span.start))
        first = self.view.cursorRect(cursor)
        cursor.setPosition(self.bridge.to_qt(span.end))
        last = self.view.cursorRect(cursor)
        if last.top() != first.top():  # wraps: the rest of the first line
            right = self.view.viewport().width() - 14
            return QRect(first.left(), first.top(), max(8, right - first.left()), first.height())
        return QRect(first.left(), first.top(), max(4, last.left() - first.left()), first.height())

    def set_edge_markers(self, up: list[Span], down: list[Span]) -> None:
        """Links whose span here is scrolled out of view: a marker at the edge each way."""
        self._markers["up"].set_spans(up)
        self._markers["down"].set_spans(down)
        self._place_markers()

    def _place_markers(self) -> None:
        viewport = self.view.viewport()
        for edge, marker in self._markers.items():
            marker.adjustSize()
            x = viewport.width() - marker.width() - 4
            y = 2 if edge == "up" else viewport.height() - marker.height() - 2
            marker.move(max(0, x), max(0, y))

    def _marker_clicked(self, marker: _EdgeMarker) -> None:
        if marker.spans:
            self.reveal(marker.spans[-1] if marker.edge == "up" else marker.spans[0])

    def resizeEvent(self, event: object) -> None:
        super().resizeEvent(event)  # type: ignore[arg-type]
        self._place_markers()
        self.scrolled.emit()

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
        linked = QTextCharFormat()
        linked.setBackground(QColor(255, 213, 79, 150))
        linked.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SingleUnderline)
        linked.setUnderlineColor(QColor("#5d4037"))
        for other in self._linked:
            if self.document.has_span(other.id):
                selections.append(self._marked(other.start, other.end, linked))
        for span, strong in ((self._selected, False), (self._flash, True)):
            if span is None or not self.document.has_span(span.id):
                continue
            fmt = QTextCharFormat()
            color = QColor("#ffd54f") if strong else self._painter.color(span.label)
            color.setAlpha(230 if strong else 170)
            fmt.setBackground(color)
            fmt.setFontWeight(QFont.Weight.DemiBold)
            selections.append(self._marked(span.start, span.end, fmt))
        if self._review is not None and self.document.has_span(self._review[0].id):
            span = self.document.span(self._review[0].id)
            start, end = self._review[1] or (span.start, span.end)
            fmt = QTextCharFormat()
            color = self._painter.color(span.label)
            color.setAlpha(200)
            fmt.setBackground(color)
            fmt.setFontWeight(QFont.Weight.DemiBold)
            fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SingleUnderline)
            fmt.setUnderlineColor(QColor("#202020"))
            fmt.setFontUnderline(True)
            selections.append(self._marked(start, end, fmt))
        self.view.setExtraSelections(selections)

    def _marked(self, start: int, end: int, fmt: QTextCharFormat) -> QTextEdit.ExtraSelection:
        """Code points ``[start, end)`` drawn with ``fmt`` over the span formats."""
        sel = QTextEdit.ExtraSelection()
        cursor = QTextCursor(self.view.document())
        cursor.setPosition(self.bridge.to_qt(start))
        cursor.setPosition(self.bridge.to_qt(end), QTextCursor.MoveMode.KeepAnchor)
        sel.cursor = cursor  # type: ignore[attr-defined]
        sel.format = fmt  # type: ignore[attr-defined]
        return sel

    # --- interaction -------------------------------------------------------------------

    def spans_at(self, cp: int) -> list[Span]:
        """Spans covering code point ``cp``, innermost first."""
        hits = [s for s in self.document.spans_overlapping(cp, cp + 1) if self._painter.visible(s)]
        return sorted(hits, key=lambda s: (s.end - s.start, s.start, s.id))

    def _on_drag_started(self, cp: int) -> None:
        hits = self.spans_at(cp)
        if hits:
            self.link_drag_started.emit(self.document.id, hits[0])

    def _on_menu_requested(self, cp: int, where: QPoint) -> None:
        hits = self.spans_at(cp) if cp >= 0 else []
        self.menu_requested.emit(self.document.id, hits[0] if hits else None, where)

    def span_at_global(self, where: QPoint) -> Span | None:
        """The innermost span under a global screen position, if it is over this pane."""
        viewport = self.view.viewport()
        point = viewport.mapFromGlobal(where)
        if not viewport.rect().contains(point):
            return None
        cp = self.view.char_at(point)
        hits = self.spans_at(cp) if cp is not None else []
        return hits[0] if hits else None

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
            if self.link_lines is not None:
                rows.extend(f"&nbsp;&nbsp;{html.escape(line)}" for line in self.link_lines(span))
        return "<qt>" + "<br>".join(rows) + "</qt>" if rows else ""

    def update_title(self) -> None:
        """The document's title or outlet changed (an edit, its undo)."""
        self.title.setText(self.document.display_title)
        self.update_header()

    def update_header(self) -> None:
        """Where the article comes from and what it holds: in the shown layer only,
        when one is chosen (View ▸ Show Layer)."""
        layer, me = self._painter.layer, self._painter.me
        if layer is None:
            counts = span_counts(self.document.count("accepted"), self.document.count("pending"))
        else:
            statuses = Counter(
                s.status for s in self.document.span_values() if in_layer(s, layer, me)
            )
            shown = "gold" if layer == GOLD else layer or "mine"
            counts = f"{span_counts(statuses['accepted'], statuses['pending'])} ({shown})"
        self.source.setText(f"{provenance.line(self.document)} · {counts}")
        about = provenance.details(self.document)
        self.source.setToolTip(tooltip(about + "\n(F2 edits them)") if about else "")


class _EdgeMarker(QToolButton):
    """ "▲ 3" at the top (or "▼" at the bottom) of a pane: links whose span here is
    scrolled out of view that way; a click scrolls to the nearest one."""

    def __init__(self, edge: str, parent: QWidget) -> None:
        super().__init__(parent)
        self.edge = edge
        self.spans: list[Span] = []
        self.setObjectName(f"linkMarker_{edge}")
        self.setAutoRaise(False)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setStyleSheet(
            "QToolButton { background: #37474f; color: white; border-radius: 8px;"
            " padding: 1px 7px; font-size: 9pt; }"
        )
        self.hide()

    def set_spans(self, spans: list[Span]) -> None:
        self.spans = sorted(spans, key=lambda s: s.start)
        if not spans:
            self.hide()
            return
        arrow = "▲" if self.edge == "up" else "▼"
        noun = "link" if len(spans) == 1 else "links"
        self.setText(f"{arrow} {len(spans)} {noun}")
        where = "above" if self.edge == "up" else "below"
        self.setToolTip(f"{len(spans)} linked {'span' if len(spans) == 1 else 'spans'} {where}")
        self.show()


def _plain_label(text: str, name: str) -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setObjectName(name)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
    return label
