"""Clusters: the groups of spans that accepted links of a transitive type (``same``)
join, across documents (cross-document coreference).

The links are the truth; a cluster is derived from them (a connected component), so
it can never disagree with them. A name a person gives a cluster is kept on one of its
member spans (``Project.cluster_names``); without one, a cluster is called by its
longest entity mention. A cluster's id is derived from its first member, so it is the
same in every export made from one state of the project.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from annotator.core.models import Relation, Span, SpanKey
from annotator.core.project import Project


@dataclass(frozen=True)
class Cluster:
    id: str
    name: str
    named: bool  # a person gave it this name
    members: tuple[SpanKey, ...]  # sorted
    head: SpanKey | None  # the member that carries the given name

    @property
    def documents(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(doc for doc, _span in self.members))


def transitive_types(project: Project) -> set[str]:
    return {t.name for t in project.relation_types if t.transitive}


def joins(relation: Relation, types: set[str]) -> bool:
    """Whether ``relation`` puts its two ends in one cluster."""
    return relation.type in types and relation.status == "accepted"


def members_of(project: Project, key: SpanKey, types: set[str] | None = None) -> list[SpanKey]:
    """Every span in the cluster of ``key`` (just ``[key]`` when it is in none)."""
    types = transitive_types(project) if types is None else types
    seen = {key}
    todo = [key]
    while todo:
        here = todo.pop()
        for relation in project.relations_of(*here):
            if not joins(relation, types):
                continue
            for end in (relation.source.key, relation.target.key):
                if end not in seen:
                    seen.add(end)
                    todo.append(end)
    return sorted(seen)


def cluster_of(project: Project, key: SpanKey) -> Cluster | None:
    members = members_of(project, key)
    if len(members) < 2:
        return None
    return _cluster(project.cluster_names, project.span_of, members)


def clusters(project: Project, documents: Iterable[str] | None = None) -> list[Cluster]:
    """Every cluster (those with a member in ``documents``, if given), largest first."""
    return clusters_of(
        project.relations(),
        transitive_types(project),
        project.cluster_names,
        project.span_of,
        documents,
    )


def clusters_of(
    relations: Iterable[Relation],
    types: set[str],
    names: Mapping[SpanKey, str],
    span_of: Callable[[SpanKey], Span | None],
    documents: Iterable[str] | None = None,
) -> list[Cluster]:
    """The clusters ``relations`` form (the saver calls this on a snapshot, off the
    window's thread)."""
    parent: dict[SpanKey, SpanKey] = {}

    def find(x: SpanKey) -> SpanKey:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for relation in relations:
        if joins(relation, types):
            a, b = find(relation.source.key), find(relation.target.key)
            if a != b:
                parent[max(a, b)] = min(a, b)
    groups: dict[SpanKey, list[SpanKey]] = {}
    for key in parent:
        groups.setdefault(find(key), []).append(key)
    wanted = None if documents is None else set(documents)
    found = [
        _cluster(names, span_of, sorted(members))
        for members in groups.values()
        if len(members) > 1 and (wanted is None or any(d in wanted for d, _s in members))
    ]
    found.sort(key=lambda c: (-len(c.members), c.name.casefold(), c.id))
    return found


def cluster_id(members: list[SpanKey] | tuple[SpanKey, ...]) -> str:
    first = min(members)
    return "c-" + hashlib.sha1(f"{first[0]}\x00{first[1]}".encode()).hexdigest()[:10]


def default_name(span_of: Callable[[SpanKey], Span | None], members: Iterable[SpanKey]) -> str:
    """The longest entity mention (else the longest mention) of a cluster."""
    spans = [s for s in (span_of(k) for k in members) if s is not None]
    if not spans:
        return "(empty)"
    entities = [s for s in spans if s.label == "entity"] or spans
    best = max(entities, key=lambda s: (len(s.text), s.text))
    return " ".join(best.text.split())


def _cluster(
    names: Mapping[SpanKey, str], span_of: Callable[[SpanKey], Span | None], members: list[SpanKey]
) -> Cluster:
    named = [(k, names[k]) for k in members if k in names]
    if named:
        head, name = named[0]
        return Cluster(cluster_id(members), name, True, tuple(members), head)
    return Cluster(cluster_id(members), default_name(span_of, members), False, tuple(members), None)
