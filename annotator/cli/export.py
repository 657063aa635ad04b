"""``annotator export``: write the annotations in an exchange format (``--list-formats``)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from annotator.cli.common import (
    NOTES_SHOWN,
    add_raw_csv,
    opened,
    split,
)
from annotator.core.wording import count


def add(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    command = sub.add_parser("export", help="write the annotations in an exchange format")
    command.add_argument("path", nargs="?", type=Path, help="the project folder")
    command.add_argument("--format", "-f", default="jsonl", help="format name (see --list-formats)")
    command.add_argument("--output", "-o", type=Path, help="file to write")
    command.add_argument("--labels", help="comma-separated labels to export (default: all)")
    command.add_argument("--documents", help="comma-separated document ids (default: all)")
    command.add_argument(
        "--status",
        default="accepted",
        help="which spans by review status: accepted (default: spans people made and accepted "
        "suggestions), pending, rejected, all, or a comma-separated list",
    )
    command.add_argument(
        "--annotators",
        "--layer",  # the old names, kept: users' scripts pass them
        "--layers",
        "--authors",
        dest="annotators",
        help="comma-separated annotators whose work to export, or gold (the adjudicated "
        "layer); default: everyone's (--layer and --authors are the same option)",
    )
    command.add_argument(
        "--scheme", choices=("iob2", "bilou"), default="iob2", help="conll: tag scheme"
    )
    command.add_argument(
        "--tokenizer",
        choices=("simple", "spacy"),
        default="simple",
        help="token formats (conll, prodigy, hf): the built-in tokenizer or spaCy's",
    )
    command.add_argument(
        "--split",
        metavar="TRAIN,DEV,TEST",
        help="split by document, e.g. 0.8,0.1,0.1: writes NAME.train/.dev/.test (or folders)",
    )
    command.add_argument("--seed", type=int, default=0, help="random seed of --split")
    command.add_argument(
        "--verbose",
        "-v",
        action="store_true",
        help=f"list every span the format had to change or leave out (default: the "
        f"first {NOTES_SHOWN}, then how many more; the last line counts them by kind)",
    )
    command.add_argument(
        "--done-only",
        action="store_true",
        help="only documents marked done (by the annotators exported, gold: by an "
        "adjudicator; else by anyone)",
    )
    command.add_argument("--list-formats", action="store_true", help="list formats and exit")
    add_raw_csv(command)


def run(parser: argparse.ArgumentParser, opts: argparse.Namespace) -> int:
    return _export(parser, opts)


def _export(parser: argparse.ArgumentParser, opts: argparse.Namespace) -> int:  # noqa: C901
    """Long on purpose: each branch is one mistake in the arguments, said in its own words before
    any file is read.
    """
    from annotator.formats import FORMATS, ExportOptions, statuses_from
    from annotator.ops import exporting

    if opts.list_formats:
        for known in FORMATS.values():
            print(f"{known.name:12} {known.description}")
        return 0
    if opts.path is None or opts.output is None:
        parser.error("export needs PATH and --output FILE")
    fmt = FORMATS.get(opts.format)
    if fmt is not None and fmt.write is None:
        print(f"annotator: {fmt.name} is a format to import, not to export", file=sys.stderr)
        return 2
    if fmt is None:
        print(
            f"annotator: unknown format {opts.format!r}; known: {', '.join(FORMATS)}",
            file=sys.stderr,
        )
        return 2
    try:
        statuses = statuses_from(opts.status)
    except ValueError as exc:
        parser.error(str(exc))
    project = opened(opts.path)
    if project is None:
        return 1
    options = ExportOptions(
        labels=split(opts.labels),
        documents=split(opts.documents),
        statuses=statuses,
        layers=split(opts.annotators),
        tokenizer=opts.tokenizer,
        scheme=opts.scheme,
        raw_csv=opts.raw_csv,
    )
    if opts.done_only:
        options = exporting.done_only(project, options)
        if not options.documents:
            print("annotator: no document is marked done; nothing to export", file=sys.stderr)
            return 1
    unfinished = exporting.not_done_note(project, fmt, options)
    try:
        targets = exporting.targets(project, fmt, opts.output, options, opts.split or "", opts.seed)
    except ValueError as exc:
        parser.error(str(exc))
    try:
        for output, result in exporting.export(project, fmt, targets):
            shown = result.notes if opts.verbose else result.notes[:NOTES_SHOWN]
            for note in shown:
                print(note, file=sys.stderr)
            if len(shown) < len(result.notes):
                print(
                    f"… and {len(result.notes) - len(shown):,} more (--verbose shows them all)",
                    file=sys.stderr,
                )
            print(
                f"wrote {count(result.documents, 'document')}, {count(result.spans, 'span')} "
                f"to {output}{result.summary()}" + (f"; {unfinished}" if unfinished else "")
            )
    except (RuntimeError, ValueError, OSError) as exc:
        print(f"annotator: {exc}", file=sys.stderr)
        return 2
    return 0
