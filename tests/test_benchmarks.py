"""The benchmark script keeps working (CI runs it in --quick mode; times are not judged)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO


@pytest.mark.slow
def test_quick_benchmark_runs_and_reports_every_measurement(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    result = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "run.py"), "--quick", "--json", str(out)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "measurement" in result.stdout.splitlines()[0]
    data = json.loads(out.read_text(encoding="utf-8"))
    rows = {row["key"]: row for row in data["rows"]}
    for key in (
        "cold_start",
        "open_big",
        "add_span",
        "review_accept",
        "autosave_stall",
        "stall_open_big",
        "stall_open_corpus_big",
    ):
        assert rows[key]["median"] is not None and rows[key]["median"] > 0
        assert rows[key]["runs"] >= 3
    built = [r for r in data["rows"] if r["verdict"] != "not built"]
    assert all(r["verdict"] == "(quick)" for r in built)  # quick mode never judges times
