"""Parsing ``annotator.json``: fast from its bytes (a document record at a time when
the file is laid out as Annotator writes it), else carefully with the exact line and
column of what is wrong, and migrated to the current schema version."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pydantic_core
from pydantic import ValidationError

from annotator.core.models import (
    PROJECT_FILE_NAME,
    READABLE_VERSIONS,
    SCHEMA_VERSION,
    ProjectFile,
)
from annotator.io.atomic import BACKUP_SUFFIX
from annotator.io.migrate import migrate
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
        data = file.read_bytes()
    except OSError as exc:
        raise ProjectError(f"{file}: cannot read: {exc.strerror or exc}") from exc
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
            record = pydantic_core.from_json(
                data[pos : stop if cut < 0 else cut + 6], cache_strings="all"
            )
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
