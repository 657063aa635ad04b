"""Guard against the PySide6 6.12.0 / CPython 3.11 reference leak on None (PERFORMANCE.md).

On the affected combination every call of a method returning nothing drops one
reference to None, and the process aborts after a few thousand calls. The
dependency specification keeps that release away; this test fails if it comes back.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject
from PySide6.QtGui import QTextCharFormat, QTextCursor, QTextDocument


def test_void_calls_do_not_leak_references_to_none() -> None:
    obj = QObject()
    doc = QTextDocument("some text to format " * 10)
    cursor = QTextCursor(doc)
    fmt = QTextCharFormat()
    before = sys.getrefcount(None)
    for i in range(3000):
        obj.setObjectName("x")
        cursor.setPosition(i % 100)
        cursor.mergeCharFormat(fmt)
    after = sys.getrefcount(None)
    # Immortal None (3.12+) never changes; on 3.11 a leak shows as about -9000.
    assert after - before > -100, f"None lost {before - after} references"
