"""Finding a project and its articles: the project folder for a path the user gave,
the articles in it, paths that stay inside it, and reading one article's text."""

from __future__ import annotations

import errno
import os
import re
import stat
from pathlib import Path

from annotator.core.models import (
    PROJECT_FILE_NAME,
)
from annotator.core.project import Project
from annotator.core.text import decode_article
from annotator.io.atomic import NO_WAIT, read_to_end
from annotator.io.layers import LAYERS_DIR
from annotator.io.report import LoadReport, ProjectError

ARTICLE_SUFFIXES = (".txt", ".md")
# files that become articles by an import (their text extracted), never by themselves
PAGE_SUFFIXES = (".html", ".htm", ".xhtml", ".mhtml", ".mht", ".pdf")
SOURCES_DIR = "sources"  # where an import keeps the pages and PDFs it extracted


MAX_ARTICLE_BYTES = 10_000_000


def project_file(root: Path) -> Path:
    return root / PROJECT_FILE_NAME


def is_project(path: Path) -> bool:
    return project_file(path).is_file()


def resolve_root(path: Path) -> Path:
    """The project folder for a path given by the user (a folder or its annotator.json)."""
    path = path.expanduser()
    if path.is_file() and path.name == PROJECT_FILE_NAME:
        return path.parent.resolve()
    if path.is_dir() and path.name == PROJECT_FILE_NAME:
        path = path.parent  # the project file given, and it is a folder: refused below
    if path.is_dir():
        root = path.resolve()
        _check_project_file(root)
        return root
    if not path.exists():
        raise ProjectError(f"{path} does not exist")
    raise ProjectError(f"{path} is not a folder of articles or an {PROJECT_FILE_NAME} file")


def _check_project_file(root: Path) -> None:
    """Refuse a folder whose ``annotator.json`` exists but is not a regular file (a folder,
    a dangling link, a device): it can be neither read nor replaced by a save."""
    file = project_file(root)
    if file.is_file() or not (file.exists() or file.is_symlink()):
        return
    what = (
        "a folder"
        if file.is_dir()
        else "a link to nothing"
        if not file.exists()
        else "not a regular file"
    )
    raise ProjectError(
        f"{file} is {what}, not a project file, so Annotator can neither read the project "
        f"nor save it. Move it away (or rename it) and open the folder again. Nothing was changed."
    )


def safe_article_path(root: Path, relative: str, dirs: dict[str, str] | None = None) -> Path:
    """``root / relative``, refusing anything that ends up outside the project folder
    (``..``, an absolute path, a symlink out). Plain ``os.path`` calls: this runs once
    per article on every open, and pathlib's objects cost 0.2 ms each here.

    ``dirs`` keeps the real paths of folders already resolved during one load, so each
    further article in them costs one ``lstat`` instead of a ``realpath`` (a system
    call per folder level): 10,000 articles took 0.75 s the other way.
    """
    return Path(_safe_path(os.fspath(root), relative, dirs))


def _safe_path(root: str, relative: str, dirs: dict[str, str] | None) -> str:
    found = _candidate(root, relative, dirs)
    if isinstance(found, str):
        return found
    base, candidate = found
    try:
        link = stat.S_ISLNK(os.lstat(candidate).st_mode)
    except OSError:
        link = False  # reading it reports what is wrong
    if link:
        return _inside(base, os.path.realpath(candidate), relative)
    return candidate


def _candidate(root: str, relative: str, dirs: dict[str, str] | None) -> str | tuple[str, str]:
    """The checked path (a string) where it took a ``realpath``, else the real project
    folder and the path in it whose last part may still be a symlink."""
    head, name = os.path.split(relative)
    if dirs is None or name in ("", ".", "..") or os.path.isabs(relative):
        base = os.path.realpath(root)
        return _inside(base, os.path.realpath(os.path.join(base, relative)), relative)
    known = dirs.get("/")  # the root's own real path ("/" is no relative folder)
    base = known if known is not None else dirs.setdefault("/", os.path.realpath(root))
    folder = dirs.get(head)
    if folder is None:
        folder = os.path.realpath(os.path.join(base, head)) if head else base
        if folder != base:
            _inside(base, folder, relative)
        dirs[head] = folder
    return base, os.path.join(folder, name)


# Opening with O_NOFOLLOW fails on a symlink, so the common case, a plain file, costs
# no lstat (50,000 articles: 0.3 s); where the flag is missing the lstat is done.
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
# O_NONBLOCK: a FIFO named like an article must not hang the open (it is refused once
# fstat says it is no regular file); a regular file reads the same without it
_BINARY = getattr(os, "O_BINARY", 0) | NO_WAIT
_SYMLINK_ERRORS = (errno.ELOOP, errno.EMLINK)  # Linux and macOS; FreeBSD


