"""The edit journal: every change since the last save, appended as it happens.

A session appends one JSON line per edit (undo and redo included) to
``.annotator.journal`` in the project folder and flushes it at once, so a process
killed with SIGKILL between two autosaves loses nothing the journal holds; it is
fsynced at every autosave, which also covers power loss up to that tick. After a
save the journal records how far the file is up to date and empties itself when
nothing newer is left.

Each line says what a span *is now* (its whole value, or that it is gone), never
"add" or "remove". Replaying such assignments is idempotent: whatever mix of old
and new state the project file holds, replaying the journal on top of it gives the
state the session had. :func:`read_journal` and :func:`recovery_changes` turn a
journal into the span changes that are not yet in a loaded project.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from annotator.core.changes import Change, DocumentChange, DocumentInfo, LabelChange, SpanChange
from annotator.core.models import Label, Span, span_from_json, span_to_json
from annotator.core.project import Project
from annotator.core.safejson import loads_checked
from annotator.core.store import read_article

JOURNAL_NAME = ".annotator.journal"
JOURNAL_VERSION = 2
# Version 1 journals held span entries only; version 2 adds document and label entries
# (:func:`_migrate` reads every older version, one step at a time).


def journal_path(root: Path) -> Path:
    return root / JOURNAL_NAME


class Journal:
    """Appends edits of one session to the project's journal file.

    Lines are written with ``os.write`` on an unbuffered descriptor: a record is in the
    operating system as soon as :meth:`record` returns. When a write fails (a full
    disk, a folder that went read-only) the records not yet written are kept in memory
    and written with the next edit or tick; ``on_problem`` is told once when writing
    starts failing (with the reason) and once when it works again (with None).
    """

    def __init__(self, root: Path, on_problem: Callable[[str | None], None] | None = None) -> None:
        self.path = journal_path(root)
        self._fd: int | None = None
        self._started = False  # the file was created by this session: reopen it to append
        self._pending: list[bytes] = []  # records not yet (completely) written
        self._partial = False  # a failed write may have left half a line: start a new one
        self.seq = 0  # number of the last edit written
        self.saved_seq = 0  # the project file holds every edit up to this one
        self.failed: str | None = None  # why the journal cannot be written now, if it cannot
        self.on_problem = on_problem

    def _open(self) -> int:
        if self._fd is None:
            if self._started:  # after a failed write: go on where it stopped
                self._fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o666)
                return self._fd
            # A previous journal was either restored (and is in the project now) or
            # set aside by the person opening the project: start a fresh one.
            self._fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)
            self._started = True
            self._pending.insert(
                0, _line({"journal": JOURNAL_VERSION, "started": _now(), "pid": os.getpid()})
            )
        return self._fd

    def _flush(self) -> None:
        """Write every pending record; on failure keep them for the next try, and say so."""
        try:
            fd = self._open()
            while self._pending:
                data = self._pending[0]
                if self._partial:
                    data = b"\n" + data  # the cut line before it is skipped on reading
                view = memoryview(data)
                while view:
                    self._partial = True
                    view = view[os.write(fd, view) :]
                self._partial = False
                self._pending.pop(0)
        except OSError as exc:
            if self._fd is not None:  # the next try opens the file again (a disk swapped,
                with contextlib.suppress(OSError):  # a folder remounted)
                    os.close(self._fd)
                self._fd = None
            message = (
                f"The edit journal {self.path} cannot be written ({exc.strerror or exc}); "
                "edits are kept in memory and written as soon as it works again. "
                "Autosave still saves the project."
            )
            if self.failed is None and self.on_problem is not None:
                self.on_problem(message)
            self.failed = message
            return
        if self.failed is not None:
            self.failed = None
            if self.on_problem is not None:
                self.on_problem(None)

    def record(self, changes: Iterable[Change], what: str) -> None:
        """Append one edit: the new value of every span, document and label it touched."""
        entries = [entry(c) for c in changes]
        if not entries:
            return
        self.seq += 1
        self._pending.append(
            _line({"seq": self.seq, "time": _now(), "what": what, "changes": entries})
        )
        self._flush()

    def sync(self) -> None:
        """fsync what was appended (autosave calls it; it may run on the writer thread)."""
        fd = self._fd
        if fd is not None:
            with contextlib.suppress(OSError):  # closed meanwhile: nothing to sync
                os.fsync(fd)

    def saved_through(self, seq: int) -> None:
        """The project file now holds every edit up to ``seq``."""
        self.saved_seq = max(self.saved_seq, seq)
        if self._fd is None and not self._pending:
            return
        if self.saved_seq >= self.seq:
            self.discard()
        else:
            self._pending.append(_line({"saved": self.saved_seq}))
            self._flush()

    def discard(self) -> None:
        """Close and delete the journal: everything in it is saved.

        Never raises: a journal that cannot be deleted (a read-only folder) holds only
        edits the project file has, and the next open finds nothing in it to restore.
        """
        self._pending.clear()
        self._partial = False
        had_file = self._started
        self.close()
        self._started = False  # a later edit starts a fresh journal
        if had_file:
            with contextlib.suppress(OSError):
                self.path.unlink(missing_ok=True)
        # ``failed`` stays: only a write that works says the journal works again (else
        # every autosave would end the problem and the next edit would announce it anew)

    def close(self) -> None:
        """Close the file (one last try at what is pending); the journal stays on disk."""
        if self._pending and self._fd is not None:
            self._flush()
        if self._fd is not None:
            with contextlib.suppress(OSError):
                os.close(self._fd)
            self._fd = None

    def __del__(self) -> None:
        # Dropped without close (a window deleted while it refused to close): the file
        # stays on disk, as after a crash, and is offered for recovery next time.
        with contextlib.suppress(Exception):
            self.close()


# Valid in JSON, but line breaks to str.splitlines(): escaped, so that any reader of
# the journal sees one record a line (the reader here splits on "\n" only anyway).
_LINE_BREAKS = str.maketrans({"\u2028": "\\u2028", "\u2029": "\\u2029", "\x85": "\\u0085"})


def _line(record: dict[str, Any]) -> bytes:
    return json.dumps(record, ensure_ascii=False).translate(_LINE_BREAKS).encode("utf-8") + b"\n"


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


# --- recovery ---------------------------------------------------------------------------


@dataclass(frozen=True)
class JournalEdit:
    seq: int
    time: str
    what: str
    values: list[tuple[str, str, Span | None]]  # document id, span id, value (None: gone)
    infos: list[tuple[str, DocumentInfo | None]] = field(default_factory=list)  # None: gone
    labels: list[tuple[str, Label | None]] = field(default_factory=list)  # None: gone


@dataclass
class JournalContents:
    path: Path
    edits: list[JournalEdit] = field(default_factory=list)  # every edit, in order
    saved_seq: int = 0  # the last save the journal knew of covered edits up to this one
    problems: list[str] = field(default_factory=list)
    skipped: int = 0  # lines that could not be read: the edits they held may be lost

    @property
    def unsaved(self) -> list[JournalEdit]:
        return [e for e in self.edits if e.seq > self.saved_seq]


def read_journal(root: Path) -> JournalContents | None:
    """The journal left in ``root``, or None if there is none.

    A line cut short by a kill is skipped and reported; so is any line that does not
    parse, and reading goes on with the next one.
    """
    path = journal_path(root)
    try:
        raw = path.read_bytes()
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


def _reason(exc: Exception) -> str:
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return text if len(text) <= 200 else text[:199] + "…"


def entry(change: Change) -> dict[str, Any]:
    """One change as a journal entry: what the span, document or label *is now*."""
    if isinstance(change, SpanChange):
        value = None if change.after is None else span_to_json(change.after)
        return {"document": change.document_id, "span": change.span_id, "value": value}
    if isinstance(change, DocumentChange):
        info = change.after
        return {
            "document": change.document_id,
            "info": None
            if info is None
            else {
                "title": info.title,
                "source": info.source,
                "path": info.path,
                "meta": dict(info.meta),
            },
        }
    label = change.after
    return {"label": change.name, "value": None if label is None else label.model_dump()}


def _migrate(version: int, record: dict[str, Any]) -> dict[str, Any]:
    """An edit record of ``version`` brought to :data:`JOURNAL_VERSION`, a step a version.

    1 → 2: entries were all span entries, written exactly as version 2 writes them.
    """
    if version > JOURNAL_VERSION:
        raise ValueError(f"written by a newer Annotator (journal version {version})")
    while version < JOURNAL_VERSION:
        record = _STEPS[version](record)
        version += 1
    return record


_STEPS = {1: lambda record: record}


def _edit(record: dict[str, Any]) -> JournalEdit:
    values: list[tuple[str, str, Span | None]] = []
    infos: list[tuple[str, DocumentInfo | None]] = []
    labels: list[tuple[str, Label | None]] = []
    for item in record["changes"]:
        if "label" in item:
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
                    ),
                )
            )
        else:
            value = item["value"]
            span = None if value is None else span_from_json(value)
            values.append((str(item["document"]), str(item["span"]), span))
    when, what = str(record.get("time", "")), str(record["what"])
    return JournalEdit(int(record["seq"]), when, what, values, infos, labels)


def recovery_changes(
    project: Project, edits: Iterable[JournalEdit]
) -> tuple[tuple[Change, ...], list[str]]:
    """What replaying ``edits`` would change in ``project``, as changes, and problems.

    Only labels, documents and spans whose final value differs from the project's are
    included, so a journal whose edits all reached the file yields nothing. A document
    the journal added (an import) whose article file the last open took in as a new
    article of its own is put back under its id, in place of that stand-in.
    """
    final: dict[tuple[str, str], Span | None] = {}
    infos: dict[str, DocumentInfo | None] = {}
    labels: dict[str, Label | None] = {}
    problems: list[str] = []
    for edit in edits:
        for doc_id, span_id, value in edit.values:
            final[(doc_id, span_id)] = value
        for doc_id, info in edit.infos:
            infos[doc_id] = info
        for name, label in edit.labels:
            labels[name] = label
    first: list[Change] = []  # labels and documents the spans need
    last: list[Change] = []  # documents and labels that go, once their spans have
    for name, label in labels.items():
        now = project.label(name)
        if now != label:
            (first if label is not None else last).append(LabelChange(name, now, label))
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
    return (*first, *changes, *last), problems


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
        elif (now.title, now.source) != (info.title, info.source):
            renamed = dataclasses.replace(now, title=info.title, source=info.source)
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
