"""Drawing relations and links over the panes.

A transparent layer over the side-by-side area (it lets every mouse event through)
draws each link between two panes as a curve across the gap, and each relation inside
a pane as an arc above the text, with an arrowhead where the type is directed. Colours
and line styles come from the relation types; ``contradicts`` is drawn thicker. An end
scrolled out of its pane is drawn at the pane's edge, where the pane shows a marker
that scrolls to it.

Only what can be seen is laid out: the spans in each pane's visible range, and the
relations of those spans (a span index query and a dictionary look-up each), so
scrolling a pane with 5,000 spans and 10,000 links redraws in a few milliseconds.
:meth:`LinkOverlay.relayout` computes the lines (on scrolling, resizing and edits);
``paintEvent`` only draws them.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QPoint, QPointF, QRect, Qt, QTimer
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPaintEvent, QPen, QPolygonF
from PySide6.QtWidgets import QWidget

from annotator.core.models import Relation, Span
from annotator.core.project import Project
from annotator.ui.article_pane import ArticlePane

_STYLES = {
    "solid": Qt.PenStyle.SolidLine,
    "dashed": Qt.PenStyle.DashLine,
    "dotted": Qt.PenStyle.DotLine,
}


@dataclass(frozen=True)
class Line:
    relation_id: str
    path: QPainterPath
    color: QColor
    style: Qt.PenStyle
    width: float
    arrow: tuple[QPointF, QPointF] | None  # (tip, from): an arrowhead at the tip


class LinkOverlay(QWidget):
    """The layer that draws relations and links over the panes."""

    def __init__(self, project: Project, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("linkOverlay")
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setAttribute(Qt.WidgetAttribute.WA_NoSystemBackground)
        self.project = project
        self.panes: dict[str, ArticlePane] = {}
        self.lines: list[Line] = []
        self.highlighted: set[str] = set()  # relation ids linked to the selected span
        self.pending: tuple[str, str] | None = None  # a link being made: from this span
        self.pending_to: QPoint | None = None  # … to this point (global), while dragging
        self.pending_target: tuple[str, str] | None = None  # … or to this span
        self._rects: dict[tuple[str, str], QRect] = {}
        self._visible: dict[str, tuple[int, int]] = {}
        self._soon = QTimer(self)
        self._soon.setSingleShot(True)
        self._soon.setInterval(0)
        self._soon.timeout.connect(self.relayout)

    def set_panes(self, panes: dict[str, ArticlePane]) -> None:
        self.panes = dict(panes)
        self.schedule()

    def schedule(self) -> None:
        """Lay out again once the current event is handled (many triggers, one layout)."""
        self._soon.start()

    # --- layout --------------------------------------------------------------------------

    def relayout(self) -> None:
        self._soon.stop()
        parent = self.parentWidget()
        if parent is not None and self.geometry() != parent.rect():
            self.setGeometry(parent.rect())
        self.raise_()
        project = self.project
        order = {doc_id: i for i, doc_id in enumerate(self.panes)}
        seen: dict[str, Relation] = {}
        self._rects = {}  # span rectangles, this layout only
        self._visible = {doc_id: pane.visible_range() for doc_id, pane in self.panes.items()}
        for doc_id, pane in self.panes.items():
            start, end = self._visible[doc_id]
            for span in pane.document.spans_overlapping(start, end):
                for relation in project.relations_of(doc_id, span.id):
                    seen[relation.id] = relation
        lines: list[Line] = []
        off_edge: dict[str, tuple[list[Span], list[Span]]] = {d: ([], []) for d in self.panes}
        for relation in seen.values():
            if relation.status == "rejected":
                continue
            a, b = relation.source, relation.target
            if a.document not in self.panes or b.document not in self.panes:
                continue
            span_a, span_b = project.span_of(a.key), project.span_of(b.key)
            if span_a is None or span_b is None:
                continue
            line = self._line(relation, span_a, span_b, order, off_edge)
            if line is not None:
                lines.append(line)
        pending = self._pending_line()
        if pending is not None:
            lines.append(pending)
        self.lines = lines
        for doc_id, (up, down) in off_edge.items():
            self.panes[doc_id].set_edge_markers(up, down)
        self.update()

    def _end_point(self, pane: ArticlePane, span: Span, side: str) -> tuple[QPointF, str | None]:
        """Where a line meets ``span`` (its ``side``: left, right or top), in this
        widget's coordinates, and ``up``/``down`` when the span is scrolled away."""
        viewport = pane.view.viewport()
        shown = self._visible.get(pane.document.id)
        if shown is not None and (span.end <= shown[0] or span.start >= shown[1]):
            # far out of view: its edge, without asking Qt to lay the text out there
            away = "up" if span.end <= shown[0] else "down"
            y = 0 if away == "up" else viewport.height() - 1
            x = 0 if side == "left" else viewport.width() if side == "right" else 12
            point = viewport.mapTo(self.window(), QPoint(x, y))
            return QPointF(self.mapFrom(self.window(), point)), away
        rect = self._rects.get((pane.document.id, span.id))
        if rect is None:
            rect = self._rects[(pane.document.id, span.id)] = pane.span_rect(span)
        edge: str | None = None
        if rect.bottom() < 0:
            edge, rect = "up", QRect(rect.left(), 0, rect.width(), 1)
        elif rect.top() > viewport.height():
            edge, rect = "down", QRect(rect.left(), viewport.height() - 1, rect.width(), 1)
        if side == "left":
            point = QPoint(rect.left() - 1, rect.center().y())
        elif side == "right":
            point = QPoint(rect.right() + 1, rect.center().y())
        else:
            point = QPoint(rect.center().x(), rect.top())
        if edge is not None and side != "top":
            point = QPoint(0 if side == "left" else viewport.width(), point.y())
        return QPointF(self.mapFrom(self.window(), viewport.mapTo(self.window(), point))), edge

    def _line(
        self,
        relation: Relation,
        span_a: Span,
        span_b: Span,
        order: dict[str, int],
        off_edge: dict[str, tuple[list[Span], list[Span]]],
    ) -> Line | None:
        a, b = relation.source, relation.target
        kind = self.project.relation_type(relation.type)
        color = QColor(kind.color if kind else "#9e9e9e")
        style = _STYLES.get(kind.style if kind else "solid", Qt.PenStyle.SolidLine)
        width = 3.0 if relation.type == "contradicts" else 2.0
        if relation.id in self.highlighted:
            width += 1.5
        elif self.highlighted:
            color.setAlpha(90)
        if relation.status == "pending":
            color.setAlpha(110)
            style = Qt.PenStyle.DashDotLine
        directed = kind is None or kind.directed
        path = QPainterPath()
        if a.document == b.document:
            pane = self.panes[a.document]
            p, edge_p = self._end_point(pane, span_a, "top")
            q, edge_q = self._end_point(pane, span_b, "top")
            if edge_p and edge_q:
                return None
            for edge, span in ((edge_p, span_a), (edge_q, span_b)):
                if edge:
                    off_edge[a.document][0 if edge == "up" else 1].append(span)
            lift = min(40.0, 12.0 + abs(q.x() - p.x()) / 6 + abs(q.y() - p.y()) / 4)
            top = min(p.y(), q.y()) - lift
            control = QPointF((p.x() + q.x()) / 2, top)
            path.moveTo(p)
            path.quadTo(control, q)
            arrow = (q, control) if directed else None
            return Line(relation.id, path, color, style, width, arrow)
        left, right = (a, b) if order[a.document] < order[b.document] else (b, a)
        span_l, span_r = (span_a, span_b) if left is a else (span_b, span_a)
        p, edge_p = self._end_point(self.panes[left.document], span_l, "right")
        q, edge_q = self._end_point(self.panes[right.document], span_r, "left")
        if edge_p and edge_q:
            return None
        for doc_id, edge, span in (
            (left.document, edge_p, span_l),
            (right.document, edge_q, span_r),
        ):
            if edge:
                off_edge[doc_id][0 if edge == "up" else 1].append(span)
        bend = max(30.0, (q.x() - p.x()) / 3)
        path.moveTo(p)
        path.cubicTo(QPointF(p.x() + bend, p.y()), QPointF(q.x() - bend, q.y()), q)
        arrow = None
        if directed:
            tip = q if right is b else p
            back = QPointF(q.x() - bend, q.y()) if right is b else QPointF(p.x() + bend, p.y())
            arrow = (tip, back)
        return Line(relation.id, path, color, style, width, arrow)

    def _pending_line(self) -> Line | None:
        """The link being made: from its first span to the pointer or the chosen span."""
        if self.pending is None:
            return None
        pane = self.panes.get(self.pending[0])
        span = self.project.span_of(self.pending)
        if pane is None or span is None:
            return None
        p, _edge = self._end_point(pane, span, "top")
        q: QPointF | None = None
        if self.pending_to is not None:
            q = QPointF(self.mapFromGlobal(self.pending_to))
        elif self.pending_target is not None and self.pending_target != self.pending:
            target_pane = self.panes.get(self.pending_target[0])
            target = self.project.span_of(self.pending_target)
            if target_pane is not None and target is not None:
                q, _edge = self._end_point(target_pane, target, "top")
        if q is None:
            return None
        path = QPainterPath()
        path.moveTo(p)
        mid = QPointF((p.x() + q.x()) / 2, min(p.y(), q.y()) - 30)
        path.quadTo(mid, q)
        return Line("", path, QColor("#263238"), Qt.PenStyle.DashLine, 2.0, (q, mid))

    # --- painting --------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        if not self.lines:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        for line in self.lines:
            pen = QPen(line.color, line.width, line.style)
            pen.setCapStyle(Qt.PenCapStyle.RoundCap)
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawPath(line.path)
            if line.arrow is not None:
                tip, back = line.arrow
                painter.setPen(QPen(line.color, 1.0))
                painter.setBrush(line.color)
                painter.drawPolygon(_arrowhead(tip, back))
        painter.end()


def _arrowhead(tip: QPointF, back: QPointF) -> QPolygonF:
    dx, dy = tip.x() - back.x(), tip.y() - back.y()
    length = max(1e-6, (dx * dx + dy * dy) ** 0.5)
    ux, uy = dx / length, dy / length
    size = 8.0
    base = QPointF(tip.x() - ux * size, tip.y() - uy * size)
    return QPolygonF(
        [
            tip,
            QPointF(base.x() - uy * size / 2, base.y() + ux * size / 2),
            QPointF(base.x() + uy * size / 2, base.y() - ux * size / 2),
        ]
    )
