"""``annotator import``: add spans, relations or suggestions from a file to a project
(a new or empty folder becomes one), holding the project's lock."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from annotator.cli.common import (
    checked_name,
    opened,
    while_locked,
)
from annotator.core.wording import count, plural


def add(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    command = sub.add_parser("import", help="add spans or suggestions from a file to a project")
    command.add_argument("path", type=Path, help="the project folder")
    command.add_argument(
        "file", type=Path, help="the file to import (a folder for brat, as export writes it)"
    )
    command.add_argument(
        "--format", "-f", default="jsonl", help="format name (see export --list-formats)"
    )
    command.add_argument(
        "--as",
        dest="as_",
        choices=("spans", "suggestions"),
        default="spans",
        help="spans keep the status in the file (accepted by default); suggestions are pending, "
        "for review",
    )
    command.add_argument("--origin", help="origin of the suggestions (default: the file name)")
    command.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="FROM=TO",
        help="rename a label of the file to one of the project (repeatable), e.g. PER=entity",
    )
    command.add_argument(
        "--add-labels",
        action="store_true",
        help="add labels the project does not have (default: report them)",
    )
    command.add_argument(
        "--annotator",
        metavar="NAME",
        help="the file is this annotator's work (a colleague's export): their spans and "
        "relations, told apart from everyone else's",
    )
    command.add_argument(
        "--keep-good",
        action="store_true",
        help="when some records have problems, import the good ones anyway (default: none)",
    )


def run(parser: argparse.ArgumentParser, opts: argparse.Namespace) -> int:
    return while_locked(opts.path, lambda: _import(parser, opts))


def _import(parser: argparse.ArgumentParser, opts: argparse.Namespace) -> int:  # noqa: C901
    """Long on purpose: each branch is one mistake in the arguments, said in its own words before
    the project is touched.
    """
    from annotator.formats.records import ImportOptions
    from annotator.io.save import save_project
    from annotator.ops import importing

    try:
        importing.reader_for(opts.format, opts.file)
    except ValueError as exc:
        print(f"annotator: {exc}", file=sys.stderr)
        return 2
    label_map = {}
    for item in opts.map:
        old, sep, new = item.partition("=")
        if not sep or not old or not new:
            print(f"annotator: --map wants FROM=TO, not {item!r}", file=sys.stderr)
            return 2
        label_map[old] = new
    from annotator.core.project import Project
    from annotator.io.paths import find_articles, project_file

    # A folder with a project file (even a broken one: opening says what is wrong) or
    # with articles is opened; a new or empty one becomes a project now. Hidden files
    # such as the lock this command holds do not make a folder non-empty.
    exists = project_file(opts.path).exists() or project_file(opts.path).is_symlink()
    if exists or (opts.path.is_dir() and find_articles(opts.path)):
        project = opened(opts.path)
        if project is None:
            return 1
    elif opts.path.exists() and not opts.path.is_dir():
        print(f"annotator: {opts.path} is a file, not a project folder", file=sys.stderr)
        return 2
    else:  # a new or empty folder: made when there is something to import into it
        project = Project(root=opts.path.resolve())
    options = ImportOptions(
        as_suggestions=opts.as_ == "suggestions",
        origin=opts.origin or opts.file.name,
        label_map=label_map,
        add_documents=True,
        add_labels=opts.add_labels,
        author=checked_name(parser, opts.annotator),
    )
    try:
        plan = importing.plan_file(project, opts.format, opts.file, options)
    except OSError as exc:
        print(f"annotator: {opts.file}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    for problem in plan.problems:
        print(problem, file=sys.stderr)
    for line in plan.already:  # not a problem: said, and not added again
        print(line, file=sys.stderr)
    kind = "suggestion" if options.as_suggestions else "span"
    if plan.problems and not opts.keep_good:
        good, kind = plan.span_count, kind
        if not plan.batch.changes:  # articles only: the good ones are documents
            good, kind = len(plan.new_documents), "article"
        print(
            f"annotator: {count(len(plan.problems), 'problem')}; nothing was imported "
            f"(--keep-good imports the {good} good {plural(good, kind)})",
            file=sys.stderr,
        )
        return 1
    if (
        plan.batch.changes
        or plan.new_documents
        or plan.new_labels
        or plan.new_relation_types
        or not project_file(project.root).exists()
    ):
        project.root.mkdir(parents=True, exist_ok=True)
        importing.apply_import(project, plan)
        save_project(project)
    print(importing.summary(plan, options))
    return 0
