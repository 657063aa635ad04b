"""Regenerate tests/broken: one small project folder per kind of broken input.

The folders are committed; run ``python tests/broken/regenerate.py`` after changing a case.
The articles are made up for these tests. tests/test_broken_input.py says what each
case must produce in the command line and in the window.
"""

import codecs
import json
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from annotator.core.text import text_hash

OUT = Path(__file__).resolve().parent
HARBOUR = (
    "The Harbourside council met on Thursday to discuss the flooded pier.\n"
    "Councillor Amira Osei said the repairs would cost “at least two million”.\n"
    "Residents of Lantern Row asked for a public hearing.\n"
)
FERRY = (
    "Ferry services to Gull Island resumed on Friday after a three-day pause.\n"
    "The operator, Blue Tern Lines, blamed a faulty engine.\n"
)
LABELS = [
    {
        "name": "entity",
        "key": "1",
        "color": "#4c9be8",
        "description": "A person, organisation or place",
    },
    {"name": "claim", "key": "2", "color": "#f0a030", "description": "A check-worthy statement"},
    {"name": "quote", "key": "3", "color": "#3fb37f", "description": "Words attributed to someone"},
]
T = "2026-11-20T09:00:00Z"


def span(sid, text, article, label, *, start=None, end=None, **extra):
    s = article.index(text) if start is None else start
    e = s + len(text) if end is None else end
    d = {
        "id": sid,
        "start": s,
        "end": e,
        "label": label,
        "text": text,
        "note": None,
        "attributes": {},
        "origin": "manual",
        "author": None,
        "created": T,
        "modified": T,
        "status": "accepted",
    }
    d.update(extra)
    return d


def doc(did, path, article, spans):
    return {
        "id": did,
        "path": path,
        "title": did.title(),
        "source": "",
        "text_hash": text_hash(article),
        "meta": {},
        "spans": spans,
    }


def base_docs():
    return [
        doc(
            "harbour",
            "harbour.txt",
            HARBOUR,
            [
                span("s-000000000001", "Harbourside", HARBOUR, "entity"),
                span("s-000000000002", "Amira Osei", HARBOUR, "entity"),
                span("s-000000000003", "“at least two million”", HARBOUR, "quote"),
            ],
        ),
        doc(
            "ferry",
            "ferry.txt",
            FERRY,
            [
                span("s-000000000004", "Blue Tern Lines", FERRY, "entity"),
                span(
                    "s-000000000005",
                    "Ferry services to Gull Island resumed on Friday",
                    FERRY,
                    "claim",
                ),
            ],
        ),
    ]


def dump(data):
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def case(name, data=None, raw=None, articles=None):
    folder = OUT / name
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    arts = {"harbour.txt": HARBOUR.encode(), "ferry.txt": FERRY.encode()}
    arts.update(articles or {})
    for fname, content in arts.items():
        if content is not None:
            (folder / fname).write_bytes(content)
    text = raw if raw is not None else dump(data)
    (folder / "annotator.json").write_bytes(text.encode("utf-8") if isinstance(text, str) else text)


good = {"schema_version": 2, "labels": LABELS, "documents": base_docs()}
full = dump(good)

