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
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import IO, Any

from pydantic import ValidationError

from annotator.core.commands import SpanChange
from annotator.core.models import Span, span_from_json, span_to_json
from annotator.core.project import Project

JOURNAL_NAME = ".annotator.journal"
JOURNAL_VERSION = 1


def journal_path(root: Path) -> Path:
    return root / JOURNAL_NAME


class Journal:
    """Appends edits of one session to the project's journal file."""

    def __init__(self, root: Path) -> None:
        self.path = journal_path(root)
        self._handle: IO[str] | None = None
        self.seq = 0  # number of the last edit written
        self.saved_seq = 0  # the project file holds every edit up to this one
        self.failed: str | None = None  # why the journal could not be written, if it could not

    def _open(self) -> IO[str]:
        if self._handle is None:
            # A previous journal was either restored (and is in the project now) or
            # set aside by the person opening the project: start a fresh one.
            self._handle = open(self.path, "w", encoding="utf-8", newline="\n")  # noqa: SIM115
            self._write({"journal": JOURNAL_VERSION, "started": _now(), "pid": os.getpid()})
        return self._handle

    def _write(self, record: dict[str, Any]) -> None:
        assert self._handle is not None
        self._handle.write(json.dumps(record, ensure_ascii=False) + "\n")
        self._handle.flush()  # in the operating system now: a killed process loses nothing

    def record(self, changes: Iterable[SpanChange], what: str) -> None:
        """Append one edit: the new value of every span it touched."""
        entries = [
            {
                "document": c.document_id,
                "span": c.span_id,
                "value": None if c.after is None else span_to_json(c.after),
            }
            for c in changes
        ]
        if not entries:
            return
        try:
            self._open()
            self.seq += 1
            self._write({"seq": self.seq, "time": _now(), "what": what, "changes": entries})
        except OSError as exc:
            self.failed = f"cannot write the edit journal {self.path}: {exc.strerror or exc}"

    def sync(self) -> None:
        """fsync what was appended (autosave calls it; it may run on the writer thread)."""
        handle = self._handle
        if handle is not None:
            with contextlib.suppress(OSError, ValueError):  # closed meanwhile: nothing to sync
                os.fsync(handle.fileno())

    def saved_through(self, seq: int) -> None:
        """The project file now holds every edit up to ``seq``."""
        self.saved_seq = max(self.saved_seq, seq)
        if self._handle is None:
            return
        try:
            if self.saved_seq >= self.seq:
                self.discard()
            else:
                self._write({"saved": self.saved_seq})
        except OSError as exc:
            self.failed = f"cannot write the edit journal {self.path}: {exc.strerror or exc}"

    def discard(self) -> None:
        """Close and delete the journal: everything in it is saved."""
        self.close()
        self.path.unlink(missing_ok=True)

    def close(self) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None

    def __del__(self) -> None:
        # Dropped without close (a window deleted while it refused to close): the file
        # stays on disk, as after a crash, and is offered for recovery next time.
        with contextlib.suppress(Exception):
            self.close()


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


# --- recovery ---------------------------------------------------------------------------


@dataclass(frozen=True)
class JournalEdit:
    seq: int
    time: str
    what: str
    values: list[tuple[str, str, Span | None]]  # document id, span id, value (None: gone)


@dataclass
class JournalContents:
    path: Path
    edits: list[JournalEdit] = field(default_factory=list)  # every edit, in order
    saved_seq: int = 0  # the last save the journal knew of covered edits up to this one
    problems: list[str] = field(default_factory=list)

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
    lines = raw.decode("utf-8", errors="replace").splitlines()
    cut_short = not raw.endswith(b"\n")
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            if not isinstance(record, dict):
                raise ValueError("not an object")
            if "saved" in record:
                contents.saved_seq = max(contents.saved_seq, int(record["saved"]))
            elif "seq" in record:
                contents.edits.append(_edit(record))
        except (ValueError, TypeError, KeyError, ValidationError) as exc:
            last = number == len(lines) and cut_short
            reason = "cut short by the crash" if last else str(exc).splitlines()[0]
            contents.problems.append(f"{path}, line {number}: skipped ({reason})")
    return contents


def _edit(record: dict[str, Any]) -> JournalEdit:
    values = []
    for entry in record["changes"]:
        value = entry["value"]
        span = None if value is None else span_from_json(value)
        values.append((str(entry["document"]), str(entry["span"]), span))
    return JournalEdit(int(record["seq"]), str(record.get("time", "")), str(record["what"]), values)


def recovery_changes(
    project: Project, edits: Iterable[JournalEdit]
) -> tuple[tuple[SpanChange, ...], list[str]]:
    """What replaying ``edits`` would change in ``project``, as span changes, and problems.

    Only spans whose final value differs from the project's are included, so a
    journal whose edits all reached the file yields nothing.
    """
    final: dict[tuple[str, str], Span | None] = {}
    problems: list[str] = []
    for edit in edits:
        for doc_id, span_id, value in edit.values:
            final[(doc_id, span_id)] = value
    changes = []
    missing: set[str] = set()
    for (doc_id, span_id), value in final.items():
        if not project.has_document(doc_id):
            missing.add(doc_id)
            continue
        doc = project.document(doc_id)
        current = doc.span(span_id) if doc.has_span(span_id) else None
        if value is not None and doc.text[value.start : value.end] != value.text:
            problems.append(f"span {span_id} in {doc_id}: its text is no longer in the article")
            continue
        if current != value:
            changes.append(SpanChange(doc_id, current, value))
    for doc_id in sorted(missing):
        problems.append(f"document {doc_id} is no longer in the project; its edits were skipped")
    return tuple(changes), problems


def set_aside(contents: JournalContents) -> Path:
    """Keep a journal the person chose not to restore, under a name that says so."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = contents.path.with_name(f"{JOURNAL_NAME}.declined-{stamp}")
    os.replace(contents.path, target)
    return target
