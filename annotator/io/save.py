"""Saving a project: a snapshot taken cheaply on the thread that owns the project,
encoded as a stream (never one big string) and written atomically with a backup, after
checking that the file on disk is still the version that was read."""

from __future__ import annotations

import dataclasses
import hashlib
import heapq
import itertools
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from annotator.core.clusters import clusters_of
from annotator.core.models import (
    SCHEMA_VERSION,
    SPAN_LIST,
    Label,
    ProjectFile,
    Relation,
    RelationType,
    Span,
    SpanKey,
    relation_to_json,
)
from annotator.core.names import layer_stem
from annotator.core.project import Document, LayerFile, Project, UnreadSpans
from annotator.io.atomic import ChangedOnDisk, FileStamp, atomic_writer, file_stamp
from annotator.io.encode import (
    OPTIONAL,
    Stream,
    Written,
    encode,
    tidy,
    tidy_relations,
)
from annotator.io.layers import (
    LayerSnapshot,
    LayerWrite,
    changed_files,
    check_layers,
    is_team,
    layer_of,
    layer_path,
    layer_text,
    write_layers,
)
from annotator.io.paths import project_file
from annotator.io.work_file import layer_work, shared_work

_CHUNK = 500


@dataclass(frozen=True)
class _DocumentSnapshot:
    id: str
    path: str
    title: str
    source: str
    utf8: bytes  # the text, to hash (not decoded: 50,000 decoded texts are 800 MB)
    meta: dict[str, str]
    spans: list[Span]  # unsorted; spans are immutable, so sharing them is safe
    unreadable: list[Any]  # raw spans that could not be read
    unplaced: list[Any]  # raw relations whose ends are missing
    unread: UnreadSpans | None = None  # spans still in the file: their text is copied
    assigned: tuple[str, ...] = ()


@dataclass(frozen=True)
class Snapshot:
    """What a save writes, taken in O(spans) pointer copies so it can be written elsewhere.

    Taking it is cheap and happens on the thread that owns the project; turning it
    into JSON and writing it (:func:`write_snapshot`) may run on another thread.
    """

    root: Path
    labels: list[Label]
    documents: list[_DocumentSnapshot]
    detached: list[Any]  # raw records that could not be used, written back as they were
    expected: FileStamp | None = None  # the file on disk must still be this version
    relation_types: list[RelationType] = dataclasses.field(default_factory=list)
    relations: list[Relation] = dataclasses.field(default_factory=list)  # immutable, shared
    detached_relations: list[Any] = dataclasses.field(default_factory=list)
    cluster_names: dict[SpanKey, str] = dataclasses.field(default_factory=dict)
    # a team project: each annotator's layer, written to annotations/NAME.json when it
    # changed (documents and relations above then hold only the shared file's part)
    layers: list[LayerSnapshot] = dataclasses.field(default_factory=list)
    layer_files: dict[str, LayerFile] = dataclasses.field(default_factory=dict)
    work: dict[str, Any] = dataclasses.field(default_factory=dict)  # the shared file's


@dataclass(frozen=True)
class Saved:
    path: Path
    stamp: FileStamp | None  # the version just written
    # each layer written: its members (see LayerFile.baseline) and the file's version
    layers: dict[str, tuple[tuple[Any, ...], FileStamp | None]] = dataclasses.field(
        default_factory=dict
    )


def saved_into(project: Project, saved: Saved) -> None:
    """Record in ``project`` the versions a save wrote (on the thread owning it)."""
    project.disk_stamp = saved.stamp
    for name, (members, stamp) in saved.layers.items():
        state = project.layer_files.setdefault(name, LayerFile())
        state.baseline, state.stamp, state.legacy = members, stamp, None
    if saved.layers:
        project.team = True


def snapshot(project: Project) -> Snapshot:
    if is_team(project):
        return _team_snapshot(project)
    return Snapshot(
        root=project.root,
        labels=list(project.labels),
        documents=[_document_snapshot(doc) for doc in project.documents],
        detached=list(project.detached),
        expected=project.disk_stamp,
        relation_types=list(project.relation_types),
        relations=project.relations(),
        detached_relations=list(project.detached_relations),
        cluster_names=dict(project.cluster_names),
        work=shared_work(project, team=False),
    )


