"""Cross-document coreference: the clusters that ``same`` links form, as a folder with
``corpus.conll`` (CoNLL-2012 style) and ``clusters.json`` (mentions).

``corpus.conll`` puts every exported document in one ``#begin document (corpus);
part 000`` block, so that a chain can run across documents: one line a token,
``DOCUMENT SENTENCE TOKEN WORD CHAIN``, with a blank line after each sentence. The
chain column is ``-`` or the chain number in CoNLL-2012's brackets (``(3``, ``3)``,
``(3)``, ``(3|(5``), one number per cluster, shared by every document. Document ids
have their white space replaced by ``_`` there (``clusters.json`` has them exactly).
Mentions whose edges are not token edges are moved to them and counted.

``clusters.json`` is what coreference scorers read (``{"type": "clusters",
"clusters": {chain: [mention, …]}}``, the input of ``scorch``), plus ``mentions``: one
record per mention with its document, span id, code-point offsets, text, label,
chain and cluster name. Only spans in a cluster are written (no singletons), as in
CoNLL-2012.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from annotator.extract.sentences import sentences
from annotator.formats.relations import exported_clusters, exported_relations
from annotator.formats.tokens import edges, moved, token_range, tokenize
from annotator.io.atomic import atomic_write_text

if TYPE_CHECKING:
    from annotator.core.models import Span
    from annotator.core.project import Project
    from annotator.formats import ExportOptions, ExportResult

CONLL_NAME = "corpus.conll"
JSON_NAME = "clusters.json"


def mention_id(doc_id: str, span: Span) -> str:
    """How ``clusters.json`` names a mention: ``DOCUMENT:START-END``."""
    return f"{doc_id}:{span.start}-{span.end}"


def write(project: Project, output: Path, options: ExportOptions) -> ExportResult:  # noqa: C901
    """Long on purpose: one branch per record kind the format has (spans, attributes, relations,
    links), each written where the format wants it.
    """
    from annotator.formats import MOVED, ExportResult

    result = ExportResult()
    output.mkdir(parents=True, exist_ok=True)
    relations = exported_relations(project, options) if project.relation_count else []
    found = exported_clusters(project, relations)
    chain_of: dict[tuple[str, str], int] = {}
    for number, cluster in enumerate(found, start=1):
        for key in cluster.members:
            chain_of[key] = number
    lines = ["#begin document (corpus); part 000"]
    mentions: list[dict[str, Any]] = []
    for doc in options.documents_of(project):
        members = [s for s in doc.spans() if (doc.id, s.id) in chain_of]
        if not members:
            continue
        result.documents += 1
        tokens = tokenize(doc.text, members, options.tokenizer)
        index = edges(tokens)
        opens: dict[int, list[int]] = {}
        closes: dict[int, list[int]] = {}
        for span in members:
            first, last = token_range(span, *index, tokens)
            if first is None or last is None:
                result.note(MOVED, f"{doc.id}: span {span.id} covers no token; left out")
                continue
            if moved(span, first, last, tokens):
                result.note(MOVED, f"{doc.id}: span {span.id} {MOVED}")
            chain = chain_of[(doc.id, span.id)]
            opens.setdefault(first, []).append(chain)
            closes.setdefault(last, []).append(chain)
            mentions.append(
                _mention(doc.id, span, chain, found[chain - 1].name, found[chain - 1].id)
            )
            result.spans += 1
        name = re.sub(r"\s+", "_", doc.id)
        token_no = sentence_no = depth = 0
        ends = {end for _start, end in sentences(doc.text)}
        for i, (a, b) in enumerate(tokens):
            lines.append(
                f"{name}\t{sentence_no}\t{token_no}\t{doc.text[a:b]}\t{_chain(i, opens, closes)}"
            )
            token_no += 1
            depth += len(opens.get(i, ())) - len(closes.get(i, ()))
            if b in ends and depth == 0:  # a sentence never ends inside a mention
                lines.append("")
                sentence_no += 1
                token_no = 0
        if lines[-1] != "":
            lines.append("")
    lines.append("#end document")
    atomic_write_text(output / CONLL_NAME, "\n".join(lines) + "\n")
    clusters_json = {
        "type": "clusters",
        "clusters": {
            str(n): [m["mention"] for m in mentions if m["chain"] == n]
            for n in range(1, len(found) + 1)
        },
        "mentions": mentions,
    }
    atomic_write_text(
        output / JSON_NAME, json.dumps(clusters_json, ensure_ascii=False, indent=1) + "\n"
    )
    result.relations = len(relations)
    return result


def _mention(doc_id: str, span: Span, chain: int, name: str, cluster: str) -> dict[str, Any]:
    return {
        "mention": mention_id(doc_id, span),
        "document": doc_id,
        "span": span.id,
        "start": span.start,
        "end": span.end,
        "text": span.text,
        "label": span.label,
        "chain": chain,
        "cluster": cluster,
        "cluster_name": name,
    }


def _chain(i: int, opens: dict[int, list[int]], closes: dict[int, list[int]]) -> str:
    """The chain column of token ``i``: ``(3`` opens, ``3)`` closes, ``(3)`` both."""
    parts = []
    starting, ending = list(opens.get(i, [])), list(closes.get(i, []))
    for chain in starting:
        if chain in ending:
            ending.remove(chain)
            parts.append(f"({chain})")
        else:
            parts.append(f"({chain}")
    parts += [f"{chain})" for chain in ending]
    return "|".join(parts) or "-"
