"""The main window, one module a job: ``shell`` builds and lays out; ``menus`` and
``label_actions`` make the menus; ``wiring`` connects the actions and subscribes the
views; ``modes`` (review, adjudication, side by side), ``selection``, ``find_bar``,
``documents`` (the Documents list), ``status`` (title and status bar), ``vocabulary``
(label and relation type dialogs) and ``lifecycle`` (layout, closing, conflicts,
recovery)."""

from annotator.ui.window.shell import MainWindow

__all__ = ["MainWindow"]
