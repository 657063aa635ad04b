"""``annotator compare``: the comparison report from the command line, read back by the
tools its readers use (a browser's kind of HTML parser, pandas, a JSON loader), with
hostile article text that must stay text."""

from __future__ import annotations

import json
import re
from pathlib import Path

import lxml.html
import pandas as pd
import pytest

from annotator.core.changes import RelationChange
from annotator.core.commands import AddSpan, Batch, make_span
from annotator.core.history import History
from annotator.core.models import replace_relation
from annotator.core.relating import link
from annotator.io.load import open_project
from annotator.io.save import save_project
from tests.test_cli import run

HOSTILE = '<script>alert("x")</script> said Varga | the <b>mayor</b>, aged 64, & co.'
A = f"{HOSTILE}\nVarga promised 140 homes.\n"
B = "Mayor Warga, aged 65, spoke.\nAbout 40 households left.\nOnly here: Kestrel.\n"


@pytest.fixture
def project_path(tmp_path: Path) -> Path:
    root = tmp_path / "proj"
    root.mkdir()
    (root / "gazette.txt").write_text(A, encoding="utf-8")
    (root / "courier.txt").write_text(B, encoding="utf-8")
    project, _ = open_project(root)
    history = History(project)

    def tag(doc: str, words: str, label: str):
        text = project.document(doc).text
        at = text.index(words)
        span = make_span(project.document(doc), at, at + len(words), label)
        history.execute(AddSpan(doc, span))
        return (doc, span.id)

    varga = tag("gazette", "Varga", "entity")
    warga = tag("courier", "Warga", "entity")
    tag("courier", "Kestrel", "entity")
    age_a = tag("gazette", HOSTILE, "claim")
    age_b = tag("courier", "Mayor Warga, aged 65, spoke.", "claim")
    homes_a = tag("gazette", "Varga promised 140 homes.", "claim")
    homes_b = tag("courier", "About 40 households left.", "claim")
    history.execute(link(project, "same", varga, warga))
    history.execute(link(project, "differs", homes_a, homes_b))
    batch = link(project, "contradicts", age_a, age_b)
    relation = batch.changes[0].after  # type: ignore[union-attr]
    noted = replace_relation(relation, note="age: <img src=x onerror=alert(1)> / 65")
    history.execute(Batch("link", (RelationChange(noted.id, None, noted),)))
    save_project(project)
    return root


