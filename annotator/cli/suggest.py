"""``annotator suggest``: run an extractor or aligner and store its pending
suggestions (``--list-extractors``), holding the project's lock."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from annotator.cli.common import (
    apply_or_say,
    opened,
    split,
    while_locked,
)


def add(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    command = sub.add_parser("suggest", help="run an extractor and store pending suggestions")
    command.add_argument("path", nargs="?", type=Path, help="the project folder")
    command.add_argument(
        "--extractor",
        "-e",
        help="quotes, propagate, claims, spacy, align-entities, align-quotes, align-claims, "
        "or a plug-in",
    )
    command.add_argument("--documents", help="comma-separated document ids (default: all)")
    command.add_argument(
        "--fuzzy",
        type=float,
        metavar="SIMILARITY",
        help="propagate: also variant spellings at least this similar (0-1, e.g. 0.85)",
    )
    command.add_argument("--ignore-case", action="store_true", help="propagate: ignore case")
    command.add_argument(
        "--min-score", type=float, help="claims and align-*: lowest score to suggest"
    )
    command.add_argument("--model", help="spacy: model package name or path to a pipeline")
    command.add_argument("--list-extractors", action="store_true", help="list and exit")


def run(parser: argparse.ArgumentParser, opts: argparse.Namespace) -> int:
    if opts.path is None:
        return _suggest(parser, opts)
    return while_locked(opts.path, lambda: _suggest(parser, opts))


def _suggest(parser: argparse.ArgumentParser, opts: argparse.Namespace) -> int:
    from annotator import extract
    from annotator.io.save import save_project
    from annotator.ops import suggesting

    if opts.list_extractors:
        for name, description in extract.available().items():
            print(f"{name:12} {description}")
        return 0
    if opts.path is None or not opts.extractor:
        parser.error("suggest needs PATH and --extractor NAME")
    project = opened(opts.path)
    if project is None:
        return 1
    try:
        docs = suggesting.documents(project, split(opts.documents))
    except ValueError as exc:
        print(f"annotator: {exc}", file=sys.stderr)
        return 2
    try:
        extractor = extract.load(
            opts.extractor,
            fuzzy=opts.fuzzy,
            ignore_case=opts.ignore_case or None,
            min_score=opts.min_score,
            model=opts.model,
        )
        found = suggesting.find(project, extractor, docs)
        suggested = suggesting.suggestions(found, extractor, project, opts.min_score or 0.0)
    except (extract.ExtractorUnavailable, ValueError) as exc:
        print(f"annotator: {exc}", file=sys.stderr)
        return 2
    for problem in suggested.problems:
        print(problem, file=sys.stderr)
    if not apply_or_say(project, suggested.batch):
        return 1
    save_project(project)
    print(suggesting.summary(extractor, suggested, len(docs)))
    return 0
