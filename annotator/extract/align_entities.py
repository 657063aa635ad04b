"""The ``align-entities`` aligner: the same person, organisation or place in several
documents, despite variant spellings and transliterations.

Mentions are the entity spans the documents have (not rejected ones) and the names
:func:`annotator.extract.names.find_names` finds, one per distinct written form in a
document (its first occurrence), plus the written-out words of an acronym
(``Russian military intelligence (GRU)``). Two mentions are one entity when their
names match (:func:`annotator.extract.names.name_similarity` ≥ ``min_score``):
across documents, and within one (a surname alone after the full name). Groups are
joined strongest match first; a match that would put two full names with different
first names in one group ("Sergei Skripal", "Yulia Skripal") is left out. Only
groups found in at least two documents are proposed: as the ``same`` links of their
strongest spanning tree (n mentions, n − 1 links), each ending on the span there or
on a suggested ``entity`` span proposed with it. An entity span written as an earlier
one of its document (the name said again) is linked to it, pronouns aside.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cached_property

from rapidfuzz import process
from rapidfuzz.distance import Indel

from annotator.core.progress import Cancelled
from annotator.core.project import Document, Project
from annotator.core.suggestions import Alignment
from annotator.extract.align import ScoredAligner, in_order, proposal, spanning
from annotator.extract.names import (
    MATCH,
    acronym_aliases,
    blocking_keys,
    find_names,
    fold,
    initials,
    name_similarity,
)

LABEL = "entity"
# words that point rather than name: the same one twice in an article may be two people
PRONOUNS = frozenset(
    [
        "he",
        "she",
        "it",
        "they",
        "him",
        "her",
        "them",
        "his",
        "hers",
        "its",
        "their",
        "theirs",
        "we",
        "us",
        "our",
        "i",
        "me",
        "my",
        "you",
        "your",
        "this",
        "that",
        "these",
        "those",
        "who",
        "whom",
        "which",
    ]
)


@dataclass(frozen=True)
class _Node:
    document: str
    start: int
    end: int
    text: str
    order: int  # the document's place among those aligned

    @cached_property
    def key(self) -> tuple[str, str]:
        return (self.document, fold(self.text))


class EntityAligner(ScoredAligner):
    name = "align-entities"
    DEFAULT_MIN_SCORE = MATCH
    label = LABEL

    def align(
        self,
        project: Project,
        documents: list[Document],
        progress: Callable[[int, int], None] | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> list[Alignment]:
        nodes: list[_Node] = []
        aliases: dict[tuple[str, str], str] = {}  # (document, folded words) → acronym
        for i, doc in enumerate(documents):
            if cancelled is not None and cancelled():
                raise Cancelled
            found, doc_aliases = self.mentions(doc, i)
            nodes += found
            aliases.update(doc_aliases)
            if progress is not None:
                progress(i + 1, len(documents) + 1)
        nodes += _written_out_elsewhere(documents, nodes, aliases)
        edges = self._edges(nodes, aliases)
        group_of: dict[_Node, int] = {}
        for i, group in enumerate(_groups(nodes, edges)):
            if len({m.document for m in group}) > 1:
                group_of.update((n, i) for n in group)
        inside = (e for e in edges if e[1] in group_of and group_of[e[1]] == group_of.get(e[2]))
        out = in_order(
            [
                proposal("same", a, b, LABEL, round(score, 3))
                for score, a, b in spanning(sorted(inside, key=_longest_first))
            ]
            + [proposal("same", a, b, LABEL, 1.0) for a, b in self.repeats(documents)]
        )
        if progress is not None:
            progress(len(documents) + 1, len(documents) + 1)
        return out

    def repeats(self, documents: list[Document]) -> Iterator[tuple[_Node, _Node]]:
        """Each entity span written as an earlier one in its document (a name said
        again), with that earlier one: the same entity, pronouns aside ("he" twice
        may be two people)."""
        for order, doc in enumerate(documents):
            first: dict[str, _Node] = {}
            for span in doc.spans():
                text = " ".join(span.text.split())
                form = fold(text)
                if span.label != self.label or span.status == "rejected" or not form:
                    continue
                if form in PRONOUNS:
                    continue
                node = _Node(doc.id, span.start, span.end, text, order)
                if form in first:
                    yield first[form], node
                else:
                    first[form] = node

    def mentions(self, doc: Document, order: int) -> tuple[list[_Node], dict[tuple[str, str], str]]:
        """One node per distinct written form (the entity span there first), and the
        acronyms written out in the document."""
        by_form: dict[str, _Node] = {}
        for span in doc.spans():
            if span.label == self.label and span.status != "rejected":
                text = " ".join(span.text.split())
                if text:
                    by_form.setdefault(fold(text), _Node(doc.id, span.start, span.end, text, order))
        for name in find_names(doc.text):
            node = _Node(doc.id, name.start, name.end, name.text, order)
            by_form.setdefault(fold(name.text), node)
        aliases: dict[tuple[str, str], str] = {}
        for acronym, words in acronym_aliases(doc.text).items():
            node = _Node(doc.id, words.start, words.end, words.text, order)
            by_form.setdefault(fold(words.text), node)
            aliases[(doc.id, fold(words.text))] = acronym
        return sorted(by_form.values(), key=lambda n: n.start), aliases

    def _edges(
        self, nodes: list[_Node], aliases: dict[tuple[str, str], str]
    ) -> list[tuple[float, _Node, _Node]]:
        expansions = {words: acronym for (_doc, words), acronym in aliases.items()}
        edges: dict[tuple[_Node, _Node], float] = {}
        candidates = list(_candidate_pairs(nodes))
        # acronyms: "GRU" meets the words it stands for, and those words in other documents
        for node in nodes:
            acronym = expansions.get(node.key[1])
            if acronym is not None:
                candidates += [(node, other) for other in nodes if other.text == acronym]
        for a, b in candidates:
            if (a.order, a.start) > (b.order, b.start):
                a, b = b, a
            if a.key == b.key:
                continue
            score = self._score(a, b, expansions)
            if score >= self.min_score:
                edges[(a, b)] = max(score, edges.get((a, b), 0.0))
        return [(score, a, b) for (a, b), score in edges.items()]

    @staticmethod
    def _score(a: _Node, b: _Node, expansions: dict[str, str]) -> float:
        if expansions.get(a.key[1]) == b.text or expansions.get(b.key[1]) == a.text:
            return 0.95
        if a.key[1] == b.key[1]:
            return 1.0
        return name_similarity(a.text, b.text)


BLOCK = 0.75  # how alike a key must be for a pair to be scored at all (below MATCH)


def _candidate_pairs(nodes: list[_Node]) -> Iterator[tuple[_Node, _Node]]:  # noqa: C901
    """The pairs worth scoring: alike in a blocking key
    (:func:`annotator.extract.names.blocking_keys`, by rapidfuzz in C++ rather than every
    pair in Python), or an acronym and a name with those initials.

    Long on purpose: each blocking key and the acronym rule is one branch of one loop (kept in
    one frame: it runs for every pair of mentions).
    """
    keys = [blocking_keys(n.text) for n in nodes]
    lasts, rests, firsts = ([k[i] for k in keys] for i in range(3))
    seen: set[tuple[int, int]] = set()
    for i, (last, rest, _first) in enumerate(keys):
        for query, choices in ((last, lasts), (rest, rests), (last, firsts)):
            if len(query) < 2:
                continue
            for _c, _s, j in process.extract(
                query, choices, scorer=Indel.normalized_similarity, score_cutoff=BLOCK, limit=None
            ):
                pair = (min(i, j), max(i, j))
                if i != j and pair not in seen:
                    seen.add(pair)
                    yield nodes[pair[0]], nodes[pair[1]]
    by_initials: dict[str, list[int]] = {}
    for j, node in enumerate(nodes):
        if found := initials(node.text):
            by_initials.setdefault(found, []).append(j)
    for i, node in enumerate(nodes):
        word = node.text.strip()
        for j in by_initials.get(word, []) if word.isupper() else []:
            pair = (min(i, j), max(i, j))
            if pair not in seen:
                seen.add(pair)
                yield nodes[pair[0]], nodes[pair[1]]


def _longest_first(edge: tuple[float, _Node, _Node]) -> int:
    """Among equal scores, link full names first (surnames alone hang off them)."""
    return -len(edge[1].text.split()) - len(edge[2].text.split())


def _written_out_elsewhere(
    documents: list[Document], nodes: list[_Node], aliases: dict[tuple[str, str], str]
) -> list[_Node]:
    """The words an acronym stands for, written in another document without it."""
    have = {n.key for n in nodes}
    out: list[_Node] = []
    for (doc_id, _words), _acronym in aliases.items():
        words = next(n.text for n in nodes if n.key == (doc_id, _words))
        pattern = re.compile(r"(?<!\w)" + r"\s+".join(map(re.escape, words.split())) + r"(?!\w)")
        for order, doc in enumerate(documents):
            if doc.id == doc_id or (doc.id, _words) in have:
                continue
            m = pattern.search(doc.text)
            if m:
                out.append(_Node(doc.id, m.start(), m.end(), m.group(), order))
                have.add((doc.id, _words))
    return out


def _groups(nodes: list[_Node], edges: list[tuple[float, _Node, _Node]]) -> list[list[_Node]]:
    """Join the nodes strongest edge first, never two full names of different people."""
    group_of: dict[_Node, list[_Node]] = {n: [n] for n in nodes}
    for _score, a, b in sorted(edges, key=lambda e: -e[0]):
        ga, gb = group_of[a], group_of[b]
        if ga is gb or not _compatible(ga, gb):
            continue
        ga.extend(gb)
        for n in gb:
            group_of[n] = ga
    seen: set[int] = set()
    out = []
    for group in group_of.values():
        if id(group) not in seen:
            seen.add(id(group))
            out.append(group)
    return out


def _compatible(ga: list[_Node], gb: list[_Node]) -> bool:
    full_a = [n.text for n in ga if len(n.text.split()) > 1]
    full_b = [n.text for n in gb if len(n.text.split()) > 1]
    return all(name_similarity(x, y) >= MATCH for x in full_a for y in full_b) or not (
        full_a and full_b
    )
