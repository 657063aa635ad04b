"""Every export loaded by the library of its ecosystem; every import placed exactly."""

from __future__ import annotations

import csv
import itertools
import json
from pathlib import Path
from typing import Any

import pytest

from annotator.core.project import Project
from annotator.formats import FORMATS, ExportOptions
from annotator.formats.records import ImportOptions, plan_import
from annotator.formats.tokens import non_overlapping
from annotator.io.load import open_project
from annotator.io.save import save_project
from annotator.ops.importing import apply_import
from tests.formats.conftest import expected

REPO = Path(__file__).resolve().parents[2]
W3C = REPO.parent / "shared" / "vendor-data" / "w3c-web-annotation"


def export(project: Project, name: str, out: Path, **options: object):  # type: ignore[no-untyped-def]
    return FORMATS[name].write(project, out, ExportOptions(**options))  # type: ignore[arg-type]


def w3c_musts() -> list[tuple[str, Any, bool]]:
    """(assertion, validator, whether an annotation must pass it) for every schema of
    the W3C test suite's ``annotationMusts`` (from ``../shared/vendor-data``)."""
    jsonschema = pytest.importorskip("jsonschema")
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT4

    tests = W3C / "wa-tests"
    registry = Registry()
    for folder in ("annotations", "definitions"):
        for file in (tests / folder).glob("*.json"):
            schema = json.loads(file.read_text(encoding="utf-8"))
            resource = Resource.from_contents(schema, default_specification=DRAFT4)
            registry = registry.with_resource(file.name, resource)
    musts = json.loads((tests / "annotations" / "annotationMusts.test").read_text())
    out = []
    for assertion in musts["assertions"]:
        if not isinstance(assertion, str):
            continue
        schema = json.loads((tests / assertion).read_text(encoding="utf-8"))
        validator = jsonschema.Draft4Validator(schema, registry=registry)
        out.append((assertion, validator, schema.get("expectedResult", "valid") == "valid"))
    return out


def without_spans(corpus: Project) -> Project:
    """The corpus reopened with every span removed: an import must put them back."""
    again, _ = open_project(corpus.root)
    for doc in again.documents:
        for span in doc.spans():
            doc.pop_span(span.id)
    return again


def round_trip(
    project: Project, name: str, out: Path, tmp_path: Path
) -> set[tuple[str, int, int, str, str]]:
    """Import ``out`` into a new empty folder; the spans it made there."""
    reader = FORMATS[name].read
    assert reader is not None
    fresh = Project(root=tmp_path / f"import-{name}")
    fresh.root.mkdir()
    plan = plan_import(fresh, reader(out), ImportOptions(add_documents=True))
    assert plan.problems == [], [str(p) for p in plan.problems]
    apply_import(fresh, plan)
    save_project(fresh)
    reopened, report = open_project(fresh.root)
    assert not report.problems, [str(p) for p in report.problems]
    return {(d.id, s.start, s.end, s.label, s.text) for d in reopened.documents for s in d.spans()}


def test_spacy_docbin_loads_in_spacy_with_every_span(corpus: Project, tmp_path: Path) -> None:
    spacy = pytest.importorskip("spacy")
    from spacy.tokens import DocBin

    out = tmp_path / "out.spacy"
    export(corpus, "spacy", out)
    nlp = spacy.blank("en")
    docs = list(DocBin().from_disk(out).get_docs(nlp.vocab))
    got = set()
    for doc in docs:
        doc_id = doc.user_data["annotator"]["id"]
        text = corpus.document(doc_id).text
        assert doc.text == text
        for sp in doc.spans["sc"]:
            assert text[sp.start_char : sp.end_char] == sp.text
            got.add((doc_id, sp.start_char, sp.end_char, sp.label_, sp.text))
        ents = [(e.start_char, e.end_char) for e in doc.ents]
        assert all(b <= c for (_a, b), (c, _d) in itertools.pairwise(ents))  # no overlap
    assert got == expected(corpus)
    assert round_trip(corpus, "spacy", out, tmp_path) == expected(corpus)
    # the export's shortcut for srsly's encoder lookup is undone afterwards
    from srsly.msgpack import msgpack_encoders

    assert "get_all" not in vars(msgpack_encoders)


