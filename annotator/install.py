"""Install hints that work from where Annotator was installed.

A message about a missing optional part (``hf``, ``spacy``) gives the command that
adds it to *this* installation: the running Python's own ``pip`` (not whichever
``pip`` is first on the PATH), and the package as it was installed, which is the
source folder for a clone (``pip install .`` or ``pip install -e .``, found from the
installation's record, PEP 610) and the package name otherwise. The standalone app
cannot take new packages: its hint says to run Annotator from a source folder.
"""

from __future__ import annotations

import json
import shlex
import sys
from pathlib import Path
from urllib.parse import unquote, urlparse

DISTRIBUTION = "annotator"
SPACY_MODEL = "en_core_web_sm"


def source_folder() -> Path | None:
    """The folder this installation was made from (a clone), if it was one."""
    here = Path(__file__).resolve().parent.parent
    if (here / "pyproject.toml").is_file() and (here / "annotator").is_dir():
        return here  # running from the folder itself (an editable install, PYTHONPATH)
    try:
        from importlib.metadata import PackageNotFoundError, distribution

        record = distribution(DISTRIBUTION).read_text("direct_url.json")
    except (ImportError, PackageNotFoundError, OSError):
        return None
    if not record:
        return None
    try:
        url = json.loads(record).get("url", "")
    except (ValueError, AttributeError):
        return None
    parsed = urlparse(url)
    if parsed.scheme != "file":
        return None
    folder = Path(unquote(parsed.path))
    return folder if (folder / "pyproject.toml").is_file() else None


def frozen() -> bool:
    """Running as the standalone app (PyInstaller), which cannot install packages."""
    return bool(getattr(sys, "frozen", False))


def pip_install(extra: str) -> str:
    """The command that adds ``extra`` (``hf``, ``spacy``) to this installation."""
    folder = source_folder()
    target = f"{folder}[{extra}]" if folder is not None else f"{DISTRIBUTION}[{extra}]"
    return f"{shlex.quote(sys.executable)} -m pip install {shlex.quote(target)}"


def install_hint(extra: str, what: str) -> str:
    """``what`` (``the hf format needs datasets``) and how to get it here."""
    if frozen():
        return (
            f"{what}, which this standalone app does not include: run Annotator from its "
            f"source folder, where pip install '.[{extra}]' adds it"
        )
    return f"{what}: install it with {pip_install(extra)}"


def spacy_model_hint(model: str = SPACY_MODEL) -> str:
    """The command that downloads a spaCy model into this installation."""
    return f"{shlex.quote(sys.executable)} -m spacy download {shlex.quote(model)}"
