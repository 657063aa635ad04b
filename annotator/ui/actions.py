"""The action catalogue: every command of the window with its menu and shortcuts.

This table is the single source of the shortcuts; the menus are built from it and
Help ▸ Keyboard shortcuts lists it. Label keys come from the project's label set.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QWidget


@dataclass(frozen=True)
class ActionSpec:
    name: str
    text: str
    menu: str
    shortcuts: tuple[str, ...] = ()
    checkable: bool = False
    tip: str = ""
    review: bool = False  # only enabled in review mode
    # it changes the project (so it must leave one undo step: tests/ui/test_undoable.py)
    changes: bool = False


ACTIONS: tuple[ActionSpec, ...] = (
    ActionSpec("open", "&Open Project…", "File", ("Ctrl+O",), tip="Open a project or a folder"),
    ActionSpec("save", "&Save", "File", ("Ctrl+S",)),
    ActionSpec("export", "&Export…", "File", ("Ctrl+Shift+E",), tip="Export a labeled dataset"),
    ActionSpec(
        "export_comparison",
        "Export &Comparison…",
        "File",
        tip="Write the comparison of the shown outlets as a report (Markdown, HTML) or a "
        "table (CSV, JSON)",
    ),
    ActionSpec(
        "import",
        "&Import…",
        "File",
        ("Ctrl+Shift+I",),
        tip="Import spans or documents",
        changes=True,
    ),
    ActionSpec(
        "add_articles",
        "Add &Articles…",
        "File",
        ("Ctrl+Shift+A",),
        tip="Add .txt or .md files to the project as new documents",
        changes=True,
    ),
    ActionSpec(
        "import_suggestions",
        "Import &Suggestions…",
        "File",
        tip="Add predictions from a JSONL file as suggestions to review",
        changes=True,
    ),
    ActionSpec(
        "annotator_name",
        "Annotator &Name…",
        "File",
        tip="Who you are: recorded on your spans, links and review decisions",
    ),
    ActionSpec("quit", "&Quit", "File", ("Ctrl+Q",), tip="Save and quit"),
    ActionSpec("undo", "&Undo", "Edit", ("Ctrl+Z",)),
    ActionSpec("redo", "&Redo", "Edit", ("Ctrl+Shift+Z", "Ctrl+Y")),
    ActionSpec("delete_span", "&Delete Span", "Edit", ("Delete", "Backspace"), changes=True),
    ActionSpec(
        "tag_all",
        "&Tag All Occurrences",
        "Edit",
        ("Ctrl+T",),
        tip="Tag every occurrence of the selected text or span in the shown articles",
        changes=True,
    ),
    ActionSpec(
        "tag_all_variants",
        "Tag All Occurrences and &Variant Spellings",
        "Edit",
        ("Ctrl+Shift+T",),
        tip="Also variant spellings (Alekseev, Alekseyev) in the shown articles",
        changes=True,
    ),
    ActionSpec(
        "edit_document",
        "Document T&itle and Outlet…",
        "Edit",
        ("F2",),
        tip="Set the title and outlet of the document chosen in the Documents list",
        changes=True,
    ),
    ActionSpec(
        "link",
        "&Link Selected Span…",
        "Edit",
        ("L",),
        tip="Link the selected span to another (move to it, then press a relation key)",
    ),
    ActionSpec(
        "take_out_of_cluster",
        "Take Out of &Cluster",
        "Edit",
        tip="The selected span leaves its cluster; the rest stays one cluster",
        changes=True,
    ),
    ActionSpec("find", "&Find…", "Edit", ("Ctrl+F",)),
    ActionSpec("find_next", "Find &Next", "Edit", ("F3",)),
    ActionSpec("find_previous", "Find &Previous", "Edit", ("Shift+F3",)),
    ActionSpec("snap", "Snap Selections to &Words", "Edit", checkable=True),
    ActionSpec("clear_selection", "Clear Selection", "Edit", ("Escape",)),
    ActionSpec(
        "edit_labels",
        "&Edit Labels…",
        "Labels",
        tip="Add, rename, recolour or remove the project's labels",
        changes=True,
    ),
    ActionSpec(
        "edit_relation_types",
        "Edit &Relation Types…",
        "Labels",
        tip="Add, rename, recolour or remove the relation types (speaker, same, …)",
        changes=True,
    ),
    ActionSpec("review", "&Review", "View", ("Ctrl+R",), checkable=True, tip="Review suggestions"),
    ActionSpec("show_rejected", "Show Re&jected Suggestions", "View", checkable=True),
    ActionSpec(
        "side_by_side",
        "Layers &Side by Side",
        "View",
        ("Ctrl+Shift+K",),
        checkable=True,
        tip="The current article twice: two annotators' layers (or one and gold) side by side",
    ),
    ActionSpec(
        "mark_done",
        "Mark &Done and Next",
        "Edit",
        ("Ctrl+Return", "Ctrl+Enter"),
        tip="This document is done (for you, or for gold while adjudicating); the next one "
        "not done takes its pane",
        changes=True,
    ),
    ActionSpec(
        "reopen_document",
        "Re&open Document",
        "Edit",
        tip="The current document is no longer done (its work stays)",
        changes=True,
    ),
    ActionSpec(
        "next_document",
        "Next &Document",
        "View",
        ("Ctrl+PgDown",),
        tip="The next document of your queue (your assigned ones first) in this pane",
    ),
    ActionSpec(
        "previous_document",
        "Previous D&ocument",
        "View",
        ("Ctrl+PgUp",),
        tip="The previous document of your queue in this pane",
    ),
    ActionSpec("next_pane", "Next Pane", "View", ("Ctrl+]",)),
    ActionSpec("previous_pane", "Previous Pane", "View", ("Ctrl+[",)),
    # Review mode only (enabled while View ▸ Review is on)
    ActionSpec(
        "review_accept", "&Accept", "Review", ("A", "Return", "Enter"), review=True, changes=True
    ),
    ActionSpec("review_reject", "&Reject", "Review", ("R", "X"), review=True, changes=True),
    ActionSpec("review_next", "&Next Suggestion", "Review", ("N",), review=True),
    ActionSpec("review_previous", "&Previous Suggestion", "Review", ("P",), review=True),
    ActionSpec("review_end_right", "Extend End", "Review", ("Shift+Right",), review=True),
    ActionSpec("review_end_left", "Shrink End", "Review", ("Shift+Left",), review=True),
    ActionSpec(
        "review_end_word_right", "End to Next Word", "Review", ("Ctrl+Shift+Right",), review=True
    ),
    ActionSpec(
        "review_end_word_left",
        "End to Previous Word",
        "Review",
        ("Ctrl+Shift+Left",),
        review=True,
    ),
    ActionSpec("review_start_left", "Extend Start", "Review", ("Alt+Shift+Left",), review=True),
    ActionSpec("review_start_right", "Shrink Start", "Review", ("Alt+Shift+Right",), review=True),
    ActionSpec(
        "review_start_word_left",
        "Start to Previous Word",
        "Review",
        ("Ctrl+Alt+Shift+Left",),
        review=True,
    ),
    ActionSpec(
        "review_start_word_right",
        "Start to Next Word",
        "Review",
        ("Ctrl+Alt+Shift+Right",),
        review=True,
    ),
    ActionSpec(
        "agreement",
        "&Agreement…",
        "Analysis",
        ("Ctrl+Shift+G",),
        tip="How far the annotators agree: span F1, κ, α, relations, links, clusters",
    ),
    ActionSpec(
        "adjudicate",
        "A&djudicate",
        "Analysis",
        ("Ctrl+Shift+J",),
        checkable=True,
        tip="The disagreements between two annotators, least agreed first: A, B, T (both) "
        "or N (neither) decides each into the gold layer",
    ),
    ActionSpec(
        "progress",
        "&Progress…",
        "Analysis",
        tip="Each annotator's documents done, time spent and review decisions",
    ),
    ActionSpec("shortcuts", "&Keyboard Shortcuts", "Help", ("F1",)),
    ActionSpec(
        "team_example",
        "Open the &Team Example",
        "Help",
        tip="A copy of the sample tagged by two annotators: try Agreement and Adjudicate",
    ),
    ActionSpec("about", "&About Annotator", "Help"),
)

MENUS = ("File", "Edit", "Labels", "Review", "View", "Analysis", "Help")


def build_actions(parent: QWidget) -> dict[str, QAction]:
    actions: dict[str, QAction] = {}
    for spec in ACTIONS:
        action = QAction(spec.text, parent)
        action.setObjectName(f"action_{spec.name}")
        if spec.shortcuts:
            action.setShortcuts([QKeySequence(s) for s in spec.shortcuts])
        action.setCheckable(spec.checkable)
        if spec.review:
            action.setEnabled(False)
        if spec.tip:
            action.setStatusTip(spec.tip)
        parent.addAction(action)
        actions[spec.name] = action
    return actions


def shortcut_rows(
    label_keys: list[tuple[str, str]], relation_keys: list[tuple[str, str]] | None = None
) -> list[tuple[str, str]]:
    """(keys, what they do) for the help table, label and relation type keys included."""
    rows = [
        (f"{key}", f"Tag the selection as {name}, or relabel the selected span or suggestion")
        for name, key in label_keys
    ]
    rows += [
        (f"{key}", f"Link mode (L): link as {name}; Review: make the relation {name}")
        for name, key in relation_keys or []
    ]
    rows += [
        ("Arrows (link mode)", "Move to the next or previous span to link to"),
        ("Escape (link mode)", "Cancel the link"),
        ("Alt+drag", "Drag from one span to another to link them"),
        ("Ctrl+Shift+L", "Show or hide the Links panel"),
        ("Ctrl+Shift+C", "Show or hide the Compare panel (the comparison matrix)"),
    ]
    for spec in ACTIONS:
        if spec.shortcuts:
            what = spec.text.replace("&", "").rstrip("…")
            if spec.review:
                what = f"Review: {what}"
            rows.append((" or ".join(spec.shortcuts), what))
    return rows
