"""Text facts in code points: hashing, decoding article files, word snapping.

Every offset in the core is a Unicode code-point index into the document text,
end exclusive. Nothing here knows about UTF-16 or Qt; see ``annotator.ui.textbridge``.
"""

from __future__ import annotations

import codecs
import hashlib
import re
import unicodedata
from dataclasses import dataclass

from annotator.core.words import word_at


def text_hash(text: str) -> str:
    """The hash stored with each document: sha256 of its UTF-8 text."""
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


def is_word_at(text: str, i: int) -> bool:
    """True if ``text[i]`` is part of a word: a letter, a digit or a combining mark."""
    if i < 0 or i >= len(text):
        return False
    ch = text[i]
    return ch.isalnum() or unicodedata.category(ch)[0] == "M"


def snap_to_words(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen ``[start, end)`` to whole words and trim surrounding whitespace.

    A selection that starts or ends inside a word grows to cover that word; spaces at
    either edge are dropped. Punctuation the user deliberately selected (a quote mark,
    a full stop) is kept, and apostrophes and hyphens end a word, so selecting
    "Putin" in "Putin’s" stays "Putin". In scripts without spaces (Chinese, Japanese,
    Thai) a word is what :mod:`annotator.core.words` segments, never the whole run
    between punctuation. Returns the range unchanged if it holds only whitespace.
    """
    start = max(0, min(start, len(text)))
    end = max(start, min(end, len(text)))
    s, e = start, end
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    if s == e:
        return start, end
    first, last = word_at(text, s), word_at(text, e - 1)
    if first is not None:
        s = min(s, first[0])
    if last is not None:
        e = max(e, last[1])
    return s, e


@dataclass(frozen=True)
class DecodedText:
    text: str
    encoding: str
    warning: str | None = None


def decode_article(data: bytes) -> DecodedText:
    """Decode an article file: UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252.

    The fallback never fails and carries a warning that the caller shows.
    """
    if data.startswith(codecs.BOM_UTF8):
        return DecodedText(data[len(codecs.BOM_UTF8) :].decode("utf-8"), "utf-8-sig")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return DecodedText(data.decode("utf-16"), "utf-16")
    try:
        return DecodedText(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError as exc:
        return DecodedText(
            data.decode("cp1252", errors="replace"),
            "cp1252",
            f"not valid UTF-8 (byte {exc.start}); read as Windows-1252",
        )


def encode_article(text: str) -> bytes:
    """The bytes of an article file that :func:`decode_article` reads back as ``text``.

    UTF-8; a text that itself starts with U+FEFF gets a BOM in front, since a leading
    BOM is read as the encoding mark and dropped.
    """
    data = text.encode("utf-8")
    return codecs.BOM_UTF8 + data if text.startswith("\ufeff") else data


def word_edge(text: str, pos: int, step: int) -> int:
    """The next word end after ``pos`` (``step`` 1) or the previous one before it (-1).

    Used to move a span's boundary a word at a time; returns ``pos`` at the text's edge.
    """
    n = len(text)
    i = pos
    if step > 0:
        while i < n and not is_word_at(text, i):
            i += 1
        while i < n and is_word_at(text, i):
            i += 1
        return i
    i -= 1
    while i > 0 and is_word_at(text, i - 1):
        i -= 1
    while i > 0 and not is_word_at(text, i - 1):
        i -= 1
    return max(i, 0)


def word_start(text: str, pos: int, step: int) -> int:
    """The next word start after ``pos`` (``step`` 1) or the previous one before it (-1)."""
    n = len(text)
    i = pos
    if step > 0:
        while i < n and is_word_at(text, i):
            i += 1
        while i < n and not is_word_at(text, i):
            i += 1
        return i
    while i > 0 and not is_word_at(text, i - 1):
        i -= 1
    while i > 0 and is_word_at(text, i - 1):
        i -= 1
    return i


_ID_LIKE = re.compile(r"[0-9a-fA-F_.\-]+")
_HEX_RUN = re.compile(r"[0-9a-fA-F]{8,}")


def looks_like_id(name: str) -> bool:
    """Whether a file name is an identifier rather than a title: ``000_8a6a568f6e04fa8f``,
    ``20261120-0042``, ``doc-4f9c2e1ab7`` (digits and hex, no words), not ``harbour-gazette``
    or ``report 2024``."""
    if " " in name:
        return False
    digits = sum(c.isdigit() for c in name)
    if _ID_LIKE.fullmatch(name) and digits >= 3:
        return True
    return any(sum(c.isdigit() for c in run) >= 3 for run in _HEX_RUN.findall(name))


def first_line_title(text: str, limit: int = 80) -> str:
    """The article's first line with words, as a title: white space squeezed, and cut at
    a word (with an ellipsis) when longer than ``limit``."""
    for line in text.splitlines():
        title = " ".join(line.split()).strip("#*=- ")
        if any(c.isalnum() for c in title):
            if len(title) <= limit:
                return title
            return title[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"
    return ""
