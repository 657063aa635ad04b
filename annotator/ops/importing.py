"""An import as one undoable command: its new labels, its new documents (and the article
files it writes for them) and its spans, done and undone together."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
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
from annotator.formats.records import (
    ImportedDocument,
    ImportOptions,
    ImportPlan,
    Record,
    plan_import,
)
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

    def _files(self, project: Project, folders: dict[str, str] | None = None) -> list[File]:
        """Every file the import writes: each new article, and each page or PDF it came
        from (in ``sources/``), at paths that stay inside the project."""
        return [
            *(
                (d.path, _article(project, d.path, folders), encode_article(d.text))
                for d in self.plan.new_documents
            ),
            *(
                (rel, _article(project, rel, folders), data)
                for rel, data in self.plan.originals.items()
            ),
        ]

    def do(self, project: Project) -> Changes:
        files = self._files(project, {})
        for _rel, path, _data in files:
            path.parent.mkdir(parents=True, exist_ok=True)  # sources/ on the first page
        atomic_write_many([(path, data) for _rel, path, data in files])
        return self.batch.do(project)

    def undo(self, project: Project) -> Changes:
        changes = self.batch.undo(project)
        self.kept.clear()
        self.removed.clear()
        for rel, path, data in self._files(project):
            try:
                if path.read_bytes() != data:
                    self.kept.append(rel)  # edited since: not ours to delete
                    continue
                path.unlink()
            except FileNotFoundError:
                continue
            except OSError:
                self.kept.append(rel)
                continue
            self.removed.append(rel)
        return changes

    def undo_note(self) -> str:
        """What undo did with the article files it had written, for the status bar."""
        parts = []
        if self.removed:
            parts.append(f"removed {count(len(self.removed), 'article file')} it had written")
        if self.kept:
            parts.append(f"kept {', '.join(self.kept)} (changed since the import)")
        return ("Undo of the import: " + "; ".join(parts) + ".") if parts else ""


File = tuple[str, Path, bytes]  # as the project names it, where it is, what it holds


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


def plan_articles(
    project: Project,
    paths: list[Path],
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> ImportPlan:
    """Articles (text files, saved web pages, PDFs, or folders of them) as new
    documents, each read by its kind, the way File ▸ Add Articles… adds them; safe on
    a thread. ``progress(done, total)`` after each file; ``cancelled()`` is asked
    before each (True raises :class:`~annotator.core.progress.Cancelled`)."""
    from annotator.core.progress import Cancelled
    from annotator.formats.articles import files_in, read_many

    files = [f for p in paths for f in (files_in(p) if p.is_dir() else [p])]
    root = project.root.resolve()

    def records() -> Iterator[Record]:
        for done, (file, read) in enumerate(read_many(files), start=1):
            if cancelled is not None and cancelled():
                raise Cancelled
            inside = file.resolve().is_relative_to(root)
            for record in read:
                if inside and isinstance(record, ImportedDocument) and record.original:
                    # a page in the project folder stays where it is, named as the original
                    record = replace(record, kept_at=file.resolve().relative_to(root).as_posix())
                yield record
            if progress is not None:
                progress(done, len(files))

    return plan_import(project, records(), ImportOptions(add_documents=True))


def articles_found(plan: ImportPlan) -> str:
    """``2 web pages, 1 PDF and 3 text files``: what the new documents were made from."""
    kinds = Counter(
        "PDF"
        if d.meta.get("original", "").endswith(".pdf")
        else "web page"
        if d.meta.get("original")
        else "text file"
        for d in plan.new_documents
    )
    parts = [count(n, kind) for kind, n in kinds.most_common()]
    return ", ".join(parts[:-1]) + (" and " if len(parts) > 1 else "") + parts[-1] if parts else ""


def summary(plan: ImportPlan, options: ImportOptions) -> str:
    """``imported 3 spans into 2 documents and 1 new document (1 already there)``; for
    articles only, ``added 2 articles from 1 web page and 1 PDF``."""
    problems = f"; skipped {len(plan.problems)} with problems" if plan.problems else ""
    already = (
        f"; {count(len(plan.already), 'article')} in the project already" if plan.already else ""
    )
    from_pages = any("original" in d.meta for d in plan.new_documents)
    if not plan.batch.changes and (from_pages or plan.already):
        found = f" from {articles_found(plan)}" if plan.new_documents else ""
        return f"added {count(len(plan.new_documents), 'article')}{found}{already}{problems}"
    kind = "suggestion" if options.as_suggestions else "span"
    relations = f" and {count(plan.relation_count, 'relation')}" if plan.relation_count else ""
    return (
        f"imported {count(plan.span_count, kind)}{relations} into "
        f"{count(plan.documents_matched, 'document')}"
        + (f" and {count(len(plan.new_documents), 'new document')}" if plan.new_documents else "")
        + (f" ({plan.skipped_known} already there)" if plan.skipped_known else "")
        + already
        + problems
    )
