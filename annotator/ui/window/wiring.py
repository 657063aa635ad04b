"""What each action of the catalogue does, and which documents every view shows.

The actions are made from :data:`annotator.ui.actions.ACTIONS`; here each is
connected to the tool that carries it out. The views follow the session's change
records themselves (their ``follow``); this module only subscribes them, in order.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from annotator.settings import team_example
from annotator.ui.window import vocabulary

if TYPE_CHECKING:
    from annotator.ui.window.parts import WindowParts


def subscribe_views(w: WindowParts, *, last: Callable[[], None]) -> None:
    """Each view takes the session's change records; the list first (documents added
    or removed change what the others show), the selection last."""
    w.document_view.follow()
    w.label_bar.follow(w.session)
    w.panes.follow(w.session.changed)
    w.span_panel.follow(w.session)
    w.review_panel.follow()
    w.labeling.follow()
    w.queue.follow()
    last()  # the selection, shown again once the views are up to date
    w.documents.shown_changed.connect(lambda shown: show_documents(w, shown))


def show_documents(w: WindowParts, doc_ids: list[str]) -> None:
    """These documents are shown (checked in the Documents list): every view follows."""
    w.panes.show_documents(doc_ids)
    w.spans.set_documents(doc_ids)
    w.review_panel.show_documents(doc_ids)
    w.review.set_documents(doc_ids)
    w.link_tools.set_documents(doc_ids)
    w.comparing.set_documents(doc_ids)
    selected = w.session.selected
    if selected is not None and selected.document_id not in doc_ids:
        w.session.select(None)


def connect_actions(w: WindowParts, *, clear_selection: Callable[[], None]) -> None:
    a = w.actions_by_name
    s = w.session
    for name, slot in {
        "save": s.save,
        "quit": w.close,
        "undo": s.undo,
        "redo": s.redo,
        "delete_span": w.tagging.delete_selected_span,
        "edit_document": w.tagging.edit_document,
        "edit_labels": lambda: vocabulary.ask_labels(w),
        "edit_relation_types": lambda: vocabulary.ask_relation_types(w),
        "link": w.link_tools.start,
        "take_out_of_cluster": lambda: w.link_tools.take_out(),
        "tag_all": lambda: w.tagging.tag_all_occurrences(variants=False),
        "tag_all_variants": lambda: w.tagging.tag_all_occurrences(variants=True),
        "find": w.find_box.start,
        "find_next": lambda: w.find_box.find_match(backwards=False),
        "find_previous": lambda: w.find_box.find_match(backwards=True),
        "clear_selection": clear_selection,
        "mark_done": w.queue.mark_done_and_next,
        "reopen_document": w.queue.reopen,
        "next_document": lambda: w.queue.step(True),
        "previous_document": lambda: w.queue.step(False),
        "progress": w.queue.show_progress,
        "next_pane": lambda: w.panes.cycle(1),
        "previous_pane": lambda: w.panes.cycle(-1),
        "shortcuts": lambda: vocabulary.show_shortcuts(w),
        "about": lambda: vocabulary.about(w),
        "annotator_name": w.team.ask_name,
        "agreement": w.team.show_agreement,
        "open": w.open_requested,
        "team_example": lambda: w.open_path_requested.emit(team_example()),
        "import_suggestions": w.suggestion_tools.ask_import,
        "export": w.exchange.ask_export,
        "export_comparison": w.comparing.ask_export,
        "import": w.exchange.ask_import,
        "add_articles": w.exchange.ask_add_articles,
        "review_accept": w.review.accept,
        "review_reject": w.review.reject,
        "review_next": w.review.next,
        "review_previous": w.review.previous,
    }.items():
        a[name].triggered.connect(slot)
    for name, edge, step, by_word in (
        ("review_end_right", "end", 1, False),
        ("review_end_left", "end", -1, False),
        ("review_end_word_right", "end", 1, True),
        ("review_end_word_left", "end", -1, True),
        ("review_start_left", "start", -1, False),
        ("review_start_right", "start", 1, False),
        ("review_start_word_left", "start", -1, True),
        ("review_start_word_right", "start", 1, True),
    ):
        a[name].triggered.connect(
            lambda _=False, e=edge, st=step, wd=by_word: w.review.adjust(e, st, by_word=wd)
        )
    a["snap"].toggled.connect(lambda on: setattr(w.settings, "snap_to_words", on))
    a["show_rejected"].toggled.connect(w.panes.set_show_rejected)
    a["show_rejected"].toggled.connect(w.span_panel.set_show_rejected)
    w.review.relation_current.connect(w.link_tools.show_relation)
    w.find_box.found.connect(w.link_tools.mode.take_selection)  # Find retargets a link
    w.label_bar.label_clicked.connect(w.apply_label)
    view = w.document_view
    view.doubleClicked.connect(lambda _index: w.tagging.edit_document())
    view.addAction(a["edit_document"])
