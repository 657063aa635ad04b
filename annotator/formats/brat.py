"""brat standoff: a folder with ``DOC.txt`` and ``DOC.ann`` per document, plus ``annotation.conf``.

``T`` lines hold spans (``T1<TAB>label start end<TAB>text``), ``A`` lines attributes
(``A1<TAB>name T1 value``), ``#`` lines notes (``AnnotatorNotes``), ``R`` lines
relations (``R1<TAB>speaker Arg1:T3 Arg2:T1``) and ``*`` lines the spans of one
document that ``same`` joins, under brat's conventional name for an equivalence
(``*<TAB>Equiv T1 T4``; read back as the project's ``same``). Links across documents
cannot be held by brat: each is named and counted as left out. Offsets are code
points. The ``.txt`` is written with ``\\n`` line ends only (brat versions disagree
about ``\\r\\n``) and offsets are moved accordingly; a ``#CRLF`` note lists where the
article had ``\\r\\n``, so that reading it back (into a new folder too) restores the
text exactly. A span that crosses a line break becomes a discontinuous span (``start
end;start end``) whose text is its pieces joined by a space, as brat expects; its own
edges stay exact (a span may begin with a space). Labels and attribute names become
brat-safe (no spaces). File names come from document ids made safe; nothing is
written outside the folder.
"""

from __future__ import annotations

import dataclasses
import itertools
import re
from bisect import bisect_left
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from annotator.core.models import AttributeValue
from annotator.formats.records import (
    ImportedDocument,
    ImportedSpan,
    RecordProblem,
    safe_file_name,
)
from annotator.formats.relations import (
    ImportedEnd,
    ImportedRelation,
    exported_relations,
    split,
)
from annotator.io.atomic import atomic_write_text

if TYPE_CHECKING:
    from annotator.core.models import Relation
    from annotator.core.project import Project
    from annotator.formats import ExportOptions, ExportResult


def _safe(name: str) -> str:
    return re.sub(r"[^\w-]+", "_", name) or "_"


class _LineEnds:
    """Positions of the ``\\r`` of each ``\\r\\n``: the shift between text and brat's ``.txt``."""

    def __init__(self, text: str) -> None:
        self.crs = [m.start() for m in re.finditer("\r\n", text)]

    def to_brat(self, pos: int) -> int:
        return pos - bisect_left(self.crs, pos)

    def note(self) -> str | None:
        """The ``#`` line that lets :func:`read` put the ``\r`` back: where each
        ``\r\n``'s ``\n`` is in the ``.txt`` (None: the article has none)."""
        if not self.crs:
            return None
        at = " ".join(str(self.to_brat(cr)) for cr in self.crs)
        return f"{CRLF_NOTE}\tAnnotatorNotes T0\t{CRLF_WORD} {at}"


def _restore_crlf(text: str, at: list[int]) -> tuple[str, Callable[[int], int]] | None:
    """``text`` with a ``\r`` before each ``\n`` at ``at``, and the map from ``.txt``
    offsets to offsets into it (None: ``at`` does not fit the text)."""
    at = sorted(set(at))
    if any(not 0 <= n < len(text) or text[n] != "\n" for n in at):
        return None
    pieces, last = [], 0
    for n in at:
        pieces += [text[last:n], "\r"]
        last = n
    pieces.append(text[last:])
    return "".join(pieces), lambda q: q + bisect_left(at, q)


CRLF_NOTE = "#CRLF"  # the note that lists the article's \r\n line ends
CRLF_WORD = "crlf"
CROSS = "across documents left out (brat cannot hold them)"
EQUIV = "Equiv"


