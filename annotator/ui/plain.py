"""Showing user strings literally: Qt guesses HTML in tooltips and labels, so escape."""

from __future__ import annotations

import html


def tooltip(text: str) -> str:
    """A tooltip that shows ``text`` exactly, markup included."""
    return "<qt>" + html.escape(text).replace("\n", "<br>") + "</qt>"
