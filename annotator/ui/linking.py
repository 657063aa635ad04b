"""Link mode: relations and links made with the keyboard or the mouse, in at most
three actions.

Keyboard: with a span selected, ``L`` starts linking from it; the person moves to the
other span in any pane (``Ctrl+]`` / ``Ctrl+[`` change pane and land on the span most
like the first one, the arrow keys move between spans, a click or Find picks one),
and a relation key (``s`` speaker, ``o`` source, ``=`` same, ``c`` contradicts, ``d``
differs, or the project's own) makes the link. Escape cancels.

Mouse: drag from one span to another with Alt held, or choose "Link to…" in a span's
context menu and click the other span; a menu of the relation types that fit both
ends finishes it. Every link is one command run through the session: one undo step,
journalled and autosaved like spans.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QLineEdit, QMenu, QWidget

from annotator.core.commands import EditError
from annotator.core.models import RelationType, Span
from annotator.core.relating import link
from annotator.core.wording import quoted
from annotator.ui.article_pane import ArticlePane
from annotator.ui.panes_area import PanesArea
from annotator.ui.plain import mnemonic_safe
from annotator.ui.session import Session, SpanRef

_MOVES = {
    Qt.Key.Key_Right: 1,
    Qt.Key.Key_Down: 1,
    Qt.Key.Key_Left: -1,
    Qt.Key.Key_Up: -1,
}


class LinkMode(QObject):
    """Holds the span a link starts from while the person finds the other end."""

    changed = Signal()  # started, target moved, finished or cancelled

    def __init__(
        self,
        session: Session,
        panes: PanesArea,
        *,
        parent: QWidget,
        author: Callable[[], str | None],
        say: Callable[[str, int], None],
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.panes = panes
        self.window = parent
        self.author = author
        self.say = say
        self.source: SpanRef | None = None
        self._filtering = False
        panes.current_changed.connect(self._on_pane_changed)

    @property
    def active(self) -> bool:
        return self.source is not None

    # --- starting and ending -----------------------------------------------------------

    def start(self, source: SpanRef | None = None) -> bool:
        """Start linking from ``source`` (default: the span at the current pane's text
        selection, as Find leaves it, else the selected span)."""
        source = source or self._span_at_selection() or self.session.selected
        if source is None:
            self.say("Select a span first (click it), then press L to link it.", 5000)
            return False
        if self.session.read_only:
            self.say("Read-only: nothing here can be linked.", 5000)
            return False
        self.source = source
        self.session.select(source)  # the other end is chosen from here on
        if not self._filtering:
            app = QApplication.instance()
            assert app is not None
            app.installEventFilter(self)
            self._filtering = True
        span = self._span(source)
        keys = ", ".join(f"{t.key} {t.name}" for t in self.session.project.relation_types if t.key)
        self.say(
            f"Linking from {quoted(span.text if span else '?', 40)}: move to the other span "
            f"(arrows, Ctrl+] / Ctrl+[, a click or Find), then a relation key ({keys}). "
            "Escape cancels.",
            0,
        )
        self.changed.emit()
        return True

    def cancel(self, message: str = "Linking cancelled.") -> None:
        if self.source is None:
            return
        self._stop()
        self.say(message, 3000)

    def _stop(self) -> None:
        self.source = None
        if self._filtering:
            app = QApplication.instance()
            if app is not None:
                app.removeEventFilter(self)
            self._filtering = False
        self.changed.emit()

    def target(self) -> SpanRef | None:
        """The other end as it stands: the selected span, else the span at the current
        pane's text selection (what Find selected)."""
        selected = self.session.selected
        if selected is not None and selected != self.source:
            return selected
        return self._span_at_selection()

    def _span_at_selection(self) -> SpanRef | None:
        pane = self.panes.current_pane()
        if pane is None:
            return None
        chosen = pane.view.selection_range()
        if chosen is None:
            return None
        hits = [s for s in pane.spans_at(chosen[0]) if (pane.document.id, s.id) != self._key()]
        return SpanRef(pane.document.id, hits[0].id) if hits else None

    def finish(self, type_name: str) -> bool:
        """Link the source to the current target with ``type_name``."""
        source, target = self.source, self.target()
        if source is None:
            return False
        if target is None:
            self.say("Move to the other span first (arrows, Ctrl+] / Ctrl+[ or a click).", 5000)
            return False
        return self._link(type_name, source, target)

    def _link(self, type_name: str, source: SpanRef, target: SpanRef) -> bool:
        project = self.session.project
        try:
            command = link(
                project,
                type_name,
                (source.document_id, source.span_id),
                (target.document_id, target.span_id),
                author=self.author(),
            )
        except EditError as exc:
            self.say(str(exc), 6000)
            return False
        if not self.session.run(command):
            return False
        self._stop()
        self.session.select(target)
        self.say(f"{command.description} (undo: Ctrl+Z).", 6000)
        return True

    # --- moving between spans ----------------------------------------------------------

    def move(self, step: int) -> None:
        """Select the next (previous) span in the current pane, from the target."""
        pane = self.panes.current_pane()
        if pane is None:
            return
        spans = [s for s in pane.document.spans() if pane.painter.visible(s)]
        if not spans:
            self.say("This article has no spans to link to.", 3000)
            return
        current = self.session.selected
        ids = [s.id for s in spans]
        if (
            current is not None
            and current.document_id == pane.document.id
            and current.span_id in ids
        ):
            index = (ids.index(current.span_id) + step) % len(spans)
        else:
            index = 0 if step > 0 else len(spans) - 1
            top = pane.first_visible()
            if top is not None:
                after = [i for i, s in enumerate(spans) if s.start >= top]
                index = after[0] if after and step > 0 else index
        if (pane.document.id, spans[index].id) == self._key():
            index = (index + step) % len(spans)
        self._go(pane, spans[index])

    def _on_pane_changed(self, doc_id: str) -> None:
        """Another pane: land on the span there most like the source (Alekseev →
        Alekseyev), so that a cross-document link is often one key away."""
        if self.source is None or doc_id == self.source.document_id:
            return
        pane = self.panes.panes.get(doc_id)
        source = self._span(self.source)
        if pane is None or source is None:
            return
        selected = self.session.selected
        if selected is not None and selected.document_id == doc_id:
            return
        spans = [s for s in pane.document.spans() if pane.painter.visible(s)]
        if not spans:
            return
        from rapidfuzz import fuzz  # 15 ms: not at start-up

        best = max(
            spans,
            key=lambda s: (
                s.label == source.label,
                fuzz.ratio(s.text.casefold(), source.text.casefold()),
                -s.start,
            ),
        )
        self._go(pane, best)

    def take_selection(self) -> None:
        """Find selected text while linking: the span there becomes the other end
        (typing in the find box narrows to the target however far it is)."""
        if self.source is None:
            return
        ref = self._span_at_selection()
        if ref is None:
            self.say("No span where Find landed: tag it first (a label key), or Find on.", 5000)
            return
        span = self._span(ref)
        self.session.select(ref)
        self.changed.emit()
        if span is not None:
            self.say(f"Link to {quoted(span.text, 60)}: press a relation key.", 5000)

    def _go(self, pane: ArticlePane, span: Span) -> None:
        pane.reveal(span, flash=False)
        self.session.select(SpanRef(pane.document.id, span.id))
        self.changed.emit()

    # --- mouse ---------------------------------------------------------------------------

    def offer_types(self, source: SpanRef, target: SpanRef, where: QPoint) -> bool:
        """The menu of relation types that fit both ends, at global point ``where``."""
        project = self.session.project
        a, b = self._span(source), self._span(target)
        if a is None or b is None or source == target:
            return False
        across = source.document_id != target.document_id
        fitting = [
            t for t in project.relation_types if t.allows(a.label, b.label, across=across) is None
        ]
        if not fitting:
            self.say(f"No relation type joins a {a.label} and a {b.label} here.", 5000)
            return False
        menu = QMenu(self.window)
        menu.setObjectName("linkTypeMenu")
        for kind in fitting:
            action = menu.addAction(_type_text(kind))
            action.setObjectName(f"link_type_{kind.name}")
            action.setData(kind.name)
        chosen = menu.exec(where)
        if chosen is None:
            return False
        return self._link(str(chosen.data()), source, target)

    def span_clicked(self, doc_id: str, span: Span | None, where: QPoint | None) -> None:
        """A click in link mode picks the other end; with the mouse, the type menu follows."""
        if self.source is None or span is None:
            return
        target = SpanRef(doc_id, span.id)
        if target == self.source:
            return
        self.session.select(target)
        self.changed.emit()
        if where is not None:
            self.offer_types(self.source, target, where)

    # --- keys ----------------------------------------------------------------------------

    def _type_for_key(self, text: str) -> RelationType | None:
        if not text:
            return None
        for kind in self.session.project.relation_types:
            if kind.key and kind.key.casefold() == text.casefold():
                return kind
        return None

    def _owns(self, event: QKeyEvent) -> bool:
        mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if event.key() == Qt.Key.Key_Escape:
            return True
        if mods not in (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.ShiftModifier):
            return False
        return event.key() in _MOVES or self._type_for_key(event.text()) is not None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if self.source is None or kind not in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress):
            return False
        if not isinstance(watched, QWidget) or watched.window() is not self.window:
            return False
        if isinstance(watched, QLineEdit):
            return False  # typing in the find box
        assert isinstance(event, QKeyEvent)
        if not self._owns(event):
            return False
        if kind == QEvent.Type.ShortcutOverride:
            event.accept()  # the key comes as a key press, not as a menu shortcut
            return True
        if event.key() == Qt.Key.Key_Escape:
            self.cancel()
        elif event.key() in _MOVES:
            self.move(_MOVES[Qt.Key(event.key())])
        else:
            found = self._type_for_key(event.text())
            if found is not None:
                self.finish(found.name)
        return True

    # --- helpers -------------------------------------------------------------------------

    def _key(self) -> tuple[str, str] | None:
        return (self.source.document_id, self.source.span_id) if self.source else None

    def _span(self, ref: SpanRef) -> Span | None:
        return self.session.project.span_of((ref.document_id, ref.span_id))


def _type_text(kind: RelationType) -> str:
    key = f"\t{kind.key}" if kind.key else ""
    return f"{mnemonic_safe(kind.name)}{key}"
