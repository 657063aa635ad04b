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


def name(doc: Document) -> str:
    """``Coastal Courier, 2026-03-03``: the outlet and date, else the title."""
    if not doc.source:
        return doc.display_title
    date = doc.meta.get("date", "")
    return f"{doc.source}, {date}" if date else doc.source


def column_names(docs: list[Document]) -> dict[str, str]:
    """What a comparison calls each document: its outlet, with the date when known
    (``Coastal Courier, 2026-03-03``), else its title. Two documents that would be
    named alike are told apart by their titles, then by their ids."""
    names = {doc.id: name(doc) for doc in docs}
    seen: dict[str, list[str]] = {}
    for doc_id, called in names.items():
        seen.setdefault(called, []).append(doc_id)
    by_id = {d.id: d for d in docs}
    for called, ids in seen.items():
        if len(ids) > 1:
            for doc_id in ids:
                doc = by_id[doc_id]
                extra = doc.title if doc.source and doc.title else doc_id
                names[doc_id] = f"{called} — {extra}"
    if len(set(names.values())) < len(names):  # same outlet, date and title: the ids
        names = {d: f"{n} ({d})" for d, n in names.items()}
    return names


def paragraph_starts(text: str) -> list[int]:
    """Where each paragraph (a line with text) of ``text`` starts, in code points."""
    starts = [0]
    at = text.find("\n")
    while at != -1:
        starts.append(at + 1)
        at = text.find("\n", at + 1)
    return [s for s in starts if s < len(text) and text[s] not in "\r\n"]
