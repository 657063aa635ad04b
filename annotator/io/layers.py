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
import os
import re
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pydantic_core
from pydantic import ValidationError

from annotator.core.models import SPAN_LIST, Relation, Span, new_relation_id, span_from_json
from annotator.core.names import BadName, check_name, layer_stem
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
_LAYER_KEYS = ("layer_version", "annotator", "documents", "links", "unreadable")
_NOT_GOLD = (
    "says it is gold: gold is made only by an adjudication decision in the shared file, "
    "so it is read as this annotator's own work"
)
# a version kept beside a layer by Keep Mine or Reload: "bob.theirs-20261207-101500.json"
_SET_ASIDE = re.compile(r"\.(theirs|mine)-\d{8}-\d{6}(-\d+)?\.json$")
_OURS_TOO = (".gitkeep", ".gitignore")  # files in annotations/ that are no layer


def layers_dir(root: Path) -> Path:
    return root / LAYERS_DIR


def in_git_work_tree(root: Path) -> bool:
    """Whether the project folder is inside a git work tree (a ``.git`` folder or file
    in it or above it). Such a project keeps each annotator's work in its own layer
    file from the first save: two clones of one fresh project then merge without a
    conflict in the shared file."""
    folder = root.resolve()
    return any(os.path.lexists(place / ".git") for place in (folder, *folder.parents))


def layer_path(root: Path, name: str) -> Path:
    """Annotator ``name``'s layer file: its name derived by the one gate
    (:func:`~annotator.core.names.layer_stem`), never taken from the name; it is
    always a file directly in ``annotations/`` (raises BadName for a bad name)."""
    path = layers_dir(root) / f"{layer_stem(name)}.json"
    if path.parent != layers_dir(root) or path.name.startswith("."):  # proven, not assumed
        raise BadName(f"{name!r} cannot name a layer file")
    return path


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
    extra: dict[str, Any] = field(default_factory=dict)  # fields a newer file had

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
    for key, value in layer.extra.items():  # what a later version wrote stays
        raw.setdefault(key, value)
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
    """Read every annotator's layer (:func:`read_layer_spans`, then
    :func:`place_layer_relations`)."""
    place_layer_relations(project, read_layer_spans(project, report), report)


Pending = list[tuple[str, str, Any]]  # layer, where, raw relation


def read_layer_spans(project: Project, report: LoadReport) -> Pending:
    """Read every annotator's layer in ``annotations/`` into ``project`` (a team project
    from now on). Only the files the project owns are read: a regular ``NAME.json``
    whose ``annotator`` passes the name gate and whose file name is the one derived
    from that name. Links, folders, pipes and files under another name are reported
    and left as they are."""
    pending: Pending = []
    folder = layers_dir(project.root)
    try:
        info = os.lstat(folder)
    except FileNotFoundError:
        return pending
    except OSError as exc:
        report.error(LAYERS_DIR, f"cannot be read ({exc.strerror or exc}); no layer was read")
        return pending
    if not stat.S_ISDIR(info.st_mode):
        what = "a link" if stat.S_ISLNK(info.st_mode) else "not a folder"
        report.error(
            LAYERS_DIR,
            f"is {what}; annotators' layers are read only from a folder inside the project, "
            "so none was read. Move it away (or make it a folder) and open the project again",
        )
        return pending
    project.team = True
    found = _layer_entries(folder, report)
    owners: dict[str, str] = {}  # derived stem -> the file that holds that layer
    for entry in sorted(found, key=lambda e: (e.name != e.name.casefold(), e.name)):
        where = f"{LAYERS_DIR}/{entry.name}"
        _read_layer(project, entry, where, owners, report, pending)
    return pending


def place_layer_relations(project: Project, pending: Pending, report: LoadReport) -> None:
    """The layers' relations and links, once every span is in; then each layer's
    baseline (what a save compares with). Nothing to do (no span read) without layers."""
    if not pending and not project.layer_files:
        return
    for name, where, rel in pending:
        _read_relation(project, name, where, rel, report)
    now = layer_snapshots(project)
    for name, read in project.layer_files.items():
        if not read.broken:
            read.baseline = now[name].members() if name in now else ()


def _layer_entries(folder: Path, report: LoadReport) -> list[os.DirEntry[str]]:
    """The regular ``*.json`` files of ``annotations/``; what else looks like a layer
    there (a link, a folder, a pipe, a hidden file) is reported and not read."""
    found = []
    with os.scandir(folder) as entries:
        for entry in entries:
            name = entry.name
            if name in _OURS_TOO or not name.lower().endswith(".json") or _SET_ASIDE.search(name):
                continue
            where = f"{LAYERS_DIR}/{name}"
            if name.startswith("."):
                report.warn(where, "a hidden file is not an annotator's layer; not read")
            elif entry.is_symlink():
                report.error(
                    where,
                    "is a link; layers are read only from files inside the project, so it "
                    "was not read (replace the link by the file itself)",
                )
            elif not entry.is_file(follow_symlinks=False):
                report.error(
                    where, "is not a regular file (a folder, a pipe or a device); not read"
                )
            else:
                found.append(entry)
    return found


