"""Hostile strings (HTML in text, labels, notes, attributes, origins, file and folder
names) are shown literally in every place the window shows them."""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QHelpEvent, QTextDocument
from PySide6.QtGui import Qt as GuiQt
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QLabel,
    QMessageBox,
    QToolTip,
    QWidget,
)
from pytestqt.qtbot import QtBot

from annotator.core.models import DEFAULT_LABELS, Label, Span
from annotator.io.journal import JOURNAL_NAME
from annotator.io.load import open_project
from annotator.io.save import save_project
from annotator.ui.main_window import MainWindow
from tests.ui.helpers import launch, point_of

FOLDER = "<img src=x onerror=alert(1)> project"
FILE = '<a href="javascript:x">report<a>.txt'  # file names cannot hold a slash
TEXT = 'Intro. <style>p{color:red}</style> <b>Bold Mayor</b> said <img src="x.png"> & left.\n'
LABEL = Label(name="<b>person</b> & co", key="4", color="#123456", description='<a href="x">d</a>')
ORIGIN = "<i>model</i><img src=y>.jsonl"
NOTE = "<style>*{display:none}</style>note"
SPEAKER = "<b>Bo</b>"


def shown(text: str) -> str:
    """What Qt displays for a tooltip or auto-format label: rich text if it looks like it."""
    if GuiQt.mightBeRichText(text):
        doc = QTextDocument()
        doc.setHtml(text)
        return doc.toPlainText()
    return text


def hostile_project(tmp_path: Path) -> Path:
    folder = tmp_path / FOLDER
    folder.mkdir()
    (folder / FILE).write_text(TEXT, encoding="utf-8")
    (folder / "other.txt").write_text("Nothing to see.", encoding="utf-8")
    project, _ = open_project(folder)
    project.labels = [*DEFAULT_LABELS, LABEL]
    doc = next(d for d in project.documents if d.path == FILE)
    start = TEXT.index("<b>Bold Mayor</b>")
    end = start + len("<b>Bold Mayor</b>")
    doc.put_span(
        Span(
            id="s-000000000001",
            start=start,
            end=end,
            label=LABEL.name,
            text=TEXT[start:end],
            note=NOTE,
            attributes={"speaker": SPEAKER},
            origin=ORIGIN,
            status="pending",
            score=0.5,
        )
    )
    save_project(project)
    return folder


def every_label_is_plain(widget: QWidget) -> None:
    for label in widget.findChildren(QLabel):
        if label.objectName() == "qtooltip_label":
            continue  # tooltips are rich text with every user string escaped (checked above)
        if "<" in label.text():
            assert label.textFormat() == Qt.TextFormat.PlainText, label.text()


def open_hostile(qtbot: QtBot, folder: Path) -> MainWindow:
    window = launch(qtbot, folder).window
    assert window is not None
    return window