def test_spacy_docbin_fast_add_matches_docbin_add(corpus: Project) -> None:
    """Our DocBin.add without Token objects stores exactly what spaCy's own add does."""
    spacy = pytest.importorskip("spacy")
    from spacy.tokens import DocBin
    from spacy.util import filter_spans

    from annotator.formats.spacy import add_to_docbin, make_doc

    nlp = spacy.blank("en")
    theirs, ours = DocBin(store_user_data=True), DocBin(store_user_data=True)
    for document in corpus.documents:
        spans = document.spans()
        doc = make_doc(nlp, document.text, [p for s in spans for p in (s.start, s.end)])
        groups = [
            doc.char_span(s.start, s.end, label=s.label, alignment_mode="expand") for s in spans
        ]
        doc.spans["sc"] = [g for g in groups if g is not None]
        doc.ents = filter_spans(doc.spans["sc"])  # entity types are strings to store too
        doc.user_data["annotator"] = {"id": document.id}
        theirs.add(doc)
        add_to_docbin(ours, doc)
    assert len(ours) == len(theirs) == len(corpus.documents)
    assert ours.strings == theirs.strings
    for a, b in zip(ours.tokens, theirs.tokens, strict=True):
        assert (a == b).all()
    for a, b in zip(ours.spaces, theirs.spaces, strict=True):
        assert (a == b).all()
    assert ours.span_groups == theirs.span_groups
    assert ours.user_data == theirs.user_data
    assert ours.flags == theirs.flags
    ours_docs = list(DocBin().from_bytes(ours.to_bytes()).get_docs(nlp.vocab))
    theirs_docs = list(DocBin().from_bytes(theirs.to_bytes()).get_docs(nlp.vocab))
    for a, b in zip(ours_docs, theirs_docs, strict=True):
        assert [(t.text, t.whitespace_, t.ent_iob_, t.ent_type_) for t in a] == [
            (t.text, t.whitespace_, t.ent_iob_, t.ent_type_) for t in b
        ]
        assert [(x.start_char, x.end_char, x.label_) for x in a.spans["sc"]] == [
            (x.start_char, x.end_char, x.label_) for x in b.spans["sc"]
        ]


@pytest.mark.parametrize("copies", [0, 1, 20])  # msgpack's short and long array headers
def test_spacy_docbin_bytes_made_in_pieces_are_spacys(corpus: Project, copies: int) -> None:
    """The export's DocBin bytes, packed and compressed a piece at a time, decompress
    to exactly what ``DocBin.to_bytes`` packs, and spaCy reads them back."""
    import zlib

    spacy = pytest.importorskip("spacy")
    from spacy.tokens import DocBin

    from annotator.formats.spacy import add_to_docbin, docbin_bytes, make_doc

    nlp = spacy.blank("en")
    docbin = DocBin(store_user_data=True)
    for _ in range(copies):
        for document in corpus.documents:
            spans = document.spans()
            doc = make_doc(nlp, document.text, [p for s in spans for p in (s.start, s.end)])
            groups = [doc.char_span(s.start, s.end, label=s.label) for s in spans]
            doc.spans["sc"] = [g for g in groups if g is not None]
            doc.user_data["annotator"] = {"id": document.id, "ünï": "😀"}
            add_to_docbin(docbin, doc)
    ours = docbin_bytes(docbin)
    assert zlib.decompress(ours) == zlib.decompress(docbin.to_bytes())
    docs = list(DocBin().from_bytes(ours).get_docs(nlp.vocab))
    assert len(docs) == copies * len(corpus.documents)
    if docs:
        assert docs[-1].user_data["annotator"]["ünï"] == "😀"
        assert sum(len(d.spans["sc"]) for d in docs) == copies * sum(
            len(d.spans()) for d in corpus.documents
        )


def conll_sentences(path: Path, project: Project) -> dict[str, list[list[tuple[str, str]]]]:
    """The file's documents (in the project's order: the format carries no ids), each a
    list of sentences of (token, tag), read the CoNLL-2003 way: whitespace-separated
    columns, the tag last, -DOCSTART- lines between documents."""
    docs: list[list[list[tuple[str, str]]]] = []
    current: list[tuple[str, str]] = []
    for line in path.read_text(encoding="utf-8").split("\n"):
        if line.startswith("-DOCSTART-"):
            assert line == "-DOCSTART- -X- O O"
            docs.append([])
            continue
        if not line.strip():
            if current:
                docs[-1].append(current)
            current = []
            continue
        columns = line.split()
        assert len(columns) == 2, line
        current.append((columns[0], columns[-1]))
    assert len(docs) == len(project.documents)
    return {doc.id: sentences for doc, sentences in zip(project.documents, docs, strict=True)}


