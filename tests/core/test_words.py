"""Words in every script (annotator.core.words): a word around any position holds it,
segments cover a run exactly, marks stay with their letter, and snapping a selection
never grows it past the words at its edges."""

from __future__ import annotations

import itertools
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.core.text import snap_to_words
from annotator.core.words import has_rtl_paragraph, segments, word_at

PIECES = [
    "市长",
    "瓦尔加",
    "表示",
    "，",
    "洪水",
    "の",
    "小池",
    "氏",
    "カタカナ",
    "ภาษาไทย",
    "أُجليت",
    " ",
    "Varga",
    "’s",
    "\u0301",
    "\n",
    "שָׁלוֹם",
    "123",
]
TEXT = st.lists(st.sampled_from(PIECES), max_size=12).map("".join)


@settings(max_examples=300, deadline=None)
@given(TEXT, st.integers(0, 60))
def test_the_word_at_a_position_holds_it_and_keeps_its_marks(text: str, i: int) -> None:
    found = word_at(text, i)
    if found is None:
        return
    a, b = found
    assert a <= i < b <= len(text)
    assert b == len(text) or unicodedata.category(text[b])[0] != "M"
    assert all(word_at(text, j) == found for j in range(a, b))  # one word, seen from inside


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["市长", "瓦尔加", "表示", "の", "小池", "カタカナ"]), min_size=1))
def test_segments_cover_a_run_exactly(parts: list[str]) -> None:
    run = "".join(parts)
    found = segments(run)
    assert found[0][0] == 0 and found[-1][1] == len(run)
    assert all(x[1] == y[0] for x, y in itertools.pairwise(found))


def test_a_chinese_name_selected_is_kept_and_a_part_grows_to_a_word_only() -> None:
    text = "市长瓦尔加表示，洪水已经退去。"
    name = text.index("瓦尔加")
    assert snap_to_words(text, name, name + 3) == (name, name + 3)
    a, b = snap_to_words(text, name + 1, name + 2)
    assert text[a:b] in ("瓦尔", "瓦尔加") and "表" not in text[a:b]


def test_latin_beside_han_is_its_own_word() -> None:
    text = "Varga表示"
    assert word_at(text, 0) == (0, 5)
    assert word_at(text, 5) == (5, 7)


def test_right_to_left_paragraphs_are_found_by_their_first_strong_letter() -> None:
    assert has_rtl_paragraph("English.\nقال الوزير")
    assert not has_rtl_paragraph("Tel Aviv (תל אביב) is a city.")
    assert not has_rtl_paragraph("Plain English only.")


def test_thai_words_with_the_thai_extra() -> None:
    import pytest

    pytest.importorskip("pythainlp")
    text = "ข่าว: นายกรัฐมนตรีกล่าวว่าน้ำลดลงแล้ว"
    start = text.index("กล่าว")
    a, b = word_at(text, start + 1) or (0, 0)
    assert text[a:b] == "กล่าวว่า"
    assert snap_to_words(text, start, start + 2) == (a, b)
