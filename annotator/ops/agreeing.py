"""Agreement as one operation for the CLI and the window: from a project (its layers)
or from JSONL exports to the report and its rendering."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from annotator.agreement.layers import AgreementError, Corpus, from_exports, from_project
from annotator.agreement.render import render
from annotator.core.project import Project

FORMATS = ("table", "json", "csv")


def corpus_of(
    source: Project | Sequence[Path],
    annotators: Sequence[str] | None = None,
    labels: Sequence[str] | None = None,
    documents: Sequence[str] | None = None,
) -> Corpus:
    if isinstance(source, Project):
        if documents is None:  # given out with an overlap: agreement is measured on it
            documents = shared_documents(source, annotators) or None
        corpus = from_project(source, annotators, labels, documents)
    else:
        corpus = from_exports(list(source), annotators, labels, documents)
    if len(corpus.layers) < 2:
        found = ", ".join(corpus.names) or "nobody"
        raise AgreementError(f"agreement needs the work of two annotators or more; found {found}")
    return corpus


def shared_documents(project: Project, annotators: Sequence[str] | None) -> list[str]:
    """When documents were assigned (``annotator assign``): those given to every one of
    ``annotators`` (everyone assigned any, when None), the overlap agreement is measured
    on. Empty when nothing was assigned, or nothing is shared."""
    given = [d for d in project.documents if d.assigned]
    if not given:
        return []
    names = set(annotators) if annotators else {n for d in given for n in d.assigned}
    if len(names) < 2:
        return []
    return [d.id for d in given if names <= set(d.assigned)]


def agreement(
    source: Project | Sequence[Path],
    annotators: Sequence[str] | None = None,
    labels: Sequence[str] | None = None,
    documents: Sequence[str] | None = None,
) -> dict[str, Any]:
    """The agreement report (see :mod:`annotator.agreement.report`)."""
    from annotator.agreement.report import agreement_report  # 40 ms: not at start-up

    return agreement_report(corpus_of(source, annotators, labels, documents))


__all__ = ["FORMATS", "AgreementError", "agreement", "render"]
