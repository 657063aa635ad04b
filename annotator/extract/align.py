"""What the aligners share: content words, how much two texts say the same, and the
two ways of choosing which proposed links to keep.

- :func:`content_words`: the words that carry meaning (no function words), folded as
  names are (:func:`annotator.extract.names.fold_word`) and cut to a crude stem
  (``-ing``, ``-ed``, ``-s`` off), so "confirms" and "confirmed", "Zelensky" and
  "Zelenskyy" are one word.
- :func:`overlap`: the share of the smaller set's words found in the other, a word
  counting as found when it is the same stem or, from five letters, alike by
  rapidfuzz's Indel similarity ≥ 0.8 ("rebuilt" / "rebuild"). Order does not matter.
- :func:`spanning`: of scored ``same`` edges, the strongest that join new members
  (a maximum spanning forest, Kruskal's algorithm), so a group of n mentions is
  proposed as n − 1 links, each with its own score.
- :func:`one_to_one`: of scored pairs between two documents, each item in at most one
  pair, strongest first.
- :func:`document_pairs`, :func:`proposal`, :func:`in_order`: the loop over pairs of
  documents (progress, Cancel) and the alignments it ends in.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from functools import lru_cache
from itertools import combinations
from typing import Protocol, TypeVar

from rapidfuzz import process
from rapidfuzz.distance import Indel

from annotator.core.progress import Cancelled
from annotator.core.suggestions import Alignment, Mention
from annotator.extract.names import fold_word, wordset

T = TypeVar("T", bound=Hashable)

STOPWORDS = wordset(
    """a about above after again against all also am an and any are as at be because been
    before being below between both but by can could did do does doing down during each
    few for from further had has have having he her here hers herself him himself his how
    i if in into is it its itself just me more most my no nor not now of off on once only
    or other our ours out over own same she should so some such than that the their them
    then there these they this those through to too under until up very was we were what
    when where which while who whom why will with would you your it's we'll we're that's
    said says say told tells one every s t"""
)
_TOKEN = re.compile(r"[^\W_][\w’'-]*")
SIMILAR_WORD = 0.8
MIN_FUZZY_WORD = 5
# rapidfuzz's process functions compare with the cutoff in their own precision: 0.8
# exactly (two letters of ten) falls below 0.8 there, so allow for it
_CUTOFF = SIMILAR_WORD - 1e-6


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    w = fold_word(word)
    for suffix in ("ing", "ed", "es", "s"):
        if len(w) - len(suffix) >= 4 and w.endswith(suffix):
            return w[: -len(suffix)]
    return w


def content_words(text: str) -> frozenset[str]:
    return frozenset(
        stem(t) for t in _TOKEN.findall(text) if t.lower() not in STOPWORDS and len(t) > 1
    )


def shared(a: frozenset[str], b: frozenset[str]) -> int:
    """How many words of the smaller set are found in the other: the same, else (five
    letters or more) alike."""
    small, big = (a, b) if len(a) <= len(b) else (b, a)
    same = small & big
    left = [w for w in small - same if len(w) >= MIN_FUZZY_WORD]
    if not left:
        return len(same)
    others = [o for o in big - same if len(o) >= MIN_FUZZY_WORD]
    alike = sum(
        process.extractOne(w, others, scorer=Indel.normalized_similarity, score_cutoff=_CUTOFF)
        is not None
        for w in left
    )
    return len(same) + alike


def overlap(a: frozenset[str], b: frozenset[str]) -> float:
    """Share of the smaller set's words found in the other (0 when either is empty)."""
    if not a or not b:
        return 0.0
    return shared(a, b) / min(len(a), len(b))


class ScoredAligner:
    """What the three aligners share: a name, and the lowest score a link needs
    (``--min-score``; ``DEFAULT_MIN_SCORE`` of the subclass when not given)."""

    name = ""
    OPTIONS = ("min_score",)
    DEFAULT_MIN_SCORE = 0.5

    def __init__(self, min_score: float | None = None) -> None:
        chosen = self.DEFAULT_MIN_SCORE if min_score is None else min_score
        if not 0 <= float(chosen) <= 1:
            raise ValueError("min_score must be between 0 and 1, e.g. 0.5")
        self.min_score = float(chosen)


class Placed(Protocol):
    """Anything an aligner compares: a range of a document."""

    @property
    def document(self) -> str: ...
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...


def proposal(
    kind: str, a: Placed, b: Placed, label: str, score: float, note: str | None = None
) -> Alignment:
    """The alignment of two compared units, both ends carrying ``label``."""
    return Alignment(
        kind,
        Mention(a.document, a.start, a.end, label),
        Mention(b.document, b.start, b.end, label),
        score,
        note,
    )


def in_order(alignments: list[Alignment]) -> list[Alignment]:
    """Reading order: by the first end's document and place."""
    return sorted(
        alignments, key=lambda al: (al.source.document, al.source.start, al.target.document)
    )


def document_pairs(
    count: int,
    progress: Callable[[int, int], None] | None,
    cancelled: Callable[[], bool] | None,
) -> Iterator[tuple[int, int]]:
    """Every pair of ``count`` documents (by index), reporting progress after each and
    stopping with :class:`Cancelled` when asked."""
    pairs = list(combinations(range(count), 2))
    for done, pair in enumerate(pairs):
        if cancelled is not None and cancelled():
            raise Cancelled
        yield pair
        if progress is not None:
            progress(done + 1, len(pairs))


def spanning(edges: Iterable[tuple[float, T, T]]) -> list[tuple[float, T, T]]:
    """The strongest edges that join new members: a maximum spanning forest."""
    parent: dict[T, T] = {}

    def root(x: T) -> T:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    kept = []
    for edge in sorted(edges, key=lambda e: -e[0]):
        ra, rb = root(edge[1]), root(edge[2])
        if ra != rb:
            parent[ra] = rb
            kept.append(edge)
    return kept


def one_to_one(pairs: Sequence[tuple[float, T, T]]) -> list[tuple[float, T, T]]:
    """Strongest first, each item in at most one kept pair."""
    used: set[T] = set()
    kept = []
    for pair in sorted(pairs, key=lambda p: -p[0]):
        if pair[1] in used or pair[2] in used:
            continue
        used.update((pair[1], pair[2]))
        kept.append(pair)
    return kept
