"""Paragraphs and sentences of plain text, with code-point offsets.

A deliberately small splitter for news prose: a sentence ends at ``.``, ``!`` or
``?`` (and any closing quote or bracket after it) followed by white space and an
upper-case letter, digit or opening quote; common abbreviations do not end one.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

_PARAGRAPH = re.compile(r"[^\r\n]+")
_END = re.compile(r"[.!?]+[”\"’'»)\]]*(?=\s+[“\"‘'«(\[]*[^\W_a-z])")
_ABBREVIATIONS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "prof",
        "gen",
        "lt",
        "col",
        "maj",
        "capt",
        "sgt",
        "st",
        "jr",
        "sr",
        "vs",
        "etc",
        "inc",
        "ltd",
        "co",
        "corp",
        "no",
        "a.m",
        "p.m",
        "u.s",
        "u.k",
        "e.g",
        "i.e",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
    ]
)


def paragraphs(text: str) -> Iterator[tuple[int, int]]:
    """``(start, end)`` of each non-blank line, without its line break."""
    for m in _PARAGRAPH.finditer(text):
        if m.group().strip():
            yield m.start(), m.end()


def sentences(text: str, start: int = 0, end: int | None = None) -> Iterator[tuple[int, int]]:
    """``(start, end)`` of each sentence in ``text[start:end]``, stripped of outer spaces."""
    end = len(text) if end is None else end
    for p_start, p_end in paragraphs(text[start:end]):
        a = start + p_start
        b = start + p_end
        cut = a
        for m in _END.finditer(text, a, b):
            word = text[cut : m.start()].rsplit(None, 1)[-1:] or [""]
            if word[0].lower().rstrip(".") in _ABBREVIATIONS and m.group().startswith("."):
                continue
            yield _strip(text, cut, m.end())
            cut = m.end()
        if text[cut:b].strip():
            yield _strip(text, cut, b)


def _strip(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return a, b
