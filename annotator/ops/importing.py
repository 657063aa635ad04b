"""An import as one undoable command: its new labels, its new documents (and the article
files it writes for them) and its spans, done and undone together."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from pathlib import Path

from annotator.core.changes import (
    Changes,
    DocumentChange,
    DocumentInfo,
    LabelChange,
    RelationTypeChange,
)
from annotator.core.commands import Batch
from annotator.core.models import Label, RelationType
from annotator.core.project import Project
from annotator.core.text import encode_article
from annotator.core.wording import count
from annotator.formats import FORMATS, Reader
from annotator.formats.records import ImportOptions, ImportPlan, plan_import
from annotator.io.atomic import atomic_write_many
from annotator.io.definitions import UNKNOWN_LABEL_COLOR
from annotator.io.paths import safe_article_path


@dataclass
class ImportCommand:
    """Apply an :class:`ImportPlan`: labels, then documents, then spans, as one step.

    ``do`` writes each new document's article into the project folder (atomically,
    under a name made from its id) before the project refers to it. ``undo`` takes
    back the spans, documents and labels, and deletes the article files it wrote,
    unless one was changed since (then it is left where it is and named in
    :attr:`kept`). Redo writes them again from the text it holds.
    """

    plan: ImportPlan
    batch: Batch = field(init=False)
    kept: list[str] = field(default_factory=list)  # article files undo left alone
    removed: list[str] = field(default_factory=list)  # article files undo deleted

    def __post_init__(self) -> None:
        labels = tuple(
            LabelChange(name, None, Label(name=name, color=UNKNOWN_LABEL_COLOR))
            for name in self.plan.new_labels
        )
        documents = tuple(
            DocumentChange(doc.id, None, DocumentInfo.of(doc, with_text=True))
            for doc in self.plan.new_documents
        )
        kinds = tuple(
            RelationTypeChange(
                name,
                None,
                RelationType(name=name, color=UNKNOWN_LABEL_COLOR, across_documents=True),
            )
            for name in self.plan.new_relation_types
        )
        spans = self.plan.batch.changes  # spans, then relations and links
        self.batch = Batch(self.plan.batch.text, (*labels, *kinds, *documents, *spans))

    @property
    def description(self) -> str:
        return self.batch.description

    def do(self, project: Project) -> Changes:
        folders: dict[str, str] = {}  # each folder's real path, found once
        atomic_write_many(
            [
                (_article(project, d.path, folders), encode_article(d.text))
                for d in self.plan.new_documents
            ]
        )
        return self.batch.do(project)

    def undo(self, project: Project) -> Changes:
        changes = self.batch.undo(project)
        self.kept.clear()
        self.removed.clear()
        for doc in self.plan.new_documents:
            path = _article(project, doc.path)
            try:
                if path.read_bytes() != encode_article(doc.text):
                    self.kept.append(doc.path)  # edited since: not ours to delete
                    continue
                path.unlink()
            except FileNotFoundError:
                continue
            except OSError:
                self.kept.append(doc.path)
                continue
            self.removed.append(doc.path)
        return changes

    def undo_note(self) -> str:
        """What undo did with the article files it had written, for the status bar."""
        parts = []
        if self.removed:
            parts.append(f"removed {count(len(self.removed), 'article file')} it had written")
        if self.kept:
            parts.append(f"kept {', '.join(self.kept)} (changed since the import)")
        return ("Undo of the import: " + "; ".join(parts) + ".") if parts else ""


def _article(project: Project, relative: str, folders: dict[str, str] | None = None) -> Path:
    return safe_article_path(project.root, relative, folders)


def apply_import(project: Project, plan: ImportPlan) -> ImportCommand:
    """Apply a whole plan outside the window (the command line), as the window would."""
    from annotator.core.history import History

    command = ImportCommand(plan)
    History(project).execute(command)
    return command


def reader_for(fmt_name: str, path: Path) -> Reader:
    """The reader of format ``fmt_name`` for ``path`` (a file, or a folder for formats
    that write one); ValueError with a message when the two do not go together."""
    fmt = FORMATS.get(fmt_name)
    if fmt is None or fmt.read is None:
        readable = ", ".join(f.name for f in FORMATS.values() if f.read)
        raise ValueError(f"cannot import {fmt_name!r}; importable: {readable}")
    if not path.exists():
        raise ValueError(f"{path}: no such file or folder")
    if path.is_dir() and not fmt.folder:
        raise ValueError(f"{path} is a folder; {fmt.name} imports from a file")
    return fmt.read


def plan_file(project: Project, fmt_name: str, path: Path, options: ImportOptions) -> ImportPlan:
    """Read ``path`` and check every record against the project; nothing changes yet
    (safe on a thread). ValueError as :func:`reader_for`; OSError when it cannot be read."""
    return plan_import(project, reader_for(fmt_name, path)(path), options)


def plan_articles(project: Project, paths: list[Path]) -> ImportPlan:
    """Articles (``.txt``/``.md`` files or folders of them) as new documents, the way
    File ▸ Add Articles… adds them; safe on a thread."""
    reader = reader_for("text", paths[0]) if paths else None
    records = itertools.chain.from_iterable(reader(p) for p in paths) if reader else iter(())
    return plan_import(project, records, ImportOptions(add_documents=True))


def summary(plan: ImportPlan, options: ImportOptions) -> str:
    """``imported 3 spans into 2 documents and 1 new document (1 already there)``."""
    kind = "suggestion" if options.as_suggestions else "span"
    relations = f" and {count(plan.relation_count, 'relation')}" if plan.relation_count else ""
    return (
        f"imported {count(plan.span_count, kind)}{relations} into "
        f"{count(plan.documents_matched, 'document')}"
        + (f" and {count(len(plan.new_documents), 'new document')}" if plan.new_documents else "")
        + (f" ({plan.skipped_known} already there)" if plan.skipped_known else "")
        + (f"; skipped {len(plan.problems)} with problems" if plan.problems else "")
    )
