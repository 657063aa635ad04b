"""PDFs become articles: the text layer in reading order, without running heads and
page numbers, ligatures and line-end hyphens undone; a scan is refused."""

from __future__ import annotations

import json
from pathlib import Path

from tests.pages import kit
from tests.pages.test_import_pages import _articles
from tests.test_cli import run

HEADER = "THE HARBOUR GAZETTE · SPECIAL REPORT"


def test_a_two_column_pdf_reads_in_order_without_heads_or_folios(tmp_path: Path) -> None:
    article = _articles()[0]
    paragraphs = list(article.paragraphs) * 3  # long enough for two pages of two columns
    pdf = tmp_path / "report.pdf"
    kit.two_column_pdf(pdf, article.title, paragraphs, HEADER)
    project = tmp_path / "project"

    done = run("import", str(project), str(pdf), "--format", "pdf")

    assert done.returncode == 0, done.stderr
    (doc,) = json.loads((project / "annotator.json").read_text("utf-8"))["documents"]
    text = (project / doc["path"]).read_text("utf-8")
    assert HEADER not in text
    assert "Page 1 of" not in text and "Page 2 of" not in text
    assert "ﬁ" not in text and "ﬂ" not in text  # ligatures are their letters
    body = text.rstrip("\n").split("\n\n")
    assert body[0] == article.title
    wanted = [" ".join(p.split()) for p in paragraphs]
    assert body[1:] == wanted  # every paragraph whole (hyphens rejoined), in reading order
    assert doc["title"] == article.title
    assert doc["meta"]["author"] == "Mira Lund"
    assert (project / doc["meta"]["original"]).read_bytes() == pdf.read_bytes()


def test_a_scan_without_a_text_layer_is_refused_with_what_to_do(tmp_path: Path) -> None:
    pdf = tmp_path / "scan.pdf"
    kit.image_only_pdf(pdf)

    done = run("import", str(tmp_path / "project"), str(pdf), "--format", "pdf")

    assert done.returncode == 1
    assert "scan.pdf" in done.stderr and "no text layer" in done.stderr
    assert "OCR" in done.stderr


def test_a_damaged_pdf_is_said_by_name(tmp_path: Path) -> None:
    pdf = tmp_path / "broken.pdf"
    pdf.write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\ntrailer garbage")

    done = run("import", str(tmp_path / "project"), str(pdf), "--format", "pdf")

    assert done.returncode == 1
    assert "broken.pdf" in done.stderr and "Traceback" not in done.stderr
