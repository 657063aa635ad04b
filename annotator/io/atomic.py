"""Atomic writes: a file holds the old bytes or the new ones, never a mix (temporary
file in the same folder, fsync, replace, fsync of the folder), optionally keeping the
previous version as a backup; :func:`file_stamp`, what identifies one version; and
:func:`read_regular`, reading a whole file that must be a regular one (never waiting
on a pipe put where a project's file should be)."""

from __future__ import annotations

import errno
import os
import secrets
import stat
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

BACKUP_SUFFIX = ".bak"
_O_BINARY = getattr(os, "O_BINARY", 0)  # Windows: no newline translation


FileStamp = tuple[int, int, int]  # st_mtime_ns, st_size, st_ino
# Opened without blocking: a pipe or device where a file should be is refused at once
# (fstat) instead of waiting for a writer forever.
NO_WAIT = getattr(os, "O_NONBLOCK", 0)
NO_FOLLOW = getattr(os, "O_NOFOLLOW", 0)  # opening a symbolic link fails (ELOOP)


def read_regular(path: Path, *, follow: bool = True) -> bytes:
    """The bytes of ``path``; ``OSError`` if it is missing, unreadable, or no regular
    file (a pipe, a device, a folder); ``follow=False``: or a symbolic link."""
    flags = os.O_RDONLY | _O_BINARY | NO_WAIT | (0 if follow else NO_FOLLOW)
    fd = os.open(path, flags)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise OSError(errno.EINVAL, "not a regular file (a pipe, a device or a folder)")
        return read_to_end(fd, info.st_size)
    finally:
        os.close(fd)


def read_to_end(fd: int, size: int) -> bytes:
    """Everything from ``fd`` to the end of its file, ``size`` the size ``fstat`` said
    (the file may have grown since): one read, and one more that finds the end."""
    data = os.read(fd, size + 1)
    more = os.read(fd, 1 << 16) if data else b""
    if not more:
        return data
    pieces = [data, more]
    while more:
        more = os.read(fd, 1 << 16)
        pieces.append(more)
    return b"".join(pieces)


class ChangedOnDisk(OSError):
    """A file changed on disk since it was read (the project file, or an annotator's
    layer); the save did not replace it."""

    def __init__(self, path: Path) -> None:
        super().__init__(
            f"{path} was changed by another program since Annotator read it; not overwritten"
        )
        self.path = path


def file_stamp(path: Path) -> FileStamp | None:
    """What identifies one version of a file on disk, or None if it does not exist."""
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_size, st.st_ino)


def atomic_write_text(path: Path, text: str, *, backup: bool = False) -> None:
    atomic_write_bytes(path, text.encode("utf-8"), backup=backup)


def atomic_write_bytes(path: Path, data: bytes, *, backup: bool = False) -> None:
    """Write ``data`` so that ``path`` holds either the old or the new bytes, never a mix."""
    with atomic_writer(path, backup=backup) as handle:
        handle.write(data)


def atomic_write_many(files: list[tuple[Path, bytes]]) -> None:
    """Write many files, each atomically as :func:`atomic_write_bytes` does, with one
    flush to disk for all of them instead of one per file (an import of 1,000 articles:
    0.1 s, not 0.55 s). Every temporary file is written, then ``os.sync`` puts them all
    on disk, then each replaces its file and each folder is synced once. On an error
    no file has been replaced unless its data was already on disk; temporary files are
    removed."""
    if len(files) < 2:
        for path, data in files:
            atomic_write_bytes(path, data)
        return
    written: list[tuple[Path, Path]] = []
    folders: set[Path] = set()
    # one random tag for the batch, not one per file (mkstemp's random names cost a
    # quarter of a millisecond each); O_EXCL still refuses a name that exists
    tag = f"{os.getpid()}-{secrets.token_hex(4)}"
    try:
        for n, (path, data) in enumerate(files):
            if path.parent not in folders:
                path.parent.mkdir(parents=True, exist_ok=True)
                folders.add(path.parent)
            tmp = path.with_name(f".{path.name}.{tag}-{n}.tmp")
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _O_BINARY, 0o600)
            written.append((tmp, path))
            with os.fdopen(fd, "wb") as handle:
                os.chmod(tmp, _file_mode(path))
                handle.write(data)
        os.sync()  # every temporary file's data on disk before any rename
        for tmp, path in written:
            os.replace(tmp, path)
    except BaseException:
        for tmp, _path in written:
            tmp.unlink(missing_ok=True)
        raise
    for folder in {path.parent for _tmp, path in written}:
        _fsync_dir(folder)


@contextmanager
def atomic_writer(
    path: Path, *, backup: bool = False, before_replace: Callable[[], None] | None = None
) -> Iterator[BinaryIO]:
    """A binary handle whose content replaces ``path`` only when the block ends without error.

    ``before_replace`` runs after the new content is on disk and may raise to cancel.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    tmp = Path(tmp_name)
    try:
        os.chmod(tmp, _file_mode(path))
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        if before_replace is not None:
            before_replace()
        if backup and path.exists():
            _copy_for_backup(path, path.with_name(f".{path.name}{BACKUP_SUFFIX}"))
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _fsync_dir(path.parent)


def _file_mode(path: Path) -> int:
    """Keep an existing file's permissions; new files get the usual 0666 minus the umask."""
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        return 0o666 & ~_UMASK


def _current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


_UMASK = _current_umask()


def _copy_for_backup(path: Path, bak: Path) -> None:
    # A copy, not a rename: the project file must exist at every instant.
    atomic_write_bytes(bak, path.read_bytes())


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
