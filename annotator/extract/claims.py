"""The ``claims`` extractor: sentences worth checking, scored so reviewers can sort.

Each sentence gets points for what makes a statement checkable (see :data:`CUES`):
a number or an amount in words, a date, a count or comparison, a statement
attributed to a source. Questions, very short lines and sentences with no verb-like
word lose points. A sentence scoring at least ``min_score`` (default
:data:`DEFAULT_MIN_SCORE`) is proposed as a ``claim``; the cues it matched are kept
in the ``cues`` attribute. The rules favour precision over recall: how they score
on the seed articles is in ``docs/extractors.md`` (``benchmarks/claims_eval.py``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from annotator.core.suggestions import Candidate
from annotator.extract.sentences import sentences

LABEL = "claim"
DEFAULT_MIN_SCORE = 0.5
MIN_WORDS = 6

_NUMBER_WORDS = (
    "two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|"
    "fifty|hundred|hundreds|thousand|thousands|million|millions|billion|billions|dozen|dozens|"
    "twice|half|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth"
)
_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_DAYS = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"

CUES: dict[str, tuple[float, re.Pattern[str]]] = {
    "number": (0.35, re.compile(r"\d")),
    "amount": (0.3, re.compile(rf"\b(?:{_NUMBER_WORDS})\b", re.IGNORECASE)),
    "date": (
        0.25,
        re.compile(
            rf"\b(?:{_MONTHS}|{_DAYS}|yesterday|today|last (?:week|month|year)|"
            r"(?:1[89]|20)\d\d)\b"
        ),
    ),
    "comparison": (
        0.3,
        re.compile(
            r"\b(?:more|less|fewer|greater|higher|lower|larger|smaller) than\b|"
            r"\bat (?:least|most)\b|\b(?:nearly|almost|around|about|over|up to|as many as|"
            r"times|percent|per cent|record|largest|biggest|highest|lowest|worst|first|"
            r"latest|only)\b|%",
            re.IGNORECASE,
        ),
    ),
    "attribution": (
        0.35,
        re.compile(
            r"\baccording to\b|\b(?:said|says|say|claimed|claims|reported|reportedly|"
            r"confirmed|accused|accuses|believes|believed|estimated|announced|denied|"
            r"alleged|allegedly|stated)\b",
            re.IGNORECASE,
        ),
    ),
    "event": (
        0.2,
        re.compile(
            r"\b(?:killed|shot|died|wounded|injured|arrested|sanctioned|launched|struck|"
            r"attacked|signed|agreed|elected|fired|bombarded|destroyed|charged|pleaded)\b",
            re.IGNORECASE,
        ),
    ),
}
_VERBISH = re.compile(
    r"\b(?:is|are|was|were|be|been|has|have|had|will|would|can|could|did|does|do)\b|\w+ed\b|"
    r"\w+s\b",
    re.IGNORECASE,
)


def score_sentence(sentence: str) -> tuple[float, list[str]]:
    """The sentence's score in [0, 1] and the names of the cues it matched."""
    hits = [name for name, (_w, pattern) in CUES.items() if pattern.search(sentence)]
    score = sum(CUES[name][0] for name in hits)
    words = len(sentence.split())
    if words < MIN_WORDS:
        score -= 0.4
    if sentence.rstrip("”\"’' ").endswith("?"):
        score -= 0.4
    if not _VERBISH.search(sentence):
        score -= 0.3
    return max(0.0, min(1.0, round(score, 3))), hits


class ClaimExtractor:
    name = "claims"
    OPTIONS = ("min_score",)

    def __init__(self, min_score: float = DEFAULT_MIN_SCORE) -> None:
        self.min_score = float(min_score)

    def extract(self, text: str) -> Iterator[Candidate]:
        for start, end in sentences(text):
            score, cues = score_sentence(text[start:end])
            if score >= self.min_score:
                yield Candidate(start, end, LABEL, score, {"cues": ",".join(cues)})
