"""The spaCy extractor with a real spaCy pipeline built here (no model download)."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator import extract
from annotator.extract.spacy_ner import SpacyExtractor


def test_missing_model_says_how_to_install_it() -> None:
    pytest.importorskip("spacy")
    ex = extract.load("spacy", model="no_such_model_package")
    with pytest.raises(extract.ExtractorUnavailable, match="-m spacy download no_such_model"):
        list(ex.extract("text"))


def test_entities_are_mapped_and_others_left_out(tmp_path: Path) -> None:
    spacy = pytest.importorskip("spacy")
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns(  # type: ignore[attr-defined]
        [
            {"label": "PERSON", "pattern": "Zoë Varga"},
            {"label": "GPE", "pattern": "Moscow"},
            {"label": "ORG", "pattern": "GRU"},
            {"label": "DATE", "pattern": "Friday"},
        ]
    )
    nlp.to_disk(tmp_path / "pipeline")
    text = "🙂 Intro line.\r\nOn Friday Zoë Varga of the GRU flew to Moscow.\r\n"
    found = [
        (text[c.start : c.end], c.label, c.attributes["spacy_label"])
        for c in SpacyExtractor(model=str(tmp_path / "pipeline")).extract(text)
    ]
    assert found == [
        ("Zoë Varga", "entity", "PERSON"),
        ("GRU", "entity", "ORG"),
        ("Moscow", "entity", "GPE"),
    ]
