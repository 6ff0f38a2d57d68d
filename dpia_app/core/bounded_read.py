"""Reading a file someone else may have made: a regular file only, and never more than a limit.

A device (/dev/zero reports size 0 and never ends), a pipe (blocks until someone writes) or a folder
given where a draft, a form pack or a report is expected must be refused without being read, and a
file that grows while it is read must not be read past the limit.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path


class NotARegularFile(Exception):
    """A folder, device or pipe."""


class FileTooLarge(Exception):
    def __init__(self, size: int):
        super().__init__(f"{size:,} bytes")
        self.size = size  # as far as it is known: the file's size, or what was read before stopping


def read_bounded(path: Path | str, limit: int) -> bytes:
    """The file's bytes; NotARegularFile, FileTooLarge or the OSError of the system otherwise."""
    status = os.stat(path)
    if not stat.S_ISREG(status.st_mode):
        raise NotARegularFile(str(path))
    if status.st_size > limit:
        raise FileTooLarge(status.st_size)
    # Non-blocking: had the file been swapped for a pipe since, opening it must not wait.
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    with os.fdopen(descriptor, "rb") as stream:
        if not stat.S_ISREG(os.fstat(stream.fileno()).st_mode):
            raise NotARegularFile(str(path))
        data = stream.read(limit + 1)
    if len(data) > limit:
        raise FileTooLarge(len(data))
    return data
