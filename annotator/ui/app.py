"""Application wiring: the one place that builds the QApplication, session and window."""

from __future__ import annotations

import contextlib
import gc
import signal
import socket
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import QCoreApplication, QEvent, QSocketNotifier, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox, QWidget

from annotator import APP_DISPLAY_NAME, APP_ID, APP_NAME, ORG_NAME, __version__
from annotator.core.models import PROJECT_FILE_NAME
from annotator.core.progress import IsCancelled, Progress, never_cancelled, no_progress
from annotator.core.project import Project
from annotator.core.wording import count, plural
from annotator.io.journal import journal_path
from annotator.io.load import open_project
from annotator.io.lock import ProjectLock, ProjectLocked, lock_path
from annotator.io.paths import is_project, resolve_root
from annotator.io.recovery import keep_copy, own_journal, recovery_changes
from annotator.io.report import LoadReport, ProjectError
from annotator.io.save import save_project
from annotator.resources import resources_dir
from annotator.settings import Settings, load_settings, sample_project, save_settings
from annotator.ui.dialogs import message_box
from annotator.ui.main_window import MainWindow
from annotator.ui.session import Session
from annotator.ui.syslibs import message, missing_packages
from annotator.ui.tasks import TaskThread, run_task

T = TypeVar("T")
SWITCH_INTERVAL = 0.001  # seconds


def ensure_application() -> QApplication:
    app = QApplication.instance()
    if app is None:
        app = QApplication([sys.argv[0] if sys.argv else APP_NAME])
    assert isinstance(app, QApplication)
    # Threads take turns with the interpreter every 5 ms by default; while a writer or
    # loader thread runs, every Python call the window makes (paint, item data) waits
    # for its turn. 1 ms turns keep the window's waits short (benchmarks/run.py).
    sys.setswitchinterval(SWITCH_INTERVAL)
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_DISPLAY_NAME)
    app.setOrganizationName(ORG_NAME)
    app.setApplicationVersion(__version__)
    app.setDesktopFileName(APP_ID)
    icon = resources_dir() / "icons" / "annotator.svg"
    if icon.exists():
        app.setWindowIcon(QIcon(str(icon)))
    style = resources_dir() / "styles" / "app.qss"
    if style.exists() and not app.styleSheet():
        app.setStyleSheet(style.read_text(encoding="utf-8"))
    return app


@dataclass
class Prepared:
    """A project loaded and locked, ready for a window (made on any thread, no Qt)."""

    project: Project
    report: LoadReport
    lock: ProjectLock | None
    read_only: bool
    unsaved: bool = False


def prepare(
    path: Path,
    *,
    read_only: bool = False,
    take_over: bool = False,
    progress: Progress = no_progress,
    cancelled: IsCancelled = never_cancelled,
) -> Prepared:
    """Lock and load ``path`` (a project, or a folder of articles that becomes one).

    Raises :class:`ProjectError` when it cannot be opened (nothing on disk is touched
    then), :class:`ProjectLocked` when another session has it open for editing
    (unless ``read_only`` or ``take_over``) and :class:`Cancelled`; the lock is
    released whenever it raises.
    """
    lock, lock_note = None, None
    if not read_only:
        root = resolve_root(path)
        try:
            lock, lock_note = ProjectLock.acquire(root, take_over=take_over)
        except OSError as exc:  # read-only media: open anyway, saving will tell
            lock_note = f"cannot write a lock file ({exc.strerror or exc}); not protected"
    try:
        project, report = _paused_collector(lambda: _load_long_lived(path, progress, cancelled))
    except BaseException:
        if lock is not None:
            lock.release()
        raise
    if lock_note:
        report.warn(str(lock_path(project.root)), lock_note)
    prepared = Prepared(project, report, lock, read_only)
    if report.created and not read_only:
        try:
            save_project(project)  # the folder becomes a project: articles are never rewritten
        except OSError as exc:
            prepared.unsaved = True
            report.error(str(project.root), f"cannot write the project file: {exc.strerror or exc}")
    return prepared


