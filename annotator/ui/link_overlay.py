"""Drawing relations and links over the panes.

A transparent layer over the side-by-side area (it lets every mouse event through)
draws each link between two panes as a curve across the gap, and each relation inside
a pane as an arc above the text, with an arrowhead where the type is directed. Colours
and line styles come from the relation types; ``contradicts`` is drawn thicker. An end
scrolled out of its pane is drawn at the pane's edge, where the pane shows a marker
that scrolls to it.

Only what can be seen is laid out: the spans in each pane's visible range, and the
relations of those spans (a span index query and a dictionary look-up each). When many
links have an end scrolled away (more than :data:`FULL_LINES`), those are drawn as
short stubs pointing at it rather than curves across the whole area, and only the
region the lines cover is repainted. :meth:`LinkOverlay.relayout` computes the lines
(on scrolling, resizing and edits); ``paintEvent`` only draws them.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from PySide6.QtCore import QPoint, QPointF, QRect, Qt, QTimer
from PySide6.QtGui import (
    QColor,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QPolygonF,
    QRegion,
)
from PySide6.QtWidgets import QWidget

from annotator.core.annotators import in_layer
from annotator.core.models import Relation, Span
from annotator.core.project import Project
from annotator.ui.article_pane import ArticlePane

FULL_LINES = 30  # more half-visible links than this are drawn as stubs
STUB = 36.0  # pixels
FAR_STUB = 9.0  # pixels: a link to a pane further away ends in a tick and a dot

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
    # the end still in view, and the point at the edge, when one end is scrolled away
    half: tuple[QPointF, QPointF] | None = None

    @functools.cached_property
    def stub(self) -> Line:
        """The line as a short stroke from its visible end towards the hidden one."""
        assert self.half is not None
        near, far = self.half
        dx, dy = far.x() - near.x(), far.y() - near.y()
        length = max(1.0, (dx * dx + dy * dy) ** 0.5)
        end = QPointF(near.x() + dx / length * STUB, near.y() + dy / length * STUB)
        path = QPainterPath()
        path.moveTo(near)
        path.lineTo(end)
        return Line(self.relation_id, path, self.color, self.style, self.width, None, None)

    @functools.cached_property
    def key(self) -> tuple[object, ...]:
        """What the line looks like: equal keys draw the same pixels."""
        box = self.path.controlPointRect()
        first = self.path.elementAt(0)
        return (
            self.relation_id,
            self.color.rgba(),
            self.style,
            self.width,
            box.x(),
            box.y(),
            box.width(),
            box.height(),
            first.x,
            first.y,
        )

    @functools.cached_property
    def bounds(self) -> QRect:
        margin = int(self.width) + 10  # the pen and an arrowhead
        return (
            self.path.controlPointRect().toAlignedRect().adjusted(-margin, -margin, margin, margin)
        )


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
        # span rectangles by pane, kept while the pane neither scrolls nor changes width
        self._rects: dict[str, dict[tuple[str, int, int], QRect]] = {}
        self._pane_state: dict[str, tuple[int, int, int, int]] = {}
        self._visible: dict[str, tuple[int, int]] = {}
        self._offset: dict[str, QPointF] = {}  # where each pane's viewport is in here
        self._place: dict[str, tuple[float, ...]] = {}  # a pane's scroll, size and offset
        self._shown: dict[str, tuple[int, int]] = {}  # visible range, by pane state
        self._markers: dict[str, tuple[list[Span], list[Span]]] = {}  # as last set
        # the relations of each pane's visible spans, while the pane stays where it is
        self._relations_here: dict[str, tuple[tuple[float, ...], list[Relation]]] = {}
        self._lines_by_id: dict[
            str, tuple[tuple[object, ...], Line | None, list[tuple[str, str, Span]]]
        ] = {}
        self._soon = QTimer(self)
        self._soon.setSingleShot(True)
        self._soon.setInterval(0)
        self._soon.timeout.connect(self.relayout)

    def set_panes(self, panes: dict[str, ArticlePane]) -> None:
        self.panes = dict(panes)
        # a pane made anew starts with no markers and no layout: nothing is kept
        for kept in (
            self._shown,
            self._markers,
            self._relations_here,
            self._rects,
            self._pane_state,
            self._lines_by_id,
        ):
            kept.clear()
        self.schedule()

    def changed(self, *, types: bool = False) -> None:
        """Spans or relations changed: what each pane shows is looked up again (and
        every line drawn anew when relation types, their colours and styles, changed)."""
        self._relations_here.clear()
        if types:
            self._lines_by_id.clear()
        self.schedule()

    def schedule(self) -> None:
        """Lay out again once the current event is handled (many triggers, one layout)."""
        self._soon.start()

    # --- layout --------------------------------------------------------------------------

    def relayout(self) -> None:  # noqa: C901
        """Long on purpose: one branch per way a line's ends can lie (same pane, neighbours, far
        apart, scrolled out of view).
        """
        self._soon.stop()
        parent = self.parentWidget()
        if parent is not None and self.geometry() != parent.rect():
            self.setGeometry(parent.rect())
        self.raise_()
        project = self.project
        order = {doc_id: i for i, doc_id in enumerate(self.panes)}
        seen: dict[str, Relation] = {}
        self._looks: dict[str, tuple[QColor, Qt.PenStyle, bool]] = {}
        self._visible = {}
        for doc_id, pane in self.panes.items():
            viewport = pane.view.viewport()
            state = (
                pane.view.verticalScrollBar().value(),
                pane.view.horizontalScrollBar().value(),
                viewport.width(),
                viewport.height(),
            )
            if self._pane_state.get(doc_id) != state or doc_id not in self._shown:
                self._pane_state[doc_id] = state
                self._rects[doc_id] = {}
                self._shown[doc_id] = pane.visible_range()
            corner = viewport.mapTo(self.window(), QPoint(0, 0))
            self._offset[doc_id] = offset = QPointF(self.mapFrom(self.window(), corner))
            self._visible[doc_id] = self._shown[doc_id]
            self._place[doc_id] = (*state, offset.x(), offset.y())
        for doc_id, pane in self.panes.items():
            here = self._relations_here.get(doc_id)
            if here is None or here[0] != self._place[doc_id]:
                start, end = self._visible[doc_id]
                found = [
                    relation
                    for span in pane.document.spans_overlapping(start, end)
                    for relation in project.relations_of(doc_id, span.id)
                ]
                here = self._relations_here[doc_id] = (self._place[doc_id], found)
            for relation in here[1]:
                seen[relation.id] = relation
        lines: list[Line] = []
        off_edge: dict[str, tuple[list[Span], list[Span]]] = {d: ([], []) for d in self.panes}
        cache: dict[str, tuple[tuple[object, ...], Line | None, list[tuple[str, str, Span]]]] = {}
        for relation in seen.values():
            if relation.status == "rejected":
                continue
            a, b = relation.source, relation.target
            if a.document not in self.panes or b.document not in self.panes:
                continue
            span_a, span_b = project.span_of(a.key), project.span_of(b.key)
            if span_a is None or span_b is None:
                continue
            painter = self.panes[a.document].painter
            if painter.layer is not None and not (
                in_layer(relation, painter.layer, painter.me)
                and painter.visible(span_a)
                and self.panes[b.document].painter.visible(span_b)
            ):
                continue  # another layer's link, while one layer is shown
            # a line is laid out again only when it or a pane it is drawn in changed
            signature = (
                relation,
                span_a,
                span_b,
                self._place[a.document],
                self._place[b.document],
                order[a.document] < order[b.document],
                relation.id in self.highlighted,
                bool(self.highlighted),
            )
            old = self._lines_by_id.get(relation.id)
            if old is not None and _same(old[0], signature):
                entry = old
            else:
                offs: list[tuple[str, str, Span]] = []
                entry = (signature, self._line(relation, span_a, span_b, order, offs), offs)
            cache[relation.id] = entry
            if entry[1] is not None:
                lines.append(entry[1])
            for doc_id, edge, span in entry[2]:
                off_edge[doc_id][0 if edge == "up" else 1].append(span)
        self._lines_by_id = cache
        if sum(line.half is not None for line in lines) > FULL_LINES:
            lines = [line.stub if line.half is not None else line for line in lines]
        pending = self._pending_line()
        if pending is not None:
            lines.append(pending)
        # repaint only where a line appeared, went or changed: the text beneath an
        # overlay is repainted with it, and that is most of the cost of a frame
        before = {line.key: line for line in self.lines}
        after = {line.key: line for line in lines}
        dirty = QRegion()
        for key in before.keys() ^ after.keys():
            dirty += (before.get(key) or after[key]).bounds
        self.lines = lines
        for doc_id, ends in off_edge.items():
            if self._markers.get(doc_id) != ends:
                self._markers[doc_id] = ends
                self.panes[doc_id].set_edge_markers(*ends)
        if not dirty.isEmpty():
            self.update(dirty)

    def _end_point(self, pane: ArticlePane, span: Span, side: str) -> tuple[QPointF, str | None]:
        """Where a line meets ``span`` (its ``side``: left, right or top), in this
        widget's coordinates, and ``up``/``down`` when the span is scrolled away."""
        viewport = pane.view.viewport()
        doc_id = pane.document.id
        offset = self._offset.get(doc_id)
        if offset is None:
            corner = viewport.mapTo(self.window(), QPoint(0, 0))
            offset = self._offset[doc_id] = QPointF(self.mapFrom(self.window(), corner))
        shown = self._visible.get(doc_id)
        if shown is not None and (span.end <= shown[0] or span.start >= shown[1]):
            # far out of view: its edge, without asking Qt to lay the text out there
            away = "up" if span.end <= shown[0] else "down"
            y = 0 if away == "up" else viewport.height() - 1
            x = 0 if side == "left" else viewport.width() if side == "right" else 12
            return QPointF(x, y) + offset, away
        rects = self._rects.setdefault(doc_id, {})
        rect = rects.get((span.id, span.start, span.end))
        if rect is None:
            rect = rects[(span.id, span.start, span.end)] = pane.span_rect(span)
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
        return QPointF(point) + offset, edge

    def _line(  # noqa: C901
        self,
        relation: Relation,
        span_a: Span,
        span_b: Span,
        order: dict[str, int],
        offs: list[tuple[str, str, Span]],
    ) -> Line | None:
        """The line of one relation, and (into ``offs``) its ends scrolled away.

        Long on purpose: one branch per way a line's ends can lie (same pane, neighbours, far
        apart, scrolled out of view).
        """
        a, b = relation.source, relation.target
        looks = self._looks.get(relation.type)
        if looks is None:
            kind = self.project.relation_type(relation.type)
            looks = self._looks[relation.type] = (
                QColor(kind.color if kind else "#9e9e9e"),
                _STYLES.get(kind.style if kind else "solid", Qt.PenStyle.SolidLine),
                kind is None or kind.directed,
            )
        color, style, directed = QColor(looks[0]), looks[1], looks[2]
        width = 3.0 if relation.type == "contradicts" else 2.0
        if relation.id in self.highlighted:
            width += 1.5
        elif self.highlighted:
            color.setAlpha(90)
        if relation.status == "pending":
            color.setAlpha(110)
            style = Qt.PenStyle.DashDotLine
        path = QPainterPath()
        if a.document == b.document:
            pane = self.panes[a.document]
            p, edge_p = self._end_point(pane, span_a, "top")
            q, edge_q = self._end_point(pane, span_b, "top")
            if edge_p and edge_q:
                return None
            for edge, span in ((edge_p, span_a), (edge_q, span_b)):
                if edge:
                    offs.append((a.document, edge, span))
            lift = min(40.0, 12.0 + abs(q.x() - p.x()) / 6 + abs(q.y() - p.y()) / 4)
            top = min(p.y(), q.y()) - lift
            control = QPointF((p.x() + q.x()) / 2, top)
            path.moveTo(p)
            path.quadTo(control, q)
            arrow = (q, control) if directed else None
            half = ((q, p) if edge_p else (p, q)) if (edge_p or edge_q) else None
            return Line(relation.id, path, color, style, width, arrow, half)
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
                offs.append((doc_id, edge, span))
        if abs(order[left.document] - order[right.document]) > 1:
            far = self._far(left.document, right.document, p, q)
            return Line(relation.id, far, color, style, width, None, None)
        bend = max(30.0, (q.x() - p.x()) / 3)
        path.moveTo(p)
        path.cubicTo(QPointF(p.x() + bend, p.y()), QPointF(q.x() - bend, q.y()), q)
        arrow = None
        if directed:
            tip = q if right is b else p
            back = QPointF(q.x() - bend, q.y()) if right is b else QPointF(p.x() + bend, p.y())
            arrow = (tip, back)
        half = ((q, p) if edge_p else (p, q)) if (edge_p or edge_q) else None
        return Line(relation.id, path, color, style, width, arrow, half)

    def _far(self, left: str, right: str, p: QPointF, q: QPointF) -> QPainterPath:
        """A link between panes that are not neighbours never crosses the panes
        between: a tick ending in a dot at each end's pane edge, on the side of the
        other end, in the pane's own margin (the span's tooltip names the other end)."""
        path = QPainterPath()
        edge_l = self._offset[left].x() + self.panes[left].view.viewport().width() - 3
        edge_r = self._offset[right].x() + 3
        for x, y, step in ((edge_l, p.y(), -FAR_STUB), (edge_r, q.y(), FAR_STUB)):
            path.moveTo(QPointF(x + step, y))
            path.lineTo(QPointF(x, y))
            path.addEllipse(QPointF(x, y), 2.5, 2.5)
        return path

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
        painter.setBrush(Qt.BrushStyle.NoBrush)
        region = event.region()
        for line in self.lines:
            if not region.intersects(line.bounds):
                continue  # outside what is repainted now
            pen = QPen(line.color, line.width, line.style)
            pen.setCapStyle(Qt.PenCapStyle.RoundCap)
            # antialiased dashes cost ten times a solid line (measured): dashed and
            # dotted lines are drawn without, which their gaps hide
            solid = line.style == Qt.PenStyle.SolidLine
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, solid)
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawPath(line.path)
            if line.arrow is not None:
                tip, back = line.arrow
                painter.setPen(QPen(line.color, 1.0))
                painter.setBrush(line.color)
                painter.drawPolygon(_arrowhead(tip, back))
        painter.end()


def _same(a: tuple[object, ...], b: tuple[object, ...]) -> bool:
    """Two line signatures are equal: the same relation and spans (immutable: a change
    makes new ones, so identity is enough) in the same places."""
    return a[0] is b[0] and a[1] is b[1] and a[2] is b[2] and a[3:] == b[3:]


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
