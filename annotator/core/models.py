"""The file format: pydantic models of a project file (``annotator.json``).

These models are the contract written to disk. Field order here is the key order
in the file; the saver (:mod:`annotator.io.save`) sorts records so that a
project diffs and merges cleanly in git. ``resources/schema/project.schema.json`` is
generated from :class:`ProjectFile` (``annotator schema``), and a test keeps it in sync.
"""

from __future__ import annotations

import dataclasses
import re
import secrets
from datetime import datetime, timezone
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    TypeAdapter,
    field_validator,
    model_validator,
)
from pydantic.dataclasses import dataclass

from annotator.core.names import GOLD as GOLD  # re-exported: the gold layer's name
from annotator.core.names import check_name
from annotator.core.wording import count

SCHEMA_VERSION: Literal[5] = 5
# Version 1 had no review fields (status, score, proposed); it migrates by adding defaults.
# Version 2 had no relations, links, relation types or clusters.
# Version 3 had no adjudication (the gold layer of a team project).
# Version 4 had no document status, time or assignment (``work``, ``assigned``).
READABLE_VERSIONS = (1, 2, 3, 4, 5)
PROJECT_FILE_NAME = "annotator.json"

AttributeValue = str | int | float | bool
# The review status of a span. Spans a person made are ``accepted``; a suggestion
# (an extractor's or an imported prediction) starts ``pending``.
SpanStatus = Literal["pending", "accepted", "rejected"]
STATUSES: tuple[SpanStatus, ...] = ("pending", "accepted", "rejected")
MANUAL = "manual"
_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")


def _author(value: str | None) -> str | None:
    return None if value is None else check_name(value)


# Who made an item: every author read from any file passes the one name gate
# (annotator.core.names), since a name will name that annotator's layer file.
Author = Annotated[str | None, AfterValidator(_author)]


_ID_POOL: list[str] = []  # random ids made 512 at a time (an import makes 20,000)


def new_span_id() -> str:
    """A random, stable span id: ``s-`` and 12 hex digits."""
    try:
        return _ID_POOL.pop()  # atomic: threads never get the same one
    except IndexError:
        pool = secrets.token_hex(6 * 512)
        _ID_POOL.extend("s-" + pool[k : k + 12] for k in range(0, len(pool), 12))
        return new_span_id()


def utc_now() -> datetime:
    return datetime.now(timezone.utc).replace(microsecond=0)


# one span, wherever it is named: (document id, span id)
SpanKey = tuple[str, str]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Label(_Strict):
    """A tag a span can carry, with its colour and keyboard key."""

    name: Annotated[str, Field(min_length=1, max_length=64)]
    key: Annotated[str | None, Field(max_length=1)] = None
    color: str = "#888888"
    description: str = ""

    @field_validator("color")
    @classmethod
    def _hex_color(cls, value: str) -> str:
        if not _COLOR.match(value):
            raise ValueError(f"colour must look like #rrggbb, not {value!r}")
        return value.lower()


DEFAULT_LABELS: tuple[Label, ...] = (
    Label(name="entity", key="1", color="#4c9be8", description="A person, organisation or place"),
    Label(name="claim", key="2", color="#f0a030", description="A check-worthy statement"),
    Label(name="quote", key="3", color="#3fb37f", description="Words attributed to someone"),
)


class Proposal(_Strict):
    """What a model proposed, kept when a reviewer changed a suggestion's label or range."""

    start: Annotated[int, Field(ge=0)]
    end: Annotated[int, Field(ge=0)]
    label: Annotated[str, Field(min_length=1)]


Outcome = Literal["unanimous", "adjudicated"]


class Adjudication(_Strict):
    """Why a span or relation is in the gold layer: taken from which annotators'
    layers, and whether they all agreed (``unanimous``) or someone decided
    (``adjudicated``; the item's ``author`` is who decided)."""

    sources: list[str] = Field(default_factory=list)
    outcome: Outcome = "adjudicated"


# A slotted pydantic dataclass, not a BaseModel: a project holds hundreds of thousands
# of spans, and without a per-object __dict__ and fields-set each takes about 400 bytes
# instead of 1,500 (and validates twice as fast). Use span_from_json, span_to_json and
# replace_span at the edges. (The docstring below is the schema's description.)
@dataclass(frozen=True, slots=True, config=ConfigDict(extra="forbid"))
class Span:
    """A labelled range of a document: code points ``[start, end)`` plus the text it covers."""

    id: Annotated[str, Field(min_length=1, max_length=64)]
    start: Annotated[int, Field(ge=0)]
    end: Annotated[int, Field(ge=0)]
    label: Annotated[str, Field(min_length=1)]
    text: str
    note: str | None = None
    attributes: dict[str, AttributeValue] = Field(default_factory=dict)
    origin: str = MANUAL
    author: Author = None
    created: datetime = Field(default_factory=utc_now)
    modified: datetime = Field(default_factory=utc_now)
    status: SpanStatus = "accepted"
    score: float | None = None
    proposed: Proposal | None = None
    adjudication: Adjudication | None = None  # set: the span is in the gold layer

    @property
    def is_suggestion(self) -> bool:
        """Made by an extractor or imported, rather than tagged by a person."""
        return self.origin != MANUAL

    @property
    def review(self) -> str:
        """``manual``, ``pending``, ``accepted``, ``corrected`` (accepted after a change) or
        ``rejected``."""
        if not self.is_suggestion:
            return MANUAL
        if self.status == "accepted" and self.proposed is not None:
            return "corrected"
        return self.status

    @model_validator(mode="after")
    def _ordered(self) -> Span:
        if self.end <= self.start:
            raise ValueError(f"span {self.id}: end ({self.end}) must be after start ({self.start})")
        if len(self.text) != self.end - self.start:
            raise ValueError(
                f"span {self.id}: text has {count(len(self.text), 'character')} "
                f"but the range {self.start}-{self.end} covers {self.end - self.start}"
            )
        return self

    def sort_key(self) -> tuple[int, int, str, str]:
        return (self.start, -self.end, self.label, self.id)


