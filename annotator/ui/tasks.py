"""Long work off the GUI thread, with a progress dialog and Cancel.

:func:`run_task` runs ``work(progress, cancelled)`` in a :class:`QThread`; ``work``
calls ``progress(done, total)`` now and then and checks ``cancelled()``, raising
:class:`annotator.core.progress.Cancelled` to stop. The window stays responsive; the dialog
is window-modal so the project cannot change under the work. ``on_done`` gets the
result on the GUI thread; a failure becomes ``on_error(message)``.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Qt, QThread, Signal
from PySide6.QtWidgets import QApplication, QProgressDialog, QWidget
from shiboken6 import isValid

from annotator.core.progress import Cancelled

Work = Callable[[Callable[[int, int], None], Callable[[], bool]], Any]


class TaskThread(QThread):
    progressed = Signal(int, int)

    def __init__(self, work: Work, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._work = work
        self._cancel = threading.Event()
        self.result: Any = None
        self.error: BaseException | None = None
        self.cancelled = False

    def cancel(self) -> None:
        self._cancel.set()

    def run(self) -> None:
        try:
            self.result = self._work(self.progressed.emit, self._cancel.is_set)
        except Cancelled:
            self.cancelled = True
        except Exception as exc:  # reported on the GUI thread, never lost
            self.error = exc


class _CollectorPause:
    """The cyclic garbage collector paused while any job runs on a thread.

    A job allocates objects by the hundred thousand (an export's documents, tokens
    and arrays); each full pass of the collector over them runs with the interpreter
    held, in whichever thread allocates, and stalls the window 50 ms or more (the
    spaCy export of 1,000 articles: two or three such stalls). The jobs make no
    reference cycles worth collecting early; the collector runs again once the last
    job ends, and what the jobs left alive is frozen."""

    def __init__(self) -> None:
        self.jobs = 0
        self.was_enabled = False

    def start(self) -> None:
        if self.jobs == 0:
            self.was_enabled = gc.isenabled()
            gc.disable()
        self.jobs += 1

    def end(self) -> None:
        self.jobs -= 1
        if self.jobs == 0 and self.was_enabled:
            # what the job left alive (its result, modules it imported: spaCy's are
            # 300,000 objects) is long-lived: frozen, as the loaded project is, so that
            # the collector's next full pass does not scan it all in one go
            gc.freeze()
            gc.enable()


_collector = _CollectorPause()


def run_task(
    parent: QWidget,
    title: str,
    work: Work,
    on_done: Callable[[Any], None],
    on_error: Callable[[str], None],
    on_cancel: Callable[[], None] | None = None,
) -> TaskThread:
    dialog = QProgressDialog(title, "Cancel", 0, 0, parent)
    dialog.setObjectName("taskProgress")
    dialog.setWindowTitle(title)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(250)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    # No parent: the thread must outlive any window closed while it runs (a QThread
    # destroyed while running aborts the process); it is kept here until it ends.
    thread = TaskThread(work)
    _running.add(thread)
    _stop_all_on_quit()
    # the keys go back where they were once the progress dialog (if it showed) closes
    focused = QApplication.focusWidget()

    def on_progress(done: int, total: int) -> None:
        dialog.setMaximum(total)
        dialog.setValue(done)

    def finish() -> None:
        _running.discard(thread)
        _collector.end()
        if isValid(dialog):  # its window may be gone
            shown = dialog.isVisible()
            dialog.close()
            dialog.deleteLater()
            if shown and isValid(parent) and parent.isVisible():
                parent.window().activateWindow()
                if focused is not None and isValid(focused) and focused.isVisible():
                    focused.setFocus()
        if thread.cancelled:
            if on_cancel is not None:
                on_cancel()
        elif thread.error is not None:
            on_error(_message(thread.error))
        else:
            on_done(thread.result)
        thread.deleteLater()

    thread.progressed.connect(on_progress)
    dialog.canceled.connect(thread.cancel)
    thread.finished.connect(finish)
    _collector.start()
    thread.start()
    return thread


def _message(error: BaseException) -> str:
    """What went wrong, in words: a file that cannot be read or written by its name and
    the system's reason, not ``[Errno 13] Permission denied: '...'``."""
    if isinstance(error, OSError) and error.strerror:
        where = f"{error.filename}: " if error.filename else ""
        return f"{where}{error.strerror}"
    return str(error) or type(error).__name__


_running: set[TaskThread] = set()
_quit_hooked: list[QCoreApplication] = []


def _stop_all_on_quit() -> None:
    app = QCoreApplication.instance()
    if app is not None and app not in _quit_hooked:
        app.aboutToQuit.connect(stop_all)
        _quit_hooked.append(app)


def stop_all() -> None:
    """Cancel every task still running and wait for it (the application is quitting)."""
    for thread in list(_running):
        thread.cancel()
        thread.wait(10_000)
