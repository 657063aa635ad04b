"""The project file's definitions, read with salvage: its labels (a bad colour alone
does not cost a label; a label without a readable record leaves its spans a grey
stand-in), its relation types, and the names people gave clusters (put back on a
member still there). Each problem is reported with what was done about it."""

from __future__ import annotations

from pydantic import ValidationError

from annotator.core.models import (
    DEFAULT_LABELS,
    DEFAULT_RELATION_TYPES,
    PROJECT_FILE_NAME,
    ClusterRecord,
    Label,
    RelationType,
)
from annotator.core.project import Project
from annotator.io.report import LoadReport, _brief

UNKNOWN_LABEL_COLOR = "#9e9e9e"


def read_labels(raw: object, report: LoadReport) -> list[Label]:
    if raw is None:
        return list(DEFAULT_LABELS)
    labels: list[Label] = []
    for index, item in enumerate(raw if isinstance(raw, list) else []):
        try:
            label = Label.model_validate(item)
        except ValidationError as exc:
            problem = _brief(exc)
            try:  # a bad colour alone should not cost the label its key and description
                label = Label.model_validate({**item, "color": UNKNOWN_LABEL_COLOR})
            except (ValidationError, TypeError):
                report.error(
                    PROJECT_FILE_NAME,
                    f"label {index + 1} cannot be read ({problem}); its spans get a grey stand-in",
                )
                continue
            report.warn(PROJECT_FILE_NAME, f"label {label.name!r}: {problem}; shown grey")
        if any(lb.name == label.name for lb in labels):
            report.warn(
                PROJECT_FILE_NAME,
                f"the label {label.name!r} is defined twice; the first one counts",
            )
            continue
        labels.append(label)
    return labels


def read_relation_types(raw: object, report: LoadReport) -> list[RelationType]:
    if raw is None:
        return list(DEFAULT_RELATION_TYPES)
    kinds: list[RelationType] = []
    for index, item in enumerate(raw if isinstance(raw, list) else []):
        try:
            kind = RelationType.model_validate(item)
        except ValidationError as exc:
            report.error(
                PROJECT_FILE_NAME,
                f"relation type {index + 1} cannot be read ({_brief(exc)}); "
                "its relations get a grey stand-in",
            )
            continue
        if any(k.name == kind.name for k in kinds):
            report.warn(
                PROJECT_FILE_NAME,
                f"the relation type {kind.name!r} is defined twice; the first one counts",
            )
            continue
        kinds.append(kind)
    return kinds


def read_cluster_names(project: Project, raw: object, report: LoadReport) -> None:
    """The names people gave clusters, put back on a member that is still there."""
    for index, item in enumerate(raw if isinstance(raw, list) else []):
        try:
            record = ClusterRecord.model_validate(item)
        except ValidationError as exc:
            report.warn(PROJECT_FILE_NAME, f"cluster {index + 1} cannot be read ({_brief(exc)})")
            continue
        if not record.named:
            continue
        head = next((m.key for m in record.members if project.span_of(m.key) is not None), None)
        if head is None:
            report.warn(
                PROJECT_FILE_NAME,
                f"cluster {record.id} ({record.name!r}) has no member left; its name is dropped",
            )
            continue
        project.cluster_names[head] = record.name
