"""``annotator progress``: how far each annotator is (documents done, in progress, new;
active time; review decisions and how quick they were)."""

from __future__ import annotations

import argparse
from pathlib import Path

from annotator.cli.common import add_report_output, opened, print_or_write


def add(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    command = sub.add_parser(
        "progress",
        help="each annotator's documents done, in progress and new, time spent and review "
        "decisions (count, accept rate, share under a second)",
    )
    command.add_argument("path", type=Path, help="the project folder")
    add_report_output(command)


def run(parser: argparse.ArgumentParser, opts: argparse.Namespace) -> int:
    from annotator.ops import progress

    project = opened(opts.path)
    if project is None:
        return 1
    text = progress.render(progress.progress(project), opts.format, raw_csv=opts.raw_csv)
    return print_or_write(text, opts.output, "the progress report")
