"""The agreement report: figures per label, per document and overall, for each pair
of annotators and for the group, with how many items each stands on and warnings
where a figure is unreliable. JSON-ready data; :mod:`annotator.agreement.render`
turns it into a table or CSV.

Pairs are ordered as the annotators are: the first of a pair is the reference for
precision and recall (with JSONL exports, the first file: the gold).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from itertools import combinations
from typing import Any

from annotator.agreement.layers import Corpus, Mark
from annotator.agreement.measures import (
    Counts,
    cohen_kappa,
    exact_matches,
    fleiss_kappa,
    nominal_alpha,
    overlap_matches,
)
from annotator.agreement.units import Unit, units

FEW_UNITS = 10  # a label with fewer units than this gets a warning
Figures = dict[str, Any]


def prf(counts: Counts) -> Figures:
    return {
        "precision": counts.precision,
        "recall": counts.recall,
        "f1": counts.f1,
        "matched": counts.tp,
        "only_reference": counts.fn,
        "only_other": counts.fp,
    }


def agreement_report(corpus: Corpus) -> dict[str, Any]:
    """Every figure of ``corpus`` (at least two layers)."""
    from annotator.agreement.relations import cluster_figures, relation_figures

    names = corpus.names
    all_units = units(corpus)
    warnings: list[str] = []
    pairs = []
    for i, j in combinations(range(len(names)), 2):
        pair = _pair(corpus, all_units, i, j, warnings)
        pair["relations"] = relation_figures(corpus.layers[i], corpus.layers[j])
        pair["clusters"] = cluster_figures(corpus.layers[i], corpus.layers[j])
        pairs.append(pair)
    report: dict[str, Any] = {
        "annotators": names,
        "reference": names[0] if names else None,
        "documents": len(corpus.texts),
        "labels": corpus.labels,
        "pairs": pairs,
        "group": _group(corpus, all_units, pairs, warnings),
        "warnings": warnings,
        "problems": corpus.problems,
    }
    return report


def _pair(corpus: Corpus, all_units: list[Unit], i: int, j: int, warnings: list[str]) -> Figures:
    a, b = corpus.layers[i], corpus.layers[j]
    exact: dict[tuple[str, str], Counts] = {}
    overlap: dict[tuple[str, str], Counts] = {}
    for doc_id in corpus.texts:
        if not (a.saw(doc_id) and b.saw(doc_id)):
            continue
        for label in corpus.labels:
            ref = [m for m in a.marks(doc_id) if m[2] == label]
            res = [m for m in b.marks(doc_id) if m[2] == label]
            if ref or res:
                exact[(doc_id, label)] = exact_matches(ref, res)
                overlap[(doc_id, label)] = overlap_matches(ref, res)
    shared = [u for u in all_units if u.values[i] is not None and u.values[j] is not None]
    shared = [u for u in shared if u.values[i] or u.values[j]]
    where = f"{a.name} ↔ {b.name}"

    keys_of_doc: dict[str, list[tuple[str, str]]] = {}
    keys_of_label: dict[str, list[tuple[str, str]]] = {}
    for key in exact:
        keys_of_doc.setdefault(key[0], []).append(key)
        keys_of_label.setdefault(key[1], []).append(key)

    def scope(keys: list[tuple[str, str]], scoped: list[Unit], label: str | None) -> Figures:
        ex, ov = Counts(), Counts()
        for key in keys:
            ex.add(exact[key])
            ov.add(overlap[key])
        return {
            "spans": {"reference": ex.tp + ex.fn, "other": ex.tp + ex.fp},
            "exact": prf(ex),
            "overlap": prf(ov),
            "kappa": _pair_kappa(scoped, i, j, label),
        }

    overall = scope(list(exact), shared, None)
    labels = {}
    for label in corpus.labels:
        figures = scope(keys_of_label.get(label, []), shared, label)
        labels[label] = figures
        n = figures["kappa"]["units"]
        if n < FEW_UNITS:
            warnings.append(
                f"{where}, {label}: κ stands on {n} token{'s' if n != 1 else ''} "
                f"(fewer than {FEW_UNITS}); do not rely on it"
            )
    by_doc = _by_document(shared)
    documents = {
        doc_id: scope(keys_of_doc.get(doc_id, []), by_doc.get(doc_id, []), None)
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


def _pair_kappa(scoped: Sequence[Unit], i: int, j: int, label: str | None) -> Figures:
    first: list[Hashable]
    second: list[Hashable]
    if label is None:
        first = [u.category(i) for u in scoped]
        second = [u.category(j) for u in scoped]
        n = len(scoped)
    else:
        first = [label in (u.values[i] or ()) for u in scoped]
        second = [label in (u.values[j] or ()) for u in scoped]
        n = sum(bool(x or y) for x, y in zip(first, second, strict=True))
    one = sum(bool(u.values[i]) != bool(u.values[j]) for u in scoped)
    return {"value": cohen_kappa(first, second), "units": n, "marked_by_one": one}


def _group(
    corpus: Corpus, all_units: list[Unit], pairs: list[Figures], warnings: list[str]
) -> Figures:
    n = len(corpus.layers)

    def figures(
        scoped: list[Unit], label: str | None, part: Callable[[Figures], Figures]
    ) -> Figures:
        if label is None:
            rows: list[list[Any]] = [[u.category(k) for k in range(n)] for u in scoped]
            counted = len(scoped)
        else:
            rows = [
                [None if u.values[k] is None else label in (u.values[k] or ()) for k in range(n)]
                for u in scoped
            ]
            counted = sum(any(v for v in row) for row in rows)
        complete = [row for row in rows if all(v is not None for v in row)]
        f1s = [part(p)["exact"]["f1"] for p in pairs]
        overlaps = [part(p)["overlap"]["f1"] for p in pairs]
        out: Figures = {
            "alpha": {"value": nominal_alpha(rows) if rows else None, "units": counted},
            "exact_f1_mean": _mean(f1s),
            "overlap_f1_mean": _mean(overlaps),
        }
        if n >= 3:
            out["fleiss_kappa"] = {
                "value": fleiss_kappa(complete) if complete else None,
                "units": len(complete) if label is None else sum(any(r) for r in complete),
            }
        return out

    def overall(p: Figures) -> Figures:
        return dict(p["overall"])

    def of_label(label: str) -> Callable[[Figures], Figures]:
        return lambda p: dict(p["labels"][label])

    def of_document(doc_id: str) -> Callable[[Figures], Figures]:
        return lambda p: dict(p["documents"].get(doc_id, _EMPTY))

    result: Figures = {"overall": figures(all_units, None, overall)}
    result["labels"] = {
        label: figures(all_units, label, of_label(label)) for label in corpus.labels
    }
    by_doc = _by_document(all_units)
    result["documents"] = {
        doc_id: figures(by_doc.get(doc_id, []), None, of_document(doc_id))
        for doc_id in corpus.texts
    }
    return result


def _by_document(scoped: list[Unit]) -> dict[str, list[Unit]]:
    out: dict[str, list[Unit]] = {}
    for unit in scoped:
        out.setdefault(unit.document, []).append(unit)
    return out


_EMPTY: Figures = {"exact": {"f1": None}, "overlap": {"f1": None}}


def _mean(values: Sequence[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return sum(known) / len(known) if known else None


__all__ = ["Mark", "agreement_report"]
