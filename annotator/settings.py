"""Per-user settings and folders: the one module that calls platformdirs.

Settings (last project, recent projects, each project's shown documents and window
layout) live in ``settings.json`` in the user config folder; the sample corpus copy
and autosave snapshots live in the user data folder. ``XDG_CONFIG_HOME`` and
``XDG_DATA_HOME`` move both, which is how tests isolate themselves.
"""

from __future__ import annotations

import getpass
import json
import os
import shutil
import sys
from pathlib import Path

import platformdirs
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from annotator import APP_NAME
from annotator.core.names import author_problem
from annotator.io.atomic import atomic_write_text, read_regular
from annotator.resources import resource_path

SETTINGS_FILE = "settings.json"
MAX_RECENT = 10
NAME_VARIABLE = "ANNOTATOR_NAME"  # the name to use when none was chosen ("": none)


def config_dir() -> Path:
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def recovery_dir() -> Path:
    return data_dir() / "recovery"


class ProjectView(BaseModel):
    """How one project was last shown: which documents, and the window layout."""

    model_config = ConfigDict(extra="ignore")
    shown: list[str] = Field(default_factory=list)
    geometry: str = ""  # base64 of QWidget.saveGeometry()
    window_state: str = ""  # base64 of QMainWindow.saveState()
    splitter: str = ""  # base64 of QSplitter.saveState()


class Settings(BaseModel):
    model_config = ConfigDict(extra="ignore")
    last_project: str | None = None
    recent_projects: list[str] = Field(default_factory=list)
    snap_to_words: bool = True
    author: str | None = None  # the name the person chose (None: their account's)
    # asked once, on opening a project that holds another person's work, whether the
    # account's name is the one to record
    name_asked: bool = False
    # Review ▸ Suggest With ▸ Minimum Score for Links: the lowest score a link
    # suggestion needs (None: each aligner's own default)
    link_min_score: float | None = Field(default=None, ge=0, le=1)
    views: dict[str, ProjectView] = Field(default_factory=dict)

    @field_validator("author", mode="before")
    @classmethod
    def _a_good_name(cls, value: object) -> str | None:
        """A name the gate refuses (``../x``, ``gold``, a NUL) is dropped, not used:
        the window then asks again, as on first use."""
        if not isinstance(value, str) or author_problem(value):
            return None
        return value

    @property
    def name(self) -> str | None:
        """Who is working: the chosen name, else the account's (:func:`account_name`)."""
        return self.author or account_name()

    def remember_project(self, root: Path) -> None:
        key = str(root)
        self.last_project = key
        self.recent_projects = [key, *[p for p in self.recent_projects if p != key]][:MAX_RECENT]

    def view(self, root: Path) -> ProjectView:
        return self.views.setdefault(str(root), ProjectView())


def account_name() -> str | None:
    """The name to record when none was chosen: ``$ANNOTATOR_NAME`` if set (empty: no
    name), else the account's full name where the system keeps one, else its login;
    a name the gate refuses is passed over."""
    candidates: list[str | None]
    if NAME_VARIABLE in os.environ:
        candidates = [os.environ[NAME_VARIABLE]]
    else:
        candidates = [_full_name(), _login()]
    for raw in candidates:
        name = " ".join((raw or "").split())
        if name and author_problem(name) is None:
            return name
    return None


def _full_name() -> str | None:
    """The account's full name: the first field of its GECOS entry (Linux, macOS), or
    the display name Windows keeps."""
    if sys.platform == "win32":  # pragma: no cover - Windows only
        import ctypes

        size = ctypes.c_ulong(256)
        buffer = ctypes.create_unicode_buffer(size.value)
        get = ctypes.windll.secur32.GetUserNameExW  # type: ignore[attr-defined,unused-ignore]
        return buffer.value if get(3, buffer, ctypes.byref(size)) else None  # NameDisplay
    try:
        import pwd

        return pwd.getpwuid(os.getuid()).pw_gecos.split(",")[0]
    except (ImportError, KeyError, OSError):
        return None


def _login() -> str | None:
    try:
        return getpass.getuser()
    except (ImportError, KeyError, OSError):
        return None


def load_settings() -> Settings:
    """The saved settings, or defaults if there are none or they cannot be read."""
    file = config_dir() / SETTINGS_FILE
    try:
        return Settings.model_validate(json.loads(read_regular(file).decode("utf-8")))
    except (OSError, ValueError, ValidationError):
        return Settings()


def save_settings(settings: Settings) -> None:
    text = json.dumps(settings.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n"
    atomic_write_text(config_dir() / SETTINGS_FILE, text)


def team_example() -> Path:
    """The user's copy of the two-annotator example (the sample's articles, with Ann's
    and Bob's work in ``annotations/``), made on first use: to try Analysis ▸ Agreement
    and Adjudicate at once."""
    target = data_dir() / "team-example"
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(".team-example.tmp")
        shutil.rmtree(tmp, ignore_errors=True)
        shutil.copytree(resource_path("sample"), tmp)
        shutil.copytree(resource_path("team-example") / "annotations", tmp / "annotations")
        tmp.rename(target)
    return target


def sample_project() -> Path:
    """The user's copy of the bundled sample corpus, made on first use."""
    target = data_dir() / "sample"
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(".sample.tmp")
        shutil.rmtree(tmp, ignore_errors=True)
        shutil.copytree(resource_path("sample"), tmp)
        tmp.rename(target)
    return target
