"""``annotator adjudicate``: the disagreements between annotators and each item's
outcome; ``--accept-agreed`` puts what all agree on into gold (holding the lock)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from annotator.cli.common import (
    RAW_CSV_HELP,
    opened,
    ordered,
    print_or_write,
    while_locked,
)


def add(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    command = sub.add_parser(
        "adjudicate",
        help="the disagreements between annotators and each item's outcome (unanimous, "
        "adjudicated, unresolved); --accept-agreed puts what all agree on into gold",
    )
    command.add_argument("path", type=Path, help="the project folder")
    command.add_argument("--annotators", help="comma-separated annotators (default: everyone)")
    command.add_argument(
        "--accept-agreed",
        action="store_true",
        help="put everything all the annotators agree on into the gold layer, and save",
    )
    command.add_argument("--format", "-f", choices=("table", "json", "csv"), default="table")
    command.add_argument("--output", "-o", type=Path, help="file to write (default: print)")
    command.add_argument(
        "--raw-csv",
        action="store_true",
        help=RAW_CSV_HELP,
    )


def run(parser: argparse.ArgumentParser, opts: argparse.Namespace) -> int:
    if opts.accept_agreed:
        return while_locked(opts.path, lambda: _adjudicate(opts))
    return _adjudicate(opts)


def _adjudicate(opts: argparse.Namespace) -> int:
    from annotator.core.adjudication import accept_agreed
    from annotator.core.commands import EditError
    from annotator.io.save import save_project
    from annotator.ops import adjudicating, editing

    project = opened(opts.path)
    if project is None:
        return 1
    try:
        layers = adjudicating.chosen_layers(project, ordered(opts.annotators))
    except EditError as exc:
        print(f"annotator: {exc}", file=sys.stderr)
        return 2
    if opts.accept_agreed:
        batch = accept_agreed(project, layers, by=project.annotator)
        if batch.changes:
            try:
                editing.apply(project, batch)
            except EditError as exc:  # refused by the check every edit passes
                print(f"annotator: {exc}", file=sys.stderr)
                return 1
            save_project(project)
        print(f"{batch.description} (into the gold layer)", file=sys.stderr)
    text = adjudicating.render(
        adjudicating.report(project, layers), opts.format, raw_csv=opts.raw_csv
    )
    return print_or_write(text, opts.output, f"the adjudication of {', '.join(layers)}")
