"""The agreement report as a readable table or as CSV rows (JSON is the report itself)."""

from __future__ import annotations

import csv
import io
import json
from typing import Any


def _num(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"


def render(report: dict[str, Any], fmt: str) -> str:
    if fmt == "json":
        return json.dumps(report, indent=2, ensure_ascii=False) + "\n"
    if fmt == "csv":
        return _csv(report)
    if fmt == "table":
        return _table(report)
    raise ValueError(f"unknown format {fmt!r}; use table, json or csv")


def _grid(header: list[str], rows: list[list[str]]) -> list[str]:
    widths = [max(len(r[k]) for r in [header, *rows]) for k in range(len(header))]
    line = [
        "  ".join(
            c.ljust(w) if k == 0 else c.rjust(w)
            for k, (c, w) in enumerate(zip(r, widths, strict=True))
        )
        for r in [header, *rows]
    ]
    return [line[0], "  ".join("-" * w for w in widths), *line[1:], ""]


_PAIR_HEADER = ["", "spans A/B", "exact P", "R", "F1", "overlap P", "R", "F1", "κ", "tokens"]


def _pair_row(name: str, f: dict[str, Any]) -> list[str]:
    ex, ov, kappa = f["exact"], f["overlap"], f["kappa"]
    return [
        name,
        f"{f['spans']['reference']}/{f['spans']['other']}",
        _num(ex["precision"]),
        _num(ex["recall"]),
        _num(ex["f1"]),
        _num(ov["precision"]),
        _num(ov["recall"]),
        _num(ov["f1"]),
        _num(kappa["value"]),
        str(kappa["units"]),
    ]


def _table(report: dict[str, Any]) -> str:
    names = report["annotators"]
    out = [
        f"Agreement of {', '.join(names)} on {report['documents']} documents "
        f"({report['reference']} is the reference for precision and recall)",
        "",
    ]
    for pair in report["pairs"]:
        out.append(f"{pair['a']} (A) ↔ {pair['b']} (B)")
        rows = [_pair_row("all labels", pair["overall"])]
        rows += [_pair_row(label, f) for label, f in pair["labels"].items()]
        out += _grid(_PAIR_HEADER, rows)
        rel = pair["relations"]
        rows = [
            [
                kind,
                str(rel[kind][w]["matched"] + rel[kind][w]["only_reference"]),
                str(rel[kind][w]["matched"] + rel[kind][w]["only_other"]),
                w,
                _num(rel[kind][w]["f1"]),
            ]
            for kind in ("relations", "links")
            for w in ("ends", "typed")
        ]
        out += _grid(["", "A", "B", "match", "F1"], rows)
        cl = pair["clusters"]
        if "muc" in cl:
            rows = [
                [name, _num(cl[key]["recall"]), _num(cl[key]["precision"]), _num(cl[key]["f1"])]
                for name, key in (
                    ("MUC", "muc"),
                    ("B³", "b3"),
                    ("CEAF-e", "ceaf_e"),
                    ("LEA", "lea"),
                )
            ]
            rows.append(["CoNLL (average)", "", "", _num(cl["conll"])])
            out.append(f"clusters: {cl['reference']} in A, {cl['other']} in B")
            out += _grid(["", "R", "P", "F1"], rows)
    group = report["group"]
    out.append(f"Group of {len(names)}")
    header = ["", "α (nominal)", "tokens", "mean F1 exact", "overlap"]
    if len(names) >= 3:
        header += ["Fleiss κ", "tokens"]
    rows = []
    for name, f in [("all labels", group["overall"]), *group["labels"].items()]:
        row = [
            name,
            _num(f["alpha"]["value"]),
            str(f["alpha"]["units"]),
            _num(f["exact_f1_mean"]),
            _num(f["overlap_f1_mean"]),
        ]
        if "fleiss_kappa" in f:
            row += [_num(f["fleiss_kappa"]["value"]), str(f["fleiss_kappa"]["units"])]
        rows.append(row)
    out += _grid(header, rows)
    out.append("Per document")
    rows = []
    for doc_id, f in group["documents"].items():
        rows.append(
            [
                doc_id,
                _num(f["alpha"]["value"]),
                str(f["alpha"]["units"]),
                _num(f["exact_f1_mean"]),
                _num(f["overlap_f1_mean"]),
            ]
        )
    out += _grid(["", "α", "tokens", "mean F1 exact", "overlap"], rows)
    for title, items in (("Warnings", report["warnings"]), ("Problems", report["problems"])):
        if items:
            out.append(f"{title}:")
            out += [f"- {w}" for w in items]
            out.append("")
    return "\n".join(out)


_CSV_HEADER = ["scope", "a", "b", "label", "document", "measure", "value", "items"]


def _csv(report: dict[str, Any]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(_CSV_HEADER)

    def pair_rows(a: str, b: str, label: str, doc: str, f: dict[str, Any]) -> None:
        for match in ("exact", "overlap"):
            m = f[match]
            items = m["matched"] + m["only_reference"] + m["only_other"]
            for measure in ("precision", "recall", "f1"):
                writer.writerow(
                    ["pair", a, b, label, doc, f"{match}_{measure}", _cell(m[measure]), items]
                )
        k = f["kappa"]
        writer.writerow(["pair", a, b, label, doc, "cohen_kappa", _cell(k["value"]), k["units"]])

    for pair in report["pairs"]:
        a, b = pair["a"], pair["b"]
        pair_rows(a, b, "", "", pair["overall"])
        for label, f in pair["labels"].items():
            pair_rows(a, b, label, "", f)
        for doc, f in pair["documents"].items():
            pair_rows(a, b, "", doc, f)
        for kind in ("relations", "links"):
            for match in ("ends", "typed"):
                m = pair["relations"][kind][match]
                items = m["matched"] + m["only_reference"] + m["only_other"]
                writer.writerow(["pair", a, b, "", "", f"{kind}_{match}_f1", _cell(m["f1"]), items])
        cl = pair["clusters"]
        for name in ("muc", "b3", "ceaf_e", "lea"):
            if name in cl:
                writer.writerow(
                    [
                        "pair",
                        a,
                        b,
                        "",
                        "",
                        f"clusters_{name}_f1",
                        _cell(cl[name]["f1"]),
                        cl["reference"] + cl["other"],
                    ]
                )
        if "conll" in cl:
            writer.writerow(
                [
                    "pair",
                    a,
                    b,
                    "",
                    "",
                    "clusters_conll_f1",
                    _cell(cl["conll"]),
                    cl["reference"] + cl["other"],
                ]
            )
    group = report["group"]
    names = "+".join(report["annotators"])
    scopes = [("", "", group["overall"])]
    scopes += [(label, "", f) for label, f in group["labels"].items()]
    scopes += [("", doc, f) for doc, f in group["documents"].items()]
    for label, doc, f in scopes:
        writer.writerow(
            [
                "group",
                names,
                "",
                label,
                doc,
                "krippendorff_alpha",
                _cell(f["alpha"]["value"]),
                f["alpha"]["units"],
            ]
        )
        if "fleiss_kappa" in f:
            writer.writerow(
                [
                    "group",
                    names,
                    "",
                    label,
                    doc,
                    "fleiss_kappa",
                    _cell(f["fleiss_kappa"]["value"]),
                    f["fleiss_kappa"]["units"],
                ]
            )
    return buffer.getvalue()


def _cell(value: float | None) -> str:
    return "" if value is None else repr(round(value, 6))