def _load_long_lived(
    path: Path, progress: Progress, cancelled: IsCancelled
) -> tuple[Project, LoadReport]:
    """Load with the cyclic collector paused, then freeze what was loaded: otherwise its
    first pass after loading scans every new object (0.15 s for 10,000 articles, in
    the middle of the window's event loop when loading runs on a thread)."""
    loaded = open_project(path, progress, cancelled)
    gc.freeze()
    return loaded


def open_window(
    path: Path, settings: Settings, *, read_only: bool = False, take_over: bool = False
) -> tuple[MainWindow, LoadReport]:
    """Open ``path`` in a new window, on this thread (:func:`prepare`, then the window)."""
    prepared = prepare(path, read_only=read_only, take_over=take_over)
    return build_window(prepared, settings), prepared.report


def build_window(prepared: Prepared, settings: Settings) -> MainWindow:
    """The window for a prepared project (GUI thread)."""

    # Building the window creates many objects; with the cyclic collector paused it
    # does not scan the just-loaded project again and again (about 0.4 s for 50,000
    # spans). The project is then frozen: it is long-lived, and full passes over it
    # would stall the window for 100+ ms (benchmarks/run.py). Unfrozen on close.
    def build() -> MainWindow:
        window = _build_window(prepared, settings)
        window.closed.connect(gc.unfreeze)
        gc.freeze()
        return window

    return _paused_collector(build)


def _paused_collector(work: Callable[[], T]) -> T:
    enabled = gc.isenabled()
    gc.disable()
    try:
        return work()
    finally:
        if enabled:
            gc.enable()


def _build_window(prepared: Prepared, settings: Settings) -> MainWindow:
    project, report = prepared.project, prepared.report
    session = Session(
        project, dirty=prepared.unsaved, read_only=prepared.read_only, lock=prepared.lock
    )
    window = MainWindow(session, settings)
    _check_journal(window, report)
    settings.remember_project(project.root)
    save_settings(settings)
    window.closed.connect(lambda: save_settings(settings))
    return window


def _check_journal(window: MainWindow, report: LoadReport) -> None:
    """A journal left by a session that did not end cleanly: offer what it holds, or drop it."""
    session = window.session
    if session.read_only:
        return  # the journal belongs to the session that is editing the project
    contents = own_journal(session.project, report)
    if contents is None:
        session.start_journal()
        return
    for problem in contents.problems:
        report.warn(str(contents.path), problem)
    if contents.skipped:
        try:
            kept = f"a copy is kept as {keep_copy(contents).name}"
        except OSError as exc:
            kept = f"it could not be copied aside ({exc.strerror or exc})"
        report.maybe_lost.append(
            f"{count(contents.skipped, 'line')} of the edit journal could not be read; "
            f"the {plural(contents.skipped, 'edit')} on {plural(contents.skipped, 'it', 'them')} "
            f"may be lost ({kept})"
        )
    changes, problems = recovery_changes(session.project, contents.edits)
    for problem in problems:
        report.warn(str(contents.path), problem)
    if not changes:
        journal_path(session.project.root).unlink(missing_ok=True)  # all of it is in the file
        session.start_journal()
        return
    window.recovery = (contents, changes)  # offered once the window shows; journal after that


def startup_path(settings: Settings) -> Path:
    last = settings.last_project
    if last and is_project(Path(last)):
        return Path(last)
    return sample_project()


def show_report(parent: QWidget, report: LoadReport) -> None:
    if not report.problems:
        return
    notes = count(len(report.problems), "note")
    if report.maybe_lost:
        text = f"The project opened with {notes}. " + " ".join(
            line[0].upper() + line[1:] + "." for line in report.maybe_lost
        )
    else:
        text = f"The project opened with {notes}. Nothing was lost."
    box = message_box(
        parent,
        QMessageBox.Icon.Warning
        if report.errors or report.maybe_lost
        else QMessageBox.Icon.Information,
        text,
    )
    box.setDetailedText("\n".join(str(p) for p in report.problems))
    box.setObjectName("loadReport")
    box.open()


def error_box(parent: QWidget | None, text: str) -> None:
    message_box(parent, QMessageBox.Icon.Critical, text, "errorBox").exec()


