"""Placing the relations and links a project file holds, once every document is
loaded: each checked (its ends there, its type allowing its places), renumbered if its
id is taken, and one that cannot be placed reported with its id and kept as it was.
Part of :mod:`annotator.io.load`."""

from __future__ import annotations

from collections.abc import Callable, Collection

from pydantic import ValidationError

from annotator.core.models import (
    RELATION_LIST,
    Relation,
    RelationType,
    new_relation_id,
    relation_from_json,
    replace_relation,
)
from annotator.core.project import Project
from annotator.io.definitions import UNKNOWN_LABEL_COLOR
from annotator.io.report import IdLines, LoadReport, _brief

_LOAD_CHUNK = 2000  # relations validated in one call (a loading thread's step)


def place_relations(
    project: Project,
    raw_relations: list[tuple[str | None, object]],
    report: LoadReport,
    lines: IdLines,
) -> None:
    """Relations and links into the project; one whose end is missing (an article
    changed, a span lost) or that cannot be read is reported with its id and kept
    where it was, exactly as it was.

    A relation that is fine (its ends there, its type known and allowing its places,
    its id new) is placed without more ado, 100,000 of them at once; any other goes
    through :func:`_place_one`, which says what is wrong.
    """
    # what each known type may join: (two documents, one document)
    fits = {k.name: (k.across_documents, k.within_document) for k in project.relation_types}
    # each document's span ids, kept at hand: two look-ups per relation, 100,000s (a
    # document's spans are read from the file only when a relation ends in it)
    span_ids: dict[str, Collection[str]] = {}
    none: frozenset[str] = frozenset()

    def has_end(document: str, span: str) -> bool:
        ids = span_ids.get(document)
        if ids is None:
            known = project.has_document(document)
            ids = span_ids[document] = project.document(document).span_ids() if known else none
        return span in ids

    checked: list[Relation | None] = []
    for i in range(0, len(raw_relations), _LOAD_CHUNK):
        # a chunk in one call (a thread loading leaves the window room between them);
        # a chunk with a bad record is read one by one, to report each
        chunk = [raw for _home, raw in raw_relations[i : i + _LOAD_CHUNK]]
        try:
            checked.extend(RELATION_LIST.validate_python(chunk))
        except ValidationError:
            checked.extend(None for _ in chunk)
    taken = {r.id for r in project.relations()}
    placed: list[Relation] = []  # fine ones, put in at once (in file order)
    for (home, raw), relation in zip(raw_relations, checked, strict=True):
        if relation is not None:
            a, b = relation.source, relation.target
            fit = fits.get(relation.type)
            if (
                fit is not None
                and fit[0 if a.document != b.document else 1]
                and relation.id not in taken
                and has_end(a.document, a.span)
                and has_end(b.document, b.span)
            ):
                taken.add(relation.id)
                placed.append(relation)
                continue
        project.put_relations(placed)  # those before it first: the order stays the file's
        placed = []
        _place_one(project, home, raw, relation, has_end, taken, report, lines)
    project.put_relations(placed)


def _place_one(
    project: Project,
    home: str | None,
    raw: object,
    relation: Relation | None,
    has_end: Callable[[str, str], bool],
    taken: set[str],
    report: LoadReport,
    lines: IdLines,
) -> None:
    """A relation that is not simply fine: reported, and kept aside or placed.

    Long on purpose: each branch is one reason a relation is kept aside, reported with its id.
    """
    kinds = {k.name: k for k in project.relation_types}
    problem: str | None = None
    if relation is None:
        try:
            relation = relation_from_json(raw)
        except ValidationError as exc:
            problem = f"cannot be read ({_brief(exc)})"
    if relation is not None and not (
        has_end(relation.source.document, relation.source.span)
        and has_end(relation.target.document, relation.target.span)
    ):
        missing = [
            f"span {end.span} of document {end.document}"
            for end in (relation.source, relation.target)
            if not has_end(end.document, end.span)
        ]
        problem = f"({relation.type}) points at {' and '.join(missing)}, which is not there"
    elif relation is not None and relation.type in kinds:
        why = kinds[relation.type].allows_places(across=relation.across)
        problem = f"cannot be: {why}" if why else None
    if problem is not None or relation is None:
        ident = raw.get("id") if isinstance(raw, dict) else None
        where = lines.where(ident if isinstance(ident, str) else None)
        name = f"relation {ident}" if isinstance(ident, str) else "a relation"
        report.error(where, f"{name} {problem}; kept as it is, not shown")
        if home is not None and project.has_document(home):
            project.document(home).unplaced_relations.append(raw)
        else:
            project.detached_relations.append(raw)
        return
    if relation.id in taken:
        new_id = new_relation_id()
        report.warn(
            lines.where(relation.id),
            f"relation id {relation.id} appears twice; the second is {new_id}",
        )
        relation = replace_relation(relation, id=new_id)
    if relation.type not in kinds:
        report.warn(
            lines.where(relation.id),
            f"relation {relation.id} has the unknown type {relation.type!r}; type added",
        )
        project.relation_types.append(
            RelationType(name=relation.type, color=UNKNOWN_LABEL_COLOR, across_documents=True)
        )
    taken.add(relation.id)
    project.put_relation(relation)
