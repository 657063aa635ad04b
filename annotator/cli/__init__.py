"""The ``annotator`` command: start the window, or run a subcommand without a display.

One module a subcommand (``annotator/cli/export.py``, ``imports.py``, …), each with
``add(sub)`` (its arguments) and ``run(parser, opts)``; what they share is in
``common.py``. This module is the entry point: the window's options, and the table of
subcommands.

annotator [PATH]                                   open the window
annotator --version
annotator export PATH --format jsonl --output FILE [--status accepted|pending|rejected|all]
annotator export --list-formats
annotator import PATH FILE|FOLDER --format jsonl [--as suggestions] [--map FROM=TO] [--keep-good]
annotator suggest PATH --extractor quotes|propagate|claims|spacy|NAME [--documents IDS]
annotator suggest PATH --extractor align-entities|align-quotes|align-claims [--min-score X]
annotator suggest --list-extractors
annotator compare PATH [--documents ID,...] --format md|html|csv|json [-o FILE]
annotator agree PATH [--annotators A,B] [--labels L,...] [--format table|json|csv]
annotator agree A.jsonl B.jsonl [...] [--format json]   score exports (the first: reference)
annotator adjudicate PATH [--annotators A,B] [--accept-agreed] [--format table|json|csv]
annotator validate PATH
annotator schema [--output FILE]                   print the project file's JSON Schema
annotator progress PATH [--format table|json|csv]  each annotator's documents done, time
annotator assign PATH --annotators A,B,C [--overlap 0.2] [--seed N]
annotator export PATH ... --done-only              only documents marked done
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from annotator import __version__

# pydantic looks for plugins through every installed package's entry points when the
# first model is built (40 ms of every command); Annotator uses none
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")

from annotator.cli.common import NOTES_SHOWN as NOTES_SHOWN  # its home before
from annotator.cli.common import checked_name

SUBCOMMANDS = (
    "export",
    "import",
    "suggest",
    "compare",
    "agree",
    "adjudicate",
    "validate",
    "schema",
    "progress",
    "assign",
)


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] in SUBCOMMANDS:
        # A command runs once and ends: the cyclic collector's passes over the hundreds
        # of thousands of objects a large project makes (and makes no cycles among) cost
        # more than the work (comparing 100,000 links: 4 s of 7); its objects go when
        # the process does. Young garbage with cycles is still collected, rarely.
        gc.set_threshold(200_000, 50, 1_000)
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
    parser.add_argument(
        "--team-example",
        action="store_true",
        help="open a copy of the two-annotator example (the sample, tagged by Ann and Bob) "
        "to try Analysis ▸ Agreement and Adjudicate",
    )
    parser.add_argument(
        "--annotator",
        metavar="NAME",
        help="who is annotating: recorded on every span, relation, link and review decision "
        "(kept in the user settings)",
    )
    opts = parser.parse_args(args)
    annotator = checked_name(parser, opts.annotator)
    if opts.self_test:
        from annotator.ui.selftest import run_self_test

        return run_self_test()
    from annotator.ui.app import run_app  # Qt is imported only when a window is wanted

    if opts.team_example:
        from annotator.settings import team_example

        return run_app(team_example(), annotator=annotator)
    return run_app(opts.path, annotator=annotator)


# seconds a writing command waits for another command's lock before giving up
LOCK_WAIT = 5.0


def _run_subcommand(args: list[str]) -> int:
    from annotator.cli import (
        adjudicate,
        agree,
        assign,
        compare,
        export,
        imports,
        progress,
        schema,
        suggest,
        validate,
    )

    commands = {
        "export": export,
        "import": imports,
        "suggest": suggest,
        "compare": compare,
        "agree": agree,
        "adjudicate": adjudicate,
        "validate": validate,
        "schema": schema,
        "progress": progress,
        "assign": assign,
    }
    parser = argparse.ArgumentParser(prog="annotator")
    sub = parser.add_subparsers(dest="command", required=True)
    for module in commands.values():
        module.add(sub)
    opts = parser.parse_args(args)
    status: int = commands[opts.command].run(parser, opts)
    return status
