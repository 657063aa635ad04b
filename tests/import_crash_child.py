"""A real session that imports a document and is then killed, for ``tests/test_crash.py``.

``python -m tests.import_crash_child PROJECT FILE`` opens the window headless, imports
FILE (JSON Lines) as File ▸ Import does, shows the new document, tags a word in it with
the mouse and a label key, prints the spans it expects on one JSON line, and waits
for SIGKILL. Autosave is off: only the journal holds the import and the tag.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

os.environ["QT_QPA_PLATFORM"] = "offscreen"

from PySide6.QtWidgets import QApplication

from annotator.formats import FORMATS
from annotator.formats.records import ImportOptions, plan_import
from annotator.ui.app import ensure_application
from tests.crash_child import open_headless, state, tag_word


def main(project: Path, records: Path) -> None:
    app = ensure_application()
    window = open_headless(project)
    window.session.autosave_enabled = False
    reader = FORMATS["jsonl"].read
    assert reader is not None
    plan = plan_import(
        window.session.project, reader(records), ImportOptions(add_documents=True, add_labels=True)
    )
    assert not plan.problems, plan.problems
    window.add_imported(plan)  # what File > Import does once the file is read
    new = plan.new_documents[0].id
    window.documents.set_shown(new, True)
    QApplication.processEvents()
    tag_word(window, new, "ferry", "3")
    QApplication.processEvents()
    print(json.dumps({"final": state(window), "new": new}), flush=True)
    while True:
        app.processEvents()
        time.sleep(0.02)


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
