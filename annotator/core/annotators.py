"""Annotator names: who made a span, relation, link or review decision.

A name is what a person types ("Ann Lee"); it is stored in the user settings and in
every item's ``author``. Every name passes the one gate, :mod:`annotator.core.names`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from annotator.core.changes import Change, Changes, RelationChange, SpanChange
from annotator.core.commands import Batch
from annotator.core.models import (
    Relation,
    Span,
    layer_name,
    replace_relation,
    replace_span,
)
from annotator.core.names import BadName, clean_name, layer_stem
from annotator.core.wording import count

if TYPE_CHECKING:
    from annotator.core.project import Project

__all__ = [
    "BadName",
    "claim",
    "clean_name",
    "in_layer",
    "known_names",
    "others_work",
    "spelled_as_known",
]


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
    """``name`` as the project already spells it, if it shares a known name's layer
    file (:func:`~annotator.core.names.layer_stem`: "Ann" and "ann", "Ann Lee" and
    "ann-lee" are one file, so one annotator)."""
    if name is None or name in known:
        return name
    stem = layer_stem(name)
    return next((k for k in sorted(known) if _stem_or_none(k) == stem), name)


def _stem_or_none(name: str) -> str | None:
    try:
        return layer_stem(name)
    except BadName:
        return None


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


def claimable(item: Span | Relation, previous: str | None) -> bool:
    """Work a person made before giving their name: unsigned (or signed with the name
    they had by default, ``previous``), neither gold nor a suggestion still pending."""
    if item.adjudication is not None or (item.is_suggestion and item.status == "pending"):
        return False
    return item.author is None or (previous is not None and item.author == previous)


class Sign(Batch):
    """Signing one's own earlier work (:func:`claim`): unsigned items, or items under
    the name this person had by default; never another annotator's."""


def claim(project: Project, name: str, previous: str | None = None) -> Sign | None:
    """One undo step that records ``name`` on the project's unsigned work (and on work
    signed ``previous``, the name used by default before this one was chosen). None:
    there is nothing to claim."""
    changes: list[Change] = []
    for doc in project.documents:
        for span in doc.span_values():
            if claimable(span, previous):
                after = replace_span(span, author=name)
                changes.append(SpanChange(doc.id, span, after))
    spans = len(changes)
    for relation in project.relations():
        if claimable(relation, previous):
            after_relation = replace_relation(relation, author=name)
            changes.append(RelationChange(relation.id, relation, after_relation))
    if not changes:
        return None
    what = count(spans, "span")
    if len(changes) > spans:
        what += " and " + count(len(changes) - spans, "link")
    return Sign(f"Sign {what} as {name}", tuple(changes))
