"""Text that leaves the program as a spreadsheet cell: the one CSV writer every CSV
Annotator writes goes through (span exports, the comparison, agreement, adjudication).

A cell a spreadsheet would evaluate as a formula (it starts with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return, OWASP's CSV-injection list) is written with a
leading ``'``, which spreadsheets show as text and do not keep; a plain number
(``-0.25``) is left as it is. ``raw=True`` (``--raw-csv``) writes every cell's bytes
unchanged, for pipelines that read CSV with a program, not a spreadsheet.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from typing import Any, Protocol

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")


class _Writable(Protocol):
    def write(self, text: str, /) -> Any: ...


def neutralised(value: object) -> object:
    """``value`` safe for a spreadsheet cell (strings only; numbers stay numbers)."""
    if isinstance(value, str) and value.startswith(_FORMULA_START) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


class CsvWriter:
    """``csv.writer`` whose cells are :func:`neutralised` unless ``raw``."""

    def __init__(self, out: _Writable, *, raw: bool = False) -> None:
        self._writer = csv.writer(out, lineterminator="\n")
        self.raw = raw

    def writerow(self, row: Iterable[object]) -> None:
        self._writer.writerow(row if self.raw else [neutralised(c) for c in row])

    def writerows(self, rows: Iterable[Iterable[object]]) -> None:
        for row in rows:
            self.writerow(row)
