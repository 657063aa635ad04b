"""Writing many files at once (an import's articles): each file whole or not at all,
one flush for all, nothing left behind when one of them cannot be written."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from annotator.io.atomic import atomic_write_many


def test_every_file_is_written_with_its_bytes_and_the_usual_mode(tmp_path: Path) -> None:
    (tmp_path / "old.txt").write_bytes(b"before")
    os.chmod(tmp_path / "old.txt", 0o600)
    files = [(tmp_path / f"a{i}.txt", f"article {i} é".encode()) for i in range(50)]
    files.append((tmp_path / "old.txt", b"after"))
    atomic_write_many(files)
    for path, data in files:
        assert path.read_bytes() == data
    assert (tmp_path / "old.txt").stat().st_mode & 0o777 == 0o600  # kept
    assert not list(tmp_path.glob(".*.tmp"))


def test_a_file_that_cannot_be_written_leaves_every_file_as_it_was(tmp_path: Path) -> None:
    (tmp_path / "kept.txt").write_bytes(b"old")
    (tmp_path / "blocker").write_bytes(b"a file where a folder should be")
    files = [
        (tmp_path / "kept.txt", b"new"),
        (tmp_path / "fresh.txt", b"fresh"),
        (tmp_path / "blocker" / "inside.txt", b"cannot be"),
    ]
    with pytest.raises(FileExistsError):
        atomic_write_many(files)
    assert (tmp_path / "kept.txt").read_bytes() == b"old"
    assert not (tmp_path / "fresh.txt").exists()
    assert not list(tmp_path.rglob(".*.tmp"))
