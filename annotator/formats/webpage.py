"""Saved web pages (``.html``, ``.htm``, ``.mhtml`` as browsers save them) as articles.

The article is the page's main text only, found by trafilatura (Apache-2.0; the best
of the open extractors on real news pages): title, standfirst, paragraphs and
sub-headings, one paragraph a block, without navigation, scripts, share buttons,
comments, related links or cookie banners. What the page says about itself goes into
the document: its site name is the outlet, its title the title, and ``meta`` keeps the
author, date, canonical address (``url``), language and description as extracted (a
person checks them with F2: pages' author fields are often wrong). The page itself is
kept in the project's ``sources/`` folder (see :mod:`annotator.formats.new_documents`).

trafilatura (with ``lxml_html_clean``, which its jusText needs with today's lxml) is a
dependency imported on first use; the ``pages`` extra names it again for old installs.
"""

from __future__ import annotations

import contextlib
import email
import email.policy
import re
from pathlib import Path
from typing import Any

from annotator.formats.records import ImportedDocument, RecordProblem

MAX_PAGE_BYTES = 50_000_000  # a saved news page is well under 5 MB; an archive is not a page
_MHTML = (".mhtml", ".mht")
_META = ("author", "date", "language", "description", "hostname")


class PagesUnavailable(RuntimeError):
    """trafilatura (or what it needs) cannot be imported; the message says how to fix it."""


def read_page(file: Path) -> ImportedDocument | RecordProblem:
    name = file.name
    size = file.stat().st_size
    if size > MAX_PAGE_BYTES:
        return RecordProblem(name, f"{size / 1e6:.0f} MB is not a saved page (up to 50 MB)")
    saved = file.read_bytes()
    page: bytes | str = saved
    address = ""
    if file.suffix.lower() in _MHTML:
        unpacked = _from_mhtml(saved)
        if unpacked is None:
            return RecordProblem(name, "no web page inside this .mhtml file")
        page, address = unpacked
    try:
        return page_record(name, page, saved, address)
    except PagesUnavailable as exc:
        return RecordProblem(name, str(exc))


def page_record(
    name: str, data: bytes | str, saved: bytes, address: str = ""
) -> ImportedDocument | RecordProblem:
    """The article of one page's HTML (bytes as saved: its own encoding is found);
    ``saved`` is the file as it was, kept in the project."""
    extracted = _extract(data)
    if extracted is None or not (extracted.get("text") or "").strip():
        return RecordProblem(
            name, "no article text found in this page (a page of links, or one drawn by scripts)"
        )
    title = _one_line(extracted.get("title") or "")
    text = _article_text(title, extracted["text"])
    meta = {k: _one_line(str(extracted[k])) for k in _META if extracted.get(k)}
    url = extracted.get("url") or address
    if url:
        meta["url"] = _one_line(url)
    meta["extracted_by"] = "trafilatura"
    outlet = _one_line(extracted.get("sitename") or extracted.get("hostname") or "")
    return ImportedDocument(
        where=name, text=text, title=title, source=outlet, meta=meta, name=name, original=saved
    )


_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?([A-Za-z0-9_:.-]+)", re.I)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")


def decode_page(data: bytes) -> str:
    """A saved page's text. Pages lie about their encoding (a page declaring UTF-8
    saved as Windows-1252, or the reverse), so: a byte-order mark, else UTF-8 if the
    bytes are UTF-8, else the declared charset if they decode in it, else
    Windows-1252, the web's most common legacy encoding (a byte it lacks becomes �)."""
    for mark, codec in (
        (b"\xef\xbb\xbf", "utf-8-sig"),
        (b"\xff\xfe", "utf-16"),
        (b"\xfe\xff", "utf-16"),
    ):
        if data.startswith(mark):
            return data.decode(codec, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    declared = _CHARSET.search(data[:20_000])
    if declared:
        with contextlib.suppress(LookupError, UnicodeDecodeError):
            return data.decode(declared.group(1).decode("ascii"))
    return data.decode("cp1252", errors="replace")


def _extract(data: bytes | str) -> dict[str, Any] | None:
    try:
        import trafilatura
    except ImportError as exc:  # a broken install: lxml_html_clean missing, say
        from annotator.install import install_hint

        raise PagesUnavailable(install_hint("pages", f"reading web pages needs {exc}")) from exc
    text = decode_page(data) if isinstance(data, bytes) else data
    found = trafilatura.bare_extraction(
        _XML_DECLARATION.sub("", text, count=1),
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        include_images=False,
        include_links=False,
        deduplicate=False,
    )
    if found is None:
        return None
    out = found if isinstance(found, dict) else found.as_dict()
    if not out.get("language"):
        out["language"] = _declared_language(data)
    return out


def _article_text(title: str, text: str) -> str:
    """One paragraph (or heading) a block, separated by an empty line, the title first."""
    paragraphs = [" ".join(line.split()) for line in text.splitlines()]
    paragraphs = [p for p in paragraphs if p]
    if title and (not paragraphs or paragraphs[0] != title):
        paragraphs.insert(0, title)
    return "\n\n".join(paragraphs) + "\n"


_LANG = re.compile(rb"<html[^>]*\slang\s*=\s*[\"']?([A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})?)", re.I)


def _declared_language(data: bytes | str) -> str:
    head = data[:20_000] if isinstance(data, bytes) else data[:20_000].encode("utf-8", "replace")
    found = _LANG.search(head)
    return found.group(1).decode("ascii") if found else ""


def _one_line(value: str) -> str:
    """Metadata is one line of plain text, at most 300 characters."""
    return " ".join(value.split())[:300]


def _from_mhtml(data: bytes) -> tuple[bytes | str, str] | None:
    """The page of an .mhtml file (MIME, parts often quoted-printable) and its address."""
    message = email.message_from_bytes(data, policy=email.policy.compat32)
    for part in message.walk():
        if part.get_content_type() in ("text/html", "application/xhtml+xml"):
            payload = part.get_payload(decode=True)
            if not isinstance(payload, bytes):
                continue
            charset = part.get_content_charset()
            page: bytes | str = payload
            if charset:  # the part's declared charset: hand the extractor text
                with contextlib.suppress(LookupError, UnicodeDecodeError):
                    page = payload.decode(charset)
            address = part.get("Content-Location") or message.get("Snapshot-Content-Location")
            return page, str(address or "")
    return None
