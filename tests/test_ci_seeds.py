"""A seed test that is skipped while ../shared/seeds exists fails the run (CI has them)."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid

from tests.conftest import REPO, seeds_present

PROBE = """
import pytest

@pytest.mark.seeds
def test_needs_the_seeds():
    pytest.skip("pretending the seeds are missing")
"""


def test_a_skipped_seed_test_fails_the_run_when_the_seeds_exist() -> None:
    probe = REPO / "tests" / f"test_probe_{uuid.uuid4().hex}.py"
    probe.write_text(PROBE, encoding="utf-8")
    try:
        result = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(probe)],
            cwd=REPO,
            capture_output=True,
            text=True,
            env={**os.environ},
            timeout=120,
            check=False,
        )
    finally:
        probe.unlink()
    if seeds_present():
        assert result.returncode == 1, result.stdout
        assert "marked seeds were skipped" in result.stdout
    else:
        assert result.returncode == 0, result.stdout  # a plain clone: skipping is fine
