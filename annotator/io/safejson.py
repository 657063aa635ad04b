"""Reading JSON from files a person gives us, hostile ones included, without a traceback.

The standard library's :func:`json.loads` accepts or fails on three kinds of hostile
input in ways that reach the user as a crash: nesting deep enough to exhaust the
interpreter's stack (``RecursionError``), integers with thousands of digits
(``ValueError: Exceeds the limit (4300 digits)``, with no position), and lone
surrogate escapes such as ``"\\ud800"``, which it accepts and which then fail when
the text is written or shown (``UnicodeEncodeError``). :func:`loads_checked` turns
each of them, and every ordinary syntax error, into a :class:`JSONProblem` with the
line and column and a message in plain words. Every reader of user files (project
file, journal, each import format, settings) parses through it.
"""

from __future__ import annotations

import json
import re
import sys
from typing import Any

ENDS_EARLY = (
    "the file ends early, in the middle of its data: it was probably cut short by an "
    "interrupted copy, download or save"
)
MAX_DEPTH = 200  # far more than any file Annotator reads needs
MAX_INT_DIGITS = 4300  # Python's own limit for turning digits into an int

# A \uD800-\uDFFF escape that is not half of a pair. Paired halves, which every emoji
# escaped as ASCII has, do not match, so the search is one regex pass that starts with
# a literal backslash (fast); a match whose backslash is itself escaped is skipped.
_SURROGATE = re.compile(
    r"(\\u[dD](?:[89abAB][0-9a-fA-F]{2}(?!\\u[dD][c-fC-F])"  # a high half, no low after
    r"|(?<!\\u[dD][89abAB][0-9a-fA-F]{2}\\u[dD])[c-fC-F][0-9a-fA-F]{2}))"  # a low, no high before
)
_DIGITS = re.compile(r"-?\d{" + str(MAX_INT_DIGITS + 1) + ",}")


class JSONProblem(ValueError):
    """JSON that cannot be used; ``str()`` is a message for people, with where it is."""

    def __init__(
        self,
        message: str,
        line: int | None = None,
        column: int | None = None,
        *,
        cut_short: bool = False,
    ) -> None:
        where = f"line {line}, column {column}: " if line is not None else ""
        super().__init__(where + message)
        self.message = message
        self.line = line
        self.column = column
        self.cut_short = cut_short  # the text ends before its JSON does


def position(text: str, index: int) -> tuple[int, int]:
    """(line, column), both from 1, of ``index`` in ``text``."""
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def decode(data: bytes) -> str:
    """UTF-8 (a BOM allowed) or :class:`JSONProblem` naming the byte."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise JSONProblem(f"not UTF-8 text (byte {exc.start})", line, column) from None


def loads_checked(data: bytes | str) -> Any:
    """``json.loads`` for untrusted text: every failure is a :class:`JSONProblem`."""
    text = decode(data) if isinstance(data, bytes | bytearray) else data
    _refuse_lone_surrogates(text)
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        # A string runs to the end only if the end came too soon (a raw line break
        # inside one is "Invalid control character"), so both mean a cut-short file.
        end = len(text.rstrip())
        if exc.pos >= end or exc.msg.startswith("Unterminated string"):
            raise JSONProblem(ENDS_EARLY, *position(text, end), cut_short=True) from None
        raise JSONProblem(exc.msg, exc.lineno, exc.colno) from None
    except RecursionError:
        raise _too_deep(text) from None
    except ValueError as exc:  # the digit limit: json gives no position
        match = _DIGITS.search(text)
        if match is None:
            raise JSONProblem(str(exc)) from None
        raise JSONProblem(
            f"a number with {len(match.group().lstrip('-'))} digits (at most "
            f"{MAX_INT_DIGITS} are read)",
            *position(text, match.start()),
        ) from None


def _refuse_lone_surrogates(text: str) -> None:
    if "\\u" not in text:
        return
    for match in _SURROGATE.finditer(text):
        start = match.start(1)
        backslashes = start - len(text[:start].rstrip("\\"))
        if backslashes % 2:
            continue  # "\\ud800": a backslash, then letters
        escape = match.group(1)
        raise JSONProblem(
            f"the escape {escape} is half of a character (a lone surrogate) and cannot be read",
            *position(text, start),
        )


def _too_deep(text: str) -> JSONProblem:
    """Where nesting first goes past :data:`MAX_DEPTH`, found without recursion."""
    limit = min(MAX_DEPTH, sys.getrecursionlimit())
    depth = 0
    in_string = escaped = False
    for index, char in enumerate(text):
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > limit:
                return JSONProblem(
                    f"lists and objects nested more than {limit} levels deep",
                    *position(text, index),
                )
        elif char in "]}":
            depth -= 1
    return JSONProblem("lists and objects nested too deeply")
