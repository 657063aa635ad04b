"""Install hints name the command that works where Annotator was installed: this
Python's pip, and the clone's folder (editable or not) or the package name; the
standalone app says it cannot take packages."""

from __future__ import annotations

import json
import shlex
import sys
from pathlib import Path
from typing import Any

import pytest

from annotator import install
from annotator.formats.tokens import TokenizerUnavailable

REPO = Path(__file__).resolve().parent.parent


def test_from_this_clone_the_hint_installs_the_extra_of_this_folder_with_this_python() -> None:
    command = shlex.split(install.pip_install("hf"))
    assert command[:4] == [sys.executable, "-m", "pip", "install"]
    folder, extra = command[4].rsplit("[", 1)
    assert Path(folder) == REPO and extra == "hf]"
    meta = (Path(folder) / "pyproject.toml").read_text(encoding="utf-8")
    assert 'name = "annotator"' in meta and "\nhf = [" in meta  # the extra is this project's


class _Installed:
    def __init__(self, record: str | None) -> None:
        self.record = record

    def read_text(self, name: str) -> str | None:
        return self.record if name == "direct_url.json" else None


def not_in_a_clone(monkeypatch: pytest.MonkeyPatch, record: dict[str, Any] | None) -> None:
    import importlib.metadata

    monkeypatch.setattr(install, "__file__", "/nowhere/site-packages/annotator/install.py")
    text = None if record is None else json.dumps(record)
    monkeypatch.setattr(importlib.metadata, "distribution", lambda _name: _Installed(text))


def test_installed_from_a_clone_with_pip_install_dot_names_that_folder(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    clone = tmp_path / "my clone"
    clone.mkdir()
    (clone / "pyproject.toml").write_text("[project]\nname = 'annotator'\n", encoding="utf-8")
    not_in_a_clone(monkeypatch, {"url": clone.as_uri(), "dir_info": {}})
    assert shlex.split(install.pip_install("spacy"))[-1] == f"{clone}[spacy]"


def test_installed_from_a_package_index_names_the_package(monkeypatch: pytest.MonkeyPatch) -> None:
    not_in_a_clone(monkeypatch, None)
    assert shlex.split(install.pip_install("hf"))[-1] == "annotator[hf]"


def test_the_standalone_app_says_it_cannot_add_packages(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    hint = install.install_hint("hf", "the hf format needs datasets")
    assert "standalone app does not include" in hint and "pip install '.[hf]'" in hint


def test_a_missing_library_is_reported_with_the_hint(monkeypatch: pytest.MonkeyPatch) -> None:
    from annotator.formats.hf import features

    monkeypatch.setitem(sys.modules, "datasets", None)  # as if it were not installed
    with pytest.raises(TokenizerUnavailable) as caught:
        features(["O", "B-entity"])
    assert install.pip_install("hf") in str(caught.value)
