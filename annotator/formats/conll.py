"""CoNLL-2003-style token files: ``token TAG`` lines, IOB2 or BILOU tags.

Each document starts with the line ``-DOCSTART- -X- O O`` and a blank line, as the
CoNLL-2003 shared task and spaCy's converter (``python -m spacy convert FILE OUT -c
ner``) expect; sentences are separated by a blank line (a sentence never ends inside
a span); columns are separated by a space, the tag last (tokens never hold white
space). The format has no place for document ids: reading matches a document to the
project's by its tokens. One tag per token leaves no room for overlaps: overlapping spans
are resolved by :func:`annotator.formats.tokens.non_overlapping` (names before claims
and quotes, then the longest) and the spans left out are counted by label, with the
``--labels`` flag that exports them, as is every span whose edges had to move to token
edges. Reading also takes the files of earlier versions (``# id = DOC`` comments,
tab-separated), and makes a new document of the tokens joined by spaces, one
sentence a line, where the project has none that matches.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from annotator.core.wording import quoted
from annotator.extract.sentences import sentences
from annotator.formats.records import ImportedDocument, ImportedSpan, RecordProblem
from annotator.formats.tokens import (
    Positions,
    Token,
    covered,
    edges,
    moved,
    non_overlapping,
    spans_from_tags,
    strictly_inside,
    tags,
    token_range,
    tokenize,
)
from annotator.io.atomic import atomic_writer

if TYPE_CHECKING:
    from annotator.core.project import Project
    from annotator.formats import ExportOptions, ExportResult

_TAG = re.compile(r"^(?:O|[BIELUS]-\S+)$")
_TOKEN_LINE = re.compile(r"^\S+\s+(?:\S+\s+)*(?:O|[BIELUS]-\S+)$")
DOCSTART = "-DOCSTART- -X- O O"  # spaCy's converter splits documents at exactly this line


def sentence_breaks(text: str, spans_: list[tuple[int, int]]) -> list[int]:
    """Positions where a sentence ends and no span runs across."""
    union = covered(spans_)
    return [end for _start, end in sentences(text) if not strictly_inside(end, union)]


def write(project: Project, output: Path, options: ExportOptions) -> ExportResult:
    from annotator.formats import MOVED, ExportResult, dropped

    result = ExportResult()
    with atomic_writer(output) as handle:
        for doc in options.documents_of(project):
            kept, left_out = non_overlapping(options.spans(doc))
            for span in left_out:
                result.note(
                    dropped(span.label),
                    f"{doc.id}: left out {span.label} {quoted(span.text)} "
                    f"({span.start}-{span.end}): it overlaps a span kept in its place "
                    "(one tag per token)",
                )
            text = doc.text
            tokens = tokenize(text, kept, options.tokenizer)
            index = edges(tokens)
            for span in kept:
                if moved(span, *token_range(span, *index, tokens), tokens):
                    result.note(MOVED, f"{doc.id}: span {span.id} {MOVED}")
            tag_list = tags(tokens, kept, options.scheme, index)
            breaks = sentence_breaks(text, [(s.start, s.end) for s in kept])
            handle.write(_document_text(text, tokens, tag_list, breaks, index[1]).encode("utf-8"))
            result.documents += 1
            result.spans += len(kept)
    return result


def _document_text(
    text: str, tokens: list[Token], tag_list: list[str], breaks: list[int], by_end: Positions
) -> str:
    """A document's lines: the start line, a blank line, then ``token TAG`` lines with
    a blank line after each sentence (at ``breaks``) and after the last."""
    rows = [text[a:b] + " " + tag for (a, b), tag in zip(tokens, tag_list, strict=True)]
    sentences: list[str] = []
    done = 0
    for end in sorted({by_end[b] + 1 for b in breaks if b in by_end}):
        sentences.append("\n".join(rows[done:end]))
        done = end
    if done < len(rows):
        sentences.append("\n".join(rows[done:]))
    body = "\n\n".join(sentences) + "\n\n" if rows else ""
    return DOCSTART + "\n\n" + body


def read(path: Path) -> Iterator[ImportedDocument | RecordProblem]:
    """Documents of a CoNLL file; the text is rebuilt from the tokens (see the module doc)."""
    doc_id: str | None = None
    start_line = 1
    rows: list[tuple[str, str]] = []
    sentence_ends: list[int] = []
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            try:
                line = raw.decode("utf-8-sig" if number == 1 else "utf-8").rstrip("\r\n")
            except UnicodeDecodeError as exc:
                yield RecordProblem(f"{path.name}, line {number}", f"not UTF-8 (byte {exc.start})")
                continue
            if line.startswith(("# id = ", "-DOCSTART-")):
                if rows:
                    yield _document(path, start_line, doc_id, rows, sentence_ends)
                doc_id = line[7:].strip() if line.startswith("#") else None
                start_line, rows, sentence_ends = number, [], []
                continue
            if line.startswith("#") and not _TOKEN_LINE.match(line):
                continue  # a comment; "# O" is the token "#"
            if not line.strip():
                if rows:
                    sentence_ends.append(len(rows))
                continue
            parts = line.split("\t") if "\t" in line else line.split()
            if len(parts) < 2 or not _TAG.match(parts[-1]):
                yield RecordProblem(
                    f"{path.name}, line {number}",
                    "expected a token and a tag (O, or B-, I-, E-, L-, S- or U- and a label)",
                )
                continue
            rows.append((parts[0], parts[-1]))
    if rows:
        yield _document(path, start_line, doc_id, rows, sentence_ends)


def _document(
    path: Path, line: int, doc_id: str | None, rows: list[tuple[str, str]], ends: list[int]
) -> ImportedDocument:
    pieces: list[str] = []
    tokens: list[Token] = []
    pos = 0
    end_set = set(ends)
    for i, (word, _tag) in enumerate(rows):
        if i:
            sep = "\n" if i in end_set else " "
            pieces.append(sep)
            pos += 1
        tokens.append((pos, pos + len(word)))
        pieces.append(word)
        pos += len(word)
    text = "".join(pieces)
    spans = tuple(
        ImportedSpan(a, b, label, text[a:b])
        for a, b, label in spans_from_tags(tokens, [t for _w, t in rows])
    )
    return ImportedDocument(
        where=f"{path.name}, line {line}",
        text=text,
        id=doc_id,
        spans=spans,
        tokens=tuple(w for w, _t in rows),
    )
