"""Commands over relations, links and clusters: link two spans, retype or remove a
link, remove a span with everything linked to it, merge two clusters, take a span out
of its cluster, name a cluster, edit the relation types. Each is one undoable step
(a :class:`Batch` of change records), so the history, the journal and the views treat
them like span edits."""

from __future__ import annotations

import itertools

from annotator.core.changes import (
    Change,
    ClusterNameChange,
    RelationChange,
    RelationTypeChange,
    SpanChange,
)
from annotator.core.clusters import Cluster, members_of, transitive_types
from annotator.core.commands import Batch, EditError
from annotator.core.comparison import row_types
from annotator.core.models import (
    MANUAL,
    End,
    Relation,
    RelationType,
    Span,
    SpanKey,
    SpanStatus,
    new_relation_id,
    replace_relation,
    utc_now,
)
from annotator.core.project import Project
from annotator.core.wording import count, quoted


def _span(project: Project, key: SpanKey) -> Span:
    span = project.span_of(key)
    if span is None:
        raise EditError(f"span {key[1]} is not in document {key[0]}")
    return span


def make_relation(
    project: Project,
    type_name: str,
    source: SpanKey,
    target: SpanKey,
    *,
    author: str | None = None,
    origin: str = MANUAL,
    status: SpanStatus = "accepted",
    score: float | None = None,
    note: str | None = None,
) -> Relation:
    """A new relation of ``type_name`` from ``source`` to ``target``, checked against its
    type (which labels, which documents) and against the relations already there."""
    kind = project.relation_type(type_name)
    if kind is None:
        raise EditError(f"there is no relation type {type_name!r}")
    if source == target:
        raise EditError("a span cannot be linked to itself")
    a, b = _span(project, source), _span(project, target)
    across = source[0] != target[0]
    why = kind.allows(a.label, b.label, across=across)
    if why is not None:
        raise EditError(why[0].upper() + why[1:])
    for old in project.relations_of(*source):
        if old.type != type_name or old.status == "rejected":
            continue
        ends = (old.source.key, old.target.key)
        if ends == (source, target) or (not kind.directed and ends == (target, source)):
            raise EditError(f"{quoted(a.text)} and {quoted(b.text)} are already {type_name}")
    if kind.transitive and status == "accepted" and target in members_of(project, source):
        raise EditError(f"{quoted(a.text)} and {quoted(b.text)} are already in one cluster")
    return Relation(
        id=new_relation_id(),
        type=type_name,
        source=End(document=source[0], span=source[1]),
        target=End(document=target[0], span=target[1]),
        author=author,
        origin=origin,
        status=status,
        score=score,
        note=note,
    )


def describe(project: Project, relation: Relation) -> str:
    a, b = project.span_of(relation.source.key), project.span_of(relation.target.key)
    left = quoted(a.text, 40) if a else relation.source.span
    right = quoted(b.text, 40) if b else relation.target.span
    arrow = "→" if (kind := project.relation_type(relation.type)) and kind.directed else "↔"
    return f"{left} {arrow} {right} ({relation.type})"


def add_relation(project: Project, relation: Relation) -> Batch:
    verb = "Link" if relation.across else "Relate"
    return Batch(
        f"{verb} {describe(project, relation)}",
        (RelationChange(relation.id, None, relation),),
    )


def link(
    project: Project, type_name: str, source: SpanKey, target: SpanKey, *, author: str | None = None
) -> Batch:
    """Link (or relate) two spans: one undo step."""
    return add_relation(project, make_relation(project, type_name, source, target, author=author))


def remove_relation(project: Project, relation: Relation) -> Batch:
    return Batch(
        f"Remove {describe(project, relation)}",
        (RelationChange(relation.id, relation, None),),
    )