def _retire(window: MainWindow) -> None:
    """Free a closed window and its project once control is back in the event loop.

    The new window's open froze every object alive then, the old project included;
    so after the old window is deleted, collect and freeze again, or it would stay.
    """
    window.deleteLater()
    QTimer.singleShot(0, _collect_and_freeze)


def _collect_and_freeze() -> None:
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    gc.unfreeze()
    gc.collect()
    gc.freeze()


class Launcher:
    """Keeps the current window and swaps it when another project is opened."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.window: MainWindow | None = None
        self.opening: TaskThread | None = None  # a project loading in the background

    def open(self, path: Path, *, read_only: bool = False, take_over: bool = False) -> bool:
        """Open ``path`` in place of the current window.

        With a window showing, the project loads on a thread behind a progress dialog
        with Cancel, the window stays responsive, and this returns True at once
        (:attr:`opening` is the task until it ends). Otherwise it loads here and
        returns whether a window opened.
        """
        current = self.window
        if current is not None and current.isVisible():
            self._open_in_background(current, path, read_only, take_over)
            return True
        try:
            prepared = prepare(path, read_only=read_only, take_over=take_over)
        except ProjectError as exc:
            error_box(current, f"Cannot open {path}:\n{exc}")
            return False
        except ProjectLocked as exc:
            return self._locked(path, exc)
        return self._show(prepared)

    def _open_in_background(
        self, current: MainWindow, path: Path, read_only: bool, take_over: bool
    ) -> None:
        def work(progress: Progress, cancelled: IsCancelled) -> object:
            try:
                return prepare(
                    path,
                    read_only=read_only,
                    take_over=take_over,
                    progress=progress,
                    cancelled=cancelled,
                )
            except (ProjectError, ProjectLocked) as exc:
                return exc  # answered on the GUI thread, with dialogs

        def done(result: object) -> None:
            self.opening = None
            if isinstance(result, ProjectError):
                error_box(current, f"Cannot open {path}:\n{result}")
            elif isinstance(result, ProjectLocked):
                self._locked(path, result)
            elif isinstance(result, Prepared):
                self._show(result)

        def failed(text: str) -> None:
            self.opening = None
            error_box(current, f"Cannot open {path}:\n{text}")

        def cancelled() -> None:
            self.opening = None
            current.statusBar().showMessage(f"Opening {path.name} was cancelled", 5000)

        self.opening = run_task(current, f"Opening {path.name}…", work, done, failed, cancelled)

    def _locked(self, path: Path, exc: ProjectLocked) -> bool:
        current = self.window
        if current is not None and current.session.project.root == exc.root:
            current.raise_()  # this window has it already
            current.activateWindow()
            return True
        choice = self.ask_locked(exc)
        if choice is None:
            return False
        return self.open(path, read_only=choice == "read-only", take_over=choice == "take-over")

    def _show(self, prepared: Prepared) -> bool:
        window = build_window(prepared, self.settings)
        old = self.window
        if old is not None:
            if not old.close():
                window.session.close()  # lets go of the lock it took
                _retire(window)
                return False
            _retire(old)
        self.window = window
        window.open_requested.connect(self.choose)
        window.open_path_requested.connect(lambda path: self.open(path))
        window.reload_requested.connect(self.reload)
        window.show()
        show_report(window, prepared.report)
        window.offer_recovery()
        # a project with other people's work: is the account's name the one to record?
        QTimer.singleShot(0, window.team.ask_if_team)
        # saved pages or PDFs in the folder that are not articles yet: said, and offered
        QTimer.singleShot(0, window.exchange.offer_pages)
        return True

    def reload(self) -> bool:
        """Show the version on disk: this window's changes go beside it, then it reopens."""
        current = self.window
        if current is None:
            return False
        session = current.session
        root = session.project.root
        try:
            mine = session.set_aside_mine()
            open_project(root)  # can the other version be read at all?
        except ProjectError as exc:
            kept = ", ".join(p.name for p in session.keep_mine()) or "nothing (it was deleted)"
            error_box(
                current,
                f"The changed {PROJECT_FILE_NAME} cannot be read, so your version stays open "
                f"and was saved; the other version is kept as {kept}.\n\n{exc}",
            )
            return False
        except OSError as exc:
            error_box(current, f"Could not keep your version beside the project: {exc}")
            return False
        session.discard_changes()
        current.close()
        _retire(current)
        self.window = None
        opened = self.open(root)
        if opened and mine is not None and self.window is not None:
            self.window.statusBar().showMessage(f"Reloaded; your version is kept as {mine.name}")
        return opened

    def ask_locked(self, exc: ProjectLocked) -> str | None:
        """Ask what to do about a project open elsewhere: "read-only", "take-over" or None."""
        box = message_box(
            self.window,
            QMessageBox.Icon.Warning,
            f"{exc.root.name} is already open for editing in {exc.owner.describe()}.",
            "lockDialog",
        )
        box.setInformativeText(
            "Two sessions writing one project would overwrite each other's work. Open it "
            "read-only to look at it, or open it anyway if that session is not really running."
        )
        read_only = box.addButton("Open Read-Only", QMessageBox.ButtonRole.AcceptRole)
        read_only.setObjectName("readOnlyButton")
        take_over = box.addButton("Open Anyway", QMessageBox.ButtonRole.DestructiveRole)
        take_over.setObjectName("takeOverButton")
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(read_only)
        box.exec()
        clicked = box.clickedButton()
        if clicked is read_only:
            return "read-only"
        if clicked is take_over:
            return "take-over"
        return None

    def choose(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self.window, "Open a project or a folder of articles"
        )
        if folder:
            self.open(Path(folder))


