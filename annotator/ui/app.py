"""Application wiring: the one place that builds the QApplication, session and window."""

from __future__ import annotations

import gc
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox, QWidget

from annotator import APP_DISPLAY_NAME, APP_ID, APP_NAME, ORG_NAME, __version__
from annotator.core.journal import journal_path, read_journal, recovery_changes
from annotator.core.lock import ProjectLock, ProjectLocked, lock_path
from annotator.core.models import PROJECT_FILE_NAME
from annotator.core.store import (
    LoadReport,
    ProjectError,
    is_project,
    open_project,
    resolve_root,
    save_project,
)
from annotator.resources import resources_dir
from annotator.settings import Settings, load_settings, sample_project, save_settings
from annotator.ui.dialogs import message_box
from annotator.ui.main_window import MainWindow
from annotator.ui.session import Session
from annotator.ui.syslibs import message, missing_packages


def ensure_application() -> QApplication:
    app = QApplication.instance()
    if app is None:
        app = QApplication([sys.argv[0] if sys.argv else APP_NAME])
    assert isinstance(app, QApplication)
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


def open_window(
    path: Path, settings: Settings, *, read_only: bool = False, take_over: bool = False
) -> tuple[MainWindow, LoadReport]:
    """Open ``path`` (a project, or a folder of articles that becomes one) in a new window.

    Raises :class:`ProjectError` when it cannot be opened (nothing on disk is touched
    then) and :class:`ProjectLocked` when another session has it open for editing
    (unless ``read_only`` or ``take_over``).
    """
    # Building the window creates many objects; with the cyclic collector paused it
    # does not scan the just-loaded project again and again (about 0.4 s for 50,000
    # spans). The project is then frozen: it is long-lived, and full passes over it
    # would stall the window for 100+ ms (benchmarks/run.py). Unfrozen on close.
    enabled = gc.isenabled()
    gc.disable()
    try:
        window, report = _open_window(path, settings, read_only=read_only, take_over=take_over)
        window.closed.connect(gc.unfreeze)
        gc.freeze()
    finally:
        if enabled:
            gc.enable()
    return window, report


def _open_window(
    path: Path, settings: Settings, *, read_only: bool, take_over: bool
) -> tuple[MainWindow, LoadReport]:
    lock, lock_note = None, None
    if not read_only:
        root = resolve_root(path)
        try:
            lock, lock_note = ProjectLock.acquire(root, take_over=take_over)
        except OSError as exc:  # read-only media: open anyway, saving will tell
            lock_note = f"cannot write a lock file ({exc.strerror or exc}); not protected"
    try:
        project, report = open_project(path)
    except BaseException:
        if lock is not None:
            lock.release()
        raise
    if lock_note:
        report.warn(str(lock_path(project.root)), lock_note)
    unsaved = False
    if report.created and not read_only:
        try:
            save_project(project)  # the folder becomes a project: articles are never rewritten
        except OSError as exc:
            unsaved = True
            report.error(str(project.root), f"cannot write the project file: {exc.strerror or exc}")
    session = Session(project, dirty=unsaved, read_only=read_only, lock=lock)
    window = MainWindow(session, settings)
    _check_journal(window, report)
    settings.remember_project(project.root)
    save_settings(settings)
    window.closed.connect(lambda: save_settings(settings))
    return window, report


def _check_journal(window: MainWindow, report: LoadReport) -> None:
    """A journal left by a session that did not end cleanly: offer what it holds, or drop it."""
    session = window.session
    if session.read_only:
        return  # the journal belongs to the session that is editing the project
    contents = read_journal(session.project.root)
    if contents is None:
        session.start_journal()
        return
    for problem in contents.problems:
        report.warn(str(contents.path), problem)
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
    count = len(report.problems)
    box = message_box(
        parent,
        QMessageBox.Icon.Warning if report.errors else QMessageBox.Icon.Information,
        f"The project opened with {count} note{'s' * (count != 1)}. Nothing was lost.",
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

    def open(self, path: Path, *, read_only: bool = False, take_over: bool = False) -> bool:
        try:
            window, report = open_window(
                path, self.settings, read_only=read_only, take_over=take_over
            )
        except ProjectError as exc:
            error_box(self.window, f"Cannot open {path}:\n{exc}")
            return False
        except ProjectLocked as exc:
            current = self.window
            if current is not None and current.session.project.root == exc.root:
                current.raise_()  # this window has it already
                current.activateWindow()
                return True
            choice = self.ask_locked(exc)
            if choice is None:
                return False
            return self.open(path, read_only=choice == "read-only", take_over=choice == "take-over")
        old = self.window
        if old is not None:
            if not old.close():
                window.deleteLater()
                return False
            _retire(old)
        self.window = window
        window.open_requested.connect(self.choose)
        window.reload_requested.connect(self.reload)
        window.show()
        show_report(window, report)
        window.offer_recovery()
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
            theirs = session.keep_mine()
            error_box(
                current,
                f"The changed {PROJECT_FILE_NAME} cannot be read, so your version stays open "
                f"and was saved; the other version is kept as {theirs.name}.\n\n{exc}",
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


def run_app(path: Path | None) -> int:
    missing = missing_packages()
    if missing:
        print(message(missing), file=sys.stderr)
        return 1
    app = ensure_application()
    settings = load_settings()
    launcher = Launcher(settings)
    if path is not None:
        if not launcher.open(path):
            return 1
    elif not launcher.open(startup_path(settings)) and not launcher.open(sample_project()):
        return 1
    return app.exec()
