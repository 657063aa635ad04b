"""The edit journal: every change since the last save, appended as it happens.

A session appends one JSON line per edit (undo and redo included) to
``.annotator.journal`` in the project folder and writes it to the operating system at
once, so a process killed with SIGKILL between two autosaves loses nothing the journal
holds; it is fsynced at every autosave, which also covers power loss up to that tick.
After a save the journal records how far the file is up to date and empties itself
when nothing newer is left.

Each line says what a span, document or label *is now* (its whole value, or that it is
gone), never "add" or "remove". Replaying such assignments is idempotent: whatever mix
of old and new state the project file holds, replaying the journal on top of it gives
the state the session had. Reading a journal back and turning it into the changes a
loaded project lacks is :mod:`annotator.io.recovery`.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Callable, Iterable
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from annotator.core.changes import (
    Change,
    ClusterNameChange,
    DocumentChange,
    RelationChange,
    RelationTypeChange,
    SpanChange,
    StatusChange,
)
from annotator.core.models import (
    relation_to_json,
    span_to_json,
)
from annotator.io.atomic import NO_WAIT

JOURNAL_NAME = ".annotator.journal"
JOURNAL_VERSION = 4
# Version 1 journals held span entries only; version 2 adds document and label entries;
# version 3 relation, relation type and cluster name entries (:func:`_migrate` reads
# every older version, one step at a time).


def journal_path(root: Path) -> Path:
    return root / JOURNAL_NAME


def held_journal_path(root: Path, annotator: str) -> Path:
    """Where the journal of ``annotator``'s session that did not end cleanly waits for
    them when someone else opens the project first: ``.annotator.journal.ann`` (the
    name's layer-file form, from the one gate)."""
    from annotator.core.names import layer_stem

    return root / f"{JOURNAL_NAME}.{layer_stem(annotator)}"


class Journal:
    """Appends edits of one session to the project's journal file.

    Lines are written with ``os.write`` on an unbuffered descriptor: a record is in the
    operating system as soon as :meth:`record` returns. When a write fails (a full
    disk, a folder that went read-only) the records not yet written are kept in memory
    and written with the next edit or tick; ``on_problem`` is told once when writing
    starts failing (with the reason) and once when it works again (with None).
    """

    def __init__(
        self,
        root: Path,
        on_problem: Callable[[str | None], None] | None = None,
        annotator: str | None = None,
    ) -> None:
        self.path = journal_path(root)
        self.annotator = annotator  # whose edits these are: recovery is offered to them
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
                self._fd = os.open(
                    self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND | NO_WAIT, 0o666
                )
                return self._fd
            # A previous journal was either restored (and is in the project now) or
            # set aside by the person opening the project: start a fresh one.
            self._fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | NO_WAIT, 0o666)
            self._started = True
            self._pending.insert(
                0,
                _line(
                    {
                        "journal": JOURNAL_VERSION,
                        "started": _now(),
                        "pid": os.getpid(),
                        **({"annotator": self.annotator} if self.annotator else {}),
                    }
                ),
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

    def set_annotator(self, annotator: str | None) -> None:
        """The person gave (or changed) their name mid-session: a line says so, so that
        after a crash the journal is offered to them under the new name."""
        if annotator == self.annotator:
            return
        self.annotator = annotator
        if self._started and annotator:
            self._pending.append(_line({"annotator": annotator}))
            self._flush()

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
                **({"assigned": list(info.assigned)} if info.assigned else {}),
            },
        }
    if isinstance(change, RelationChange):
        relation = change.after
        return {
            "relation": change.relation_id,
            "value": None if relation is None else relation_to_json(relation),
        }
    if isinstance(change, RelationTypeChange):
        kind = change.after
        return {"relation_type": change.name, "value": None if kind is None else kind.model_dump()}
    if isinstance(change, ClusterNameChange):
        return {"cluster_name": list(change.key), "value": change.after}
    if isinstance(change, StatusChange):
        return {
            "document": change.document_id,
            "status_of": change.annotator,
            "value": change.after,
        }
    label = change.after
    return {"label": change.name, "value": None if label is None else label.model_dump()}
