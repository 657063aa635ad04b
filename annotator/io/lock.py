"""The project lock: one writer per project folder.

Opening a project for editing opens ``.annotator.lock`` beside ``annotator.json`` and
takes the operating system's exclusive lock on it (``flock``; ``msvcrt.locking`` on
Windows), held as long as the session: two processes can never both hold it, and a
killed process lets go of it at once. The file says who holds it (pid, host, user,
start time, the process's own start time), so a second opener, in another window or
another process, is told who; it may open read-only or take the lock over (the file
is replaced; the old holder finds it is no longer named in it). A file naming a live
process of this host that holds no system lock (an older Annotator) or a process of
another host (a shared folder, where the system lock may not reach) counts as live;
one whose process is gone (same host, pid not running, or running but started at a
different time, so a reused pid) is stale and is cleared with a note.
"""

from __future__ import annotations

import contextlib
import errno
import getpass
import json
import os
import socket
import stat
import time
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path

from annotator.io.atomic import NO_WAIT, read_regular

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: msvcrt.locking instead
    fcntl = None  # type: ignore[assignment]

LOCK_NAME = ".annotator.lock"

_HELD: dict[Path, ProjectLock] = {}  # locks held by this process, by project folder


@dataclass(frozen=True)
class LockOwner:
    pid: int
    host: str
    user: str
    started: str
    process_start: str = ""  # the process's start time in clock ticks since boot (Linux)

    def describe(self) -> str:
        try:
            since = datetime.fromisoformat(self.started).strftime("%Y-%m-%d %H:%M")
        except ValueError:
            since = self.started
        return f"process {self.pid} of {self.user} on {self.host}, since {since}"


class ProjectLocked(Exception):
    """Another live session holds the project."""

    def __init__(self, root: Path, owner: LockOwner, *, this_process: bool = False) -> None:
        where = "this Annotator" if this_process else owner.describe()
        super().__init__(f"{root} is open for editing in {where}")
        self.root = root
        self.owner = owner
        self.this_process = this_process


def lock_path(root: Path) -> Path:
    return root / LOCK_NAME


def _process_start(pid: int) -> str:
    """The start time of process ``pid`` (field 22 of /proc/PID/stat), or "" if unknown."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace")
    except OSError:
        return ""
    fields = stat.rsplit(")", 1)[-1].split()
    return fields[19] if len(fields) > 19 else ""


def _alive(pid: int) -> bool:
    try:  # a killed process whose parent has not reaped it yet is a zombie: gone
        state = Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace")
        if state.rsplit(")", 1)[-1].split()[:1] in (["Z"], ["X"]):
            return False
    except OSError:
        pass
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # it exists, owned by someone else
    except OSError:
        return False
    return True


def this_owner() -> LockOwner:
    pid = os.getpid()
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = "unknown"
    return LockOwner(
        pid=pid,
        host=socket.gethostname(),
        user=user,
        started=datetime.now().astimezone().isoformat(timespec="seconds"),
        process_start=_process_start(pid),
    )


def is_stale(owner: LockOwner) -> bool:
    """True if the owner is certainly gone (only decidable on this host)."""
    if owner.host != socket.gethostname():
        return False
    if not _alive(owner.pid):
        return True
    # a live pid that started at another time was reused by a later process
    return bool(owner.process_start) and _process_start(owner.pid) not in ("", owner.process_start)


def read_owner(root: Path) -> LockOwner | None:
    """Who holds ``root``'s lock; None if nobody, or if the file is unreadable (stale)."""
    try:
        return _owner_from(read_regular(lock_path(root)))
    except OSError:
        return None


