"""Benchmarks with targets: python benchmarks/run.py [--quick] [--json OUT] [--compare OLD.json]

Generates its own corpora (English-like prose with emoji, non-BMP letters and
``\\r\\n``; spans of all three labels, some nested and overlapping; pending
suggestions), drives the real window headless (``QT_QPA_PLATFORM=offscreen``),
repeats every measurement, and prints measurement, median, spread, target and
verdict. Each group runs in its own process so that peak memory is its own.
``--quick`` uses small corpora and few repeats so that CI can check the script still
works in seconds; its timings are not compared with the targets. Timings are never
asserted in unit tests.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import platform
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

MS = 1000.0
WORDS = [
    "the",
    "of",
    "and",
    "to",
    "in",
    "a",
    "is",
    "that",
    "for",
    "on",
    "was",
    "with",
    "he",
    "it",
    "as",
    "his",
    "at",
    "by",
    "be",
    "this",
    "from",
    "are",
    "which",
    "or",
    "had",
    "not",
    "but",
    "have",
    "were",
    "their",
    "they",
    "has",
    "been",
    "one",
    "all",
    "would",
    "there",
    "more",
    "an",
    "council",
    "river",
    "harbour",
    "minister",
    "general",
    "talks",
    "report",
    "said",
    "according",
    "spokesperson",
    "officials",
    "ceasefire",
    "agreement",
    "meeting",
    "statement",
    "evidence",
    "witness",
    "budget",
    "record",
    "election",
    "committee",
    "Varga",
    "Kowalczyk",
    "Alekseev",
    "Zoë",
    "Prigozhin",
    "Moscow",
    "Kyiv",
    "Saltmarsh",
    "Orrin",
    "morning",
    "Friday",
    "percent",
    "million",
    "thousand",
    "three",
    "six",
    "2024",
    "64",
    "65",
    "1,200",
]
EXTRAS = ("🙂", "𝔘nicode", "naïve", "Zoë", "“quoted”", "‘single’", "café", "🌊")


# --- corpora ---------------------------------------------------------------------------


def prose(rng: random.Random, size: int) -> str:
    """English-like text of about ``size`` characters, with CRLF paragraph ends."""
    parts: list[str] = []
    total = 0
    while total < size:
        sentence = " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 24)))
        if rng.random() < 0.3:
            sentence += " " + rng.choice(EXTRAS)
        sentence = sentence[0].upper() + sentence[1:] + ". "
        if rng.random() < 0.12:
            sentence += "\r\n"
        parts.append(sentence)
        total += len(sentence)
    return "".join(parts)


def span_dicts(
    rng: random.Random, text: str, count: int, *, pending: int = 0
) -> list[dict[str, Any]]:
    """``count`` spans over word boundaries, about a tenth nested or overlapping."""
    import re

    words = [m.span() for m in re.finditer(r"\w+", text)]
    labels = ("entity", "claim", "quote")
    spans = []
    step = max(1, len(words) // max(count, 1))
    for i in range(count):
        w = min(i * step, len(words) - 1)
        a = words[w][0]
        b = words[min(w + rng.randint(0, 3), len(words) - 1)][1]
        if i % 10 == 9:  # overlapping/nested: reach into the next span
            b = words[min(w + step + 1, len(words) - 1)][1]
        status = "pending" if i < pending else "accepted"
        spans.append(
            {
                "id": f"s-{rng.getrandbits(48):012x}",  # random, as the app makes them
                "start": a,
                "end": b,
                "label": labels[i % 3],
                "text": text[a:b],
                "origin": "bench-model" if status == "pending" else "manual",
                # as the app writes them: every saved span has both times
                "created": f"2026-11-{1 + i % 28:02}T{i % 24:02}:{i % 60:02}:{i * 7 % 60:02}Z",
                "modified": f"2026-11-{1 + i % 28:02}T{i % 24:02}:{i % 60:02}:{i * 7 % 60:02}Z",
                "status": status,
                **({"score": round(rng.random(), 3)} if status == "pending" else {}),
            }
        )
    return spans


def write_project(
    folder: Path,
    docs: list[tuple[str, str, list[dict[str, Any]]]],
    relations: list[dict[str, Any]] | None = None,
) -> Path:
    """A project folder; ``relations`` (with ``source``/``target`` ends) go into their
    document's record, or the project's links when they join two documents."""
    from annotator.core.text import text_hash

    folder.mkdir(parents=True, exist_ok=True)
    records = []
    inside: dict[str, list[dict[str, Any]]] = {}
    links = []
    for relation in relations or []:
        if relation["source"]["document"] == relation["target"]["document"]:
            inside.setdefault(relation["source"]["document"], []).append(relation)
        else:
            links.append(relation)
    for doc_id, text, spans in docs:
        (folder / f"{doc_id}.txt").write_text(text, encoding="utf-8", newline="")
        records.append(
            {
                "id": doc_id,
                "path": f"{doc_id}.txt",
                "text_hash": text_hash(text),
                "spans": sorted(spans, key=lambda s: (s["start"], -s["end"], s["label"], s["id"])),
                "relations": inside.get(doc_id, []),
            }
        )
    data = {"schema_version": 3, "links": links, "documents": records}
    # laid out as the app saves it (two-space indent), which is what the app reads
    (folder / "annotator.json").write_text(
        json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    return folder


def big_project(folder: Path, size: int, spans: int, pending: int) -> Path:
    rng = random.Random(7)
    text = prose(rng, size)
    return write_project(folder, [("big", text, span_dicts(rng, text, spans, pending=pending))])


def linked_project(folder: Path, spans: int, relations: int, *, linked: bool = True) -> Path:
    """Three articles of ``spans`` spans each and ``relations`` relations and links
    between them (a third inside documents, the rest across; same, contradicts, differs)."""
    rng = random.Random(23)
    docs = []
    for i in range(3):
        text = prose(rng, spans * 40)
        docs.append((f"article-{i}", text, span_dicts(rng, text, spans)))
    out: list[dict[str, Any]] = []
    kinds = ("same", "contradicts", "differs")
    for n in range(relations if linked else 0):
        a = rng.randrange(3)
        b = a if n % 3 == 0 else (a + 1 + rng.randrange(2)) % 3
        sa, sb = rng.choice(docs[a][2]), rng.choice(docs[b][2])
        if sa is sb:
            continue
        out.append(
            {
                "id": f"r-{n:012x}",
                "type": kinds[n % 3],
                "source": {"document": docs[a][0], "span": sa["id"]},
                "target": {"document": docs[b][0], "span": sb["id"]},
                "origin": "manual",
                "author": None,
                # as the app writes them: every saved relation has both times
                "created": f"2026-12-{1 + n % 28:02}T{n % 24:02}:{n % 60:02}:00Z",
                "modified": f"2026-12-{1 + n % 28:02}T{n % 24:02}:{n % 60:02}:00Z",
                "status": "accepted",
            }
        )
    return write_project(folder, docs, out)


def compared_project(folder: Path, rows: int, documents: int) -> Path:
    """``documents`` articles and ``rows`` things they mention: each in 1 to all of the
    documents (an entity or claim span in each), joined by ``same`` links, one row in
    ten with a ``contradicts`` link."""
    import re

    rng = random.Random(31)
    texts = [prose(rng, rows * 60) for _ in range(documents)]
    words = [[m.span() for m in re.finditer(r"\w+", t)] for t in texts]
    spans: list[list[dict[str, Any]]] = [[] for _ in range(documents)]
    links: list[dict[str, Any]] = []
    for r in range(rows):
        chosen = sorted(rng.sample(range(documents), rng.randint(1, documents)))
        ends = []
        for d in chosen:
            w = words[d][(r * 8) % (len(words[d]) - 3)]  # a slot per row: no overlaps
            a, b = w[0], words[d][(r * 8) % (len(words[d]) - 3) + 2][1]
            span = {
                "id": f"s-{rng.getrandbits(48):012x}",
                "start": a,
                "end": b,
                "label": "claim" if r % 3 == 0 else "entity",
                "text": texts[d][a:b],
                "origin": "manual",
                "status": "accepted",
            }
            spans[d].append(span)
            ends.append((f"doc-{d:02}", span["id"]))
        for n, (x, y) in enumerate(itertools.pairwise(ends)):
            kind = "contradicts" if r % 10 == 0 and n == 0 else "same"
            links.append(
                {
                    "id": f"r-{rng.getrandbits(48):012x}",
                    "type": kind,
                    "source": {"document": x[0], "span": x[1]},
                    "target": {"document": y[0], "span": y[1]},
                    "origin": "manual",
                    "status": "accepted",
                    "note": "age: 64 / 65" if kind == "contradicts" else None,
                }
            )
    docs = [(f"doc-{d:02}", texts[d], spans[d]) for d in range(documents)]
    return write_project(folder, docs, links)


def corpus_project(folder: Path, count: int) -> Path:
    rng = random.Random(11)
    docs = []
    for i in range(count):
        text = prose(rng, 4000)
        docs.append((f"doc-{i:05}", text, span_dicts(rng, text, 20)))
    return write_project(folder, docs)


# --- measuring -------------------------------------------------------------------------


def repeat(
    fn: Callable[[], object], runs: int, before: Callable[[], object] | None = None
) -> list[float]:
    """Times of ``runs`` calls of ``fn``; ``before`` runs ahead of each, untimed."""
    out = []
    for _ in range(runs):
        if before is not None:
            before()
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return out


def peak_rss_mb() -> float:
    """This process's peak resident memory since it started (VmHWM on Linux).

    Not ``getrusage``: on Linux its maximum survives fork and exec, so a child would
    report at least the benchmark parent's size (which generated the corpora).
    """
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _app() -> Any:
    from annotator.ui.app import ensure_application

    return ensure_application()


def _open(path: Path) -> Any:
    from PySide6.QtWidgets import QApplication

    from annotator.settings import Settings
    from annotator.ui.app import open_window

    window, _ = open_window(path, Settings())
    window.session.autosave_enabled = False
    window.resize(1400, 900)
    window.show()
    QApplication.processEvents()
    for pane in window.panes.panes.values():
        pane.view.viewport().repaint()
    return window


def _close_all(windows: list[Any]) -> None:
    """Close and delete every window, then collect, so nothing of them stays frozen."""
    import gc

    from PySide6.QtCore import QCoreApplication, QEvent
    from PySide6.QtWidgets import QApplication

    while windows:
        window = windows.pop()
        window.session.autosave_enabled = False
        window.close()
        window.deleteLater()
        del window
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    QApplication.processEvents()
    gc.collect()


def group_big(size: int, spans: int, runs: int, tmp: Path) -> dict[str, Any]:
    """The 2 MB / 50,000-span article: open, edit, undo, scroll, save, review."""
    from PySide6.QtWidgets import QApplication

    from annotator.core.commands import AddSpan, RemoveSpan, make_span, relabel

    app = _app()
    folder = big_project(tmp / "big", size, spans, pending=min(5000, spans // 2))
    results: dict[str, Any] = {}
    windows: list[Any] = []

    # one window at a time, as in the app; closing is not timed
    results["open_big"] = repeat(
        lambda: windows.append(_open(folder)), runs, lambda: _close_all(windows)
    )
    window = windows[-1]
    pane = window.panes.panes["big"]
    doc = pane.document
    viewport = pane.view.viewport()
    text = doc.text
    session = window.session

    def repaint() -> None:
        QApplication.processEvents()
        viewport.repaint()

    first_visible = pane.view.cursorForPosition(viewport.rect().center()).position()
    cp = pane.bridge.to_cp(first_visible)
    added: list[Any] = []

    def add() -> None:
        start = text.index(" ", cp + len(added) * 7) + 1
        span = make_span(doc, start, start + 3, "entity")
        session.run(AddSpan("big", span))
        added.append(span)
        repaint()

    def relabel_one() -> None:
        span = doc.span(added[-1].id)
        session.run(relabel("big", span, "claim" if span.label != "claim" else "quote"))
        repaint()

    def remove() -> None:
        span = doc.span(added.pop().id)
        session.run(RemoveSpan("big", span))
        repaint()

    results["add_span"] = repeat(add, runs * 4)
    results["relabel_span"] = repeat(relabel_one, runs * 4)
    results["remove_span"] = repeat(remove, runs * 4)

    def undo() -> None:
        session.undo()
        repaint()

    def redo() -> None:
        session.redo()
        repaint()

    results["undo"] = repeat(undo, runs * 4)
    results["redo"] = repeat(redo, runs * 4)

    bar = pane.view.verticalScrollBar()

    def page() -> None:
        bar.setValue(bar.value() + bar.pageStep())
        viewport.repaint()

    results["scroll_page"] = repeat(page, runs * 4)

    def autosave_stall() -> float:
        session._force_dirty = True
        return _longest_stall(session.autosave_now, lambda: not session.saving_in_background)

    results["autosave_stall"] = [autosave_stall() for _ in range(runs)]

    window.set_review_mode(True)
    repaint()

    def accept() -> None:
        window.review.accept()
        repaint()

    results["review_accept"] = repeat(accept, runs * 10)
    window.close()
    app.processEvents()
    results.update(big_exports(folder, runs, tmp))
    return results


TOKEN_FORMATS = ("conll", "spacy", "prodigy", "hf")


def big_exports(folder: Path, runs: int, tmp: Path) -> dict[str, Any]:
    """Each token format (and JSONL) of the big article: inside a running process, and
    as a whole ``annotator export`` process, start to finish, as a user waits for it."""
    from annotator.formats import FORMATS, ExportOptions
    from annotator.io.load import open_project
    from annotator.ops import exporting

    project, _ = open_project(folder)
    out: dict[str, Any] = {}
    for name in (*TOKEN_FORMATS, "jsonl"):
        fmt = FORMATS[name]
        target = tmp / f"export-{name}" / ("out" if fmt.folder else f"out.{name}")
        target.parent.mkdir(exist_ok=True)
        out[f"export_big_{name}"] = repeat(
            lambda f=fmt, t=target: exporting.export(project, f, [(t, ExportOptions())]),
            max(1, runs // 2),
        )
        command = [sys.executable, "-m", "annotator", "export", str(folder), "-f", name]
        out[f"export_big_{name}_process"] = repeat(
            lambda c=command, t=target: subprocess.run(
                [*c, "-o", str(t)], check=True, capture_output=True, timeout=600
            ),
            max(1, runs // 2),
        )
    return out


def group_links(spans: int, relations: int, runs: int, tmp: Path) -> dict[str, Any]:
    """Three articles × ``spans`` spans with ``relations`` relations and links: open
    (against the same project without links), link, undo, scroll with the lines."""
    from PySide6.QtWidgets import QApplication

    from annotator.core.relating import link

    app = _app()
    with_links = linked_project(tmp / "linked", spans, relations)
    without = linked_project(tmp / "unlinked", spans, relations, linked=False)
    results: dict[str, Any] = {}
    windows: list[Any] = []

    def shown(window: Any) -> Any:
        window.panes.overlay.relayout()
        for pane in window.panes.panes.values():
            pane.view.viewport().repaint()
        window.panes.overlay.repaint()
        return window

    results["open_unlinked"] = repeat(
        lambda: windows.append(shown(_open(without))), runs, lambda: _close_all(windows)
    )
    results["open_linked"] = repeat(
        lambda: windows.append(shown(_open(with_links))), runs, lambda: _close_all(windows)
    )
    ratio = statistics.median(results["open_linked"]) / statistics.median(results["open_unlinked"])
    results["open_links_ratio"] = [ratio]
    window = windows[-1]
    session = window.session
    project = session.project
    overlay = window.panes.overlay
    first, second = window.panes.panes["article-0"], window.panes.panes["article-1"]

    def redraw() -> None:
        # what the next turn of the event loop does, once: the lines laid out (the
        # overlay's timer), then everything that became dirty painted (the region the
        # lines cover, the panes beneath it, a scrolled pane, the panels)
        overlay.relayout()
        QApplication.processEvents()

    visible_a = first.document.spans_overlapping(*first.visible_range())
    visible_b = second.document.spans_overlapping(*second.visible_range())
    pairs = iter([(a, b) for a in visible_a for b in visible_b])

    def make_link() -> None:
        while True:
            a, b = next(pairs)
            try:
                command = link(project, "same", ("article-0", a.id), ("article-1", b.id))
            except Exception:  # already linked or in one cluster: the next pair
                continue
            session.run(command)
            break
        redraw()

    results["link_create"] = repeat(make_link, runs * 4)

    def undo() -> None:
        session.undo()
        redraw()

    results["link_undo"] = repeat(undo, runs * 4)
    bar = first.view.verticalScrollBar()

    def page() -> None:
        bar.setValue(bar.value() + bar.pageStep())
        redraw()

    results["link_scroll"] = repeat(page, runs * 4)
    results["link_lines"] = [len(overlay.lines)]
    window.close()
    app.processEvents()
    return results


def group_compare(rows: int, documents: int, runs: int, tmp: Path) -> dict[str, Any]:
    """The Compare panel over ``rows`` × ``documents``: the matrix rebuilt and shown
    after a change (as the panel does it), a page scrolled; the aligners over the
    same documents."""
    from PySide6.QtWidgets import QApplication

    from annotator.core.relating import link
    from annotator.extract import load
    from annotator.ops import comparing

    app = _app()
    window = _open(compared_project(tmp / "compared", rows, documents))
    window.compareDock.show()
    app.processEvents()
    comparer = window.comparing
    project = window.session.project
    docs = [d.id for d in project.documents]
    comparer.set_documents(docs)
    comparer.refresh()
    results: dict[str, Any] = {"compare_rows": [len(comparer.comparison.rows)]}
    results["compare_build"] = repeat(lambda: comparing.comparison(project, docs), runs * 2)
    spans = [(d, s.id) for d in docs for s in project.document(d).spans()]
    rng = random.Random(5)

    def change_and_refresh() -> None:
        while True:
            a, b = rng.sample(spans, 2)
            try:
                window.session.run(link(project, "differs", a, b))
                break
            except Exception:  # same document or already linked: another pair
                continue
        comparer.refresh()
        comparer.panel.table.viewport().repaint()

    results["compare_refresh"] = repeat(change_and_refresh, runs * 2)
    bar = comparer.panel.table.verticalScrollBar()

    def page() -> None:
        bar.setValue(bar.value() + bar.pageStep())
        comparer.panel.table.viewport().repaint()

    results["compare_scroll"] = repeat(page, runs * 4)
    comparer.panel.filter.setCurrentIndex(comparer.panel.filter.findData("conflicts"))
    results["compare_filter"] = repeat(
        lambda: (
            comparer.panel.filter.setCurrentIndex(comparer.panel.filter.findData("one")),
            comparer.panel.filter.setCurrentIndex(comparer.panel.filter.findData("all")),
            comparer.panel.table.viewport().repaint(),
        ),
        runs,
    )
    documents_list = list(project.documents)
    # the aligners: on generated prose (a vocabulary of a hundred words, so every
    # sentence shares words with every other: the worst case), and on the judged news
    # articles in tests/data/alignment (plus the seeds when they are there)
    news = tmp / "news"
    news.mkdir()
    folders = [ROOT / "resources" / "sample", *sorted((ROOT / "tests/data/alignment").iterdir())]
    seeds = ROOT.parent / "shared" / "seeds"
    for folder in [*folders, seeds] if seeds.is_dir() else folders:
        for f in folder.glob("*.txt"):
            shutil.copy(f, news / f"{folder.name}-{f.name}")
    from annotator.io.load import open_project

    news_project, _ = open_project(news)
    results["news_documents"] = [len(news_project.documents)]
    for name in ("align-entities", "align-quotes", "align-claims"):
        aligner = load(name)
        results[name.replace("-", "_")] = repeat(
            lambda a=aligner: a.align(project, documents_list), max(1, runs // 2)
        )
        results["news_" + name.replace("-", "_")] = repeat(
            lambda a=aligner: a.align(news_project, list(news_project.documents)), runs
        )
    window.close()
    QApplication.processEvents()
    return results


def group_corpus(count: int, runs: int, tmp: Path) -> dict[str, Any]:  # noqa: C901
    """A corpus of short articles: open, find, export, import suggestions.

    Long on purpose: a benchmark's data preparation, read once from top to bottom.
    """

    from annotator.core.history import History
    from annotator.core.search import find_in_text
    from annotator.formats import FORMATS, ExportOptions
    from annotator.formats.records import ImportOptions, plan_import
    from annotator.io.load import load_project

    app = _app()
    folder = corpus_project(tmp / f"corpus{count}", count)
    results: dict[str, Any] = {}
    windows: list[Any] = []

    results[f"open_{count}"] = repeat(
        lambda: windows.append(_open(folder)), runs, lambda: _close_all(windows)
    )
    results[f"peak_rss_{count}"] = peak_rss_mb()
    _close_all(windows)
    if count > 2000:
        return results
    project, _ = load_project(folder)

    def find_all() -> int:
        hits = 0
        for doc in project.documents:
            start = 0
            while (hit := find_in_text(doc.text, "harbour", start)) is not None:
                hits += 1
                start = hit[1]
        return hits

    results["find_all"] = repeat(find_all, runs)
    for name in ("jsonl", "conll", "spacy"):
        fmt = FORMATS.get(name)
        if fmt is None:
            results[f"export_{name}"] = None
            continue
        out = tmp / f"export.{name}"
        results[f"export_{name}"] = repeat(
            lambda f=fmt, o=out: f.write(project, o, ExportOptions()), runs
        )

    preds = tmp / "preds.jsonl"
    rng = random.Random(5)
    with preds.open("w", encoding="utf-8") as handle:
        for doc in project.documents:
            spans = [
                {k: s[k] for k in ("start", "end", "label")} | {"score": round(rng.random(), 2)}
                for s in span_dicts(rng, doc.text, 20)
            ]
            handle.write(json.dumps({"id": doc.id, "text": doc.text, "spans": spans}) + "\n")
    reader = FORMATS["jsonl"].read
    assert reader is not None

    def import_suggestions() -> None:
        fresh, _ = load_project(folder)
        plan = plan_import(fresh, reader(preds), ImportOptions(as_suggestions=True, origin="p"))
        History(fresh).execute(plan.batch)

    results["import_suggestions"] = repeat(import_suggestions, runs)
    # whole processes, as a user waits for them: the same export of every article, and
    # the predictions imported as new articles into a new project
    for name in ("jsonl", "conll", "spacy"):
        out = tmp / f"process.{name}"
        command = [sys.executable, "-m", "annotator", "export", str(folder), "-f", name]
        results[f"export_{name}_process"] = repeat(
            lambda c=command, o=out: subprocess.run(
                [*c, "-o", str(o)], check=True, capture_output=True, timeout=600
            ),
            runs,
        )
    new = preds.with_name("new-articles.jsonl")
    new.write_text(
        "".join(
            line.replace('"id": "', '"id": "new-', 1) + "\n"
            for line in preds.read_text(encoding="utf-8").splitlines()
        ),
        encoding="utf-8",
    )
    fresh_folders = iter(range(10_000))
    importer = [sys.executable, "-m", "annotator", "import"]

    def import_new() -> None:
        target = tmp / f"new-project-{next(fresh_folders)}"
        subprocess.run(
            [*importer, str(target), str(new), "-f", "jsonl", "--as", "suggestions"],
            check=True,
            capture_output=True,
            timeout=600,
        )

    results["import_new_process"] = repeat(import_new, runs)
    copies = iter(range(10_000))
    copy: list[Path] = []

    def fresh_copy() -> None:
        copy[:] = [tmp / f"copy-{next(copies)}"]
        shutil.copytree(folder, copy[0])

    def import_into_copy() -> None:
        subprocess.run(
            [*importer, str(copy[0]), str(preds), "-f", "jsonl", "--as", "suggestions"],
            check=True,
            capture_output=True,
            timeout=600,
        )

    results["import_suggestions_process"] = repeat(import_into_copy, runs, fresh_copy)
    app.processEvents()
    return results


def _longest_stall(start: Callable[[], Any], finished: Callable[[], bool]) -> float:
    """Longest gap between GUI event-loop turns from ``start()`` until ``finished()``."""
    from PySide6.QtWidgets import QApplication

    nap = 0.0005
    begin = time.perf_counter()
    start()
    longest = time.perf_counter() - begin
    while not finished():
        t = time.perf_counter()
        QApplication.processEvents()
        time.sleep(nap)
        longest = max(longest, time.perf_counter() - t - nap)
    return longest


def group_stalls(
    size: int, spans: int, count: int, runs: int, tmp: Path, small: int = 1000
) -> dict[str, Any]:
    """The window's longest stall while long work runs on a thread, as the UI runs it:
    loading a big project (File > Open) and exporting a corpus; each measured on a
    quiet machine and again beside a second process that keeps one core busy
    (``_busy``), as on a user's machine with something else running."""
    import gc

    from annotator.formats import FORMATS, ExportOptions
    from annotator.io.load import load_project
    from annotator.settings import sample_project
    from annotator.ui.app import Prepared, prepare
    from annotator.ui.tasks import run_task

    _app()
    window = _open(sample_project())
    big = big_project(tmp / "big", size, spans, pending=min(5000, spans // 2))
    many = corpus_project(tmp / "many", count)
    results: dict[str, Any] = {}

    def background(work: Callable[[Any, Any], Any]) -> float:
        outcome: list[Any] = []

        def start() -> None:
            run_task(window, "bench", work, outcome.append, outcome.append)

        stall = _longest_stall(start, lambda: bool(outcome))
        if isinstance(outcome[0], Prepared) and outcome[0].lock is not None:
            outcome[0].lock.release()
        return stall

    project, _ = load_project(corpus_project(tmp / "small", small))
    gc.freeze()  # as the window does with the project it shows
    spacy_format = FORMATS.get("spacy")
    out = tmp / "stall.spacy"
    for suffix in ("", "_busy"):
        busy = _busy() if suffix else None
        try:
            for key, folder in (("stall_open_big", big), ("stall_open_corpus_big", many)):
                results[key + suffix] = [
                    background(lambda p, c, f=folder: prepare(f, progress=p, cancelled=c))
                    for _ in range(runs)
                ]
            if spacy_format is not None:
                results["stall_export_spacy" + suffix] = [
                    background(lambda p, c: spacy_format.write(project, out, ExportOptions()))
                    for _ in range(runs)
                ]
        finally:
            if busy is not None:
                busy.kill()
                busy.wait()
    return results


def _busy() -> subprocess.Popen[bytes]:
    """A second process that keeps one core busy until killed."""
    return subprocess.Popen([sys.executable, "-c", "while True: pass"])


_LAUNCH = (
    "import os, sys, time\n"
    "from pathlib import Path\n"
    "from PySide6.QtCore import QEvent, QObject\n"
    "from annotator.settings import load_settings\n"
    "from annotator.ui.app import ensure_application, open_window, startup_path\n"
    "app = ensure_application()\n"
    "settings = load_settings()\n"
    "path = Path(sys.argv[1]) if len(sys.argv) > 1 else startup_path(settings)\n"
    "window, _ = open_window(path, settings)\n"
    "class F(QObject):\n"
    "    def eventFilter(self, o, e):\n"
    "        if e.type() == QEvent.Type.Paint:\n"
    "            hwm = [l for l in open('/proc/self/status') if l.startswith('VmHWM:')]\n"
    "            print('painted', hwm[0].split()[1] if hwm else 0, flush=True)\n"
    "            os._exit(0)\n"
    "        return False\n"
    "f = F()\n"
    "pane = next(iter(window.panes.panes.values()))\n"
    "pane.view.viewport().installEventFilter(f)\n"
    "window.show()\n"
    "app.exec()\n"
)


def launch_to_paint(folder: Path | None, runs: int, tmp: Path) -> tuple[list[float], list[float]]:
    """Whole processes, as ``annotator FOLDER`` runs: from starting Python to the first
    painted pane, and each process's peak memory (MB) by then. ``None``: the sample."""
    times, peaks = [], []
    for i in range(runs):
        env = {
            **os.environ,
            "XDG_CONFIG_HOME": str(tmp / f"c{i}"),
            "XDG_DATA_HOME": str(tmp / f"d{i}"),
        }
        argv = [sys.executable, "-c", _LAUNCH, *([str(folder)] if folder else [])]
        t = time.perf_counter()
        proc = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=600)
        times.append(time.perf_counter() - t)
        said = [line for line in proc.stdout.splitlines() if line.startswith("painted")]
        if not said:
            raise RuntimeError(f"{folder or 'the sample'} did not paint: {proc.stderr[-400:]}")
        peaks.append(int(said[0].split()[1]) / 1024)
    return times, peaks


def group_launch(folders: dict[str, Path | None], runs: int, tmp: Path) -> dict[str, Any]:
    """Each folder opened from launch: ``open_KEY_launch`` and ``peak_rss_KEY``."""
    out: dict[str, Any] = {}
    for key, folder in folders.items():
        times, peaks = launch_to_paint(folder, runs, tmp)
        out[f"open_{key}_launch"] = times
        out[f"peak_rss_{key}"] = peaks
    return out


# --- the table -------------------------------------------------------------------------

# key: (measurement, target, unit); target in seconds (or MB for memory)
TARGETS: dict[str, tuple[str, float, str]] = {
    "cold_start": ("cold start to first painted window (sample)", 0.8, "s"),
    "open_big": ("open {big}: first paint with every highlight", 1.2, "s"),
    "add_span": ("add one span in {big}, with repaint", 0.016, "ms"),
    "relabel_span": ("relabel one span, with repaint", 0.016, "ms"),
    "remove_span": ("remove one span, with repaint", 0.016, "ms"),
    "review_accept": ("review: accept-and-advance ({pending} pending)", 0.016, "ms"),
    "undo": ("undo one edit, with repaint", 0.016, "ms"),
    "redo": ("redo one edit, with repaint", 0.016, "ms"),
    "scroll_page": ("scroll one page in {big}", 0.016, "ms"),
    "autosave_stall": ("longest GUI-thread stall of an autosave of {big}", 0.016, "ms"),
    "open_corpus": ("open a project of {n} articles (4 KB, 20 spans)", 1.0, "s"),
    "open_corpus_big": ("open a project of {n2} articles", 3.0, "s"),
    "open_corpus_huge": ("open a project of {n3} articles", 10.0, "s"),
    "find_all": ("find a word in all {n} articles", 0.3, "s"),
    "export_jsonl": ("export {n} articles as JSONL", 1.0, "s"),
    "export_conll": ("export {n} articles as CoNLL", 2.0, "s"),  # issue 18: Label Studio's shape
    "export_spacy": ("export {n} articles as spaCy DocBin", 3.0, "s"),
    "import_suggestions": ("import {n} articles × 20 predictions as suggestions", 2.0, "s"),
    "stall_open_big": ("longest window stall while {big} loads (File > Open)", 0.1, "ms"),
    "stall_open_corpus_big": ("longest window stall while {n2} articles load", 0.1, "ms"),
    "stall_export_spacy": ("longest window stall during the spaCy export of {n}", 0.1, "ms"),
    "stall_open_big_busy": ("… while {big} loads, a second process busy", 0.1, "ms"),
    "stall_open_corpus_big_busy": ("… while {n2} articles load, a second process busy", 0.1, "ms"),
    "stall_export_spacy_busy": ("… during the spaCy export, a second process busy", 0.1, "ms"),
    "link_create": ("create a link between panes ({links}), lines redrawn", 0.016, "ms"),
    "link_undo": ("undo a link, lines redrawn", 0.016, "ms"),
    "link_scroll": ("scroll a pane a page with the links redrawn", 0.016, "ms"),
    "open_links_ratio": ("open the linked project ÷ the same without links", 1.2, "×"),
    "import_new_process": ("import {n} new articles × 20 predictions into a new project", 1.5, "s"),
    "export_big_conll": ("export {big} as CoNLL", 3.0, "s"),
    "export_big_spacy": ("export {big} as spaCy DocBin", 5.0, "s"),
    "export_big_prodigy": ("export {big} as Prodigy JSONL", 3.0, "s"),
    "export_big_hf": ("export {big} as Hugging Face Parquet", 5.0, "s"),
    "export_big_jsonl": ("export {big} as JSONL", 1.0, "s"),
    "compare_build": ("comparison matrix of {compare}: computed", 0.05, "ms"),
    "compare_refresh": ("Compare panel after a change, {compare}: rebuilt, painted", 0.1, "ms"),
    "compare_scroll": ("Compare panel: scroll a page", 0.016, "ms"),
    "compare_filter": ("Compare panel: two filters chosen, painted", 0.1, "ms"),
    "align_entities": ("align-entities, {compare_docs} generated 30 KB documents", 2.0, "s"),
    "align_quotes": ("align-quotes, {compare_docs} generated 30 KB documents", 2.0, "s"),
    "align_claims": ("align-claims, {compare_docs} generated 30 KB documents", 5.0, "s"),
    "news_align_entities": ("align-entities, the judged news articles", 0.5, "s"),
    "news_align_quotes": ("align-quotes, the judged news articles", 0.5, "s"),
    "news_align_claims": ("align-claims, the judged news articles", 1.0, "s"),
    "peak_rss_big": ("peak memory, {big} open", 300, "MB"),
    "peak_rss_corpus_big": ("peak memory, {n2}-article project open", 400, "MB"),
    "peak_rss_corpus_huge": ("peak memory, {n3}-article project open", 700, "MB"),
}

# The same measurement as a whole process, from launch (start, open, import, export:
# what a user waits for), printed beside a row; the row's target is for the figure
# from launch where its key is in FROM_LAUNCH.
LAUNCH: dict[str, str] = {
    "open_big": "open_big_launch",
    "open_corpus": "open_corpus_launch",
    "open_corpus_big": "open_corpus_big_launch",
    "open_corpus_huge": "open_corpus_huge_launch",
    "export_jsonl": "export_jsonl_process",
    "export_conll": "export_conll_process",
    "export_spacy": "export_spacy_process",
    "import_suggestions": "import_suggestions_process",
    "import_new_process": "import_new_process",
    **{f"export_big_{name}": f"export_big_{name}_process" for name in (*TOKEN_FORMATS, "jsonl")},
}
FROM_LAUNCH = {
    "cold_start",
    "open_corpus_big",
    "open_corpus_huge",
    "export_jsonl",
    "export_conll",
    "import_new_process",
    "export_big_conll",
    "export_big_spacy",
    "peak_rss_big",
    "peak_rss_corpus_big",
    "peak_rss_corpus_huge",
}


def _child(args: argparse.Namespace) -> None:
    tmp = Path(tempfile.mkdtemp(prefix="annotator-bench-"))
    os.environ["XDG_CONFIG_HOME"] = str(tmp / "config")
    os.environ["XDG_DATA_HOME"] = str(tmp / "data")
    try:
        if args.child == "big":
            out = group_big(args.size, args.spans, args.runs, tmp)
        elif args.child == "corpus":
            out = group_corpus(args.count, args.runs, tmp)
        elif args.child == "compare":
            out = group_compare(args.count, args.spans, args.runs, tmp)
        elif args.child == "links":
            out = group_links(args.spans, args.count, args.runs, tmp)
        else:
            out = group_stalls(args.size, args.spans, args.count, args.runs, tmp, args.small)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print("RESULT " + json.dumps(out))


def _spawn(*extra: str) -> dict[str, Any]:
    proc = subprocess.run(
        [sys.executable, __file__, *extra], capture_output=True, text=True, timeout=1800
    )
    for line in proc.stdout.splitlines():
        if line.startswith("RESULT "):
            return json.loads(line[7:])  # type: ignore[no-any-return]
    raise RuntimeError(f"benchmark group {extra} failed:\n{proc.stderr[-2000:]}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small corpora, few runs (CI)")
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument(
        "--compare",
        type=Path,
        metavar="OLD.json",
        help="also print each row's ratio to an earlier run's --json file, as measured and "
        "adjusted by the two machines' calibration figures",
    )
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--size", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--spans", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--count", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--small", type=int, default=1000, help=argparse.SUPPRESS)
    parser.add_argument("--runs", type=int, default=5, help=argparse.SUPPRESS)
    parser.add_argument("--folder", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args)
        return 0

    quick = args.quick
    runs = 3 if quick else 5
    load_before = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    no_bytecode = compile_bytecode()
    calibration = calibrate()
    size, spans = (200_000, 5_000) if quick else (2_000_000, 50_000)
    n, n2, n3 = (100, 300, 600) if quick else (1_000, 10_000, 50_000)
    raw: dict[str, Any] = {}
    raw.update(
        _spawn("--child", "big", "--size", str(size), "--spans", str(spans), "--runs", str(runs))
    )
    raw.update(_spawn("--child", "corpus", "--count", str(n), "--runs", str(runs)))
    link_spans, link_count = (500, 1_000) if quick else (5_000, 10_000)
    raw.update(
        _spawn(
            "--child",
            "links",
            "--spans",
            str(link_spans),
            "--count",
            str(link_count),
            "--runs",
            str(runs),
        )
    )
    compare_rows, compare_docs = (100, 4) if quick else (500, 10)
    raw.update(
        _spawn(
            "--child",
            "compare",
            "--count",
            str(compare_rows),
            "--spans",
            str(compare_docs),
            "--runs",
            str(runs),
        )
    )
    second = _spawn("--child", "corpus", "--count", str(n2), "--runs", str(min(runs, 3)))
    raw.update(
        _spawn(
            "--child",
            "stalls",
            "--size",
            str(size),
            "--spans",
            str(spans),
            "--count",
            str(n2),
            "--small",
            str(n),
            "--runs",
            str(min(runs, 3)),
        )
    )
    raw["open_corpus"] = raw.pop(f"open_{n}")
    raw.pop(f"peak_rss_{n}")
    raw["open_corpus_big"] = second[f"open_{n2}"]
    # From launch: whole processes that open a corpus generated here and paint, as
    # ``annotator FOLDER`` does; their peak memory is their own (each a fresh process).
    with tempfile.TemporaryDirectory(prefix="annotator-launch-") as launch_tmp:
        where = Path(launch_tmp)
        folders: dict[str, Path | None] = {
            "sample": None,
            "big": big_project(where / "big", size, spans, pending=min(5000, spans // 2)),
            "corpus": corpus_project(where / "corpus", n),
            "corpus_big": corpus_project(where / "corpus_big", n2),
        }
        if n3:
            folders["corpus_huge"] = corpus_project(where / "corpus_huge", n3)
        raw.update(group_launch(folders, min(runs, 3), where))
    raw["cold_start"] = raw.pop("open_sample_launch")
    raw.pop("peak_rss_sample")
    raw.pop("peak_rss_corpus")

    names = {
        "big": f"{size / 1e6:g} MB / {spans:,}-span article",
        "pending": f"{min(5000, spans // 2):,}",
        "n": f"{n:,}",
        "n2": f"{n2:,}",
        "n3": f"{n3:,}",
        "links": f"3 × {link_spans:,} spans, {link_count:,} links",
        "compare": f"{compare_rows} rows × {compare_docs} documents",
        "compare_docs": f"{compare_docs}",
    }
    rows = [_row(key, raw, names, quick) for key in TARGETS]
    scale = {"s": 1.0, "ms": MS, "MB": 1.0, "×": 1.0}

    def fmt(v: float | None, unit: str) -> str:
        if v is None:
            return "—"
        if unit == "×":
            return f"{v:.2f} ×"
        return f"{v:.3f} s" if unit == "s" else f"{v * scale[unit]:.1f} {unit}"

    print(
        f"{'measurement':<62} {'median':>10} {'from launch':>11} {'spread':>9} {'target':>9}"
        "  verdict"
    )
    for row in rows:
        if row["verdict"] == "not built":
            print(f"{row['measurement']:<62} {'—':>10} {'':>11} {'':>9} {'':>9}  not built")
            continue
        unit = row["unit"]
        target = fmt(row["target"], unit) + (" ⏵" if row["key"] in FROM_LAUNCH else "")
        print(
            f"{row['measurement']:<62} {fmt(row['median'], unit):>10} "
            f"{fmt(row['launch'], unit):>11} {fmt(row['spread'], unit):>9} {target:>11}"
            f"  {row['verdict']}"
        )
    print(
        "\nfrom launch: a whole process (start Python, import, open or run, paint or exit), "
        "as a user waits for it, with the package's bytecode compiled as pip compiles it"
        f"{' (PYTHONDONTWRITEBYTECODE is set here: compiled beforehand)' if no_bytecode else ''}"
        "; ⏵ the target is for that figure"
    )
    machine = f"{platform.node()}: {os.cpu_count()} cores, Python {platform.python_version()}"
    print(f"\n{machine}; {'quick mode: times not judged' if quick else f'{runs} runs each'}")
    print(
        f"calibration: {calibration:.3f} s (a fixed pure-Python workload; divide two runs' "
        f"figures by their calibration to compare machines); load average before: "
        f"{load_before:.2f}"
    )
    data = {
        "machine": machine,
        "quick": quick,
        "calibration": calibration,
        "load": load_before,
        "rows": rows,
        "raw": raw,
    }
    if args.compare:
        print()
        print(compare_runs(json.loads(args.compare.read_text(encoding="utf-8")), data))
    if args.json:
        args.json.write_text(json.dumps(data, indent=2), encoding="utf-8")
    return 0


def _row(key: str, raw: dict[str, Any], names: dict[str, str], quick: bool) -> dict[str, Any]:
    """One row of the table: the median in the process, the median from launch, and
    the verdict on the figure the target is for."""
    what, target, unit = TARGETS[key]
    label = what.format(**names)
    value, launch = raw.get(key), raw.get(LAUNCH.get(key, ""))
    if key in FROM_LAUNCH and key not in LAUNCH:
        value, launch = None, value  # measured only from launch
    if launch is value:
        value = None
    if value is None and launch is None:
        return {"key": key, "measurement": label, "median": None, "verdict": "not built"}

    def stats(samples: Any) -> tuple[float | None, float, float, int]:
        if samples is None:
            return None, 0.0, 0.0, 0
        samples = samples if isinstance(samples, list) else [samples]
        spread = (max(samples) - min(samples)) if len(samples) > 1 else 0.0
        return statistics.median(samples), spread, max(samples), len(samples)

    med, spread, top, runs = stats(value)
    launch_med, launch_spread, launch_top, launch_runs = stats(launch)
    judged = launch_med if key in FROM_LAUNCH else med
    if judged is None:
        judged = med if med is not None else launch_med
    assert judged is not None
    return {
        "key": key,
        "measurement": label,
        "unit": unit,
        "median": med,
        "spread": spread if med is not None else launch_spread,
        "max": top if med is not None else launch_top,
        "runs": runs or launch_runs,
        "launch": launch_med,
        "launch_runs": launch_runs,
        "judged": judged,
        "target": target,
        "verdict": ("ok" if judged <= target else "MISSED") if not quick else "(quick)",
    }


def compile_bytecode() -> bool:
    """Compile the package's modules to bytecode, as ``pip install`` does (README's
    first command), so that a process measured from launch reads them as a user's
    does. Without it, where ``PYTHONDONTWRITEBYTECODE`` is set (as on the machines
    these figures come from), every launch compiled about a hundred modules again:
    0.1-0.2 s a process that no user pays. Says whether that variable is set."""
    import compileall

    import annotator

    compileall.compile_dir(str(Path(annotator.__file__).parent), quiet=1)
    return bool(os.environ.get("PYTHONDONTWRITEBYTECODE"))


def calibrate(repeats: int = 5) -> float:
    """The median time of a fixed pure-Python workload (sorting, string building, dict
    work: what the app's own code does most), so that runs on two machines can be
    compared as ratios. About half a second here."""

    def work() -> int:
        rng = random.Random(42)
        numbers = [rng.random() for _ in range(200_000)]
        numbers.sort()
        words = {f"w{i % 5000}-{int(x * 1000)}": i for i, x in enumerate(numbers)}
        text = " ".join(sorted(words)[:50_000])
        return len(text) + sum(len(k) for k in words)

    return statistics.median(repeat(work, repeats))


def compare_runs(old: dict[str, Any], new: dict[str, Any]) -> str:
    """Each row of ``new`` beside the same row of ``old``: both medians, their ratio,
    and the ratio with each divided by its machine's calibration figure."""
    before = {row["key"]: row for row in old.get("rows", [])}
    scale = (new.get("calibration") or 1.0) / (old.get("calibration") or 1.0)
    lines = [
        f"compared with an earlier run (calibration {old.get('calibration') or '?'} s "
        f"→ {new.get('calibration'):.3f} s: this machine is ×{scale:.2f} as slow)",
        f"{'measurement':<62} {'was':>10} {'now':>10} {'ratio':>7} {'adjusted':>9}",
    ]
    for row in new["rows"]:
        was = before.get(row["key"])
        # the figure a row is judged on (from launch where its target is); older runs'
        # files have only the median
        now = row.get("judged", row.get("median"))
        then = None if was is None else was.get("judged", was.get("median"))
        if now is None or not then:
            continue
        ratio = now / then
        lines.append(
            f"{row['measurement'][:62]:<62} {then:>10.4g} {now:>10.4g} "
            f"{ratio:>6.2f}× {ratio / scale:>8.2f}×"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
