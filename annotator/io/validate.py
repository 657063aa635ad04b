"""``annotator validate``: check a project and list its problems in plain words.

Validation reports everything loading reports, and more: the loader is lenient
(``"start": "0"`` opens as 0, so a person's work is never blocked), but a file that
relies on that leniency is wrong for every other tool that reads it, so validation
also checks the file's types strictly and reports each value that is not the JSON
type the schema names.
"""

from __future__ import annotations

import gc
import multiprocessing
from collections import Counter
from pathlib import Path
from typing import Any

import pydantic_core
from pydantic import ValidationError

from annotator.core.models import SCHEMA_VERSION, ProjectFile
from annotator.io.load import load_project
from annotator.io.paths import pages_waiting, project_file, resolve_root
from annotator.io.report import IdLines, LoadReport, Problem, ProjectError, describe_location


def validate_project(path: Path) -> list[Problem]:
    """Every problem of the project at ``path``. The cyclic garbage collector is paused
    meanwhile: validating 100,000 links makes as many objects and no cycles, and its
    passes over them cost more than the validation (as in loading)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _validate_project(path)
    finally:
        if enabled:
            gc.enable()


def _validate_project(path: Path) -> list[Problem]:
    try:
        root = resolve_root(path)
    except ProjectError as exc:
        return [Problem("error", "cannot open the project", str(exc))]
    checking = _types_elsewhere(root)
    try:
        project, report = load_project(root)
    except ProjectError as exc:
        _finish(checking)
        return [Problem("error", "cannot open the project", str(exc))]
    for doc in project.documents:  # a large project's spans are read when first used
        doc.span_values()
    report.problems.extend(project.late_problems)
    _check_labels([lb.name for lb in project.labels], [lb.key for lb in project.labels], report)
    if checking is None:
        _check_types(root, report)
    else:
        report.problems.extend(_finish(checking))
    waiting = pages_waiting(project)
    if waiting:
        shown = ", ".join(waiting[:5]) + (" …" if len(waiting) > 5 else "")
        report.warn(
            shown,
            f"{len(waiting)} saved web page(s) or PDF(s) in the folder are not articles yet: "
            f"annotator import {root} FOLDER --format html (or pdf), or File ▸ Add Articles…",
        )
    return report.problems


# A file this large has its types checked in a second process while this one loads it
# (the check reads the whole file again: 0.6 s of 100,000 links, on the other core)
TYPES_ELSEWHERE_FROM = 8 * 1024 * 1024

Checking = tuple[Any, Any]  # the pool, and the pending result


def _types_elsewhere(root: Path) -> Checking | None:
    """The type check started in a forked process (where the system can fork and the
    file is large), else None: the caller checks here."""
    if "fork" not in multiprocessing.get_all_start_methods():
        return None
    try:
        if project_file(root).stat().st_size < TYPES_ELSEWHERE_FROM:
            return None
        pool = multiprocessing.get_context("fork").Pool(1)
    except OSError:
        return None
    return pool, pool.apply_async(_type_problems, (root,))


def _type_problems(root: Path) -> list[Problem]:
    report = LoadReport()
    _check_types(root, report)
    return report.problems


def _finish(checking: Checking | None) -> list[Problem]:
    """The problems the other process found (it is ended either way)."""
    if checking is None:
        return []
    pool, pending = checking
    try:
        return list(pending.get())
    finally:
        pool.close()
        pool.join()


def _check_labels(names: list[str], keys: list[str | None], report: LoadReport) -> None:
    for name, count in Counter(names).items():
        if count > 1:
            report.error("labels", f"the label {name!r} is defined {count} times")  # 2 or more
    for key, count in Counter(k for k in keys if k).items():
        if count > 1:
            report.error("labels", f"the key {key!r} is given to {count} labels")  # 2 or more


_JSON_TYPE = {
    "int_type": "a whole number",
    "float_type": "a number",
    "string_type": "a string",
    "bool_type": "true or false",
    "list_type": "a list",
    "dict_type": "an object",
    "model_type": "an object",
    "dataclass_type": "an object",
    "literal_error": "one of the allowed values",
    "datetime_type": "a date and time string",
}


def _check_types(root: Path, report: LoadReport) -> None:
    """Values the loader accepted by converting them (``"0"`` for 0): one error each."""
    file = project_file(root)
    try:
        data = file.read_bytes().removeprefix(b"\xef\xbb\xbf")
    except OSError:
        return  # loading reported it
    try:  # strict first: a file that passes needs no second, lax pass (nor a parse)
        _AnyVersion.model_validate_json(data, strict=True)
    except ValidationError as exc:
        try:
            raw = pydantic_core.from_json(data)
        except ValueError:
            return  # loading reported it
        if not isinstance(raw, dict) or raw.get("schema_version") not in (2, 3, 4, SCHEMA_VERSION):
            # versions 2 to 4 differ only by what later versions added (defaults fill
            # in); a version-1 file is migrated on load, its types checked after a save
            return
        lines = IdLines(file)
        lax = _error_locations(lambda: ProjectFile.model_validate_json(data))
        for err in exc.errors():
            loc = tuple(err["loc"])
            if loc in lax or err["type"] not in _JSON_TYPE:
                continue  # the loader reports these itself
            report.error(
                lines.where(_nearest_id(raw, loc)),
                f"{_where(raw, loc)} is {_found(err['input'])} where the file format wants "
                f"{_JSON_TYPE[err['type']]}; Annotator reads it, other tools may not",
            )


class _AnyVersion(ProjectFile):
    """The file's types, whatever version it says it is (loading checks the version): a
    file of version 2 to 4 passes the strict check as one of the current version does,
    rather than taking the slow way of a file with type problems."""

    schema_version: int  # type: ignore[assignment]


def _where(raw: Any, loc: tuple[str | int, ...]) -> str:
    """``span s-1 in document harbour: start``, or the path of the value in the file."""
    try:
        if loc[0] == "documents" and len(loc) > 4 and loc[2] == "spans":
            record = raw["documents"][loc[1]]
            span = record["spans"][loc[3]]
            field = ".".join(str(k) for k in loc[4:])
            return f"span {span['id']} in document {record['id']}: {field}"
        if loc[0] == "documents" and len(loc) > 2:
            field = ".".join(str(k) for k in loc[2:])
            return f"document {raw['documents'][loc[1]]['id']}: {field}"
    except (KeyError, IndexError, TypeError):
        pass
    return describe_location(list(loc), raw)


def _error_locations(validate: Any) -> set[tuple[str | int, ...]]:
    try:
        validate()
    except ValidationError as exc:
        return {tuple(e["loc"]) for e in exc.errors()}
    return set()


def _found(value: object) -> str:
    if isinstance(value, str):
        shown = value if len(value) <= 30 else value[:29] + "…"
        return f"the string {shown!r}"
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, int | float):
        return f"the number {value!r}"
    return "a list" if isinstance(value, list) else "an object"


def _nearest_id(raw: object, loc: tuple[str | int, ...]) -> str | None:
    """The id of the innermost record on the way to ``loc`` (for its line number)."""
    found = None
    node = raw
    for key in loc:
        try:
            node = node[key]  # type: ignore[index]
        except (KeyError, IndexError, TypeError):
            break
        if isinstance(node, dict) and isinstance(node.get("id"), str):
            found = node["id"]
    return found
