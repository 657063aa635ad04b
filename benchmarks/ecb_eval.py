"""align-entities on ECB+ against the baselines: python benchmarks/ecb_eval.py [--split dev]

ECB+ (``../shared/data/ecbplus/``, CC BY 3.0: Cybulska and Vossen, LREC 2014): news from
many outlets per event, gold entity mentions and gold cross-document chains. The
standard setting: gold mentions, scored per topic, singletons included, with MUC, B³
and CEAF-e (scorch) and their average, the CoNLL F1. Each topic becomes a project: its
documents (the annotated sentences, one a line) with every gold entity mention as an
accepted ``entity`` span; ``align-entities`` proposes ``same`` links; the clusters are
the connected components of the links it proposes between gold mentions (a proposed
span that is no gold mention is left out, as the gold-mention setting asks).

Baselines printed beside it: *same string* (mentions written alike, lower-cased, in a
topic are one cluster), *same head* (the last token, lower-cased: the "lemma baseline"
of cross-document coreference) and *singletons* (every mention alone). The dev split
is for choosing; report it as held out only for a method not tuned on it; the test
split is not here on purpose. Prints one row per method, the topics pooled (clusters
never cross topics) and, in brackets, the mean of the per-topic CoNLL F1.
"""

from __future__ import annotations

import argparse
import gzip
import json
import statistics
import sys
import tempfile
from collections import defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DATA = ROOT.parent / "shared" / "data" / "ecbplus"

Mention = dict[str, object]


def load(split: str) -> dict[str, list[Mention]]:
    """The split's entity mentions by topic."""
    with gzip.open(DATA / f"{split}_entity_gold_mentions.json.gz", "rt", encoding="utf-8") as f:
        mentions = json.load(f)
    by_topic: dict[str, list[Mention]] = defaultdict(list)
    for n, m in enumerate(mentions):
        m["key"] = n
        by_topic[str(m["topic"])].append(m)
    return dict(by_topic)


def documents(mentions: list[Mention]) -> tuple[dict[str, str], dict[int, tuple[str, int, int]]]:
    """Each document's text (its annotated sentences, one a line, in order) and each
    mention's place in it (document, start, end in code points)."""
    sentences: dict[str, dict[int, str]] = defaultdict(dict)
    for m in mentions:
        sentences[str(m["doc_id"])][int(str(m["sent_id"]))] = str(m["full_sentence"])
    texts, line_start = {}, {}
    for doc, by_id in sentences.items():
        offset, lines = 0, []
        for sent_id in sorted(by_id):
            line_start[(doc, sent_id)] = offset
            lines.append(by_id[sent_id])
            offset += len(by_id[sent_id]) + 1
        texts[doc] = "\n".join(lines) + "\n"
    places = {}
    for m in mentions:
        doc, sent = str(m["doc_id"]), int(str(m["sent_id"]))
        full = str(m["full_sentence"])
        left, right = str(m.get("left_sentence") or ""), str(m.get("right_sentence") or "")
        first = line_start[(doc, sent)] + (len(left) + 1 if left else 0)
        # to the last token: a mention of tokens apart covers what lies between
        last = line_start[(doc, sent)] + len(full) - (len(right) + 1 if right else 0)
        first_token = str(m["tokens_str"]).split()[0]
        assert texts[doc][first:last].startswith(first_token), (doc, m["tokens_str"])
        places[int(str(m["key"]))] = (doc, first, last)
    return texts, places


def components(keys: Iterable[int], pairs: Iterable[tuple[int, int]]) -> list[set[int]]:
    parent = {k: k for k in keys}

    def root(k: int) -> int:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    for a, b in pairs:
        parent[root(a)] = root(b)
    groups: dict[int, set[int]] = defaultdict(set)
    for k in parent:
        groups[root(k)].add(k)
    return list(groups.values())


def by_feature(mentions: list[Mention], feature: Callable[[Mention], str]) -> list[set[int]]:
    groups: dict[str, set[int]] = defaultdict(set)
    for m in mentions:
        groups[feature(m)].add(int(str(m["key"])))
    return list(groups.values())


