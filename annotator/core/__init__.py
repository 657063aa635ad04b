"""Qt-free core: models, project store, offsets, span index and undoable edits.

Nothing under ``annotator.core`` imports PySide6 (``tests/core/test_no_qt.py`` proves
it), so the command line, the exporters and most tests run without a display.
"""
