"""Who works on a project once it is open, the same for the window and the command
line: the name from the settings (chosen, else the account's), in the project's own
spelling when it differs from one of its annotators' only in case ("ANN" where the
project has "ann": one layer file on Windows and macOS)."""

from __future__ import annotations

from annotator.core.annotators import known_names, spelled_as_known
from annotator.core.project import Project
from annotator.settings import Settings


def person(project: Project, settings: Settings) -> str | None:
    """The name ``project`` records for the person ``settings`` describe (None: none)."""
    name = settings.name
    return spelled_as_known(name, known_names(project)) if name else None