case("malformed-json", raw=full.replace('"labels": [', '"labels": [}', 1))
case("truncated", raw=full[: len(full) // 2])
case("empty", raw="")
case("newer-schema", {**good, "schema_version": 99})
v1 = json.loads(full)
v1["schema_version"] = 1
for d in v1["documents"]:
    for s in d["spans"]:
        del s["status"]
case("older-schema", v1)
d = json.loads(full)
d["documents"][0]["spans"][1]["label"] = "person"
case("unknown-label", d)
d = json.loads(full)
d["documents"][1]["spans"][1]["id"] = "s-000000000004"
case("duplicate-span-ids", d)
d = json.loads(full)
d["documents"][0]["spans"][0].update(start=5000, end=5011)  # text "Harbourside" is there
d["documents"][1]["spans"].append(
    span("s-000000000006", "Sandpiper Quay", FERRY, "entity", start=900, end=914)
)
case("offsets-past-end", d)
d = json.loads(full)
s = d["documents"][0]["spans"][1]
s["start"], s["end"] = s["end"], s["start"]
case("reversed-offsets", d)
EDITED = "UPDATE: " + HARBOUR.replace("Councillor Amira Osei said", "The council said")
case("article-edited", good, articles={"harbour.txt": EDITED.encode()})
d = json.loads(full)
d["documents"][0]["spans"].append({"id": "s-000000000007", "start": "ten", "label": "entity"})
d["documents"][0]["spans"].append(["not", "a", "span"])
case("unreadable-spans", d)
d = json.loads(full)
d["documents"][1]["path"] = "../outside.txt"
case("path-outside", d)
d = json.loads(full)
d["labels"][2]["color"] = "javascript:alert(1)"
case("bad-label", d)
LATIN = "Café owners on Quai Rosé said the flood was “the worst in years”.\n"
LATIN_PLAIN = LATIN.replace("“", '"').replace("”", '"')
d = json.loads(full)
d["documents"].append(
    doc(
        "cafe",
        "cafe-latin1.txt",
        LATIN_PLAIN,
        [span("s-000000000008", "Quai Rosé", LATIN_PLAIN, "entity")],
    )
)
case("latin1-article", d, articles={"cafe-latin1.txt": LATIN_PLAIN.encode("latin-1")})
d = json.loads(full)
d["documents"].append(
    doc("cafe", "cafe-utf16.txt", LATIN, [span("s-000000000008", "Quai Rosé", LATIN, "entity")])
)
case("utf16-article", d, articles={"cafe-utf16.txt": LATIN.encode("utf-16")})
d = json.loads(full)
d["documents"].append(
    doc("cafe", "cafe-bom.txt", LATIN, [span("s-000000000008", "Quai Rosé", LATIN, "entity")])
)
case("utf8-bom-article", d, articles={"cafe-bom.txt": codecs.BOM_UTF8 + LATIN.encode()})
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da6364f8ff3f0005fe02fea7d6a4e00000000049454e44ae426082"
)
d = json.loads(full)
d["documents"].append(doc("photo", "photo.txt", "", []))
case("binary-article", d, articles={"photo.txt": PNG})
NAME = "Café notes – draft 1 (Zoë).txt"
d = json.loads(full)
d["documents"].append(
    doc("cafe-notes", NAME, LATIN, [span("s-000000000008", "Quai Rosé", LATIN, "entity")])
)
case("unicode-file-name", d, articles={NAME: LATIN.encode()})
# hostile JSON: each must be refused with a message, never a traceback
deep = full.replace('"attributes": {}', '"attributes": ' + "[" * 100_000 + "]" * 100_000, 1)
case("deeply-nested", raw=deep)
case("huge-integer", raw=full.replace('"start": 4,', '"start": ' + "4" * 5000 + ",", 1))
case("lone-surrogate", raw=full.replace('"note": null', '"note": "broken \\ud800 half"', 1))
# what the loader accepts by converting it, and validation reports
case("string-offset", raw=full.replace('"start": 4,', '"start": "4",', 1))
# relations (version 3): a link to a span that is not there, a relation that cannot be
# read, a relation of an unknown type; each reported, kept as it was, the rest shown
d = json.loads(full)
d["schema_version"] = 3
d["documents"][0]["relations"] = [
    {
        "id": "r-000000000001",
        "type": "speaker",
        "source": {"document": "harbour", "span": "s-000000000003"},
        "target": {"document": "harbour", "span": "s-000000000002"},
    },
    {"id": "r-000000000002", "type": "speaker", "source": "s-000000000003"},
]
d["links"] = [
    {
        "id": "r-000000000003",
        "type": "same",
        "source": {"document": "harbour", "span": "s-000000000001"},
        "target": {"document": "ferry", "span": "s-000000000099"},
    },
    {
        "id": "r-000000000004",
        "type": "echoes",
        "source": {"document": "harbour", "span": "s-000000000002"},
        "target": {"document": "ferry", "span": "s-000000000004"},
    },
]
case("broken-relations", d)
# annotator.json is a folder: neither readable nor replaceable
folder = OUT / "project-file-folder"
shutil.rmtree(folder, ignore_errors=True)
(folder / "annotator.json").mkdir(parents=True)
(folder / "annotator.json" / "README").write_text("a folder where the project file should be\n")
(folder / "harbour.txt").write_bytes(HARBOUR.encode())
print("ok")
