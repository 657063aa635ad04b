"""The ``propagate`` extractor: what people tagged once, found again everywhere.

``prepare`` collects the text of every accepted span labelled ``entity`` (by a
person, or a reviewed suggestion) in the project; ``extract`` finds each string again
as whole words (an apostrophe ends a word, so "Alekseev" is found in "Alekseev’s"),
case-sensitive unless ``ignore_case``. With ``fuzzy`` (a similarity from 0 to 1, e.g.
0.85) it also proposes variant spellings of the same number of words, "Alekseyev" for
"Alekseev", scored by their similarity (rapidfuzz's normalised Indel similarity). A
variant that merely extends the name ("Russian" for "Russia") is not proposed: that
is another word, not another spelling.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from annotator.core.commands import Batch, SpanChange, make_span
from annotator.core.models import replace_span
from annotator.core.project import Project
from annotator.core.suggestions import Candidate, is_known
from annotator.core.wording import count, quoted

_WORD = re.compile(r"\w+")
MIN_FUZZY_LENGTH = 5


class PropagateExtractor:
    name = "propagate"
    OPTIONS = ("fuzzy", "ignore_case", "label")

    def __init__(
        self, fuzzy: float | None = None, ignore_case: bool = False, label: str = "entity"
    ) -> None:
        if fuzzy is not None and not 0 < float(fuzzy) <= 1:
            raise ValueError("fuzzy must be a similarity between 0 and 1, e.g. 0.85")
        self.fuzzy = None if fuzzy is None else float(fuzzy)
        self.ignore_case = bool(ignore_case)
        self.label = label
        self.names: list[str] = []
        self._pattern: re.Pattern[str] | None = None

    def prepare(self, project: Project) -> None:
        names: set[str] = set()
        for doc in project.documents:
            for span in doc.spans():
                if span.label == self.label and span.status == "accepted":
                    name = " ".join(span.text.split())
                    if len(name) >= 2:
                        names.add(name)
        self.set_names(names)

    def set_names(self, names: set[str] | list[str]) -> None:
        self.names = sorted(set(names), key=lambda n: (-len(n), n))
        if not self.names:
            self._pattern = None
            return
        # Names may wrap across lines: any white space between their words.
        alternatives = (r"\s+".join(map(re.escape, n.split())) for n in self.names)
        flags = re.IGNORECASE if self.ignore_case else 0
        self._pattern = re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + r")(?!\w)", flags)

    def extract(self, text: str) -> Iterator[Candidate]:
        if self._pattern is None:
            return
        exact: set[tuple[int, int]] = set()
        for m in self._pattern.finditer(text):
            exact.add(m.span())
            yield Candidate(m.start(), m.end(), self.label, 1.0)
        if self.fuzzy is not None:
            yield from self._fuzzy(text, exact)

    def _fuzzy(self, text: str, exact: set[tuple[int, int]]) -> Iterator[Candidate]:  # noqa: C901
        """Long on purpose: the sliding windows of each name size and their overlap checks stay in
        one frame (the hot loop of tag-all with variants).
        """
        from rapidfuzz import fuzz, process

        words = [(m.start(), m.end()) for m in _WORD.finditer(text)]
        cutoff = 100 * (self.fuzzy or 1.0)
        by_size: dict[int, list[str]] = {}
        for name in self.names:
            if len(name) >= MIN_FUZZY_LENGTH:
                by_size.setdefault(len(name.split()), []).append(name)
        taken = sorted(exact)
        for size, names in sorted(by_size.items(), reverse=True):  # longest names first
            windows = []
            for i in range(len(words) - size + 1):
                a, b = words[i][0], words[i + size - 1][1]
                chunk = text[a:b]
                if size > 1 and " ".join(chunk.split()) != " ".join(_WORD.findall(chunk)):
                    continue  # punctuation inside: not a name of this many words
                windows.append((a, b, " ".join(chunk.split())))
            choices = [w[2] for w in windows]
            for name in names:
                key = name.lower() if self.ignore_case else name
                for _choice, score, idx in process.extract(
                    name,
                    choices,
                    scorer=fuzz.ratio,
                    score_cutoff=cutoff,
                    limit=None,
                    processor=str.lower if self.ignore_case else None,
                ):
                    a, b, found = windows[idx]
                    cand = found.lower() if self.ignore_case else found
                    if (a, b) in exact or cand == key or _extends(cand, key):
                        continue
                    if not self.ignore_case and found[0].isupper() != name[0].isupper():
                        continue
                    if any(a < tb and ta < b for ta, tb in taken):
                        continue  # inside a longer name already proposed
                    taken.append((a, b))
                    yield Candidate(a, b, self.label, round(score / 100, 3), {"variant_of": name})


def _extends(a: str, b: str) -> bool:
    """One is the other plus letters at the end: an inflection, not a spelling."""
    a, b = a.lower(), b.lower()
    return a.startswith(b) or b.startswith(a)


def tag_occurrences(
    project: Project,
    doc_ids: list[str],
    text: str,
    label: str,
    *,
    variants: bool = False,
    author: str | None = None,
    similarity: float = 0.8,
) -> Batch:
    """Edit ▸ Tag All Occurrences: every occurrence of ``text`` as whole words in the
    documents ``doc_ids``, tagged ``label`` as one undoable batch of spans a person
    made; with ``variants``, also variant spellings (the matching of this extractor,
    at ``similarity``). Ranges that already carry ``label``, or any span a person
    made, are left alone.
    """
    name = " ".join(text.split())
    matcher = PropagateExtractor(fuzzy=similarity if variants else None, label=label)
    matcher.set_names([name])
    changes: list[SpanChange] = []
    for doc_id in doc_ids:
        doc = project.document(doc_id)
        for cand in matcher.extract(doc.text):
            if is_known(doc, cand.start, cand.end, label):
                continue
            span = make_span(doc, cand.start, cand.end, label, snap=False, author=author)
            if cand.attributes:
                span = replace_span(span, attributes=dict(cand.attributes))
            changes.append(SpanChange(doc.id, None, span))
    found = count(len(changes), "occurrence")
    what = f"{found} of {quoted(name)}" + (" and its variants" if variants else "")
    return Batch(f"Tag {what} as {label}", tuple(changes))
