"""Adjudication: the disagreements between annotators' layers, and the decisions that
build the gold layer from them.

An *item* is a place where the compared layers said something about one stretch of a
document: the spans of those layers that overlap one another (a connected group), or
one relation or link between the same two ranges. Its *kind* says how they differ:

- ``agreed``: every layer has the very same span (range and label) or relation;
- ``label``: the same range, different labels (or relation types);
- ``boundaries``: overlapping ranges, the same labels;
- ``label+boundaries``: overlapping ranges and different labels;
- ``only``: some layers marked it, others did not.

The queue puts the least agreed first: the share of layers behind the most common
version, then the document's agreement (mean overlap F1 between pairs), then reading
order. An item is *decided* once the gold layer has something overlapping it (for a
relation: one between the same two ranges); a rejected gold span records "neither".

Every decision is one undoable :class:`~annotator.core.commands.Batch` of ordinary
changes: copies of the chosen spans (and relations) with ``adjudication`` set
(``sources``: the layers that had that version; ``outcome``: ``unanimous`` or
``adjudicated``) and the adjudicator as author.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from annotator.core.changes import Change, RelationChange, SpanChange
from annotator.core.commands import Batch, EditError
from annotator.core.models import (
    GOLD,
    Adjudication,
    End,
    Outcome,
    Relation,
    Span,
    layer_name,
    new_relation_id,
    new_span_id,
    replace_relation,
    replace_span,
    utc_now,
)
from annotator.core.project import Project
from annotator.core.wording import count, quoted

Kind = Literal["agreed", "label", "boundaries", "label+boundaries", "only"]
Range = tuple[str, int, int]  # document, start, end
Choice = Literal["a", "b", "both", "neither"]


@dataclass(frozen=True)
class Item:
    """One disagreement (or agreement) between the layers, at one place."""

    document: str
    start: int
    end: int
    kind: Kind
    agreement: float  # share of the layers behind the most common version (0-1)
    spans: dict[str, tuple[Span, ...]] = field(default_factory=dict)  # by layer
    relations: dict[str, tuple[Relation, ...]] = field(default_factory=dict)  # by layer
    decided: bool = False
    document_agreement: float | None = None

    @property
    def is_relation(self) -> bool:
        return bool(self.relations)

    def describe(self, project: Project) -> str:
        """What each layer says here, in a line (for the queue)."""
        parts = []
        for layer, spans in self.spans.items():
            said = ", ".join(f"{s.label} {quoted(s.text)}" for s in spans) or "nothing"
            parts.append(f"{layer}: {said}")
        for layer, relations in self.relations.items():
            said = ", ".join(r.type for r in relations) or "nothing"
            parts.append(f"{layer}: {said}")
        return "; ".join(parts)


def layers_of(project: Project) -> list[str]:
    """Every annotator with accepted work in the project (gold and unsigned left out)."""
    names: set[str] = set()
    for doc in project.documents:
        names.update(
            n for s in doc.span_values() if (n := layer_name(s)) and s.status == "accepted"
        )
    names.update(n for r in project.relations() if (n := layer_name(r)) and r.status == "accepted")
    names.discard(GOLD)
    return sorted(names)


def queue(
    project: Project,
    layers: Sequence[str],
    documents: Iterable[str] | None = None,
    *,
    include_agreed: bool = False,
    include_decided: bool = False,
) -> list[Item]:
    """The items where ``layers`` (two or more) differ, least agreed first."""
    if len(layers) < 2:
        raise EditError("adjudication compares two annotators or more")
    chosen = set(layers)
    doc_ids = list(documents) if documents is not None else [d.id for d in project.documents]
    items: list[Item] = []
    for doc_id in doc_ids:
        doc = project.document(doc_id)
        theirs: list[tuple[str, Span]] = []
        gold: list[Span] = []
        for span in doc.span_values():
            name = layer_name(span)
            if name == GOLD:
                gold.append(span)
            elif name in chosen and span.status == "accepted":
                theirs.append((name, span))
        doc_items = [_span_item(doc_id, group, layers, gold) for group in _groups(theirs)]
        items.extend(doc_items)
    items.extend(_relation_items(project, layers, set(doc_ids)))
    by_doc = _document_agreement(items, layers)
    items = [
        Item(**{**i.__dict__, "document_agreement": by_doc.get(i.document)})  # type: ignore[arg-type]
        for i in items
        if (include_agreed or i.kind != "agreed") and (include_decided or not i.decided)
    ]
    order = {d: n for n, d in enumerate(doc_ids)}
    items.sort(
        key=lambda i: (
            i.agreement,
            1.0 if i.document_agreement is None else i.document_agreement,
            order.get(i.document, 0),
            i.start,
            i.is_relation,
        )
    )
    return items


def _groups(marked: list[tuple[str, Span]]) -> list[list[tuple[str, Span]]]:
    """Spans that overlap one another, joined into groups (sweep by start)."""
    marked.sort(key=lambda m: (m[1].start, m[1].end))
    groups: list[list[tuple[str, Span]]] = []
    end = -1
    for layer, span in marked:
        if groups and span.start < end:
            groups[-1].append((layer, span))
            end = max(end, span.end)
        else:
            groups.append([(layer, span)])
            end = span.end
    return groups


def _span_item(
    doc_id: str, group: list[tuple[str, Span]], layers: Sequence[str], gold: list[Span]
) -> Item:
    by_layer: dict[str, list[Span]] = {name: [] for name in layers}
    for layer, span in group:
        by_layer[layer].append(span)
    versions = Counter(
        tuple(sorted((s.start, s.end, s.label) for s in spans)) for spans in by_layer.values()
    )
    top = versions.most_common(1)[0][1]
    start = min(s.start for _l, s in group)
    end = max(s.end for _l, s in group)
    kind: Kind
    if len(versions) == 1:
        kind = "agreed"
    elif any(not spans for spans in by_layer.values()):
        kind = "only"
    elif len({(s.start, s.end) for _l, s in group}) == 1:
        kind = "label"
    elif len({tuple(sorted({s.label for s in spans})) for spans in by_layer.values()}) == 1:
        kind = "boundaries"
    else:
        kind = "label+boundaries"
    decided = any(g.start < end and start < g.end for g in gold)
    return Item(
        doc_id,
        start,
        end,
        kind,
        top / len(layers),
        {name: tuple(sorted(spans, key=Span.sort_key)) for name, spans in by_layer.items()},
        decided=decided,
    )


def _ends(project: Project, relation: Relation) -> tuple[Range, Range] | None:
    a, b = project.span_of(relation.source.key), project.span_of(relation.target.key)
    if a is None or b is None:
        return None
    first = (relation.source.document, a.start, a.end)
    second = (relation.target.document, b.start, b.end)
    directed = project.relation_type(relation.type)
    if (directed is None or not directed.directed) and second < first:
        first, second = second, first
    return first, second


def _relation_items(project: Project, layers: Sequence[str], doc_ids: set[str]) -> list[Item]:
    chosen = set(layers)
    places: dict[tuple[Range, Range], dict[str, list[Relation]]] = {}
    gold_places: set[tuple[Range, Range]] = set()
    for relation in project.relations():
        if relation.source.document not in doc_ids or relation.target.document not in doc_ids:
            continue
        ends = _ends(project, relation)
        if ends is None:
            continue
        name = layer_name(relation)
        if name == GOLD:
            gold_places.add(ends)
        elif name in chosen and relation.status == "accepted":
            places.setdefault(ends, {n: [] for n in layers})[name].append(relation)
    items = []
    for ends, by_layer in places.items():
        versions = Counter(tuple(sorted(r.type for r in rs)) for rs in by_layer.values())
        top = versions.most_common(1)[0][1]
        kind: Kind = (
            "agreed"
            if len(versions) == 1
            else "only"
            if any(not rs for rs in by_layer.values())
            else "label"
        )
        (doc_id, start, end), _target = ends
        items.append(
            Item(
                doc_id,
                start,
                end,
                kind,
                top / len(layers),
                relations={n: tuple(rs) for n, rs in by_layer.items()},
                decided=ends in gold_places,
            )
        )
    return items


def _document_agreement(items: list[Item], layers: Sequence[str]) -> dict[str, float]:
    """Mean over pairs of layers of the overlap F1 of each document's spans."""
    out: dict[str, float] = {}
    by_doc: dict[str, list[Item]] = {}
    for item in items:
        if not item.is_relation:
            by_doc.setdefault(item.document, []).append(item)
    for doc_id, doc_items in by_doc.items():
        scores = []
        for a, b in itertools.combinations(layers, 2):
            matched = sum(
                bool(i.spans[a]) and bool(i.spans[b]) and _same_labels(i.spans[a], i.spans[b])
                for i in doc_items
            )
            total = sum(bool(i.spans[a]) + bool(i.spans[b]) for i in doc_items)
            scores.append(2 * matched / total if total else 1.0)
        out[doc_id] = sum(scores) / len(scores)
    return out


