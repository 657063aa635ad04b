"""Fixtures that open the real main window, the way ``annotator PATH`` does."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from annotator.settings import load_settings
from annotator.ui.app import ensure_application, open_window
from annotator.ui.main_window import MainWindow

OpenWindow = Callable[[Path], MainWindow]


@pytest.fixture
def open_main_window(qtbot: QtBot) -> OpenWindow:
    """Open a project in a new main window, as the app does, and wait until it is shown."""
    ensure_application()

    def opener(path: Path) -> MainWindow:
        window, _report = open_window(path, load_settings())
        window.session.autosave_enabled = False  # tests that want autosave turn it on
        qtbot.addWidget(window)
        with qtbot.waitActive(window):
            window.show()
            window.activateWindow()
        return window

    return opener
