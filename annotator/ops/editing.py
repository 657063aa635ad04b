"""Applying a command: the one check every edit passes, from the window or the command
line. In a team project another annotator's spans and relations are theirs to change
(:func:`annotator.core.annotators.others_work`); an import (a colleague's file comes
in as their layer, explicitly) and signing one's own earlier work
(:class:`~annotator.core.annotators.Sign`) are the two commands that may touch items
not signed by the person working."""

from __future__ import annotations

from collections.abc import Callable

from annotator.core.annotators import Sign, others_work
from annotator.core.changes import Changes
from annotator.core.commands import Command
from annotator.core.history import History
from annotator.core.project import Project
from annotator.ops.importing import ImportCommand

Check = Callable[[Changes], str | None]


def check_for(project: Project, command: Command) -> Check | None:
    """What ``command``'s changes must pass (None: nothing to check)."""
    if isinstance(command, ImportCommand | Sign):
        return None
    return lambda changes: others_work(project, changes)


def apply(project: Project, command: Command, history: History | None = None) -> Changes:
    """Do ``command`` through ``history`` (a new one: the command line) with the same
    check as the window; raises :class:`~annotator.core.commands.EditError`, with the
    project unchanged, when the check refuses it."""
    history = History(project) if history is None else history
    return history.execute(command, check_for(project, command))
