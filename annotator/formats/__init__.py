"""Exchange formats: one module per format, registered in :data:`FORMATS`.

A format has a ``write(project, output, options)`` and, where the format can carry
spans back, a ``read(path)`` yielding :mod:`annotator.formats.records`. All offsets
handed to or taken from a format are converted to code points in the format's
module, and nowhere else.
"""

from __future__ import annotations

import importlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from annotator.core.models import Span, layer_name
from annotator.core.project import Document, Project
from annotator.core.wording import count
from annotator.formats import jsonl
from annotator.formats.records import Record, RecordProblem

EXPORT_STATUSES = ("accepted", "pending", "rejected", "all")


@dataclass(frozen=True)
class ExportOptions:
    labels: frozenset[str] | None = None  # None: every label
    documents: frozenset[str] | None = None  # None: every document
    # Review statuses to export. The default keeps manual spans and accepted suggestions,
    # so unreviewed suggestions never reach a training set by accident.
    statuses: frozenset[str] = frozenset({"accepted"})
    authors: frozenset[str] | None = None  # None: every annotator
    # layers (annotators' names, or "gold" for the adjudicated layer); None: every one
    layers: frozenset[str] | None = None
    tokenizer: str = "simple"  # token formats: simple or spacy
    scheme: str = "iob2"  # conll: iob2 or bilou
    raw_csv: bool = False  # csv: cells as they are, formulas not neutralised

    def keeps(self, span: Span) -> bool:
        return (
            (self.labels is None or span.label in self.labels)
            and span.status in self.statuses
            and (self.authors is None or (span.author or "") in self.authors)
            and (self.layers is None or (layer_name(span) or "") in self.layers)
        )

    def spans(self, doc: Document) -> list[Span]:
        return [s for s in doc.spans() if self.keeps(s)]

    def documents_of(self, project: Project) -> Iterator[Document]:
        for doc in project.documents:
            if self.documents is None or doc.id in self.documents:
                yield doc


def statuses_from(value: str) -> frozenset[str]:
    """``accepted``, ``pending``, ``rejected``, ``all`` or a comma-separated list."""
    names = {v.strip() for v in value.split(",") if v.strip()}
    unknown = names - set(EXPORT_STATUSES)
    if unknown or not names:
        raise ValueError(
            f"unknown status {', '.join(sorted(unknown)) or value!r}; "
            f"use {'|'.join(EXPORT_STATUSES)}"
        )
    return frozenset({"accepted", "pending", "rejected"}) if "all" in names else frozenset(names)


# What an export had to change, counted in its summary line (each also has a note).
MOVED = "moved to token edges"
DROPPED = "left out (they overlap a longer span; one tag per token)"


def dropped(label: str) -> str:
    """How a one-tag-per-token export counts the spans of ``label`` it left out."""
    return (
        f"labelled {label} left out (they overlap spans kept in their place; one tag per token: "
        f"--labels {label} exports them)"
    )


SPANS_ONLY = "kept in the span list only (they overlap a longer span: not in the tags or ents)"


@dataclass
class ExportResult:
    documents: int = 0
    spans: int = 0
    notes: list[str] = field(default_factory=list)  # e.g. overlapping spans a token format dropped
    changed: Counter[str] = field(default_factory=Counter)  # spans changed, by kind
    relations: int = 0  # relations and links written
    links_left_out: Counter[str] = field(default_factory=Counter)  # links it cannot hold, why

    def note(self, kind: str, text: str) -> None:
        """One span the format could not carry as it is: counted and described."""
        self.changed[kind] += 1
        self.notes.append(text)

    def leave_out(self, why: str, text: str) -> None:
        """One relation or link the format cannot hold: counted and described."""
        self.links_left_out[why] += 1
        self.notes.append(text)

    def summary(self) -> str:
        """`` (2 spans moved to token edges)``, or nothing when no span was changed."""
        parts = [f"{count(n, 'span')} {k}" for k, n in self.changed.items()]
        parts += [f"{count(n, 'link')} {k}" for k, n in self.links_left_out.items()]
        return " (" + "; ".join(parts) + ")" if parts else ""


Reader = Callable[[Path], Iterable[Record]]
Writer = Callable[[Project, Path, ExportOptions], ExportResult]


@dataclass(frozen=True)
class Format:
    name: str
    description: str
    write: Writer | None  # None: a format Annotator reads only (web pages, PDFs)
    read: Reader | None = None
    folder: bool = False  # writes a folder rather than one file
    spans: bool = True  # carries spans (the plain-text format carries articles only)
    # one tag per token: a word no span covers is written as outside every entity (O),
    # a negative example; documents nobody finished should not be in it (--done-only)
    tokens: bool = False


def _lazy(module: str, attr: str) -> Callable[..., Any]:
    """A format function imported on first use, so optional libraries load only when needed."""

    def call(*args: Any) -> Any:
        return getattr(importlib.import_module(f"annotator.formats.{module}"), attr)(*args)

    call.__name__ = f"{module}.{attr}"
    return call


