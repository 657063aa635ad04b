"""The agreement report: figures per label, per document and overall, for each pair
of annotators and for the group, with how many items each stands on and warnings
where a figure is unreliable. JSON-ready data; :mod:`annotator.agreement.render`
turns it into a table or CSV.

Pairs are ordered as the annotators are: the first of a pair is the reference for
precision and recall (with JSONL exports, the first file: the gold).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from itertools import combinations
from typing import Any

from annotator.agreement.layers import Corpus, Mark
from annotator.agreement.measures import (
    Counts,
    alpha_coded,
    fleiss_coded,
    kappa_coded,
    matches,
    prf,
)
from annotator.agreement.unitizing import alpha, label_disagreement
from annotator.agreement.units import NONE, Units, units
from annotator.core.wording import count

FEW_UNITS = 10  # a label with fewer units than this gets a warning
Figures = dict[str, Any]


def agreement_report(corpus: Corpus) -> dict[str, Any]:
    """Every figure of ``corpus`` (at least two layers)."""
    from annotator.agreement.relations import cluster_figures, relation_figures

    names = corpus.names
    table = units(corpus)
    warnings: list[str] = []
    pairs = []
    for i, j in combinations(range(len(names)), 2):
        pair = _pair(corpus, table, i, j, warnings)
        pair["relations"] = relation_figures(corpus.layers[i], corpus.layers[j])
        pair["clusters"] = cluster_figures(corpus.layers[i], corpus.layers[j])
        pairs.append(pair)
    report: dict[str, Any] = {
        "annotators": names,
        "reference": names[0] if names else None,
        "documents": len(corpus.texts),
        "labels": corpus.labels,
        "pairs": pairs,
        "group": _group(corpus, table, pairs),
        "warnings": warnings,
        "problems": corpus.problems,
    }
    return report


def _pair(corpus: Corpus, table: Units, i: int, j: int, warnings: list[str]) -> Figures:  # noqa: C901
    """Long on purpose: exact and overlap counts per label and document in one pass over both
    layers' marks.
    """
    a, b = corpus.layers[i], corpus.layers[j]
    exact: dict[tuple[str, str], Counts] = {}
    overlap: dict[tuple[str, str], Counts] = {}
    for doc_id in corpus.texts:
        if not (a.saw(doc_id) and b.saw(doc_id)):
            continue
        by_label: dict[str, tuple[list[Mark], list[Mark]]] = {}
        for m in a.marks(doc_id):
            by_label.setdefault(m[2], ([], []))[0].append(m)
        for m in b.marks(doc_id):
            by_label.setdefault(m[2], ([], []))[1].append(m)
        for label, (ref, res) in by_label.items():
            exact[(doc_id, label)], overlap[(doc_id, label)] = matches(ref, res)
    where = f"{a.name} ↔ {b.name}"

    keys_of_doc: dict[str, list[tuple[str, str]]] = {}
    keys_of_label: dict[str, list[tuple[str, str]]] = {}
    for key in exact:
        keys_of_doc.setdefault(key[0], []).append(key)
        keys_of_label.setdefault(key[1], []).append(key)

    def scope(keys: list[tuple[str, str]], part: slice, label: int | None) -> Figures:
        ex, ov = Counts(), Counts()
        for key in keys:
            ex.add(exact[key])
            ov.add(overlap[key])
        return {
            "spans": {"reference": ex.tp + ex.fn, "other": ex.tp + ex.fp},
            "exact": prf(ex),
            "overlap": prf(ov),
            "kappa": _pair_kappa(table, part, i, j, label),
        }

    everything = slice(0, len(table.cats))
    overall = scope(list(exact), everything, None)
    labels = {}
    for k, label in enumerate(corpus.labels):
        figures = scope(keys_of_label.get(label, []), everything, k)
        labels[label] = figures
        n = figures["kappa"]["units"]
        if n < FEW_UNITS:
            warnings.append(
                f"{where}, {label}: κ stands on {count(n, 'token')} "
                f"(fewer than {FEW_UNITS}); do not rely on it"
            )
    empty = slice(0, 0)
    documents = {
        doc_id: scope(keys_of_doc.get(doc_id, []), table.docs.get(doc_id, empty), None)
        for doc_id in corpus.texts
        if a.saw(doc_id) and b.saw(doc_id)
    }
    one = overall["kappa"]["marked_by_one"]
    if overall["kappa"]["units"] and one * 2 > overall["kappa"]["units"]:
        warnings.append(
            f"{where}: {one} of {overall['kappa']['units']} tokens were marked by only one of "
            "the two; κ counts them as disagreements (nothing against a label), so it says "
            "more about what was marked than about the labels"
        )
    return {"a": a.name, "b": b.name, "overall": overall, "labels": labels, "documents": documents}


def _pair_kappa(table: Units, part: slice, i: int, j: int, label: int | None) -> Figures:
    """κ of two annotators over the units either of them marked (in ``part``)."""
    ci, cj = table.cats[part, i], table.cats[part, j]
    keep = (ci >= 0) & (cj >= 0) & ((ci != NONE) | (cj != NONE))
    ci, cj = ci[keep], cj[keep]
    one = int(((ci != NONE) != (cj != NONE)).sum())
    if label is None:
        return {"value": kappa_coded(ci, cj), "units": len(ci), "marked_by_one": one}
    li = table.marks[part, i, label][keep].astype("int64")
    lj = table.marks[part, j, label][keep].astype("int64")
    return {
        "value": kappa_coded(li, lj),
        "units": int((li | lj).sum()),
        "marked_by_one": one,
    }


def _unitized(corpus: Corpus) -> tuple[Figures, dict[str, Figures]]:
    """Unitizing α over the documents every annotator saw: over all labels and per
    label, and per document over all labels."""
    import numpy as np

    docs = [d for d in corpus.texts if all(layer.saw(d) for layer in corpus.layers)]
    lengths = [len(corpus.texts[d]) for d in docs]
    code = {label: k for k, label in enumerate(corpus.labels)}
    marks = [  # per layer: rows of (document, start, end, label)
        np.asarray(
            [
                (k, s, e, code[lb])
                for k, d in enumerate(docs)
                for s, e, lb in layer.marks(d)
                if lb in code
            ],
            dtype=np.int64,
        ).reshape(-1, 4)
        for layer in corpus.layers
    ]
    labels: dict[str, Figures] = {}
    per_doc_o, per_doc_e = np.zeros(len(docs)), np.zeros(len(docs))
    per_doc_units = np.zeros(len(docs), dtype=np.int64)
    total_o = total_e = 0.0
    for label, k in code.items():
        raters = [rows[rows[:, 3] == k, :3] for rows in marks]
        found = label_disagreement(lengths, raters)
        labels[label] = {
            "value": alpha(found.total_observed, found.total_expected),
            "units": found.total_units,
        }
        total_o += found.total_observed
        total_e += found.total_expected
        per_doc_o += found.observed
        per_doc_e += found.expected
        per_doc_units += found.units
    overall: Figures = {
        "value": alpha(total_o, total_e),
        "units": sum(f["units"] for f in labels.values()),
    }
    documents = {
        doc_id: {
            "value": alpha(float(per_doc_o[k]), float(per_doc_e[k])),
            "units": int(per_doc_units[k]),
        }
        for k, doc_id in enumerate(docs)
    }
    return {"overall": overall, "labels": labels}, documents


def _group(corpus: Corpus, table: Units, pairs: list[Figures]) -> Figures:
    import numpy as np

    n = len(corpus.layers)
    unitized, unitized_docs = _unitized(corpus)

    def figures(part: slice, label: int | None, pick: Callable[[Figures], Figures]) -> Figures:
        cats = table.cats[part]
        if label is None:
            matrix = cats
            counted = len(cats)
        else:
            matrix = np.where(cats >= 0, table.marks[part, :, label].astype("int64"), -1)
            counted = int((matrix > 0).any(axis=1).sum())
        f1s = [pick(p)["exact"]["f1"] for p in pairs]
        overlaps = [pick(p)["overlap"]["f1"] for p in pairs]
        out: Figures = {
            "alpha": {"value": alpha_coded(matrix), "units": counted},
            "exact_f1_mean": _mean(f1s),
            "overlap_f1_mean": _mean(overlaps),
        }
        if n >= 3:
            rated = matrix[(matrix >= 0).sum(axis=1) >= 2]  # units with a pair of ratings
            out["fleiss_kappa"] = {
                "value": fleiss_coded(matrix),
                "units": len(rated) if label is None else int((rated > 0).any(axis=1).sum()),
            }
        return out

    def overall(p: Figures) -> Figures:
        return dict(p["overall"])

    def of_label(label: str) -> Callable[[Figures], Figures]:
        return lambda p: dict(p["labels"][label])

    def of_document(doc_id: str) -> Callable[[Figures], Figures]:
        return lambda p: dict(p["documents"].get(doc_id, _EMPTY))

    everything = slice(0, len(table.cats))
    result: Figures = {"overall": figures(everything, None, overall)}
    result["overall"]["unitized_alpha"] = unitized["overall"]
    result["labels"] = {}
    for k, label in enumerate(corpus.labels):
        result["labels"][label] = figures(everything, k, of_label(label))
        result["labels"][label]["unitized_alpha"] = unitized["labels"][label]
    empty = slice(0, 0)
    result["documents"] = {}
    for doc_id in corpus.texts:
        result["documents"][doc_id] = f = figures(
            table.docs.get(doc_id, empty), None, of_document(doc_id)
        )
        f["unitized_alpha"] = unitized_docs.get(doc_id, {"value": None, "units": 0})
    return result


_EMPTY: Figures = {"exact": {"f1": None}, "overlap": {"f1": None}}


def _mean(values: Sequence[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return sum(known) / len(known) if known else None


__all__ = ["Mark", "agreement_report"]