def test_html_report_is_self_contained_and_escapes_every_string(
    project_path: Path, tmp_path: Path
) -> None:
    out = tmp_path / "report.html"
    result = run("compare", str(project_path), "--format", "html", "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert "1 contradiction, 1 difference" in result.stdout
    page = out.read_text(encoding="utf-8")
    tree = lxml.html.fromstring(page)
    assert tree.xpath("//script") == [] and tree.xpath("//img") == [] and tree.xpath("//b") == []
    assert not tree.xpath("//*[@src or @href or @onerror]")  # self-contained: nothing fetched
    text = tree.text_content()
    assert '<script>alert("x")</script>' in text and "<img src=x onerror=alert(1)>" in text
    contradiction = tree.xpath("//td[@class='contradicts']")
    assert len(contradiction) == 2  # both outlets' cells are marked
    assert "Varga" in text and "Warga" in text
    headers = [h.text_content() for h in tree.xpath("//h2")]
    assert headers == [
        "What every outlet reports",
        "What only one outlet reports",
        "Contradictions and differences",
        "Coverage per outlet",
        "The matrix",
    ]


def test_csv_loads_in_pandas_one_column_per_document(project_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "matrix.csv"
    result = run("compare", str(project_path), "-o", str(out))  # format from the name
    assert result.returncode == 0, result.stderr
    frame = pd.read_csv(out, keep_default_na=False)
    assert list(frame.columns) == [
        "row", "label", "name", "coverage", "courier", "gazette", "differences"
    ]  # fmt: skip
    entities = frame[frame.label == "entity"]
    linked = entities[entities.coverage == 2].iloc[0]
    assert (linked.courier, linked.gazette) == ("Warga", "Varga")
    kestrel = entities[entities.name == "Kestrel"].iloc[0]
    assert kestrel.coverage == 1 and kestrel.gazette == ""
    assert frame.differences.str.contains("contradicts").sum() == 1
    assert frame.differences.str.contains("differs").sum() == 1


def test_json_and_markdown_and_filters(project_path: Path, tmp_path: Path) -> None:
    result = run("compare", str(project_path), "--format", "json", "--filter", "conflicts")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert {d["id"] for d in data["documents"]} == {"courier", "gazette"}
    assert len(data["rows"]) == 2
    marks = [m for r in data["rows"] for c in r["cells"].values() for m in c["marks"]]
    assert {m["type"] for m in marks} == {"contradicts", "differs"}
    mention = data["rows"][0]["cells"]["gazette"]["mentions"][0]
    text = (project_path / "gazette.txt").read_text(encoding="utf-8")
    assert text[mention["start"] :].startswith(mention["text"])
    md = run("compare", str(project_path), "--documents", "gazette,courier,gazette")
    assert md.returncode == 0, md.stderr
    table = [line for line in md.stdout.splitlines() if line.startswith("| claim")]
    # a pipe in the article does not break the table: every row has the same cells
    assert table and all(line.count(" | ") == 2 for line in table)
    assert "&lt;script&gt;" in md.stdout and "<script" not in md.stdout
    assert "age: 65 / " in md.stdout


def test_bad_requests_say_what_is_wrong(project_path: Path, tmp_path: Path) -> None:
    missing = run("compare", str(project_path), "--documents", "nope")
    assert missing.returncode == 2 and "no such documents: nope" in missing.stderr
    unknown = run("compare", str(project_path), "-o", str(tmp_path / "x.pdf"))
    assert unknown.returncode == 2 and "cannot tell the format" in unknown.stderr
    assert not (tmp_path / "x.pdf").exists()


def test_the_report_names_outlets_and_places_by_paragraph(
    project_path: Path, tmp_path: Path
) -> None:
    """Issue 30: outlets, not ids or cut titles, everywhere the report names a document;
    a mention is found by its paragraph, not a character offset."""
    file = project_path / "annotator.json"
    raw = json.loads(file.read_text("utf-8"))
    named = {"courier": ("Coastal Courier", "2026-03-04"), "gazette": ("The Harbour Gazette", "")}
    for record in raw["documents"]:
        record["source"], date = named[record["id"]]
        if date:
            record.setdefault("meta", {})["date"] = date
    file.write_text(json.dumps(raw), encoding="utf-8")
    outlets = {
        r["id"]: (
            f"{r['source']}, {r['meta']['date']}" if r.get("meta", {}).get("date") else r["source"]
        )
        for r in raw["documents"]
    }
    out = tmp_path / "report.html"
    assert run("compare", str(project_path), "-o", str(out)).returncode == 0

    tree = lxml.html.fromstring(out.read_text("utf-8"))
    columns = [th.text_content() for th in tree.xpath("//table[last()]//th")][1:]
    assert sorted(columns) == sorted(outlets.values())
    per_outlet = [h.text_content().rsplit(" (", 1)[0] for h in tree.xpath("//h3")]
    assert sorted(per_outlet) == sorted(outlets.values())
    text = tree.text_content()
    assert "character" not in text and "courier," not in text
    conflicts = tree.xpath("//h2[.='Contradictions and differences']/following-sibling::ul[1]/li")
    assert len(conflicts) == 2  # one contradiction and one difference, in two rows
    for item in conflicts:
        assert re.match(r"(contradicts|differs) \(1 pair\): ", item.xpath("./strong")[0].text)
        wordings = item.xpath("./ul/li")
        assert len(wordings) == 2  # each outlet's wording, with where it is
        for wording in wordings:
            said = wording.text_content()
            assert re.fullmatch(r"“.+”: (.+) \(paragraph \d+\)", said), said
            assert re.fullmatch(r"“.+”: (.+) \(paragraph \d+\)", said)[1] in outlets.values()

    data = json.loads(run("compare", str(project_path), "--format", "json").stdout)
    assert {d["id"]: d["outlet"] for d in data["documents"]} == {k: v[0] for k, v in named.items()}


def test_a_cell_disagreeing_many_times_with_one_outlet_counts_one_outlet(tmp_path: Path) -> None:
    """Five mentions of a name in one outlet, each linked as contradicting the other
    outlet's: the matrix says "with 1 outlet" (it said "with 5 outlets"), and the
    heading quotes three of the five notes, then "…"."""
    root = tmp_path / "proj"
    root.mkdir()
    (root / "gazette.txt").write_text("Varga. " * 5 + "\n", encoding="utf-8")
    (root / "courier.txt").write_text("Warga spoke.\n", encoding="utf-8")
    project, _ = open_project(root)
    history = History(project)
    warga = make_span(project.document("courier"), 0, 5, "entity")
    history.execute(AddSpan("courier", warga))
    for n in range(5):
        varga = make_span(project.document("gazette"), 7 * n, 7 * n + 5, "entity")
        history.execute(AddSpan("gazette", varga))
        batch = link(project, "contradicts", ("gazette", varga.id), ("courier", warga.id))
        relation = batch.changes[0].after  # type: ignore[union-attr]
        noted = replace_relation(relation, note=f"spelling {n}: V / W")
        history.execute(Batch("link", (RelationChange(noted.id, None, noted),)))
    save_project(project)

    report = run("compare", str(root), "--format", "md").stdout
    matrix_row = next(line for line in report.splitlines() if line.startswith("| entity"))
    assert "contradicts with 1 outlet" in matrix_row, matrix_row
    heading = next(line for line in report.splitlines() if "5 pairs" in line)
    assert heading.count("spelling") == 3 and heading.endswith("; …\\)"), heading