_SPAN = TypeAdapter(Span)
SPAN_LIST = TypeAdapter(list[Span])  # many spans validated or dumped in one call


def span_from_json(raw: Any) -> Span:
    """A span from JSON-like data, validated (raises ``pydantic.ValidationError``)."""
    return _SPAN.validate_python(raw)


def span_to_json(span: Span) -> dict[str, Any]:
    """The span as JSON-ready data, every field included."""
    data: dict[str, Any] = _SPAN.dump_python(span, mode="json")
    return data


def replace_span(span: Span, **changes: Any) -> Span:
    """A copy of ``span`` with ``changes``, validated like a new one."""
    return dataclasses.replace(span, **changes)


RelationStyle = Literal["solid", "dashed", "dotted"]


class RelationType(_Strict):
    """A kind of relation between two spans (``speaker``, ``same``, …), edited like labels.

    ``within_document`` and ``across_documents`` say where its two ends may stand;
    ``source_labels`` and ``target_labels`` which labels they may carry (empty: any).
    A ``transitive`` type (``same``) groups the spans it joins into clusters.
    """

    name: Annotated[str, Field(min_length=1, max_length=64)]
    key: Annotated[str | None, Field(max_length=1)] = None
    color: str = "#888888"
    directed: bool = True
    transitive: bool = False
    within_document: bool = True
    across_documents: bool = False
    source_labels: list[str] = Field(default_factory=list)
    target_labels: list[str] = Field(default_factory=list)
    style: RelationStyle = "solid"
    description: str = ""

    _hex_color = field_validator("color")(Label._hex_color.__func__)  # type: ignore[attr-defined]

    def allows(self, source_label: str, target_label: str, *, across: bool) -> str | None:
        """Why a relation of this type cannot join spans with these labels, or None."""
        why = self.allows_places(across=across)
        if why:
            return why
        for end, label, allowed in (
            ("start", source_label, self.source_labels),
            ("end", target_label, self.target_labels),
        ):
            if allowed and label not in allowed:
                return (
                    f"a {self.name} relation cannot {end} at a {label} (only {', '.join(allowed)})"
                )
        return None

    def allows_places(self, *, across: bool) -> str | None:
        """Why a relation of this type cannot join two documents (``across``) or two
        spans of one document, or None."""
        if across and not self.across_documents:
            return f"a {self.name} relation cannot join two documents"
        if not across and not self.within_document:
            return f"a {self.name} link joins spans of two different documents"
        return None


DEFAULT_RELATION_TYPES: tuple[RelationType, ...] = (
    RelationType(
        name="speaker",
        key="s",
        color="#7b4fc9",
        source_labels=["quote"],
        target_labels=["entity"],
        description="Who said the quote",
    ),
    RelationType(
        name="source",
        key="o",
        color="#8a6a3b",
        source_labels=["claim"],
        target_labels=["entity"],
        description="Who the claim comes from",
    ),
    RelationType(
        name="same",
        key="=",
        color="#2e7d32",
        directed=False,
        transitive=True,
        across_documents=True,
        description="The same entity, quote or claim, in other words",
    ),
    RelationType(
        name="contradicts",
        key="c",
        color="#d32f2f",
        directed=False,
        across_documents=True,
        style="dashed",
        description="Facts that cannot both be true",
    ),
    RelationType(
        name="differs",
        key="d",
        color="#ef8f00",
        directed=False,
        across_documents=True,
        style="dotted",
        description="Compatible facts with different details",
    ),
)


# End and Relation are slotted pydantic dataclasses, as Span is (see there): a project
# holds hundreds of thousands of links, and they validate 2.3 times as fast (opening
# 100,000 links). Use relation_from_json, relation_to_json and replace_relation.
@dataclass(frozen=True, slots=True, config=ConfigDict(extra="forbid"))
class End:
    """One end of a relation: a span of a document."""

    document: Annotated[str, Field(min_length=1, max_length=200)]
    span: Annotated[str, Field(min_length=1, max_length=64)]

    @property
    def key(self) -> SpanKey:
        return (self.document, self.span)


