"""Names in news prose, and when two of them name the same one: the matching the
``entities`` aligner and the claim and quote aligners share.

**Finding names** (:func:`find_names`): a run of capitalised words (``of``, ``de``,
``bin`` … may join two of them), without the titles in front ("Lieutenant General
Vladimir Alekseev" → "Vladimir Alekseev"), without a possessive ending
("Alekseev’s" → "Alekseev"), and not a lone function word, month or weekday at the
start of a sentence ("The", "In December"). An acronym written out in the same
article, ``Russian military intelligence (GRU)``, makes the written-out words a name
of the same thing (:func:`acronym_aliases`).

**Normalising** (:func:`fold`), written down because every match depends on it:

1. Unicode NFKD without combining marks, case-folded ("Zoë" → "zoe");
2. a possessive ``’s``/``'s``/``’`` at the end removed;
3. the spellings that transliterations of one name differ by, made one: ``ye`` → ``e``
   (Yevgeny, Alekseyev), ``ks`` → ``x``, ``kh`` → ``h``, ``w`` → ``v``, ``cz`` → ``ch``,
   ``sz`` → ``sh``, ``ph`` → ``f``, ``y`` → ``i``, and any doubled letter made single
   (Zelenskyy → zelenski, Evgeniy → evgeni).

**Matching** (:func:`name_similarity`), with rapidfuzz's normalised Indel similarity
on the folded words: two names of several words match when their last words (the
surname) and their first words match; a single word matches a longer name's last
word (a surname alone after the full name) or, for organisations, its first word
("Wagner" and "Wagner Group"); an all-capital acronym matches the initials of the
other name ("EU", "European Union"). The similarity is the lowest of the word scores.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz.distance import Indel


def wordset(text: str) -> frozenset[str]:
    """The words of a written list (the lists below read better as prose)."""
    return frozenset(text.split())


# Words that, at the front of a name, are a title or a nationality, not the name.
TITLES = wordset(
    """president minister foreign prime general lieutenant colonel major captain spokesman
    spokesperson spokeswoman chief head secretary senator governor mayor deputy director
    ambassador envoy commander mr mrs ms dr sir lord lady king queen prince engineer
    russian ukrainian us american british kremlin former
    negotiator special diver captain transport interior defence defense finance health
    justice state the a an"""
)
# Capitalised words that are not names on their own (sentence starts, dates).
NOT_NAMES = wordset(
    """the a an in on at of for to from by with and or but if as it its this that these
    those there their they them he she his her we our you your i my me us one two three
    four five six seven eight nine ten no not nobody nothing some such many most more
    however nevertheless despite although since after before while when where which who
    what why how during between prior previously critics residents officials volunteers
    emergency city council floodwater monday tuesday wednesday thursday friday saturday
    sunday january february march april may june july august september october november
    december yesterday today get sign comments with wires london then every according
    also still"""
)
# Joiners inside a name: "Ministry of Defence", "Osama bin Laden".
_JOINERS = wordset("of de del der van von bin al la le da di du")
# Last words that make a name an organisation (a single word matches its first word).
KIND_WORDS = wordset(
    """group company corporation party union bank agency ministry council committee
    service services army forces office court university institute foundation authority
    river bay lake sea island islands mountains valley"""
)
# Adjectives of nationality look like names but name no one: "European" is not the
# European Union.
_ADJECTIVE = re.compile(r"(?:an|ian|ean|ese|ish|ic)$")
_ARTICLE = re.compile(r"^(?:al|el|ul)(?:-|$)")
_NAME_PREFIX = re.compile(r"^(?:al|el|bin|ibn|abu|de|da|van|von|di|du|le|la)-[^\W\d_]")

_WORD = re.compile(r"[^\W\d_][\w’'.\-]*")
_POSSESSIVE = re.compile(r"(?:[’']s|[’'])$", re.IGNORECASE)
_ACRONYM = re.compile(r"\(([A-Z]{2,6})\)")
_FOLDS = (
    ("ye", "e"),
    ("ks", "x"),
    ("kh", "h"),
    ("w", "v"),
    ("cz", "ch"),
    ("sz", "sh"),
    ("ph", "f"),
    ("y", "i"),
)
_DOUBLE = re.compile(r"(.)\1+")
MATCH = 0.85  # the lowest word similarity that counts as the same name
FIRST_NAME_MATCH = 0.7  # first names vary more between transliterations (Husam, Hossam)


@dataclass(frozen=True)
class Name:
    """A name where it stands: code points ``[start, end)`` of the text."""

    start: int
    end: int
    text: str

    @property
    def words(self) -> tuple[str, ...]:
        return tuple(self.text.split())


def clean_name(text: str) -> str:
    """A name as written around it, without the titles and function words in front
    ("Diver Husam Faruk" → "Husam Faruk", "Captain Mohammed el-Sayed" → "Mohammed
    el-Sayed") or a possessive at the end; nothing for a pronoun ("He")."""
    words = re.split(r"(?<=[a-z]{2}[.!?])\s+", text.strip())[-1].split()
    while len(words) > 1 and (
        words[0].lower().strip(".") in TITLES or words[0].lower() in NOT_NAMES
    ):
        words.pop(0)
    name = strip_possessive(" ".join(words))
    return "" if name.lower() in NOT_NAMES else name


def strip_possessive(word: str) -> str:
    return _POSSESSIVE.sub("", word)


@lru_cache(maxsize=65536)
def fold_word(word: str) -> str:
    """One word, normalised as the module docstring says."""
    decomposed = unicodedata.normalize("NFKD", strip_possessive(word.strip(".,;:")))
    out = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    out = _ARTICLE.sub("al", out.replace("’", "'")).replace("-", "")
    for a, b in _FOLDS:
        out = out.replace(a, b)
    return _DOUBLE.sub(r"\1", out)


def fold(text: str) -> str:
    """A whole name, normalised word by word and joined by single spaces."""
    return " ".join(fold_word(w) for w in text.split())


def _word_score(a: str, b: str) -> float:
    return float(Indel.normalized_similarity(fold_word(a), fold_word(b)))


def _initials(words: tuple[str, ...]) -> str:
    return "".join(w[0] for w in words if w[:1].isupper())


def _parts(name: str) -> tuple[str, ...]:
    return tuple(w for w in name.split() if w.lower() not in _JOINERS or _ARTICLE.match(w.lower()))


def _rest(words: tuple[str, ...]) -> str:
    """Everything after the first name, as one word: "El Sayed", "el-Sayed", "Elsayed"
    and "Abdel Aziz", "Abdelaziz" compare alike."""
    return "".join(fold_word(w) for w in words[1:])


@lru_cache(maxsize=262144)
def name_similarity(a: str, b: str) -> float:  # noqa: C901
    """How alike two names are (0–1) under the rules of the module docstring.

    Long on purpose: one branch per rule of the module docstring, in that order.
    """
    wa, wb = _parts(a), _parts(b)
    if not wa or not wb:
        return 0.0
    if len(wa) > len(wb):
        wa, wb = wb, wa
    if len(wa) == 1 and len(wb) == 1:
        one, other = wa[0], wb[0]
        if one.isupper() != other.isupper() and min(len(one), len(other)) <= 3:
            return 0.0  # "US" is not "Us", an acronym is not a short word
        return _word_score(one, other)
    if len(wa) == 1:
        word = strip_possessive(wa[0])
        if word.isupper() and 2 <= len(word) <= 6:
            return 1.0 if word == _initials(wb) else 0.0
        surname = max(_word_score(word, wb[-1]), _similar(fold_word(word), _rest(wb)))
        if fold_word(wb[-1]) in KIND_WORDS:
            if _ADJECTIVE.search(word.lower()):
                return 0.0
            return max(surname, _word_score(word, wb[0]))
        return surname
    kinds = (fold_word(wa[-1]) in KIND_WORDS, fold_word(wb[-1]) in KIND_WORDS)
    if any(kinds) and len(wa) != len(wb):
        return 0.0
    surname = max(_word_score(wa[-1], wb[-1]), _similar(_rest(wa), _rest(wb)))
    first = _word_score(wa[0], wb[0])
    if FIRST_NAME_MATCH <= first < MATCH:
        first = MATCH
    return min(surname, first)


def _similar(a: str, b: str) -> float:
    return float(Indel.normalized_similarity(a, b))


def same_name(a: str, b: str, threshold: float = MATCH) -> bool:
    return name_similarity(a, b) >= threshold


def blocking_keys(name: str) -> tuple[str, str, str]:
    """What :func:`name_similarity` compares, folded: the last word, everything after
    the first name as one word (a single word itself), and the first word. Two names
    that match share a similar last word or rest, or (an organisation) a single word
    like the other's first; an aligner looks only at pairs alike in one of these."""
    words = _parts(name)
    if not words:
        return ("", "", "")
    last = fold_word(words[-1])
    rest = _rest(words) if len(words) > 1 else last
    return (last, rest, fold_word(words[0]))


def initials(name: str) -> str:
    """The capitals' initials of a name of several words ("European Union" → "EU")."""
    words = _parts(name)
    return _initials(words) if len(words) > 1 else ""


def surname_key(name: str) -> str:
    """The folded last word: what two names must share to be one person."""
    words = [w for w in name.split() if w.lower() not in _JOINERS]
    return fold_word(words[-1]) if words else ""


def find_names(text: str) -> list[Name]:
    """Every name in ``text``, in reading order (see the module docstring)."""
    out: list[Name] = []
    words = [(m.start(), m.end(), m.group()) for m in _WORD.finditer(text)]
    # a word written with a capital inside a sentence somewhere: a name even at a start
    inside = {w[2] for k, w in enumerate(words) if _capital(w[2]) and not _starts(text, w[0])}
    i = 0
    while i < len(words):
        if not _capital(words[i][2]):
            i += 1
            continue
        j = i
        while j + 1 < len(words) and _joined(text, words, j):
            j += 1
        for name in _names_in(text, words[i : j + 1]):
            single = " " not in name.text and not name.text.isupper()
            if (
                single
                and _starts(text, name.start)
                and strip_possessive(name.text) not in {strip_possessive(w) for w in inside}
            ):
                continue  # "Rescuers said", "Fifteen people": a capital only because it starts
            out.append(name)
        i = j + 1
    return out


def _starts(text: str, at: int) -> bool:
    """Whether ``at`` starts a sentence (or a paragraph, or a quotation)."""
    before = text[max(0, at - 4) : at].rstrip(" “\"‘'«(")
    return not before or before[-1] in ".!?\n:—"


def is_name_word(word: str) -> bool:
    """Capitalised, or a name's prefix before a capital ("el-Sayed", "al-Bahr")."""
    return word[:1].isupper() or bool(_NAME_PREFIX.match(word))


_capital = is_name_word


def _joined(text: str, words: list[tuple[int, int, str]], j: int) -> bool:
    """Whether word ``j + 1`` continues the name that word ``j`` is in."""
    end, nxt = words[j][1], words[j + 1]
    gap = text[end : nxt[0]]
    if gap != " " or _POSSESSIVE.search(words[j][2]) or words[j][2].endswith("."):
        return False
    if _capital(nxt[2]):
        return True
    # a joiner continues only when a capitalised word follows it
    return (
        nxt[2] in _JOINERS
        and j + 2 < len(words)
        and text[nxt[1] : words[j + 2][0]] == " "
        and _capital(words[j + 2][2])
    )


def _names_in(text: str, run: list[tuple[int, int, str]]) -> list[Name]:
    """The name in one run of capitalised words: titles and lone function words off."""
    while run and (run[0][2].lower().strip(".") in TITLES or run[0][2].lower() in NOT_NAMES):
        run = run[1:]
    while run and run[-1][2] in _JOINERS:
        run = run[:-1]
    if not run:
        return []
    start, end = run[0][0], run[-1][1]
    last = run[-1][2]
    stripped = strip_possessive(last)
    end -= len(last) - len(stripped)
    while end > start and text[end - 1] in ".-’'":
        end -= 1
    name = text[start:end]
    if len(name) < 2 or (len(run) == 1 and name.lower() in NOT_NAMES):
        return []
    return [Name(start, end, name)]


def acronym_aliases(text: str) -> dict[str, Name]:
    """Acronym → the words it stands for in this text: "Russian military intelligence
    (GRU)" gives ``{"GRU": Name(…"Russian military intelligence")}``. The written-out
    words run back from the bracket to the first capitalised word, at most five words,
    and stop at a comma or a function word."""
    out: dict[str, Name] = {}
    for m in _ACRONYM.finditer(text):
        before = text[max(0, m.start() - 80) : m.start()]
        base = m.start() - len(before)
        words = list(_WORD.finditer(before))
        taken: list[re.Match[str]] = []
        for w in reversed(words):
            gap = before[w.end() : taken[-1].start() if taken else len(before)]
            if gap.strip() or (w.group().lower() in NOT_NAMES | _JOINERS) or len(taken) == 5:
                break
            taken.append(w)
        taken.reverse()
        while taken and not _capital(taken[0].group()):
            taken.pop(0)
        if taken:
            a, b = base + taken[0].start(), base + taken[-1].end()
            out.setdefault(m.group(1), Name(a, b, text[a:b]))
    return out
