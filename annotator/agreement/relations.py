"""Relation, link and cluster agreement between two layers.

A relation of one annotator matches one of the other when both ends are the same
ranges (exact offsets, in the same documents); ``ends`` scores that alone, ``typed``
also asks for the same type. ``ends_overlap`` and ``typed_overlap`` give the partial
credit span agreement gives: each end only has to share a character with the other
relation's end (same document), and relations are paired one to one, exact matches
first, then the pairs sharing the most characters. Relations whose type reads the
same both ways (``same``, ``contradicts``, ``differs``) match in either direction.
Relations inside a document and links across two are scored apart.

Clusters are the groups ``same`` links join (across documents, with the spans as
mentions ``(document, start, end)``). MUC, B³ and CEAF-e come from the ``scorch``
library, with their CoNLL average; LEA (Moosavi and Strube, 2016), which scorch does
not have, is computed here and tested against the paper's worked example.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

from annotator.agreement.layers import End, Layer, RelationMark
from annotator.agreement.measures import Counts, prf
from annotator.core.models import DEFAULT_RELATION_TYPES

UNDIRECTED = frozenset(t.name for t in DEFAULT_RELATION_TYPES if not t.directed)
TRANSITIVE = frozenset(t.name for t in DEFAULT_RELATION_TYPES if t.transitive)
Mention = tuple[str, int, int]


def _key(mark: RelationMark, typed: bool) -> tuple[Any, ...]:
    source, target, kind = mark
    if kind in UNDIRECTED and target < source:
        source, target = target, source
    return (source, target, kind) if typed else (source, target)


def _counts(reference: Iterable[tuple[Any, ...]], other: Iterable[tuple[Any, ...]]) -> Counts:
    ref, oth = Counter(reference), Counter(other)
    tp = sum((ref & oth).values())
    return Counts(tp, sum(oth.values()) - tp, sum(ref.values()) - tp)


def relation_figures(a: Layer, b: Layer) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for kind, across in (("relations", False), ("links", True)):
        ref = [m for m in a.relations if (m[0][0] != m[1][0]) == across and _seen(b, m)]
        oth = [m for m in b.relations if (m[0][0] != m[1][0]) == across and _seen(a, m)]
        out[kind] = {
            "ends": prf(_counts((_key(m, False) for m in ref), (_key(m, False) for m in oth))),
            "typed": prf(_counts((_key(m, True) for m in ref), (_key(m, True) for m in oth))),
            "ends_overlap": prf(overlap_counts(ref, oth, typed=False)),
            "typed_overlap": prf(overlap_counts(ref, oth, typed=True)),
        }
    return out


def _shared(a: End, b: End) -> int:
    """Characters two ends share (0 in different documents)."""
    return min(a[2], b[2]) - max(a[1], b[1]) if a[0] == b[0] else 0


def _overlap(r: RelationMark, o: RelationMark, typed: bool) -> int:
    """Characters the two relations' ends share when both pairs of ends overlap (0
    when either does not, or the types differ and ``typed``), in either direction
    where both types read the same both ways."""
    if typed and r[2] != o[2]:
        return 0
    best = 0
    source, target = _shared(r[0], o[0]), _shared(r[1], o[1])
    if source > 0 and target > 0:
        best = source + target
    if r[2] in UNDIRECTED and o[2] in UNDIRECTED:
        source, target = _shared(r[0], o[1]), _shared(r[1], o[0])
        if source > 0 and target > 0:
            best = max(best, source + target)
    return best


def _unmatched(
    marks: Sequence[RelationMark], common: Counter[tuple[Any, ...]], typed: bool
) -> list[RelationMark]:
    """``marks`` less one of each key in ``common`` (the exact matches)."""
    taken = Counter(common)
    rest = []
    for m in marks:
        key = _key(m, typed)
        if taken[key] > 0:
            taken[key] -= 1
        else:
            rest.append(m)
    return rest


def overlap_counts(ref: Sequence[RelationMark], oth: Sequence[RelationMark], typed: bool) -> Counts:
    """Relations matched one to one where each end overlaps the other's: equal ones
    first, then the pairs sharing the most characters (ties: the earliest)."""
    left = Counter(_key(m, typed) for m in ref)
    right = Counter(_key(m, typed) for m in oth)
    common = left & right
    equal = sum(common.values())
    rest_ref, rest_oth = _unmatched(ref, common, typed), _unmatched(oth, common, typed)
    by_documents: dict[tuple[str, str], list[int]] = {}
    for j, m in enumerate(rest_oth):
        by_documents.setdefault((m[0][0], m[1][0]), []).append(j)
    candidates = []
    for i, m in enumerate(rest_ref):
        places = {(m[0][0], m[1][0]), (m[1][0], m[0][0])}
        for place in places:
            for j in by_documents.get(place, ()):
                shared = _overlap(m, rest_oth[j], typed)
                if shared > 0:
                    candidates.append((-shared, i, j))
    candidates.sort()
    used_i: set[int] = set()
    used_j: set[int] = set()
    for _neg, i, j in candidates:
        if i not in used_i and j not in used_j:
            used_i.add(i)
            used_j.add(j)
    tp = equal + len(used_i)
    return Counts(tp, len(oth) - tp, len(ref) - tp)


def _seen(layer: Layer, mark: RelationMark) -> bool:
    return layer.saw(mark[0][0]) and layer.saw(mark[1][0])


def clusters_of(layer: Layer) -> list[frozenset[Mention]]:
    """The groups the layer's transitive relations join (two mentions or more)."""
    parent: dict[Mention, Mention] = {}

    def find(x: Mention) -> Mention:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for source, target, kind in layer.relations:
        if kind in TRANSITIVE:
            parent[find(source)] = find(target)
    groups: dict[Mention, set[Mention]] = {}
    for mention in parent:
        groups.setdefault(find(mention), set()).add(mention)
    return sorted((frozenset(g) for g in groups.values() if len(g) > 1), key=sorted)