def guarded(name: str, reader: Reader) -> Reader:
    """``reader``, but a file of the wrong shape ends in a :class:`RecordProblem` naming
    the file, never in a traceback: each reader checks what it expects, and this
    catches what a hostile file gets past those checks (a list where an object was
    expected, bytes that are not UTF-8, nesting deeper than the interpreter's stack)."""

    def read(path: Path) -> Iterator[Record]:
        try:
            yield from reader(path)
        except UnicodeDecodeError as exc:
            yield RecordProblem(path.name, f"not UTF-8 text (byte {exc.start})")
        except RecursionError:
            yield RecordProblem(path.name, "nested too deeply to be read")
        except (ValueError, TypeError, KeyError, AttributeError, IndexError) as exc:
            reason = str(exc).strip("'\"") or type(exc).__name__
            reason = reason if len(reason) <= 120 else reason[:119] + "…"
            yield RecordProblem(path.name, f"not a {name} file that can be read ({reason})")

    read.__name__ = f"{name}.read"
    return read


def _format(
    name: str,
    description: str,
    *,
    read: bool = True,
    folder: bool = False,
    spans: bool = True,
    tokens: bool = False,
) -> Format:
    return Format(
        name,
        description,
        _lazy(name, "write"),
        guarded(name, _lazy(name, "read")) if read else None,
        folder,
        spans,
        tokens,
    )


def _article_format(name: str, reader: str, description: str) -> Format:
    """A kind of article Annotator reads and never writes (its text is extracted):
    ``reader`` is its function in :mod:`annotator.formats.articles`."""
    return Format(
        name, description, None, guarded(name, _lazy("articles", reader)), folder=True, spans=False
    )


FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format(
            "jsonl",
            "our JSONL: a document a line with text, spans (code points), status, meta",
            jsonl.write,
            guarded("jsonl", jsonl.read),
        ),
        _format(
            "spacy",
            "spaCy DocBin (.spacy): doc.spans['sc'] with overlaps, doc.ents without",
            tokens=True,
        ),
        _format(
            "prodigy",
            "Prodigy-style JSONL: text, tokens, spans with token_start/token_end",
            tokens=True,
        ),
        _format(
            "conll",
            "CoNLL-2003 token file, one IOB2 or BILOU tag per token (--scheme)",
            tokens=True,
        ),
        _format(
            "hf",
            "Hugging Face datasets folder: Parquet with tokens, ner_tags (ClassLabel), spans",
            read=False,
            folder=True,
            tokens=True,
        ),
        _format("brat", "brat standoff folder: .txt and .ann per document", folder=True),
        _format("labelstudio", "Label Studio JSON tasks with annotations and predictions"),
        _format("doccano", "doccano sequence-labeling JSONL (UTF-16 offsets, as doccano counts)"),
        _format("w3c", "W3C Web Annotation JSON-LD (TextQuoteSelector + TextPositionSelector)"),
        _format(
            "coref",
            "cross-document coreference folder: corpus.conll (CoNLL-2012 chains shared across "
            "documents) and clusters.json (mentions, as coreference scorers read them)",
            read=False,
            folder=True,
        ),
        _format(
            "csv", "CSV of spans: document, start, end, label, text, status, attributes", read=False
        ),
        Format(
            "text",
            "plain articles: .txt/.md files, a document each",
            _lazy("text", "write"),
            guarded("text", _lazy("articles", "read_text_files")),
            folder=True,
            spans=False,
        ),
        _article_format(
            "html",
            "read_pages",
            "saved web pages (.html, .mhtml): the article's main text, its outlet, date and "
            "address (import only)",
        ),
        _article_format(
            "pdf",
            "read_pdfs",
            "PDFs: the text layer in reading order, without running heads and page numbers "
            "(import only)",
        ),
    )
}
WRITABLE = {name: f for name, f in FORMATS.items() if f.write is not None}


SPLIT_NAMES = ("train", "dev", "test")


def split_documents(doc_ids: list[str], spec: str, seed: int) -> dict[str, frozenset[str]]:
    """Shuffle document ids with ``seed`` and cut them by the fractions in ``spec``."""
    import random

    try:
        fractions = [float(x) for x in spec.split(",")]
    except ValueError:
        raise ValueError(f"--split wants fractions like 0.8,0.1,0.1, not {spec!r}") from None
    if not 2 <= len(fractions) <= 3 or any(f < 0 for f in fractions) or not sum(fractions):
        raise ValueError(f"--split wants two or three fractions, not {spec!r}")
    total = sum(fractions)
    ids = sorted(doc_ids)
    random.Random(seed).shuffle(ids)
    out: dict[str, frozenset[str]] = {}
    start = 0
    for i, (name, frac) in enumerate(zip(SPLIT_NAMES, fractions, strict=False)):
        end = len(ids) if i == len(fractions) - 1 else start + round(len(ids) * frac / total)
        out[name] = frozenset(ids[start:end])
        start = end
    return out


def split_path(output: Path, part: str, folder: bool) -> Path:
    """``out.jsonl`` → ``out.train.jsonl``; a folder ``out`` → ``out/train``."""
    if folder:
        return output / part
    return output.with_name(f"{output.stem}.{part}{output.suffix}")
