"""One linear history of commands: undo, redo and the clean (saved) marker."""

from __future__ import annotations

from collections.abc import Callable

from annotator.core.commands import Changes, Command, EditError
from annotator.core.project import Project


class History:
    def __init__(self, project: Project) -> None:
        self._project = project
        self._done: list[Command] = []
        self._undone: list[Command] = []
        self._clean_at: int | None = 0  # len(_done) when last saved; None if unreachable

    def execute(
        self, command: Command, check: Callable[[Changes], str | None] | None = None
    ) -> Changes:
        """Do ``command``; if ``check`` finds a reason against what it did, take it back
        at once and raise EditError with that reason (the history is unchanged)."""
        changes = command.do(self._project)
        problem = check(changes) if check is not None else None
        if problem is not None:
            command.undo(self._project)
            raise EditError(problem)
        if self._clean_at is not None and self._clean_at > len(self._done):
            self._clean_at = None  # the saved state was in the redo branch we drop now
        self._done.append(command)
        self._undone.clear()
        return changes

    def undo(self) -> Changes:
        if not self._done:
            return ()
        command = self._done.pop()
        changes = command.undo(self._project)
        self._undone.append(command)
        return changes

    def redo(self) -> Changes:
        if not self._undone:
            return ()
        command = self._undone.pop()
        changes = command.do(self._project)
        self._done.append(command)
        return changes

    @property
    def can_undo(self) -> bool:
        return bool(self._done)

    @property
    def can_redo(self) -> bool:
        return bool(self._undone)

    @property
    def depth(self) -> int:
        """How many steps can be undone."""
        return len(self._done)

    @property
    def last_undone(self) -> Command | None:
        """The command the last undo took back (it may have something to say)."""
        return self._undone[-1] if self._undone else None

    @property
    def undo_text(self) -> str:
        return self._done[-1].description if self._done else ""

    @property
    def redo_text(self) -> str:
        return self._undone[-1].description if self._undone else ""

    @property
    def is_clean(self) -> bool:
        return self._clean_at == len(self._done)

    def mark_clean(self) -> None:
        self._clean_at = len(self._done)

    def token(self) -> tuple[int, Command | None]:
        """Identifies the current state, for :meth:`mark_clean_at` after a background save."""
        return len(self._done), (self._done[-1] if self._done else None)

    def mark_clean_at(self, token: tuple[int, Command | None]) -> None:
        """The state ``token`` was saved; edits made since then keep the project dirty."""
        n, last = token
        reachable = n <= len(self._done) and (n == 0 or self._done[n - 1] is last)
        self._clean_at = n if reachable else None
