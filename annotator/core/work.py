"""What each annotator has done of each document: its **document status** (``new``,
``in_progress``, ``done``), the active time spent on it and the review decisions made
in it, per annotator.

A status is said by a person: ``done`` by a command (one undo step, journalled, a
:class:`~annotator.core.changes.StatusChange`), ``in_progress`` by the first edit an
annotator makes in a document (kept, not undone: the work happened). Time and review
decisions are counted as they happen (:meth:`WorkBook.add_time`,
:meth:`WorkBook.add_decision`) and never undone either.

The gold layer's status is kept under :data:`GOLD` (a name no annotator can have):
an adjudicator who says a document is done says its gold is finished. Records are
immutable and replaced on every change, so a save can tell an annotator's unchanged
work by identity (as it does spans).

Qt-free; stored in ``annotator.json`` (``"work"``) and, in a team project, in each
annotator's layer file (:mod:`annotator.io.layers`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Literal

from annotator.core.names import GOLD as GOLD  # the gold layer's key: no annotator's name

DocStatus = Literal["new", "in_progress", "done"]
DOC_STATUSES: tuple[DocStatus, ...] = ("new", "in_progress", "done")
STATUS_NAMES = {"new": "new", "in_progress": "in progress", "done": "done"}
UNSIGNED = ""  # work of nobody named
IDLE_AFTER = 120.0  # seconds without a key or a click stop the clock
QUICK_DECISION = 1.0  # a review decision quicker than this (seconds) counts as quick


@dataclass(frozen=True)
class WorkRecord:
    """One annotator's work on one document."""

    status: DocStatus = "new"
    done_at: str | None = None  # when it was marked done (ISO 8601, UTC)
    seconds: float = 0.0  # active time
    decisions: int = 0  # review decisions (accept or reject of a suggestion)
    accepted: int = 0  # of which accepts
    quick: int = 0  # of which quicker than QUICK_DECISION
    decision_seconds: float = 0.0  # time the decisions took, in all

    def to_json(self) -> dict[str, Any]:
        raw: dict[str, Any] = {"status": self.status}
        if self.done_at:
            raw["done_at"] = self.done_at
        if self.seconds:
            raw["seconds"] = round(self.seconds, 3)
        if self.decisions:
            raw["decisions"] = {
                "count": self.decisions,
                "accepted": self.accepted,
                "quick": self.quick,
                "seconds": round(self.decision_seconds, 3),
            }
        return raw

    @classmethod
    def from_json(cls, raw: object) -> WorkRecord:
        """A record from the file; ValueError naming what is wrong."""
        if not isinstance(raw, dict):
            raise ValueError("not an object")
        status = raw.get("status", "new")
        if status not in DOC_STATUSES:
            raise ValueError(f"status {status!r} is not one of {', '.join(DOC_STATUSES)}")
        done_at = raw.get("done_at")
        if done_at is not None and not isinstance(done_at, str):
            raise ValueError("done_at is not a string")
        decisions = raw.get("decisions", {})
        if not isinstance(decisions, dict):
            raise ValueError("decisions is not an object")
        numbers = {
            "seconds": raw.get("seconds", 0.0),
            "decisions": decisions.get("count", 0),
            "accepted": decisions.get("accepted", 0),
            "quick": decisions.get("quick", 0),
            "decision_seconds": decisions.get("seconds", 0.0),
        }
        for name, value in numbers.items():
            if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
                raise ValueError(f"{name} is not a number of 0 or more")
        return cls(
            status,
            done_at,
            float(numbers["seconds"]),
            int(numbers["decisions"]),
            int(numbers["accepted"]),
            int(numbers["quick"]),
            float(numbers["decision_seconds"]),
        )


NEW = WorkRecord()


