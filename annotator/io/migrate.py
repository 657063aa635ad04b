"""Migrations of the project file, one step per schema version (run on load; the
migrated form is written by the next save). A file of version N goes through the
steps N → N+1 → … → :data:`SCHEMA_VERSION`; each step knows only its two versions."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from annotator.core.models import SCHEMA_VERSION

Raw = dict[str, Any]


def _v1_to_v2(raw: Raw) -> Raw:
    """Version 1 → 2: spans gained ``status``, ``score`` and ``proposed``, whose defaults
    (``accepted``, none, none) say exactly what a version-1 span was."""
    return {**raw, "schema_version": 2}


def _v2_to_v3(raw: Raw) -> Raw:
    """Version 2 → 3: relation types, relations, links and clusters arrived. A version-2
    file has none, so it gets the default relation types and empty lists."""
    return {**raw, "schema_version": 3}


def _v3_to_v4(raw: Raw) -> Raw:
    """Version 3 → 4: spans and relations may carry an ``adjudication`` (the gold layer
    of a team project). A version-3 file has none."""
    return {**raw, "schema_version": 4}


def _v4_to_v5(raw: Raw) -> Raw:
    """Version 4 → 5: documents may carry the annotators they are ``assigned`` to, and
    the project each annotator's ``work`` (document status, time). A version-4 file has
    none: every document is new to everyone."""
    return {**raw, "schema_version": 5}


# Versions whose spans read as the current version's: their migration leaves every
# span as it is, so a large file of one of them may leave its spans unread (io.lazy).
SPANS_AS_NOW = (3, 4, SCHEMA_VERSION)

STEPS: dict[int, Callable[[Raw], Raw]] = {
    1: _v1_to_v2,
    2: _v2_to_v3,
    3: _v3_to_v4,
    4: _v4_to_v5,
}


def migrate(raw: Raw) -> Raw:
    """Bring an older project file up to :data:`SCHEMA_VERSION`, one step a version."""
    version = raw.get("schema_version", SCHEMA_VERSION)
    assert isinstance(version, int)
    while version < SCHEMA_VERSION:
        raw = STEPS[version](raw)
        version += 1
    return raw
