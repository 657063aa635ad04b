"""Parsing ``annotator.json``: fast from its bytes (a document record at a time when
the file is laid out as Annotator writes it), else carefully with the exact line and
column of what is wrong, and migrated to the current schema version."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pydantic_core
from pydantic import ValidationError

from annotator.core.models import (
    DEFAULT_LABELS,
    PROJECT_FILE_NAME,
    READABLE_VERSIONS,
    SCHEMA_VERSION,
    ProjectFile,
)
from annotator.io import lazy
from annotator.io.atomic import BACKUP_SUFFIX, read_regular
from annotator.io.lazy import (
    SPANS_CLOSE,
    SPANS_OPEN,
    LabelPatterns,
    SpansAt,
    StoredFile,
    can_defer,
)
from annotator.io.migrate import SPANS_AS_NOW, migrate
from annotator.io.paths import project_file
from annotator.io.report import ProjectError, describe_validation_error
from annotator.io.safejson import JSONProblem, loads_checked


def read_project_raw(root: Path) -> dict[str, Any]:
    """``annotator.json`` parsed (and migrated to the current version).

    Raises :class:`ProjectError` when the file as a whole cannot be used: not UTF-8,
    empty, not JSON, not an object, or written by a newer Annotator.
    """
    file = project_file(root)
    try:
        data = read_regular(file)
    except OSError as exc:
        raise ProjectError(f"{file}: cannot read: {exc.strerror or exc}") from exc
    return _parsed(file, root, data)


def read_project_for_loading(root: Path) -> tuple[dict[str, Any], StoredFile | None]:
    """:func:`read_project_raw` for opening: a large file laid out as Annotator writes
    it is read a piece at a time and each record's spans are left in it, its
    ``"spans"`` a :class:`SpansAt` read later through the returned file (see
    :mod:`annotator.io.lazy`)."""
    file = project_file(root)
    try:
        if file.stat().st_size >= lazy.LAZY_FROM_BYTES and can_defer():
            stored = StoredFile(file)
            raw = _parse_streamed(stored)
            if raw is not None and raw.get("schema_version", SCHEMA_VERSION) in SPANS_AS_NOW:
                return _checked(file, raw), stored
        data = read_regular(file)
    except OSError as exc:
        raise ProjectError(f"{file}: cannot read: {exc.strerror or exc}") from exc
    return _parsed(file, root, data), None


def _parsed(file: Path, root: Path, data: bytes) -> dict[str, Any]:
    data = data.removeprefix(b"\xef\xbb\xbf")
    # Parsed from the bytes, without first decoding a str of the whole file (four bytes
    # per character once one emoji is in it), repeated strings shared; a file laid out
    # as Annotator writes it is parsed a document at a time (see _parse_in_pieces).
    raw = _parse_in_pieces(data)
    if raw is None:
        try:
            raw = pydantic_core.from_json(data, cache_strings="all")
        except ValueError:
            raw = _parse_strictly(file, root, data)  # the exact message, or what json accepts
    if not isinstance(raw, dict):
        raise ProjectError(f"{file}: expected a JSON object at the top level")
    return _checked(file, raw)


def _checked(file: Path, raw: dict[str, Any]) -> dict[str, Any]:
    """The parsed file's version checked (and migrated) and its lists checked."""
    version = raw.get("schema_version", SCHEMA_VERSION)
    if isinstance(version, int) and not isinstance(version, bool) and version > SCHEMA_VERSION:
        raise ProjectError(
            f"{file}: schema_version {version} was written by a newer Annotator; "
            f"this one reads versions up to {SCHEMA_VERSION}. Nothing was changed."
        )
    if version not in READABLE_VERSIONS:
        known = ", ".join(str(v) for v in READABLE_VERSIONS)
        raise ProjectError(f"{file}: schema_version {version!r} is not one of {known}")
    if version != SCHEMA_VERSION:
        raw = migrate(raw)
    if not isinstance(raw.get("documents", []), list) or not isinstance(
        raw.get("labels", []), list
    ):
        raise ProjectError(f"{file}: 'documents' and 'labels' must be lists")
    return raw


