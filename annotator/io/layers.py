"""Each annotator's work in its own file: ``annotations/NAME.json`` (a team project).

A project becomes a *team project* once work signed by two people is in it, or when
its folder has an ``annotations/`` folder. Then the shared ``annotator.json`` keeps
the articles, the labels and relation types, and the adjudicated (gold) layer; each
annotator's spans, relations and links live in ``annotations/NAME.json``, so that two
people annotating the same articles on two machines merge with git without a conflict.

Loading reads every layer file into the one in-memory project (a span's layer is its
``author``). Saving writes the shared file and *only the layers that changed since
they were read*: a session never rewrites a colleague's file it did not change, and
refuses (:class:`~annotator.io.save.ChangedOnDisk`) to overwrite a layer file that
changed on disk since it was read (a ``git pull`` while the window was open).
Work nobody signed goes to the layer of the person saving (when one is known); what a
layer file holds that cannot be read is kept and written back as it was.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pydantic_core
from pydantic import ValidationError

from annotator.core.models import SPAN_LIST, Relation, Span, span_from_json
from annotator.core.project import LayerFile, Project
from annotator.io.atomic import (
    ChangedOnDisk,
    FileStamp,
    atomic_write_text,
    file_stamp,
    read_regular,
)
from annotator.io.report import LoadReport
from annotator.io.safejson import JSONProblem, loads_checked

LAYERS_DIR = "annotations"
LAYER_VERSION = 1
_OPTIONAL_SPAN = ("score", "proposed", "adjudication")
_OPTIONAL_RELATION = ("note", "score", "proposed", "adjudication")


def layers_dir(root: Path) -> Path:
    return root / LAYERS_DIR


def layer_path(root: Path, name: str) -> Path:
    return layers_dir(root) / f"{name}.json"


def layer_of(item: Span | Relation, me: str | None) -> str | None:
    """The layer file an item is saved in (None: the shared file, which holds the gold
    layer, and unsigned work when nobody is named to give it to)."""
    if item.adjudication is not None:
        return None
    return item.author or me


@dataclass(frozen=True)
class LayerSnapshot:
    """One layer as a save writes it: spans per document (in project order), relations."""

    name: str
    spans: dict[str, list[Span]] = field(default_factory=dict)
    relations: list[Relation] = field(default_factory=list)
    kept: list[Any] = field(default_factory=list)  # raw items that could not be read

    def members(self) -> tuple[Any, ...]:
        """Its spans and relations, the objects themselves (see LayerFile.baseline)."""
        return (*(s for spans in self.spans.values() for s in spans), *self.relations)

    def same_as(self, baseline: tuple[Any, ...] | None) -> bool:
        if baseline is None:
            return False
        mine = self.members()
        return len(mine) == len(baseline) and {id(m) for m in mine} == {id(m) for m in baseline}


def layer_text(layer: LayerSnapshot) -> str:
    """The file's text: stable order (documents as in the project, spans by position,
    relations by id), two-space indent, so that git diffs stay small."""
    documents = []
    inside: dict[str, list[Relation]] = {}
    links = []
    for relation in layer.relations:
        if relation.across:
            links.append(relation)
        else:
            inside.setdefault(relation.source.document, []).append(relation)
    doc_ids = list(dict.fromkeys([*layer.spans, *inside]))
    for doc_id in doc_ids:
        spans = sorted(layer.spans.get(doc_id, []), key=Span.sort_key)
        documents.append(
            {
                "id": doc_id,
                "spans": [_span_raw(s, layer.name) for s in spans],
                "relations": [_relation_raw(r, layer.name) for r in _by_id(inside.get(doc_id, []))],
            }
        )
    raw = {
        "layer_version": LAYER_VERSION,
        "annotator": layer.name,
        "documents": documents,
        "links": [_relation_raw(r, layer.name) for r in _by_id(links)],
    }
    if layer.kept:
        raw["unreadable"] = layer.kept
    return json.dumps(raw, indent=2, ensure_ascii=False) + "\n"


def _by_id(relations: Iterable[Relation]) -> list[Relation]:
    return sorted(relations, key=lambda r: r.id)


def _span_raw(span: Span, name: str) -> dict[str, Any]:
    from annotator.core.models import span_to_json

    raw = span_to_json(span)
    raw["author"] = span.author or name
    raw["attributes"] = dict(sorted(raw["attributes"].items()))
    for optional in _OPTIONAL_SPAN:
        if raw.get(optional) is None:
            raw.pop(optional, None)
    return raw


def _relation_raw(relation: Relation, name: str) -> dict[str, Any]:
    raw = relation.model_dump(mode="json")
    raw["author"] = relation.author or name
    for optional in _OPTIONAL_RELATION:
        if raw.get(optional) is None:
            del raw[optional]
    return raw


# --- reading ---------------------------------------------------------------------------


def read_layers(project: Project, report: LoadReport) -> None:
    """Read every ``annotations/*.json`` into ``project`` (a team project from now on)."""
    folder = layers_dir(project.root)
    if not folder.is_dir():
        return
    project.team = True
    pending: list[tuple[str, str, Any]] = []  # layer, where, raw relation
    for path in sorted(folder.glob("*.json")):
        if not path.is_file() or path.name.startswith("."):
            continue
        name = path.stem
        where = f"{LAYERS_DIR}/{path.name}"
        state = LayerFile(stamp=file_stamp(path))
        project.layer_files[name] = state
        try:
            raw = _parse(read_regular(path))
        except (OSError, JSONProblem) as exc:
            state.broken = True
            report.error(
                where,
                f"cannot be read ({exc}); {name}'s work is not shown, and the file is "
                "left as it is",
            )
            continue
        if not isinstance(raw, dict) or not isinstance(raw.get("documents"), list):
            state.broken = True
            report.error(where, "is not an annotator's layer (no documents list); left as it is")
            continue
        if raw.get("annotator") not in (None, name):
            report.warn(
                where,
                f"says it is {raw.get('annotator')!r}'s work; it is read as {name!r}'s, "
                "after its file name",
            )
        state.kept.extend(raw.get("unreadable") or [])
        for record in raw["documents"]:
            _read_record(project, name, where, record, state, report, pending)
        for link in raw.get("links") or []:
            pending.append((name, where, link))
    for name, where, rel in pending:
        _read_relation(project, name, where, rel, report)
    now = layer_snapshots(project)
    for name, read in project.layer_files.items():
        if not read.broken:
            read.baseline = now[name].members() if name in now else ()


def _read_record(
    project: Project,
    name: str,
    where: str,
    record: Any,
    state: LayerFile,
    report: LoadReport,
    pending: list[tuple[str, str, Any]],
) -> None:
    doc_id = record.get("id") if isinstance(record, dict) else None
    if not isinstance(doc_id, str) or not project.has_document(doc_id):
        state.kept.append(record)
        report.warn(where, f"work on a document the project does not have ({doc_id!r}); kept")
        return
    doc = project.document(doc_id)
    text = doc.text
    raws = record.get("spans") or []
    if not isinstance(raws, list):
        state.kept.append(record)
        report.warn(where, f"{doc_id}: its spans are not a list; kept")
        return
    try:  # one call for the record's spans; one by one only to say which are wrong
        spans: list[Span | Exception] = list(SPAN_LIST.validate_python(raws))
    except ValidationError:
        spans = [_one_span(raw) for raw in raws]
    for raw, span in zip(raws, spans, strict=True):
        if isinstance(span, Exception):
            state.kept.append({"document": doc_id, "span": raw})
            report.warn(where, f"{doc_id}: a span cannot be read ({_first_line(span)}); kept")
            continue
        if span.end > len(text) or text[span.start : span.end] != span.text:
            state.kept.append({"document": doc_id, "span": raw})
            report.warn(
                where,
                f"{doc_id}: the span {span.text!r} at {span.start}-{span.end} no longer "
                "matches the article; kept aside",
            )
            continue
        if span.author != name:
            span = span.__class__(**{**_fields(span), "author": name})
        there = doc.get_span(span.id)
        if there is not None and there.author not in (None, name):
            state.kept.append({"document": doc_id, "span": raw})
            report.warn(where, f"{doc_id}: span id {span.id} is {there.author}'s too; kept aside")
            continue
        doc.put_span(span)  # replaces an unsigned copy left in the shared file
    for rel in record.get("relations") or []:
        pending.append((name, where, rel))


def _one_span(raw: Any) -> Span | Exception:
    try:
        return span_from_json(raw)
    except (ValidationError, TypeError, ValueError) as exc:
        return exc


def _parse(data: bytes) -> Any:
    """The layer file's JSON, parsed in Rust (which refuses deep nesting, huge integers
    and lone surrogates too); on a failure parsed again by :func:`loads_checked`,
    which says what is wrong and where."""
    try:
        return pydantic_core.from_json(data.removeprefix(b"\xef\xbb\xbf"), cache_strings="all")
    except ValueError:
        return loads_checked(data)


def _fields(span: Span) -> dict[str, Any]:
    return {f: getattr(span, f) for f in span.__dataclass_fields__}


def _read_relation(project: Project, name: str, where: str, raw: Any, report: LoadReport) -> None:
    state = project.layer_files[name]
    try:
        relation = Relation.model_validate(raw)
    except (ValidationError, TypeError, ValueError) as exc:
        state.kept.append({"relation": raw})
        report.warn(where, f"a relation cannot be read ({_first_line(exc)}); kept")
        return
    ends = (relation.source.key, relation.target.key)
    if any(project.span_of(key) is None for key in ends):
        state.kept.append({"relation": raw})
        report.warn(
            where, f"the {relation.type} relation {relation.id} ends on a missing span; kept"
        )
        return
    if relation.author != name:
        relation = relation.model_copy(update={"author": name})
    project.put_relation(relation)


def _first_line(exc: Exception) -> str:
    return str(exc).splitlines()[0][:160]


# --- writing ---------------------------------------------------------------------------


def layer_snapshots(project: Project) -> dict[str, LayerSnapshot]:
    """Every layer's spans and relations, from one pass (the shared file's left out)."""
    me = project.annotator
    spans: dict[str, dict[str, list[Span]]] = {}
    for doc in project.documents:
        for span in doc.span_values():
            name = layer_of(span, me)
            if name is not None:
                spans.setdefault(name, {}).setdefault(doc.id, []).append(span)
    relations: dict[str, list[Relation]] = {}
    for relation in project.relations():
        name = layer_of(relation, me)
        if name is not None:
            relations.setdefault(name, []).append(relation)
    return {
        name: LayerSnapshot(name, spans.get(name, {}), relations.get(name, []))
        for name in {*spans, *relations}
    }


@dataclass(frozen=True)
class LayerWrite:
    """A layer a save writes: its text, and the version of the file it replaces."""

    name: str
    text: str
    expected: FileStamp | None
    members: tuple[Any, ...] = ()  # what the layer then holds (the new baseline)


def write_layers(
    root: Path, writes: list[LayerWrite]
) -> dict[str, tuple[tuple[Any, ...], FileStamp | None]]:
    """Write each changed layer atomically; raises ChangedOnDisk (leaving the file) when
    a layer file is not the version that was read. Returns the new (members, stamp)s."""
    for write in writes:
        now = file_stamp(layer_path(root, write.name))
        if now is not None and now != write.expected:
            raise ChangedOnDisk(layer_path(root, write.name))
    done = {}
    for write in writes:
        path = layer_path(root, write.name)
        path.parent.mkdir(exist_ok=True)
        atomic_write_text(path, write.text)
        done[write.name] = (write.members, file_stamp(path))
    return done
