"""The project file's JSON text: two-space indent, stable key order, exactly what
``json.dumps(raw, indent=2, ensure_ascii=False)`` writes, but encoded as a stream
(arrays given as :class:`Stream` are encoded chunk by chunk as they are made, so a
50,000-span project is never one big structure or one big string), by orjson in C
wherever it writes the very same text."""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

try:
    import orjson
except ImportError:  # pragma: no cover - a dependency; json alone writes the same
    orjson = None  # type: ignore[assignment]

OPTIONAL = ("note", "score", "proposed", "adjudication")  # relation fields left out when empty


class Stream:
    """A JSON array whose items are made while the file is written, never all at once.

    ``chunks`` yields lists of items, each encoded in one go, or :class:`Written`;
    ``plain``: no item holds a stream (spans), so none is looked into for one.
    """

    def __init__(self, chunks: Iterator[list[Any] | Written], plain: bool = False) -> None:
        self.chunks = chunks
        self.plain = plain


@dataclass(frozen=True)
class Written:
    """Items of a stream already encoded, at the stream's indentation (stored spans)."""

    text: str


def tidy_relations(relations: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{k: v for k, v in r.items() if v is not None or k not in OPTIONAL} for r in relations]


def tidy(spans: list[dict[str, Any]]) -> None:
    """Dumped spans in their stored form: attributes sorted, empty optional fields left out."""
    for span in spans:
        span["attributes"] = dict(sorted(span["attributes"].items()))
        for optional in ("score", "proposed", "adjudication"):
            if optional in span and span[optional] is None:
                del span[optional]


def encode(raw: dict[str, Any]) -> Iterator[str]:
    """The project file's text in pieces: two-space indent, stable key order.

    The same text as ``json.dumps(raw, indent=2, ensure_ascii=False)``, but arrays
    given as :class:`Stream` are encoded item by item as they are made, so a
    50,000-span project is never held as one big structure or one big string.
    """
    yield from _pieces(raw, 0)
    yield "\n"


_LEAF = json.JSONEncoder(indent=2, ensure_ascii=False)


def encode_leaf(value: Any, dumped: bool = False) -> str:
    """``json.dumps(value, indent=2, ensure_ascii=False)``, by orjson (in C: 20,000
    spans took 0.4 s in json's indenting encoder, which is pure Python) whenever
    orjson writes the very same text. It differs only on floats under 1e-4 (``1e-7``
    for ``1e-07``), non-finite floats (``null`` for ``NaN``) and integers beyond 64
    bits, and refuses lone surrogates and integers beyond 64 bits.

    ``dumped``: the value comes from a pydantic JSON-mode dump (spans), which writes
    non-finite floats as null; then the text is searched for a small float instead
    of walking the value (a text that only looks like one costs the slower encoder).
    Else the value is walked first (:func:`_orjson_writes_the_same`).
    """
    if orjson is not None and (dumped or _orjson_writes_the_same(value)):
        try:
            out = orjson.dumps(value, option=orjson.OPT_INDENT_2)
        except (TypeError, ValueError):  # orjson.JSONEncodeError is a TypeError
            out = None
        if out is not None and not (dumped and _has_small_float(out)):
            return out.decode("utf-8")
    return _LEAF.encode(value)


_DIGITS = frozenset(b"0123456789")


def _has_small_float(text: bytes) -> bool:
    """Whether ``text`` (orjson's) may hold a float under 1e-4: ``0.0000123`` or
    ``1.5e-7``. Found with ``bytes.find`` (a regular expression took 0.4 s on 9 MB);
    the same letters inside a string only cost the slower encoder."""
    at = text.find(b"e-")
    while at > 0:
        if text[at - 1] in _DIGITS and text[at + 2 : at + 3].isdigit():
            return True
        at = text.find(b"e-", at + 2)
    at = text.find(b"0.0000")
    while at >= 0:
        if at == 0 or (text[at - 1] not in _DIGITS and text[at - 1] != ord(".")):
            return True
        at = text.find(b"0.0000", at + 6)
    return False


def _orjson_writes_the_same(value: Any) -> bool:
    """No float under 1e-4 (but 0), none infinite or NaN, no integer beyond 64 bits,
    nothing but JSON's own types (a loop, not recursion: it sees every span saved)."""
    stack = [value]
    pop, push_all = stack.pop, stack.extend
    while stack:
        item = pop()
        kind = type(item)
        if kind is str or kind is bool or item is None:
            continue
        if kind is dict:
            push_all(item.values())
        elif kind is list:
            push_all(item)
        elif kind is float:
            if not (item == 0.0 or _SMALLEST <= abs(item) < math.inf):
                return False
        elif kind is int:
            if not _LOWEST <= item < _HIGHEST:
                return False
        else:
            return False
    return True


_SMALLEST, _LOWEST, _HIGHEST = 1e-4, -(2**63), 2**64


def _has_stream(value: Any) -> bool:
    return isinstance(value, dict) and any(isinstance(v, Stream) for v in value.values())


def _pieces(value: Any, level: int) -> Iterator[str]:
    pad = "\n" + "  " * level
    inner = "," + pad + "  "  # between two items one level down
    if _has_stream(value):
        sep = "{" + pad + "  "
        for key, item in value.items():
            yield sep + json.dumps(key, ensure_ascii=False) + ": "
            yield from _pieces(item, level + 1)
            sep = inner
        yield pad + "}"
    elif isinstance(value, Stream):
        sep = "[" + pad + "  "
        for chunk in value.chunks:
            if isinstance(chunk, Written):
                if chunk.text:
                    yield sep + chunk.text
                    sep = inner
            elif not value.plain and any(_has_stream(item) for item in chunk):
                for item in chunk:
                    yield sep
                    yield from _pieces(item, level + 1)
                    sep = inner
            elif chunk:
                # One encode for the whole chunk; the text between its brackets is the items.
                # (indent= makes json use its pure-Python encoder, which yields to other threads.)
                text = encode_leaf(chunk, value.plain).replace("\n", pad)
                yield sep + text[len(pad) + 3 : -len(pad) - 1]
                sep = inner
        yield "[]" if sep.startswith("[") else pad + "]"
    else:
        yield encode_leaf(value).replace("\n", pad)
