"""Document status, time and review decisions in the files (see :mod:`annotator.core.work`).

``annotator.json`` holds ``"work"``: annotator → document id → record. In a project of
one person it holds everyone's; in a team project only the gold layer's (``gold``) and
that of nobody named, because each annotator's own is in their layer file
(``annotations/NAME.json``, its ``"work"``: document id → record), so that two people
marking documents done on two clones merge without a conflict.
"""

from __future__ import annotations

from typing import Any

from annotator.core.models import PROJECT_FILE_NAME
from annotator.core.names import GOLD, author_problem
from annotator.core.project import Project
from annotator.core.work import UNSIGNED, WorkRecord, read_work, work_json
from annotator.io.report import LoadReport

SHARED_ONLY = (GOLD, UNSIGNED)  # kept in the shared file even in a team project


def read_shared_work(project: Project, raw: object, report: LoadReport) -> None:
    """The shared file's ``"work"`` into the project; what cannot be read is reported
    (and kept, to be written back)."""
    if raw is None:
        return
    if not isinstance(raw, dict):
        report.error(PROJECT_FILE_NAME, "'work' is not an object; ignored")
        return
    for annotator, records in raw.items():
        problem = None if annotator in SHARED_ONLY else author_problem(str(annotator))
        if problem is not None:  # kept as it was, written back; never a layer's name
            project.work.kept[str(annotator)] = records if isinstance(records, dict) else {}
            report.error(PROJECT_FILE_NAME, f"the work of {annotator!r} is not read: {problem}")
            continue
        for message in read_work(project.work, str(annotator), records):
            report.error(PROJECT_FILE_NAME, message)


def read_layer_work(
    project: Project, name: str, raw: object, where: str, report: LoadReport
) -> None:
    """A layer file's ``"work"``: the records of its annotator."""
    for message in read_work(project.work, name, raw):
        report.warn(where, message)


def shared_work(project: Project, team: bool) -> dict[str, Any]:
    """What the shared file's ``"work"`` holds (see the module's docstring)."""
    order = [d.id for d in project.documents]
    out = {}
    read = set(project.work.annotators())
    for annotator in sorted({*read, *project.work.kept}):
        if team and annotator not in SHARED_ONLY and annotator in read:
            continue  # in the annotator's own layer file
        records = work_json(project.work, annotator, order)
        if records:
            out[annotator] = records
    return out


def layer_work(project: Project) -> dict[str, dict[str, WorkRecord]]:
    """Each annotator's records that go to their layer file (a team project)."""
    return {
        name: project.work.of(name) for name in project.work.annotators() if name not in SHARED_ONLY
    }