def _same_labels(a: Sequence[Span], b: Sequence[Span]) -> bool:
    return {s.label for s in a} == {s.label for s in b}


# --- decisions ----------------------------------------------------------------------


def decide(
    project: Project, item: Item, choice: Choice, layers: Sequence[str], *, by: str | None
) -> Batch:
    """Take A's version (the first of ``layers``), B's (the second), both, or neither
    into the gold layer, as one undoable step."""
    if item.decided or is_decided(project, item):
        raise EditError("the gold layer has this already; undo or edit it there")
    a, b = layers[0], layers[1]
    chosen = {"a": [a], "b": [b], "both": [a, b], "neither": []}[choice]
    if item.is_relation:
        return _decide_relation(project, item, choice, chosen, by)
    changes: list[Change] = []
    seen: set[tuple[int, int, str]] = set()
    for layer in chosen:
        for span in item.spans.get(layer, ()):
            key = (span.start, span.end, span.label)
            if key in seen:
                continue
            seen.add(key)
            changes.append(_gold_span(item, span, by, "accepted"))
    if choice == "neither" or not changes:
        # nothing taken: a rejected gold copy records the decision (never exported)
        first = next(s for spans in item.spans.values() for s in spans)
        changes = [_gold_span(item, first, by, "rejected", sources=[])]
    what = {"a": f"{a}'s", "b": f"{b}'s", "both": "both", "neither": "neither"}[choice]
    return Batch(
        f"Adjudicate: take {what} at {item.document} {item.start}-{item.end}", tuple(changes)
    )