def _team_snapshot(project: Project) -> Snapshot:
    """The shared file's part (gold and, with no one to give it to, unsigned work) and
    each annotator's layer, from one pass over every span."""
    me = project.annotator
    documents = []
    layer_spans: dict[str, dict[str, list[Span]]] = {
        name: {} for name, state in project.layer_files.items() if not state.broken
    }
    for doc in project.documents:
        shared = []
        for span in doc.span_values():
            name = layer_of(span, me)
            if name is None:
                shared.append(span)
            else:
                layer_spans.setdefault(name, {}).setdefault(doc.id, []).append(span)
        documents.append(
            _DocumentSnapshot(
                doc.id,
                doc.path,
                doc.title,
                doc.source,
                doc.utf8(),
                dict(doc.meta),
                [*shared, *doc.orphans],
                list(doc.unreadable),
                list(doc.unplaced_relations),
                assigned=doc.assigned,
            )
        )
    shared_relations = []
    layer_relations: dict[str, list[Relation]] = {}
    for relation in project.relations():
        name = layer_of(relation, me)
        if name is None:
            shared_relations.append(relation)
        else:
            layer_spans.setdefault(name, {})
            layer_relations.setdefault(name, []).append(relation)
    works = layer_work(project)
    for name in works:
        layer_spans.setdefault(name, {})  # a layer may hold only its annotator's statuses
    _one_layer_per_file(layer_spans, layer_relations, project.layer_files)
    layers = [
        LayerSnapshot(
            name,
            spans,
            layer_relations.get(name, []),
            list(project.layer_files[name].kept) if name in project.layer_files else [],
            dict(project.layer_files[name].extra) if name in project.layer_files else {},
            works.get(name, {}),
            dict(project.work.kept.get(name, {})),
        )
        for name, spans in layer_spans.items()
    ]
    return Snapshot(
        root=project.root,
        labels=list(project.labels),
        documents=documents,
        detached=list(project.detached),
        expected=project.disk_stamp,
        relation_types=list(project.relation_types),
        relations=shared_relations,
        detached_relations=list(project.detached_relations),
        cluster_names=dict(project.cluster_names),
        layers=layers,
        work=shared_work(project, team=True),
        layer_files={
            name: dataclasses.replace(state, kept=list(state.kept))
            for name, state in project.layer_files.items()
        },
    )


def _one_layer_per_file(
    spans: dict[str, dict[str, list[Span]]],
    relations: dict[str, list[Relation]],
    files: dict[str, LayerFile],
) -> None:
    """Names that share one layer file ("Ann" and "ann": one file on Windows and macOS)
    are saved as one layer, under the name its file already has (else the first)."""
    by_stem: dict[str, list[str]] = {}
    for name in spans:
        by_stem.setdefault(layer_stem(name), []).append(name)
    for names in by_stem.values():
        if len(names) < 2:
            continue
        keep = next((n for n in sorted(names) if n in files), min(names))
        for other in names:
            if other == keep:
                continue
            for doc_id, doc_spans in spans.pop(other).items():
                spans[keep].setdefault(doc_id, []).extend(doc_spans)
            relations.setdefault(keep, []).extend(relations.pop(other, []))


def _merged(snap: Snapshot) -> Snapshot:
    """A team snapshot as one file holding every layer (a copy set aside elsewhere)."""
    extra: dict[str, list[Span]] = {}
    relations = list(snap.relations)
    for layer in snap.layers:
        for doc_id, spans in layer.spans.items():
            extra.setdefault(doc_id, []).extend(spans)
        relations.extend(layer.relations)
    documents = [
        dataclasses.replace(d, spans=[*d.spans, *extra.get(d.id, [])]) for d in snap.documents
    ]
    work = dict(snap.work)
    for layer in snap.layers:
        if layer.work or layer.kept_work:
            work[layer.name] = layer.work_json()
    return dataclasses.replace(snap, documents=documents, relations=relations, layers=[], work=work)


