"""A lock next to a draft on a shared drive: who has it open, on which machine, since when.

Two people editing the same assessment would overwrite each other's work. Opening a draft to edit it
creates `.~<name>.lock` beside it (created exclusively, so two openers cannot both get it); a second
person is told who has it and can open it read-only. A lock whose holder crashed stays behind: it
can be taken over after the user is shown whose it was (on the same machine the app can tell that
the process is gone; across machines only the user can). The save itself is guarded separately
(drafts.save_draft checks the file is still the one opened), so a lock that was taken over wrongly
still cannot make anyone lose work.
"""

from __future__ import annotations

import datetime as dt
import getpass
import json
import os
import platform
import secrets
import sys
from dataclasses import dataclass
from pathlib import Path

from .. import __version__
from .bounded_read import FileTooLarge, NotARegularFile, read_bounded
from .times import local_text

MAX_LOCK_BYTES = 4096


@dataclass(frozen=True)
class Holder:
    user: str
    machine: str
    pid: int
    since: str  # ISO time the lock was taken, UTC
    token: str = ""

    @property
    def since_local(self) -> str:
        try:
            return local_text(dt.datetime.fromisoformat(self.since))
        except ValueError:
            return self.since[:40]  # not a time: a short excerpt of whatever the lock file says


class DraftLocked(Exception):
    """The draft is open elsewhere; `stale` when its holder is known to be gone (same machine)."""

    def __init__(self, path: Path, holder: Holder | None, stale: bool):
        who = f"{holder.user} on {holder.machine} since {holder.since_local}" if holder else "someone (the lock cannot be read)"
        super().__init__(f"{path} is open for editing by {who}")
        self.path = path
        self.holder = holder
        self.stale = stale


def lock_path(draft: Path) -> Path:
    return draft.with_name(f".~{draft.name}.lock")


def this_holder() -> Holder:
    try:
        user = getpass.getuser()
    except Exception:  # noqa: BLE001 - no login name (a service account): still lockable
        user = "unknown user"
    return Holder(user=user, machine=platform.node() or "unknown machine", pid=os.getpid(),
                  since=dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"), token=secrets.token_hex(8))


class DraftLock:
    """This app's lock on one draft; `release` removes it if it is still ours."""

    def __init__(self, draft: Path, holder: Holder):
        self.draft = draft
        self.holder = holder

    def release(self) -> None:
        path = lock_path(self.draft)
        current = read_holder(path)
        if current is not None and current.token == self.holder.token:
            try:
                path.unlink()
            except OSError:
                pass  # a read-only share or a vanished folder: the next opener sees a stale lock


def read_holder(path: Path) -> Holder | None:
    """Who holds the lock, or None when the file is not a lock of ours, whatever it holds: it sits next
    to the draft, on a shared drive perhaps, and may be a device, a pipe or a damaged file."""
    try:
        data = json.loads(read_bounded(path, MAX_LOCK_BYTES).decode("utf-8"))
        return Holder(user=str(data["user"]), machine=str(data["machine"]), pid=int(data["pid"]), since=str(data["since"]),
                      token=str(data.get("token", "")))
    # OverflowError: a pid of 1e400 (infinity); RecursionError: JSON nested a thousand levels deep.
    except (OSError, ValueError, KeyError, TypeError, OverflowError, RecursionError, NotARegularFile, FileTooLarge):
        return None


def _write(path: Path, holder: Holder, exclusive: bool) -> None:
    document = json.dumps({"user": holder.user, "machine": holder.machine, "pid": holder.pid, "since": holder.since,
                           "token": holder.token, "app_version": __version__}, ensure_ascii=False).encode("utf-8")
    if exclusive:
        descriptor = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(document)
    else:
        temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        try:
            temporary.write_bytes(document)
            os.replace(temporary, path)
        finally:
            temporary.unlink(missing_ok=True)


def acquire(draft: Path, *, take_over: bool = False) -> DraftLock:
    """Lock the draft for editing; raises DraftLocked if someone else has it (unless taking over).
    A folder where no lock can be written (a read-only share) gives no lock and no error: the save
    will fail there anyway, and saying so is the save's job."""
    path = lock_path(draft)
    holder = this_holder()
    if take_over:
        try:
            _write(path, holder, exclusive=False)
        except OSError:
            pass  # cannot be written here (a read-only share): the save guard still protects the file
        return DraftLock(draft, holder)
    try:
        _write(path, holder, exclusive=True)
        return DraftLock(draft, holder)
    except FileExistsError:
        pass
    except OSError:
        return DraftLock(draft, holder)
    current = read_holder(path)
    raise DraftLocked(draft, current, stale=current is not None and _gone(current))


def _gone(holder: Holder) -> bool:
    """The holder's process ended: only knowable on the same machine."""
    if holder.machine != (platform.node() or "unknown machine"):
        return False
    if holder.pid == os.getpid():
        return False  # this very app: another window of it holds the draft
    return not process_running(holder.pid)


def process_running(pid: int) -> bool:
    """Whether a process with this id runs on this machine now."""
    if not 0 < pid < 2**31:
        return False  # no system gives such a process id (and os.kill refuses a number that large)
    if sys.platform == "win32":
        # os.kill would terminate the process on Windows: ask whether it exists instead.
        import ctypes

        synchronize = 0x00100000
        handle = ctypes.windll.kernel32.OpenProcess(synchronize, False, pid)  # type: ignore[attr-defined]
        if not handle:
            return False
        ctypes.windll.kernel32.CloseHandle(handle)  # type: ignore[attr-defined]
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # exists, owned by someone else
    return True