def is_decided(project: Project, item: Item) -> bool:
    """Whether the gold layer has, now, something at the item's place."""
    if item.is_relation:
        relation = next(r for rs in item.relations.values() for r in rs)
        place = _ends(project, relation)
        return any(
            layer_name(g) == GOLD and _ends(project, g) == place for g in project.relations()
        )
    doc = project.document(item.document)
    return any(layer_name(s) == GOLD for s in doc.spans_overlapping(item.start, item.end))


def _sources(item: Item, span: Span) -> list[str]:
    key = (span.start, span.end, span.label)
    return [
        n for n, spans in item.spans.items() if any((s.start, s.end, s.label) == key for s in spans)
    ]


def _decided(by: str | None, status: str, adjudication: Adjudication) -> dict[str, Any]:
    """What a gold copy of a span or relation says of itself: who decided, when, how."""
    now = utc_now()
    return {
        "author": by,
        "origin": "manual",
        "status": status,
        "score": None,
        "proposed": None,
        "created": now,
        "modified": now,
        "adjudication": adjudication,
    }


def _gold_copy(span: Span, by: str | None, status: str, adjudication: Adjudication) -> Span:
    """A new gold span on ``span``'s range and label, decided by ``by``."""
    return replace_span(span, id=new_span_id(), **_decided(by, status, adjudication))


def _gold_relation(
    relation: Relation, ends: list[Span], by: str | None, status: str, adjudication: Adjudication
) -> RelationChange:
    """A new gold relation like ``relation``, between the gold spans ``ends``."""
    copy = replace_relation(
        relation,
        id=new_relation_id(),
        source=End(relation.source.document, ends[0].id),
        target=End(relation.target.document, ends[1].id),
        **_decided(by, status, adjudication),
    )
    return RelationChange(copy.id, None, copy)


