"""Reading the annotators' layers from ``annotations/``: only the files the project
owns (a regular ``NAME.json`` whose ``annotator`` passes the name gate and whose file
name is the one derived from that name); links, folders, pipes, hidden, misnamed,
duplicate and newer-version files are reported and left as they are. Spans first
(:func:`read_layer_spans`), relations once every span is in
(:func:`place_layer_relations`), as :mod:`annotator.io.load` needs. The file format and
writing are :mod:`annotator.io.layers`."""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path
from typing import Any

import pydantic_core
from pydantic import ValidationError

from annotator.core.models import (
    SPAN_LIST,
    Span,
    new_relation_id,
    relation_from_json,
    replace_relation,
    span_from_json,
)
from annotator.core.names import BadName, check_name, layer_stem
from annotator.core.project import LayerFile, Project
from annotator.io.atomic import file_stamp, read_regular
from annotator.io.layers import LAYER_VERSION, LAYERS_DIR, layer_snapshots, layers_dir
from annotator.io.report import LoadReport
from annotator.io.safejson import JSONProblem, loads_checked
from annotator.io.work_file import read_layer_work

_LAYER_KEYS = ("layer_version", "annotator", "documents", "links", "unreadable", "work")
_NOT_GOLD = (
    "says it is gold: gold is made only by an adjudication decision in the shared file, "
    "so it is read as this annotator's own work"
)
# a version kept beside a layer by Keep Mine or Reload: "bob.theirs-20261207-101500.json"
_SET_ASIDE = re.compile(r"\.(theirs|mine)-\d{8}-\d{6}(-\d+)?\.json$")
_OURS_TOO = (".gitkeep", ".gitignore")  # files in annotations/ that are no layer


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
    read_layer_work(project, name, raw.get("work"), where, report)
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
        relation = relation_from_json({**raw, "author": name} if isinstance(raw, dict) else raw)
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
        relation = replace_relation(relation, adjudication=None)
    if relation.author != name:
        relation = replace_relation(relation, author=name)
    if project.has_relation(relation.id):  # two relations, one id: both kept
        new_id = new_relation_id()
        report.warn(
            where,
            f"relation id {relation.id} is taken by another relation; this one is {new_id} "
            "from now on (the next save writes it so)",
        )
        relation = replace_relation(relation, id=new_id)
    project.put_relation(relation)


def _first_line(exc: Exception) -> str:
    return str(exc).splitlines()[0][:160]
