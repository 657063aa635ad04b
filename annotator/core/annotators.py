"""Annotator names: who made a span, relation, link or review decision.

A name is what a person types ("Ann Lee"); it is stored in the user settings and in
every item's ``author``. Names are plain text, one line, at most 64 characters, and
never a path (no slashes, no leading dot): they will name each annotator's file.
"""

from __future__ import annotations

import unicodedata

MAX_NAME = 64


def clean_name(raw: str) -> str:
    """``raw`` as an annotator name (trimmed, NFC), or ValueError saying why not."""
    name = unicodedata.normalize("NFC", " ".join(raw.split()))
    if not name:
        raise ValueError("a name cannot be empty")
    if len(name) > MAX_NAME:
        raise ValueError(f"a name has at most {MAX_NAME} characters")
    bad = [c for c in name if unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp", "Cs", "Co")]
    if bad:
        raise ValueError("a name cannot hold control or invisible formatting characters")
    if any(c in name for c in '/\\:*?"<>|') or name.startswith("."):
        raise ValueError('a name cannot hold / \\ : * ? " < > | or start with a dot')
    if name.lower() in ("gold", "(no name)"):
        raise ValueError(f"{name!r} is kept for the adjudicated layer; choose another name")
    return name
