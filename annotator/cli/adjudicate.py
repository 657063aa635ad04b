"""``annotator adjudicate``: the disagreements between annotators and each item's
outcome; ``--accept-agreed`` puts what all agree on into gold (holding the lock)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from annotator.cli.common import (
    add_report_output,
    apply_or_say,
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
    add_report_output(command)


def run(parser: argparse.ArgumentParser, opts: argparse.Namespace) -> int:
    if opts.accept_agreed:
        return while_locked(opts.path, lambda: _adjudicate(opts))
    return _adjudicate(opts)


def _adjudicate(opts: argparse.Namespace) -> int:
    from annotator.core.adjudication import accept_agreed
    from annotator.core.commands import EditError
    from annotator.io.save import save_project
    from annotator.ops import adjudicating

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
            if not apply_or_say(project, batch):
                return 1
            save_project(project)
        print(f"{batch.description} (into the gold layer)", file=sys.stderr)
    text = adjudicating.render(
        adjudicating.report(project, layers), opts.format, raw_csv=opts.raw_csv
    )
    return print_or_write(text, opts.output, f"the adjudication of {', '.join(layers)}")
