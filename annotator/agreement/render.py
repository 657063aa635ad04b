"""The agreement report as a readable table or as CSV rows (JSON is the report itself)."""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from typing import Any

from annotator.core.cells import CsvWriter
from annotator.core.wording import count


def _num(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"


def render(report: dict[str, Any], fmt: str, *, raw_csv: bool = False) -> str:
    if fmt == "json":
        return json.dumps(report, indent=2, ensure_ascii=False) + "\n"
    if fmt == "csv":
        return _csv(report, raw_csv)
    if fmt == "table":
        return _table(report)
    raise ValueError(f"unknown format {fmt!r}; use table, json or csv")


@dataclass(frozen=True)
class Section:
    """One table of the report: a title, column headers, rows of cells (text)."""

    title: str
    header: list[str]
    rows: list[list[str]]


def _grid(header: list[str], rows: list[list[str]]) -> list[str]:
    widths = [max(len(r[k]) for r in [header, *rows]) for k in range(len(header))]
    lines = [
        "  ".join(
            c.ljust(w) if k == 0 else c.rjust(w)
            for k, (c, w) in enumerate(zip(r, widths, strict=True))
        )
        for r in [header, *rows]
    ]
    return [lines[0], "  ".join("-" * w for w in widths), *lines[1:], ""]


PAIR_HEADER = ["", "spans A/B", "exact P", "R", "F1", "overlap P", "R", "F1", "κ", "tokens"]


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


def _used(f: dict[str, Any]) -> bool:
    return bool(f["spans"]["reference"] or f["spans"]["other"])


# how relations are matched (keys of a pair's "relations" figures), as the table says it
RELATION_MATCHES = {
    "ends": "both ends, exact",
    "typed": "ends and type, exact",
    "ends_overlap": "both ends, overlapping",
    "typed_overlap": "ends and type, overlapping",
}


def sections(report: dict[str, Any]) -> list[Section]:
    """The report's tables: per pair spans, relations and clusters; the group; the
    documents. Labels nobody used in a pair are left out of its table."""
    out: list[Section] = []
    for pair in report["pairs"]:
        where = f"{pair['a']} (A) ↔ {pair['b']} (B)"
        rows = [_pair_row("all labels", pair["overall"])]
        rows += [_pair_row(label, f) for label, f in pair["labels"].items() if _used(f)]
        out.append(Section(f"{where}: spans", PAIR_HEADER, rows))
        rel = pair["relations"]
        rows = []
        for kind in ("relations", "links"):
            for match, what in RELATION_MATCHES.items():
                m = rel[kind][match]
                rows.append(
                    [
                        f"{kind}, {what}",
                        str(m["matched"] + m["only_reference"]),
                        str(m["matched"] + m["only_other"]),
                        str(m["matched"]),
                        _num(m["f1"]),
                    ]
                )
        out.append(Section(f"{where}: relations and links", ["", "A", "B", "matched", "F1"], rows))
        cl = pair["clusters"]
        if cl.get("computed") is False:
            out.append(Section(f"{where}: clusters", ["", ""], [["", str(cl["reason"])]]))
        if cl.get("muc") is not None:
            rows = [
                [name, _num(cl[key]["recall"]), _num(cl[key]["precision"]), _num(cl[key]["f1"])]
                for name, key in (
                    ("MUC", "muc"),
                    ("B³", "b3"),
                    ("CEAF-e", "ceaf_e"),
                    ("LEA", "lea"),
                )
            ]
            rows.append(["CoNLL (average of MUC, B³, CEAF-e)", "", "", _num(cl["conll"])])
            title = f"{where}: clusters ({cl['reference']} in A, {cl['other']} in B)"
            out.append(Section(title, ["", "R", "P", "F1"], rows))
    group = report["group"]
    names = report["annotators"]
    header = ["", "α (nominal)", "tokens", "uα", "spans", "mean F1 exact", "overlap"]
    if len(names) >= 3:
        header += ["Fleiss κ", "tokens"]
    rows = []
    for name, f in [("all labels", group["overall"]), *group["labels"].items()]:
        if name != "all labels" and not f["alpha"]["units"]:
            continue
        row = [
            name,
            _num(f["alpha"]["value"]),
            str(f["alpha"]["units"]),
            *_unitized(f),
            _num(f["exact_f1_mean"]),
            _num(f["overlap_f1_mean"]),
        ]
        if "fleiss_kappa" in f:
            row += [_num(f["fleiss_kappa"]["value"]), str(f["fleiss_kappa"]["units"])]
        rows.append(row)
    out.append(Section(f"All {len(names)}: {', '.join(names)}", header, rows))
    rows = [
        [
            doc_id,
            _num(f["alpha"]["value"]),
            str(f["alpha"]["units"]),
            *_unitized(f),
            _num(f["exact_f1_mean"]),
            _num(f["overlap_f1_mean"]),
        ]
        for doc_id, f in group["documents"].items()
    ]
    header = ["", "α", "tokens", "uα", "spans", "mean F1 exact", "overlap"]
    out.append(Section("Per document", header, rows))
    return out


def _unitized(f: dict[str, Any]) -> list[str]:
    """Unitizing α and the spans it stands on ("—" where it is not computed)."""
    u = f.get("unitized_alpha")
    return [_num(u["value"]), str(u["units"])] if u else ["—", "0"]


def heading(report: dict[str, Any]) -> str:
    return (
        f"Agreement of {', '.join(report['annotators'])} on "
        f"{count(report['documents'], 'document')} "
        f"({report['reference']} is the reference for precision and recall)"
    )


def _table(report: dict[str, Any]) -> str:
    out = [heading(report), ""]
    for section in sections(report):
        out.append(section.title)
        out += _grid(section.header, section.rows)
    for title, items in (("Warnings", report["warnings"]), ("Problems", report["problems"])):
        if items:
            out.append(f"{title}:")
            out += [f"- {w}" for w in items]
            out.append("")
    return "\n".join(out)


_CSV_HEADER = ["scope", "a", "b", "label", "document", "measure", "value", "items"]


def _csv(report: dict[str, Any], raw: bool = False) -> str:  # noqa: C901
    """Long on purpose: the CSV's sections (pairs, labels, documents, clusters) written in the
    order a reader meets them; each branch is one section or an absent figure.
    """
    buffer = io.StringIO()
    writer = CsvWriter(buffer, raw=raw)
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
            for match in RELATION_MATCHES:
                m = pair["relations"][kind][match]
                items = m["matched"] + m["only_reference"] + m["only_other"]
                writer.writerow(["pair", a, b, "", "", f"{kind}_{match}_f1", _cell(m["f1"]), items])
        cl = pair["clusters"]
        for name in ("muc", "b3", "ceaf_e", "lea"):
            if cl.get(name) is not None:
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
    measures = (
        ("alpha", "krippendorff_alpha"),
        ("unitized_alpha", "krippendorff_alpha_unitized"),
        ("fleiss_kappa", "fleiss_kappa"),
    )
    for label, doc, f in scopes:
        for key, measure in measures:
            if key in f:
                figure = f[key]
                row = ["group", names, "", label, doc, measure, _cell(figure["value"])]
                writer.writerow([*row, figure["units"]])
    return buffer.getvalue()


def _cell(value: float | None) -> str:
    return "" if value is None else repr(round(float(value), 6))
