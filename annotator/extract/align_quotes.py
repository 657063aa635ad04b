"""The ``align-quotes`` aligner: the same quote reported in different words by
different documents.

Units are the quote spans the documents have (not rejected ones) and the quotes the
``quotes`` extractor finds where there is none (proposed as suggested ``quote`` spans
when aligned). Two quotes of different documents are scored by their content words,
order-insensitive (the share of the shorter quote's words found in the other:
:func:`annotator.extract.align.overlap`), weakened for quotes of fewer than
:data:`FULL_WORDS` content words (one word, "anything", proves little); the speaker
is a strong hint: the same speaker on both adds :data:`SPEAKER_BONUS`, two different
speakers halve the score. Pairs scoring at least ``min_score`` are proposed as
``same`` links, as a spanning tree (a quote cut into fragments by one outlet joins the
whole of it in another).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from annotator.core.project import Document, Project
from annotator.core.suggestions import Alignment
from annotator.extract.align import (
    ScoredAligner,
    content_words,
    document_pairs,
    in_order,
    overlap,
    proposal,
    spanning,
)
from annotator.extract.names import MATCH, clean_name, name_similarity
from annotator.extract.quotes import QuoteExtractor

LABEL = "quote"
DEFAULT_MIN_SCORE = 0.5
FULL_WORDS = 4
SPEAKER_BONUS = 0.25


@dataclass(frozen=True)
class _Quote:
    document: str
    start: int
    end: int
    words: frozenset[str]
    speaker: str


def quotes(project: Project, doc: Document, label: str = LABEL) -> list[_Quote]:
    """The quote spans of ``doc``, and the quotes found where it has none."""
    found: list[tuple[int, int, str]] = []
    for span in doc.spans():
        if span.label == label and span.status != "rejected":
            found.append((span.start, span.end, _speaker_of(project, doc, span)))
    for cand in QuoteExtractor().extract(doc.text):
        if not any(cand.start < e and s < cand.end for s, e, _ in found):
            found.append((cand.start, cand.end, str(cand.attributes.get("speaker", ""))))
    return [
        _Quote(doc.id, a, b, content_words(doc.text[a:b]), clean_name(speaker) if speaker else "")
        for a, b, speaker in sorted(found)
    ]


def _speaker_of(project: Project, doc: Document, span: object) -> str:
    speaker = getattr(span, "attributes", {}).get("speaker")
    if isinstance(speaker, str) and speaker:
        return speaker
    for relation in project.relations_of(doc.id, getattr(span, "id", "")):
        if relation.type == "speaker" and relation.status != "rejected":
            target = project.span_of(relation.target.key)
            if target is not None:
                return target.text
    return ""


def score(a: _Quote, b: _Quote) -> float:
    words = overlap(a.words, b.words) * min(1.0, min(len(a.words), len(b.words)) / FULL_WORDS)
    if a.speaker and b.speaker:
        if name_similarity(a.speaker, b.speaker) >= MATCH:
            words += SPEAKER_BONUS
        else:
            words *= 0.5
    return round(min(words, 1.0), 3)


class QuoteAligner(ScoredAligner):
    name = "align-quotes"
    DEFAULT_MIN_SCORE = DEFAULT_MIN_SCORE

    def align(
        self,
        project: Project,
        documents: list[Document],
        progress: Callable[[int, int], None] | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> list[Alignment]:
        per_doc = [quotes(project, doc) for doc in documents]
        edges: list[tuple[float, _Quote, _Quote]] = []
        for i, j in document_pairs(len(documents), progress, cancelled):
            for a in per_doc[i]:
                for b in per_doc[j]:
                    s = score(a, b)
                    if s >= self.min_score:
                        edges.append((s, a, b))
        return in_order([proposal("same", a, b, LABEL, s) for s, a, b in spanning(edges)])
