"""Tagging: what the label keys, Delete, Ctrl+T and F2 do to the selection or the
selected span, as commands run through the session (so each is one undo step)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QWidget

from annotator.core.commands import (
    AddSpan,
    EditError,
    edit_document,
    make_span,
    relabel,
)
from annotator.core.models import Adjudication, Span, replace_span
from annotator.core.relating import remove_span
from annotator.core.text import snap_to_words
from annotator.core.wording import count, quoted
from annotator.extract.propagate import tag_occurrences
from annotator.settings import Settings
from annotator.ui.document_dialog import DocumentInfoDialog
from annotator.ui.panes_area import PanesArea
from annotator.ui.review import ReviewMode
from annotator.ui.session import Session, SpanRef


class Tagging:
    """The window's editing commands over the current pane, the selection and the
    selected span; it knows only what it is given, not the window."""

    def __init__(
        self,
        session: Session,
        panes: PanesArea,
        review: ReviewMode,
        settings: Settings,
        *,
        parent: QWidget,
        snap: Callable[[], bool],
        shown: Callable[[], list[str]],
        chosen_document: Callable[[], str | None],
        say: Callable[..., None],
        into_gold: Callable[[], bool] = lambda: False,
    ) -> None:
        self.session = session
        self.panes = panes
        self.review = review
        self.settings = settings
        self.parent = parent
        self.snap = snap
        self.shown = shown
        self.chosen_document = chosen_document  # the row chosen in the Documents list
        self.say = say  # the status bar: say(text, milliseconds)
        self.into_gold = into_gold  # whether a new span goes into the gold layer
        self._last_label: str | None = None  # what Tag All Occurrences tags a selection as

    def apply_label(self, label: str) -> None:
        """Tag the current pane's selection, or relabel the selected span or suggestion."""
        self._last_label = label
        if self.review.active and self.review.current_relation() is not None:
            self.say("A relation is under review: its type keys retype it (A accepts).", 5000)
            return
        if self.review.active and self.review.current() is not None:
            self.review.relabel(label)
            return
        pane = self.panes.current_pane()
        selection = pane.view.selection_range() if pane is not None else None
        if pane is not None and selection is not None:
            try:
                span = make_span(
                    pane.document,
                    *selection,
                    label,
                    snap=self.snap(),
                    author=self.session.project.annotator,
                )
            except EditError as exc:
                self.say(str(exc), 5000)
                return
            gold = self.into_gold()
            if gold:  # made by hand in the gold layer: the adjudicator's own version
                span = replace_span(span, adjudication=Adjudication(sources=[]))
            if self.session.run(AddSpan(pane.document.id, span)):
                pane.view.clear_selection()
                self.session.select(SpanRef(pane.document.id, span.id))
                if gold:
                    self.say(f"Tagged {quoted(span.text)} as {label} in the gold layer.", 4000)
            return
        selected = self.selected_span()
        if selected is not None and selected[1].label != label:
            self.session.run(relabel(selected[0], selected[1], label))
        elif selected is None:
            self.say("Select some text first, then press a label key.", 4000)

    def edit_document(self) -> None:
        """Edit ▸ Document Title and Outlet… (F2, a double click or the context menu of
        the Documents list): for the document chosen there, else the current pane's."""
        chosen = self.chosen_document()
        pane = self.panes.current_pane()
        if chosen is not None:
            doc_id = chosen
        elif pane is not None:
            doc_id = pane.document.id
        else:
            self.say("Choose a document in the Documents list first.", 4000)
            return
        doc = self.session.project.document(doc_id)
        dialog = DocumentInfoDialog(doc, self.parent)
        if dialog.exec() != DocumentInfoDialog.DialogCode.Accepted:
            return
        try:
            command = edit_document(self.session.project, doc_id, *dialog.values())
        except EditError as exc:
            self.say(str(exc), 5000)
            return
        if command.before != command.after and self.session.run(command):
            self.say(f"{command.description} (undo: Ctrl+Z).", 5000)

    def tag_all_occurrences(self, *, variants: bool) -> None:
        """Edit ▸ Tag All Occurrences (Ctrl+T; Ctrl+Shift+T with variant spellings): the
        selected span's text with its label, or the selected text with the label last
        used, tagged everywhere in the shown articles as one undo step."""
        selected = self.selected_span()
        pane = self.panes.current_pane()
        selection = pane.view.selection_range() if pane is not None else None
        if selection is not None and pane is not None:
            start, end = selection
            if self.snap():
                start, end = snap_to_words(pane.document.text, start, end)
            text = pane.document.text[start:end]
            label = self._last_label or self.session.project.labels[0].name
        elif selected is not None:
            text, label = selected[1].text, selected[1].label
        else:
            self.say("Select some text or a span first; Ctrl+T then tags it everywhere.", 5000)
            return
        if not text.strip():
            self.say("The selection holds only white space.", 4000)
            return
        shown = self.shown()
        batch = tag_occurrences(
            self.session.project,
            shown,
            text,
            label,
            variants=variants,
            author=self.session.project.annotator,
        )
        what = quoted(text)
        if not batch.changes:
            self.say(f"No untagged occurrence of {what} as {label} in the shown articles.", 6000)
            return
        if self.session.run(batch):
            if pane is not None and selection is not None:
                pane.view.clear_selection()
            documents = len({c.document_id for c in batch.changes})
            spellings = ", variant spellings included" if variants else ""
            self.say(
                f"Tagged {count(len(batch.changes), 'occurrence')} of {what} as {label} in "
                f"{count(documents, 'document')}{spellings} (one undo step).",
                10000,
            )

    def delete_selected_span(self) -> None:
        selected = self.selected_span()
        if selected is None:
            self.say("Click a span first to select it.", 4000)
            return
        # the span's relations and links go with it, in the same undo step
        self.session.run(remove_span(self.session.project, *selected))

    def selected_span(self) -> tuple[str, Span] | None:
        ref = self.session.selected
        if ref is None:
            return None
        doc = self.session.project.document(ref.document_id)
        return (ref.document_id, doc.span(ref.span_id)) if doc.has_span(ref.span_id) else None
