"""Reporting progress from long work and stopping it when the person cancels.

Long work (opening a big project, import, export, extractors) takes a ``progress``
callback, called now and then with ``(done, total)``, and a ``cancelled`` check; it
raises :class:`Cancelled` to stop, having changed nothing. Qt-free: the UI runs the
work on a thread (:mod:`annotator.ui.tasks`), the CLI and tests call it directly.
"""

from __future__ import annotations

from collections.abc import Callable

Progress = Callable[[int, int], None]
IsCancelled = Callable[[], bool]


class Cancelled(Exception):
    """The person cancelled the run; nothing was changed."""


def no_progress(_done: int, _total: int) -> None:
    """A :data:`Progress` that reports nowhere."""


def never_cancelled() -> bool:
    """An :data:`IsCancelled` for work nobody can cancel."""
    return False
