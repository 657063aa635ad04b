"""The actions made from the project's vocabulary: Labels ▸ Tag as …, one a label with
its key, and Review ▸ Make It …, one a relation type with its key (review mode only).

They are rebuilt by themselves when a change record says the labels or the relation
types changed (an edit, an import, their undo).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QWidget

from annotator.core.changes import RelationTypeChange, label_changes
from annotator.core.commands import Changes
from annotator.ui.plain import mnemonic_safe, tooltip
from annotator.ui.review import ReviewMode
from annotator.ui.session import Session


class LabelActions:
    """``tag`` and ``retype`` map a label or relation type name to its action."""

    def __init__(
        self,
        session: Session,
        owner: QWidget,
        review: ReviewMode,
        apply_label: Callable[[str], None],
    ) -> None:
        self.session = session
        self.owner = owner  # the shortcuts live on the window
        self.review = review
        self.apply_label = apply_label
        self.tag: dict[str, QAction] = {}
        self.retype: dict[str, QAction] = {}
        self.labels_menu: QMenu | None = None
        self.review_menu: QMenu | None = None

    def follow(self) -> None:
        """Rebuild when a change record says the labels or relation types changed."""
        self.session.changed.connect(self._on_changed)

    def build(self, labels_menu: QMenu, review_menu: QMenu) -> None:
        self.labels_menu, self.review_menu = labels_menu, review_menu
        self.build_tag()
        self.build_retype()

    def _on_changed(self, changes: Changes) -> None:
        if label_changes(changes):
            self.build_tag()
        if any(isinstance(c, RelationTypeChange) for c in changes):
            self.build_retype()

    def _drop(self, actions: dict[str, QAction], menu: QMenu | None) -> None:
        for action in actions.values():
            self.owner.removeAction(action)
            if menu is not None:
                menu.removeAction(action)
            action.deleteLater()
        actions.clear()

    def _add(self, action: QAction, name: str, key: str | None, menu: QMenu | None) -> None:
        action.setObjectName(name)
        if key:
            action.setShortcut(QKeySequence(key))
        self.owner.addAction(action)
        if menu is not None:
            menu.addAction(action)

    def build_tag(self) -> None:
        """Labels ▸ Tag as …, one action a label, its key as shortcut."""
        self._drop(self.tag, self.labels_menu)
        for label in self.session.project.labels:
            action = QAction(f"Tag as {mnemonic_safe(label.name)}", self.owner)
            action.setToolTip(tooltip(f"Tag as {label.name}"))  # else Qt may read it as HTML
            action.setStatusTip(f"Tag the selection as {label.name}")
            action.triggered.connect(lambda _=False, n=label.name: self.apply_label(n))
            self._add(action, f"action_label_{label.name}", label.key, self.labels_menu)
            self.tag[label.name] = action

    def build_retype(self) -> None:
        """Review ▸ Make It …: in review mode, a relation type's key retypes the
        suggested relation or link under review (the model's type is kept)."""
        self._drop(self.retype, self.review_menu)
        for kind in self.session.project.relation_types:
            action = QAction(f"Make It {mnemonic_safe(kind.name)}", self.owner)
            action.setToolTip(tooltip(f"Retype the relation under review as {kind.name}"))
            action.setEnabled(self.review.active)
            action.triggered.connect(lambda _=False, n=kind.name: self.review.retype(n))
            self._add(action, f"action_retype_{kind.name}", kind.key, self.review_menu)
            self.retype[kind.name] = action