def now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class WorkBook:
    """Every annotator's :class:`WorkRecord` per document (absent: new, nothing spent)."""

    def __init__(self) -> None:
        self._by: dict[str, dict[str, WorkRecord]] = {}
        # records a file held that could not be read: written back as they were
        self.kept: dict[str, dict[str, Any]] = {}

    def record(self, annotator: str, document: str) -> WorkRecord:
        return self._by.get(annotator, {}).get(document, NEW)

    def status(self, annotator: str, document: str) -> DocStatus:
        return self.record(annotator, document).status

    def put(self, annotator: str, document: str, record: WorkRecord) -> None:
        if record == NEW:
            mine = self._by.get(annotator)
            if mine is not None:
                mine.pop(document, None)
                if not mine:
                    del self._by[annotator]
            return
        self._by.setdefault(annotator, {})[document] = record

    def set_status(self, annotator: str, document: str, status: DocStatus) -> None:
        before = self.record(annotator, document)
        done_at = (before.done_at or now_iso()) if status == "done" else None
        self.put(annotator, document, dataclasses.replace(before, status=status, done_at=done_at))

    def started(self, annotator: str, document: str) -> bool:
        """Note an annotator's edit in a document: new becomes in progress. True if it did."""
        if self.status(annotator, document) != "new":
            return False
        self.set_status(annotator, document, "in_progress")
        return True

    def add_time(self, annotator: str, document: str, seconds: float) -> None:
        before = self.record(annotator, document)
        self.put(annotator, document, dataclasses.replace(before, seconds=before.seconds + seconds))

    def add_decision(self, annotator: str, document: str, seconds: float, accepted: bool) -> None:
        before = self.record(annotator, document)
        self.put(
            annotator,
            document,
            dataclasses.replace(
                before,
                decisions=before.decisions + 1,
                accepted=before.accepted + int(accepted),
                quick=before.quick + int(seconds < QUICK_DECISION),
                decision_seconds=before.decision_seconds + seconds,
            ),
        )

    def annotators(self) -> list[str]:
        return sorted(self._by)

    def of(self, annotator: str) -> dict[str, WorkRecord]:
        """One annotator's records by document (a copy)."""
        return dict(self._by.get(annotator, {}))

    def replace_of(self, annotator: str, records: dict[str, WorkRecord]) -> None:
        """All of one annotator's records at once (as a file holds them)."""
        kept = {d: r for d, r in records.items() if r != NEW}
        if kept:
            self._by[annotator] = kept
        else:
            self._by.pop(annotator, None)

    def done(self, annotator: str) -> set[str]:
        """The documents ``annotator`` marked done."""
        return {d for d, r in self._by.get(annotator, {}).items() if r.status == "done"}

    def done_by(self, layers: Iterable[str] | None) -> set[str]:
        """The documents marked done by any of ``layers`` (annotators, or ``gold``), or
        by anyone when None."""
        names = self.annotators() if layers is None else layers
        return set().union(*(self.done(name) for name in names))

    def overall(self, document: str, layers: Iterable[str] | None = None) -> DocStatus:
        """A document's status over ``layers`` (None: everyone's): done if one of them
        marked it done, in progress if one of them started it, else new."""
        names = self.annotators() if layers is None else list(layers)
        statuses = {self.status(name, document) for name in names}
        if "done" in statuses:
            return "done"
        return "in_progress" if "in_progress" in statuses else "new"

    def items(self) -> Iterator[tuple[str, str, WorkRecord]]:
        for annotator, records in self._by.items():
            for document, record in records.items():
                yield annotator, document, record


def read_work(book: WorkBook, annotator: str, raw: object) -> list[str]:
    """One annotator's records as a file holds them (document id → record) into
    ``book``; a message for each that cannot be read (kept as it was, written back)."""
    who = annotator or "nobody named"
    if raw is None:
        return []
    if not isinstance(raw, dict):
        return [f"the work of {who} is not an object; ignored"]
    records: dict[str, WorkRecord] = {}
    kept: dict[str, Any] = {}
    problems = []
    for document, value in raw.items():
        try:
            records[str(document)] = WorkRecord.from_json(value)
        except ValueError as exc:
            kept[str(document)] = value
            problems.append(f"the work of {who} on document {document}: {exc}; kept as it is")
    book.replace_of(annotator, {**book.of(annotator), **records})
    if kept:
        book.kept.setdefault(annotator, {}).update(kept)
    return problems


def work_json(book: WorkBook, annotator: str, order: Iterable[str]) -> dict[str, Any]:
    """One annotator's records as a file holds them, in document order (stable diffs),
    with those that could not be read as they were."""
    records = book.of(annotator)
    kept = book.kept.get(annotator, {})
    out = {d: records[d].to_json() for d in order if d in records}
    out.update({d: v for d, v in kept.items() if d not in out})
    return out