def _document_snapshot(doc: Document) -> _DocumentSnapshot:
    # spans not read yet are copied from the file as they are: asking for them here
    # would read every document of a large project at each save
    unread = doc.unread()
    return _DocumentSnapshot(
        doc.id,
        doc.path,
        doc.title,
        doc.source,
        doc.utf8(),
        dict(doc.meta),
        [] if unread is not None else [*doc.span_values(), *doc.orphans],
        list(doc.unreadable),
        list(doc.unplaced_relations),
        unread,
        doc.assigned,
    )


def _sorted_gently(spans: list[Span]) -> Iterator[Span]:
    """``spans`` in file order, sorted in small pieces merged by a generator.

    One ``sorted()`` of 50,000 spans is a single 30 ms step that a writer thread
    cannot be interrupted in; small sorts and a Python-level merge hand the
    interpreter back to the GUI thread all along.
    """
    runs = [sorted(spans[i : i + _CHUNK], key=Span.sort_key) for i in range(0, len(spans), _CHUNK)]
    return heapq.merge(*runs, key=Span.sort_key)


def _span_chunks(doc: _DocumentSnapshot) -> Iterator[list[Any] | Written]:
    """The document's spans as JSON-ready dicts, dumped one chunk at a time."""
    if doc.unread is not None:  # never read: their text in the file, as it was
        yield Written(doc.unread.stored().decode("utf-8"))
    chunk: list[Span] = []
    for span in _sorted_gently(doc.spans):
        chunk.append(span)
        if len(chunk) == _CHUNK:
            yield _dump_spans(chunk)
            chunk = []
    yield _dump_spans(chunk)
    yield list(doc.unreadable)  # spans that could not be read, written back as they were


def _dump_spans(spans: list[Span]) -> list[dict[str, Any]]:
    dumped: list[dict[str, Any]] = SPAN_LIST.dump_python(spans, mode="json")
    tidy(dumped)
    return dumped


def _document_raw(doc: _DocumentSnapshot, relations: list[Relation]) -> dict[str, Any]:
    """One document record in the key order of :class:`DocumentRecord`; spans streamed."""
    return {
        "id": doc.id,
        "path": doc.path,
        "title": doc.title,
        "source": doc.source,
        "text_hash": "sha256:" + hashlib.sha256(doc.utf8).hexdigest(),
        "meta": dict(sorted(doc.meta.items())),
        **({"assigned": list(doc.assigned)} if doc.assigned else {}),
        "spans": Stream(_span_chunks(doc), plain=True),
        "relations": [*_dump_relations(relations), *doc.unplaced],
    }


def _dump_relations(relations: list[Relation]) -> list[dict[str, Any]]:
    """Relations in their stored form, sorted by id (a stable order for git)."""
    dumped = []
    for relation in sorted(relations, key=lambda r: r.id):
        raw = relation_to_json(relation)
        for optional in OPTIONAL:
            if raw[optional] is None:
                del raw[optional]
        dumped.append(raw)
    return dumped


def _cluster_records(snap: Snapshot) -> list[dict[str, Any]]:
    spans: dict[str, dict[str, Span]] = {}
    docs = {d.id: d for d in snap.documents} if snap.relations else {}

    def span_of(key: SpanKey) -> Span | None:
        doc_spans = spans.get(key[0])
        if doc_spans is None:
            doc = docs.get(key[0])
            doc_spans = spans[key[0]] = {s.id: s for s in doc.spans} if doc else {}
        return doc_spans.get(key[1])

    types = {t.name for t in snap.relation_types if t.transitive}
    found = clusters_of(snap.relations, types, snap.cluster_names, span_of)
    return [
        {
            "id": c.id,
            "name": c.name,
            "named": c.named,
            "members": [{"document": d, "span": s} for d, s in c.members],
        }
        for c in sorted(found, key=lambda c: c.id)
    ]


