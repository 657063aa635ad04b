"""Build the standalone application folder: ``python packaging/build.py``.

Writes ``dist/annotator/`` with the executable ``dist/annotator/annotator`` from
``packaging/annotator.spec``. Needs PyInstaller: ``pip install -e '.[build]'``.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    if importlib.util.find_spec("PyInstaller") is None:
        print("PyInstaller is not installed: pip install -e '.[build]'", file=sys.stderr)
        return 2
    command = [
        sys.executable,
        "-m",
        "PyInstaller",
        "--noconfirm",
        "--clean",
        "--log-level",
        "WARN",
        "--distpath",
        str(ROOT / "dist"),
        "--workpath",
        str(ROOT / "build"),
        str(ROOT / "packaging" / "annotator.spec"),
    ]
    result = subprocess.run(command, cwd=ROOT)
    if result.returncode == 0:
        exe = ROOT / "dist" / "annotator" / "annotator"
        files = [p for p in exe.parent.rglob("*") if p.is_file() and not p.is_symlink()]
        size = sum(p.stat().st_size for p in files)
        print(f"built {exe} ({size / 1e6:.0f} MB in the folder)")
    return result.returncode


if __name__ == "__main__":
    sys.exit(main())
