"""The one gate for annotator names, and the one place a layer's file name is made.

A name arrives from many places: the ``--annotator`` flag, the name dialog, the user's
``settings.json``, every import format, the shared ``annotator.json`` and a colleague's
layer file. Each passes :func:`check_name` (or :func:`clean_name`, which tidies spaces
first) before it may sign an item, and no name ever becomes a path as it is: the
layer file's name is *derived* from it by :func:`layer_stem` (a portable, case-folded,
length-capped form that is never a Windows device name, never hidden, never empty).

Qt-free and dependency-free: :mod:`annotator.core.models` validates every span's and
relation's ``author`` with :func:`check_name`.
"""

from __future__ import annotations

import re
import unicodedata

from annotator.core.wording import count

MAX_NAME = 64
MAX_STEM = 48  # characters of a layer file's name before ``.json``
GOLD = "gold"  # the adjudicated layer's name: never a person's
NO_NAME = "(no name)"
# names Windows keeps for devices, with any extension: such a file cannot be checked out
WINDOWS_DEVICES = frozenset(
    ["con", "prn", "aux", "nul", "conin$", "conout$", "clock$"]
    + [f"{stem}{n}" for stem in ("com", "lpt") for n in (*"123456789", "¹", "²", "³")]
)
_INVISIBLE = frozenset(("Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"))
_PATH_CHARS = frozenset('/\\:*?"<>|')
# a spreadsheet evaluates a cell starting with one of these (OWASP's CSV injection list)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_CHECKED: set[str] = set()  # names already found good: every span's author is checked


class BadName(ValueError):
    """A name that may not sign work or name a file; the message says why."""


def clean_name(raw: str) -> str:
    """``raw`` as an annotator name (white space tidied, NFC), or :class:`BadName`."""
    name = unicodedata.normalize("NFC", " ".join(raw.split()))
    return check_name(name)


def check_name(name: str) -> str:  # noqa: C901
    """``name`` itself if it may sign work, else :class:`BadName` saying why.

    One line of at most 64 visible characters; no control, invisible or direction
    characters; no path characters; not starting with a dot or with a character a
    spreadsheet evaluates; not ``gold``, not a Windows device name.
    Long on purpose: one test per rule of the docstring, in that order, each with its own
    message.
    """
    if name in _CHECKED:
        return name
    if not isinstance(name, str):
        raise BadName(f"a name must be text, not {type(name).__name__}")
    if not name.strip():
        raise BadName("a name cannot be empty")
    if len(name) > MAX_NAME:
        raise BadName(f"a name has at most {count(MAX_NAME, 'character')}, not {len(name)}")
    if any(unicodedata.category(c) in _INVISIBLE for c in name):
        raise BadName(
            "a name cannot hold control characters, line breaks or invisible formatting "
            "(direction marks and overrides included)"
        )
    if name != name.strip() or "  " in name or any(c.isspace() and c != " " for c in name):
        raise BadName("a name has single spaces between its words and none around it")
    if any(c in _PATH_CHARS for c in name) or name.startswith("."):
        raise BadName('a name cannot hold / \\ : * ? " < > | or start with a dot')
    if name.startswith(_FORMULA_START):
        raise BadName("a name cannot start with = + - or @ (a spreadsheet would compute it)")
    folded = name.casefold()
    if folded in (GOLD, NO_NAME):
        raise BadName(f"{name!r} is kept for the adjudicated layer; choose another name")
    if folded.split(".")[0].strip() in WINDOWS_DEVICES:
        raise BadName(f"{name!r} is a device name on Windows; choose another name")
    if not any(c.isalnum() for c in name):
        raise BadName("a name needs at least one letter or digit")
    if len(_CHECKED) < 10_000:
        _CHECKED.add(name)
    return name


def layer_stem(name: str) -> str:
    """The layer file's name (without ``.json``) for annotator ``name``, which must have
    passed :func:`check_name`: NFKC, case-folded, every run of characters other than
    letters, digits and ``_`` made one ``-``, at most 48 characters. Names that differ
    only in case or punctuation get one file, as they would on a Windows or macOS disk
    (:func:`same_annotator`). Never empty, hidden, a device name or ``gold``."""
    check_name(name)
    folded = unicodedata.normalize("NFKC", name).casefold()
    stem = re.sub(r"[^\w]+", "-", folded).strip("-_")[:MAX_STEM].strip("-_")
    if not stem or stem in WINDOWS_DEVICES or stem == GOLD:
        stem = f"annotator-{stem}".strip("-")[:MAX_STEM]
    return stem


def same_annotator(a: str, b: str) -> bool:
    """Whether two good names share one layer file (and so are one annotator)."""
    return a == b or layer_stem(a) == layer_stem(b)


def author_problem(name: object) -> str | None:
    """Why ``name``, read from a file as an item's author, is refused, or None."""
    if not isinstance(name, str):
        return f"its author is {type(name).__name__}, not a name"
    try:
        check_name(name)
    except BadName as exc:
        return f"its author {name[:80]!r} is refused: {exc}"
    return None