_DOCS_OPEN = b'\n  "documents": [\n    {\n'


_DOCS_BETWEEN = b"\n    },\n    {\n"


_DOCS_CLOSE = b"\n    }\n  ]\n}"


def _parse_in_pieces(data: bytes) -> dict[str, Any] | None:
    """The file parsed one document record at a time, if it is laid out as Annotator
    writes it (else None, and the caller parses it whole).

    One parse of a 50 MB file is a single 0.3 s step; when the file is read on a
    thread, the window could not draw during it. Parsed per record, it can between
    any two. The layout is recognised by bytes that can only be structure (a JSON
    string cannot hold a raw newline): the top-level ``"documents"`` list, two-space
    indented, and records separated by ``},`` and ``{`` on lines of their own.
    """
    start = data.find(_DOCS_OPEN)
    end = data.rfind(_DOCS_CLOSE)
    if start < 0 or end < start or data[end + len(_DOCS_CLOSE) :].strip():
        return None
    try:
        top = pydantic_core.from_json(data[:start] + b'\n  "documents": []\n}')
        if not isinstance(top, dict) or top.get("documents") != []:
            return None
        records = []
        pos = start + len(_DOCS_OPEN) - 2  # at the first record's "{"
        stop = end + len(b"\n    }")  # just after the last record's "}"
        while True:
            cut = data.find(_DOCS_BETWEEN, pos, stop)
            record = _parse_record(data, pos, stop if cut < 0 else cut + 6)
            if not isinstance(record, dict):
                return None
            records.append(record)
            if cut < 0:
                break
            pos = cut + len(_DOCS_BETWEEN) - 2
    except ValueError:
        return None
    top["documents"] = records
    return top


_BIG_RECORD = 1024 * 1024  # a record this big has its spans parsed in pieces
_PIECE = 256 * 1024
_BETWEEN_SPANS = b"\n        },\n        {"  # one span's end and the next one's start


def _parse_record(data: bytes, start: int, end: int) -> Any:
    """The record at ``data[start:end]``. A big one (the 2 MB article's is 16 MB) has
    its spans parsed 256 KB at a time, cut where one span ends and the next begins
    (the only place a line of eight spaces and ``},`` can be): one parse of it held
    the interpreter for 85-180 ms, a stall of the window while a thread loads."""
    apart = _without_spans(data, start, end) if end - start > _BIG_RECORD else None
    if apart is None or not isinstance(apart[0], dict):
        return pydantic_core.from_json(data[start:end], cache_strings="all")
    record, at, closed = apart
    spans: list[Any] = []
    while at < closed:
        cut = data.find(_BETWEEN_SPANS, min(at + _PIECE, closed), closed)
        until = closed if cut < 0 else cut + len(b"\n        }")
        spans.extend(pydantic_core.from_json(b"[" + data[at:until] + b"]", cache_strings="all"))
        at = closed if cut < 0 else until + len(b",\n        ")
    record["spans"] = spans
    return record


def _without_spans(data: bytes, start: int, end: int) -> tuple[Any, int, int] | None:
    """The record at ``data[start:end]`` parsed with an empty spans list, and where the
    text of its spans' items starts and ends; None if its spans are not laid out as a
    save writes them (the list opens on its key's line and closes on a line of its own
    six spaces in: nothing else in a record can)."""
    opened = data.find(SPANS_OPEN, start, end)
    closed = data.find(SPANS_CLOSE, opened, end) if opened >= 0 else -1
    if closed < 0:
        return None
    record = pydantic_core.from_json(
        data[start:opened] + b'\n      "spans": []' + data[closed + len(SPANS_CLOSE) : end],
        cache_strings="all",
    )
    return record, opened + len(SPANS_OPEN), closed


_READ_AHEAD = 8 * 1024 * 1024


