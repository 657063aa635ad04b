"""``annotator agree``: agreement between annotators, of a project or of exports."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from annotator.cli.common import add_report_output, opened, ordered, print_or_write

if TYPE_CHECKING:
    from annotator.core.project import Project


def add(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    command = sub.add_parser(
        "agree",
        help="agreement between annotators: span F1, κ, α, relations, links, clusters",
    )
    command.add_argument(
        "paths",
        nargs="+",
        type=Path,
        help="a project folder, or two or more JSONL exports (the first is the reference)",
    )
    command.add_argument("--annotators", help="comma-separated annotators (default: everyone)")
    command.add_argument("--labels", help="comma-separated labels (default: all)")
    command.add_argument(
        "--documents",
        help="comma-separated document ids (default: all; in a project whose documents "
        "were assigned, those every annotator compared was given)",
    )
    add_report_output(command)


def run(parser: argparse.ArgumentParser, opts: argparse.Namespace) -> int:
    return _agree(opts)


def _agree(opts: argparse.Namespace) -> int:
    from annotator.ops import agreeing

    paths: list[Path] = opts.paths
    source: Project | list[Path]
    if len(paths) == 1:
        if paths[0].is_file() and paths[0].suffix.lower() == ".jsonl":
            print(
                "annotator: agree needs two JSONL exports or more (or one project)", file=sys.stderr
            )
            return 2
        project = opened(paths[0])
        if project is None:
            return 1
        source = project
    else:
        source = paths
    try:
        report = agreeing.agreement(
            source, ordered(opts.annotators), ordered(opts.labels), ordered(opts.documents)
        )
    except agreeing.AgreementError as exc:
        print(f"annotator: {exc}", file=sys.stderr)
        return 2
    for problem in report["problems"]:
        print(problem, file=sys.stderr)
    text = agreeing.render(report, opts.format, raw_csv=opts.raw_csv)
    return print_or_write(text, opts.output, f"the agreement of {', '.join(report['annotators'])}")
