"""Saved pages in the window: a folder holding pages says so and imports them on a
click; File ▸ Add Articles… takes pages; the pane header shows the outlet and date."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox
from pytestqt.qtbot import QtBot

from tests.pages import kit
from tests.pages.test_import_pages import _articles
from tests.ui.helpers import launch


def _message(qtbot: QtBot, window: object, name: str) -> QMessageBox:
    box: list[QMessageBox] = []

    def shown() -> bool:
        box[:] = [b for b in window.findChildren(QMessageBox, name) if b.isVisible()]  # type: ignore[attr-defined]
        return bool(box)

    qtbot.waitUntil(shown, timeout=5000)
    return box[0]


def test_opening_a_folder_of_pages_offers_them_and_one_click_imports(
    qtbot: QtBot, tmp_path: Path
) -> None:
    folder = tmp_path / "story"
    folder.mkdir()
    articles = _articles()
    for n, article in enumerate(articles):
        (folder / f"outlet{n}.html").write_text(kit.page(article), encoding="utf-8")
    launcher = launch(qtbot, folder)
    window = launcher.window
    assert window is not None

    box = _message(qtbot, window, "pagesFound")
    assert "3 saved web pages" in box.text()
    take = next(b for b in box.buttons() if b.text() == "Import Them")
    take.click()
    qtbot.waitUntil(lambda: len(window.session.project.documents) == 3, timeout=20_000)

    project = window.session.project
    assert [d.source for d in project.documents] == [a.outlet for a in articles]
    # the pages stay where they were and are named as the originals: not offered again
    assert {d.meta["original"] for d in project.documents} == {f"outlet{n}.html" for n in range(3)}
    from annotator.io.paths import pages_waiting

    assert pages_waiting(project) == []
    window.session.undo()  # one import, one undo step
    assert project.documents == []


def test_add_articles_takes_a_page_and_its_pane_shows_outlet_and_date(
    qtbot: QtBot, sample_copy: Path, tmp_path: Path, monkeypatch
) -> None:
    article = _articles()[2]
    page = tmp_path / "radio.html"
    page.write_text(kit.page(article), encoding="utf-8")
    launcher = launch(qtbot, sample_copy)
    window = launcher.window
    assert window is not None
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *a, **k: ([str(page)], ""))
    before = len(window.session.project.documents)

    window.actions_by_name["add_articles"].trigger()
    qtbot.waitUntil(lambda: len(window.session.project.documents) == before + 1, timeout=20_000)

    doc = window.session.project.documents[-1]
    assert "from 1 web page" in window.statusBar().currentMessage()
    window.documents.set_shown(doc.id, True)
    pane = window.panes.panes[doc.id]
    assert pane.source.text().startswith(f"{article.outlet} · {article.date} · ")
    assert article.url in pane.source.toolTip()
