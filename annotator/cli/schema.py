"""``annotator schema``: print (or write) the JSON Schema of ``annotator.json``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def add(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    command = sub.add_parser("schema", help="print the JSON Schema of annotator.json")
    command.add_argument("--output", "-o", type=Path)


def run(parser: argparse.ArgumentParser, opts: argparse.Namespace) -> int:
    return _schema(opts.output)


def _schema(output: Path | None) -> int:
    from annotator.io.schema import project_schema

    text = project_schema()
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text, encoding="utf-8")
    return 0