def retype(project: Project, relation: Relation, type_name: str) -> Batch:
    """Change a relation's type; a suggestion keeps the type its model proposed. A
    link that marked a disagreement (``contradicts``, ``differs``) loses the note that
    described it when it is retyped into one that marks none (``same``)."""
    kind = project.relation_type(type_name)
    if kind is None:
        raise EditError(f"there is no relation type {type_name!r}")
    a, b = _span(project, relation.source.key), _span(project, relation.target.key)
    why = kind.allows(a.label, b.label, across=relation.across)
    if why is not None:
        raise EditError(why[0].upper() + why[1:])
    update: dict[str, object] = {"type": type_name, "modified": utc_now()}
    if relation.is_suggestion and relation.proposed is None:
        update["proposed"] = relation.type
    _joining, marking = row_types(project)
    if relation.type in marking and type_name not in marking:
        update["note"] = None  # "year: 2018 / 2019" says nothing of a `same` link
    after = replace_relation(relation, **update)
    return Batch(
        f"Make {describe(project, relation)} {type_name}",
        (RelationChange(relation.id, relation, after),),
    )


def remove_span(project: Project, document_id: str, span: Span) -> Batch:
    """Remove a span with its relations and links: one undo step brings all of them back.

    A name given to its cluster moves to another member that stays in the cluster.
    """
    key = (document_id, span.id)
    changes: list[Change] = _take_out_changes(project, key, rejoin=True)
    changes += [
        RelationChange(r.id, r, None)
        for r in project.relations_of(*key)
        if not any(isinstance(c, RelationChange) and c.relation_id == r.id for c in changes)
    ]
    changes.append(SpanChange(document_id, span, None))
    linked = sum(isinstance(c, RelationChange) and c.after is None for c in changes)
    extra = f" and {count(linked, 'link')}" if linked else ""
    return Batch(f"Remove {span.label} {quoted(span.text)}{extra}", tuple(changes))


def _take_out_changes(project: Project, key: SpanKey, *, rejoin: bool) -> list[Change]:
    """The changes that take ``key`` out of its cluster, the rest staying one cluster:
    its joining links go, its former neighbours are joined in a chain, a name it
    carried moves to one of them."""
    types = transitive_types(project)
    joining = [r for r in project.relations_of(*key) if r.type in types and r.status == "accepted"]
    changes: list[Change] = [RelationChange(r.id, r, None) for r in joining]
    neighbours = sorted({(r.target.key if r.source.key == key else r.source.key) for r in joining})
    if rejoin and len(neighbours) > 1:
        kind = joining[0].type
        rest = [n for n in members_of(project, key) if n != key]
        # neighbours already joined without ``key`` need no new link
        groups = _groups_without(project, key, rest, types)
        heads: list[SpanKey] = []
        for n in neighbours:
            if not any(n in g and h in g for g in groups for h in heads):
                heads.append(n)
        for a, b in itertools.pairwise(heads):
            relation = Relation(
                id=new_relation_id(),
                type=kind,
                source=End(document=a[0], span=a[1]),
                target=End(document=b[0], span=b[1]),
            )
            changes.append(RelationChange(relation.id, None, relation))
    name = project.cluster_names.get(key)
    if name is not None:
        changes.append(ClusterNameChange(key, name, None))
        if neighbours and not any(n in project.cluster_names for n in neighbours):
            changes.append(ClusterNameChange(neighbours[0], None, name))
    return changes


def _groups_without(
    project: Project, key: SpanKey, members: list[SpanKey], types: set[str]
) -> list[set[SpanKey]]:
    """The components ``members`` fall into once ``key`` is gone."""
    left = set(members)
    groups: list[set[SpanKey]] = []
    while left:
        start = left.pop()
        group, todo = {start}, [start]
        while todo:
            here = todo.pop()
            for r in project.relations_of(*here):
                if r.type not in types or r.status != "accepted":
                    continue
                for end in (r.source.key, r.target.key):
                    if end != key and end not in group:
                        group.add(end)
                        left.discard(end)
                        todo.append(end)
        groups.append(group)
    return groups


def take_out_of_cluster(project: Project, key: SpanKey) -> Batch:
    span = _span(project, key)
    changes = _take_out_changes(project, key, rejoin=True)
    if not changes:
        raise EditError(f"{quoted(span.text)} is in no cluster")
    return Batch(f"Take {quoted(span.text)} out of its cluster", tuple(changes))


