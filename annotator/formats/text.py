"""Plain articles: ``.txt``/``.md`` files, one document each, with no spans.

Import takes a file or a folder of them (File ▸ Add Articles…, ``annotator import
PROJECT FOLDER --format text``): each becomes a new document, named by its file, its
text decoded the way the project's own articles are (UTF-8, UTF-16 with a BOM, else
Windows-1252 with a note), and written into the project folder. An article the project
has already (the same id or the same text) is not added twice. Export writes each
document's text as ``ID.txt`` into a folder, byte for byte as the project holds it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from annotator.core.text import decode_article, encode_article, first_line_title, looks_like_id
from annotator.formats.records import ImportedDocument, RecordProblem, safe_file_name
from annotator.io.atomic import atomic_write_bytes
from annotator.io.paths import MAX_ARTICLE_BYTES

if TYPE_CHECKING:
    from annotator.core.project import Project
    from annotator.formats import ExportOptions, ExportResult


def read_text(file: Path) -> Iterator[ImportedDocument | RecordProblem]:
    """One plain-text article."""
    size = file.stat().st_size
    if size > MAX_ARTICLE_BYTES:
        yield RecordProblem(file.name, f"{size / 1e6:.1f} MB; articles up to 10 MB open")
        return
    data = file.read_bytes()
    if b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        yield RecordProblem(file.name, "this looks like a binary file, not text")
        return
    decoded = decode_article(data)
    if not decoded.text.strip():
        yield RecordProblem(file.name, "the file holds no text")
        return
    stem = file.stem
    title = (first_line_title(decoded.text) if looks_like_id(stem) else "") or stem
    yield ImportedDocument(where=file.name, text=decoded.text, id=stem, title=title)


def write(project: Project, output: Path, options: ExportOptions) -> ExportResult:
    from annotator.formats import ExportResult

    result = ExportResult()
    taken: set[str] = set()
    for doc in options.documents_of(project):
        atomic_write_bytes(output / safe_file_name(doc.id, taken), encode_article(doc.text))
        result.documents += 1
    return result
