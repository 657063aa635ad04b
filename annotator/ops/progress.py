"""A corpus as a queue of work: marking documents done (or reopening them), the next
document to work on, each annotator's progress, and giving documents to annotators.

Qt-free; the window and ``annotator progress`` / ``annotator assign`` call these. A
status belongs to one annotator (:func:`who`): the window's or the command's, or
``gold`` for an adjudicator (see :mod:`annotator.core.work`).
"""

from __future__ import annotations

import dataclasses
import io
import json
import random
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass

from annotator.core.cells import CsvWriter
from annotator.core.changes import (
    Changes,
    DocumentChange,
    DocumentInfo,
    RelationChange,
    SpanChange,
    StatusChange,
)
from annotator.core.commands import Batch
from annotator.core.models import MANUAL
from annotator.core.names import check_name
from annotator.core.project import Project
from annotator.core.wording import count
from annotator.core.work import GOLD, UNSIGNED, DocStatus

PROGRESS_FORMATS = ("table", "json", "csv")


def who(project: Project, *, gold: bool = False) -> str:
    """Whose status the window or a command says: the gold layer's, or the annotator's."""
    return GOLD if gold else (project.annotator or UNSIGNED)


def set_status(
    project: Project, documents: Iterable[str], annotator: str, status: DocStatus
) -> Batch | None:
    """One undoable step saying ``status`` of ``documents`` for ``annotator``; None when
    every one has it already."""
    changes = tuple(
        StatusChange(doc, annotator, before, status)
        for doc in dict.fromkeys(documents)
        if (before := project.work.status(annotator, doc)) != status
    )
    if not changes:
        return None
    if status == "done":
        text = f"mark {count(len(changes), 'document')} done"
    else:
        text = f"reopen {count(len(changes), 'document')}"
    return Batch(text, changes)


def mark_done(project: Project, documents: Iterable[str], annotator: str) -> Batch | None:
    return set_status(project, documents, annotator, "done")


def reopen(project: Project, documents: Iterable[str], annotator: str) -> Batch | None:
    """Those of ``documents`` marked done back to in progress (the work in them stays);
    None when none is done."""
    done = [d for d in documents if project.work.status(annotator, d) == "done"]
    return set_status(project, done, annotator, "in_progress")


def queue(project: Project, annotator: str) -> list[str]:
    """The documents in the order ``annotator`` works through them: theirs (assigned)
    first, then the others, each in project order."""
    mine = [d.id for d in project.documents if annotator in d.assigned]
    others = [d.id for d in project.documents if annotator not in d.assigned]
    return mine + others


def step(
    project: Project,
    annotator: str,
    current: str | None,
    forward: bool = True,
    *,
    not_done: bool = False,
    skip: Sequence[str] = (),
) -> str | None:
    """The document after (or before) ``current`` in ``annotator``'s queue, going round;
    with ``not_done`` the next one they have not marked done; never one in ``skip``
    (shown in another pane). None when there is none."""
    order = queue(project, annotator)
    if not order:
        return None
    if not forward:
        order.reverse()
    start = order.index(current) + 1 if current in order else 0
    for doc in order[start:] + order[:start]:
        if doc == current or doc in skip:
            continue
        if not_done and project.work.status(annotator, doc) == "done":
            continue
        return doc
    return None


def begun_in(changes: Changes) -> list[str]:
    """The documents a person worked in by these changes: a span or relation they made,
    or one they changed or removed (a review decision, a relabel). What an import or an
    extractor adds is nobody's work yet."""
    docs: list[str] = []
    for change in changes:
        if isinstance(change, SpanChange | RelationChange):
            made = change.after is not None and change.after.origin == MANUAL
            if made or change.before is not None:
                docs.extend(
                    change.document_ids
                    if isinstance(change, RelationChange)
                    else (change.document_id,)
                )
    return list(dict.fromkeys(docs))


@dataclass(frozen=True)
class AnnotatorProgress:
    """One annotator's progress (``of``: their documents, the assigned ones if any)."""

    annotator: str
    of: int
    done: int
    in_progress: int
    new: int
    seconds: float
    decisions: int
    accepted: int
    quick: int
    decision_seconds: float

    @property
    def accept_rate(self) -> float | None:
        return self.accepted / self.decisions if self.decisions else None

    @property
    def quick_share(self) -> float | None:
        return self.quick / self.decisions if self.decisions else None

    @property
    def seconds_per_decision(self) -> float | None:
        return self.decision_seconds / self.decisions if self.decisions else None


def annotators(project: Project) -> list[str]:
    """Everyone whose progress there is to show: who worked, who has a layer, who was
    given documents, and who is working now."""
    names = {*project.work.annotators(), *project.layer_files}
    for doc in project.documents:
        names.update(doc.assigned)
    if project.annotator:
        names.add(project.annotator)
    return sorted(names - {UNSIGNED}, key=lambda n: (n == GOLD, n.casefold()))


def progress_of(project: Project, annotator: str) -> AnnotatorProgress:
    """``annotator``'s progress over their documents (assigned ones, else all)."""
    docs = [d.id for d in project.documents if annotator in d.assigned]
    if not docs:
        docs = [d.id for d in project.documents]
    statuses = {"new": 0, "in_progress": 0, "done": 0}
    for doc in docs:
        statuses[project.work.status(annotator, doc)] += 1
    records = project.work.of(annotator).values()  # time and decisions wherever spent
    return AnnotatorProgress(
        annotator or "(nobody named)",
        len(docs),
        statuses["done"],
        statuses["in_progress"],
        statuses["new"],
        sum(r.seconds for r in records),
        sum(r.decisions for r in records),
        sum(r.accepted for r in records),
        sum(r.quick for r in records),
        sum(r.decision_seconds for r in records),
    )


