"""The first start asks nothing: the work is recorded under the account's name, shown in
the status bar; a project that holds other people's work asks once; a name given later
offers to sign the work made before it (one undo step), and the journal follows the
name so that a crash after the change is offered back to the same person."""

from __future__ import annotations

import getpass
import os
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QInputDialog, QLabel, QMessageBox
from pytestqt.qtbot import QtBot

from annotator.io.recovery import read_journal
from annotator.settings import load_settings, save_settings
from tests.ui.conftest import OpenWindow
from tests.ui.helpers import launch, point_of
from tests.ui.test_team import answer_name


def the_account() -> str:
    """What a person sees as their name in their system: the full name, else the login."""
    try:
        import pwd

        full = pwd.getpwuid(os.getuid()).pw_gecos.split(",")[0].strip()
    except (ImportError, KeyError):
        full = ""
    return full or getpass.getuser()


def answer_claim(monkeypatch: pytest.MonkeyPatch, answer: QMessageBox.StandardButton) -> list[str]:
    asked: list[str] = []

    def exec_(box: QMessageBox) -> int:
        if box.objectName() != "claimDialog":
            raise AssertionError(f"unexpected question: {box.text()}")
        asked.append(box.text())
        return int(answer)

    monkeypatch.setattr(QMessageBox, "exec", exec_)
    return asked


def tag_word(qtbot: QtBot, pane: Any, word: str) -> None:
    """Select the first ``word`` of the pane (its text cursor) and press 1."""
    start = pane.document.text.index(word)
    cursor = pane.view.textCursor()
    cursor.setPosition(pane.view.bridge.to_qt(start))
    cursor.setPosition(pane.view.bridge.to_qt(start + len(word)), cursor.MoveMode.KeepAnchor)
    pane.view.setTextCursor(cursor)
    qtbot.keyClick(pane.view, Qt.Key.Key_1)


