"""The project lock: one writer per project folder.

Opening a project for editing creates ``.annotator.lock`` beside ``annotator.json``
(atomically, ``O_CREAT | O_EXCL``) holding the owner's pid, host, user, start time
and the process's own start time. A second opener, in another window or another
process, finds it and is told who holds the project; it may open read-only or take
the lock over. A lock whose process is gone (same host, pid not running, or running
but started at a different time, so a reused pid) is stale and is cleared with a note.
A lock from another host cannot be checked, so it counts as live.
"""

from __future__ import annotations

import contextlib
import getpass
import json
import os
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path

from annotator.io.atomic import read_regular

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
        raw = json.loads(read_regular(lock_path(root)).decode("utf-8"))
        return LockOwner(
            **{k: raw[k] for k in ("pid", "host", "user", "started")},
            process_start=str(raw.get("process_start", "")),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


class ProjectLock:
    """A held lock; :meth:`release` it when the window closes."""

    def __init__(self, root: Path, owner: LockOwner) -> None:
        self.root = root
        self.owner = owner

    @classmethod
    def acquire(cls, root: Path, *, take_over: bool = False) -> tuple[ProjectLock, str | None]:
        """Take the lock, returning it and a note if a stale lock was cleared.

        Raises :class:`ProjectLocked` if a live session holds it (unless ``take_over``)
        and ``OSError`` if the folder cannot hold a lock file (read-only media).
        """
        root = root.resolve()
        held = _HELD.get(root)
        if held is not None and not take_over:
            raise ProjectLocked(root, held.owner, this_process=True)
        owner = this_owner()
        data = json.dumps(asdict(owner), indent=2) + "\n"
        path = lock_path(root)
        note = None
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        except FileExistsError:
            previous = read_owner(root)
            if previous is None:
                note = "cleared an unreadable lock file"
            elif is_stale(previous):
                note = f"cleared the lock of {previous.describe()}, which is no longer running"
            elif take_over:
                note = f"took the lock over from {previous.describe()}"
            else:
                raise ProjectLocked(root, previous) from None
            tmp = path.with_name(f"{LOCK_NAME}.{owner.pid}.tmp")
            tmp.write_text(data, encoding="utf-8")
            os.replace(tmp, path)
        else:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(data)
        lock = cls(root, owner)
        _HELD[root] = lock
        return lock, note

    def still_ours(self) -> bool:
        return read_owner(self.root) == self.owner

    def release(self) -> None:
        """Remove the lock file if it is still ours (someone may have taken it over)."""
        if _HELD.get(self.root) is self:
            del _HELD[self.root]
        if self.still_ours():
            # a folder gone read-only keeps the file: its process is gone by the next
            # open, which then clears it as stale (with a note)
            with contextlib.suppress(OSError):
                lock_path(self.root).unlink(missing_ok=True)


@contextmanager
def locked(root: Path) -> Iterator[ProjectLock]:
    """Hold the lock for a command-line change; :class:`ProjectLocked` if it is in use."""
    lock, _note = ProjectLock.acquire(root)
    try:
        yield lock
    finally:
        lock.release()
