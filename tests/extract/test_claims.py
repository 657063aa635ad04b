"""Claims: scored check-worthy sentences; precision measured against hand judgements."""

from __future__ import annotations

import importlib.util
import sys

from annotator.extract.claims import DEFAULT_MIN_SCORE, ClaimExtractor, score_sentence
from annotator.extract.sentences import sentences
from tests.conftest import REPO, SEEDS


def test_sentences_respect_abbreviations_and_quotes() -> None:
    text = "Mr. Berg left at 7 a.m. on Friday. “It held,” he said. Then? Yes!\nNew line"
    parts = [text[a:b] for a, b in sentences(text)]
    assert parts == [
        "Mr. Berg left at 7 a.m. on Friday.",
        "“It held,” he said.",
        "Then?",
        "Yes!",
        "New line",
    ]


def test_scores_rank_checkable_statements_above_colour() -> None:
    strong, cues = score_sentence("At least 140 homes were flooded on Tuesday, the mayor said.")
    weak, _ = score_sentence("The town is a lovely place to live in spring and summer.")
    question, _ = score_sentence("Will more than 140 homes be flooded by Tuesday, they wondered?")
    assert strong >= 0.9 and set(cues) >= {"number", "date", "comparison", "attribution"}
    assert weak < DEFAULT_MIN_SCORE
    assert question < strong


def test_suggestions_carry_score_and_cues() -> None:
    text = "Nothing here to check at all, just words.\nThe river rose 2.4 metres on Monday."
    [cand] = ClaimExtractor().extract(text)
    assert text[cand.start : cand.end] == "The river rose 2.4 metres on Monday."
    assert cand.label == "claim" and cand.score is not None and cand.score >= DEFAULT_MIN_SCORE
    assert "number" in str(cand.attributes["cues"])


def test_precision_on_the_seed_articles(seeds: dict[str, str]) -> None:
    spec = importlib.util.spec_from_file_location(
        "claims_eval", REPO / "benchmarks" / "claims_eval.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["claims_eval"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    scores = module.evaluate(SEEDS, DEFAULT_MIN_SCORE)
    base_rate = scores.checkworthy / scores.sentences
    assert scores.precision >= 0.9 > base_rate  # better than suggesting every sentence
    assert scores.recall >= 0.3