QUIT_SIGNALS = ("SIGTERM", "SIGHUP", "SIGINT")
_QUIT_WAKEUP: list[object] = []


def handle_quit_signals(app: QApplication, current: Callable[[], MainWindow | None]) -> None:
    """SIGTERM (``kill PID``, logout), SIGHUP (the terminal or desktop session ends) and
    SIGINT (Ctrl+C in the terminal) end the app like Quit: save, keep the journal if the
    save failed, release the lock.

    Python runs signal handlers only between its own bytecodes, and Qt's event loop
    runs none while it waits; the handler's wake-up byte on a socket pair makes a
    :class:`QSocketNotifier` call into Python at once.
    """
    reader, writer = socket.socketpair()
    reader.setblocking(False)
    writer.setblocking(False)
    signal.set_wakeup_fd(writer.fileno())
    notifier = QSocketNotifier(reader.fileno(), QSocketNotifier.Type.Read, app)

    def drain() -> None:
        with contextlib.suppress(OSError):
            reader.recv(64)

    notifier.activated.connect(drain)
    _QUIT_WAKEUP[:] = [reader, writer, notifier]  # alive as long as the app

    def on_signal(_number: int, _frame: object) -> None:
        window = current()
        if window is not None:
            window.shutdown()
        # quit() does nothing while the event loop is not running yet (a signal in the
        # moment between showing the window and app.exec()): the timer ends the loop
        # as soon as it runs, whichever comes first
        app.quit()
        QTimer.singleShot(0, app.quit)

    for name in QUIT_SIGNALS:
        number = getattr(signal, name, None)
        if number is not None:
            signal.signal(number, on_signal)


def run_app(path: Path | None, *, annotator: str | None = None) -> int:
    """The window on ``path`` (else the last project, else the sample); ``annotator``
    (``--annotator NAME``) becomes the user's name. Nothing is asked before the work
    can start: without a chosen name, the account's is recorded."""
    missing = missing_packages()
    if missing:
        print(message(missing), file=sys.stderr)
        return 1
    app = ensure_application()
    settings = load_settings()
    if annotator is not None and annotator != settings.author:
        settings.author = annotator
        save_settings(settings)
    launcher = Launcher(settings)
    if path is not None:
        if not launcher.open(path):
            return 1
    elif not launcher.open(startup_path(settings)) and not launcher.open(sample_project()):
        return 1
    handle_quit_signals(app, lambda: launcher.window)
    return app.exec()