def aligned(mentions: list[Mention], tmp: Path) -> list[set[int]]:
    """The clusters align-entities makes of the topic's gold mentions."""
    from annotator.core.commands import AddSpan, make_span
    from annotator.core.history import History
    from annotator.core.project import Document, Project
    from annotator.extract import load as load_extractor

    texts, places = documents(mentions)
    project = Project(root=tmp)
    for doc_id, text in texts.items():
        project.add_document(Document(id=doc_id.replace(".", "_"), path=f"{doc_id}.txt", text=text))
    history = History(project)
    at: dict[tuple[str, int, int], int] = {}
    for key, (doc, start, end) in places.items():
        doc_id = doc.replace(".", "_")
        at[(doc_id, start, end)] = key
        if any(
            (s.start, s.end) == (start, end)
            for s in project.document(doc_id).spans_overlapping(start, end)
        ):
            continue  # a mention given twice (the same tokens)
        span = make_span(project.document(doc_id), start, end, "entity", snap=False)
        history.execute(AddSpan(doc_id, span))
    aligner = load_extractor("align-entities")
    found = aligner.align(project, list(project.documents))  # type: ignore[attr-defined]
    pairs = []
    for a in found:
        one = at.get((a.source.document, a.source.start, a.source.end))
        two = at.get((a.target.document, a.target.start, a.target.end))
        if a.type == "same" and one is not None and two is not None:
            pairs.append((one, two))
    # mentions sharing tokens are one gold key each: join twins so that each scores once
    return components([int(str(m["key"])) for m in mentions], pairs)


def score(key: list[set[int]], response: list[set[int]]) -> dict[str, float]:
    from scorch import scores

    out = {}
    for name, measure in (("muc", scores.muc), ("b3", scores.b_cubed), ("ceaf_e", scores.ceaf_e)):
        _r, _p, f = measure(key, response)
        out[name] = float(f)
    out["conll"] = (out["muc"] + out["b3"] + out["ceaf_e"]) / 3
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="dev", choices=("train", "dev"))
    opts = parser.parse_args()
    if not DATA.is_dir():
        print(f"{DATA} is not here: nothing to measure")
        return 0
    topics = load(opts.split)
    methods: dict[str, Callable[[list[Mention], Path], list[set[int]]]] = {
        "singletons": lambda ms, _t: [{int(str(m["key"]))} for m in ms],
        "same string": lambda ms, _t: by_feature(ms, lambda m: str(m["tokens_str"]).lower()),
        "same head": lambda ms, _t: by_feature(
            ms, lambda m: str(m["tokens_str"]).split()[-1].lower()
        ),
        "align-entities": aligned,
    }
    pooled_key: list[set[int]] = []
    pooled: dict[str, list[set[int]]] = {name: [] for name in methods}
    per_topic: dict[str, list[float]] = {name: [] for name in methods}
    with tempfile.TemporaryDirectory() as tmp:
        for topic, mentions in sorted(topics.items()):
            key = by_feature(mentions, lambda m: str(m["coref_chain"]))
            pooled_key += key
            for name, method in methods.items():
                response = method(mentions, Path(tmp) / f"t{topic}")
                pooled[name] += response
                per_topic[name].append(score(key, response)["conll"])
    mentions_total = sum(len(ms) for ms in topics.values())
    print(
        f"ECB+ {opts.split}: {len(topics)} topics, {mentions_total} gold entity mentions, "
        "singletons included"
    )
    print(f"{'method':16} {'MUC':>6} {'B3':>6} {'CEAF-e':>7} {'CoNLL':>6}  (mean per topic)")
    for name in methods:
        s = score(pooled_key, pooled[name])
        mean = statistics.mean(per_topic[name])
        print(
            f"{name:16} {s['muc'] * 100:6.1f} {s['b3'] * 100:6.1f} {s['ceaf_e'] * 100:7.1f} "
            f"{s['conll'] * 100:6.1f}  ({mean * 100:.1f})"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
