"""Reading a file someone else may have made: a regular file only, and never more than a limit.

A device (/dev/zero reports size 0 and never ends), a pipe (blocks until someone writes) or a folder
given where a draft, a form pack or a report is expected must be refused without being read, and a
file that grows while it is read must not be read past the limit.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path


CHUNK = 1024 * 1024


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
    with os.fdopen(descriptor, "rb", buffering=0) as stream:
        opened = os.fstat(stream.fileno())
        if not stat.S_ISREG(opened.st_mode):
            raise NotARegularFile(str(path))
        # As much as the file says it holds, and one byte more: asking for the whole limit at once
        # would allocate the limit (50 MB for a draft) on every read. Then on to the limit, in
        # chunks, for a file that grows while it is read or reports no size (/proc).
        chunks = [stream.read(min(opened.st_size, limit) + 1)]
        total = len(chunks[0])
        while total <= limit:
            chunk = stream.read(min(CHUNK, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
    if total > limit:
        raise FileTooLarge(total)
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)
