"""Finding ``resources/`` from a source checkout, an installed wheel or a frozen bundle.

In a wheel the folder is packaged as ``annotator/resources``; in a source checkout it
sits beside the package; PyInstaller bundles it under ``sys._MEIPASS``.
"""

from __future__ import annotations

import sys
from importlib import resources as importlib_resources
from pathlib import Path


def resources_dir() -> Path:
    packaged = Path(str(importlib_resources.files("annotator"))) / "resources"
    if packaged.is_dir():
        return packaged
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen and (Path(frozen) / "resources").is_dir():
        return Path(frozen) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def resource_path(*parts: str) -> Path:
    path = resources_dir().joinpath(*parts)
    if not path.exists():
        raise FileNotFoundError(f"missing resource {'/'.join(parts)} (looked in {resources_dir()})")
    return path