def _read_layer(
    project: Project,
    entry: os.DirEntry[str],
    where: str,
    owners: dict[str, str],
    report: LoadReport,
    pending: list[tuple[str, str, Any]],
) -> None:
    path = Path(entry.path)
    stem = entry.name[: -len(".json")]
    try:
        raw = _parse(read_regular(path, follow=False))
    except (OSError, JSONProblem) as exc:
        name = _owner_of_stem(stem)
        if name is not None and name not in project.layer_files:
            project.layer_files[name] = LayerFile(stamp=file_stamp(path), broken=True)
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
        report.error(
            where,
            f"cannot be read ({reason}); "
            f"{(name or 'its annotator') + chr(39) + 's'} work is not shown, and the file "
            "is left as it is",
        )
        return
    if not isinstance(raw, dict) or not isinstance(raw.get("documents"), list):
        report.error(where, "is not an annotator's layer (no documents list); left as it is")
        return
    claimed = raw.get("annotator", stem)
    try:
        name = check_name(claimed) if isinstance(claimed, str) else check_name(stem)
    except BadName as exc:
        report.error(where, f"its annotator {claimed!r} is refused ({exc}); not read")
        return
    derived = layer_stem(name)
    if stem != derived and stem != name:
        report.error(
            where,
            f"says it is {name!r}'s layer, whose file is {LAYERS_DIR}/{derived}.json; "
            "not read (rename it to that, or open it with the annotator it names)",
        )
        return
    if derived in owners:
        report.error(
            where,
            f"is {name!r}'s layer, and so is {owners[derived]} (one file on Windows and macOS "
            f"disks); only {owners[derived]} was read: merge the two by hand",
        )
        return
    owners[derived] = where
    version = raw.get("layer_version", LAYER_VERSION)
    if not isinstance(version, int) or version > LAYER_VERSION:
        project.layer_files[name] = LayerFile(stamp=file_stamp(path), broken=True)
        report.error(
            where,
            f"was written by a newer Annotator (layer version {version!r}); {name}'s work is "
            "not shown and the file is left as it is: update Annotator to read it",
        )
        return
    state = LayerFile(
        stamp=file_stamp(path),
        legacy=entry.name if stem != derived else None,
        extra={k: v for k, v in raw.items() if k not in _LAYER_KEYS},
    )
    project.layer_files[name] = state
    state.kept.extend(raw.get("unreadable") or [])
    for record in raw["documents"]:
        _read_record(project, name, where, record, state, report, pending)
    for link in raw.get("links") or []:
        pending.append((name, where, link))


def _owner_of_stem(stem: str) -> str | None:
    """The annotator a file name belongs to, when the name alone says it."""
    try:
        return stem if layer_stem(stem) == stem else None
    except BadName:
        return None


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
    # the file says whose work it is: a span's own author field is not asked
    raws = [{**r, "author": name} if isinstance(r, dict) else r for r in raws]
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
        if span.adjudication is not None:
            report.warn(where, f"{doc_id}: span {span.id} {_NOT_GOLD}")
            span = span.__class__(**{**_fields(span), "adjudication": None})
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
        relation = Relation.model_validate(
            {**raw, "author": name} if isinstance(raw, dict) else raw
        )
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
    kind = next((k for k in project.relation_types if k.name == relation.type), None)
    why = kind.allows_places(across=relation.across) if kind is not None else None
    if why:
        state.kept.append({"relation": raw})
        report.warn(where, f"the relation {relation.id} cannot be ({why}); kept aside")
        return
    if relation.adjudication is not None:
        report.warn(where, f"the {relation.type} relation {relation.id} {_NOT_GOLD}")
        relation = relation.model_copy(update={"adjudication": None})
    if relation.author != name:
        relation = relation.model_copy(update={"author": name})
    if project.has_relation(relation.id):  # two relations, one id: both kept
        new_id = new_relation_id()
        report.warn(
            where,
            f"relation id {relation.id} is taken by another relation; this one is {new_id} "
            "from now on (the next save writes it so)",
        )
        relation = relation.model_copy(update={"id": new_id})
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
    legacy: str | None = None  # the file it was read from, when named the older way


def check_layers(root: Path, writes: list[LayerWrite]) -> None:
    """Raise :class:`ChangedOnDisk` naming the first layer file that is not the version
    that was read (or that appeared since: a colleague's first save, pulled)."""
    for write in writes:
        path = _read_from(root, write)
        now = file_stamp(path)
        if now is not None and now != write.expected:
            raise ChangedOnDisk(path)
        target = layer_path(root, write.name)
        if target != path and file_stamp(target) is not None:
            raise ChangedOnDisk(target)


def _read_from(root: Path, write: LayerWrite) -> Path:
    return layers_dir(root) / write.legacy if write.legacy else layer_path(root, write.name)


def layers_folder(root: Path) -> Path:
    """``annotations/``, made if missing; OSError if it is a link or no folder (a layer
    is never written through a link out of the project)."""
    folder = layers_dir(root)
    try:
        info = os.lstat(folder)
    except FileNotFoundError:
        folder.mkdir()
        return folder
    if not stat.S_ISDIR(info.st_mode):
        raise OSError(
            f"{folder} is {'a link' if stat.S_ISLNK(info.st_mode) else 'not a folder'}; "
            "annotators' layers are written only into a folder inside the project"
        )
    return folder


def write_layers(
    root: Path, writes: list[LayerWrite]
) -> dict[str, tuple[tuple[Any, ...], FileStamp | None]]:
    """Write each changed layer atomically; raises ChangedOnDisk (writing none) when a
    layer file is not the version that was read. A layer read from a file named the
    older way is written under its derived name and the old file removed. Returns the
    new (members, stamp)s."""
    check_layers(root, writes)
    if writes:
        layers_folder(root)
    done = {}
    for write in writes:
        path = layer_path(root, write.name)
        atomic_write_text(path, write.text)
        if write.legacy:
            old = layers_dir(root) / write.legacy
            if old != path:
                old.unlink(missing_ok=True)
        done[write.name] = (write.members, file_stamp(path))
    return done
