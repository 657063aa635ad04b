"""Relations, links and clusters in every format that can hold them, each read by its
own ecosystem's tools: datasets for JSONL, pybrat for brat, label-studio-sdk for Label
Studio, the W3C test schemas for Web Annotation, scorch (library and command line) for
the coreference export, spaCy for kb_id; and JSONL, brat and Label Studio imported back
from the command line."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from annotator.core.clusters import clusters
from annotator.core.models import End, Relation, new_relation_id
from annotator.core.project import Project
from annotator.io.load import load_project, open_project
from annotator.io.save import save_project
from tests.formats.test_exports import W3C, w3c_musts
from tests.test_cli import run


def _relate(
    project: Project, kind: str, a: tuple[str, str], b: tuple[str, str], **extra: object
) -> Relation:
    def key(doc_id: str, text: str) -> tuple[str, str]:
        span = next(s for s in project.document(doc_id).spans() if s.text == text)
        return (doc_id, span.id)

    (da, sa), (db, sb) = key(*a), key(*b)
    relation = Relation(
        id=new_relation_id(),
        type=kind,
        source=End(document=da, span=sa),
        target=End(document=db, span=sb),
        **extra,  # type: ignore[arg-type]
    )
    project.put_relation(relation)
    return relation


@pytest.fixture
def linked(corpus: Project) -> Project:
    """The format corpus with a speaker relation, a cluster of three across two
    documents (one link inside rtl), a contradiction across them and a pending
    suggestion."""
    _relate(corpus, "speaker", ("tricky", "rates will rise"), ("tricky", "Ana"))
    _relate(corpus, "same", ("tricky", "Ana"), ("rtl", "Zoë"))
    _relate(corpus, "same", ("rtl", "Zoë"), ("rtl", "أحمد"))
    _relate(corpus, "contradicts", ("tricky", "Paris"), ("rtl", "Tel Aviv 🇮🇱"))
    _relate(
        corpus,
        "source",
        ("tricky", "Ana in Paris"),
        ("tricky", "Paris"),
        origin="model",
        status="pending",
        score=0.7,
    )
    (cluster,) = clusters(corpus)
    corpus.cluster_names[cluster.members[0]] = "The speaker"
    save_project(corpus)
    return corpus


def accepted(project: Project) -> set[tuple[str, str, str, str, str]]:
    """(type, source document, source text, target document, target text)."""
    out = set()
    for r in project.relations():
        if r.status != "accepted":
            continue
        a, b = project.span_of(r.source.key), project.span_of(r.target.key)
        assert a is not None and b is not None
        ends = [(r.source.document, a.text), (r.target.document, b.text)]
        kind = project.relation_type(r.type)
        if kind is not None and not kind.directed:
            ends.sort()  # either way round is the same relation
        out.add((r.type, *ends[0], *ends[1]))
    return out


def _row(kind: str, a: tuple[str, str], b: tuple[str, str]) -> tuple[str, str, str, str, str]:
    if kind in ("same", "contradicts", "differs"):
        a, b = sorted([a, b])
    return (kind, *a, *b)


def unlinked_copy(project: Project, tmp_path: Path) -> Path:
    """The same documents and spans, without a relation: an import must add them."""
    target = tmp_path / "unlinked"
    shutil.copytree(project.root, target)
    again, _ = load_project(target)
    for relation in again.relations():
        again.pop_relation(relation.id)
    again.cluster_names.clear()
    save_project(again)
    return target


def test_jsonl_relations_and_links_load_in_datasets_and_import_back(
    linked: Project, tmp_path: Path
) -> None:
    datasets = pytest.importorskip("datasets")
    out = tmp_path / "out.jsonl"
    done = run("export", str(linked.root), "-f", "jsonl", "-o", str(out))
    assert done.returncode == 0, done.stderr
    links = tmp_path / "out.links.jsonl"
    assert links.is_file()
    docs = datasets.load_dataset("json", data_files=str(out), split="train")
    found = set()
    for row in docs:
        text = row["text"]
        by_id = {s["id"]: s for s in row["spans"]}
        for r in row["relations"]:
            for end in (r["source"], r["target"]):
                assert text[end["start"] : end["end"]] == end["text"]
                assert by_id[end["span"]]["text"] == end["text"]
            found.add(
                _row(r["type"], (row["id"], r["source"]["text"]), (row["id"], r["target"]["text"]))
            )
        clusters_here = {s["cluster"] for s in row["spans"] if s.get("cluster")}
        if row["id"] in ("tricky", "rtl"):
            assert len(clusters_here) == 1
    texts = {row["id"]: row["text"] for row in docs}
    for r in datasets.load_dataset("json", data_files=str(links), split="train"):
        a, b = r["source"], r["target"]
        assert texts[a["document"]][a["start"] : a["end"]] == a["text"]
        assert texts[b["document"]][b["start"] : b["end"]] == b["text"]
        found.add(_row(r["type"], (a["document"], a["text"]), (b["document"], b["text"])))
    assert found == accepted(linked)  # the pending suggestion stays out by default
    target = unlinked_copy(linked, tmp_path)
    imported = run("import", str(target), str(out), "-f", "jsonl")
    assert imported.returncode == 0, imported.stderr
    assert "4 relations" in imported.stdout
    back, report = load_project(target)
    assert not report.errors
    assert accepted(back) == accepted(linked)
    # importing again adds nothing twice
    again = run("import", str(target), str(out), "-f", "jsonl")
    assert again.returncode == 0 and "relation" not in again.stdout.split("(")[0]
    assert load_project(target)[0].relation_count == 4


def test_brat_relations_and_equivalences_parsed_by_pybrat_and_imported_back(
    linked: Project, tmp_path: Path
) -> None:
    pytest.importorskip("pybrat")
    from pybrat.parser import BratParser

    out = tmp_path / "brat"
    done = run("export", str(linked.root), "-f", "brat", "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert "2 links across documents left out (brat cannot hold them)" in done.stdout
    examples = {ex.id: ex for ex in BratParser(error="raise").parse(out)}
    got = {
        (rel.type, ex_id, rel.arg1.mention, rel.arg2.mention)
        for ex_id, ex in examples.items()
        for rel in ex.relations
    }
    assert ("speaker", "tricky", "rates will rise", "Ana") in got
    assert ("Equiv", "rtl", "Zoë", "أحمد") in got or ("Equiv", "rtl", "أحمد", "Zoë") in got
    assert not any(t == "contradicts" for t, *_ in got)  # across documents: left out, said so
    conf = (out / "annotation.conf").read_text(encoding="utf-8")
    assert "Equiv\tArg1:<ENTITY>, Arg2:<ENTITY>, <REL-TYPE>:symmetric-transitive" in conf
    target = unlinked_copy(linked, tmp_path)
    imported = run("import", str(target), str(out), "-f", "brat")
    assert imported.returncode == 0, imported.stderr
    back, _ = load_project(target)
    inside = {r for r in accepted(linked) if r[1] == r[3]}
    assert accepted(back) == inside


def test_labelstudio_relations_validated_by_the_sdk_and_imported_back(
    linked: Project, tmp_path: Path
) -> None:
    out = tmp_path / "tasks.json"
    done = run("export", str(linked.root), "-f", "labelstudio", "-o", str(out), "--status", "all")
    assert done.returncode == 0, done.stderr
    tasks = json.loads(out.read_text(encoding="utf-8"))
    relations = {}
    for task in tasks:
        for group in (*task["annotations"], *task["predictions"]):
            regions = {r["id"]: r for r in group["result"] if r["type"] == "labels"}
            for r in group["result"]:
                if r["type"] == "relation":
                    a, b = regions[r["from_id"]], regions[r["to_id"]]
                    relations[r["labels"][0]] = (a["value"]["text"], b["value"]["text"])
    assert relations == {
        "speaker": ("rates will rise", "Ana"),
        "same": ("Zoë", "أحمد"),
        "source": ("Ana in Paris", "Paris"),  # the suggestion, among its model's predictions
    }
    sdk = pytest.importorskip("label_studio_sdk.label_interface")
    config = (tmp_path / "tasks.config.xml").read_text(encoding="utf-8")
    interface = sdk.LabelInterface(config)
    assert {"speaker", "same"} <= set(interface.get_tag("label").labels) | set(
        _relation_values(config)
    )
    for task in tasks:
        for ann in task["annotations"]:
            assert interface.validate_annotation(ann)
        for pred in task["predictions"]:
            assert interface.validate_prediction(pred)
    target = unlinked_copy(linked, tmp_path)
    imported = run("import", str(target), str(out), "-f", "labelstudio")
    assert imported.returncode == 0, imported.stderr
    back, _ = load_project(target)
    inside = {r for r in accepted(linked) if r[1] == r[3]}
    assert accepted(back) == inside
    pending = [r for r in back.relations() if r.status == "pending"]
    assert [r.type for r in pending] == ["source"]


def _relation_values(config: str) -> list[str]:
    import xml.etree.ElementTree as ET

    return [node.attrib["value"] for node in ET.fromstring(config).iter("Relation")]


def test_w3c_linking_and_identifying_meet_the_musts(linked: Project, tmp_path: Path) -> None:
    out = tmp_path / "anno.jsonld"
    done = run("export", str(linked.root), "-f", "w3c", "-o", str(out))
    assert done.returncode == 0, done.stderr
    items = json.loads(out.read_text(encoding="utf-8"))["first"]["items"]
    linking = [i for i in items if i["motivation"] == "linking"]
    identifying = [i for i in items if i["motivation"] == "identifying"]
    assert len(linking) == 4 and len(identifying) == 1
    assert identifying[0]["body"]["value"] == "The speaker"
    assert len(identifying[0]["target"]) == 3
    for item in linking + identifying:
        for target in item["target"]:
            sel = {s["type"]: s for s in target["selector"]}
            from urllib.parse import unquote

            text = linked.document(unquote(target["source"].rsplit(":", 1)[1])).text
            pos, quote = sel["TextPositionSelector"], sel["TextQuoteSelector"]
            assert text[pos["start"] : pos["end"]] == quote["exact"]
    if not W3C.is_dir():
        pytest.skip("../shared/vendor-data/w3c-web-annotation is not present")
    checked = 0
    for assertion, validator, should_pass in w3c_musts():
        for item in linking + identifying:
            assert validator.is_valid(item) == should_pass, (assertion, item["id"])
            checked += 1
    assert checked > 10
    # the same file brings the relations and links back (ends found by their offsets)
    target = unlinked_copy(linked, tmp_path)
    imported = run("import", str(target), str(out), "-f", "w3c")
    assert imported.returncode == 0, imported.stderr
    back, _ = load_project(target)
    assert accepted(back) == accepted(linked)
    assert len(accepted(back)) == 4
    # importing again adds nothing twice
    again = run("import", str(target), str(out), "-f", "w3c")
    assert again.returncode == 0, again.stderr
    assert load_project(target)[0].relation_count == back.relation_count


def test_coref_export_scored_by_scorch_library_and_command_line(
    linked: Project, tmp_path: Path
) -> None:
    scores = pytest.importorskip("scorch.scores")
    from scorch.conll import parse_file

    out = tmp_path / "coref"
    done = run("export", str(linked.root), "-f", "coref", "-o", str(out))
    assert done.returncode == 0, done.stderr
    data = json.loads((out / "clusters.json").read_text(encoding="utf-8"))
    key = [set(members) for members in data["clusters"].values()]
    assert [len(c) for c in key] == [3]
    for mention in data["mentions"]:
        text = linked.document(mention["document"]).text
        assert text[mention["start"] : mention["end"]] == mention["text"]
        assert mention["cluster_name"] == "The speaker"
    # the CoNLL-2012 file, read by scorch's own CoNLL reader: one chain across documents
    lines = (out / "corpus.conll").read_text(encoding="utf-8").splitlines()
    ((_name, entities),) = list(parse_file(lines))
    chains = [set(mentions) for mentions in entities.values()]
    assert [len(c) for c in chains] == [3]
    documents = {line.split("\t")[0] for line in lines if line and not line.startswith("#")}
    assert documents == {"tricky", "rtl"}
    for response in (key, chains):
        reference = key if response is key else chains
        for metric in (scores.muc, scores.b_cubed, scores.ceaf_e):
            assert metric(reference, response)[2] == pytest.approx(1.0)
        assert scores.conll2012(reference, response) == pytest.approx(1.0)
    # the scorer's command line, as its users run it
    report = subprocess.run(
        [
            str(Path(sys.executable).parent / "scorch"),
            str(out / "clusters.json"),
            str(out / "clusters.json"),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    lines = report.stdout.splitlines()
    for metric in ("MUC", "B³", "CEAF_e"):
        assert f"{metric}:\tR=1.0\tP=1.0\tF₁=1.0" in lines, report.stdout
    assert "CoNLL-2012 average score: 1.0" in lines


def test_spacy_kb_id_carries_the_cluster(linked: Project, tmp_path: Path) -> None:
    spacy = pytest.importorskip("spacy")
    from spacy.tokens import DocBin

    out = tmp_path / "out.spacy"
    done = run("export", str(linked.root), "-f", "spacy", "-o", str(out))
    assert done.returncode == 0, done.stderr
    nlp = spacy.blank("en")
    docs = {d.user_data["annotator"]["id"]: d for d in DocBin().from_disk(out).get_docs(nlp.vocab)}
    (cluster,) = clusters(linked)
    kb = {
        (doc_id, sp.text): sp.kb_id_
        for doc_id, doc in docs.items()
        for sp in doc.spans["sc"]
        if sp.kb_id_
    }
    assert kb == {
        ("tricky", "Ana"): cluster.id,
        ("rtl", "Zoë"): cluster.id,
        ("rtl", "أحمد"): cluster.id,
    }
    ents = {(doc_id, e.text): e.kb_id_ for doc_id, doc in docs.items() for e in doc.ents}
    assert ents[("rtl", "Zoë")] == cluster.id
    assert docs["rtl"].user_data["annotator"]["clusters"] == {cluster.id: "The speaker"}


def test_links_of_a_reopened_project_are_kept_by_open_project(linked: Project) -> None:
    again, report = open_project(linked.root)
    assert not report.errors and again.relation_count == linked.relation_count
