"""The project file is written by orjson where it writes exactly what json's indenting
encoder writes, and by json everywhere else: the file's text never depends on which."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.core.commands import make_span
from annotator.core.models import replace_span
from annotator.io import encode
from annotator.io.encode import encode_leaf as _encode_leaf
from annotator.io.load import load_project, open_project
from annotator.io.save import save_project


def json_values(*, non_finite: bool) -> st.SearchStrategy[object]:
    """Any JSON value: big integers, tiny floats, strings that look like numbers."""
    scalars = (
        st.none()
        | st.booleans()
        | st.integers(min_value=-(2**70), max_value=2**70)
        | st.floats(allow_nan=non_finite, allow_infinity=non_finite)
        | st.floats(min_value=-1e-3, max_value=1e-3)
        | st.text()
        | st.sampled_from(["e-mail", "1e-5", "0.00001", "re-elected 2e-9", "x0.0000"])
    )
    return st.recursive(
        scalars,
        lambda inner: (
            st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=4)
        ),
        max_leaves=20,
    )


def expected(value: object) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False)


@given(json_values(non_finite=True))
@settings(max_examples=400, deadline=None)
def test_any_value_is_written_as_json_writes_it(value: object) -> None:
    assert _encode_leaf(value) == expected(value)


@given(json_values(non_finite=False))
@settings(max_examples=400, deadline=None)
def test_dumped_values_are_written_as_json_writes_them(value: object) -> None:
    """Spans come from pydantic's JSON-mode dump: never NaN, so the text is checked."""
    assert _encode_leaf(value, dumped=True) == expected(value)


def test_a_saved_file_is_the_same_either_way(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "p"
    folder.mkdir()
    text = "An e-mail said 1e-5 or 0.00001 🙂 “quoted” \\u2028 end."
    (folder / "a.txt").write_text(text, "utf-8")
    (folder / "b.txt").write_text(text, "utf-8")  # its spans: an integer beyond 64 bits
    project, _ = open_project(folder)
    for doc in project.documents:
        for i, score in enumerate([1e-7, 2.5e-5, 0.5, 1e-4, 0.0, 1e16, None]):
            span = make_span(doc, i, i + 5, "entity", snap=False)
            big = 2**70 if doc.id == "b" and i == 1 else i
            attributes = {"p": score if score is not None else 3, "n": big}
            doc.put_span(replace_span(span, score=score, attributes=attributes, origin="model"))
    save_project(project)
    with_orjson = (folder / "annotator.json").read_bytes()
    monkeypatch.setattr(encode, "orjson", None)
    save_project(load_project(folder)[0])
    assert (folder / "annotator.json").read_bytes() == with_orjson
    scores = [s.score for s in load_project(folder)[0].documents[0].spans()]
    assert (
        1e-7 in scores
        and 2.5e-5 in scores
        and not any(isinstance(x, float) and math.isnan(x) for x in scores)
    )