def lea(
    key: Sequence[frozenset[Mention]], response: Sequence[frozenset[Mention]]
) -> tuple[float, float, float]:
    """LEA recall, precision and F1 (link-based entity-aware; singletons count through
    a self-link, as the paper defines)."""

    def links(n: int) -> int:
        return n * (n - 1) // 2 if n > 1 else 1

    def score(gold: Sequence[frozenset[Mention]], other: Sequence[frozenset[Mention]]) -> float:
        where = {m: i for i, cluster in enumerate(other) for m in cluster}
        total = sum(len(c) for c in gold)
        if not total:
            return 0.0
        found = 0.0
        for cluster in gold:
            by_other = Counter(where[m] for m in cluster if m in where)
            if len(cluster) == 1:
                shared = 1 if by_other and len(other[next(iter(by_other))]) == 1 else 0
            else:
                shared = sum(n * (n - 1) // 2 for n in by_other.values())
            found += len(cluster) * shared / links(len(cluster))
        return found / total

    recall, precision = score(key, response), score(response, key)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return recall, precision, f1


CLUSTER_MEASURES = ("muc", "b3", "ceaf_e", "conll", "lea")
NO_CLUSTERS = (
    "not computed: neither side has clusters (no same links join its mentions), so "
    "MUC, B³, CEAF-e, CoNLL and LEA do not apply"
)


def cluster_figures(a: Layer, b: Layer) -> dict[str, Any]:
    """MUC, B³, CEAF-e, their CoNLL average and LEA of b's clusters against a's."""
    key, response = clusters_of(a), clusters_of(b)
    out: dict[str, Any] = {"reference": len(key), "other": len(response)}
    if not key and not response:
        # not applicable, said as such: a script tells it from a figure left out
        out["computed"] = False
        out["reason"] = NO_CLUSTERS
        out.update(dict.fromkeys(CLUSTER_MEASURES))
        return out
    out["computed"] = True
    from scorch import scores

    for name, measure in (("muc", scores.muc), ("b3", scores.b_cubed), ("ceaf_e", scores.ceaf_e)):
        r, p, f = measure([set(c) for c in key], [set(c) for c in response])
        out[name] = {"recall": float(r), "precision": float(p), "f1": float(f)}
    out["conll"] = sum(out[n]["f1"] for n in ("muc", "b3", "ceaf_e")) / 3
    r, p, f = lea(key, response)
    out["lea"] = {"recall": r, "precision": p, "f1": f}
    return out
