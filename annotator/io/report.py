"""What loading found, in plain words: problems with their place (file, line, id), the
report that collects them, and :class:`ProjectError` for a project that cannot be opened."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from annotator.core.models import (
    PROJECT_FILE_NAME,
)


class ProjectError(Exception):
    """The project cannot be opened; the message says what and where, in plain words."""


@dataclass(frozen=True)
class Problem:
    severity: str  # "error" or "warning"
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.severity}: {self.where}: {self.message}"


@dataclass
class LoadReport:
    problems: list[Problem] = field(default_factory=list)
    created: bool = False  # the folder had no project file and became a project now
    # what could not be read and may hold work (lines of the edit journal): never say
    # "nothing was lost" while this is set
    maybe_lost: list[str] = field(default_factory=list)

    def warn(self, where: str, message: str) -> None:
        self.problems.append(Problem("warning", where, message))

    def error(self, where: str, message: str) -> None:
        self.problems.append(Problem("error", where, message))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]


def describe_validation_error(exc: ValidationError, raw: object) -> str:
    lines = []
    for err in exc.errors():
        loc = list(err["loc"])
        where = describe_location(loc, raw)
        lines.append(f"  {where}: {err['msg']}")
    return "\n".join(lines)


def describe_location(loc: list[str | int], raw: object) -> str:
    parts: list[str] = []
    node = raw
    for key in loc:
        if isinstance(key, int):
            parts[-1:] = [f"{parts[-1] if parts else ''}[{key}]"]
        else:
            parts.append(str(key))
        try:
            node = node[key]  # type: ignore[index]
        except (KeyError, IndexError, TypeError):
            node = None
        if isinstance(node, dict) and isinstance(key, int) and "id" in node:
            parts[-1] += f" (id {node['id']})"
    return ".".join(parts) or "top level"


def _brief(exc: ValidationError) -> str:
    """A validation error in one line: each field and what is wrong with it."""
    parts = []
    for err in exc.errors():
        field_name = ".".join(str(k) for k in err["loc"]) or "value"
        message = str(err["msg"]).removeprefix("Value error, ")
        parts.append(message if field_name == "value" else f"{field_name}: {message}")
    return "; ".join(parts)


class IdLines:
    """Line numbers of ``"id": "..."`` in the project file, found in one pass when needed.

    The file is read again for it, only when a problem is reported: holding its bytes
    through every load would add their size (70 MB for 10,000 articles) to the peak.
    """

    _ID = re.compile(rb'"id"\s*:\s*("(?:[^"\\]|\\.)*")')

    def __init__(self, file: Path) -> None:
        self._file = file
        self._lines: dict[str, int] | None = None

    def lazy(self, value: object) -> Callable[[], str]:
        """:meth:`where`, computed only if a problem is reported (most spans have none)."""
        return lambda: self.where(value)

    def where(self, value: object) -> str:
        if self._lines is None:
            self._lines = {}
            try:
                data = self._file.read_bytes()
            except OSError:
                data = b""
            line, pos = 1, 0
            for match in self._ID.finditer(data):
                line += data.count(b"\n", pos, match.start())
                pos = match.start()
                try:
                    self._lines.setdefault(json.loads(match.group(1)), line)
                except ValueError:
                    continue
        number = self._lines.get(value) if isinstance(value, str) else None
        return PROJECT_FILE_NAME + (f", line {number}" if number else "")
