"""Annotator names: who made a span, relation, link or review decision.

A name is what a person types ("Ann Lee"); it is stored in the user settings and in
every item's ``author``. Names are plain text, one line, at most 64 characters, and
never a path (no slashes, no leading dot): they will name each annotator's file.
"""

from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING

from annotator.core.changes import Changes, RelationChange, SpanChange
from annotator.core.models import Relation, Span, layer_name
from annotator.core.wording import count

if TYPE_CHECKING:
    from annotator.core.project import Project

MAX_NAME = 64


def clean_name(raw: str) -> str:
    """``raw`` as an annotator name (trimmed, NFC), or ValueError saying why not."""
    name = unicodedata.normalize("NFC", " ".join(raw.split()))
    if not name:
        raise ValueError("a name cannot be empty")
    if len(name) > MAX_NAME:
        raise ValueError(f"a name has at most {count(MAX_NAME, 'character')}")
    bad = [c for c in name if unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp", "Cs", "Co")]
    if bad:
        raise ValueError("a name cannot hold control or invisible formatting characters")
    if any(c in name for c in '/\\:*?"<>|') or name.startswith("."):
        raise ValueError('a name cannot hold / \\ : * ? " < > | or start with a dot')
    if name.lower() in ("gold", "(no name)"):
        raise ValueError(f"{name!r} is kept for the adjudicated layer; choose another name")
    return name


def known_names(project: Project) -> set[str]:
    """The annotators whose work the project holds now: its layer files, and the
    authors of every span read so far and of every relation."""
    names = set(project.layer_files)
    for doc in project.documents:
        if doc.unread() is None:
            names.update(s.author for s in doc.span_values() if s.author)
    names.update(r.author for r in project.relations() if r.author)
    return names


def spelled_as_known(name: str | None, known: set[str]) -> str | None:
    """``name`` as the project already spells it, if it differs from a known name
    only in case: on Windows and macOS disks ``annotations/Ann.json`` and
    ``annotations/ann.json`` are one file, so "ann" and "Ann" must be one annotator."""
    if name is None or name in known:
        return name
    folded = name.casefold()
    return next((k for k in sorted(known) if k.casefold() == folded), name)


def others_work(project: Project, changes: Changes) -> str | None:
    """Why ``changes`` may not be made here: in a team project another annotator's
    spans and relations are theirs to change (their file is written only by their
    session); the gold layer and one's own work are open. None: they may."""
    if not project.team:
        return None
    me = project.annotator
    for change in changes:
        if isinstance(change, SpanChange | RelationChange):
            for item in (change.before, change.after):
                if item is not None and item.adjudication is None and item.author not in (None, me):
                    return (
                        f"{item.author}'s work is read-only here: you work as "
                        f"{me or 'nobody (File ▸ Annotator Name…)'}"
                    )
    return None


def in_layer(item: Span | Relation, layer: str | None, me: str | None) -> bool:
    """Whether ``item`` is shown when only ``layer`` is (None: every layer); work nobody
    signed is the viewer's own."""
    return layer is None or (layer_name(item) or me or "") == layer