def _open_article(root: str, relative: str, dirs: dict[str, str] | None) -> int:
    """A read-only descriptor of the article, refusing a path out of the folder."""
    found = _candidate(root, relative, dirs) if _NOFOLLOW else _safe_path(root, relative, dirs)
    if isinstance(found, str):
        return os.open(found, os.O_RDONLY | _BINARY)
    base, candidate = found
    try:
        return os.open(candidate, os.O_RDONLY | _NOFOLLOW | _BINARY)
    except OSError as exc:
        if exc.errno not in _SYMLINK_ERRORS:
            raise
    # a symlink: followed only where it stays inside the project folder
    return os.open(_inside(base, os.path.realpath(candidate), relative), os.O_RDONLY | _BINARY)


def _inside(base: str, candidate: str, relative: str) -> str:
    if not candidate.startswith(base + os.sep):
        raise ProjectError(f"{relative!r} points outside the project folder")
    return candidate


def find_articles(root: Path) -> list[str]:
    """The articles in the folder (see :func:`scan_folder`)."""
    return scan_folder(root)[0]


def scan_folder(root: Path) -> tuple[list[str], list[str]]:
    """The articles in the folder and its saved pages and PDFs, in one walk, as paths
    relative to it with ``/`` (sorted by folder, then name). Hidden files and folders
    starting with ``.`` or ``_`` are left out, and the annotators' ``annotations/``
    folder (a file there is never an article); for pages also ``sources/``, where
    imports keep them, and a browser's ``NAME_files/``."""
    articles: list[str] = []
    pages: list[str] = []
    top = os.fspath(root)
    for dirpath, dirnames, filenames in os.walk(top):
        dirnames[:] = sorted(
            d
            for d in dirnames
            if not d.startswith((".", "_")) and not (dirpath == top and d == LAYERS_DIR)
        )
        folder = os.path.relpath(dirpath, top).replace(os.sep, "/")
        prefix = "" if folder == "." else folder + "/"
        parts = prefix.split("/")
        kept = parts[0] == SOURCES_DIR or any(p.endswith("_files") for p in parts)
        for name in sorted(filenames):
            lower = name.lower()
            if name.startswith("."):
                continue
            if lower.endswith(ARTICLE_SUFFIXES):
                articles.append(prefix + name)
            elif lower.endswith(PAGE_SUFFIXES) and not kept:
                pages.append(prefix + name)
    return articles, pages


def pages_waiting(project: Project) -> list[str]:
    """Saved pages and PDFs found when the folder was opened that no document came
    from (``meta["original"]``): what opening the folder offers to import."""
    kept = {d.meta.get("original") for d in project.documents}
    return [rel for rel in project.pages_found if rel not in kept]


def _document_id(project: Project, rel: str) -> str:
    base = re.sub(r"[^\w.-]+", "-", rel.rsplit(".", 1)[0]).strip("-") or "document"
    candidate, n = base, 2
    while project.has_document(candidate):
        candidate, n = f"{base}-{n}", n + 1
    return candidate


def read_article(root: Path, rel: str) -> str | None:
    """An article's text as loading reads it (decoded, size and binary checked), or None."""
    return _read_article(root, rel, LoadReport())


def _read_article(
    root: Path, rel: str, report: LoadReport, dirs: dict[str, str] | None = None
) -> str | None:
    """``dirs`` as in :func:`safe_article_path` (one dict for one load)."""
    read = read_article_bytes(root, rel, report, dirs)
    return None if read is None else read[0]


def read_article_bytes(
    root: Path, rel: str, report: LoadReport, dirs: dict[str, str] | None = None
) -> tuple[str, bytes | None] | None:
    """An article's text and, when the file is exactly its UTF-8 encoding, the file's
    bytes (a :class:`Document` keeps those rather than encoding the text again)."""
    try:
        # os.open and os.read: a buffered file object per article costs more than the
        # reading (50,000 articles on every open)
        fd = _open_article(os.fspath(root), rel, dirs)
        try:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode):
                report.error(
                    rel,
                    "not a regular file (a pipe, a device or a folder named like an "
                    "article); it was not read",
                )
                return None
            size = info.st_size
            if size > MAX_ARTICLE_BYTES:
                report.error(
                    rel,
                    f"the article is {size / 1e6:.1f} MB; Annotator opens articles up to "
                    f"{MAX_ARTICLE_BYTES / 1e6:.0f} MB. Split it into smaller files (by "
                    "chapter or section); it was not opened and nothing was changed",
                )
                return None
            data = read_to_end(fd, size)
        finally:
            os.close(fd)
    except ProjectError as exc:
        report.error(rel, str(exc))
        return None
    except OSError as exc:
        report.error(rel, f"cannot read the article: {exc.strerror or exc}")
        return None
    if b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        report.error(rel, "this looks like a binary file, not text")
        return None
    decoded = decode_article(data)
    if decoded.warning:
        report.warn(rel, decoded.warning)
    return decoded.text, data if decoded.encoding == "utf-8" else None