@pytest.mark.parametrize("scheme", ["iob2", "bilou"])
def test_conll_tags_read_by_seqeval(corpus: Project, tmp_path: Path, scheme: str) -> None:
    pytest.importorskip("seqeval")
    from seqeval.metrics.sequence_labeling import get_entities
    from seqeval.scheme import BILOU, IOB2, Entities

    out = tmp_path / f"out.{scheme}.conll"
    result = export(corpus, "conll", out, scheme=scheme)
    docs = conll_sentences(out, corpus)
    for doc in corpus.documents:
        kept, dropped = non_overlapping([s for s in doc.spans() if s.status == "accepted"])
        sentences = docs[doc.id]
        tags = [[t for _w, t in sent] for sent in sentences]
        strict = Entities(tags, IOB2 if scheme == "iob2" else BILOU, suffix=False).entities
        found = []
        for sent, ents in zip(sentences, strict, strict=True):
            for ent in ents:
                words = [w for w, _t in sent[ent.start : ent.end]]
                found.append((ent.tag, "".join(words)))
        if scheme == "iob2":  # lenient and strict readings agree: the sequence is valid
            lenient = [[(t, s, e + 1) for t, s, e in get_entities(seq)] for seq in tags]
            assert lenient == [[(e.tag, e.start, e.end) for e in ents] for ents in strict]
        want = [(s.label, "".join(s.text.split())) for s in kept]
        assert sorted(found) == sorted(want), doc.id
        for span in dropped:
            assert any(span.text[:20] in note for note in result.notes)
    assert result.notes  # the overlapping claims were reported


def test_conll_import_aligns_onto_the_project_text(corpus: Project, tmp_path: Path) -> None:
    out = tmp_path / "out.conll"
    export(corpus, "conll", out)
    reader = FORMATS["conll"].read
    assert reader is not None
    again = without_spans(corpus)
    plan = plan_import(again, reader(out), ImportOptions())
    assert plan.problems == []
    apply_import(again, plan)
    got = {(d.id, s.start, s.end, s.label, s.text) for d in again.documents for s in d.spans()}
    kept = {
        (d.id, s.start, s.end, s.label, s.text)
        for d in corpus.documents
        for s in non_overlapping([x for x in d.spans() if x.status == "accepted"])[0]
    }
    assert got == kept


def test_prodigy_spans_align_with_tokens(corpus: Project, tmp_path: Path) -> None:
    spacy = pytest.importorskip("spacy")
    from spacy.tokens import Doc

    out = tmp_path / "out.prodigy.jsonl"
    export(corpus, "prodigy", out, tokenizer="spacy")
    nlp = spacy.blank("en")
    got = set()
    for line in out.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        text, tokens = record["text"], record["tokens"]
        words = [t["text"] for t in tokens]
        doc = Doc(nlp.vocab, words=words, spaces=[t["ws"] for t in tokens])
        for t in tokens:
            assert text[t["start"] : t["end"]] == t["text"]
        for span in record["spans"]:
            assert tokens[span["token_start"]]["start"] == span["start"]
            assert tokens[span["token_end"]]["end"] == span["end"]  # token_end is inclusive
            part = doc[span["token_start"] : span["token_end"] + 1]
            assert "".join(part.text.split()) == "".join(text[span["start"] : span["end"]].split())
            got.add(
                (
                    record["meta"]["id"],
                    span["start"],
                    span["end"],
                    span["label"],
                    text[span["start"] : span["end"]],
                )
            )
    assert got == expected(corpus)
    assert round_trip(corpus, "prodigy", out, tmp_path) == expected(corpus)


def test_hf_parquet_loads_with_datasets_and_classlabels(corpus: Project, tmp_path: Path) -> None:
    datasets = pytest.importorskip("datasets")
    out = tmp_path / "hf"
    export(corpus, "hf", out)
    ds = datasets.load_dataset(
        "parquet", data_dir=str(out), split="train", cache_dir=str(tmp_path / "cache")
    )
    names = ds.features["ner_tags"].feature.names
    assert names == json.loads((out / "label_names.json").read_text())
    assert names[0] == "O" and "B-entity" in names
    got = set()
    for row in ds:
        text = corpus.document(row["id"]).text
        assert row["text"] == text
        for s in row["spans"]:
            assert text[s["start"] : s["end"]] == s["text"]
            got.add((row["id"], s["start"], s["end"], s["label"], s["text"]))
        tags = [names[i] for i in row["ner_tags"]]
        assert len(tags) == len(row["tokens"])
        kept = non_overlapping(
            [x for x in corpus.document(row["id"]).spans() if x.status == "accepted"]
        )[0]
        assert sum(t.startswith("B-") for t in tags) == len(kept)
    assert got == expected(corpus)


