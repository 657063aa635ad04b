"""Test configuration: headless Qt, every user folder in a temp dir, shared fixtures."""

from __future__ import annotations

import os

# Before anything imports Qt: tests never need a display.
os.environ["QT_QPA_PLATFORM"] = "offscreen"

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from annotator.resources import resource_path
from annotator.ui.syslibs import qt_import_problem

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO.parent / "shared" / "seeds"


SEED_FIXTURES = {"seeds_copy", "seeds"}
_seed_tests_skipped: list[str] = []


def pytest_sessionstart(session: pytest.Session) -> None:
    problem = qt_import_problem()
    if problem:
        pytest.exit(problem, returncode=3)


def seeds_present() -> bool:
    return SEEDS.is_dir() and any(SEEDS.glob("*.txt"))


SLOW_TIMEOUT = 1800  # seconds: a slow test (a build, the benchmarks) runs processes itself


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A test that uses the seed articles is marked ``seeds``, whether it says so or not;
    a test marked ``slow`` gets :data:`SLOW_TIMEOUT` instead of the default timeout."""
    for item in items:
        if SEED_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.seeds)
        if item.get_closest_marker("slow") and not item.get_closest_marker("timeout"):
            item.add_marker(pytest.mark.timeout(SLOW_TIMEOUT))


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.skipped and "seeds" in report.keywords:
        _seed_tests_skipped.append(report.nodeid)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """With ``../shared/seeds`` beside the checkout (as in CI), a skipped seed test is a
    failure: the seeds are the corpus the product is measured on."""
    if _seed_tests_skipped and seeds_present():
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:
            reporter.write_line(
                f"FAILED: {len(_seed_tests_skipped)} test(s) marked seeds were skipped although "
                f"{SEEDS} exists: " + ", ".join(_seed_tests_skipped),
                red=True,
            )
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


@pytest.fixture(autouse=True)
def isolated_user_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))
    # no name by default, as most tests expect (the account name: ui/test_first_start.py)
    monkeypatch.setenv("ANNOTATOR_NAME", "")
    return home


@pytest.fixture
def sample_copy(tmp_path: Path) -> Path:
    target = tmp_path / "sample"
    shutil.copytree(resource_path("sample"), target)
    return target


@pytest.fixture
def seeds_copy(tmp_path: Path) -> Path:
    if not seeds_present():
        pytest.skip("../shared/seeds is not present")
    target = tmp_path / "seeds"
    target.mkdir()
    for file in sorted(SEEDS.glob("*.txt")):
        shutil.copy(file, target / file.name)
    return target


@pytest.fixture
def write_articles(tmp_path: Path) -> Callable[[dict[str, str]], Path]:
    """Make a folder of articles from {file name: text}, written byte-exact (newline='')."""

    def make(articles: dict[str, str]) -> Path:
        folder = tmp_path / "articles"
        folder.mkdir(exist_ok=True)
        for name, text in articles.items():
            (folder / name).write_text(text, encoding="utf-8", newline="")
        return folder

    return make
