"""What the tools around the window (import, export, suggestions) may use of it: a
narrow context instead of the whole window, so that those modules do not depend on
the main window and the window depends on them, not the other way round."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtWidgets import QWidget

from annotator.formats.records import ImportPlan
from annotator.ui.session import Session


@dataclass(frozen=True)
class Workbench:
    parent: QWidget  # dialogs and progress bars open over it
    session: Session
    shown_documents: Callable[[], list[str]]
    say: Callable[[str, int], None]  # the status bar: text, milliseconds
    apply_import: Callable[[ImportPlan], None]  # one undo step, the views follow
    suggestions_added: Callable[[], None]  # the review panel refreshes its origins
    show: Callable[[str], None] = lambda _doc_id: None  # check a document as shown
