"""Showing user strings literally: Qt guesses HTML in tooltips and labels, reads ``&``
in captions as a shortcut marker and ``[*]`` in a window title as its modified
marker, so escape all three."""

from __future__ import annotations

import html


def tooltip(text: str) -> str:
    """A tooltip that shows ``text`` exactly, markup included."""
    return "<qt>" + html.escape(text).replace("\n", "<br>") + "</qt>"


def mnemonic_safe(text: str) -> str:
    """``text`` for a button or menu caption, where ``&`` would mark a shortcut letter."""
    return text.replace("&", "&&")


def title_safe(text: str) -> str:
    """``text`` for a window title, where ``[*]`` marks the place of the modified star
    (Qt shows ``[*][*]`` as ``[*]``)."""
    return text.replace("[*]", "[*][*]")
