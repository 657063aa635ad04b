"""Tokens for the token-based formats (CoNLL, Prodigy, Hugging Face), in code points.

Two tokenizers: ``simple`` (words with their combining marks, numbers and single
punctuation marks) and ``spacy`` (spaCy's English tokenizer, when spaCy is
installed). Either way a run of a script written without spaces (Chinese, Japanese,
Thai) is cut into its words by :mod:`annotator.core.words`.
Either way every token is then split where a span starts or ends inside it, so each
exported span covers whole tokens and comes back on exactly the same characters.

A token never splits a user-perceived character (a grapheme cluster: a flag, an
emoji with a skin tone or joined by ZWJ, a letter with combining marks): pieces of
one cluster are joined into one token, and a span edge inside a cluster does not cut
it (the span then moves to the token edges, and the export counts it).

Token formats carry one tag per token, so overlapping spans cannot all be kept:
:func:`non_overlapping` keeps what a NER user trains on. Names come first: a span
whose label marks a passage (:data:`PASSAGE_LABELS`, a claim or a quote, which hold
the names inside them) gives way to any other span it overlaps; among spans of one
rank the longest wins (ties: the earliest, then the label name). The others are
returned, and the export reports them by label with the flag that keeps them.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from functools import lru_cache
from itertools import accumulate
from operator import itemgetter
from typing import Any

import regex

from annotator.core.models import Span
from annotator.core.words import split_unspaced
from annotator.install import install_hint

Token = tuple[int, int]  # code points [start, end)
TOKENIZERS = ("simple", "spacy")
_SIMPLE = re.compile(r"\w+(?:[’'-]\w+)*|[^\w\s]", re.UNICODE)


class TokenizerUnavailable(RuntimeError):
    pass


def tokenize(text: str, spans: Iterable[Span] = (), tokenizer: str = "simple") -> list[Token]:
    """Tokens of ``text`` split at every span boundary; white space is never a token, and
    no token starts or ends inside a grapheme cluster."""
    if tokenizer == "spacy":
        raw = [(t.idx, t.idx + len(t.text)) for t in _spacy()(text) if not t.is_space]
    elif tokenizer == "simple":
        raw = _simple_tokens(text)
    else:
        raise ValueError(f"unknown tokenizer {tokenizer!r}; use {' or '.join(TOKENIZERS)}")
    raw = split_unspaced(text, raw)  # Chinese, Japanese, Thai: words, not clauses
    inside = clusters(text)
    cuts = sorted({p for s in spans for p in (s.start, s.end)} - inside.keys())
    # a tokenizer's tokens are never empty nor led by white space (spaCy's white space
    # is tokens of its own, left out above; whole_graphemes keeps that so)
    return _split_by_bisection(whole_graphemes(raw, inside), cuts, text)


# The same tokens as a capturing group: ``split`` gives gap, token, gap, token, … gap,
# and the running sum of their lengths gives every offset, with no match object made.
_SIMPLE_SPLIT = re.compile(r"(\w+(?:[’'-]\w+)*|[^\w\s])", re.UNICODE)


# Outside ASCII a word also holds its combining marks (Arabic harakat, Hebrew niqqud),
# which Python's own ``\w`` leaves out; the ``regex`` module's ``\w`` has them.
# (\x1c-\x1f are white space to Python, as to the ASCII pattern, but not to ``regex``)
_WORLD = regex.compile(r"\w+(?:[’'-]\w+)*|[^\w\s\x1c-\x1f]")
_WORLD_SPLIT = regex.compile(r"(\w+(?:[’'-]\w+)*|[^\w\s\x1c-\x1f])")


def _simple_tokens(text: str) -> list[Token]:
    """``[m.span() for m in _SIMPLE.finditer(text)]`` (``_WORLD`` outside ASCII), three
    times as fast."""
    pattern = _SIMPLE_SPLIT if text.isascii() else _WORLD_SPLIT
    offsets = list(accumulate(map(len, pattern.split(text)), initial=0))
    return list(zip(offsets[1:-1:2], offsets[2::2], strict=True))


_NON_ASCII_RUN = regex.compile(r"[\x00-\x7f]?[^\x00-\x7f]+")
_CLUSTER = regex.compile(r"\X")
# A cluster of several code points holds at least one character that can join another
# (an extending or spacing mark, ZWJ, a regional indicator, a prepended mark, a Hangul
# jamo or syllable): a run without one is all single-code-point clusters.
_JOINS = regex.compile(
    r"[^\p{Grapheme_Cluster_Break=Other}\p{Grapheme_Cluster_Break=Control}"
    r"\p{Grapheme_Cluster_Break=CR}\p{Grapheme_Cluster_Break=LF}]"
)


def clusters(text: str) -> dict[int, tuple[int, int]]:
    """Every position strictly inside a grapheme cluster of several code points, with the
    cluster's ``(start, end)``. A cluster that starts with white space (a space carrying
    a combining mark) counts as white space, which is never part of a token: its
    positions map to the empty range at its end, so tokens skip it whole.

    Only runs of non-ASCII characters (and the character before each) are segmented:
    every cluster of several code points but ``\r\n`` has a non-ASCII one.
    """
    inside: dict[int, tuple[int, int]] = {}
    if text.isascii() or not _JOINS.search(text):  # no character that joins another
        return inside
    for run in _NON_ASCII_RUN.finditer(text):
        pos, stop = run.span()
        if not _JOINS.search(text, pos, stop):
            continue
        while pos < stop:
            match = _CLUSTER.match(text, pos)
            assert match is not None
            a, b = match.span()
            if b - a > 1:
                edges = (b, b) if text[a].isspace() else (a, b)
                for p in range(a + 1, b):
                    inside[p] = edges
            pos = b
    return inside


def whole_graphemes(tokens: Sequence[Token], inside: dict[int, tuple[int, int]]) -> list[Token]:
    """``tokens`` widened to whole grapheme clusters, pieces of one cluster joined."""
    if not inside:
        return list(tokens)
    out: list[Token] = []
    for a, b in tokens:
        if a in inside:
            a = inside[a][0]
        if b in inside:
            b = inside[b][1]
        if b <= a:
            continue  # only marks carried by white space
        if out and a < out[-1][1]:
            out[-1] = (out[-1][0], max(b, out[-1][1]))
        else:
            out.append((a, b))
    return out


def split_at(tokens: Sequence[Token], cuts: Sequence[int], text: str) -> list[Token]:
    """``tokens`` cut at each position of ``cuts`` (sorted) that falls inside one. A
    token no cut falls in is kept as it is, unless it is empty or starts with white
    space (then only a part of it with other characters is kept); a piece of a cut one
    that is empty or only white space is dropped.

    Tokens come by the hundred per article and cuts by the ten: the tokens holding a
    cut are found by bisection, and the others copied in slices, when none of them
    needs a look at its text (tokenizers' tokens never do)."""
    if any(b <= a or text[a].isspace() for a, b in tokens):
        return _split_each(tokens, cuts, text)
    return _split_by_bisection(tokens, cuts, text)


def _split_by_bisection(tokens: Sequence[Token], cuts: Sequence[int], text: str) -> list[Token]:
    """:func:`split_at` for tokens that are none of them empty or led by white space
    (a tokenizer's, :func:`whole_graphemes`' output)."""
    starts = [a for a, _b in tokens]
    out: list[Token] = []
    done = 0  # tokens before this one are in out
    k, n = 0, len(cuts)
    while k < n:
        i = bisect_right(starts, cuts[k]) - 1
        if i < 0 or tokens[i][1] <= cuts[k] or tokens[i][0] == cuts[k]:
            k += 1  # before every token, in a gap, or at a token's start: no cut
            continue
        a, b = tokens[i]
        out.extend(tokens[done:i])
        start = a
        while k < n and cuts[k] < b:
            if cuts[k] > start and text[start : cuts[k]].strip():
                out.append((start, cuts[k]))
            start = max(start, cuts[k])
            k += 1
        if b > start and text[start:b].strip():
            out.append((start, b))
        done = i + 1
    out.extend(tokens[done:])
    return out


def _split_each(tokens: Sequence[Token], cuts: Sequence[int], text: str) -> list[Token]:
    """:func:`split_at` token by token, looking at each one's text."""
    out: list[Token] = []
    j = 0
    n = len(cuts)
    for a, b in tokens:
        while j < n and cuts[j] <= a:
            j += 1
        if j == n or cuts[j] >= b:
            if b > a and (not text[a].isspace() or text[a:b].strip()):
                out.append((a, b))
            continue
        start = a
        k = j
        while k < n and cuts[k] < b:
            if cuts[k] > start and text[start : cuts[k]].strip():
                out.append((start, cuts[k]))
            start = cuts[k]
            k += 1
        if b > start and text[start:b].strip():
            out.append((start, b))
    return out


@lru_cache(maxsize=1)
def _spacy() -> Any:
    try:
        import spacy
    except ImportError as exc:
        raise TokenizerUnavailable(install_hint("spacy", "--tokenizer spacy needs spaCy")) from exc
    return spacy.blank("en").tokenizer


# Labels that mark passages (a sentence or a clause), not names: in a one-tag-per-token
# export the names inside them are kept and the passage is left out.
PASSAGE_LABELS = frozenset({"claim", "quote"})


def non_overlapping(spans: Iterable[Span]) -> tuple[list[Span], list[Span]]:
    """(kept, dropped): a non-overlapping selection, names before passages
    (:data:`PASSAGE_LABELS`), then longest spans first.

    The characters kept spans cover are marked in a byte array; a span overlaps one
    kept before when a mark lies in its range (``bytearray.find``, in C). Linear in the
    characters the spans cover, however many spans there are."""
    ordered = sorted(
        spans,
        key=lambda s: (s.label in PASSAGE_LABELS, -(s.end - s.start), s.start, s.label, s.id),
    )
    kept: list[Span] = []
    dropped: list[Span] = []
    taken = bytearray(max((s.end for s in ordered), default=0))
    for span in ordered:
        if taken.find(1, span.start, span.end) >= 0:
            dropped.append(span)
        else:
            kept.append(span)
            taken[span.start : span.end] = b"\x01" * (span.end - span.start)
    kept.sort(key=Span.sort_key)
    return kept, dropped


def covered(ranges: Iterable[tuple[int, int]]) -> tuple[list[int], list[int]]:
    """The union of ``ranges`` as sorted, disjoint ``(starts, ends)``."""
    starts: list[int] = []
    ends: list[int] = []
    for a, b in sorted(ranges):
        if starts and a < ends[-1]:  # overlapping; ranges that only touch stay two
            ends[-1] = max(ends[-1], b)
        else:
            starts.append(a)
            ends.append(b)
    return starts, ends


def strictly_inside(position: int, union: tuple[list[int], list[int]]) -> bool:
    """Whether some range of :func:`covered` runs across ``position`` (a < position < b)."""
    starts, ends = union
    i = bisect_left(starts, position)  # ranges starting before position
    return i > 0 and ends[i - 1] > position


class Positions:
    """The tokens' starts (or ends), ascending, looked up like a ``{position: index}``
    dict by bisection: tokens are sorted and never overlap, so both ascend strictly.
    A tenth of a dict's cost to build, and a span needs only two lookups."""

    __slots__ = ("values",)

    def __init__(self, values: list[int]) -> None:
        self.values = values

    def get(self, position: int, default: int | None = None) -> int | None:
        i = bisect_left(self.values, position)
        return i if i < len(self.values) and self.values[i] == position else default

    def __contains__(self, position: int) -> bool:
        return self.get(position) is not None

    def __getitem__(self, position: int) -> int:
        i = self.get(position)
        if i is None:
            raise KeyError(position)
        return i


def edges(tokens: Sequence[Token]) -> tuple[Positions, Positions]:
    """Token index by start and by end position (for :func:`token_range`)."""
    return Positions(list(map(itemgetter(0), tokens))), Positions(list(map(itemgetter(1), tokens)))


def tags(
    tokens: Sequence[Token],
    spans: Sequence[Span],
    scheme: str = "iob2",
    index: tuple[Positions, Positions] | None = None,
) -> list[str]:
    """One tag per token for non-overlapping ``spans``: IOB2 or BILOU (``index``: the
    tokens' :func:`edges`, when the caller has them)."""
    if scheme not in ("iob2", "bilou"):
        raise ValueError(f"unknown scheme {scheme!r}; use iob2 or bilou")
    out = ["O"] * len(tokens)
    starts, ends = index or edges(tokens)
    for span in spans:
        first, last = token_range(span, starts, ends, tokens)
        if first is None or last is None:
            continue
        for i in range(first, last + 1):
            if scheme == "iob2":
                out[i] = ("B-" if i == first else "I-") + span.label
            elif first == last:
                out[i] = "U-" + span.label
            else:
                out[i] = ("B-" if i == first else "L-" if i == last else "I-") + span.label
    return out


def moved(span: Span, first: int | None, last: int | None, tokens: Sequence[Token]) -> bool:
    """Whether the tokens ``first``..``last`` cover other characters than ``span`` (its
    edge was in white space or inside a grapheme cluster), or none (the span is lost)."""
    if first is None or last is None:
        return True
    return (tokens[first][0], tokens[last][1]) != (span.start, span.end)


def token_range(
    span: Span, starts: Positions, ends: Positions, tokens: Sequence[Token]
) -> tuple[int | None, int | None]:
    """Indices of the span's first and last token (inclusive), None if it covers none.
    An edge in white space takes the first token after it (the last before it)."""
    first = starts.get(span.start)
    if first is None:
        first = bisect_left(starts.values, span.start)  # the first token starting after
        if first == len(tokens):
            first = None
    last = ends.get(span.end)
    if last is None:
        last = bisect_right(ends.values, span.end) - 1  # the last token ending before
        if last < 0:
            last = None
    if first is None or last is None or last < first:
        return None, None
    return first, last


def spans_from_tags(tokens: Sequence[Token], tag_list: Sequence[str]) -> list[tuple[int, int, str]]:
    """(start, end, label) in code points from IOB2, IOB1 or BILOU tags (lenient)."""
    out: list[tuple[int, int, str]] = []
    current: list[Any] | None = None
    for (a, b), tag in zip(tokens, tag_list, strict=True):
        prefix, _, label = tag.partition("-")
        if tag == "O" or not label:
            if current:
                out.append((current[0], current[1], current[2]))
            current = None
            continue
        continues = prefix in ("I", "L") and current is not None and current[2] == label
        if continues and current is not None:
            current[1] = b
        else:
            if current:
                out.append((current[0], current[1], current[2]))
            current = [a, b, label]
        if prefix in ("L", "U"):
            out.append((current[0], current[1], current[2]))
            current = None
    if current:
        out.append((current[0], current[1], current[2]))
    return out