def test_markup_is_literal_in_title_panes_tooltips_lists_and_panels(
    qtbot: QtBot, tmp_path: Path
) -> None:
    window = open_hostile(qtbot, hostile_project(tmp_path))
    assert window.windowTitle().startswith(FOLDER)  # window titles are never rich text

    doc_id = next(d.id for d in window.session.project.documents if d.path == FILE)
    pane = window.panes.panes[doc_id]
    assert pane.view.toPlainText() == TEXT.rstrip("\n") or pane.view.toPlainText() == TEXT
    assert (
        pane.title.text() == Path(FILE).stem and pane.title.textFormat() == Qt.TextFormat.PlainText
    )

    # the pane's tooltip, raised as the mouse raises it
    start = TEXT.index("Bold")
    viewport = pane.view.viewport()
    at = point_of(pane.view, pane.bridge.to_qt(start))
    QApplication.sendEvent(viewport, QHelpEvent(QEvent.Type.ToolTip, at, viewport.mapToGlobal(at)))
    qtbot.waitUntil(QToolTip.isVisible)
    tip = shown(QToolTip.text())
    for literal in (LABEL.name, "<b>Bold Mayor</b>", ORIGIN, NOTE):
        assert literal in tip, (literal, tip)
    QToolTip.hideText()

    # lists: documents and annotations, display and tooltips
    titles = [window.documents.index(r, 0).data() for r in range(window.documents.rowCount())]
    assert Path(FILE).stem in titles
    table = window.span_panel.table.model()
    row = [table.index(0, c).data() for c in range(table.columnCount())]
    assert LABEL.name in row and "<b>Bold Mayor</b>" in row
    assert shown(table.index(0, 3).data(Qt.ItemDataRole.ToolTipRole)) == f"from {ORIGIN}"

    # the label bar: caption (& is not a shortcut marker) and tooltip
    button = window.label_bar.buttons[LABEL.name]
    assert isinstance(button, QAbstractButton)
    assert button.text().replace("&&", "&").endswith(LABEL.name)
    assert LABEL.name in shown(button.toolTip())
    assert window.label_actions[LABEL.name].text().replace("&&", "&") == f"Tag as {LABEL.name}"

    # the review panel: current suggestion, filters
    window.set_review_mode(True)
    panel = window.review_panel
    combo = panel.findChild(QComboBox, "reviewOriginFilter")
    assert ORIGIN in [combo.itemText(i) for i in range(combo.count())]
    every_label_is_plain(window)
    texts = " ".join(lb.text() for lb in panel.findChildren(QLabel))
    assert "<b>Bold Mayor</b>" in texts and SPEAKER in texts and ORIGIN in texts


def test_markup_is_literal_in_dialogs(qtbot: QtBot, tmp_path: Path) -> None:
    folder = hostile_project(tmp_path)
    binary = "<b>photo<b> <img src=z>.txt"
    (folder / binary).write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    raw = json.loads((folder / "annotator.json").read_text("utf-8"))
    doc = next(d for d in raw["documents"] if d["path"] == FILE)
    span = dict(doc["spans"][0], id="s-000000000002", status="accepted", origin="manual")
    journal = [
        {"journal": 1, "started": "2026-11-21T10:00:00+00:00", "pid": 1},
        {
            "seq": 1,
            "time": "<b>10:01</b>",
            "what": "Tag “<b>Bold Mayor</b>” as <i>x</i>",
            "changes": [{"document": doc["id"], "span": span["id"], "value": span}],
        },
    ]
    (folder / JOURNAL_NAME).write_text("\n".join(json.dumps(j) for j in journal) + "\n", "utf-8")

    window = open_hostile(qtbot, folder)
    report = window.findChild(QMessageBox, "loadReport")
    recovery = window.findChild(QMessageBox, "recoveryDialog")
    assert report is not None and recovery is not None
    assert f"{binary}: this looks like a binary file" in report.detailedText()
    assert "Tag “<b>Bold Mayor</b>” as <i>x</i>" in recovery.informativeText()
    for box in (report, recovery):
        assert box.textFormat() == Qt.TextFormat.PlainText
        every_label_is_plain(box)


def test_a_folder_named_with_the_modified_marker_keeps_it_in_the_title(
    qtbot: QtBot, tmp_path: Path
) -> None:
    folder = tmp_path / "notes [*] draft [*][*]"
    folder.mkdir()
    (folder / "a.txt").write_text("The pier reopens on Monday.\n", encoding="utf-8")
    window = open_hostile(qtbot, folder)
    handle = window.windowHandle()
    assert handle is not None
    # what the window system shows: Qt's title with the marker placed or removed
    # (the star goes right after the name; a zero-width space keeps the two apart)
    assert handle.title() == "notes [*] draft [*][*]\u200b — Annotator"
    window.setWindowModified(True)
    assert handle.title().startswith("notes [*] draft [*][*]\u200b* — ")


def test_label_action_tooltips_are_plain_text(qtbot: QtBot, tmp_path: Path) -> None:
    window = open_hostile(qtbot, hostile_project(tmp_path))
    action = window.label_actions[LABEL.name]
    assert LABEL.name in shown(action.toolTip())  # "<b>person</b>" is not shown bold
    assert LABEL.name in action.statusTip()
