"""Counts in messages are said through annotator.core.wording: never "1 changes"."""

from __future__ import annotations

import re
from pathlib import Path

from annotator.core.wording import count, plural, quoted

PACKAGE = Path(__file__).resolve().parents[2] / "annotator"
# a value put straight before a plural noun in an f-string: "{n} spans"
BARE = re.compile(
    r"\{[^{}!:]*\}\s+(?:new\s+)?(?:spans|changes|suggestions|documents|notes|errors|warnings|"
    r"characters|problems|occurrences|lines|edits|records|labels|times|articles)\b"
)


def test_counts_agree_with_their_number() -> None:
    assert count(1, "change") == "1 change"
    assert count(0, "change") == "0 changes"
    assert count(2, "annotation change") == "2 annotation changes"
    assert count(1, "record or span", "records or spans") == "1 record or span"
    assert count(12_345, "span") == "12,345 spans"
    assert plural(3, "is") == "are" and plural(1, "it", "them") == "it"


def test_no_message_puts_a_bare_number_before_a_plural() -> None:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for number, line in enumerate(path.read_text("utf-8").splitlines(), 1):
            if BARE.search(line) and "# 2 or more" not in line and "__repr__" not in line:
                found.append(f"{path.relative_to(PACKAGE)}:{number}: {line.strip()}")
    allowed = {"core/project.py"}  # the repr of a Document, for developers
    assert [f for f in found if f.split(":")[0] not in allowed] == []


def test_a_shortened_quotation_does_not_close_as_if_whole() -> None:
    assert quoted("short") == "“short”"
    long = quoted("We will rebuild every street, and we will do it together", 20)
    assert long.endswith("…") and "”" not in long
    assert quoted("two\nlines") == "“two lines”"
