"""Saved web pages and PDFs become clean articles with their outlet, date and address.

Driven through the real command (``annotator import``) as a user would; the pages are
news-site templates around the seed reports (or the bundled sample: our own writing).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.resources import resource_path
from tests.conftest import SEEDS, seeds_present
from tests.pages import kit
from tests.test_cli import run

OUTLETS = ("The Harbour Gazette", "Coastal Courier", "Bay Radio News")


def _reports() -> list[str]:
    """Three reports of one event: the seeds when present, else the bundled sample."""
    folder = SEEDS if seeds_present() else resource_path("sample")
    return [p.read_text("utf-8") for p in sorted(folder.glob("*.txt"))[:3]]


def _articles() -> list[kit.Article]:
    return [
        kit.from_text(text, outlet, n)
        for n, (text, outlet) in enumerate(zip(_reports(), OUTLETS, strict=True))
    ]


def _documents(project: Path) -> list[dict]:
    return json.loads((project / "annotator.json").read_text("utf-8"))["documents"]


def _text(project: Path, doc: dict) -> str:
    return (project / doc["path"]).read_text("utf-8")


def test_saved_pages_become_the_article_text_with_outlet_date_and_address(tmp_path: Path) -> None:
    pages = tmp_path / "downloads"
    pages.mkdir()
    articles = _articles()
    for n, article in enumerate(articles):
        (pages / f"page{n}.html").write_text(kit.page(article), encoding="utf-8")
    project = tmp_path / "project"

    done = run("import", str(project), str(pages), "--format", "html")

    assert done.returncode == 0, done.stderr
    assert "added 3 articles from 3 web pages" in done.stdout
    docs = _documents(project)
    assert [d["source"] for d in docs] == list(OUTLETS)
    for doc, article in zip(docs, articles, strict=True):
        text = _text(project, doc)
        assert doc["title"] == article.title
        for paragraph in article.paragraphs:  # every paragraph, whole, in order
            assert " ".join(paragraph.split()) in text
        positions = [text.index(" ".join(p.split())) for p in article.paragraphs]
        assert positions == sorted(positions)
        for junk in kit.BOILERPLATE:
            assert junk not in text, junk
        assert doc["meta"]["url"] == article.url
        assert doc["meta"]["date"] == article.date
        assert doc["meta"]["author"] == article.author
        assert doc["meta"]["language"] == "en"
        kept = project / doc["meta"]["original"]
        assert (
            kept.parent.name == "sources"
            and kept.read_bytes() == (pages / f"page{docs.index(doc)}.html").read_bytes()
        )
    assert run("validate", str(project)).returncode == 0


def test_the_same_page_twice_is_said_and_not_added_again(tmp_path: Path) -> None:
    article = _articles()[0]
    first, again = tmp_path / "a.html", tmp_path / "b.html"
    first.write_text(kit.page(article), encoding="utf-8")
    # the same address, saved later with a changed headline: still the same page
    again.write_text(kit.page(article, title_extra="UPDATED: "), encoding="utf-8")
    project = tmp_path / "project"
    assert run("import", str(project), str(first), "-f", "html").returncode == 0

    done = run("import", str(project), str(again), "-f", "html")

    assert done.returncode == 0
    assert "in the project already as" in done.stderr and article.url in done.stderr
    assert "1 article in the project already" in done.stdout
    assert len(_documents(project)) == 1


def test_an_mhtml_page_in_its_own_encoding(tmp_path: Path) -> None:
    article = kit.Article(
        "Bay Radio News",
        "Volunteers at the Zoë Albers hall",
        (
            "Volunteers at the Zoë Albers hall handed out blankets and soup on Tuesday, "
            "as the water peaked at about three metres above the tide line.",
            "The hall, named after the city's first female harbour master, stayed open "
            "through the night for the families of the Saltmarsh district.",
        ),
        url="https://bay-radio.example/news/zoe-hall",
    )
    saved = tmp_path / "zoe.mhtml"
    saved.write_bytes(kit.mhtml(kit.page(article, charset="iso-8859-1"), article.url))
    project = tmp_path / "project"

    assert run("import", str(project), str(saved), "-f", "html").returncode == 0

    (doc,) = _documents(project)
    text = _text(project, doc)
    assert "Zoë Albers hall handed out blankets" in text
    assert doc["source"] == "Bay Radio News"
    assert doc["meta"]["url"] == article.url
    assert (project / doc["meta"]["original"]).suffix == ".mhtml"


def test_a_page_that_lies_about_its_encoding(tmp_path: Path) -> None:
    article = kit.Article(
        "Coastal Courier",
        "Engineer defends the inspection record",
        (
            "Engineer Tomás Kovalchik – who leads the city's infrastructure office – "
            "defended the inspection record of the old harbour wall on Wednesday.",
            "“The wall was checked on schedule,” he told the Courier at the Zoë Albers hall.",
        ),
    )
    page = tmp_path / "courier.html"
    page.write_bytes(kit.page(article, charset="utf-8").encode("cp1252"))  # declared UTF-8
    project = tmp_path / "project"

    assert run("import", str(project), str(page), "-f", "html").returncode == 0

    text = _text(project, _documents(project)[0])
    assert "Tomás Kovalchik – who leads" in text
    assert "“The wall was checked on schedule,”" in text


def test_a_script_in_the_title_is_text_and_never_runs(tmp_path: Path) -> None:
    article = _articles()[1]
    page = tmp_path / "hostile.html"
    page.write_text(kit.page(article, title_extra="<script>alert(1)</script>"), encoding="utf-8")
    project = tmp_path / "project"

    assert run("import", str(project), str(page), "-f", "html").returncode == 0

    (doc,) = _documents(project)
    assert doc["title"].startswith("<script>alert(1)</script>")  # kept as the words it is
    assert "window.dataLayer" not in _text(project, doc)


def test_an_enormous_page_is_refused_by_name_and_the_others_come_in(tmp_path: Path) -> None:
    folder = tmp_path / "downloads"
    folder.mkdir()
    (folder / "good.html").write_text(kit.page(_articles()[0]), encoding="utf-8")
    with (folder / "huge.html").open("wb") as huge:
        huge.truncate(51_000_000)
    project = tmp_path / "project"

    refused = run("import", str(project), str(folder), "-f", "html")
    assert refused.returncode == 1
    assert "huge.html" in refused.stderr and "not a saved page" in refused.stderr
    assert "--keep-good imports the 1 good article" in refused.stderr

    done = run("import", str(project), str(folder), "-f", "html", "--keep-good")
    assert done.returncode == 0
    assert [d["source"] for d in _documents(project)] == [OUTLETS[0]]


def test_text_refuses_a_page_or_a_pdf_and_names_the_format(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text(kit.page(_articles()[0]), encoding="utf-8")
    disguised = tmp_path / "report.txt"
    disguised.write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    project = tmp_path / "project"

    for file, fmt in ((page, "html"), (disguised, "pdf")):
        done = run("import", str(project), str(file), "--format", "text")
        assert done.returncode == 1
        assert f"import it with --format {fmt}" in done.stderr
    assert not (project / "annotator.json").exists()


def test_a_folder_of_every_kind_is_read_whole_and_says_what_it_found(tmp_path: Path) -> None:
    folder = tmp_path / "downloads"
    folder.mkdir()
    reports = _reports()
    articles = _articles()
    (folder / "a.html").write_text(kit.page(articles[0]), encoding="utf-8")
    kit.two_column_pdf(folder / "b.pdf", articles[1].title, list(articles[1].paragraphs), "X")
    (folder / "c.txt").write_text(reports[2], encoding="utf-8")
    (folder / "a_files").mkdir()  # what a browser saves beside a page
    (folder / "a_files" / "frame.html").write_text("<html><body>ad</body></html>")
    project = tmp_path / "project"

    done = run("import", str(project), str(folder), "--format", "text")

    assert done.returncode == 0, done.stderr
    assert "added 3 articles from 1 web page, 1 PDF and 1 text file" in done.stdout
    assert len(_documents(project)) == 3


def test_undo_takes_back_the_article_and_the_kept_page(tmp_path: Path) -> None:
    from annotator.core.history import History
    from annotator.core.project import Project
    from annotator.ops import importing

    page = tmp_path / "page.html"
    page.write_text(kit.page(_articles()[0]), encoding="utf-8")
    project = Project(root=tmp_path / "project")
    project.root.mkdir()
    plan = importing.plan_articles(project, [page])
    history = History(project)
    history.execute(importing.ImportCommand(plan))
    (doc,) = project.documents
    kept = project.root / doc.meta["original"]
    assert kept.is_file() and (project.root / doc.path).is_file()

    history.undo()

    assert not project.documents
    assert not kept.exists() and not (project.root / doc.path).exists()
    history.redo()
    assert kept.read_bytes() == page.read_bytes()


@pytest.mark.parametrize("hostile", ["<html><body></body></html>", "<html><p>", "\x00\x01<html>"])
def test_a_page_with_no_article_is_said_by_name(tmp_path: Path, hostile: str) -> None:
    page = tmp_path / "empty.html"
    page.write_text(hostile, encoding="utf-8")
    done = run("import", str(tmp_path / "project"), str(page), "-f", "html")
    assert done.returncode == 1
    assert "empty.html" in done.stderr
    assert "Traceback" not in done.stderr


def test_many_pages_are_read_side_by_side_in_order_a_bad_one_named(tmp_path: Path) -> None:
    from annotator.formats.articles import PARALLEL_FROM

    folder = tmp_path / "downloads"
    folder.mkdir()
    base = _articles()[0]
    count = PARALLEL_FROM + 2  # enough for the pool of processes
    for n in range(count):
        article = kit.Article(
            f"Outlet {n:02}",
            f"Report {n:02}",
            tuple(f"{p} (Report {n}.)" for p in base.paragraphs),
            url=f"https://outlet{n}.example/news",
        )
        (folder / f"p{n:02}.html").write_text(kit.page(article), encoding="utf-8")
    (folder / "p05-broken.html").write_text("<html><body></body></html>", encoding="utf-8")
    project = tmp_path / "project"

    done = run("import", str(project), str(folder), "-f", "html", "--keep-good")

    assert done.returncode == 0, done.stderr
    assert "p05-broken.html: no article text found" in done.stderr
    assert [d["source"] for d in _documents(project)] == [f"Outlet {n:02}" for n in range(count)]
