"""The menu bar: the action catalogue's menus, the docks' View entries, Show Layer,
Review ▸ Suggest With (every extractor, and the minimum score for links), and the
label and relation type actions at the ends of Labels and Review.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QInputDialog, QMenu

from annotator import extract
from annotator.settings import Settings, save_settings
from annotator.ui.actions import ACTIONS, MENUS
from annotator.ui.suggestion_tools import EXTRACTOR_MENU, SuggestionTools

if TYPE_CHECKING:
    from annotator.ui.window.parts import WindowParts


def build_menus(window: WindowParts) -> tuple[QMenu, QMenu]:
    """The menu bar; returns View ▸ Show Layer and Review ▸ Suggest With."""
    menus = {name: window.menuBar().addMenu(f"&{name}") for name in MENUS}
    for spec in ACTIONS:
        menus[spec.menu].addAction(window.actions_by_name[spec.name])
    for dock in (window.documentsDock, window.spansDock, window.linksDock):
        menus["View"].addAction(dock.toggleViewAction())
    links = window.linksDock.toggleViewAction()
    links.setShortcut(QKeySequence("Ctrl+Shift+L"))
    links.setObjectName("action_show_links")
    compare = window.compareDock.toggleViewAction()
    compare.setText("&Compare")
    compare.setShortcut(QKeySequence("Ctrl+Shift+C"))
    compare.setObjectName("action_compare")
    compare.setStatusTip("The comparison matrix: what each outlet has, where they disagree")
    menus["View"].addAction(compare)
    layers = menus["View"].addMenu("Show &Layer")
    layers.setObjectName("layerMenu")
    layers.aboutToShow.connect(lambda: window.team.fill_layer_menu(layers))
    menus["Review"].addSeparator()
    suggest = suggest_menu(menus["Review"], window.suggestion_tools, window.settings)
    menus["Review"].addSeparator()
    window.labeling.build(menus["Labels"], menus["Review"])
    return layers, suggest


def suggest_menu(review: QMenu, tools: SuggestionTools, settings: Settings) -> QMenu:
    """Review ▸ Suggest With: the built-in extractors, the link aligners apart, any
    extractor a plug-in added, and the minimum score for links."""
    suggest = review.addMenu("&Suggest With")
    suggest.setObjectName("suggestMenu")
    entries = list(EXTRACTOR_MENU)
    builtin = {name for _t, name, _o in EXTRACTOR_MENU}
    entries += [(name, name, {}) for name in extract.available() if name not in builtin]
    aligning = False
    for text, name, options in entries:
        if name.startswith("align-") != aligning:  # the link aligners stand apart
            aligning = not aligning
            suggest.addSeparator()
        action = suggest.addAction(text)
        action.setObjectName(f"action_suggest_{name}{'_fuzzy' if options else ''}")
        action.triggered.connect(
            lambda _=False, n=name, o=options: tools.run_extractor(
                n, **o, **link_options(settings, n)
            )
        )
    minimum = suggest.addAction("Minimum Score for Links…")
    minimum.setObjectName("action_link_min_score")
    minimum.setStatusTip("The lowest score a suggested link needs (the Links entries above)")
    minimum.triggered.connect(lambda: ask_link_min_score(tools, settings))
    return suggest


def link_options(settings: Settings, name: str) -> dict[str, float]:
    score = settings.link_min_score
    return {"min_score": score} if name.startswith("align-") and score is not None else {}


def ask_link_min_score(tools: SuggestionTools, settings: Settings) -> None:
    """Review ▸ Suggest With ▸ Minimum Score for Links…: kept in the user settings."""
    current = settings.link_min_score
    # an object, not the static helper: tests answer exec()
    dialog = QInputDialog(tools.bench.parent)
    dialog.setWindowTitle("Minimum score for links")
    dialog.setLabelText(
        "Suggest links scoring at least (0 to 1; each aligner's own default is 0.35 to 0.85):"
    )
    dialog.setInputMode(QInputDialog.InputMode.DoubleInput)
    dialog.setDoubleRange(0.0, 1.0)
    dialog.setDoubleDecimals(2)
    dialog.setDoubleStep(0.05)
    dialog.setDoubleValue(0.5 if current is None else current)
    ok = dialog.exec() == QInputDialog.DialogCode.Accepted
    value = dialog.doubleValue()
    dialog.deleteLater()
    if ok:
        settings.link_min_score = round(value, 2)
        save_settings(settings)
        tools.bench.say(f"Link suggestions now need a score of {value:.2f}", 5000)