def write(project: Project, output: Path, options: ExportOptions) -> ExportResult:  # noqa: C901
    """Long on purpose: one branch per record kind the format has (spans, attributes, relations,
    links), each written where the format wants it.
    """
    from annotator.formats import ExportResult

    result = ExportResult()
    output.mkdir(parents=True, exist_ok=True)
    taken: set[str] = set()
    labels: set[str] = set()
    attributes: set[str] = set()
    relations = exported_relations(project, options) if project.relation_count else []
    inside, across = split(relations)
    for link in across:
        result.leave_out(CROSS, f"link {link.id} ({link.type}) joins two documents; left out")
    kinds: dict[str, bool] = {}  # relation type (brat-safe): transitive
    for doc in options.documents_of(project):
        name = safe_file_name(doc.id, taken)[: -len(".txt")]
        text = doc.text.replace("\r\n", "\n")
        ends = _LineEnds(doc.text)
        lines: list[str] = []
        if doc.id != name or doc.title:
            lines.append(f"#0\tAnnotatorNotes T0\tdocument {doc.id}: {doc.title}")
        crlf = ends.note()
        if crlf is not None:
            lines.append(crlf)
        a_count = 0
        t_of: dict[str, str] = {}
        for n, span in enumerate(options.spans(doc), start=1):
            a, b = ends.to_brat(span.start), ends.to_brat(span.end)
            # an end between \r and \n is on a line break, as an end after the \n is
            on_break = span.end < len(doc.text) and doc.text[span.end - 1 : span.end + 1] == "\r\n"
            pieces = _fragments(text, a, b, own_end=not on_break)
            if not pieces:
                result.notes.append(f"{doc.id}: span {span.id} is only white space; left out")
                continue
            if (pieces[0][0], pieces[-1][1]) != (a, b):
                result.notes.append(
                    f"{doc.id}: span {span.id} begins or ends with a line break, which brat "
                    "cannot hold; its edges move to the text"
                )
            t_of[span.id] = f"T{n}"
            label = _safe(span.label)
            labels.add(label)
            frag = ";".join(f"{x} {y}" for x, y in pieces)
            covered = " ".join(text[x:y] for x, y in pieces)
            lines.append(f"T{n}\t{label} {frag}\t{covered}")
            for key, value in sorted(span.attributes.items()):
                a_count += 1
                attributes.add(_safe(key))
                lines.append(f"A{a_count}\t{_safe(key)} T{n} {_safe(str(value))}")
            if span.note:
                lines.append(f"#{n}\tAnnotatorNotes T{n}\t{' '.join(span.note.split())}")
            result.spans += 1
        lines += _relation_lines(project, inside.get(doc.id, []), t_of, kinds, result)
        atomic_write_text(output / f"{name}.txt", text)
        atomic_write_text(output / f"{name}.ann", "\n".join(lines) + ("\n" if lines else ""))
        result.documents += 1
    conf = ["[entities]", *sorted(labels), "[relations]"]
    for kind, transitive in sorted(kinds.items()):
        extra = ", <REL-TYPE>:symmetric-transitive" if transitive else ""
        conf.append(f"{kind}\tArg1:<ENTITY>, Arg2:<ENTITY>{extra}")
    conf += ["[events]", "[attributes]"]
    conf += [f"{a}\tArg:<ENTITY>, Value:<ANY>" for a in sorted(attributes)]  # informative
    atomic_write_text(output / "annotation.conf", "\n".join(conf) + "\n")
    return result


def _relation_lines(
    project: Project,
    relations: list[Relation],
    t_of: dict[str, str],
    kinds: dict[str, bool],
    result: ExportResult,
) -> list[str]:
    """``R`` lines for relations, one ``*`` line for each group ``same`` joins."""
    transitive = {t.name for t in project.relation_types if t.transitive}
    lines: list[str] = []
    equiv = EQUIV if len(transitive) == 1 else None  # brat's name for the one equivalence
    groups: dict[str, dict[str, set[str]]] = {}  # type → span → its group
    for relation in relations:
        a, b = t_of.get(relation.source.span), t_of.get(relation.target.span)
        if a is None or b is None:
            result.leave_out("without both ends", f"relation {relation.id}: an end is left out")
            continue
        kind = _safe(relation.type)
        if relation.type in transitive and equiv is not None:
            kind = equiv
        kinds[kind] = relation.type in transitive
        result.relations += 1
        if relation.type in transitive:
            found = groups.setdefault(kind, {})
            merged = found.get(a, {a}) | found.get(b, {b})
            for t in merged:
                found[t] = merged
            continue
        lines.append(f"R{len(lines) + 1}\t{kind} Arg1:{a} Arg2:{b}")
    for kind, found in sorted(groups.items()):
        seen: set[int] = set()
        for group in found.values():
            if id(group) not in seen:
                seen.add(id(group))
                members = sorted(group, key=lambda t: int(t[1:]))
                lines.append(f"*\t{kind} {' '.join(members)}")
    return lines


def _fragments(text: str, a: int, b: int, own_end: bool = True) -> list[tuple[int, int]]:
    """``[a, b)`` cut at line breaks. The span's own edges stay where they are (a span
    may begin with a space); the edges made by a cut are trimmed of white space, and a
    piece left empty by that is dropped; so is the end when it is not the span's own
    (``own_end`` False: it fell inside a ``\r\n``). Only white space in all: no fragment."""
    out = []
    for m in re.finditer(r"[^\n]+", text[a:b]):
        x0, y0 = a + m.start(), a + m.end()
        x, y = x0, y0
        if x != a:
            while x < y and text[x].isspace():
                x += 1
        if y != b or not own_end:
            while y > x and text[y - 1].isspace():
                y -= 1
        if y > x:
            out.append((x, y))
        elif x0 == a or (y0 == b and own_end):
            out.append((x0, y0))  # white space at the span's own edge is the span's
    if all(text[x:y].isspace() for x, y in out):
        return []
    return out


