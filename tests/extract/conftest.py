"""Fixtures for the extractor tests: the seed articles as text (skipped when absent)."""

from __future__ import annotations

import pytest

from tests.conftest import SEEDS


@pytest.fixture(scope="module")
def seeds() -> dict[str, str]:
    files = sorted(SEEDS.glob("*.txt")) if SEEDS.is_dir() else []
    if not files:
        pytest.skip("../shared/seeds is not present")
    return {f.name[:3]: f.read_text(encoding="utf-8") for f in files}
