"""Articles of every kind a person brings: plain text, saved web pages, PDFs.

A folder given to any of the three article formats (``text``, ``html``, ``pdf``) is
read whole: every file of a kind Annotator reads becomes an article, whatever the
format named, so a folder of mixed downloads is never half taken in silence. A
browser's ``NAME_files/`` folder (the page's images and scripts), hidden files and a
project's own ``sources/`` and ``annotations/`` folders are passed over.

A single file must be of the kind its format reads: markup given as text, or a PDF
given as a web page, is refused with the format to use.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

from annotator.formats.records import ImportedDocument, Record, RecordProblem
from annotator.io.layers import LAYERS_DIR
from annotator.io.paths import SOURCES_DIR

TEXT_SUFFIXES = (".txt", ".md")
PAGE_SUFFIXES = (".html", ".htm", ".xhtml", ".mhtml", ".mht")
PDF_SUFFIXES = (".pdf",)
ALL_SUFFIXES = TEXT_SUFFIXES + PAGE_SUFFIXES + PDF_SUFFIXES
_PASSED_OVER = {SOURCES_DIR, LAYERS_DIR}  # a project's kept pages and layer files


def reader(
    kind: str, read_one: Callable[[Path], Iterator[Record]]
) -> Callable[[Path], Iterator[Record]]:
    """The ``read`` of an article format: a folder is read whole (every kind), a
    single file only if it is of ``kind`` (else a problem naming the format to use)."""

    def read(path: Path) -> Iterator[Record]:
        if path.is_dir():
            yield from read_folder(path)
            return
        problem = wrong_kind(path, kind)
        yield from [problem] if problem is not None else read_one(path)

    return read


def kind_of(name: str, head: bytes = b"") -> str | None:
    """``text``, ``html`` or ``pdf`` by the file's suffix, else by its first bytes."""
    suffix = os.path.splitext(name)[1].lower()
    if suffix in PDF_SUFFIXES or head.startswith(b"%PDF-"):
        return "pdf"
    if suffix in PAGE_SUFFIXES or _looks_like_markup(head):
        return "html"
    if suffix in TEXT_SUFFIXES:
        return "text"
    return None


def _looks_like_markup(head: bytes) -> bool:
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return start.startswith((b"<!doctype html", b"<html", b"<?xml")) and b"<html" in head.lower()


def wrong_kind(file: Path, wanted: str) -> RecordProblem | None:
    """A problem naming the format to use when ``file`` is not of the kind ``wanted``."""
    with file.open("rb") as handle:
        head = handle.read(4096)
    kind = kind_of(file.name, head)
    if kind == wanted or (wanted == "text" and kind is None):
        return None
    what = {"html": "a web page", "pdf": "a PDF", "text": "plain text"}.get(kind or "", "")
    if kind is None:
        return RecordProblem(
            file.name,
            f"not {_article(wanted)}; articles are .txt, .md, .html, .mhtml or .pdf files",
        )
    return RecordProblem(
        file.name,
        f"this is {what}, not {_article(wanted)}: import it with --format {kind} "
        "(File ▸ Add Articles… tells them apart by itself)",
    )


def _article(kind: str) -> str:
    return {"html": "a web page", "pdf": "a PDF", "text": "plain text"}[kind]


def files_in(folder: Path) -> list[Path]:
    """Every article file under ``folder``, sorted by folder then name."""
    found: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = sorted(
            d
            for d in dirnames
            if not d.startswith((".", "_"))
            and not d.endswith("_files")  # a saved page's images and scripts
            and not (Path(dirpath) == folder and d in _PASSED_OVER)
        )
        found += [
            Path(dirpath) / name
            for name in sorted(filenames)
            if not name.startswith(".") and name.lower().endswith(ALL_SUFFIXES)
        ]
    return found


def read_folder(folder: Path) -> Iterator[Record]:
    """Every article in ``folder``, each read by its own kind."""
    for _file, records in read_many(files_in(folder)):
        yield from records


PARALLEL_FROM = 12  # files; fewer are read here (starting workers costs about a second)


def read_many(files: list[Path]) -> Iterator[tuple[Path, list[Record]]]:
    """Each file with its records, in order. Many pages or PDFs are read by a pool of
    processes, one a processor (extracting a page's text is CPU work: 20 to 130 ms a
    page); a generator closed early (Cancel) stops the pool's remaining work."""
    workers = min(os.cpu_count() or 1, 8)
    if len(files) < PARALLEL_FROM or workers < 2 or getattr(sys, "frozen", False):
        for file in files:
            yield file, read_guarded(file)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # spawned, not forked: the window's process holds Qt and threads
    pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"))
    try:
        yield from zip(files, pool.map(read_guarded, files, chunksize=4), strict=True)
    finally:
        pool.shutdown(wait=False, cancel_futures=True)


def read_guarded(file: Path) -> list[Record]:
    """:func:`read_file`'s records, a problem naming the file for anything it raises."""
    from annotator.formats import guarded

    return list(guarded("article", read_file)(file))


def read_file(file: Path) -> Iterator[ImportedDocument | RecordProblem]:
    """One article file of any kind."""
    with file.open("rb") as handle:
        head = handle.read(4096)
    kind = kind_of(file.name, head)
    if kind == "pdf":
        from annotator.formats.pdf import read_pdf

        yield read_pdf(file)
    elif kind == "html":
        from annotator.formats.webpage import read_page

        yield read_page(file)
    else:
        from annotator.formats.text import read_text

        yield from read_text(file)


# --- the article formats' readers (formats/__init__.py registers them) ------------------


def read_text_files(path: Path) -> Iterator[Record]:
    """``--format text``: the article ``path``, or every article in a folder."""
    from annotator.formats.text import read_text

    yield from reader("text", read_text)(path)


def read_pages(path: Path) -> Iterator[Record]:
    """``--format html``: the saved page ``path``, or every article in a folder."""
    from annotator.formats.webpage import read_page

    yield from reader("html", lambda file: iter([read_page(file)]))(path)


def read_pdfs(path: Path) -> Iterator[Record]:
    """``--format pdf``: the PDF ``path``, or every article in a folder."""
    from annotator.formats.pdf import read_pdf

    yield from reader("pdf", lambda file: iter([read_pdf(file)]))(path)
