"""spaCy ``DocBin`` (``.spacy``): all spans in ``doc.spans["sc"]``, non-overlapping in ``doc.ents``.

Each Doc is built from spaCy's English tokenizer, with tokens split wherever a span
starts or ends inside one, so ``doc.char_span(start, end)`` finds every span exactly
(character offsets in spaCy are code points, like ours). ``doc.ents`` takes the
longest of each group of overlapping spans (spaCy refuses overlapping entities).
Document id, title, and each span's id, status, origin, score and attributes are
kept in ``doc.user_data["annotator"]`` so a DocBin comes back whole. Needs spaCy
(the ``spacy`` extra); no model is needed.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from annotator.formats.records import ImportedDocument, ImportedSpan, RecordProblem
from annotator.formats.relations import cluster_of_spans, exported_clusters, exported_relations
from annotator.formats.tokens import (
    TokenizerUnavailable,
    clusters,
    non_overlapping,
    whole_graphemes,
)
from annotator.install import install_hint
from annotator.io.atomic import atomic_write_bytes

if TYPE_CHECKING:
    from annotator.core.project import Project
    from annotator.formats import ExportOptions, ExportResult

SPANS_KEY = "sc"


def _spacy() -> Any:
    try:
        import spacy
    except ImportError as exc:
        raise TokenizerUnavailable(install_hint("spacy", "the spacy format needs spaCy")) from exc
    return spacy


def make_doc(nlp: Any, text: str, cuts: list[int]) -> Any:
    """A Doc of ``text`` whose tokens also break at every position in ``cuts``."""
    import numpy
    from spacy.attrs import IDX, LENGTH, SPACY
    from spacy.tokens import Doc

    # token offsets as arrays: no Token object is made per token
    array = nlp.tokenizer(text).to_array([IDX, LENGTH, SPACY]).astype(numpy.int64)
    starts, ends, space = array[:, 0], array[:, 0] + array[:, 1], array[:, 2]
    # (marks carried by white space stay as spaCy has them: a Doc must hold every character)
    inside = {p: edges for p, edges in clusters(text).items() if edges[0] != edges[1]}
    if inside:  # no token starts or ends inside a grapheme cluster
        merged = whole_graphemes(list(zip(starts.tolist(), ends.tolist(), strict=True)), inside)
        space_after = dict(zip(ends.tolist(), space.tolist(), strict=True))
        starts = numpy.asarray([a for a, _b in merged], dtype=numpy.int64)
        ends = numpy.asarray([b for _a, b in merged], dtype=numpy.int64)
        space = numpy.asarray([space_after.get(b, 0) for b in ends.tolist()], dtype=numpy.int64)
    # the cuts strictly inside a token split it; the pieces before a cut have no space
    # after them. Tokens are ordered and disjoint, so merging the cuts into the sorted
    # starts and into the sorted ends pairs every piece up (no cut equals an end).
    cut_set = numpy.asarray(sorted(set(cuts) - inside.keys()), dtype=numpy.int64)
    holder = numpy.searchsorted(starts, cut_set, side="right") - 1
    valid = holder >= 0
    inner = cut_set[valid][
        (starts[holder[valid]] < cut_set[valid]) & (cut_set[valid] < ends[holder[valid]])
    ]
    if len(inner):
        starts = numpy.sort(numpy.concatenate([starts, inner]))
        all_ends = numpy.concatenate([ends, inner])
        order = numpy.argsort(all_ends, kind="stable")
        ends = all_ends[order]
        space = numpy.concatenate([space, numpy.zeros(len(inner), dtype=numpy.int64)])[order]
    words = [text[a:b] for a, b in zip(starts.tolist(), ends.tolist(), strict=True)]
    spaces = (space != 0).tolist()
    # Doc.text would make a Token per token to say so (a second per million)
    rebuilt = "".join([w + " " if s else w for w, s in zip(words, spaces, strict=True)])
    assert rebuilt == text, "tokens must rebuild the text exactly"
    return Doc(nlp.vocab, words=words, spaces=spaces)


# The token attributes DocBin stores as string hashes.
_STRING_ATTRS = ("ORTH", "NORM", "LEMMA", "TAG", "DEP", "ENT_TYPE", "ENT_ID", "ENT_KB_ID", "MORPH")
_DOCBIN_PARTS = (
    "attrs",
    "tokens",
    "spaces",
    "flags",
    "cats",
    "user_data",
    "span_groups",
    "strings",
)


def add_to_docbin(docbin: Any, doc: Any) -> None:
    """``docbin.add(doc)``, with the same result, without a Token object per token.

    ``DocBin.add`` collects the strings its arrays refer to token by token (nine
    lookups each; most of an export's time). Here they come from the distinct hashes
    in the arrays. A test checks the bytes match ``DocBin.add``'s; a spaCy whose
    DocBin is built differently gets ``DocBin.add`` itself.
    """
    import numpy
    from spacy.attrs import IDS, SPACY

    if not all(hasattr(docbin, part) for part in _DOCBIN_PARTS):
        docbin.add(doc)
        return
    array = doc.to_array(docbin.attrs)
    if len(array.shape) == 1:
        array = array.reshape((array.shape[0], 1))
    docbin.tokens.append(array)
    spaces = doc.to_array(SPACY).reshape((-1, 1))
    docbin.spaces.append(numpy.asarray(spaces, dtype=bool))
    docbin.flags.append({"has_unknown_spaces": doc.has_unknown_spaces})
    strings = doc.vocab.strings
    columns = [i for i, attr in enumerate(docbin.attrs) if attr in _string_attr_ids(IDS)]
    known = [key for key in numpy.unique(array[:, columns]).tolist() if key in strings]
    docbin.strings.update(strings[key] for key in known)  # (a StringStore has no .get)
    docbin.strings.add("")  # every token's empty fields
    docbin.cats.append(doc.cats)
    if docbin.store_user_data:
        import srsly

        docbin.user_data.append(srsly.msgpack_dumps(doc.user_data))
    docbin.span_groups.append(doc.spans.to_bytes())
    for group in doc.spans.values():
        for span in group:
            docbin.strings.add(span.label_)
            if span.kb_id in strings:
                docbin.strings.add(span.kb_id_)
            if span.id in strings:
                docbin.strings.add(span.id_)


def _string_attr_ids(ids: dict[str, int]) -> set[int]:
    return {ids[name] for name in _STRING_ATTRS}


@contextmanager
def _encoders_found_once() -> Iterator[None]:
    """srsly looks up its msgpack encoders among the installed packages' entry points
    on every call (about 0.3 ms); an export makes three calls per article. For the
    export, the first lookup's answer is reused."""
    try:
        from srsly.msgpack import msgpack_encoders
    except ImportError:
        yield
        return
    found = msgpack_encoders.get_all()
    own = vars(msgpack_encoders).get("get_all")
    msgpack_encoders.get_all = lambda: found
    try:
        yield
    finally:
        if own is None:
            del msgpack_encoders.get_all
        else:
            msgpack_encoders.get_all = own


def write(project: Project, output: Path, options: ExportOptions) -> ExportResult:
    with _encoders_found_once():
        return _write(project, output, options)


def _write(project: Project, output: Path, options: ExportOptions) -> ExportResult:
    nlp = _spacy().blank("en")  # first: says how to install spaCy when it is missing
    from spacy.tokens import DocBin

    from annotator.formats import MOVED, SPANS_ONLY, ExportResult

    result = ExportResult()
    docbin = DocBin(store_user_data=True)
    relations = exported_relations(project, options) if project.relation_count else []
    # a span's cross-document cluster is its knowledge-base id (kb_id_) in ents and spans
    clusters = cluster_of_spans(exported_clusters(project, relations)) if relations else {}
    for document in options.documents_of(project):
        spans = options.spans(document)
        doc = make_doc(nlp, document.text, [p for s in spans for p in (s.start, s.end)])
        groups = []
        for span in spans:
            cluster = clusters.get((document.id, span.id))
            kb_id = cluster.id if cluster is not None else ""
            sp = doc.char_span(
                span.start, span.end, label=span.label, kb_id=kb_id, alignment_mode="strict"
            )
            if sp is None:  # white space or inside a grapheme cluster at an edge
                sp = doc.char_span(
                    span.start, span.end, label=span.label, kb_id=kb_id, alignment_mode="contract"
                )
                result.note(MOVED, f"{document.id}: span {span.id} {MOVED}")
            if sp is not None:
                groups.append(sp)
        doc.spans[SPANS_KEY] = groups
        kept, dropped = non_overlapping(spans)
        kept_ids = {s.id for s in kept}
        doc.ents = [g for g, s in zip(groups, spans, strict=False) if s.id in kept_ids]
        for span in dropped:
            result.note(SPANS_ONLY, f"{document.id}: span {span.id} is in doc.spans['sc'] only")
        doc.user_data["annotator"] = {
            "id": document.id,
            "title": document.title,
            "source": document.source,
            "spans": [
                {
                    "id": s.id,
                    "start": s.start,
                    "end": s.end,
                    "label": s.label,
                    "status": s.status,
                    "origin": s.origin,
                    "score": s.score,
                    "attributes": dict(s.attributes),
                }
                for s in spans
            ],
            "clusters": {
                c.id: c.name for c in {clusters[k] for k in clusters if k[0] == document.id}
            },
        }
        add_to_docbin(docbin, doc)
        result.documents += 1
        result.spans += len(groups)
    atomic_write_bytes(output, docbin_bytes(docbin))
    return result


def docbin_bytes(docbin: Any) -> bytes:
    """``docbin.to_bytes()``, the same msgpack compressed with zlib, made in pieces.

    ``to_bytes`` copies every token array into one (80 MB for 1,000 articles) and
    packs it all in one msgpack call: a quarter of a second in which the GUI thread
    cannot run (the pages of those fresh buffers are touched with the interpreter
    held). Here the msgpack stream goes to the compressor a piece at a time (each
    article's arrays, each group of spans), and zlib compresses without the
    interpreter. A test checks the decompressed bytes equal ``to_bytes``'; a spaCy
    whose DocBin differs gets ``to_bytes`` itself.
    """
    import zlib

    import numpy
    import srsly

    parts = ("tokens", "spaces", "span_groups", "user_data", "cats", "flags", "strings")
    arrays = [*docbin.tokens, *docbin.spaces]
    if not all(hasattr(docbin, part) for part in parts) or not all(
        isinstance(a, numpy.ndarray) and a.ndim == 2 and a.flags.c_contiguous for a in arrays
    ):
        return bytes(docbin.to_bytes())
    for group in (docbin.tokens, docbin.spaces):
        if len({a.dtype for a in group}) > 1:
            return bytes(docbin.to_bytes())
    lengths = [len(tokens) for tokens in docbin.tokens]
    msg: list[tuple[str, Any]] = [
        ("version", docbin.version),
        ("attrs", docbin.attrs),
        ("tokens", _Arrays(docbin.tokens)),
        ("spaces", _Arrays(docbin.spaces)),
        ("lengths", numpy.asarray(lengths, dtype="int32").tobytes("C")),
        ("strings", sorted(docbin.strings)),
        ("cats", docbin.cats),
        ("flags", docbin.flags),
        ("span_groups", _Items(docbin.span_groups)),
    ]
    if docbin.store_user_data:
        msg.append(("user_data", _Items(docbin.user_data)))
    packer = zlib.compressobj()
    out = [packer.compress(_map_header(len(msg)))]
    for key, value in msg:
        out.append(packer.compress(srsly.msgpack_dumps(key)))
        if isinstance(value, _Arrays):
            size = sum(a.nbytes for a in value.arrays)
            out.append(packer.compress(_bin_header(size)))
            # (an empty article's arrays hold no bytes, and a view of none cannot be cast)
            out.extend(packer.compress(memoryview(a).cast("B")) for a in value.arrays if a.nbytes)
        elif isinstance(value, _Items):
            out.append(packer.compress(_array_header(len(value.items))))
            for item in value.items:  # bytes (each article's packed data), or anything
                if type(item) is bytes:
                    out.append(packer.compress(_bin_header(len(item))))
                    out.append(packer.compress(item))
                else:
                    out.append(packer.compress(srsly.msgpack_dumps(item)))
        else:
            out.append(packer.compress(srsly.msgpack_dumps(value)))
    out.append(packer.flush())
    return b"".join(out)


class _Arrays:
    """Arrays packed as one msgpack ``bin``: their bytes one after another, as
    ``numpy.vstack(arrays).tobytes()`` has them."""

    def __init__(self, arrays: list[Any]) -> None:
        self.arrays = arrays


class _Items:
    """A list packed as a msgpack array item by item."""

    def __init__(self, items: list[Any]) -> None:
        self.items = items


def _map_header(n: int) -> bytes:
    return bytes([0x80 | n]) if n < 16 else b"\xde" + n.to_bytes(2, "big")


def _array_header(n: int) -> bytes:
    if n < 16:
        return bytes([0x90 | n])
    if n < 1 << 16:
        return b"\xdc" + n.to_bytes(2, "big")
    return b"\xdd" + n.to_bytes(4, "big")


def _bin_header(n: int) -> bytes:
    if n < 1 << 8:
        return b"\xc4" + n.to_bytes(1, "big")
    if n < 1 << 16:
        return b"\xc5" + n.to_bytes(2, "big")
    return b"\xc6" + n.to_bytes(4, "big")


def read(path: Path) -> Iterator[ImportedDocument | RecordProblem]:
    nlp = _spacy().blank("en")
    from spacy.tokens import DocBin

    try:
        docs = list(DocBin().from_disk(path).get_docs(nlp.vocab))
    except Exception as exc:  # a broken file: say so, never crash
        yield RecordProblem(path.name, f"not a spaCy DocBin: {exc}")
        return
    for n, doc in enumerate(docs, start=1):
        info = doc.user_data.get("annotator") or {}
        extra = {(s["start"], s["end"], s["label"]): s for s in info.get("spans", [])}
        source = doc.spans.get(SPANS_KEY, doc.ents)
        spans = []
        for sp in source:
            meta = extra.get((sp.start_char, sp.end_char, sp.label_), {})
            spans.append(
                ImportedSpan(
                    sp.start_char,
                    sp.end_char,
                    sp.label_,
                    sp.text,
                    score=meta.get("score"),
                    status=meta.get("status"),
                    origin=meta.get("origin"),
                    attributes=meta.get("attributes") or {},
                )
            )
        yield ImportedDocument(
            where=f"{path.name}, doc {n}",
            text=doc.text,
            id=info.get("id"),
            title=info.get("title", ""),
            source=info.get("source", ""),
            spans=tuple(spans),
        )
