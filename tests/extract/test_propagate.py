"""Entity propagation: exact whole-word matches everywhere, fuzzy variants on request."""

from __future__ import annotations

import pytest

from annotator.extract.propagate import PropagateExtractor


def run(names: list[str], text: str, **options: object) -> list[tuple[str, float | None]]:
    ex = PropagateExtractor(**options)  # type: ignore[arg-type]
    ex.set_names(names)
    return [(text[c.start : c.end], c.score) for c in ex.extract(text)]


def test_whole_words_only_and_apostrophes_end_words() -> None:
    text = "Alekseev’s car. Alekseevich arrived. Non-Alekseev text? Alekseev."
    assert run(["Alekseev"], text) == [("Alekseev", 1.0), ("Alekseev", 1.0), ("Alekseev", 1.0)]


def test_case_sensitive_by_default() -> None:
    text = "Moscow and MOSCOW and moscow"
    assert [t for t, _ in run(["Moscow"], text)] == ["Moscow"]
    assert [t for t, _ in run(["Moscow"], text, ignore_case=True)] == [
        "Moscow",
        "MOSCOW",
        "moscow",
    ]


def test_longest_name_wins_and_names_may_wrap_lines() -> None:
    text = "Vladimir\nAlekseev met Alekseev."
    assert [t for t, _ in run(["Alekseev", "Vladimir Alekseev"], text)] == [
        "Vladimir\nAlekseev",
        "Alekseev",
    ]


def test_fuzzy_variants_are_scored_and_inflections_are_not() -> None:
    text = "Alekseyev met Prigokhin in Russian territory near Russia."
    found = run(["Alekseev", "Prigozhin", "Russia"], text, fuzzy=0.85)
    assert ("Russia", 1.0) in found
    variants = {t: s for t, s in found if s != 1.0}
    assert set(variants) == {"Alekseyev", "Prigokhin"}
    assert all(0.85 <= (s or 0) < 1 for s in variants.values())


def test_no_fuzzy_without_the_option() -> None:
    assert run(["Alekseev"], "Alekseyev") == []


def test_bad_fuzzy_value() -> None:
    with pytest.raises(ValueError, match="between 0 and 1"):
        PropagateExtractor(fuzzy=85)


def test_seeds_find_the_variant_spellings(seeds: dict[str, str]) -> None:
    names = ["Vladimir Alekseev", "Alekseev", "Prigozhin"]
    found = run(names, seeds["001"], fuzzy=0.85)
    assert ("Vladimir Alekseyev" in {t for t, _ in found}) and any(
        t == "Prigokhin" for t, _ in found
    )
    assert not any(s == 1.0 for _, s in found)  # 001 spells both names differently
    exact = run(names, seeds["004"])
    assert sum(t == "Alekseev" for t, _ in exact) >= 5