def _parse_streamed(file: StoredFile) -> dict[str, Any] | None:  # noqa: C901
    """:func:`_parse_in_pieces` for a large file, read 8 MB at a time (never held
    whole), each record's spans left in the file as a :class:`SpansAt`: the spans list
    opens on its key's line and closes on a line of its own six spaces in (nothing
    else in a record can). None if the file is not laid out so.

    Long on purpose: a streaming parser's states in one frame (8 MB at a time).
    """
    buf, base, size = b"", 0, file.size  # buf holds the file's bytes from base on

    def find(sub: bytes, pos: int) -> int:
        nonlocal buf
        while True:
            found = buf.find(sub, pos)
            if found >= 0 or base + len(buf) >= size:
                return found
            pos = max(pos, len(buf) - len(sub))
            more = file.read(base + len(buf), _READ_AHEAD)
            if not more:
                return -1
            buf += more

    try:
        start = find(_DOCS_OPEN, 0)
        if start < 0:
            return None
        top = pydantic_core.from_json(buf[:start] + b'\n  "documents": []\n}')
        if not isinstance(top, dict) or top.get("documents") != []:
            return None
        labels = top.get("labels", [{"name": lb.name} for lb in DEFAULT_LABELS])
        names = (
            [
                lb["name"]
                for lb in labels
                if isinstance(lb, dict) and isinstance(lb.get("name"), str)
            ]
            if isinstance(labels, list)
            else []
        )
        patterns = LabelPatterns(names)
        records = []
        pos = start + len(_DOCS_OPEN) - 2  # at the first record's "{"
        while True:
            if pos > _READ_AHEAD:  # forget what was read
                buf, base, pos = buf[pos:], base + pos, 0
            cut = find(_DOCS_BETWEEN, pos)
            if cut < 0:
                end = buf.rfind(_DOCS_CLOSE, pos)
                if end < 0 or buf[end + len(_DOCS_CLOSE) :].strip():
                    return None
                piece = buf[pos : end + 6]
            else:
                piece = buf[pos : cut + 6]
            record = _record_apart(piece, base + pos, patterns)
            if not isinstance(record, dict):
                return None
            records.append(record)
            if cut < 0:
                break
            pos = cut + len(_DOCS_BETWEEN) - 2
    except ValueError:
        return None
    top["documents"] = records
    return top


def _record_apart(piece: bytes, offset: int, labels: LabelPatterns) -> Any:
    """One record parsed without its spans (see :func:`_parse_streamed`)."""
    apart = _without_spans(piece, 0, len(piece))
    if apart is None:
        return pydantic_core.from_json(piece, cache_strings="all")
    record, first, closed = apart
    if isinstance(record, dict):
        record["spans"] = SpansAt.of(piece, first, closed, offset, labels)
    return record


def _parse_strictly(file: Path, root: Path, data: bytes) -> Any:
    """The careful reading of a file the fast parser refused: a message that names the
    line and column, in plain words, for every kind of broken or hostile JSON (see
    :mod:`annotator.io.safejson`), never a traceback."""
    try:
        raw_text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ProjectError(
            f"{file}: not UTF-8 text (byte {exc.start}){_backup_hint(root)}"
        ) from exc
    if not raw_text.strip():
        raise ProjectError(f"{file}: the file is empty{_backup_hint(root)}")
    try:
        return loads_checked(raw_text)
    except JSONProblem as exc:
        where = f"{file}, line {exc.line}, column {exc.column}" if exc.line else str(file)
        raise ProjectError(f"{where}: {exc.message}{_backup_hint(root)}") from None


def read_project_file(root: Path) -> ProjectFile:
    """Parse and validate ``annotator.json`` strictly; :class:`ProjectError` lists every problem."""
    raw = read_project_raw(root)
    try:
        return ProjectFile.model_validate(raw)
    except ValidationError as exc:
        raise ProjectError(
            f"{project_file(root)}:\n" + describe_validation_error(exc, raw)
        ) from exc


def _backup_hint(root: Path) -> str:
    bak = root / f".{PROJECT_FILE_NAME}{BACKUP_SUFFIX}"
    if bak.is_file():
        return (
            f". The previous save is kept in {bak.name} (copy it over {PROJECT_FILE_NAME} "
            "to go back to it). Nothing was changed."
        )
    return ". Nothing was changed."
