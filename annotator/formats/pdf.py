"""PDFs as articles: the text layer in reading order, cleaned the way a reader would.

pdfminer.six (MIT) lays the page out: characters into lines, lines into boxes, boxes
into columns, read column by column. Then: running headers and footers (a box near
the top or bottom edge whose words, digits aside, come back on most pages) and page
numbers are dropped; the lines of a box are rejoined into one paragraph, a word
hyphenated at a line end joined again; a paragraph cut by a column or page break is
joined with its end; ligatures (ﬁ, ﬂ, …) become their letters. An image-only PDF
(a scan) has no text layer and is refused: Annotator does no OCR.

The PDF's own title, author and date go into the document; the file itself is kept in
the project's ``sources/`` folder (see :mod:`annotator.formats.new_documents`).
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any

from annotator.formats.records import ImportedDocument, RecordProblem

MAX_PDF_BYTES = 100_000_000
EDGE = 0.09  # the top and bottom 9% of a page, where running heads and folios sit
LIGATURES = str.maketrans(
    {"ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl", "ﬅ": "st", "ﬆ": "st", "\xad": ""}
)
_FOLIO = re.compile(r"^(page\s*)?[\divxlc]{1,6}(\s*(of|/)\s*\d{1,5})?$", re.I)
_ENDS_SENTENCE = re.compile(r"[.!?:;\"”’)\]]$")

# top, bottom, left, right as shares of the page's height and width; the lines
Box = tuple[float, float, float, float, list[str]]
FULL_WIDTH = 0.55  # a box wider than this spans the columns (a headline, a wide figure)


def read_pdf(file: Path) -> ImportedDocument | RecordProblem:
    name = file.name
    size = file.stat().st_size
    if size > MAX_PDF_BYTES:
        return RecordProblem(name, f"{size / 1e6:.0f} MB; PDFs up to 100 MB are read")
    data = file.read_bytes()
    try:
        pages, info = _layout(file)
    except ImportError as exc:
        from annotator.install import install_hint

        return RecordProblem(name, install_hint("pages", f"reading PDFs needs {exc}"))
    except Exception as exc:  # pdfminer raises its own kinds for damaged or locked files
        kind = type(exc).__name__
        if "Password" in kind or "Encrypt" in kind:
            return RecordProblem(name, "the PDF is locked with a password; unlock it first")
        return RecordProblem(name, f"not a PDF that can be read ({kind}: {exc})"[:300])
    paragraphs = article_paragraphs(pages)
    if sum(len(p) for p in paragraphs) < 20:
        return RecordProblem(
            name,
            "this PDF has no text layer (a scan, or pages of images); Annotator does no OCR: "
            "run an OCR tool on it first (for example ocrmypdf), then import its output",
        )
    title = info.get("title", "")
    if not title or title.lower().startswith(("untitled", "microsoft word")):
        title = paragraphs[0][:200]
    meta = {k: v for k, v in info.items() if k != "title" and v}
    meta["extracted_by"] = "pdfminer.six"
    return ImportedDocument(
        where=name,
        text="\n\n".join(paragraphs) + "\n",
        title=title,
        meta=meta,
        name=name,
        original=data,
    )


def _layout(file: Path) -> tuple[list[list[Box]], dict[str, str]]:
    """Each page's text boxes in reading order, and the document's information."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams, LTTextBox, LTTextLine

    pages: list[list[Box]] = []
    for page in extract_pages(file, laparams=LAParams(boxes_flow=None)):
        height, width = page.height or 1.0, page.width or 1.0
        boxes: list[Box] = []
        for element in page:
            if not isinstance(element, LTTextBox):
                continue
            lines = [
                line.get_text().translate(LIGATURES).strip()
                for line in element
                if isinstance(line, LTTextLine)
            ]
            lines = [line for line in lines if line]
            if lines:
                top, bottom = 1 - element.y1 / height, 1 - element.y0 / height
                boxes.append((top, bottom, element.x0 / width, element.x1 / width, lines))
        pages.append(reading_order(boxes))
    return pages, _info(file)


