"""The ``annotator`` command: start the window, or run a subcommand without a display.

annotator [PATH]                                   open the window
annotator --version
annotator export PATH --format jsonl --output FILE
annotator export --list-formats
annotator validate PATH
annotator schema [--output FILE]                   print the project file's JSON Schema
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from annotator import __version__

SUBCOMMANDS = ("export", "validate", "schema")


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] in SUBCOMMANDS:
        return _run_subcommand(args)
    parser = argparse.ArgumentParser(
        prog="annotator",
        description="Annotate articles side by side. Subcommands: "
        + ", ".join(SUBCOMMANDS)
        + " (annotator SUBCOMMAND --help).",
    )
    parser.add_argument("path", nargs="?", type=Path, help="a project, or a folder of .txt/.md")
    parser.add_argument("--version", action="version", version=f"annotator {__version__}")
    parser.add_argument(
        "--self-test",
        action="store_true",
        help="open a copy of the sample, tag, save and reopen it through the window; "
        "exit status 0 if all of that worked",
    )
    opts = parser.parse_args(args)
    if opts.self_test:
        from annotator.ui.selftest import run_self_test

        return run_self_test()
    from annotator.ui.app import run_app  # Qt is imported only when a window is wanted

    return run_app(opts.path)


def _run_subcommand(args: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="annotator")
    sub = parser.add_subparsers(dest="command", required=True)

    export = sub.add_parser("export", help="write the annotations in an exchange format")
    export.add_argument("path", nargs="?", type=Path, help="the project folder")
    export.add_argument("--format", "-f", default="jsonl", help="format name (see --list-formats)")
    export.add_argument("--output", "-o", type=Path, help="file to write")
    export.add_argument("--labels", help="comma-separated labels to export (default: all)")
    export.add_argument("--documents", help="comma-separated document ids (default: all)")
    export.add_argument("--list-formats", action="store_true", help="list formats and exit")

    validate = sub.add_parser("validate", help="check a project and report problems")
    validate.add_argument("path", type=Path)

    schema = sub.add_parser("schema", help="print the JSON Schema of annotator.json")
    schema.add_argument("--output", "-o", type=Path)

    opts = parser.parse_args(args)
    if opts.command == "export":
        return _export(parser, opts)
    if opts.command == "validate":
        return _validate(opts.path)
    return _schema(opts.output)


def _split(value: str | None) -> frozenset[str] | None:
    return None if value is None else frozenset(v.strip() for v in value.split(",") if v.strip())


def _export(parser: argparse.ArgumentParser, opts: argparse.Namespace) -> int:
    from annotator.core.store import ProjectError, open_project
    from annotator.formats import FORMATS, ExportOptions

    if opts.list_formats:
        for known in FORMATS.values():
            print(f"{known.name:12} {known.description}")
        return 0
    if opts.path is None or opts.output is None:
        parser.error("export needs PATH and --output FILE")
    fmt = FORMATS.get(opts.format)
    if fmt is None:
        print(
            f"annotator: unknown format {opts.format!r}; known: {', '.join(FORMATS)}",
            file=sys.stderr,
        )
        return 2
    try:
        project, report = open_project(opts.path)
    except ProjectError as exc:
        print(f"annotator: {exc}", file=sys.stderr)
        return 1
    for problem in report.problems:
        print(problem, file=sys.stderr)
    options = ExportOptions(labels=_split(opts.labels), documents=_split(opts.documents))
    count = fmt.write(project, opts.output, options)
    print(f"wrote {count} documents to {opts.output}")
    return 0


def _validate(path: Path) -> int:
    from annotator.core.validate import validate_project

    problems = validate_project(path)
    for problem in problems:
        print(problem)
    errors = sum(p.severity == "error" for p in problems)
    if not problems:
        print(f"{path}: no problems found")
    else:
        print(f"{path}: {errors} errors, {len(problems) - errors} warnings")
    return 1 if errors else 0


def _schema(output: Path | None) -> int:
    from annotator.core.models import ProjectFile

    text = json.dumps(ProjectFile.model_json_schema(), indent=2, ensure_ascii=False) + "\n"
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text, encoding="utf-8")
    return 0
