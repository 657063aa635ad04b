"""Each annotator's work as plain ranges: the input of every agreement figure.

A *layer* is one annotator's spans and relations. In a project the layer of a span
or relation is its ``author``, or ``gold`` when it was adjudicated (work nobody signed
is the layer ``(no name)``); only
accepted work counts, so pending suggestions and rejected ones are nobody's
judgement. From JSONL exports each file is one layer, named after its file (or its
annotator, when every span of the file names the same one); a document missing from
a file is one that annotator did not see, not one they left empty.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from annotator.core.models import GOLD, Relation, Span, layer_name
from annotator.core.project import Project

if TYPE_CHECKING:
    from annotator.formats.relations import ImportedRelation

UNSIGNED = "(no name)"

Mark = tuple[int, int, str]  # start, end (code points, end exclusive), label
End = tuple[str, int, int]  # document, start, end
RelationMark = tuple[End, End, str]  # source, target, type


@dataclass
class Layer:
    """One annotator's marks: spans per document, and relations (with links)."""

    name: str
    spans: dict[str, list[Mark]] = field(default_factory=dict)
    relations: list[RelationMark] = field(default_factory=list)
    seen: set[str] | None = None  # documents this annotator saw (None: all of them)

    def marks(self, doc_id: str) -> list[Mark]:
        return self.spans.get(doc_id, [])

    def saw(self, doc_id: str) -> bool:
        return self.seen is None or doc_id in self.seen


@dataclass
class Corpus:
    """The documents' texts and the layers compared over them."""

    texts: dict[str, str]
    layers: list[Layer]
    labels: list[str]
    problems: list[str] = field(default_factory=list)

    @property
    def names(self) -> list[str]:
        return [layer.name for layer in self.layers]


class AgreementError(ValueError):
    """A request agreement cannot answer, in words for the user."""


def from_project(  # noqa: C901
    project: Project,
    annotators: Sequence[str] | None = None,
    labels: Iterable[str] | None = None,
    documents: Sequence[str] | None = None,
) -> Corpus:
    """The layers of ``project``: one per author of accepted spans or relations.

    Long on purpose: one pass over spans and relations with the same three filters (annotator,
    label, document); split, each part would take all three.
    """
    doc_ids = list(documents) if documents else [d.id for d in project.documents]
    unknown = [d for d in doc_ids if not project.has_document(d)]
    if unknown:
        raise AgreementError(f"no document {', '.join(map(repr, unknown))} in the project")
    wanted = set(labels) if labels else None
    layers: dict[str, Layer] = {}

    def layer(item: Span | Relation) -> Layer:
        name = layer_name(item) or UNSIGNED
        if name not in layers:
            layers[name] = Layer(name)
        return layers[name]

    texts = {}
    for doc_id in doc_ids:
        doc = project.document(doc_id)
        texts[doc_id] = doc.text
        for span in doc.span_values():
            if span.status == "accepted" and (wanted is None or span.label in wanted):
                layer(span).spans.setdefault(doc_id, []).append((span.start, span.end, span.label))
    chosen = set(doc_ids)
    for relation in project.relations():
        if relation.status != "accepted":
            continue
        a, b = relation.source, relation.target
        if a.document not in chosen or b.document not in chosen:
            continue
        span_a, span_b = project.span_of(a.key), project.span_of(b.key)
        if span_a is None or span_b is None:
            continue
        if wanted is not None and (span_a.label not in wanted or span_b.label not in wanted):
            continue
        layer(relation).relations.append(
            (
                (a.document, span_a.start, span_a.end),
                (b.document, span_b.start, span_b.end),
                relation.type,
            )
        )
    label_names = [lb.name for lb in project.labels if wanted is None or lb.name in wanted]
    return Corpus(texts, _chosen(layers, annotators), label_names)


def _chosen(layers: dict[str, Layer], annotators: Sequence[str] | None) -> list[Layer]:
    if not annotators:  # the annotators; gold only when asked for by name
        return [layers[name] for name in sorted(layers) if name != GOLD]
    missing = [a for a in annotators if a not in layers]
    if missing:
        known = ", ".join(sorted(layers)) or "nobody"
        raise AgreementError(
            f"no work by {', '.join(map(repr, missing))} (annotators here: {known})"
        )
    return [layers[a] for a in dict.fromkeys(annotators)]


