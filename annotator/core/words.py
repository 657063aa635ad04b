"""Words in every script, in code points: where a word around a position begins and
ends, for snapping a selection, a double-click and the token exports.

Scripts written with spaces (Latin, Cyrillic, Greek, Arabic, Hebrew, Devanagari, …):
a word is a run of letters, digits and combining marks, so a letter keeps its
diacritics (Arabic harakat, Hebrew niqqud, a decomposed accent) and a grapheme
cluster is never split. Scripts written without spaces are cut by a segmenter chosen
by what the run of text holds:

- Chinese (Han characters, no kana): jieba (MIT), its dictionary plus its model for
  words it does not know;
- Japanese (kana, with or without kanji): TinySegmenter (BSD), a small trained model;
- Thai: PyThaiNLP's ``newmm`` (Apache-2.0), with the optional ``thai`` extra;
- without the library, or for other scripts without spaces (Lao, Khmer, Myanmar), a
  run is cut where the script changes, and a Han character stands alone: never a
  whole clause.

Segmenting is cached per run of text, so a double-click in a long article costs the
run around it only. Qt-free: the window converts offsets at its boundary.
"""

from __future__ import annotations

import threading
import unicodedata
from collections.abc import Iterator
from functools import cache, lru_cache
from typing import Any

import regex

Range = tuple[int, int]

# Characters of scripts written without spaces between words (and the marks and
# prolonged-sound signs they carry): a run of them is cut by a segmenter.
_UNSPACED = regex.compile(
    r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Thai}\p{Lao}\p{Khmer}\p{Myanmar}\u30fc\u3005\u3006"
    r"\uff66-\uff9f][\p{Han}\p{Hiragana}\p{Katakana}\p{Thai}\p{Lao}\p{Khmer}\p{Myanmar}"
    r"\u30fc\u3005\u3006\uff66-\uff9f\p{M}]*"
)
_KANA = regex.compile(r"[\p{Hiragana}\p{Katakana}\u30fc\uff66-\uff9f]")
_HAN = regex.compile(r"\p{Han}")
_THAI = regex.compile(r"\p{Thai}")
_SCRIPT_RUN = regex.compile(
    r"\p{Han}[\p{M}]*|[\p{Hiragana}\u30fc]+|[\p{Katakana}\u30fc\uff66-\uff9f]+"
    r"|[\p{Thai}\p{M}]+|[\p{Lao}\p{M}]+|[\p{Khmer}\p{M}]+|[\p{Myanmar}\p{M}]+|."
)
MAX_RUN = 4096  # a longer run (a page of Chinese without punctuation) is segmented by parts


def unspaced(ch: str) -> bool:
    """Whether ``ch`` belongs to a script written without spaces between words."""
    return _UNSPACED.match(ch) is not None


def is_word_char(ch: str) -> bool:
    """A letter, a digit or a combining mark: part of a word in any script."""
    return ch.isalnum() or unicodedata.category(ch)[0] == "M"


def word_at(text: str, i: int) -> Range | None:
    """The word that holds code point ``i`` (None: ``text[i]`` is no part of a word)."""
    if not 0 <= i < len(text) or not is_word_char(text[i]):
        return None
    if unspaced(text[i]) or (unicodedata.category(text[i])[0] == "M" and _after_unspaced(text, i)):
        a, b = _run_around(text, i)
        for start, end in segments(text[a:b]):
            if start <= i - a < end:
                return a + start, a + end
        return i, i + 1  # not reached: segments cover the run
    a, b = i, i + 1
    while a > 0 and is_word_char(text[a - 1]) and not unspaced(text[a - 1]):
        if unicodedata.category(text[a - 1])[0] == "M" and _after_unspaced(text, a - 1):
            break  # marks carried by a character of the run before: its word's
        a -= 1
    while b < len(text) and is_word_char(text[b]) and not unspaced(text[b]):
        b += 1
    return a, b


def _after_unspaced(text: str, i: int) -> bool:
    while i > 0 and unicodedata.category(text[i])[0] == "M":
        i -= 1
    return unspaced(text[i])


def _run_around(text: str, i: int) -> Range:
    """The run of unspaced-script characters around ``i``, at most :data:`MAX_RUN`."""
    a = i
    while a > 0 and i - a < MAX_RUN and _in_run(text[a - 1]):
        a -= 1
    b = i + 1
    while b < len(text) and b - a < MAX_RUN and _in_run(text[b]):
        b += 1
    return a, b


def _in_run(ch: str) -> bool:
    return unspaced(ch) or unicodedata.category(ch)[0] == "M"


