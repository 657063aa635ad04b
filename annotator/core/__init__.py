"""Qt-free core: models, the change record, offsets, span index, commands and history.

Nothing under ``annotator.core`` (nor ``annotator.io``, ``formats``, ``extract``,
``ops``) imports PySide6 or the window (``tests/test_qt_free.py`` proves it), so the
command line, the exporters and most tests run without a display.
"""
