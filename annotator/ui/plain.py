"""Showing user strings literally: Qt guesses HTML in tooltips and labels, and reads
``&`` in captions as a shortcut marker, so escape both."""

from __future__ import annotations

import html


def tooltip(text: str) -> str:
    """A tooltip that shows ``text`` exactly, markup included."""
    return "<qt>" + html.escape(text).replace("\n", "<br>") + "</qt>"


def mnemonic_safe(text: str) -> str:
    """``text`` for a button or menu caption, where ``&`` would mark a shortcut letter."""
    return text.replace("&", "&&")
