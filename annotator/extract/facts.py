"""Facts in a sentence that two reports can disagree on: ages, years, counts, measures
and ranks, with the hedge around each ("at least", "about"), and whether two of them
agree, differ or contradict.

A :class:`Fact` has a ``kind`` and a ``unit``, and only facts of the same kind and
unit are compared:

- ``age``: ``Alekseev, 65,`` (a number between commas right after a name), ``aged 52``,
  ``a 53-year-old``; its unit is ``age``;
- ``year``: 1800–2099 standing alone; unit ``year``;
- ``count``: a number in digits or words ("six", "twelve", "a dozen", "multiple") with
  the noun after it ("times", "homes", "metres"); the unit is the noun without its
  plural, and a few nouns count as one (:data:`SAME_UNIT`: home, house, household);
- ``rank``: an ordinal in digits or words ("fourth", "8th") with its noun;
- ``date``: a day of a month ("March 3", "3 March", "Sept. 14th");
- ``place``: the capitalised words after "in", "near", "outside" or "at", standing
  alone ("in Volokolamsk,", not "in Russia’s army" or "in the Abu Dhabi talks"); two
  places differ unless their names match, never contradict (a district lies in a
  city).

Comparing (:func:`compare`): each value is a range (``at least 3`` is 3 or more,
``about 3`` is 2.25–3.75, ``multiple`` is 2 or more). Equal values agree. Ranges that
overlap differ (six / at least three: not false, but not the same either); ranges that
cannot both hold contradict (64 / 65, 2013 / 2023, 140 / about 40). Ranks always only
differ: "the fourth attack" and "the eighth attack" usually count different things.
Years agree when the two sentences share any year ("between 2019 and 2020", "since 2019").
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from annotator.extract.names import (
    MATCH,
    clean_name,
    find_names,
    is_name_word,
    name_similarity,
    wordset,
)

NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90, "hundred": 100, "a hundred": 100, "dozen": 12,
    "a dozen": 12, "thousand": 1000, "a thousand": 1000,
}  # fmt: skip
ORDINAL_WORDS = {
    "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "twentieth": 20,
}  # fmt: skip
VAGUE = {"multiple": 2, "several": 3, "numerous": 3, "many": 3, "dozens": 24, "hundreds": 200}
# hedge → how it widens the value: lower bound, upper bound, or about
HEDGES = {
    "at least": "min", "more than": "min", "over": "min", "as many as": "max", "up to": "max",
    "fewer than": "max", "less than": "max", "almost": "about", "nearly": "about",
    "about": "about", "around": "about", "roughly": "about", "some": "about",
    "approximately": "about", "just over": "min", "at most": "max",
}  # fmt: skip
SAME_UNIT = {
    "house": "home", "household": "home", "family": "home", "meter": "metre", "m": "metre",
    "person": "people", "passenger": "people", "resident": "people",
}  # fmt: skip
_NOT_PLACES = wordset(
    """january february march april may june july august september october november
    december monday tuesday wednesday thursday friday saturday sunday"""
)
_NOT_UNITS = wordset("and or of the a an in on at to for by with from than per")

_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_WORDS = "|".join(sorted((re.escape(w) for w in {**NUMBER_WORDS, **VAGUE}), key=len, reverse=True))
_ORD = "|".join(ORDINAL_WORDS)
_HEDGE = "|".join(sorted((re.escape(h) for h in HEDGES), key=len, reverse=True))
_COUNT = re.compile(
    rf"(?:\b(?P<hedge>{_HEDGE})\s+)?\b(?P<num>{_NUM}|(?:{_WORDS}))\b(?P<after>(?:[\s-]+[^\W\d_][\w-]*){{0,4}})",
    re.IGNORECASE,
)
_RANK = re.compile(rf"\b(?P<num>{_ORD}|\d+(?:st|nd|rd|th))\s+(?P<unit>[a-z][a-z-]*)", re.IGNORECASE)
_YEAR = re.compile(r"(?<![\d.,])(?:18|19|20)\d\d(?![\d.,]\d)")
_MONTHS = (
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december",
)  # fmt: skip
_MONTH = "|".join(m.capitalize() + ("" if len(m) <= 4 else f"(?:{m[3:]})?") for m in _MONTHS)
_DATE = re.compile(
    rf"\b(?:(?P<m1>{_MONTH})\.?\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\b(?!\s*(?:%|per))"
    rf"|(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m2>{_MONTH})\b)"
)
# a place: the capitalised words after "in", "near", "outside", "at" (not a month, a
# weekday or a lone function word), ...
# ... standing alone: not a possessive ("in Russia’s army") and not an adjective before
# a noun ("in the Abu Dhabi talks")
_PLACE = re.compile(
    r"\b(?:in|near|outside|at)\s+(?:the\s+)?([A-Z][\w-]+(?:\s+[A-Z][\w-]+)*)"
    r"(?![\w’'-])(?!\s+(?!(?:on|in|at|by|and|or|after|before|during|when|where|while|as|to"
    r"|for|with|from|last|this|early|late|was|were|is|are|has|had|have)\b)[^\W\d_])"
)
_AGE_AFTER_NAME = re.compile(
    r"(?P<name>[^\W\d_][\w’'-]*(?:\s[^\W\d_][\w’'-]*)*?),\s*(?:aged\s+)?(?P<age>\d{1,3}),"
)
_AGE = re.compile(r"\baged\s+(\d{1,3})\b|\b(\d{1,3}|[a-z]+)-year-old\b", re.IGNORECASE)


@dataclass(frozen=True)
class Fact:
    kind: str  # age, year, count, rank
    unit: str
    low: float
    high: float
    text: str  # as written: "at least three times"
    subject: str = ""  # the name an age belongs to; a place's name

    @property
    def exact(self) -> bool:
        return self.low == self.high


def _number(word: str) -> float | None:
    w = word.lower().replace(",", "")
    if w in NUMBER_WORDS:
        return float(NUMBER_WORDS[w])
    if w in VAGUE:
        return float(VAGUE[w])
    try:
        return float(w)
    except ValueError:
        return None


def _range(value: float, hedge: str | None, vague: bool) -> tuple[float, float]:
    if vague:
        return value, float("inf")
    how = HEDGES.get((hedge or "").lower())
    if how == "min":
        return value, float("inf")
    if how == "max":
        return 0.0, value
    if how == "about":
        return value * 0.75, value * 1.25
    return value, value


def _unit(word: str) -> str:
    w = word.lower().strip("-")
    if w.endswith("ies") and len(w) > 4:
        w = w[:-3] + "y"
    elif w.endswith("es") and w[:-2].endswith(("ss", "sh", "ch", "x")):
        w = w[:-2]
    elif w.endswith("s") and not w.endswith("ss") and len(w) > 3:
        w = w[:-1]
    return SAME_UNIT.get(w, w)


def facts(sentence: str) -> list[Fact]:
    """Every fact in ``sentence`` (see the module docstring). Remembered for the last
    few thousand sentences: a comparison describes each link both ways, and one span
    is often an end of many links (100,000 links: 4 s of 8 went here)."""
    return list(_facts(sentence))


@functools.lru_cache(maxsize=65536)
def _facts(sentence: str) -> tuple[Fact, ...]:
    return tuple(_find_facts(sentence))


def _find_facts(sentence: str) -> list[Fact]:  # noqa: C901
    """Long on purpose: one pattern family a branch (ages, counts, dates), all sharing the taken
    ranges so a number is read once.
    """
    out: list[Fact] = []
    taken: list[tuple[int, int]] = []
    names = find_names(sentence)
    for m in _AGE_AFTER_NAME.finditer(sentence):
        if is_name_word(m.group("name")) and 0 < int(m.group("age")) < 120:
            value = float(m.group("age"))
            subject = clean_name(m.group("name"))
            out.append(Fact("age", "age", value, value, m.group("age"), subject))
            taken.append(m.span("age"))
    for m in _AGE.finditer(sentence):
        age = _number(m.group(1) or m.group(2))
        if age is not None and 0 < age < 120:
            subject = next((n.text for n in reversed(names) if n.end <= m.start()), "")
            out.append(Fact("age", "age", age, age, m.group(0), subject))
            taken.append(m.span())
    for m in _DATE.finditer(sentence):
        month = (m.group("m1") or m.group("m2"))[:3].lower()
        day = int(m.group("d1") or m.group("d2"))
        if 1 <= day <= 31:
            value = float(100 * ([x[:3] for x in _MONTHS].index(month) + 1) + day)
            out.append(Fact("date", "date", value, value, m.group(0)))
            taken.append(m.span())
    for m in _PLACE.finditer(sentence):
        place = clean_name(m.group(1))
        if place and place.split()[0].lower() not in _NOT_PLACES:
            out.append(Fact("place", "place", 0.0, 0.0, place, place))
    years = [m for m in _YEAR.finditer(sentence) if not _inside(m.span(), taken)]
    for m in years:
        value = float(m.group())
        out.append(Fact("year", "year", value, value, m.group()))
        taken.append(m.span())
    for m in _RANK.finditer(sentence):
        raw = m.group("num").lower()
        value = ORDINAL_WORDS.get(raw) or float(re.sub(r"\D", "", raw))
        if _unit(m.group("unit")) in _NOT_UNITS:
            continue
        out.append(Fact("rank", _unit(m.group("unit")), value, value, m.group(0)))
        taken.append(m.span())
    last: _Unit | None = None
    for m in _COUNT.finditer(sentence):
        if _inside(m.span("num"), taken):
            continue
        unit = _count_unit(m.group("after"))
        if unit is None and last is not None and not m.group("after").strip():
            unit = _Unit("", last.name)  # "licensed for 150 people, but took on more than 200"
        if unit is None:
            continue
        last = unit
        number = _number(m.group("num"))
        if number is None:
            continue
        vague = m.group("num").lower() in VAGUE
        low, high = _range(number, m.group("hedge"), vague)
        after = m.group("after")
        text = sentence[m.start() : m.end("num")] + after[: after.find(unit.word) + len(unit.word)]
        out.append(Fact("count", unit.name, low, high, text.strip()))
    return out


@dataclass(frozen=True)
class _Unit:
    word: str  # as written
    name: str  # singular, synonyms made one


def _count_unit(after: str) -> _Unit | None:
    """The noun a number counts: the first plural noun in the next four words (lower
    case: "19 Russian Armed Forces generals"), else the next word. A number with no
    word after it counts what the number before it in the sentence counted."""
    words = after.replace("-", " ").split()
    if not words or words[0].lower() in _NOT_UNITS:
        return None
    for word in words:
        if word.lower() in _NOT_UNITS:
            break
        if word.islower() and word.endswith("s") and not word.endswith("ss"):
            return _Unit(word, _unit(word))
    if not words[0].islower():
        return None
    return _Unit(words[0], _unit(words[0]))


def _inside(span: tuple[int, int], taken: list[tuple[int, int]]) -> bool:
    return any(a < span[1] and span[0] < b for a, b in taken)


@dataclass(frozen=True)
class Difference:
    kind: str
    unit: str
    a: str
    b: str
    contradicts: bool

    def describe(self) -> str:
        what = self.kind if self.kind in ("age", "year", "date", "place") else self.unit
        return f"{what}: {self.a} / {self.b}"


def shared_kinds(a: list[Fact], b: list[Fact]) -> set[tuple[str, str]]:
    return {(f.kind, f.unit) for f in a} & {(f.kind, f.unit) for f in b}


def compare(a: list[Fact], b: list[Fact], *, places: bool = True) -> tuple[int, list[Difference]]:
    """How many kinds of fact the two sentences share and agree on, and how they differ
    (places left out unless ``places``)."""
    agree = 0
    diffs: list[Difference] = []
    for kind, unit in sorted(shared_kinds(a, b)):
        if kind == "place" and not places:
            continue
        fa = [f for f in a if (f.kind, f.unit) == (kind, unit)]
        fb = [f for f in b if (f.kind, f.unit) == (kind, unit)]
        if kind == "year":
            if {f.low for f in fa} & {f.low for f in fb}:
                agree += 1
            else:
                diffs.append(Difference(kind, unit, fa[0].text, fb[0].text, True))
            continue
        if kind == "place":  # places nest (a district in a city): they only differ
            if any(name_similarity(x.subject, y.subject) >= MATCH for x in fa for y in fb):
                agree += 1
            else:
                diffs.append(Difference(kind, unit, fa[0].text, fb[0].text, False))
            continue
        if kind == "age" and (len(fa) > 1 or len(fb) > 1):
            continue  # two ages in one sentence: whose is whose is not known
        pairs = [(x, y) for x in fa for y in fb]
        if any((x.low, x.high) == (y.low, y.high) for x, y in pairs):
            agree += 1
            continue
        near = [(x, y) for x, y in pairs if x.low <= y.high and y.low <= x.high]
        x, y = near[0] if near else pairs[0]
        contradicts = kind != "rank" and not near
        diffs.append(Difference(kind, unit, x.text, y.text, contradicts))
    return agree, diffs


def describe_difference(a: str, b: str) -> str | None:
    """What differs between two texts' facts (``age: 65 / 64``), or None."""
    _agree, diffs = compare(facts(a), facts(b))
    return "; ".join(d.describe() for d in diffs) or None
