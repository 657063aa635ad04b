"""Prodigy-style JSONL: ``text``, ``tokens`` and ``spans`` with token indices.

A span is ``{"start", "end", "label", "token_start", "token_end"}`` with character
offsets in code points and ``token_end`` **inclusive**, as Prodigy writes them.
Tokens are ``{"text", "start", "end", "id", "ws"}`` from the chosen tokenizer
(``--tokenizer simple|spacy``), split at span edges. Overlapping spans are kept
(Prodigy's spans.manual allows them). ``meta`` carries the document id and title.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from annotator.formats import jsonl
from annotator.formats.records import ImportedDocument, RecordProblem
from annotator.formats.tokens import edges, moved, token_range, tokenize
from annotator.io.atomic import atomic_writer

if TYPE_CHECKING:
    from annotator.core.project import Project
    from annotator.formats import ExportOptions, ExportResult


def write(project: Project, output: Path, options: ExportOptions) -> ExportResult:
    from annotator.formats import MOVED, ExportResult

    result = ExportResult()
    with atomic_writer(output) as handle:
        for doc in options.documents_of(project):
            spans = options.spans(doc)
            text = doc.text  # once: the property checks the cache on every call
            tokens = tokenize(text, spans, options.tokenizer)
            starts, ends = edges(tokens)
            token_records = [
                {
                    "text": text[a:b],
                    "start": a,
                    "end": b,
                    "id": i,
                    "ws": i + 1 < len(tokens) and tokens[i + 1][0] > b,
                }
                for i, (a, b) in enumerate(tokens)
            ]
            span_records: list[dict[str, Any]] = []
            for s in spans:
                first, last = token_range(s, starts, ends, tokens)
                if moved(s, first, last, tokens):
                    result.note(MOVED, f"{doc.id}: span {s.id} {MOVED} in token_start/token_end")
                record: dict[str, Any] = {"start": s.start, "end": s.end, "label": s.label}
                if first is not None:
                    record.update(token_start=first, token_end=last)
                if s.is_suggestion:
                    record.update(answer=s.status, origin=s.origin, score=s.score)
                span_records.append(record)
            line = {
                "text": text,
                "tokens": token_records,
                "spans": span_records,
                "meta": {"id": doc.id, "title": doc.title, "source": doc.source},
                "answer": "accept",
            }
            handle.write(jsonl.json_line(line))
            result.documents += 1
            result.spans += len(span_records)
    return result


def read(path: Path) -> Iterator[ImportedDocument | RecordProblem]:
    """Prodigy records read like our JSONL (``start``/``end``/``label`` per span)."""
    for record in jsonl.read(path):
        if isinstance(record, ImportedDocument | RecordProblem):
            yield record