def test_brat_standoff_parsed_by_pybrat(corpus: Project, tmp_path: Path) -> None:
    pytest.importorskip("pybrat")
    from pybrat.parser import BratParser

    out = tmp_path / "brat"
    export(corpus, "brat", out)
    examples = BratParser(error="raise").parse(out)
    assert len(examples) == len(corpus.documents)
    got = set()
    for ex in examples:
        for ent in ex.entities:
            pieces = [ex.text[sp.start : sp.end] for sp in ent.spans]
            assert ent.mention == " ".join(pieces)
            got.add((ent.type, ent.mention))
    want = {
        (s.label, " ".join(s.text.replace("\r\n", "\n").split("\n")).strip())
        for d in corpus.documents
        for s in d.spans()
        if s.status == "accepted"
    }
    assert got == want
    # into an empty folder: documents made from the .txt files (\n line ends)
    back = round_trip(corpus, "brat", out, tmp_path)
    assert {(d, label, t) for d, _a, _b, label, t in back} == {
        (d, label, t.replace("\r\n", "\n")) for d, _a, _b, label, t in expected(corpus)
    }


def test_brat_import_into_the_project_keeps_crlf_offsets(corpus: Project, tmp_path: Path) -> None:
    out = tmp_path / "brat"
    export(corpus, "brat", out)
    again = without_spans(corpus)
    reader = FORMATS["brat"].read
    assert reader is not None
    plan = plan_import(again, reader(out), ImportOptions())
    assert plan.problems == []
    apply_import(again, plan)
    got = {(d.id, s.start, s.end, s.label, s.text) for d in again.documents for s in d.spans()}
    assert got == expected(corpus)


def test_doccano_offsets_are_utf16_units(corpus: Project, tmp_path: Path) -> None:
    out = tmp_path / "out.doccano.jsonl"
    export(corpus, "doccano", out)
    got = set()
    for line in out.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        text = record["text"]
        units = text.encode("utf-16-le")
        for start, end, label in record["label"]:
            covered = units[start * 2 : end * 2].decode("utf-16-le")  # as JavaScript slices
            got.add((record["id"], label, covered))
    assert got == {(d, label, t) for d, _a, _b, label, t in expected(corpus)}
    assert round_trip(corpus, "doccano", out, tmp_path) == expected(corpus)


def test_labelstudio_tasks_carry_annotations_and_predictions(
    corpus: Project, tmp_path: Path
) -> None:
    out = tmp_path / "tasks.json"
    export(corpus, "labelstudio", out, statuses=frozenset({"accepted", "pending"}))
    tasks = json.loads(out.read_text(encoding="utf-8"))
    config = (tmp_path / "tasks.config.xml").read_text(encoding="utf-8")
    accepted = set()
    predicted = set()
    for task in tasks:
        text = task["data"]["text"]
        for ann in task["annotations"]:
            for r in ann["result"]:
                v = r["value"]
                assert text[v["start"] : v["end"]] == v["text"]
                accepted.add(
                    (task["data"]["doc_id"], v["start"], v["end"], v["labels"][0], v["text"])
                )
        for pred in task["predictions"]:
            for r in pred["result"]:
                predicted.add((task["data"]["doc_id"], r["value"]["text"], pred["model_version"]))
    assert accepted == expected(corpus)
    assert predicted == {("tricky", "End", "model")}
    # back in: annotations as accepted spans, predictions as pending suggestions
    assert round_trip(corpus, "labelstudio", out, tmp_path) == expected(
        corpus, statuses=("accepted", "pending")
    )
    sdk = pytest.importorskip("label_studio_sdk.label_interface")
    li = sdk.LabelInterface(config)
    for task in tasks:
        for ann in task["annotations"]:
            assert li.validate_annotation(ann)
        for pred in task["predictions"]:
            assert li.validate_prediction(pred)