def reading_order(boxes: list[Box]) -> list[Box]:
    """Column by column, top to bottom; a box spanning the columns (a headline) ends
    the columns above it and starts those below. The columns are where boxes start:
    left edges further apart than a fifth of the page."""
    bands: list[list[Box]] = [[]]
    for box in sorted(boxes, key=lambda b: b[0]):
        if box[3] - box[2] > FULL_WIDTH:
            bands += [[box], []]
        else:
            bands[-1].append(box)
    ordered: list[Box] = []
    for band in bands:
        starts: list[float] = []
        for left in sorted(b[2] for b in band):
            if not starts or left - starts[-1] > 0.2:
                starts.append(left)

        def column(box: Box, starts: list[float] = starts) -> int:
            return max(i for i, start in enumerate(starts) if box[2] >= start - 0.2)

        ordered += sorted(band, key=lambda b: (column(b), b[0]))
    return ordered


def article_paragraphs(pages: list[list[Box]]) -> list[str]:
    """The running heads, feet and page numbers dropped; lines into paragraphs; a
    paragraph cut by a column or page break joined with its end."""
    repeated = _running(pages)
    paragraphs: list[str] = []
    last_top = 0.0  # where the previous box began: a box above it starts a column
    for boxes in pages:
        last_top = 1.0  # a new page is a break too
        for top, bottom, _left, _right, lines in boxes:
            at_edge = top < EDGE or bottom > 1 - EDGE
            text = _join_lines(lines)
            if at_edge and (_FOLIO.match(text) or _shape(text) in repeated):
                continue
            broken = top < last_top
            last_top = top
            if paragraphs and _continues(paragraphs[-1], text, broken):
                paragraphs[-1] = _join_lines([paragraphs[-1], text])
            else:
                paragraphs.append(text)
    return paragraphs


def _running(pages: list[list[Box]]) -> set[str]:
    """Boxes at a page's edge whose shape (digits aside) is on half the pages or more."""
    if len(pages) < 2:
        return set()
    seen: Counter[str] = Counter()
    for boxes in pages:
        seen.update(
            {
                _shape(_join_lines(ls))
                for top, bottom, _left, _right, ls in boxes
                if top < EDGE or bottom > 1 - EDGE
            }
        )
    return {shape for shape, n in seen.items() if n >= max(2, len(pages) / 2)}


def _shape(text: str) -> str:
    return re.sub(r"\d+", "#", " ".join(text.lower().split()))


def _join_lines(lines: list[str]) -> str:
    """Lines into one paragraph: ``exam-`` + ``ple`` is ``example``; others get a space."""
    out = ""
    for line in lines:
        line = " ".join(line.split())
        if not out:
            out = line
        elif out.endswith("-") and len(out) > 1 and out[-2].isalpha() and line[:1].islower():
            out = out[:-1] + line
        else:
            out = f"{out} {line}"
    return out


def _continues(previous: str, text: str, broken: bool) -> bool:
    """``text`` goes on with ``previous``: no sentence end before it, and it begins in
    lower case or at the top of a column or page (a paragraph cut by the break)."""
    return not _ENDS_SENTENCE.search(previous) and (broken or text[:1].islower())


def _info(file: Path) -> dict[str, str]:
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfparser import PDFParser

    with file.open("rb") as handle:
        infos: list[dict[str, Any]] = PDFDocument(PDFParser(handle)).info or []
    out: dict[str, str] = {}
    for info in infos:
        for key, name in (("Title", "title"), ("Author", "author"), ("CreationDate", "date")):
            value = _pdf_string(info.get(key))
            if value and name not in out:
                out[name] = value
    if "date" in out:
        found = re.match(r"D:(\d{4})(\d{2})?(\d{2})?", out["date"])
        out["date"] = "-".join(g for g in found.groups() if g) if found else out["date"]
    return out


def _pdf_string(value: object) -> str:
    """A PDF text string (PDFDocEncoding, or UTF-16 with its mark) as one line."""
    from pdfminer.pdftypes import resolve1

    value = resolve1(value)
    if isinstance(value, bytes):
        if value.startswith((b"\xfe\xff", b"\xff\xfe")):
            text = value.decode("utf-16", errors="replace")
        else:
            text = value.decode("latin-1")
    elif isinstance(value, str):
        text = value
    else:
        return ""
    return " ".join(text.split())[:300]
