"""``annotator assign``: give each annotator a share of the documents, with an overlap
every pair shares (so that agreement can be measured on it)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from annotator.cli.common import apply_or_say, opened, ordered, while_locked


def add(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    command = sub.add_parser(
        "assign",
        help="give each annotator a share of the documents; --overlap of them go to everyone",
    )
    command.add_argument("path", type=Path, help="the project folder")
    command.add_argument(
        "--annotators", required=True, help="comma-separated annotator names (A,B,C)"
    )
    command.add_argument(
        "--overlap",
        type=float,
        default=0.0,
        help="the share of documents every annotator gets, 0 to 1 (default 0): agreement "
        "is measured on them",
    )
    command.add_argument("--seed", type=int, default=0, help="which documents (default 0)")


def run(parser: argparse.ArgumentParser, opts: argparse.Namespace) -> int:
    return while_locked(opts.path, lambda: _assign(opts))


def _assign(opts: argparse.Namespace) -> int:
    from annotator.io.save import save_project
    from annotator.ops import progress

    project = opened(opts.path)
    if project is None:
        return 1
    try:
        batch = progress.assign(project, ordered(opts.annotators) or [], opts.overlap, opts.seed)
    except ValueError as exc:
        print(f"annotator: {exc}", file=sys.stderr)
        return 2
    if batch.changes:
        if not apply_or_say(project, batch):
            return 1
        save_project(project)
    print(f"{opts.path}: {progress.assignment_summary(project)}")
    return 0