def test_w3c_annotations_meet_the_musts_and_expand_offline(corpus: Project, tmp_path: Path) -> None:
    out = tmp_path / "anno.jsonld"
    export(corpus, "w3c", out)
    data = json.loads(out.read_text(encoding="utf-8"))
    items = data["first"]["items"]
    got = set()
    for item in items:
        sel = {s["type"]: s for s in item["target"]["selector"]}
        doc_id = item["target"]["source"].rsplit(":", 1)[1]
        from urllib.parse import unquote

        text = corpus.document(unquote(doc_id)).text
        pos, quote = sel["TextPositionSelector"], sel["TextQuoteSelector"]
        assert text[pos["start"] : pos["end"]] == quote["exact"]
        assert text[: pos["start"]].endswith(quote["prefix"])
        got.add((unquote(doc_id), pos["start"], pos["end"], item["body"]["value"], quote["exact"]))
    assert got == expected(corpus)
    if not W3C.is_dir():
        pytest.skip("../shared/vendor-data/w3c-web-annotation is not present")
    for assertion, validator, should_pass in w3c_musts():
        for item in items[:25]:
            assert validator.is_valid(item) == should_pass, (assertion, item["id"])
    pyld = pytest.importorskip("pyld")
    context = json.loads((W3C / "anno.jsonld").read_text(encoding="utf-8"))

    def loader(url: str, options: object = None) -> dict[str, object]:
        assert url.rstrip("/") in ("http://www.w3.org/ns/anno.jsonld",), url
        return {"contextUrl": None, "documentUrl": url, "document": context}

    expanded = pyld.jsonld.expand(items[0], {"documentLoader": loader})
    node = expanded[0]
    assert "http://www.w3.org/ns/oa#hasTarget" in node
    selectors = node["http://www.w3.org/ns/oa#hasTarget"][0]["http://www.w3.org/ns/oa#hasSelector"]
    assert {s["@type"][0] for s in selectors} == {
        "http://www.w3.org/ns/oa#TextPositionSelector",
        "http://www.w3.org/ns/oa#TextQuoteSelector",
    }
    # import back into the project that has the texts
    again = without_spans(corpus)
    reader = FORMATS["w3c"].read
    assert reader is not None
    plan = plan_import(again, reader(out), ImportOptions())
    assert plan.problems == []
    apply_import(again, plan)
    assert {
        (d.id, s.start, s.end, s.label, s.text) for d in again.documents for s in d.spans()
    } == expected(corpus)


def test_csv_reads_in_pandas(corpus: Project, tmp_path: Path) -> None:
    out = tmp_path / "spans.csv"
    export(corpus, "csv", out, statuses=frozenset({"accepted", "pending", "rejected"}))
    with out.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    got = {(r["document"], int(r["start"]), int(r["end"]), r["label"], r["text"]) for r in rows}
    assert got == expected(corpus, statuses=("accepted", "pending", "rejected"))
    pandas = pytest.importorskip("pandas")
    frame = pandas.read_csv(out, keep_default_na=False)
    assert len(frame) == len(rows)
    for _i, row in frame.iterrows():
        assert corpus.document(row["document"]).text[row["start"] : row["end"]] == row["text"]


def test_every_format_is_listed_with_the_names_users_type() -> None:
    assert list(FORMATS) == [
        "jsonl",
        "spacy",
        "prodigy",
        "conll",
        "hf",
        "brat",
        "labelstudio",
        "doccano",
        "w3c",
        "coref",
        "csv",
        "text",
        "html",
        "pdf",
    ]


def test_jsonl_lines_stay_one_line_and_keep_values_orjson_refuses(
    corpus: Project, tmp_path: Path
) -> None:
    """Line separators in the text stay escaped (str.splitlines and JavaScript break
    on them) and pandas reads every record back; an attribute integer beyond 64 bits
    (orjson refuses it, pandas cannot hold it) is still written as it is."""
    import pandas as pd

    from tests.formats.conftest import tag

    doc = next(d for d in corpus.documents if len(d.text) >= 4)  # not the empty article
    note = "one\u2028two\u2029three\x85four"
    span = tag(corpus, doc.id, doc.text[:3], "entity", note=note)
    out = tmp_path / "out.jsonl"
    export(corpus, "jsonl", out)
    assert len(out.read_text(encoding="utf-8").splitlines()) == len(corpus.documents)
    frame = pd.read_json(out, lines=True, dtype=False)
    assert list(frame["id"]) == [d.id for d in corpus.documents]
    assert next(s for s in frame["spans"][0] if s["id"] == span.id)["note"] == note

    big = tag(corpus, doc.id, doc.text[:4], "claim", attributes={"big": 2**70}, note=note)
    export(corpus, "jsonl", out)
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(corpus.documents)
    written = next(s for s in json.loads(lines[0])["spans"] if s["id"] == big.id)
    assert written["attributes"] == {"big": 2**70}
    assert written["note"] == note
