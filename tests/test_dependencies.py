"""The dependency specification rules out PySide6 6.12.0 on every Python below 3.12."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    tomllib = pytest.importorskip("tomli")

PYPROJECT = Path(__file__).resolve().parent.parent / "pyproject.toml"


def _pyside_specs(python: str) -> list[SpecifierSet]:
    data = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))
    env = {"python_version": python, "python_full_version": python + ".0"}
    specs = []
    for line in data["project"]["dependencies"]:
        req = Requirement(line)
        if req.name.lower().startswith("pyside6") and (
            req.marker is None or Marker(str(req.marker)).evaluate(env)
        ):
            specs.append(req.specifier)
    return specs


@pytest.mark.parametrize("python", ["3.10", "3.11"])
def test_pyside_6_12_0_is_excluded_below_python_3_12(python: str) -> None:
    specs = _pyside_specs(python)
    assert specs, f"no PySide6 requirement applies to Python {python}"
    for spec in specs:
        assert not spec.contains("6.12.0"), f"Python {python} admits PySide6 6.12.0 ({spec})"
        assert spec.contains("6.11.3")


@pytest.mark.parametrize("python", ["3.12", "3.13"])
def test_newer_pythons_may_use_current_pyside(python: str) -> None:
    specs = _pyside_specs(python)
    assert specs and all(spec.contains("6.12.0") for spec in specs)


def test_requires_python_matches_the_markers() -> None:
    data = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))
    assert SpecifierSet(data["project"]["requires-python"]).contains("3.10")
