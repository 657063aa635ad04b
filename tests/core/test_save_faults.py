"""A save killed at every step: the project reopens as the old state or the new, never broken.

Each case runs a real save in a child process that dies (``os._exit``, as a kill
would leave it: no cleanup, no ``finally``) at one point of the write: halfway
through the JSON, before the backup, before the replace, after the replace.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from annotator.core.commands import AddSpan, make_span
from annotator.io.load import load_project, open_project
from annotator.io.save import save_project

REPO = Path(__file__).resolve().parents[2]

CHILD = textwrap.dedent(
    """
    import os, sys
    from pathlib import Path
    from annotator.io import atomic, save
    from annotator.io.load import load_project
    from annotator.core.commands import AddSpan, make_span
    root, fault = Path(sys.argv[1]), sys.argv[2]
    project, _ = load_project(root)
    doc = project.documents[0]
    import re
    for match in list(re.finditer(r"[A-Z][a-z]{4,}", doc.text))[1:4]:
        span = make_span(doc, match.start(), match.end(), "entity")
        AddSpan(doc.id, span).do(project)

    def die(*_args, **_kwargs):
        os._exit(9)

    if fault == "mid-write":
        real = save.encode
        def half(raw):
            for n, piece in enumerate(real(raw)):
                if n == 40:
                    die()
                yield piece
        save.encode = half
    elif fault == "before-backup":
        atomic._copy_for_backup = die
    elif fault == "before-replace":
        os.replace = die
    elif fault == "after-replace":
        real_replace = os.replace
        def replace_then_die(src, dst):
            real_replace(src, dst)
            if Path(dst).name == "annotator.json":
                die()
        os.replace = replace_then_die
    save.save_project(project)
    os._exit(0)
    """
)


def spans(root: Path) -> list[tuple[str, int, int, str]]:
    project, report = load_project(root)
    assert not report.errors
    return [(s.id, s.start, s.end, s.label) for d in project.documents for s in d.spans()]


@pytest.mark.parametrize(
    ("fault", "expect"),
    [
        ("mid-write", "old"),
        ("before-backup", "old"),
        ("before-replace", "old"),
        ("after-replace", "new"),
        ("none", "new"),
    ],
)
def test_a_save_killed_midway_leaves_the_old_or_the_new_state(
    sample_copy: Path, fault: str, expect: str
) -> None:
    project, _ = open_project(sample_copy)
    doc = project.documents[0]
    start = doc.text.index("Tuesday")
    AddSpan(doc.id, make_span(doc, start, start + 7, "claim")).do(project)
    save_project(project)
    old = spans(sample_copy)

    result = subprocess.run(
        [sys.executable, "-c", CHILD, str(sample_copy), fault], cwd=REPO, capture_output=True
    )
    assert result.returncode == (0 if fault == "none" else 9), result.stderr.decode()

    now = spans(sample_copy)  # parses: never a half-written file
    if expect == "old":
        assert now == old
    else:
        assert len(now) == len(old) + 3 and set(old) <= set(now)