def progress(project: Project) -> list[AnnotatorProgress]:
    names = annotators(project) or [who(project)]
    return [progress_of(project, name) for name in names]


def summary_line(project: Project, annotator: str) -> str:
    """``37 of 500 done`` for the status bar."""
    mine = progress_of(project, annotator)
    return f"{mine.done:,} of {mine.of:,} done"


def _duration(seconds: float) -> str:
    minutes = int(seconds // 60)
    if minutes >= 60:
        return f"{minutes // 60}h {minutes % 60:02d}m"
    return f"{minutes}m {int(seconds % 60):02d}s"


def _share(value: float | None) -> str:
    return "—" if value is None else f"{value:.0%}"


COLUMNS = (
    "annotator",
    "done",
    "in progress",
    "new",
    "of",
    "time",
    "decisions",
    "accepted",
    "under 1 s",
    "s per decision",
)


def rows(report: list[AnnotatorProgress]) -> list[list[str]]:
    """The report as the window's table and the text table show it."""
    out = []
    for p in report:
        per = p.seconds_per_decision
        out.append(
            [
                p.annotator,
                f"{p.done:,}",
                f"{p.in_progress:,}",
                f"{p.new:,}",
                f"{p.of:,}",
                _duration(p.seconds),
                f"{p.decisions:,}",
                _share(p.accept_rate),
                _share(p.quick_share),
                "—" if per is None else f"{per:.1f}",
            ]
        )
    return out


def render(report: list[AnnotatorProgress], fmt: str, *, raw_csv: bool = False) -> str:
    """``table`` (aligned text), ``json`` or ``csv``."""
    if fmt == "json":
        data = [
            {
                **asdict(p),
                "seconds": round(p.seconds, 1),
                "decision_seconds": round(p.decision_seconds, 1),
                "accept_rate": p.accept_rate,
                "quick_share": p.quick_share,
            }
            for p in report
        ]
        return json.dumps({"annotators": data}, ensure_ascii=False, indent=1) + "\n"
    if fmt == "csv":
        out = io.StringIO()
        writer = CsvWriter(out, raw=raw_csv)
        fields = list(asdict(report[0])) if report else ["annotator"]
        writer.writerow(fields)
        for p in report:
            writer.writerow([str(v) for v in asdict(p).values()])
        return out.getvalue()
    if fmt != "table":
        raise ValueError(f"unknown format {fmt!r}; one of {', '.join(PROGRESS_FORMATS)}")
    table = [list(COLUMNS), *rows(report)]
    widths = [max(len(r[i]) for r in table) for i in range(len(COLUMNS))]
    lines = []
    for r in table:
        cells = [c.rjust(w) for c, w in zip(r, widths, strict=True)]
        cells[0] = r[0].ljust(widths[0])  # names to the left, numbers to the right
        lines.append("  ".join(cells))
    return "\n".join(line.rstrip() for line in lines) + "\n"


def assign(project: Project, names: Sequence[str], overlap: float = 0.0, seed: int = 0) -> Batch:
    """Give each of ``names`` a share of the documents, one undo step: a fraction
    ``overlap`` of them (chosen by ``seed``) goes to everyone, so that every pair of
    annotators shares those (agreement is measured on them); the rest is dealt out in
    turn, so the shares differ by one document at most. ValueError for a bad request."""
    people = list(dict.fromkeys(n.strip() for n in names if n.strip()))
    if not people:
        raise ValueError("name at least one annotator (--annotators A,B,C)")
    for name in people:
        try:
            check_name(name)
        except ValueError as exc:
            raise ValueError(f"the annotator name {name!r} is refused: {exc}") from None
    if not 0.0 <= overlap <= 1.0:
        raise ValueError(f"--overlap {overlap} is not between 0 and 1")
    ids = [d.id for d in project.documents]
    if not ids:
        raise ValueError("the project has no documents to give")
    shuffled = list(ids)
    random.Random(seed).shuffle(shuffled)
    shared = round(len(ids) * overlap) if len(people) > 1 else 0
    given: dict[str, list[str]] = {doc_id: list(people) for doc_id in shuffled[:shared]}
    for i, doc_id in enumerate(shuffled[shared:]):
        given[doc_id] = [people[i % len(people)]]
    changes = []
    for doc in project.documents:
        before = DocumentInfo.of(doc)
        after = dataclasses.replace(before, assigned=tuple(given[doc.id]))
        if after != before:
            changes.append(DocumentChange(doc.id, before, after))
    return Batch(
        f"assign {count(len(ids), 'document')} to {count(len(people), 'annotator')}",
        tuple(changes),
    )


def assignment_summary(project: Project) -> str:
    """``ann 12, bob 12; 5 shared by all``."""
    per: dict[str, int] = {}
    everyone = 0
    names: set[str] = set()
    for doc in project.documents:
        names.update(doc.assigned)
    for doc in project.documents:
        for name in doc.assigned:
            per[name] = per.get(name, 0) + 1
        if len(names) > 1 and set(doc.assigned) == names:
            everyone += 1
    shown = ", ".join(f"{n} {c}" for n, c in sorted(per.items()))
    return f"{shown}; {count(everyone, 'document')} shared by all" if len(names) > 1 else shown