def new_relation_id() -> str:
    return "r-" + secrets.token_hex(6)


@dataclass(frozen=True, slots=True, config=ConfigDict(extra="forbid"))
class Relation:
    """A typed connection from one span to another: a relation inside a document, or a
    link across two. Like a span it may be a suggestion (``origin``, ``status``,
    ``score``; ``proposed`` keeps the type a model proposed when a reviewer changed it)."""

    id: Annotated[str, Field(min_length=1, max_length=64)]
    type: Annotated[str, Field(min_length=1, max_length=64)]
    source: End
    target: End
    note: str | None = None
    origin: str = MANUAL
    author: Author = None
    created: datetime = Field(default_factory=utc_now)
    modified: datetime = Field(default_factory=utc_now)
    status: SpanStatus = "accepted"
    score: float | None = None
    proposed: str | None = None
    adjudication: Adjudication | None = None  # set: the relation is in the gold layer

    @property
    def across(self) -> bool:
        """A link: its ends are in two different documents."""
        return self.source.document != self.target.document

    @property
    def is_suggestion(self) -> bool:
        return self.origin != MANUAL

    @model_validator(mode="after")
    def _two_ends(self) -> Relation:
        a, b = self.source, self.target
        if a.span == b.span and a.document == b.document:
            raise ValueError(f"relation {self.id}: its two ends are the same span")
        return self


_RELATION = TypeAdapter(Relation)
RELATION_LIST = TypeAdapter(list[Relation])  # many relations validated or dumped in one call


def relation_from_json(raw: Any) -> Relation:
    """A relation from JSON-like data, validated (raises ``pydantic.ValidationError``)."""
    return _RELATION.validate_python(raw)


def relation_to_json(relation: Relation) -> dict[str, Any]:
    """The relation as JSON-ready data, every field included."""
    data: dict[str, Any] = _RELATION.dump_python(relation, mode="json")
    return data


def replace_relation(relation: Relation, **changes: Any) -> Relation:
    """A copy of ``relation`` with ``changes``, validated like a new one."""
    return dataclasses.replace(relation, **changes)


class ClusterRecord(_Strict):
    """A group of spans that ``same`` links join (cross-document coreference), as last
    saved: its members and its name. The links are what counts; a cluster's ``name``
    is kept where a person gave it (``named``), else it is the longest mention."""

    id: Annotated[str, Field(min_length=1, max_length=64)]
    name: str
    named: bool = False
    members: list[End] = Field(default_factory=list)


class DocumentRecord(_Strict):
    """One article of the project: where its text lives, its hash, and its spans."""

    id: Annotated[str, Field(min_length=1, max_length=200)]
    path: Annotated[str, Field(min_length=1)]
    title: str = ""
    source: str = ""
    text_hash: str = ""
    meta: dict[str, str] = Field(default_factory=dict)
    assigned: list[str] = Field(default_factory=list)  # the annotators it is given to
    spans: list[Span] = Field(default_factory=list)
    relations: list[Relation] = Field(default_factory=list)  # both ends in this document

    @field_validator("path")
    @classmethod
    def _relative_path(cls, value: str) -> str:
        if value.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", value):
            raise ValueError(f"path must be relative to the project folder, not {value!r}")
        if ".." in re.split(r"[\\/]", value):
            raise ValueError(f"path must stay inside the project folder, not {value!r}")
        return value


class Decisions(_Strict):
    """The review decisions an annotator made in a document (accept or reject)."""

    count: Annotated[int, Field(ge=0)] = 0
    accepted: Annotated[int, Field(ge=0)] = 0
    quick: Annotated[int, Field(ge=0)] = 0  # made in under a second
    seconds: Annotated[float, Field(ge=0)] = 0.0  # the time they took, in all


class WorkEntry(_Strict):
    """One annotator's work on one document (see :mod:`annotator.core.work`)."""

    status: Literal["new", "in_progress", "done"] = "new"
    done_at: str | None = None
    seconds: Annotated[float, Field(ge=0)] = 0.0  # active time
    decisions: Decisions | None = None


class ProjectFile(_Strict):
    """The whole ``annotator.json``."""

    schema_version: Literal[5] = SCHEMA_VERSION
    labels: list[Label] = Field(default_factory=lambda: list(DEFAULT_LABELS))
    relation_types: list[RelationType] = Field(default_factory=lambda: list(DEFAULT_RELATION_TYPES))
    links: list[Relation] = Field(default_factory=list)  # ends in two documents
    clusters: list[ClusterRecord] = Field(default_factory=list)
    # annotator (or ``gold``) → document id → their work on it; in a team project each
    # annotator's is in their layer file
    work: dict[str, dict[str, WorkEntry]] = Field(default_factory=dict)
    documents: list[DocumentRecord] = Field(default_factory=list)


def layer_name(item: Span | Relation) -> str | None:
    """The layer an item belongs to: ``gold`` when adjudicated, else its author's."""
    return GOLD if item.adjudication is not None else item.author
