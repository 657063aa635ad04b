from __future__ import annotations

import codecs

import pytest

from annotator.core.text import decode_article, snap_to_words


@pytest.mark.parametrize(
    ("text", "sel", "expected"),
    [
        ("Tomasz Kowalczyk said", "walcz", "Kowalczyk"),
        ("Tomasz Kowalczyk said", " Kowalczyk ", "Kowalczyk"),
        ("the Putin’s aide", "Putin", "Putin"),
        ("a “quoted” word", "“quoted”", "“quoted”"),
        ("Zoe\u0308 Albers", "Zo", "Zoe\u0308"),
        ("x 2.4 metres", "2", "2"),
        ("Saltmarsh district", "marsh dis", "Saltmarsh district"),
    ],
)
def test_snap_to_words(text: str, sel: str, expected: str) -> None:
    start = text.index(sel)
    s, e = snap_to_words(text, start, start + len(sel))
    assert text[s:e] == expected


def test_snap_keeps_whitespace_only_ranges() -> None:
    assert snap_to_words("a   b", 1, 3) == (1, 3)


def test_decode_utf8_bom_utf16_and_fallback() -> None:
    text = "Zoë “quote” 😀"
    assert decode_article(codecs.BOM_UTF8 + text.encode()).text == text
    assert decode_article(text.encode("utf-16")).text == text
    plain = decode_article(text.encode())
    assert plain.text == text and plain.warning is None
    latin = decode_article("café".encode("cp1252"))
    assert latin.text == "café" and latin.warning and "UTF-8" in latin.warning
