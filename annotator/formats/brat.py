"""brat standoff: a folder with ``DOC.txt`` and ``DOC.ann`` per document, plus ``annotation.conf``.

``T`` lines hold spans (``T1<TAB>label start end<TAB>text``), ``A`` lines attributes
(``A1<TAB>name T1 value``), ``#`` lines notes (``AnnotatorNotes``). Offsets are code
points. The ``.txt`` is written with ``\\n`` line ends only (brat versions disagree
about ``\\r\\n``) and offsets are moved accordingly; a span that crosses a line break
becomes a discontinuous span (``start end;start end``) whose text is its pieces joined
by a space, as brat expects. Labels and attribute names become brat-safe (no spaces).
File names come from document ids made safe; nothing is written outside the folder.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from annotator.core.models import AttributeValue
from annotator.formats.records import (
    ImportedDocument,
    ImportedSpan,
    RecordProblem,
    safe_file_name,
)
from annotator.io.atomic import atomic_write_text

if TYPE_CHECKING:
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

    def from_brat(self, pos: int) -> int:
        lo, hi = pos, pos + len(self.crs)
        while lo < hi:  # smallest original position that maps to pos
            mid = (lo + hi) // 2
            if self.to_brat(mid) < pos:
                lo = mid + 1
            else:
                hi = mid
        return lo


def write(project: Project, output: Path, options: ExportOptions) -> ExportResult:
    from annotator.formats import ExportResult

    result = ExportResult()
    output.mkdir(parents=True, exist_ok=True)
    taken: set[str] = set()
    labels: set[str] = set()
    attributes: set[str] = set()
    for doc in options.documents_of(project):
        name = safe_file_name(doc.id, taken)[: -len(".txt")]
        text = doc.text.replace("\r\n", "\n")
        ends = _LineEnds(doc.text)
        lines: list[str] = []
        if doc.id != name or doc.title:
            lines.append(f"#0\tAnnotatorNotes T0\tdocument {doc.id}: {doc.title}")
        a_count = 0
        for n, span in enumerate(options.spans(doc), start=1):
            a, b = ends.to_brat(span.start), ends.to_brat(span.end)
            pieces = _fragments(text, a, b)
            if not pieces:
                result.notes.append(f"{doc.id}: span {span.id} is only white space; left out")
                continue
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
        atomic_write_text(output / f"{name}.txt", text)
        atomic_write_text(output / f"{name}.ann", "\n".join(lines) + ("\n" if lines else ""))
        result.documents += 1
    conf = ["[entities]", *sorted(labels), "[relations]", "[events]", "[attributes]"]
    conf += [f"{a}\tArg:<ENTITY>, Value:<ANY>" for a in sorted(attributes)]  # informative
    atomic_write_text(output / "annotation.conf", "\n".join(conf) + "\n")
    return result


def _fragments(text: str, a: int, b: int) -> list[tuple[int, int]]:
    """``[a, b)`` cut at line breaks, each piece trimmed of white space at its edges."""
    out = []
    for m in re.finditer(r"[^\n]+", text[a:b]):
        x, y = a + m.start(), a + m.end()
        while x < y and text[x].isspace():
            x += 1
        while y > x and text[y - 1].isspace():
            y -= 1
        if y > x:
            out.append((x, y))
    return out


def read(path: Path) -> Iterator[ImportedDocument | RecordProblem]:
    """Every ``.ann`` with its ``.txt`` in the folder ``path`` (or one ``.ann`` file)."""
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
        attrs: dict[str, dict[str, AttributeValue]] = {}
        notes: dict[str, str] = {}
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
                elif not line.startswith(("#", "R", "E", "M", "N", "*")):
                    raise ValueError("not a brat annotation line")
                elif line.startswith("#"):
                    target = parts[1].split()[1]
                    if target == "T0" and parts[2].startswith("document "):
                        doc_id = parts[2][9:].split(":", 1)[0]
                    else:
                        notes[target] = parts[2]
            except (IndexError, ValueError):
                problems.append(RecordProblem(where, "not a brat annotation line"))
        yield from problems
        yield ImportedDocument(
            where=ann.name,
            text=text,
            id=doc_id,
            spans=tuple(
                ImportedSpan(
                    s.start, s.end, s.label, None, note=notes.get(t), attributes=attrs.get(t, {})
                )
                for t, s in spans.items()
            ),
        )


def _utf8(path: Path) -> str | RecordProblem:
    data = path.read_bytes()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        return RecordProblem(f"{path.name}, line {line}", f"not UTF-8 text (byte {exc.start})")
