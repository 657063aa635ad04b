"""A real Annotator session that is ended by a signal, for ``tests/test_quit_signals.py``.

``python -m tests.quit_child PROJECT`` opens the window headless, tags words with the
mouse and the label keys (autosave is off, so only the journal holds them), installs
the app's quit-signal handling, prints the spans it expects on one JSON line and runs
the event loop until a signal ends it.
"""

from __future__ import annotations

import json
import os
import signal
import sys
from pathlib import Path

os.environ["QT_QPA_PLATFORM"] = "offscreen"

from PySide6.QtWidgets import QApplication

from annotator.ui.app import ensure_application, handle_quit_signals
from tests.crash_child import open_headless, state, tag_word


def main(project: Path, *, early: bool = False) -> int:
    app = ensure_application()
    window = open_headless(project)
    window.session.autosave_enabled = False
    first, second = window.shown_documents()[:2]
    tag_word(window, first, "Varga", "1")
    tag_word(window, second, "Warga", "3")
    QApplication.processEvents()
    assert window.session.is_dirty
    handle_quit_signals(app, lambda: window)
    print(json.dumps(state(window)), flush=True)
    if early:  # the signal lands before the event loop runs
        os.kill(os.getpid(), signal.SIGTERM)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]), early="--signal-before-loop" in sys.argv))