def never_asked(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    asked: list[str] = []

    def exec_(dialog: QInputDialog) -> int:
        asked.append(dialog.labelText())
        return int(QInputDialog.DialogCode.Rejected)

    monkeypatch.setattr(QInputDialog, "exec", exec_)
    return asked


def test_a_fresh_user_double_clicks_a_word_and_presses_1_first(
    qtbot: QtBot, sample_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``annotator PATH`` as a new user starts it: the event loop runs, nothing asks."""
    from annotator.ui.app import run_app
    from annotator.ui.main_window import MainWindow

    monkeypatch.delenv("ANNOTATOR_NAME")  # fresh settings, the account as it is
    asked = never_asked(monkeypatch)

    def event_loop(_app: QApplication) -> int:
        qtbot.wait(300)  # whatever the start queued (a question, a dialog) has run
        return 0  # (a real loop, once quit, would leave later tests' timers unrun)

    monkeypatch.setattr(QApplication, "exec", event_loop)
    # the quit signals stay pytest's (run_app would route them to the window)
    monkeypatch.setattr("annotator.ui.app.handle_quit_signals", lambda *_args: None)
    assert run_app(sample_copy) == 0
    window = next(w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow))
    qtbot.addWidget(window)
    assert asked == [] and QApplication.activeModalWidget() is None
    me = the_account()
    assert window.findChild(QLabel, "annotatorName").text() == f"Annotator: {me}"
    pane = next(iter(window.panes.panes.values()))
    text = pane.document.text
    word = next(w for w in text.split() if w.isalpha() and len(w) > 4)
    start = text.index(word)
    where = point_of(pane.view, pane.view.bridge.to_qt(start + 2))
    qtbot.mouseDClick(pane.view.viewport(), Qt.MouseButton.LeftButton, pos=where)
    qtbot.keyClick(pane.view, Qt.Key.Key_1)
    tagged = [(s.text, s.label, s.author) for s in pane.document.spans() if s.start == start]
    assert tagged == [(word, "entity", me)]
    window.session.close()
    assert load_settings().author is None  # nothing chosen: the account's name is not pinned


def test_annotator_name_in_the_environment_is_the_default(
    open_main_window: OpenWindow, sample_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ANNOTATOR_NAME", "Zoë  Varga")
    window = open_main_window(sample_copy)
    assert window.findChild(QLabel, "annotatorName").text() == "Annotator: Zoë Varga"
    window.session.close()
    monkeypatch.setenv("ANNOTATOR_NAME", "../evil")  # refused by the gate: no name
    again = open_main_window(sample_copy)
    assert again.session.project.annotator is None


def test_a_project_with_other_peoples_work_asks_once(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.agreement.test_agree_cli import ANN, BOB, team_project

    monkeypatch.setenv("ANNOTATOR_NAME", "cleo")
    folder = team_project(tmp_path, {"ann": ANN, "bob": BOB})
    launcher = launch(qtbot, folder)
    window = launcher.window
    assert window is not None

    def asking() -> QInputDialog | None:
        found = window.findChild(QInputDialog, "annotatorNameDialog")
        return found if found is not None and found.isVisible() else None

    qtbot.waitUntil(lambda: asking() is not None)
    dialog = asking()
    # asked without blocking: the test goes on while it shows, as the window does
    assert dialog is not None
    assert "holds work by ann, bob" in dialog.labelText()
    assert "recorded as cleo" in dialog.labelText()
    assert dialog.textValue() == "cleo"
    dialog.setTextValue("Cleo Park")
    dialog.accept()
    assert window.session.project.annotator == "Cleo Park"
    assert load_settings().author == "Cleo Park"
    # once: a later opening, even with no name chosen, asks nothing
    window.session.close()
    settings = load_settings()
    settings.author = None
    save_settings(settings)
    second = launch(qtbot, folder).window
    assert second is not None
    qtbot.wait(50)
    assert second.findChild(QInputDialog, "annotatorNameDialog") is None


def test_a_name_given_later_signs_the_work_made_before_in_one_undo_step(
    qtbot: QtBot,
    open_main_window: OpenWindow,
    sample_copy: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window = open_main_window(sample_copy)  # ANNOTATOR_NAME="": no name at all
    assert window.findChild(QLabel, "annotatorName").text() == "No annotator name"
    pane = next(iter(window.panes.panes.values()))
    text = pane.document.text
    for word in text.split()[:3]:
        tag_word(qtbot, pane, word)
    unsigned = [s for s in pane.document.spans() if s.author is None]
    assert len(unsigned) >= 3
    answer_name(monkeypatch, "Zoë Varga")
    asked = answer_claim(monkeypatch, QMessageBox.StandardButton.Yes)
    assert window.team.ask_name() == "Zoë Varga"
    assert len(asked) == 1 and f"{len(unsigned)} spans that nobody signed" in asked[0]
    authors = {s.id: s.author for d in window.session.project.documents for s in d.spans()}
    assert all(authors[s.id] == "Zoë Varga" for s in unsigned)
    assert window.session.history.undo_text.startswith(f"Sign {len(unsigned)} spans")
    window.session.undo()
    assert all(pane.document.span(s.id).author is None for s in unsigned)
    # answered No: nothing changes
    answer_name(monkeypatch, "Zoe")
    answer_claim(monkeypatch, QMessageBox.StandardButton.No)
    window.team.ask_name()
    assert all(pane.document.span(s.id).author is None for s in unsigned)


def test_the_journal_follows_a_name_changed_mid_session(
    qtbot: QtBot,
    open_main_window: OpenWindow,
    sample_copy: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("ANNOTATOR_NAME", "root-account")
    window = open_main_window(sample_copy)
    window.session.set_autosave_delay(600_000)  # the edit stays in the journal only
    pane = next(iter(window.panes.panes.values()))
    cursor = pane.view.textCursor()
    cursor.setPosition(0)
    cursor.setPosition(5, cursor.MoveMode.KeepAnchor)
    pane.view.setTextCursor(cursor)
    qtbot.keyClick(pane.view, Qt.Key.Key_2)
    journal = read_journal(sample_copy)
    assert journal is not None and journal.annotator == "root-account"
    answer_name(monkeypatch, "Ann Lee")
    answer_claim(monkeypatch, QMessageBox.StandardButton.Yes)
    window.team.ask_name()
    journal = read_journal(sample_copy)
    assert journal is not None and journal.annotator == "Ann Lee"
    assert [s.author for s in pane.document.spans() if s.start == 0] == ["Ann Lee"]


def test_in_a_team_project_work_under_the_account_name_can_be_signed_with_the_new_one(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The question was put off, work was done under the account's name: the name
    given later moves that work to it (one undo step), though it is another layer."""
    from tests.agreement.test_agree_cli import ANN, BOB, team_project

    monkeypatch.setenv("ANNOTATOR_NAME", "acct")
    folder = team_project(tmp_path, {"ann": ANN, "bob": BOB})
    window = launch(qtbot, folder).window
    assert window is not None
    qtbot.waitUntil(lambda: window.findChild(QInputDialog, "annotatorNameDialog") is not None)
    window.findChild(QInputDialog, "annotatorNameDialog").reject()  # "later"
    qtbot.waitUntil(lambda: window.findChild(QInputDialog, "annotatorNameDialog") is None)
    window.activateWindow()  # the window a person works in has the keyboard
    qtbot.waitUntil(window.isActiveWindow)
    pane = next(iter(window.panes.panes.values()))
    text = pane.document.text
    tagged = {s.text for s in pane.document.spans()}
    word = next(w for w in text.split() if w.isalpha() and w not in " ".join(tagged))
    tag_word(qtbot, pane, word)
    mine = [s for s in pane.document.spans() if s.author == "acct"]
    assert len(mine) == 1
    answer_name(monkeypatch, "Cleo Park")
    asked = answer_claim(monkeypatch, QMessageBox.StandardButton.Yes)
    window.team.ask_name()
    assert "signed acct (your account's name)" in asked[0]
    assert pane.document.span(mine[0].id).author == "Cleo Park"
    window.session.undo()
    assert pane.document.span(mine[0].id).author == "acct"
    # ann's and bob's work was never touched
    assert {s.author for d in window.session.project.documents for s in d.spans()} >= {"ann", "bob"}
