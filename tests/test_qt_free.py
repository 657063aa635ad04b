"""The Qt-free rule: core/, io/, formats/, extract/, ops/ and agreement/ run without
PySide6.

Every module of those packages is imported in a fresh interpreter whose import system
refuses PySide6 and shiboken6; and no module of theirs names ``annotator.ui`` or
PySide6 in an import, even one inside a function (the layering contract: the window
depends on them, never the other way round).
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
QT_FREE = ("core", "io", "formats", "extract", "ops", "agreement")
FORBIDDEN = ("PySide6", "shiboken6", "annotator.ui")

BLOCKED = """
import importlib.abc, pkgutil, sys

class Refuse(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in ("PySide6", "shiboken6"):
            raise ImportError(f"{name} is refused: this module must not need Qt")
        return None

sys.meta_path.insert(0, Refuse())
import annotator
names = []
for package in %r:
    module = __import__(f"annotator.{package}", fromlist=["_"])
    names.append(module.__name__)
    for info in pkgutil.walk_packages(module.__path__, module.__name__ + "."):
        names.append(info.name)
for name in names:
    __import__(name)
assert not any(m.split(".")[0] in ("PySide6", "shiboken6") for m in sys.modules)
print(len(names))
"""


def modules() -> list[Path]:
    return [p for package in QT_FREE for p in sorted((REPO / "annotator" / package).rglob("*.py"))]


def test_every_qt_free_module_imports_with_pyside6_refused() -> None:
    result = subprocess.run(
        [sys.executable, "-c", BLOCKED % (QT_FREE,)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert int(result.stdout.strip()) == len(modules())  # every module was imported


def test_no_qt_free_module_imports_the_window_or_qt() -> None:
    found = []
    for path in modules():
        tree = ast.parse(path.read_text("utf-8"))
        for node in ast.walk(tree):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                if any(name == f or name.startswith(f + ".") for f in FORBIDDEN):
                    found.append(f"{path.relative_to(REPO)}:{node.lineno}: {name}")
    assert found == []


def test_the_core_docstring_cites_this_test() -> None:
    import annotator.core

    assert annotator.core.__doc__ is not None
    assert "tests/test_qt_free.py" in annotator.core.__doc__
    assert (REPO / "tests" / "test_qt_free.py").is_file()
