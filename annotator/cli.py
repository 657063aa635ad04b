"""The ``annotator`` command: start the window, or run a subcommand without a display.

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
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from annotator import __version__

# pydantic looks for plugins through every installed package's entry points when the
# first model is built (40 ms of every command); Annotator uses none
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")

from annotator.core.wording import count, plural

if TYPE_CHECKING:
    from annotator.core.project import Project

SUBCOMMANDS = (
    "export",
    "import",
    "suggest",
    "compare",
    "agree",
    "adjudicate",
    "validate",
    "schema",
)


# An export lists at most this many of the spans it changed or left out (CoNLL of an
# overlapping corpus drops thousands); --verbose lists them all.
NOTES_SHOWN = 20


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
    annotator = _annotator(parser, opts.annotator)
    if opts.self_test:
        from annotator.ui.selftest import run_self_test

        return run_self_test()
    from annotator.ui.app import run_app  # Qt is imported only when a window is wanted

    if opts.team_example:
        from annotator.settings import team_example

        return run_app(team_example(), annotator=annotator)
    return run_app(opts.path, annotator=annotator)


def _annotator(parser: argparse.ArgumentParser, raw: str | None) -> str | None:
    """``--annotator NAME`` checked (argparse reports a bad one and exits)."""
    if raw is None:
        return None
    from annotator.core.annotators import clean_name

    try:
        return clean_name(raw)
    except ValueError as exc:
        parser.error(f"--annotator: {exc}")


def _run_subcommand(args: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="annotator")
    sub = parser.add_subparsers(dest="command", required=True)

    export = sub.add_parser("export", help="write the annotations in an exchange format")
    export.add_argument("path", nargs="?", type=Path, help="the project folder")
    export.add_argument("--format", "-f", default="jsonl", help="format name (see --list-formats)")
    export.add_argument("--output", "-o", type=Path, help="file to write")
    export.add_argument("--labels", help="comma-separated labels to export (default: all)")
    export.add_argument("--documents", help="comma-separated document ids (default: all)")
    export.add_argument(
        "--status",
        default="accepted",
        help="which spans by review status: accepted (default: spans people made and accepted "
        "suggestions), pending, rejected, all, or a comma-separated list",
    )
    export.add_argument("--authors", help="comma-separated annotators to export (default: all)")
    export.add_argument(
        "--layer",
        help="comma-separated layers to export: annotators' names, or gold (the adjudicated "
        "layer); default: all",
    )
    export.add_argument(
        "--scheme", choices=("iob2", "bilou"), default="iob2", help="conll: tag scheme"
    )
    export.add_argument(
        "--tokenizer",
        choices=("simple", "spacy"),
        default="simple",
        help="token formats (conll, prodigy, hf): the built-in tokenizer or spaCy's",
    )
    export.add_argument(
        "--split",
        metavar="TRAIN,DEV,TEST",
        help="split by document, e.g. 0.8,0.1,0.1: writes NAME.train/.dev/.test (or folders)",
    )
    export.add_argument("--seed", type=int, default=0, help="random seed of --split")
    export.add_argument(
        "--verbose",
        "-v",
        action="store_true",
        help=f"list every span the format had to change or leave out (default: the "
        f"first {NOTES_SHOWN}, then how many more; the last line counts them by kind)",
    )
    export.add_argument("--list-formats", action="store_true", help="list formats and exit")
    export.add_argument(
        "--raw-csv",
        action="store_true",
        help="csv: write every cell as it is (cells a spreadsheet would compute, starting "
        "with = + - @, are otherwise written with a leading ')",
    )

    imp = sub.add_parser("import", help="add spans or suggestions from a file to a project")
    imp.add_argument("path", type=Path, help="the project folder")
    imp.add_argument(
        "file", type=Path, help="the file to import (a folder for brat, as export writes it)"
    )
    imp.add_argument(
        "--format", "-f", default="jsonl", help="format name (see export --list-formats)"
    )
    imp.add_argument(
        "--as",
        dest="as_",
        choices=("spans", "suggestions"),
        default="spans",
        help="spans keep the status in the file (accepted by default); suggestions are pending, "
        "for review",
    )
    imp.add_argument("--origin", help="origin of the suggestions (default: the file name)")
    imp.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="FROM=TO",
        help="rename a label of the file to one of the project (repeatable), e.g. PER=entity",
    )
    imp.add_argument(
        "--add-labels",
        action="store_true",
        help="add labels the project does not have (default: report them)",
    )
    imp.add_argument(
        "--annotator",
        metavar="NAME",
        help="the file is this annotator's work (a colleague's export): their spans and "
        "relations, told apart from everyone else's",
    )
    imp.add_argument(
        "--keep-good",
        action="store_true",
        help="when some records have problems, import the good ones anyway (default: none)",
    )

    suggest = sub.add_parser("suggest", help="run an extractor and store pending suggestions")
    suggest.add_argument("path", nargs="?", type=Path, help="the project folder")
    suggest.add_argument(
        "--extractor",
        "-e",
        help="quotes, propagate, claims, spacy, align-entities, align-quotes, align-claims, "
        "or a plug-in",
    )
    suggest.add_argument("--documents", help="comma-separated document ids (default: all)")
    suggest.add_argument(
        "--fuzzy",
        type=float,
        metavar="SIMILARITY",
        help="propagate: also variant spellings at least this similar (0-1, e.g. 0.85)",
    )
    suggest.add_argument("--ignore-case", action="store_true", help="propagate: ignore case")
    suggest.add_argument(
        "--min-score", type=float, help="claims and align-*: lowest score to suggest"
    )
    suggest.add_argument("--model", help="spacy: model package name or path to a pipeline")
    suggest.add_argument("--list-extractors", action="store_true", help="list and exit")

    comp = sub.add_parser(
        "compare", help="the comparison of the outlets: coverage, unique items, contradictions"
    )
    comp.add_argument("path", type=Path, help="the project folder")
    comp.add_argument("--documents", help="comma-separated document ids, in column order")
    comp.add_argument("--labels", help="comma-separated labels (default: all)")
    comp.add_argument(
        "--format", "-f", choices=("md", "html", "csv", "json"), help="default: from -o, else md"
    )
    comp.add_argument("--output", "-o", type=Path, help="file to write (default: print)")
    comp.add_argument(
        "--filter",
        choices=("all", "everywhere", "one", "conflicts"),
        default="all",
        help="rows: all, in every outlet, only in one, contradictions and differences",
    )
    comp.add_argument(
        "--pending", action="store_true", help="count suggested spans and links not yet reviewed"
    )
    comp.add_argument(
        "--raw-csv",
        action="store_true",
        help="csv: write every cell as it is (cells a spreadsheet would compute, starting "
        "with = + - @, are otherwise written with a leading ')",
    )

    agree = sub.add_parser(
        "agree",
        help="agreement between annotators: span F1, κ, α, relations, links, clusters",
    )
    agree.add_argument(
        "paths",
        nargs="+",
        type=Path,
        help="a project folder, or two or more JSONL exports (the first is the reference)",
    )
    agree.add_argument("--annotators", help="comma-separated annotators (default: everyone)")
    agree.add_argument("--labels", help="comma-separated labels (default: all)")
    agree.add_argument("--documents", help="comma-separated document ids (default: all)")
    agree.add_argument("--format", "-f", choices=("table", "json", "csv"), default="table")
    agree.add_argument("--output", "-o", type=Path, help="file to write (default: print)")
    agree.add_argument(
        "--raw-csv",
        action="store_true",
        help="csv: write every cell as it is (cells a spreadsheet would compute, starting "
        "with = + - @, are otherwise written with a leading ')",
    )

    adj = sub.add_parser(
        "adjudicate",
        help="the disagreements between annotators and each item's outcome (unanimous, "
        "adjudicated, unresolved); --accept-agreed puts what all agree on into gold",
    )
    adj.add_argument("path", type=Path, help="the project folder")
    adj.add_argument("--annotators", help="comma-separated annotators (default: everyone)")
    adj.add_argument(
        "--accept-agreed",
        action="store_true",
        help="put everything all the annotators agree on into the gold layer, and save",
    )
    adj.add_argument("--format", "-f", choices=("table", "json", "csv"), default="table")
    adj.add_argument("--output", "-o", type=Path, help="file to write (default: print)")
    adj.add_argument(
        "--raw-csv",
        action="store_true",
        help="csv: write every cell as it is (cells a spreadsheet would compute, starting "
        "with = + - @, are otherwise written with a leading ')",
    )

    validate = sub.add_parser("validate", help="check a project and report problems")
    validate.add_argument("path", type=Path)

    schema = sub.add_parser("schema", help="print the JSON Schema of annotator.json")
    schema.add_argument("--output", "-o", type=Path)

    opts = parser.parse_args(args)
    if opts.command == "export":
        return _export(parser, opts)
    if opts.command == "import":
        return _while_locked(opts.path, lambda: _import(parser, opts))
    if opts.command == "suggest":
        if opts.path is None:
            return _suggest(parser, opts)
        return _while_locked(opts.path, lambda: _suggest(parser, opts))
    if opts.command == "compare":
        return _compare(opts)
    if opts.command == "agree":
        return _agree(opts)
    if opts.command == "adjudicate":
        if opts.accept_agreed:
            return _while_locked(opts.path, lambda: _adjudicate(opts))
        return _adjudicate(opts)
    if opts.command == "validate":
        return _validate(opts.path)
    return _schema(opts.output)


def _split(value: str | None) -> frozenset[str] | None:
    return None if value is None else frozenset(v.strip() for v in value.split(",") if v.strip())


def _export(parser: argparse.ArgumentParser, opts: argparse.Namespace) -> int:
    from annotator.formats import FORMATS, ExportOptions, statuses_from
    from annotator.ops import exporting

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
        statuses = statuses_from(opts.status)
    except ValueError as exc:
        parser.error(str(exc))
    project = _open(opts.path)
    if project is None:
        return 1
    options = ExportOptions(
        labels=_split(opts.labels),
        documents=_split(opts.documents),
        statuses=statuses,
        authors=_split(opts.authors),
        layers=_split(opts.layer),
        tokenizer=opts.tokenizer,
        scheme=opts.scheme,
        raw_csv=opts.raw_csv,
    )
    try:
        targets = exporting.targets(project, fmt, opts.output, options, opts.split or "", opts.seed)
    except ValueError as exc:
        parser.error(str(exc))
    try:
        for output, result in exporting.export(project, fmt, targets):
            shown = result.notes if opts.verbose else result.notes[:NOTES_SHOWN]
            for note in shown:
                print(note, file=sys.stderr)
            if len(shown) < len(result.notes):
                print(
                    f"… and {len(result.notes) - len(shown):,} more (--verbose shows them all)",
                    file=sys.stderr,
                )
            print(
                f"wrote {count(result.documents, 'document')}, {count(result.spans, 'span')} "
                f"to {output}{result.summary()}"
            )
    except (RuntimeError, ValueError, OSError) as exc:
        print(f"annotator: {exc}", file=sys.stderr)
        return 2
    return 0


def _while_locked(path: Path, change: Callable[[], int]) -> int:
    """Run a command that writes the project while holding its lock (see core.lock)."""
    from annotator.io.journal import journal_path
    from annotator.io.lock import ProjectLock, ProjectLocked

    root = (path.parent if path.is_file() else path).resolve()
    if not root.is_dir():
        return change()  # nothing to protect yet (import creates the project)
    try:
        lock, _note = ProjectLock.acquire(root, wait=LOCK_WAIT)
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


# seconds a writing command waits for another command's lock before giving up
LOCK_WAIT = 5.0


def _open(path: Path) -> Project | None:
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
    from annotator.core.annotators import known_names, spelled_as_known

    author = load_settings().author
    project.annotator = spelled_as_known(author, known_names(project)) if author else None
    return project


def _import(parser: argparse.ArgumentParser, opts: argparse.Namespace) -> int:
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
        project = _open(opts.path)
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
        author=_annotator(parser, opts.annotator),
    )
    try:
        plan = importing.plan_file(project, opts.format, opts.file, options)
    except OSError as exc:
        print(f"annotator: {opts.file}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    for problem in plan.problems:
        print(problem, file=sys.stderr)
    kind = "suggestion" if options.as_suggestions else "span"
    if plan.problems and not opts.keep_good:
        print(
            f"annotator: {count(len(plan.problems), 'problem')}; nothing was imported "
            f"(--keep-good imports the {plan.span_count} good {plural(plan.span_count, kind)})",
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


def _suggest(parser: argparse.ArgumentParser, opts: argparse.Namespace) -> int:
    from annotator import extract
    from annotator.core.history import History
    from annotator.io.save import save_project
    from annotator.ops import suggesting

    if opts.list_extractors:
        for name, description in extract.available().items():
            print(f"{name:12} {description}")
        return 0
    if opts.path is None or not opts.extractor:
        parser.error("suggest needs PATH and --extractor NAME")
    project = _open(opts.path)
    if project is None:
        return 1
    try:
        docs = suggesting.documents(project, _split(opts.documents))
    except ValueError as exc:
        print(f"annotator: {exc}", file=sys.stderr)
        return 2
    try:
        extractor = extract.load(
            opts.extractor,
            fuzzy=opts.fuzzy,
            ignore_case=opts.ignore_case or None,
            min_score=opts.min_score,
            model=opts.model,
        )
        found = suggesting.find(project, extractor, docs)
        suggested = suggesting.suggestions(found, extractor, project, opts.min_score or 0.0)
    except (extract.ExtractorUnavailable, ValueError) as exc:
        print(f"annotator: {exc}", file=sys.stderr)
        return 2
    for problem in suggested.problems:
        print(problem, file=sys.stderr)
    History(project).execute(suggested.batch)
    save_project(project)
    print(suggesting.summary(extractor, suggested, len(docs)))
    return 0


def _compare(opts: argparse.Namespace) -> int:
    from annotator.ops import comparing

    project = _open(opts.path)
    if project is None:
        return 1
    documents = None
    if opts.documents:
        documents = [d.strip() for d in opts.documents.split(",") if d.strip()]
    try:
        fmt = comparing.format_for(opts.output, opts.format) if opts.output else opts.format or "md"
        comp = comparing.comparison(project, documents, _split(opts.labels), opts.pending)
    except ValueError as exc:
        print(f"annotator: {exc}", file=sys.stderr)
        return 2
    comp.rows = comp.filtered(opts.filter)
    if opts.output is None:
        sys.stdout.write(comparing.render(comp, fmt, raw_csv=opts.raw_csv))
        return 0
    comparing.write(comp, fmt, opts.output, raw_csv=opts.raw_csv)
    print(f"{opts.output}: {comparing.summary(comp)}")
    return 0


def _ordered(value: str | None) -> list[str] | None:
    return None if value is None else [v.strip() for v in value.split(",") if v.strip()]


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
        project = _open(paths[0])
        if project is None:
            return 1
        source = project
    else:
        source = paths
    try:
        report = agreeing.agreement(
            source, _ordered(opts.annotators), _ordered(opts.labels), _ordered(opts.documents)
        )
    except agreeing.AgreementError as exc:
        print(f"annotator: {exc}", file=sys.stderr)
        return 2
    for problem in report["problems"]:
        print(problem, file=sys.stderr)
    text = agreeing.render(report, opts.format, raw_csv=opts.raw_csv)
    return _print_or_write(text, opts.output, f"the agreement of {', '.join(report['annotators'])}")


def _adjudicate(opts: argparse.Namespace) -> int:
    from annotator.core.adjudication import accept_agreed
    from annotator.core.commands import EditError
    from annotator.core.history import History
    from annotator.io.save import save_project
    from annotator.ops import adjudicating

    project = _open(opts.path)
    if project is None:
        return 1
    try:
        layers = adjudicating.chosen_layers(project, _ordered(opts.annotators))
    except EditError as exc:
        print(f"annotator: {exc}", file=sys.stderr)
        return 2
    if opts.accept_agreed:
        batch = accept_agreed(project, layers, by=project.annotator)
        if batch.changes:
            History(project).execute(batch)
            save_project(project)
        print(f"{batch.description} (into the gold layer)", file=sys.stderr)
    text = adjudicating.render(
        adjudicating.report(project, layers), opts.format, raw_csv=opts.raw_csv
    )
    return _print_or_write(text, opts.output, f"the adjudication of {', '.join(layers)}")


def _print_or_write(text: str, output: Path | None, what: str) -> int:
    """A report on stdout, or written atomically to ``output`` (and said so)."""
    if output is None:
        sys.stdout.write(text)
        return 0
    from annotator.io.atomic import atomic_write_text

    atomic_write_text(output, text)
    print(f"wrote {what} to {output}")
    return 0


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


def _schema(output: Path | None) -> int:
    from annotator.io.schema import project_schema

    text = project_schema()
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text, encoding="utf-8")
    return 0
