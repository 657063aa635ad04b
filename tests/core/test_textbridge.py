"""Code points <-> Qt positions, checked against an independent UTF-16 count."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from annotator.ui.textbridge import TextBridge

SAMPLE = 'Jose\u0301 met \U0001f600 Ana in Paris.\r\nShe said "rates will rise".\r\nEnd.'
ALPHABET = st.sampled_from(
    [
        "a",
        "b",
        " ",
        "\t",
        "\u00a0",
        "\u0301",
        "é",
        "\U0001f600",
        "\U0001d400",
        "\r\n",
        "\n",
        "\r",
        "\u05d0",
        "\u2029",
        "’",
    ]
)


def qt_position(text: str, cp: int) -> int:
    """What Qt counts before ``cp``: UTF-16 units of the text with each CRLF as one break."""
    prefix = text[:cp]
    if prefix.endswith("\r") and text[cp : cp + 1] == "\n":
        prefix = prefix[:-1]  # the CR of a CRLF and the LF share one position
    return len(prefix.replace("\r\n", "\n").encode("utf-16-le")) // 2


def test_known_offsets() -> None:
    bridge = TextBridge(SAMPLE)
    ana = SAMPLE.index("Ana")
    assert (ana, ana + 3) == (12, 15)
    assert (bridge.to_qt(12), bridge.to_qt(15)) == (13, 16)  # FORMATS.md
    assert bridge.to_cp(13) == 12 and bridge.to_cp(16) == 15
    end = SAMPLE.index("End")
    assert bridge.display_text[bridge.to_qt(end) : bridge.to_qt(end) + 3] != ""  # utf-16 index
    assert bridge.to_cp(bridge.to_qt(end)) == end


@given(st.lists(ALPHABET, max_size=60).map("".join))
def test_to_qt_matches_utf16_count(text: str) -> None:
    bridge = TextBridge(text)
    for cp in range(len(text) + 1):
        assert bridge.to_qt(cp) == qt_position(text, cp)
    assert bridge.display_length == qt_position(text, len(text))


@given(st.lists(ALPHABET, max_size=60).map("".join))
def test_round_trip_at_every_character_boundary(text: str) -> None:
    bridge = TextBridge(text)
    for cp in range(len(text) + 1):
        if cp and text[cp - 1 : cp + 1] == "\r\n":
            assert bridge.to_cp(bridge.to_qt(cp)) == cp - 1  # between CR and LF: same break
            continue
        assert bridge.to_cp(bridge.to_qt(cp)) == cp


@given(st.lists(ALPHABET, min_size=1, max_size=40).map("".join), st.data())
def test_a_qt_selection_maps_to_the_characters_shown(text: str, data: st.DataObject) -> None:
    bridge = TextBridge(text)
    display = bridge.display_text
    units = display.encode("utf-16-le")
    a = data.draw(st.integers(0, bridge.display_length))
    b = data.draw(st.integers(a, bridge.display_length))
    shown = units[2 * a : 2 * b].decode("utf-16-le", errors="ignore")
    start, end = bridge.to_cp(a), bridge.to_cp(b)
    if not any(
        0xD800 <= int.from_bytes(units[2 * i : 2 * i + 2], "little") <= 0xDFFF
        for i in (a, b)
        if i < bridge.display_length
    ):
        assert text[start:end].replace("\r\n", "\n") == shown
