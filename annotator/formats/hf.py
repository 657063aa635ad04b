"""Hugging Face ``datasets``: a folder of Parquet files with the features shipped.

``OUT/train.parquet`` (and ``validation``/``test`` with ``--split``) hold one row per
document: ``id``, ``text``, ``tokens``, ``ner_tags`` (a ``Sequence(ClassLabel)`` of
IOB2 tags) and ``spans`` (every span, overlapping ones too, in code points). The
features, label names included, are stored in the Parquet schema, so
``datasets.load_dataset("parquet", data_dir=OUT)`` restores the ClassLabel names;
``OUT/label_names.json`` lists them as well. Needs the ``hf`` extra.
Rows are written in batches, so memory does not grow with the corpus.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from annotator.formats.tokens import (
    TokenizerUnavailable,
    edges,
    moved,
    non_overlapping,
    tags,
    token_range,
    tokenize,
)
from annotator.install import install_hint
from annotator.io.atomic import atomic_write_text

if TYPE_CHECKING:
    from annotator.core.project import Project
    from annotator.formats import ExportOptions, ExportResult

BATCH = 256


def tag_names(labels: list[str]) -> list[str]:
    return ["O", *[f"{p}-{label}" for label in labels for p in ("B", "I")]]


def features(names: list[str]) -> Any:
    try:
        from datasets import ClassLabel, Features, Sequence, Value
    except ImportError as exc:
        raise TokenizerUnavailable(install_hint("hf", "the hf format needs datasets")) from exc
    return Features(
        {
            "id": Value("string"),
            "text": Value("string"),
            "tokens": Sequence(Value("string")),
            "ner_tags": Sequence(ClassLabel(names=names)),
            "spans": [
                {
                    "start": Value("int64"),
                    "end": Value("int64"),
                    "label": Value("string"),
                    "text": Value("string"),
                    "status": Value("string"),
                }
            ],
        }
    )


def write(project: Project, output: Path, options: ExportOptions) -> ExportResult:
    labels = [
        lb.name for lb in project.labels if options.labels is None or lb.name in options.labels
    ]
    names = tag_names(labels)
    feats = features(names)  # first: says how to install datasets when it is missing
    import pyarrow as pa
    import pyarrow.parquet as pq

    from annotator.formats import ExportResult

    schema = feats.arrow_schema
    index = {name: i for i, name in enumerate(names)}
    output.mkdir(parents=True, exist_ok=True)
    result = ExportResult()
    target = output / "train.parquet"
    tmp = target.with_name(".train.parquet.tmp")
    with pq.ParquetWriter(tmp, schema) as writer:
        for rows in _batches(project, options, index, result):
            writer.write_table(pa.Table.from_pylist(rows, schema=schema))
    tmp.replace(target)
    atomic_write_text(output / "label_names.json", json.dumps(names, indent=2) + "\n")
    return result


def _batches(
    project: Project, options: ExportOptions, index: dict[str, int], result: ExportResult
) -> Iterator[list[dict[str, Any]]]:
    from annotator.formats import MOVED, SPANS_ONLY

    rows: list[dict[str, Any]] = []
    for doc in options.documents_of(project):
        spans = options.spans(doc)
        kept, dropped = non_overlapping(spans)
        for span in dropped:
            result.note(SPANS_ONLY, f"{doc.id}: span {span.id} is in the spans column only")
        tokens = tokenize(doc.text, kept, options.tokenizer)
        by_edge = edges(tokens)
        for span in kept:
            if moved(span, *token_range(span, *by_edge, tokens), tokens):
                result.note(MOVED, f"{doc.id}: span {span.id} {MOVED} in ner_tags")
        tag_list = tags(tokens, kept, "iob2", by_edge)
        rows.append(
            {
                "id": doc.id,
                "text": doc.text,
                "tokens": [doc.text[a:b] for a, b in tokens],
                "ner_tags": [index[t] for t in tag_list],
                "spans": [
                    {
                        "start": s.start,
                        "end": s.end,
                        "label": s.label,
                        "text": s.text,
                        "status": s.status,
                    }
                    for s in spans
                ],
            }
        )
        result.documents += 1
        result.spans += len(spans)
        if len(rows) >= BATCH:
            yield rows
            rows = []
    if rows:
        yield rows
