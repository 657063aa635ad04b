"""``annotator compare``: the comparison of the outlets as Markdown, HTML, CSV or JSON."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from annotator.cli.common import (
    add_raw_csv,
    opened,
    split,
)


def add(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    command = sub.add_parser(
        "compare", help="the comparison of the outlets: coverage, unique items, contradictions"
    )
    command.add_argument("path", type=Path, help="the project folder")
    command.add_argument("--documents", help="comma-separated document ids, in column order")
    command.add_argument("--labels", help="comma-separated labels (default: all)")
    command.add_argument(
        "--format", "-f", choices=("md", "html", "csv", "json"), help="default: from -o, else md"
    )
    command.add_argument("--output", "-o", type=Path, help="file to write (default: print)")
    command.add_argument(
        "--filter",
        choices=("all", "everywhere", "one", "conflicts"),
        default="all",
        help="rows: all, in every outlet, only in one, contradictions and differences",
    )
    command.add_argument(
        "--pending", action="store_true", help="count suggested spans and links not yet reviewed"
    )
    add_raw_csv(command)


def run(parser: argparse.ArgumentParser, opts: argparse.Namespace) -> int:
    return _compare(opts)


def _compare(opts: argparse.Namespace) -> int:
    from annotator.ops import comparing

    project = opened(opts.path)
    if project is None:
        return 1
    documents = None
    if opts.documents:
        documents = [d.strip() for d in opts.documents.split(",") if d.strip()]
    labels = split(opts.labels)
    try:
        fmt = comparing.format_for(opts.output, opts.format) if opts.output else opts.format or "md"
        if opts.output is None:
            comp = comparing.chosen(project, documents, labels, opts.filter, opts.pending)
            sys.stdout.write(comparing.render(comp, fmt, raw_csv=opts.raw_csv))
            return 0
        comp = comparing.export(
            project,
            opts.output,
            fmt,
            documents=documents,
            labels=labels,
            which=opts.filter,
            pending=opts.pending,
            raw_csv=opts.raw_csv,
        )
    except ValueError as exc:
        print(f"annotator: {exc}", file=sys.stderr)
        return 2
    print(f"{opts.output}: {comparing.summary(comp)}")
    return 0
