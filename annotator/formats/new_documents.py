"""Which project document an imported record is, and the new document (its id, its
article's file name, and for a page or PDF the file it came from) when it is none.

Every name written here is derived, never taken: a file name is made of the id's
letters, digits and ``-_.`` (:func:`safe_file_name`), and an original page is kept as
``sources/`` plus its article's file name with the page's own suffix.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from annotator.core.project import Document, Project
from annotator.core.text import text_hash

if TYPE_CHECKING:
    from typing import Protocol

    class ImportedDocument(Protocol):  # what is read here of formats.records' record
        @property
        def id(self) -> str | None: ...
        @property
        def name(self) -> str: ...
        @property
        def text(self) -> str: ...
        @property
        def title(self) -> str: ...
        @property
        def source(self) -> str: ...
        @property
        def meta(self) -> dict[str, str]: ...
        @property
        def original(self) -> bytes | None: ...
        @property
        def kept_at(self) -> str: ...


from annotator.io.paths import SOURCES_DIR

ORIGINAL = "original"  # the meta key naming a document's original file
ADDRESS = "url"  # the meta key of a page's canonical address
ORIGINAL_SUFFIXES = (".html", ".htm", ".mhtml", ".mht", ".pdf")


def match_document(project: Project, record: ImportedDocument) -> tuple[Document | None, str]:
    """The project's document for a record, and why: the same id, else the same
    address (a page), else the same text."""
    if record.id is not None and project.has_document(record.id):
        return project.document(record.id), "same id"
    address = record.meta.get(ADDRESS)
    if address:
        for doc in project.documents:
            if doc.meta.get(ADDRESS) == address:
                return doc, f"same address, {address}"
    if not record.text:
        return None, ""  # no text to match by (predictions that name their document by id)
    digest = text_hash(record.text)
    for doc in project.documents:
        if doc.text_hash == digest:
            return doc, "same text"
    return None, ""


def safe_file_name(doc_id: str, taken: set[str]) -> str:
    """A file name for a document id: letters, digits, ``-_.`` only; unique in ``taken``."""
    stem = re.sub(r"[^\w.-]+", "_", doc_id, flags=re.ASCII).strip("._") or "document"
    stem = stem[:80]
    name = f"{stem}.txt"
    n = 2
    while name.lower() in taken:
        name = f"{stem}-{n}.txt"
        n += 1
    taken.add(name.lower())
    return name


def new_document(
    record: ImportedDocument,
    taken_ids: set[str],
    taken_files: set[str],
    originals: dict[str, bytes],
) -> Document:
    """A new document for ``record``: an id and a file name no other document has
    (``taken_ids`` and ``taken_files`` grow with each one). A page's or PDF's bytes go
    into ``originals`` under the path its ``meta["original"]`` names."""
    base = record.id or _id_from_name(record.name) or f"imported-{len(taken_ids) + 1}"
    doc_id = base
    n = 2
    while doc_id in taken_ids:
        doc_id = f"{base}-{n}"
        n += 1
    taken_ids.add(doc_id)
    path = safe_file_name(doc_id, taken_files)
    taken_files.add(doc_id.lower() + ".txt")
    meta = dict(record.meta)
    if record.kept_at:
        meta[ORIGINAL] = record.kept_at
    elif record.original is not None:
        suffix = "." + record.name.rsplit(".", 1)[-1].lower() if "." in record.name else ""
        suffix = suffix if suffix in ORIGINAL_SUFFIXES else ".orig"
        kept = f"{SOURCES_DIR}/{path[: -len('.txt')]}{suffix}"
        originals[kept] = record.original
        meta[ORIGINAL] = kept
    return Document(
        id=doc_id, path=path, text=record.text, title=record.title, source=record.source, meta=meta
    )


def _id_from_name(name: str) -> str:
    """``Harbour wall — Gazette.html`` → ``Harbour-wall-Gazette``: the file's stem in
    letters, digits and ``-_.``, at most 60 characters."""
    stem = name.rsplit(".", 1)[0] if "." in name else name
    return re.sub(r"[^\w.]+", "-", stem).strip("-._")[:60]
