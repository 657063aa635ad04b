"""The ``align-claims`` aligner: sentences in different documents about the same
fact, and where their numbers, dates or ages disagree.

Units are the claim spans the documents have (not rejected ones), and every other
sentence of at least six words (proposed as a suggested ``claim`` span when it is
aligned). Two sentences of different documents
are about the same fact when they say enough of the same: a score from their content
words (shared ÷ √(size × size), :mod:`annotator.extract.align`), the names they share
(:mod:`annotator.extract.names`) and whether they state a fact of the same kind and
unit (:mod:`annotator.extract.facts`); an age given to the same person is enough on
its own. Each sentence is paired with at most one of another document as the same, and
with at most one as differing, best first.

The pair becomes ``contradicts`` when a shared fact cannot hold in both (64 / 65,
2013 / 2023, March 3 / March 4), ``differs`` when the facts are compatible but not the
same (six times / at least three times), or when a pair scoring at least
:data:`PLACE_CONFIDENT` places it in different places (in Volokolamsk / in the north
of the city), else ``same``; the note says what differs (``age: 65 / 64``).
``same`` links are proposed as a spanning tree, like the other aligners.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

from annotator.core.project import Document, Project
from annotator.core.suggestions import Alignment
from annotator.extract.align import (
    ScoredAligner,
    content_words,
    document_pairs,
    in_order,
    one_to_one,
    proposal,
    shared,
    spanning,
)
from annotator.extract.claims import MIN_WORDS
from annotator.extract.facts import Difference, Fact, compare, facts, shared_kinds
from annotator.extract.names import MATCH, blocking_keys, find_names, name_similarity
from annotator.extract.sentences import sentences

LABEL = "claim"
DEFAULT_MIN_SCORE = 0.35
SAME_WORDS = 0.4  # sentences with no shared fact must share this much to be "same"
PLACE_CONFIDENT = 0.5  # a pair this sure of being one fact differs when its places do
# Before the fuzzy word match: sentences with no fact or surname in common and fewer of the same
# words than this are not looked at further (alike spellings add a word or two, not
# enough to reach SAME_WORDS), which keeps the aligner fast on many sentences.
PREFILTER = 0.25


@dataclass(frozen=True)
class _Unit:
    document: str
    start: int
    end: int
    words: frozenset[str]
    names: tuple[str, ...]
    facts: tuple[Fact, ...]

    @cached_property
    def kinds(self) -> frozenset[tuple[str, str]]:
        return frozenset((f.kind, f.unit) for f in self.facts)

    @cached_property
    def surnames(self) -> frozenset[str]:
        return frozenset(blocking_keys(n)[0] for n in self.names)


@dataclass(frozen=True)
class Judged:
    """How two sentences relate: a score, the link type and what differs."""

    score: float
    type: str
    differences: tuple[Difference, ...]

    @property
    def note(self) -> str | None:
        return "; ".join(d.describe() for d in self.differences) or None


NOTHING = Judged(0.0, "same", ())


def units(doc: Document, label: str = LABEL) -> list[_Unit]:
    """The claim spans of ``doc`` and its other check-worthy sentences."""
    ranges = [(s.start, s.end) for s in doc.spans() if s.label == label and s.status != "rejected"]
    for a, b in sentences(doc.text):
        if len(doc.text[a:b].split()) >= MIN_WORDS and not any(a < e and s < b for s, e in ranges):
            ranges.append((a, b))
    out = []
    for a, b in sorted(ranges):
        text = doc.text[a:b]
        names = tuple(n.text for n in find_names(text))
        out.append(_Unit(doc.id, a, b, content_words(text), names, tuple(facts(text))))
    return out


def judge(a: _Unit, b: _Unit) -> Judged:
    """The score and type of the pair (score 0: not about the same fact)."""
    if not a.words or not b.words:
        return NOTHING
    if (
        not (a.kinds & b.kinds)
        and not (a.surnames & b.surnames)
        and len(a.words & b.words) < PREFILTER * math.sqrt(len(a.words) * len(b.words))
    ):
        return NOTHING  # no fact or name in common, too few words alike to say the same
    common = shared(a.words, b.words)
    cosine = common / math.sqrt(len(a.words) * len(b.words)) if a.words and b.words else 0.0
    names = _shared_names(a.names, b.names)
    _agree, diffs = compare(list(a.facts), list(b.facts), places=False)
    kinds = {k for k, _unit in shared_kinds(list(a.facts), list(b.facts))} - {"place"}
    same_kind = bool(kinds)
    # a year in common says less than an age, a count or a date in common; a place
    # (Moscow, Ukraine: in half the sentences) says nothing of whether two are one fact
    fact = 0.3 if kinds - {"year"} else 0.15 if kinds else 0.0
    score = 0.5 * cosine + 0.2 * names + fact
    if _same_age_subject(a.facts, b.facts):
        score = max(score, 0.8)
    elif not same_kind and cosine < SAME_WORDS:
        return NOTHING
    if not diffs and score >= PLACE_CONFIDENT:
        # surely one fact, told as happening in different places: they differ
        _agree, where = compare(list(a.facts), list(b.facts))
        diffs = [d for d in where if d.kind == "place"]
    if any(d.contradicts for d in diffs):
        kind = "contradicts"
    elif diffs:
        kind = "differs"
    else:
        kind = "same"
    return Judged(round(min(score, 1.0), 3), kind, tuple(diffs))


def _shared_names(a: tuple[str, ...], b: tuple[str, ...]) -> float:
    if not a or not b:
        return 0.0
    small, big = (a, b) if len(a) <= len(b) else (b, a)
    found = sum(any(name_similarity(x, y) >= MATCH for y in big) for x in small)
    return found / len(small)


def _same_age_subject(a: tuple[Fact, ...], b: tuple[Fact, ...]) -> bool:
    return any(
        x.kind == "age" == y.kind
        and x.subject
        and y.subject
        and name_similarity(x.subject, y.subject) >= MATCH
        for x in a
        for y in b
    )


class ClaimAligner(ScoredAligner):
    name = "align-claims"
    DEFAULT_MIN_SCORE = DEFAULT_MIN_SCORE

    def align(
        self,
        project: Project,
        documents: list[Document],
        progress: Callable[[int, int], None] | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> list[Alignment]:
        per_doc = [units(doc) for doc in documents]
        same: list[tuple[float, _Unit, _Unit]] = []
        out: list[Alignment] = []
        notes: dict[tuple[_Unit, _Unit], Judged] = {}
        for i, j in document_pairs(len(documents), progress, cancelled):
            scored = []
            for a in per_doc[i]:
                for b in per_doc[j]:
                    judged = judge(a, b)
                    if judged.score >= self.min_score:
                        scored.append((judged.score, a, b))
                        notes[(a, b)] = judged
            # a sentence may agree with one sentence of another document and disagree
            # with another one: each kind is chosen one to one on its own
            agreeing = [p for p in scored if notes[(p[1], p[2])].type == "same"]
            same += one_to_one(agreeing)
            for score, a, b in one_to_one([p for p in scored if p not in agreeing]):
                judged = notes[(a, b)]
                out.append(proposal(judged.type, a, b, LABEL, score, judged.note))
        out += [proposal("same", a, b, LABEL, score) for score, a, b in spanning(same)]
        return in_order(out)