def from_exports(  # noqa: C901
    paths: Sequence[Path],
    annotators: Sequence[str] | None = None,
    labels: Iterable[str] | None = None,
    documents: Sequence[str] | None = None,
) -> Corpus:
    """One layer per JSONL export (ours). The first file is the reference.

    Long on purpose: one loop over the records of each export (documents, links, problems) keeps
    the first file as the reference visibly; each branch is one record kind or filter.
    """
    from annotator.formats.jsonl import read
    from annotator.formats.records import ImportedDocument, ImportedLinks, RecordProblem

    wanted = set(labels) if labels else None
    only = set(documents) if documents else None
    texts: dict[str, str] = {}
    order: list[str] = []
    layers: list[Layer] = []
    problems: list[str] = []
    for path in paths:
        if not path.is_file():
            raise AgreementError(f"{path}: no such file")
        layer = Layer(path.stem, seen=set())
        authors: set[str | None] = set()
        by_span_id: dict[tuple[str, str], End] = {}
        for item in read(path):
            if isinstance(item, RecordProblem):
                problems.append(str(item))
                continue
            if isinstance(item, ImportedLinks):
                for rel in item.relations:
                    if rel.status == "rejected":
                        continue
                    mark = _relation(rel, None, by_span_id)
                    if mark is not None:
                        layer.relations.append(mark)
                continue
            assert isinstance(item, ImportedDocument)
            doc_id = item.id if item.id is not None else f"{item.where}"
            if only is not None and doc_id not in only:
                continue
            known = texts.get(doc_id)
            if known is None:
                texts[doc_id] = item.text
                order.append(doc_id)
            elif item.text and known != item.text:
                problems.append(
                    f"{path.name}: document {doc_id!r} has another text than in "
                    f"{paths[0].name}; its spans are left out"
                )
                continue
            assert layer.seen is not None
            layer.seen.add(doc_id)
            for span in item.spans:
                if span.status == "rejected" or (wanted is not None and span.label not in wanted):
                    continue
                if not 0 <= span.start < span.end <= len(texts[doc_id]):
                    problems.append(
                        f"{path.name}: document {doc_id!r}: a span {span.start}-{span.end} "
                        "lies outside the text; left out"
                    )
                    continue
                authors.add(span.author)
                layer.spans.setdefault(doc_id, []).append((span.start, span.end, span.label))
                if span.id is not None:
                    by_span_id[(doc_id, span.id)] = (doc_id, span.start, span.end)
            for rel in item.relations:
                if rel.status == "rejected":
                    continue
                mark = _relation(rel, doc_id, by_span_id)
                if mark is not None:
                    layer.relations.append(mark)
        if not layer.seen:
            why = f"; {problems[-1]}" if problems else ""
            raise AgreementError(f"{path}: no document could be read from it{why}")
        if len(authors) == 1 and (author := authors.pop()) is not None:
            layer.name = author
        layers.append(layer)
    _unique_names(layers, paths)
    label_names = sorted(
        {m[2] for layer in layers for marks in layer.spans.values() for m in marks}
    )
    if wanted is not None:
        label_names = [lb for lb in label_names if lb in wanted]
    chosen = _chosen({layer.name: layer for layer in layers}, annotators) if annotators else layers
    return Corpus({d: texts[d] for d in order}, chosen, label_names, problems)


def _unique_names(layers: list[Layer], paths: Sequence[Path]) -> None:
    seen: dict[str, int] = {}
    for layer, path in zip(layers, paths, strict=True):
        if layer.name in seen:
            layer.name = f"{layer.name} ({path.name})"
        seen[layer.name] = 1


def _relation(
    rel: ImportedRelation, doc_id: str | None, by_span_id: dict[tuple[str, str], End]
) -> RelationMark | None:
    """A relation of a JSONL record as two ranges and a type (None: an end not found)."""
    ends: list[End] = []
    for end in (rel.source, rel.target):
        document = end.document or doc_id
        if document is None:
            return None
        if end.span is not None and (document, end.span) in by_span_id:
            ends.append(by_span_id[(document, end.span)])
        elif end.start is not None and end.end is not None:
            ends.append((document, end.start, end.end))
        else:
            return None
    return (ends[0], ends[1], rel.type)
