"""The main window's old address: it lives in :mod:`annotator.ui.window` now."""

from annotator.ui.window.shell import DEFAULT_SHOWN, READ_ONLY_DISABLED, MainWindow

__all__ = ["DEFAULT_SHOWN", "READ_ONLY_DISABLED", "MainWindow"]