class ProjectLock:
    """A held lock; :meth:`release` it when the window closes. It keeps the lock file
    open: the operating system's lock on it (``flock``) is what excludes."""

    def __init__(self, root: Path, owner: LockOwner, fd: int | None = None) -> None:
        self.root = root
        self.owner = owner
        self._fd = fd

    @classmethod
    def acquire(
        cls, root: Path, *, take_over: bool = False, wait: float = 0.0
    ) -> tuple[ProjectLock, str | None]:
        """Take the lock, returning it and a note if a stale lock was cleared.

        Raises :class:`ProjectLocked` if a live session holds it (unless ``take_over``;
        ``wait``: after trying that many seconds) and ``OSError`` if the folder cannot
        hold a lock file (read-only media).
        """
        root = root.resolve()
        held = _HELD.get(root)
        if held is not None and not take_over:
            raise ProjectLocked(root, held.owner, this_process=True)
        deadline = time.monotonic() + wait
        while True:
            try:
                lock, note = cls._try(root, take_over)
            except ProjectLocked:
                if time.monotonic() >= deadline:
                    raise
                time.sleep(0.05)
                continue
            _HELD[root] = lock
            return lock, note

    @classmethod
    def _try(cls, root: Path, take_over: bool) -> tuple[ProjectLock, str | None]:  # noqa: C901
        """Long on purpose: each branch is one outcome of the lock protocol's race (not a regular
        file, held, stale, taken over); tests/ui/test_two_writers.py runs them.
        """
        path = lock_path(root)
        note = None
        for _attempt in range(100):
            fd = os.open(path, os.O_RDWR | os.O_CREAT | NO_FOLLOW | NO_WAIT | _O_BINARY, 0o644)
            try:
                if not stat.S_ISREG(os.fstat(fd).st_mode):  # a pipe or device put there
                    os.close(fd)
                    path.unlink()
                    note = "cleared a lock that was not a regular file"
                    continue
                if not _lock_fd(fd):  # a live session holds it: the kernel says so
                    owner = _wait_for_owner(root)
                    if not take_over:
                        raise ProjectLocked(root, owner)
                    note = f"took the lock over from {owner.describe()}"
                    _unlink_if_same(path, fd)  # they keep a lock on a file now gone
                    os.close(fd)
                    continue
                if not _same_file(path, fd):  # released and removed while we waited
                    os.close(fd)
                    continue
                previous = _owner_in(fd)
                if previous is None:
                    if os.fstat(fd).st_size:
                        note = note or "cleared an unreadable lock file"
                elif is_stale(previous):
                    note = note or (
                        f"cleared the lock of {previous.describe()}, which is no longer running"
                    )
                elif previous.host != socket.gethostname() or previous.pid != os.getpid():
                    # written by a session that did not take the system lock (an older
                    # Annotator, or another host on a shared folder): it counts as live
                    if not take_over:
                        raise ProjectLocked(root, previous)
                    note = note or f"took the lock over from {previous.describe()}"
                owner = this_owner()
                _write_owner(fd, owner)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.close(fd)
                raise
            return cls(root, owner, fd), note
        raise OSError(errno.EAGAIN, f"{path} keeps changing; could not take the lock")

    def still_ours(self) -> bool:
        return read_owner(self.root) == self.owner

    def release(self) -> None:
        """Remove the lock file if it is still ours (someone may have taken it over),
        then let go of the system lock."""
        if _HELD.get(self.root) is self:
            del _HELD[self.root]
        if self.still_ours():
            # a folder gone read-only keeps the file: nobody holds its system lock
            # once this process is gone, so the next open clears it as stale
            with contextlib.suppress(OSError):
                if self._fd is None or _same_file(lock_path(self.root), self._fd):
                    lock_path(self.root).unlink(missing_ok=True)
        if self._fd is not None:
            with contextlib.suppress(OSError):
                os.close(self._fd)  # closing lets go of the flock
            self._fd = None


NO_FOLLOW = getattr(os, "O_NOFOLLOW", 0)
_O_BINARY = getattr(os, "O_BINARY", 0)


def _lock_fd(fd: int) -> bool:
    """Try to take the system lock on ``fd`` without waiting; False if another holds it."""
    if fcntl is not None:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        except OSError as exc:
            if exc.errno in (errno.EAGAIN, errno.EACCES):
                return False
            raise
        return True
    import msvcrt  # pragma: no cover - Windows

    try:  # pragma: no cover - Windows
        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)  # type: ignore[attr-defined]
    except OSError:  # pragma: no cover - Windows
        return False
    return True  # pragma: no cover - Windows


def _same_file(path: Path, fd: int) -> bool:
    try:
        here, there = os.fstat(fd), os.lstat(path)
    except OSError:
        return False
    return (here.st_dev, here.st_ino) == (there.st_dev, there.st_ino)


def _unlink_if_same(path: Path, fd: int) -> None:
    if _same_file(path, fd):
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


def _owner_in(fd: int) -> LockOwner | None:
    os.lseek(fd, 0, os.SEEK_SET)
    try:
        return _owner_from(os.read(fd, 65536))
    except OSError:
        return None


def _owner_from(data: bytes) -> LockOwner | None:
    try:
        raw = json.loads(data.decode("utf-8"))
        return LockOwner(
            **{k: raw[k] for k in ("pid", "host", "user", "started")},
            process_start=str(raw.get("process_start", "")),
        )
    except (ValueError, KeyError, TypeError, AttributeError):
        return None


def _write_owner(fd: int, owner: LockOwner) -> None:
    data = (json.dumps(asdict(owner), indent=2) + "\n").encode("utf-8")
    os.ftruncate(fd, 0)
    os.lseek(fd, 0, os.SEEK_SET)
    os.write(fd, data)
    with contextlib.suppress(OSError):
        os.fsync(fd)


def _wait_for_owner(root: Path) -> LockOwner:
    """Who holds the lock, read again for a moment if its holder is still writing it."""
    for _ in range(20):
        owner = read_owner(root)
        if owner is not None:
            return owner
        time.sleep(0.01)
    return LockOwner(0, "?", "unknown", "", "")
