"""Each annotator's work in its own file: ``annotations/NAME.json`` (a team project).

A project becomes a *team project* once work signed by two people is in it, when its
folder has an ``annotations/`` folder, or when it is inside a git work tree. Then the
shared ``annotator.json`` keeps the articles, the labels and relation types, and the
adjudicated (gold) layer; each annotator's spans, relations and links live in
``annotations/NAME.json``, so that two people annotating the same articles on two
machines merge with git without a conflict.

Loading reads every layer file into the one in-memory project (a span's layer is its
``author``; :mod:`annotator.io.layer_reading`). A layer's file name is derived from the
annotator's name by the one gate (:func:`~annotator.core.names.layer_stem`). Saving
writes the shared file and *only the layers that changed since they were read*: a
session never rewrites a colleague's file it did not change, and refuses
(:class:`~annotator.io.save.ChangedOnDisk`) to overwrite a layer file that changed on
disk since it was read (a ``git pull`` while the window was open). Work nobody signed
goes to the layer of the person saving (when one is known); what a layer file holds
that cannot be read is kept and written back as it was.
"""

from __future__ import annotations

import itertools
import json
import os
import stat
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from annotator.core.models import (
    PROJECT_FILE_NAME,
    Relation,
    Span,
    relation_to_json,
)
from annotator.core.names import BadName, layer_stem
from annotator.core.project import LayerFile, Project
from annotator.core.work import WorkRecord
from annotator.io.atomic import (
    ChangedOnDisk,
    FileStamp,
    atomic_write_text,
    file_stamp,
)

LAYERS_DIR = "annotations"
LAYER_VERSION = 1
_OPTIONAL_SPAN = ("score", "proposed", "adjudication")
_OPTIONAL_RELATION = ("note", "score", "proposed", "adjudication")


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
    work: dict[str, WorkRecord] = field(default_factory=dict)  # by document id
    kept_work: dict[str, Any] = field(default_factory=dict)  # records that could not be read

    def members(self) -> tuple[Any, ...]:
        """Its spans, relations and work records, the objects themselves (see
        LayerFile.baseline): records are replaced on every change, as spans are."""
        return (
            *(s for spans in self.spans.values() for s in spans),
            *self.relations,
            *self.work.values(),
        )

    def work_json(self) -> dict[str, Any]:
        """Its ``"work"``: records by document id (sorted: small diffs), then those
        that could not be read, as they were."""
        out: dict[str, Any] = {d: self.work[d].to_json() for d in sorted(self.work)}
        out.update({d: v for d, v in self.kept_work.items() if d not in out})
        return out

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
    if layer.work or layer.kept_work:
        raw["work"] = layer.work_json()
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
    raw = relation_to_json(relation)
    raw["author"] = relation.author or name
    for optional in _OPTIONAL_RELATION:
        if raw.get(optional) is None:
            del raw[optional]
    return raw


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


# --- what a save writes -----------------------------------------------------------------


def is_team(project: Project) -> bool:
    """A team project: it has layer files, or work signed by two people (from now on)."""
    if project.team:
        return True
    signers: set[str] = set()
    items: Iterator[Span | Relation] = itertools.chain(
        (s for doc in project.documents if doc.unread() is None for s in doc.span_values()),
        project.relations(),
    )
    for item in items:  # stops at the second name (autosave asks this every time)
        if item.author and item.author not in signers:
            signers.add(item.author)
            if len(signers) > 1:
                project.team = True
                return True
    return False


def changed_files(project: Project) -> list[tuple[Path, Callable[[FileStamp | None], None]]]:
    """The files a save of ``project`` would replace that changed on disk since they
    were read or written (the shared file, any layer of this project's), each with the
    call that accepts the version now on disk as the one to replace (Keep Mine)."""
    found: list[tuple[Path, Callable[[FileStamp | None], None]]] = []
    file = project.root / PROJECT_FILE_NAME
    if file_stamp(file) not in (None, project.disk_stamp):

        def shared(stamp: FileStamp | None) -> None:
            project.disk_stamp = stamp

        found.append((file, shared))
    if not is_team(project):
        return found
    for name in {*project.layer_files, *layer_snapshots(project)}:
        state = project.layer_files.get(name)
        if state is not None and state.broken:
            continue  # never written
        legacy = state.legacy if state is not None else None
        path = layers_dir(project.root) / legacy if legacy else layer_path(project.root, name)
        if file_stamp(path) in (None, state.stamp if state is not None else None):
            continue

        def layer(stamp: FileStamp | None, name: str = name) -> None:
            project.layer_files.setdefault(name, LayerFile()).stamp = stamp

        found.append((path, layer))
    return found