def _gold_span(
    item: Item,
    span: Span,
    by: str | None,
    status: str,
    *,
    sources: list[str] | None = None,
    outcome: Outcome = "adjudicated",
) -> SpanChange:
    chosen = _sources(item, span) if sources is None else sources
    copy = _gold_copy(span, by, status, Adjudication(sources=chosen, outcome=outcome))
    return SpanChange(item.document, None, copy)


def _gold_end(
    project: Project,
    doc_id: str,
    span: Span,
    by: str | None,
    made: dict[Range, Span],
    changes: list[Change],
) -> Span:
    """The gold span on ``span``'s range and label, made (and its change added) if needed."""
    key = (doc_id, span.start, span.end)
    if key in made:
        return made[key]
    for there in project.document(doc_id).spans_overlapping(span.start, span.end):
        if layer_name(there) == GOLD and (there.start, there.end, there.label) == (
            span.start,
            span.end,
            span.label,
        ):
            made[key] = there
            return there
    copy = _gold_copy(
        span, by, "accepted", Adjudication(sources=[layer_name(span) or ""], outcome="adjudicated")
    )
    changes.append(SpanChange(doc_id, None, copy))
    made[key] = copy
    return copy


def _decide_relation(
    project: Project, item: Item, choice: Choice, chosen: list[str], by: str | None
) -> Batch:
    changes: list[Change] = []
    made: dict[Range, Span] = {}
    taken: set[str] = set()
    pick = [r for layer in chosen for r in item.relations.get(layer, ())]
    if not pick:  # neither: a rejected gold copy of one of them records the decision
        pick = [next(r for rs in item.relations.values() for r in rs)]
    status = "rejected" if choice == "neither" else "accepted"
    for relation in pick:
        if relation.type in taken:
            continue
        taken.add(relation.type)
        ends = []
        for end in (relation.source, relation.target):
            span = project.span_of(end.key)
            assert span is not None
            ends.append(_gold_end(project, end.document, span, by, made, changes))
        sources = [
            n for n, rs in item.relations.items() if any(r.type == relation.type for r in rs)
        ]
        decided = Adjudication(sources=[] if choice == "neither" else sources)
        changes.append(_gold_relation(relation, ends, by, status, decided))
    kind = "link" if pick[0].across else "relation"
    return Batch(f"Adjudicate the {pick[0].type} {kind}", tuple(changes))


def accept_agreed(
    project: Project,
    layers: Sequence[str],
    documents: Iterable[str] | None = None,
    *,
    by: str | None,
) -> Batch:
    """Everything all of ``layers`` agree on, into the gold layer (``unanimous``), as
    one undoable step; what the gold layer has already is left alone."""
    items = [
        i
        for i in queue(project, layers, documents, include_agreed=True)
        if i.kind == "agreed" and not i.decided
    ]
    changes: list[Change] = []
    made: dict[Range, Span] = {}
    for item in items:
        if item.is_relation:
            continue
        for span in next(iter(item.spans.values())):
            change = _gold_span(item, span, by, "accepted", outcome="unanimous")
            changes.append(change)
            assert change.after is not None
            made[(item.document, span.start, span.end)] = change.after
    for item in items:
        if not item.is_relation:
            continue
        relation = next(iter(item.relations.values()))[0]
        ends = []
        for end in (relation.source, relation.target):
            their = project.span_of(end.key)
            assert their is not None
            ends.append(_gold_end(project, end.document, their, by, made, changes))
        unanimous = Adjudication(sources=list(layers), outcome="unanimous")
        changes.append(_gold_relation(relation, ends, by, "accepted", unanimous))
    spans = sum(isinstance(c, SpanChange) for c in changes)
    relations = len(changes) - spans
    text = f"Accept what {', '.join(layers)} agree on: {count(spans, 'span')}"
    if relations:
        text += f", {count(relations, 'relation')}"
    return Batch(text, tuple(changes))


def outcomes(project: Project, layers: Sequence[str]) -> list[tuple[Item, str]]:
    """Every item with its outcome: ``unanimous``, ``adjudicated`` or ``unresolved``."""
    out = []
    for item in queue(project, layers, include_agreed=True, include_decided=True):
        if not item.decided:
            out.append((item, "unanimous" if item.kind == "agreed" else "unresolved"))
        else:
            out.append((item, "adjudicated" if item.kind != "agreed" else "unanimous"))
    return out
