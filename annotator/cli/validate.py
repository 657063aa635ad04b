"""``annotator validate``: check a project and report its problems."""

from __future__ import annotations

import argparse
from pathlib import Path

from annotator.core.wording import count


def add(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    command = sub.add_parser("validate", help="check a project and report problems")
    command.add_argument("path", type=Path)


def run(parser: argparse.ArgumentParser, opts: argparse.Namespace) -> int:
    return _validate(opts.path)


def _validate(path: Path) -> int:
    from annotator.io.validate import validate_project

    problems = validate_project(path)
    for problem in problems:
        print(problem)
    errors = sum(p.severity == "error" for p in problems)
    if not problems:
        print(f"{path}: no problems found")
    else:
        print(f"{path}: {count(errors, 'error')}, {count(len(problems) - errors, 'warning')}")
    return 1 if errors else 0
