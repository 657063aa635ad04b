"""The benchmark script keeps working (CI runs it in --quick mode; times are not judged)."""

from __future__ import annotations

import json
import os
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
    assert rows["cold_start"]["launch"] > 0 and rows["cold_start"]["runs"] >= 3
    for key in (
        "open_big",
        "add_span",
        "review_accept",
        "autosave_stall",
        "stall_open_big",
        "stall_open_corpus_big",
    ):
        assert rows[key]["median"] is not None and rows[key]["median"] > 0
        assert rows[key]["runs"] >= 3
    # whole processes and the long exports run fewer times; the aligners' rows too
    for key in (
        "export_big_conll",
        "compare_build",
        "compare_refresh",
        "news_align_claims",
        "stall_open_big_busy",
    ):
        assert rows[key]["median"] is not None and rows[key]["median"] > 0
    # whole processes, from launch: beside the row they belong to, or the row itself
    for key in (
        "export_big_conll",
        "export_big_spacy",
        "export_conll",
        "export_spacy",
        "import_suggestions",
        "open_corpus_big",
        "open_corpus_huge",
        "import_new_process",
        "cold_start",
        "peak_rss_corpus_huge",
    ):
        assert rows[key]["launch"] is not None and rows[key]["launch"] > 0, key
    assert rows["open_corpus_huge"]["median"] is None  # only measured from launch
    assert "from launch" in result.stdout.splitlines()[0]
    built = [r for r in data["rows"] if r["verdict"] != "not built"]
    assert all(r["verdict"] == "(quick)" for r in built)  # quick mode never judges times
    assert data["calibration"] > 0 and "calibration:" in result.stdout


def test_compare_prints_each_rows_ratio_as_measured_and_adjusted() -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location("bench_run", REPO / "benchmarks" / "run.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    old = {
        "calibration": 0.5,
        "rows": [
            {"key": "a", "measurement": "open", "median": 2.0},
            {"key": "b", "measurement": "gone since", "median": 1.0},
        ],
    }
    new = {
        "calibration": 1.0,  # a machine half as fast
        "rows": [
            {"key": "a", "measurement": "open", "median": 3.0},
            {"key": "c", "measurement": "new row", "median": 1.0},
        ],
    }
    text = module.compare_runs(old, new)
    (line,) = [x for x in text.splitlines() if x.startswith("open")]
    assert line.split()[-2:] == ["1.50×", "0.75×"]  # slower as measured, faster per machine
    assert "gone since" not in text and "new row" not in text


@pytest.mark.slow
def test_quick_scaling_run_reports_open_and_every_export(tmp_path: Path) -> None:
    out = tmp_path / "scaling.json"
    result = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "scaling.py"), "--quick", "--json", str(out)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    data = json.loads(out.read_text(encoding="utf-8"))
    assert {(r["kind"], r["size"]) for r in data["rows"]} == {
        ("spans", 1_000),
        ("spans", 5_000),
        ("articles", 50),
        ("articles", 200),
    }
    for row in data["rows"]:
        assert row["open"] > 0 and row["peak_mb"] > 50
        assert set(row["exports"]) >= {"jsonl", "conll", "spacy", "brat", "w3c"}
        assert all(t is not None and t > 0 for t in row["exports"].values())
    assert "jsonl" in result.stdout and "peak" in result.stdout


@pytest.mark.slow
def test_the_team_benchmark_runs(tmp_path: Path) -> None:
    out = tmp_path / "team.json"
    result = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "team.py"), "--quick", "--json", str(out)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    rows = {row["key"]: row for row in json.loads(out.read_text(encoding="utf-8"))["rows"]}
    assert set(rows) == {"agreement", "agreement_launch", "queue", "decision"}
    assert all(row["median"] > 0 for row in rows.values())


def test_the_benchmark_measures_with_bytecode_compiled_as_pip_installs_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Processes measured from launch read compiled bytecode, as after README's
    ``pip install .``, even where PYTHONDONTWRITEBYTECODE would make each launch
    compile every module again."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("bench_run2", REPO / "benchmarks" / "run.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    cached = Path(importlib.util.cache_from_source(str(REPO / "annotator" / "cli" / "export.py")))
    cached.unlink(missing_ok=True)
    monkeypatch.setenv("PYTHONDONTWRITEBYTECODE", "1")
    assert module.compile_bytecode() is True
    assert cached.is_file()


@pytest.mark.slow
def test_the_startup_benchmark_prints_both_windows_and_the_ratio() -> None:
    result = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "startup.py"), "--pairs", "1"],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert result.returncode == 0, result.stderr[-3000:]
    lines = result.stdout.splitlines()
    assert any(line.startswith("minimal PySide6 window") for line in lines)
    assert any(line.startswith("annotator FOLDER") for line in lines)
    ratio = next(line for line in lines if line.startswith("ratio"))
    assert float(ratio.split()[-2].rstrip("x")) > 1.0  # Annotator does more than the floor


def test_the_ecb_evaluation_prints_every_method_beside_the_baselines() -> None:
    """benchmarks/ecb_eval.py on ECB+ dev (skipped without ../shared/data/ecbplus)."""
    import subprocess
    import sys

    data = REPO.parent / "shared" / "data" / "ecbplus" / "dev_entity_gold_mentions.json.gz"
    if not data.is_file():
        pytest.skip("ECB+ is not beside the checkout")
    done = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "ecb_eval.py"), "--split", "dev"],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    rows = {line.split("  ")[0].strip() for line in done.stdout.splitlines()[2:]}
    assert {"singletons", "same string", "same head", "align-entities"} <= rows
