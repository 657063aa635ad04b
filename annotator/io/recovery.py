"""Recovery after a crash: the journal a session left, read back line by line (by
``\n`` only), migrated from older journal versions one step at a time, and turned into
the changes a loaded project lacks (:func:`recovery_changes`); a journal the person does
not restore is set aside under a name that says so."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from annotator.core.changes import (
    Change,
    ClusterNameChange,
    DocumentChange,
    DocumentInfo,
    LabelChange,
    RelationChange,
    RelationTypeChange,
    SpanChange,
    StatusChange,
)
from annotator.core.models import (
    Label,
    Relation,
    RelationType,
    Span,
    relation_from_json,
    span_from_json,
)
from annotator.core.names import author_problem, layer_stem
from annotator.core.project import Project
from annotator.core.work import DOC_STATUSES, DocStatus
from annotator.io.atomic import read_regular
from annotator.io.journal import JOURNAL_NAME, JOURNAL_VERSION, held_journal_path, journal_path
from annotator.io.paths import read_article
from annotator.io.report import LoadReport
from annotator.io.safejson import loads_checked


@dataclass(frozen=True)
class JournalEdit:
    seq: int
    time: str
    what: str
    values: list[tuple[str, str, Span | None]]  # document id, span id, value (None: gone)
    infos: list[tuple[str, DocumentInfo | None]] = field(default_factory=list)  # None: gone
    labels: list[tuple[str, Label | None]] = field(default_factory=list)  # None: gone
    relations: list[tuple[str, Relation | None]] = field(default_factory=list)  # None: gone
    relation_types: list[tuple[str, RelationType | None]] = field(default_factory=list)
    cluster_names: list[tuple[tuple[str, str], str | None]] = field(default_factory=list)
    # document id, annotator, status said
    statuses: list[tuple[str, str, DocStatus]] = field(default_factory=list)


@dataclass
class JournalContents:
    path: Path
    edits: list[JournalEdit] = field(default_factory=list)  # every edit, in order
    saved_seq: int = 0  # the last save the journal knew of covered edits up to this one
    problems: list[str] = field(default_factory=list)
    skipped: int = 0  # lines that could not be read: the edits they held may be lost
    annotator: str | None = None  # whose session wrote it (None: not said, or unnamed)

    @property
    def unsaved(self) -> list[JournalEdit]:
        return [e for e in self.edits if e.seq > self.saved_seq]


def read_journal(root: Path) -> JournalContents | None:  # noqa: C901
    """The journal left in ``root``, or None if there is none.

    A line cut short by a kill is skipped and reported; so is any line that does not
    parse, and reading goes on with the next one.
    Long on purpose: each branch is one way a journal line can be damaged, reported while
    reading goes on.
    """
    path = journal_path(root)
    try:
        raw = read_regular(path)
    except FileNotFoundError:
        return None
    except OSError as exc:
        contents = JournalContents(path)
        contents.problems.append(f"{path}: cannot read: {exc.strerror or exc}")
        return contents
    contents = JournalContents(path)
    # Split on "\n" only: str.splitlines() also breaks at U+2028, U+2029, U+0085 and
    # other characters that a journal written before they were escaped holds raw.
    lines = raw.split(b"\n")
    if lines and not lines[-1]:
        lines.pop()
    cut_short = not raw.endswith(b"\n")
    version = 1  # journals before the version line said otherwise
    for number, data in enumerate(lines, 1):
        if not data.strip():
            continue
        try:
            record = loads_checked(data)
            if not isinstance(record, dict):
                raise ValueError("not an object")
            if "journal" in record:
                version = int(record["journal"])
                who = record.get("annotator")
                if isinstance(who, str) and author_problem(who) is None:
                    contents.annotator = who
            elif "annotator" in record:  # the name was given or changed mid-session
                who = record["annotator"]
                if isinstance(who, str) and author_problem(who) is None:
                    contents.annotator = who
            elif "saved" in record:
                contents.saved_seq = max(contents.saved_seq, int(record["saved"]))
            elif "seq" in record:
                contents.edits.append(_edit(_migrate(version, record)))
        except (ValueError, TypeError, KeyError, ValidationError) as exc:
            last = number == len(lines) and cut_short
            reason = "cut short by the crash" if last else _reason(exc)
            contents.problems.append(f"{path}, line {number}: skipped ({reason})")
            contents.skipped += 1
    return contents


def own_journal(project: Project, report: LoadReport) -> JournalContents | None:
    """The journal the person opening ``project`` may restore: the one left in the
    project if it is theirs (or says no name), else one held for them. Another
    annotator's journal is never offered: it is held for them (``.annotator.journal.ann``)
    and offered when they open the project; the report tells this person so."""
    root, me = project.root, project.annotator
    contents = read_journal(root)
    owner = contents.annotator if contents is not None else None
    if contents is not None and owner is not None and not _same_person(owner, me):
        held = _free(held_journal_path(root, owner))
        try:
            os.replace(contents.path, held)
            report.warn(
                contents.path.name,
                f"{owner} has unsaved work from a session that did not end cleanly; it is "
                f"kept for {owner} ({held.name}) and offered back when {owner} opens "
                "this project",
            )
        except OSError as exc:
            report.warn(contents.path.name, f"{owner}'s unsaved work could not be set aside: {exc}")
        contents = None
    if contents is None and me is not None:
        held = held_journal_path(root, me)
        if held.exists() and not journal_path(root).exists():
            os.replace(held, journal_path(root))
            contents = read_journal(root)
    return contents


def _same_person(owner: str, me: str | None) -> bool:
    return me is not None and layer_stem(owner) == layer_stem(me)


def _free(path: Path) -> Path:
    """``path`` itself if nothing is there, else a later free name beside it."""
    candidate, n = path, 2
    while candidate.exists():
        candidate, n = path.with_name(f"{path.name}-{n}"), n + 1
    return candidate


def _reason(exc: Exception) -> str:
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return text if len(text) <= 200 else text[:199] + "…"


def _migrate(version: int, record: dict[str, Any]) -> dict[str, Any]:
    """An edit record of ``version`` brought to :data:`JOURNAL_VERSION`, a step a version.

    1 → 2: entries were all span entries, written exactly as version 2 writes them.
    2 → 3: version 3 only adds kinds of entry; a version-2 record is one as it is.
    3 → 4: version 4 adds document statuses and assignments; a version-3 record is one.
    """
    if version > JOURNAL_VERSION:
        raise ValueError(f"written by a newer Annotator (journal version {version})")
    while version < JOURNAL_VERSION:
        record = _STEPS[version](record)
        version += 1
    return record


_STEPS = {1: lambda record: record, 2: lambda record: record, 3: lambda record: record}


def _edit(record: dict[str, Any]) -> JournalEdit:
    values: list[tuple[str, str, Span | None]] = []
    infos: list[tuple[str, DocumentInfo | None]] = []
    labels: list[tuple[str, Label | None]] = []
    relations: list[tuple[str, Relation | None]] = []
    kinds: list[tuple[str, RelationType | None]] = []
    names: list[tuple[tuple[str, str], str | None]] = []
    statuses: list[tuple[str, str, DocStatus]] = []
    for item in record["changes"]:
        if "status_of" in item:
            value = item["value"]
            if value not in DOC_STATUSES:
                raise ValueError(f"document status {value!r} is not one of {DOC_STATUSES}")
            statuses.append((str(item["document"]), str(item["status_of"]), value))
        elif "relation" in item:
            value = item["value"]
            relations.append(
                (str(item["relation"]), None if value is None else relation_from_json(value))
            )
        elif "relation_type" in item:
            value = item["value"]
            kinds.append(
                (
                    str(item["relation_type"]),
                    None if value is None else RelationType.model_validate(value),
                )
            )
        elif "cluster_name" in item:
            doc_id, span_id = item["cluster_name"]
            value = item["value"]
            names.append(((str(doc_id), str(span_id)), None if value is None else str(value)))
        elif "label" in item:
            value = item["value"]
            labels.append((str(item["label"]), None if value is None else Label(**value)))
        elif "info" in item:
            info = item["info"]
            infos.append(
                (
                    str(item["document"]),
                    None
                    if info is None
                    else DocumentInfo(
                        str(info["title"]),
                        str(info["source"]),
                        str(info.get("path", "")),
                        tuple(sorted((str(k), str(v)) for k, v in info.get("meta", {}).items())),
                        assigned=tuple(str(a) for a in info.get("assigned", ())),
                    ),
                )
            )
        else:
            value = item["value"]
            span = None if value is None else span_from_json(value)
            values.append((str(item["document"]), str(item["span"]), span))
    when, what = str(record.get("time", "")), str(record["what"])
    return JournalEdit(
        int(record["seq"]), when, what, values, infos, labels, relations, kinds, names, statuses
    )


def recovery_changes(  # noqa: C901
    project: Project, edits: Iterable[JournalEdit]
) -> tuple[tuple[Change, ...], list[str]]:
    """What replaying ``edits`` would change in ``project``, as changes, and problems.

    Only labels, documents and spans whose final value differs from the project's are
    included, so a journal whose edits all reached the file yields nothing. A document
    the journal added (an import) whose article file the last open took in as a new
    article of its own is put back under its id, in place of that stand-in.
    Long on purpose: one branch per change kind the journal holds.
    """
    final: dict[tuple[str, str], Span | None] = {}
    infos: dict[str, DocumentInfo | None] = {}
    labels: dict[str, Label | None] = {}
    relations: dict[str, Relation | None] = {}
    kinds: dict[str, RelationType | None] = {}
    names: dict[tuple[str, str], str | None] = {}
    statuses: dict[tuple[str, str], DocStatus] = {}
    problems: list[str] = []
    for edit in edits:
        statuses.update(((d, a), value) for d, a, value in edit.statuses)
        for doc_id, span_id, value in edit.values:
            final[(doc_id, span_id)] = value
        for doc_id, info in edit.infos:
            infos[doc_id] = info
        for name, label in edit.labels:
            labels[name] = label
        relations.update(edit.relations)
        kinds.update(edit.relation_types)
        names.update(edit.cluster_names)
    first: list[Change] = []  # labels and documents the spans need
    last: list[Change] = []  # documents and labels that go, once their spans have
    working = {lb.name: lb for lb in project.labels}  # labels as the replay leaves them
    for name, label in labels.items():
        now = working.get(name)
        if now == label:
            continue
        (first if label is not None else last).append(LabelChange(name, now, label))
        working.pop(name, None)
        if label is not None:
            working[label.name] = label
    gone: set[str] = set()  # documents the replay adds (stand-ins it removes go too)
    for doc_id, info in infos.items():
        _document_changes(project, doc_id, info, first, last, problems, gone)
    changes: list[Change] = []
    missing: set[str] = set()
    added = {c.document_id for c in first if isinstance(c, DocumentChange)}
    for (doc_id, span_id), value in final.items():
        if doc_id in added:
            text = next(
                c.after.text
                for c in first
                if isinstance(c, DocumentChange) and c.document_id == doc_id and c.after
            )
            current = None
        elif project.has_document(doc_id) and doc_id not in gone:
            doc = project.document(doc_id)
            text = doc.text
            current = doc.span(span_id) if doc.has_span(span_id) else None
        else:
            missing.add(doc_id)
            continue
        if value is not None and (text or "")[value.start : value.end] != value.text:
            problems.append(f"span {span_id} in {doc_id}: its text is no longer in the article")
            continue
        if current != value:
            changes.append(SpanChange(doc_id, current, value))
    for doc_id in sorted(missing):
        problems.append(f"document {doc_id} is no longer in the project; its edits were skipped")
    linked = _relation_changes(project, kinds, relations, names, final, problems)
    # relations go before the spans they need are removed, and after those they need arrive
    going = [c for c in linked if isinstance(c, RelationChange) and c.after is None]
    coming = [c for c in linked if not (isinstance(c, RelationChange) and c.after is None)]
    said: list[Change] = []
    for (doc_id, who), status in statuses.items():
        if doc_id in gone or not (project.has_document(doc_id) or doc_id in added):
            continue
        had = project.work.status(who, doc_id)
        if had != status:
            said.append(StatusChange(doc_id, who, had, status))
    return (*first, *going, *changes, *coming, *said, *last), problems


def _relation_changes(
    project: Project,
    kinds: dict[str, RelationType | None],
    relations: dict[str, Relation | None],
    names: dict[tuple[str, str], str | None],
    final: dict[tuple[str, str], Span | None],
    problems: list[str],
) -> list[Change]:
    """The relation, relation type and cluster name changes the journal holds and the
    project lacks. A relation whose end the replay does not have is named and skipped."""
    changes: list[Change] = []
    for type_name, kind in kinds.items():
        current_kind = project.relation_type(type_name)
        if current_kind != kind:
            changes.append(RelationTypeChange(type_name, current_kind, kind))

    def exists(key: tuple[str, str]) -> bool:
        if key in final:
            return final[key] is not None
        return project.span_of(key) is not None

    for relation_id, value in relations.items():
        current = project.relation(relation_id) if project.has_relation(relation_id) else None
        if value is not None and not (exists(value.source.key) and exists(value.target.key)):
            problems.append(f"relation {relation_id}: one of its spans is gone; skipped")
            continue
        if current != value:
            changes.append(RelationChange(relation_id, current, value))
    for key, given in names.items():
        had = project.cluster_names.get(key)
        if had != given:
            changes.append(ClusterNameChange(key, had, given))
    return changes


def _document_changes(
    project: Project,
    doc_id: str,
    info: DocumentInfo | None,
    first: list[Change],
    last: list[Change],
    problems: list[str],
    gone: set[str],
) -> None:
    if project.has_document(doc_id):
        doc = project.document(doc_id)
        now = DocumentInfo.of(doc)
        if info is None:
            removal = [SpanChange(doc_id, s, None) for s in doc.spans()]
            last.extend([*removal, DocumentChange(doc_id, now, None)])
            gone.add(doc_id)
        elif (now.title, now.source, now.meta, now.assigned) != (
            info.title,
            info.source,
            info.meta,
            info.assigned,
        ):
            # F2 edits the title, the outlet and the details kept in meta (date, author);
            # ``annotator assign`` the annotators it is given to
            renamed = dataclasses.replace(
                now, title=info.title, source=info.source, meta=info.meta, assigned=info.assigned
            )
            first.append(DocumentChange(doc_id, now, renamed))
        return
    if info is None:
        return  # added and removed again, or never saved: nothing to do
    text = read_article(project.root, info.path)
    if text is None:
        problems.append(
            f"document {doc_id}: its article {info.path} cannot be read; its edits were skipped"
        )
        return
    # the last open took the article file in as a new document (not yet tagged): replace it
    for stand_in in [d for d in project.documents if d.path == info.path and not d.span_count]:
        first.append(DocumentChange(stand_in.id, DocumentInfo.of(stand_in, with_text=True), None))
        gone.add(stand_in.id)
    first.append(DocumentChange(doc_id, None, dataclasses.replace(info, text=text)))


def keep_copy(contents: JournalContents) -> Path:
    """A copy of a journal with lines that could not be read, before anything replaces it:
    ``.annotator.journal.unreadable-DATE``, to look at or to send with a bug report."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = contents.path.with_name(f"{JOURNAL_NAME}.unreadable-{stamp}")
    target.write_bytes(contents.path.read_bytes())
    return target


def set_aside(contents: JournalContents) -> Path:
    """Keep a journal the person chose not to restore, under a name that says so."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = contents.path.with_name(f"{JOURNAL_NAME}.declined-{stamp}")
    os.replace(contents.path, target)
    return target
