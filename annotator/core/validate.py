"""``annotator validate``: check a project and list its problems in plain words."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from annotator.core.store import LoadReport, Problem, ProjectError, load_project, resolve_root


def validate_project(path: Path) -> list[Problem]:
    try:
        root = resolve_root(path)
        project, report = load_project(root)
    except ProjectError as exc:
        return [Problem("error", "cannot open the project", str(exc))]
    _check_labels([lb.name for lb in project.labels], [lb.key for lb in project.labels], report)
    return report.problems


def _check_labels(names: list[str], keys: list[str | None], report: LoadReport) -> None:
    for name, count in Counter(names).items():
        if count > 1:
            report.error("labels", f"the label {name!r} is defined {count} times")
    for key, count in Counter(k for k in keys if k).items():
        if count > 1:
            report.error("labels", f"the key {key!r} is given to {count} labels")
