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


def pytest_sessionstart(session: pytest.Session) -> None:
    problem = qt_import_problem()
    if problem:
        pytest.exit(problem, returncode=3)


@pytest.fixture(autouse=True)
def isolated_user_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))
    return home


@pytest.fixture
def sample_copy(tmp_path: Path) -> Path:
    target = tmp_path / "sample"
    shutil.copytree(resource_path("sample"), target)
    return target


@pytest.fixture
def seeds_copy(tmp_path: Path) -> Path:
    if not SEEDS.is_dir() or not any(SEEDS.glob("*.txt")):
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
