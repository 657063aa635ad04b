"""Where an article comes from, in words: its outlet, date and author as the pane
header and the Documents list show them, and every detail an import recorded (the
page's address, the original file kept in ``sources/``, what extracted the text)."""

from __future__ import annotations

from annotator.core.project import Document

# the meta keys an import of a page or PDF fills, in the order they are shown
DETAILS = (
    ("date", "Date"),
    ("author", "Author"),
    ("url", "Address"),
    ("language", "Language"),
    ("original", "Original"),
    ("extracted_by", "Text extracted by"),
)


def line(doc: Document) -> str:
    """``The Harbour Gazette · 2026-03-03``: the outlet (else the file) and the date."""
    parts = [doc.source or doc.path]
    date = doc.meta.get("date", "")
    if date:
        parts.append(date)
    return " · ".join(parts)


def details(doc: Document) -> str:
    """One ``Name: value`` line a detail, for tooltips: outlet first, then ``DETAILS``."""
    rows = [f"Outlet: {doc.source}"] if doc.source else []
    rows += [f"{name}: {doc.meta[key]}" for key, name in DETAILS if doc.meta.get(key)]
    return "\n".join(rows)
