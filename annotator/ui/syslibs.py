"""Checking for the system libraries Qt's X11 platform plugin needs, with a clear message."""

from __future__ import annotations

import ctypes.util
import os
import sys

# library name for find_library -> Debian/Ubuntu package that provides it
XCB_LIBRARIES = {
    "xcb-cursor": "libxcb-cursor0",
    "xkbcommon-x11": "libxkbcommon-x11-0",
    "xcb-icccm": "libxcb-icccm4",
    "xcb-keysyms": "libxcb-keysyms1",
    "EGL": "libegl1",
    "fontconfig": "libfontconfig1",
}


def missing_packages() -> list[str]:
    """Packages to install before a window can open on X11 (empty if none or not X11)."""
    if not sys.platform.startswith("linux"):
        return []
    platform = os.environ.get("QT_QPA_PLATFORM", "")
    if platform not in ("", "xcb") or (not platform and os.environ.get("WAYLAND_DISPLAY")):
        return []
    return [pkg for lib, pkg in XCB_LIBRARIES.items() if ctypes.util.find_library(lib) is None]


def message(packages: list[str]) -> str:
    return (
        "Annotator needs system libraries that Qt uses to open a window:\n"
        f"  sudo apt-get install {' '.join(packages)}\n"
        "(on Fedora: sudo dnf install xcb-util-cursor libxkbcommon-x11 mesa-libEGL)"
    )


# Libraries QtGui itself links against (needed even offscreen, e.g. in the tests).
QTGUI_LIBRARIES = {
    "EGL": "libegl1",
    "GL": "libgl1",
    "fontconfig": "libfontconfig1",
    "xkbcommon": "libxkbcommon0",
    "glib-2.0": "libglib2.0-0",
    "dbus-1": "libdbus-1-3",
}


def qt_import_problem() -> str | None:
    """None if PySide6's QtGui imports; otherwise what to install, in plain words."""
    try:
        import PySide6.QtGui  # noqa: F401
    except ImportError as exc:
        found = ctypes.util.find_library
        packages = [p for lib, p in QTGUI_LIBRARIES.items() if found(lib) is None]
        hint = f"  sudo apt-get install {' '.join(packages)}\n" if packages else ""
        return f"Qt cannot load ({exc}).\n{hint}See README.md, 'System packages'."
    return None