def merge_clusters(
    project: Project, first: Cluster, second: Cluster, *, author: str | None = None
) -> Batch:
    """One link joins two clusters; the merged one keeps the first one's name."""
    if set(first.members) & set(second.members):
        raise EditError("these are one cluster already")
    types = sorted(transitive_types(project))
    if not types:
        raise EditError("the project has no relation type that forms clusters")
    relation = Relation(
        id=new_relation_id(),
        type=types[0],
        source=End(document=first.members[0][0], span=first.members[0][1]),
        target=End(document=second.members[0][0], span=second.members[0][1]),
        author=author,
    )
    changes: list[Change] = [RelationChange(relation.id, None, relation)]
    if first.named and second.head is not None:
        changes.append(ClusterNameChange(second.head, second.name, None))
    return Batch(f"Merge clusters {quoted(first.name)} and {quoted(second.name)}", tuple(changes))


def rename_cluster(project: Project, cluster: Cluster, name: str) -> Batch:
    """Give a cluster a name (an empty name goes back to its longest mention)."""
    name = " ".join(name.split())
    if len(name) > 200:
        raise EditError("a cluster name may have at most 200 characters")
    head = cluster.head or cluster.members[0]
    changes: list[Change] = [
        ClusterNameChange(k, project.cluster_names[k], None)
        for k in cluster.members
        if k in project.cluster_names and k != head
    ]
    before = project.cluster_names.get(head)
    after = name or None
    if before != after:
        changes.append(ClusterNameChange(head, before, after))
    return Batch(f"Name the cluster {quoted(name or cluster.name)}", tuple(changes))


def edit_relation_types(  # noqa: C901
    project: Project,
    rows: list[tuple[str | None, RelationType]],
    description: str = "Edit relation types",
) -> Batch:
    """Labels ▸ Edit Relation Types…: the types as the person left them, as one batch.

    ``rows`` pairs each type's old name (None for a new one) with its new value, in the
    new order. A renamed type takes its relations along; a type left out is removed,
    which is refused while relations use it. Two types may not share a name or a key.
    Long on purpose: each branch is one refusal the person reads, in the order they are checked
    (as :func:`annotator.core.commands.edit_labels`).
    """
    names = [kind.name for _old, kind in rows]
    keys = [kind.key for _old, kind in rows if kind.key]
    if len(set(names)) != len(names):
        raise EditError("two relation types have the same name")
    if len(set(keys)) != len(keys):
        raise EditError("two relation types have the same key")
    label_keys = {lb.key.casefold() for lb in project.labels if lb.key}
    taken = sorted(k for k in keys if k.casefold() in label_keys)
    if taken:
        raise EditError(f"the key {taken[0]!r} is a label's key already")
    old_by_name = {t.name: t for t in project.relation_types}
    kept = {old for old, _kind in rows if old is not None}
    in_use: dict[str, int] = {}
    for relation in project.relations():
        in_use[relation.type] = in_use.get(relation.type, 0) + 1
    changes: list[Change] = []
    for name, kind in old_by_name.items():
        if name not in kept:
            if in_use.get(name):
                raise EditError(
                    f"the relation type {name!r} is on {count(in_use[name], 'relation')}; "
                    "remove or retype them first"
                )
            changes.append(RelationTypeChange(name, kind, None))
    renamed: dict[str, str] = {}
    for old, kind in rows:
        if old is None:
            changes.append(RelationTypeChange(kind.name, None, kind))
        elif old_by_name.get(old) != kind:
            changes.append(RelationTypeChange(old, old_by_name[old], kind))
            if old != kind.name:
                renamed[old] = kind.name
    for relation in project.relations():
        if relation.type in renamed:
            after = replace_relation(relation, type=renamed[relation.type])
            changes.append(RelationChange(relation.id, relation, after))
    return Batch(description, tuple(changes))
