"""The ``quotes`` extractor: direct quotations, and who said them where the text says.

Found, as ``quote`` suggestions over the quoted words (the marks themselves are left
out):

- double quotes, straight ``"…"`` and curly ``“…”``, and guillemets ``«…»``;
- single curly quotes ``‘…’``, where the closing ``’`` is not an apostrophe (an
  apostrophe has a letter right after it: ``Kirillov’s``, ``it’s``);
- a quotation over several paragraphs, where each paragraph opens the quote again
  and only the last one closes it (one suggestion over all of them);
- a block quote: a paragraph ending with a colon, followed by a paragraph of at
  least :data:`BLOCK_MIN_WORDS` words with no quote marks of its own.

Straight single quotes are left alone: they are apostrophes far more often than quotes.
Where the sentence names the speaker (“… ,” Umerov said; Lavrov said: “…”; a block
quote's introduction, "Sergei Lavrov accused Kyiv …:") the name is kept in the
``speaker`` attribute and proposed as a ``speaker`` relation from the quote to the
entity span over the name (the one the document has, or a suggested one with it).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from annotator.core.suggestions import Candidate, Related
from annotator.extract.sentences import paragraphs

LABEL = "quote"
BLOCK_MIN_WORDS = 8
SPEECH_VERBS = (
    "said|says|say|told|tells|added|adds|stated|states|wrote|writes|declared|declares|"
    "announced|warned|warns|insisted|insists|claimed|claims|accused|accuses|argued|"
    "argues|explained|noted|replied|asked|urged|tweeted|posted|continued|concluded"
)
_PAIRS = {"“": "”", "«": "»", "‘": "’"}
_TITLES = frozenset(
    [
        "president",
        "minister",
        "foreign",
        "prime",
        "general",
        "lieutenant",
        "colonel",
        "major",
        "captain",
        "spokesman",
        "spokesperson",
        "spokeswoman",
        "chief",
        "head",
        "secretary",
        "senator",
        "governor",
        "mayor",
        "deputy",
        "director",
        "ambassador",
        "envoy",
        "commander",
        "mr",
        "mrs",
        "ms",
        "dr",
        "sir",
        "lord",
        "lady",
        "king",
        "queen",
        "prince",
        "russian",
        "ukrainian",
        "us",
        "american",
        "british",
        "kremlin",
    ]
)
_NAME_WORD = r"[^\W\d_][\w’'.-]*"
_AFTER = re.compile(
    rf"^[\s,.;:!?—–”’\"»-]*(?:(?P<verb1>{SPEECH_VERBS})\s+(?P<name1>{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,4}})"
    rf"|(?P<name2>{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,5}}?)\s+(?:has\s+|had\s+)?(?P<verb2>{SPEECH_VERBS})\b)"
)
_BEFORE = re.compile(
    rf"(?P<name>{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,5}}?)\s+(?:has\s+|had\s+|also\s+)?"
    rf"(?P<verb>{SPEECH_VERBS})\b[^“”\"«».!?]*[:,]?\s*$"
)


class QuoteExtractor:
    name = "quotes"
    OPTIONS = ("min_words",)

    def __init__(self, min_words: int = 1) -> None:
        self.min_words = int(min_words)

    def extract(self, text: str) -> Iterator[Candidate]:
        paras = list(paragraphs(text))
        i = 0
        while i < len(paras):
            a, b = paras[i]
            consumed = 0
            for start, end, continued in _quotes_in(text, a, b):
                if continued:
                    closed, consumed = _continue(text, paras, i, start)
                    if closed is None:
                        break
                    end = closed
                cand = self._candidate(text, start, end, paragraphs=consumed + 1)
                if cand is not None:
                    yield cand
            if not consumed and _is_block_intro(text, a, b) and i + 1 < len(paras):
                block = self._block(text, a, b, *paras[i + 1])
                if block is not None:
                    yield block
                    consumed = 1
            i += consumed + 1

    def _candidate(self, text: str, start: int, end: int, *, paragraphs: int) -> Candidate | None:
        marks = (start - 1, end + 1)  # the opening and closing quote marks
        while start < end and text[start].isspace():
            start += 1
        while end > start and (text[end - 1].isspace() or text[end - 1] in ",;"):
            end -= 1
        words = len(text[start:end].split())
        if words < self.min_words or not any(c.isalpha() for c in text[start:end]):
            return None
        attrs: dict[str, str | int | float | bool] = {}
        speaker = find_speaker(text, *marks)
        related: tuple[Related, ...] = ()
        if speaker:
            attrs["speaker"] = speaker
            at = text.find(speaker, marks[1], marks[1] + 160)
            if at < 0:
                at = text.rfind(speaker, max(0, marks[0] - 200), max(marks[0], 0))
            related = _speaker_at(at, speaker)
        if paragraphs > 1:
            attrs["paragraphs"] = paragraphs
        score = 0.9 if words >= 4 else 0.6 if words >= 2 else 0.4
        return Candidate(start, end, LABEL, score, attrs, related)

    def _block(self, text: str, ia: int, ib: int, a: int, b: int) -> Candidate | None:
        body = text[a:b]
        if len(body.split()) < BLOCK_MIN_WORDS or any(q in body for q in '"“”«»'):
            return None
        start, end = a, b
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        attrs: dict[str, str | int | float | bool] = {"block": True}
        speaker = _speaker_before(text[ia:ib])
        related: tuple[Related, ...] = ()
        if speaker:
            attrs["speaker"] = speaker
            related = _speaker_at(text.rfind(speaker, ia, ib), speaker)
        return Candidate(start, end, LABEL, 0.7, attrs, related)


def _speaker_at(at: int, speaker: str) -> tuple[Related, ...]:
    """The speaker's name where it stands in the text: a suggested ``speaker`` relation
    from the quote to the entity there (found, or proposed with it)."""
    return (Related("speaker", at, at + len(speaker), "entity"),) if at >= 0 else ()


def _quotes_in(text: str, a: int, b: int) -> Iterator[tuple[int, int, bool]]:
    """``(content start, content end, continues)`` of each quote opened in ``[a, b)``."""
    i = a
    while i < b:
        ch = text[i]
        if ch in _PAIRS and _opens(text, i, a):
            close = _find_close(text, i + 1, b, _PAIRS[ch])
            if close is None:
                if ch != "‘":
                    yield i + 1, b, True
                    return
                i += 1
                continue
            yield i + 1, close, False
            i = close + 1
        elif ch == '"':
            close = text.find('"', i + 1, b)
            if close < 0:
                yield i + 1, b, True
                return
            yield i + 1, close, False
            i = close + 1
        else:
            i += 1


def _opens(text: str, i: int, para_start: int) -> bool:
    if text[i] != "‘":
        return True
    prev = text[i - 1] if i > para_start else " "
    return not prev.isalnum()


def _find_close(text: str, i: int, b: int, mark: str) -> int | None:
    while True:
        j = text.find(mark, i, b)
        if j < 0:
            return None
        if mark != "’":
            return j
        nxt = text[j + 1] if j + 1 < len(text) else " "
        if not nxt.isalpha() and j > i and not text[j - 1].isspace():
            return j
        i = j + 1


def _continue(
    text: str, paras: list[tuple[int, int]], i: int, start: int
) -> tuple[int | None, int]:
    """Follow a quote left open at the end of paragraph ``i`` through the next ones."""
    opener = text[start - 1]
    closer = _PAIRS.get(opener, '"')
    k = i + 1
    while k < len(paras):
        a, b = paras[k]
        if text[a] != opener:
            return None, 0
        close = _find_close(text, a + 1, b, closer)
        if close is not None:
            return close, k - i
        k += 1
    return None, 0


def _is_block_intro(text: str, a: int, b: int) -> bool:
    return text[a:b].rstrip().endswith(":")


def find_speaker(text: str, open_mark: int, close_mark: int) -> str | None:
    """The named speaker right after the quote, or right before it in the same sentence."""
    line_end = text.find("\n", close_mark)
    after = text[close_mark : line_end if line_end >= 0 else len(text)][:100]
    m = _AFTER.match(after)
    if m:
        # "said Zoë Varga on Monday": the name is the run of capitalised words after the
        # verb; "Zoë Varga said": the run before it
        name = _leading_name(m.group("name1")) if m.group("name1") else _name(m.group("name2"))
        if name:
            return name
    line_start = text.rfind("\n", 0, max(open_mark, 0)) + 1
    return _speaker_before(text[line_start : max(open_mark, 0)][-160:])


def _speaker_before(fragment: str) -> str | None:
    m = _BEFORE.search(fragment)
    return _name(m.group("name")) if m else None


def _leading_name(words: str) -> str | None:
    """The first run of capitalised words, without titles, ending where a sentence or
    clause does: "Zoë Varga on Monday. Varga" → "Zoë Varga"."""
    run: list[str] = []
    for word in words.split():
        if not word[0].isupper():
            break
        run.append(word)
        if word[-1] in ".,;:!?" and not re.fullmatch(r"\w\.", word):
            break
    while run and run[0].lower().strip(".") in _TITLES:
        run.pop(0)
    name = " ".join(run).strip(",.;:!?")
    return name or None


def _name(words: str) -> str | None:
    """The trailing run of capitalised words, without titles: "foreign minister Sergei
    Lavrov" → "Sergei Lavrov"; "he" → None."""
    run: list[str] = []
    for word in reversed(words.split()):
        if not word[0].isupper():
            break
        run.append(word)
    run.reverse()
    while run and run[0].lower().strip(".") in _TITLES:
        run.pop(0)
    name = " ".join(run).strip(",.;:")
    return name or None