def read(path: Path) -> Iterator[ImportedDocument | RecordProblem]:  # noqa: C901
    """Every ``.ann`` with its ``.txt`` in the folder ``path`` (or one ``.ann`` file).

    Long on purpose: files from other tools; each branch is one way such a file can be wrong,
    reported as a record problem naming the file and line.
    """
    # a folder's .ann files, those of --split's train/dev/test folders included
    files = sorted(path.rglob("*.ann")) if path.is_dir() else [path]
    for ann in files:
        txt = ann.with_suffix(".txt")
        if not txt.is_file():
            yield RecordProblem(ann.name, f"no {txt.name} beside it")
            continue
        decoded = [_utf8(ann), _utf8(txt)]  # as written: no newline translation
        problems_ = [d for d in decoded if isinstance(d, RecordProblem)]
        if problems_:
            yield from problems_
            continue
        ann_text, text = (str(d) for d in decoded)
        spans: dict[str, ImportedSpan] = {}
        relations: list[ImportedRelation] = []
        attrs: dict[str, dict[str, AttributeValue]] = {}
        notes: dict[str, str] = {}
        crlf: list[int] = []
        doc_id = ann.stem
        problems = []
        # split on \n only: a covered text may hold other characters str.splitlines() breaks at
        lines = ann_text.split("\n")
        for number, line in enumerate(lines, start=1):
            where = f"{ann.name}, line {number}"
            if not line.strip():
                continue
            parts = line.split("\t")
            try:
                if line.startswith("T"):
                    label, _, frag = parts[1].partition(" ")
                    ranges = [tuple(map(int, f.split())) for f in frag.split(";")]
                    start, end = ranges[0][0], ranges[-1][1]
                    spans[parts[0]] = ImportedSpan(start, end, label)
                elif line.startswith("A"):
                    fields = parts[1].split()
                    value: AttributeValue = fields[2] if len(fields) > 2 else True
                    attrs.setdefault(fields[1], {})[fields[0]] = value
                elif line.startswith("R"):
                    kind, arg1, arg2 = parts[1].split()
                    relations.append(
                        ImportedRelation(
                            where,
                            kind,
                            ImportedEnd(span=arg1.split(":", 1)[1]),
                            ImportedEnd(span=arg2.split(":", 1)[1]),
                        )
                    )
                elif line.startswith("*"):
                    kind, *members = parts[1].split()
                    relations += [
                        ImportedRelation(where, kind, ImportedEnd(span=a), ImportedEnd(span=b))
                        for a, b in itertools.pairwise(members)
                    ]
                elif not line.startswith(("#", "E", "M", "N")):
                    raise ValueError("not a brat annotation line")
                elif line.startswith("#"):
                    target = parts[1].split()[1]
                    if target == "T0" and parts[2].startswith("document "):
                        doc_id = parts[2][9:].split(":", 1)[0]
                    elif target == "T0" and parts[0] == CRLF_NOTE:
                        word, *at = parts[2].split()
                        if word != CRLF_WORD:
                            raise ValueError(word)
                        crlf = [int(n) for n in at]
                    else:
                        notes[target] = parts[2]
            except (IndexError, ValueError):
                problems.append(RecordProblem(where, "not a brat annotation line"))
        if crlf:
            restored = _restore_crlf(text, crlf)
            if restored is None:
                problems.append(
                    RecordProblem(ann.name, f"its {CRLF_NOTE} line does not fit {txt.name}")
                )
            else:
                text, move = restored
                spans = {t: _moved(s, move) for t, s in spans.items()}
        yield from problems
        yield ImportedDocument(
            where=ann.name,
            text=text,
            id=doc_id,
            spans=tuple(
                ImportedSpan(
                    s.start,
                    s.end,
                    s.label,
                    None,
                    note=notes.get(t),
                    attributes=attrs.get(t, {}),
                    id=t,
                )
                for t, s in spans.items()
            ),
            relations=tuple(relations),
        )


def _moved(span: ImportedSpan, move: Callable[[int], int]) -> ImportedSpan:
    return dataclasses.replace(span, start=move(span.start), end=move(span.end))


def _utf8(path: Path) -> str | RecordProblem:
    data = path.read_bytes()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        return RecordProblem(f"{path.name}, line {line}", f"not UTF-8 text (byte {exc.start})")