def _segmenter(run: str) -> str | None:
    """The library that cuts ``run``: by what it holds (kana: Japanese, even with kanji)."""
    if _KANA.search(run):
        return "tinysegmenter"
    if _HAN.search(run):
        return "jieba"
    if _THAI.search(run):
        return "pythainlp"
    return None


@lru_cache(maxsize=512)
def segments(run: str) -> tuple[Range, ...]:
    """Words of ``run`` (text of scripts without spaces), as ranges covering all of it."""
    name = _segmenter(run)
    found = _SEGMENTERS[name](run) if name is not None else None
    if found is None:
        found = [m.span() for m in _SCRIPT_RUN.finditer(run)]
    return tuple(_whole(run, found))


def _whole(run: str, found: list[Range]) -> Iterator[Range]:
    """``found`` made to cover ``run`` exactly, marks kept with their letter."""
    pos = 0
    for a, b in found:
        a, b = max(a, pos), min(b, len(run))
        if a > pos:
            yield pos, a
        while b < len(run) and unicodedata.category(run[b])[0] == "M":
            b += 1
        if b > a:
            yield a, b
            pos = b
    if pos < len(run):
        yield pos, len(run)


def _chinese(run: str) -> list[Range] | None:
    jieba = _library("jieba")
    if jieba is None:
        return None
    return [(a, b) for _word, a, b in jieba.tokenize(run)]


def _japanese(run: str) -> list[Range] | None:
    segmenter = _library("tinysegmenter")
    if segmenter is None:
        return None
    return _located(run, segmenter.tokenize(run))


def _thai(run: str) -> list[Range] | None:
    tokenize = _library("pythainlp")
    if tokenize is None:
        return None
    return _located(run, tokenize(run, engine="newmm", keep_whitespace=False))


_SEGMENTERS = {"jieba": _chinese, "tinysegmenter": _japanese, "pythainlp": _thai}


def _located(run: str, words: list[str]) -> list[Range] | None:
    """Where each of ``words`` (a segmenter's output, in order) is in ``run``."""
    out: list[Range] = []
    pos = 0
    for word in words:
        start = run.find(word, pos)
        if start < 0:
            return None
        out.append((start, start + len(word)))
        pos = start + len(word)
    return out


@cache
def _library(name: str) -> Any:
    """The segmenter ``name``, loaded once (None: it is not installed)."""
    try:
        if name == "jieba":
            import jieba

            jieba.setLogLevel(60)  # it prints its dictionary loading to stderr otherwise
            jieba.initialize()
            return jieba
        if name == "tinysegmenter":
            import tinysegmenter

            return tinysegmenter.TinySegmenter()
        if name == "pythainlp":
            from pythainlp.tokenize import word_tokenize

            return word_tokenize
    except ImportError:
        return None
    raise ValueError(name)


def split_unspaced(text: str, tokens: list[Range]) -> list[Range]:
    """``tokens`` with each piece of a script without spaces cut into its words."""
    if text.isascii():
        return tokens
    out: list[Range] = []
    for a, b in tokens:
        if not _UNSPACED.search(text, a, b):
            out.append((a, b))
            continue
        pos = a
        for match in _UNSPACED.finditer(text, a, b):
            s, e = match.span()
            if s > pos:
                out.append((pos, s))
            out += [(s + x, s + y) for x, y in segments(text[s:e])]
            pos = e
        if pos < b:
            out.append((pos, b))
    return out


_RTL = regex.compile(r"[\p{Bidi_Class=R}\p{Bidi_Class=AL}]")
_STRONG = regex.compile(r"[\p{Bidi_Class=L}\p{Bidi_Class=R}\p{Bidi_Class=AL}]")


def has_rtl_paragraph(text: str) -> bool:
    """Whether a paragraph of ``text`` is written right to left: its first strong
    character (a letter with a direction) is Hebrew, Arabic, Syriac, Thaana, …"""
    if not _RTL.search(text):
        return False
    for paragraph in text.splitlines():
        first = _STRONG.search(paragraph)
        if first is not None and _RTL.match(first.group()):
            return True
    return False


_warming: set[str] = set()


def warm(text: str) -> None:
    """Load, on a thread, the segmenter ``text`` will need (jieba reads its dictionary
    for half a second or more), so that the first double-click does not wait for it."""
    sample = _UNSPACED.search(text)
    if sample is None:
        return
    name = _segmenter(sample.group())
    if name is None or name in _warming:
        return
    _warming.add(name)
    threading.Thread(target=_library, args=(name,), name=f"load {name}", daemon=True).start()
