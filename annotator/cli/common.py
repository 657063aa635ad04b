"""What the subcommands share: opening the project as the window's person, the lock
for commands that write, splitting comma lists, printing or writing a report."""

from __future__ import annotations

import argparse
import gc
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from annotator.core.commands import Command
    from annotator.core.project import Project

# An export lists at most this many of the spans it changed or left out (CoNLL of an
# overlapping corpus drops thousands); --verbose lists them all.
NOTES_SHOWN = 20

RAW_CSV_HELP = (
    "csv: write every cell as it is (cells a spreadsheet would compute, starting "
    "with = + - @, are otherwise written with a leading ')"
)


def add_raw_csv(command: argparse.ArgumentParser) -> None:
    """``--raw-csv``: CSV cells as they are, formulas not neutralised."""
    command.add_argument("--raw-csv", action="store_true", help=RAW_CSV_HELP)


def add_report_output(command: argparse.ArgumentParser) -> None:
    """A report's ``--format table|json|csv``, ``--output`` and ``--raw-csv``."""
    command.add_argument("--format", "-f", choices=("table", "json", "csv"), default="table")
    command.add_argument("--output", "-o", type=Path, help="file to write (default: print)")
    add_raw_csv(command)


def apply_or_say(project: Project, command: Command) -> bool:
    """Apply ``command`` with the check every edit passes (:mod:`annotator.ops.editing`);
    a refusal is said on stderr and leaves the project unchanged (False)."""
    from annotator.core.commands import EditError
    from annotator.ops import editing

    try:
        editing.apply(project, command)
    except EditError as exc:
        print(f"annotator: {exc}", file=sys.stderr)
        return False
    return True


def checked_name(parser: argparse.ArgumentParser, raw: str | None) -> str | None:
    """``--annotator NAME`` checked (argparse reports a bad one and exits)."""
    if raw is None:
        return None
    from annotator.core.annotators import clean_name

    try:
        return clean_name(raw)
    except ValueError as exc:
        parser.error(f"--annotator: {exc}")


def split(value: str | None) -> frozenset[str] | None:
    return None if value is None else frozenset(v.strip() for v in value.split(",") if v.strip())


def ordered(value: str | None) -> list[str] | None:
    return None if value is None else [v.strip() for v in value.split(",") if v.strip()]


def while_locked(path: Path, change: Callable[[], int]) -> int:
    """Run a command that writes the project while holding its lock (see core.lock)."""
    from annotator import cli  # LOCK_WAIT, read when the command runs
    from annotator.io.journal import journal_path
    from annotator.io.lock import ProjectLock, ProjectLocked

    root = (path.parent if path.is_file() else path).resolve()
    if not root.is_dir():
        return change()  # nothing to protect yet (import creates the project)
    try:
        lock, _note = ProjectLock.acquire(root, wait=cli.LOCK_WAIT)
    except ProjectLocked as exc:
        print(f"annotator: {exc}; close it there first", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"annotator: cannot lock {root}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    try:  # an error of the change itself is the change's, not the lock's
        if journal_path(root).exists():
            print(
                f"annotator: note: {journal_path(root).name} holds edits of a session that "
                "did not end cleanly; opening the project in Annotator offers them back",
                file=sys.stderr,
            )
        return change()
    finally:
        lock.release()


def opened(path: Path) -> Project | None:
    from annotator.io.load import open_project
    from annotator.io.report import ProjectError
    from annotator.settings import load_settings

    try:
        project, report = open_project(path)
    except ProjectError as exc:
        print(f"annotator: {exc}", file=sys.stderr)
        return None
    # the project lives until the command ends and holds no cycles: the collector's
    # passes need not walk it again (comparing 100,000 links: a second saved)
    gc.freeze()
    for problem in report.problems:
        print(problem, file=sys.stderr)
    # the same person as in the window: what this command saves goes to their layer
    from annotator.ops.opening import person

    project.annotator = person(project, load_settings())
    return project


def print_or_write(text: str, output: Path | None, what: str) -> int:
    """A report on stdout, or written atomically to ``output`` (and said so)."""
    if output is None:
        sys.stdout.write(text)
        return 0
    from annotator.io.atomic import atomic_write_text

    atomic_write_text(output, text)
    print(f"wrote {what} to {output}")
    return 0
