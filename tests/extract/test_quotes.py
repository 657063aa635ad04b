"""The quotes extractor on the seed articles and on texts written to trip it up."""

from __future__ import annotations

from annotator.extract.quotes import QuoteExtractor


def quotes(text: str) -> list[tuple[str, dict[str, object]]]:
    return [(text[c.start : c.end], c.attributes) for c in QuoteExtractor().extract(text)]


def texts(text: str) -> list[str]:
    return [t for t, _ in quotes(text)]


def test_straight_curly_and_guillemet_quotes() -> None:
    text = (
        'The mayor said "the dam will hold" on Monday.\n'
        "“We will rebuild every house,” the minister said.\n"
        "Le maire a dit «nous reconstruirons» hier.\n"
    )
    assert texts(text) == [
        "the dam will hold",
        "We will rebuild every house",
        "nous reconstruirons",
    ]


def test_apostrophes_are_not_quotes() -> None:
    text = (
        "Kirillov’s assistant also died. It’s the general’s car, Russia's army said.\n"
        "The ’90s were different; rock ’n’ roll too.\n"
    )
    assert quotes(text) == []


def test_single_curly_quotes_with_apostrophes_inside() -> None:
    text = "He called it a ‘stab in the back’ and said ‘it’s not the Kremlin’s job’.\n"
    assert texts(text) == ["stab in the back", "it’s not the Kremlin’s job"]


def test_multi_paragraph_quote_only_opens_each_paragraph() -> None:
    text = (
        "“We are ready for talks in any format that brings peace closer.\n"
        "“It is crucial that this ends without reward for the aggressor,” he said.\n"
        "Then something else happened.\n"
    )
    found = quotes(text)
    assert len(found) == 1
    quote, attrs = found[0]
    assert quote.startswith("We are ready") and quote.endswith("for the aggressor")
    assert attrs["paragraphs"] == 2


def test_unclosed_quote_that_does_not_continue_is_not_proposed() -> None:
    text = "“This quote never closes\nAnd this line is ordinary prose.\n"
    assert quotes(text) == []


def test_block_quote_after_a_colon() -> None:
    text = (
        "The spokesperson Anna Berg told reporters:\n"
        "We have no information about the cause of the fire and will say more tomorrow.\n"
        "Short line after.\n"
    )
    [(quote, attrs)] = quotes(text)
    assert quote.startswith("We have no information") and quote.endswith("tomorrow.")
    assert attrs == {"block": True, "speaker": "Anna Berg"}


def test_short_line_after_a_colon_is_not_a_block_quote() -> None:
    assert quotes("Ingredients:\nflour and water\n") == []


def test_speaker_after_and_before_the_quote() -> None:
    text = (
        "“The talks were productive,” Umerov said on Wednesday.\n"
        "Lavrov said: “This attack confirms their intent.”\n"
        '"We are ready," said Rustem Umerov.\n'
        "“Nothing is agreed,” he said.\n"
    )
    speakers = [attrs.get("speaker") for _, attrs in quotes(text)]
    assert speakers == ["Umerov", "Lavrov", "Rustem Umerov", None]


def test_offsets_are_code_points_with_emoji_and_crlf() -> None:
    text = "🙂🙂 Intro.\r\n“Quoted 𝔘nicode words here,” said Zoë.\r\n"
    [cand] = QuoteExtractor().extract(text)
    assert text[cand.start : cand.end] == "Quoted 𝔘nicode words here"
    assert cand.attributes["speaker"] == "Zoë"


def test_seed_000_quotes(seeds: dict[str, str]) -> None:
    found = quotes(seeds["000"])
    assert any(t.startswith("The discussions were substantive") for t, _ in found)
    # the two-paragraph quote is one suggestion from "We are ready" to "real security."
    multi = [(t, a) for t, a in found if t.startswith("We are ready")]
    assert len(multi) == 1 and multi[0][0].endswith("real security.")
    assert multi[0][1]["paragraphs"] == 2
    assert dict(found)[next(t for t, _ in found if t.startswith("The discussions"))] == {
        "speaker": "Umerov"
    }
    # “Kirillov’s” and “Ukraine’s” are apostrophes, never quotes
    assert not any("Kirillov" in t or t.startswith("s ") for t, _ in found)
    assert len(found) == 5


def test_seed_001_straight_quotes(seeds: dict[str, str]) -> None:
    found = texts(seeds["001"])
    assert found[0].startswith("This terrorist attack confirms")
    assert "anything" in found and "a fair agreement" in found
    assert not any("Russia" in t and "s military" in t for t in found)  # Russia's: apostrophe


def test_seed_004_single_quotes_and_block_quote(seeds: dict[str, str]) -> None:
    found = quotes(seeds["004"])
    texts_ = [t for t, _ in found]
    assert "stab in the back of the country and the president" in texts_
    assert any(t.startswith("it’s not the Kremlin’s responsibility") for t in texts_)
    block = [(t, a) for t, a in found if a.get("block")]
    assert len(block) == 1
    assert block[0][0].startswith("This terrorist attack once again confirmed")
    assert block[0][1]["speaker"] == "Sergei Lavrov"
    assert not any(t.startswith(("s ", "s.")) for t in texts_)  # no quote from an apostrophe