def _raw_file(snap: Snapshot) -> dict[str, Any]:
    inside: dict[str, list[Relation]] = {}
    links: list[Relation] = []
    for relation in snap.relations:
        if relation.across:
            links.append(relation)
        else:
            inside.setdefault(relation.source.document, []).append(relation)
    return {
        "schema_version": SCHEMA_VERSION,
        "labels": [label.model_dump(mode="json") for label in snap.labels],
        "relation_types": [kind.model_dump(mode="json") for kind in snap.relation_types],
        "links": [*_dump_relations(links), *snap.detached_relations],
        "clusters": _cluster_records(snap),
        "work": snap.work,
        # documents last: the fast parser (annotator.io.parse) relies on it
        "documents": Stream(
            itertools.chain(
                ([_document_raw(doc, inside.get(doc.id, []))] for doc in snap.documents),
                [snap.detached],
            )
        ),
    }


def to_project_file(project: Project) -> ProjectFile:
    """The project as a validated :class:`ProjectFile` (what a save writes)."""
    return ProjectFile.model_validate(json.loads("".join(encode(_raw_file(snapshot(project))))))


def write_snapshot(snap: Snapshot, target: Path | None = None) -> Saved:
    """Write a snapshot as the project file, atomically, keeping a backup.

    Raises :class:`ChangedOnDisk`, leaving the file alone, if the project file is no
    longer the version the snapshot expects (``target`` writes elsewhere, unchecked).
    The JSON is encoded and written in pieces, never joined into one 20 MB string:
    no single step holds the interpreter long, so a writer thread leaves the GUI
    thread responsive (``benchmarks/run.py`` measures the longest stall).
    """
    file = target or project_file(snap.root)
    if target is not None and snap.layers:
        snap = _merged(snap)
    layers = _layer_writes(snap) if target is None else []
    written: dict[str, tuple[tuple[Any, ...], FileStamp | None]] = {}

    def unchanged() -> None:
        now = file_stamp(file)
        if target is None and now is not None and now != snap.expected:
            raise ChangedOnDisk(file)
        check_layers(snap.root, layers)

    # every file is checked before any is written: a save refused for one file leaves
    # them all as they were (the edits stay in the journal)
    unchanged()

    def then_layers() -> None:
        unchanged()
        if layers:  # the shared file's new text is on disk; the layers go first
            written.update(write_layers(snap.root, layers))

    with atomic_writer(file, backup=target is None, before_replace=then_layers) as handle:
        batch: list[str] = []
        size = 0
        for piece in encode(_raw_file(snap)):
            batch.append(piece)
            size += len(piece)
            if size >= 256_000:  # about 1 ms to join and encode
                handle.write("".join(batch).encode("utf-8"))
                batch.clear()
                size = 0
        handle.write("".join(batch).encode("utf-8"))
    return Saved(file, file_stamp(file), written)


def _layer_writes(snap: Snapshot) -> list[LayerWrite]:
    """The layers whose text changed since they were read or last written. A layer
    whose file could not be read is never written; a save that would have to is an
    error (the edits stay in the journal)."""
    writes = []
    for layer in snap.layers:
        state = snap.layer_files.get(layer.name, LayerFile())
        if layer.same_as(state.baseline) and layer.kept == state.kept:
            continue
        text = layer_text(layer)
        if state.broken:
            raise OSError(
                f"{layer_path(snap.root, layer.name)} could not be read when the project "
                f"was opened; fix or move it, then reopen (the edits are in the journal)"
            )
        writes.append(LayerWrite(layer.name, text, state.stamp, layer.members(), state.legacy))
    return writes


def dump_project_file(data: ProjectFile) -> str:
    raw = data.model_dump(mode="json")
    for record in raw["documents"]:
        tidy(record["spans"])
        record["relations"] = tidy_relations(record["relations"])
    raw["links"] = tidy_relations(raw["links"])
    return "".join(encode(raw))


def save_project(project: Project) -> Path:
    """Save on this thread; :class:`ChangedOnDisk` if someone else changed the file."""
    saved = write_snapshot(snapshot(project))
    saved_into(project, saved)
    return saved.path


__all__ = [
    "ChangedOnDisk",
    "Saved",
    "Snapshot",
    "changed_files",
    "save_project",
    "saved_into",
    "snapshot",
    "write_snapshot",
]
