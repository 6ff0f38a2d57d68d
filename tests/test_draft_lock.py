"""The lock beside a draft on a shared drive: one editor at a time, the others told who and since
when, a lock left by a crashed app recognised on the same machine, and taking over on request."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import textwrap

import pytest

from dpia_app.core import draft_lock
from dpia_app.core.draft_lock import DraftLocked, acquire, lock_path, read_holder

from .conftest import EXAMPLES

# Another app (another process) takes the lock and waits for a line on stdin before releasing it.
OTHER_EDITOR = textwrap.dedent("""
    import sys
    from pathlib import Path
    from dpia_app.core.draft_lock import acquire
    lock = acquire(Path(sys.argv[1]))
    print("locked", flush=True)
    sys.stdin.readline()
    lock.release()
""")


@pytest.fixture
def draft(tmp_path):
    path = tmp_path / "s1.dpia"
    shutil.copy(EXAMPLES / "s1-office-turnstiles.dpia", path)
    return path


def test_a_second_editor_is_told_who_has_the_draft_until_it_is_released(draft):
    with subprocess.Popen([sys.executable, "-c", OTHER_EDITOR, str(draft)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True) as other:
        try:
            assert other.stdout.readline().strip() == "locked"
            with pytest.raises(DraftLocked) as locked:
                acquire(draft)
            holder = locked.value.holder
            assert holder.pid == other.pid and holder.machine and holder.user and not locked.value.stale
            other.stdin.write("done\n")
            other.stdin.flush()
            assert other.wait(timeout=30) == 0
        finally:
            other.kill()
    mine = acquire(draft)
    assert read_holder(lock_path(draft)).token == mine.holder.token
    mine.release()
    assert not lock_path(draft).exists()


def test_a_lock_left_by_an_app_that_is_gone_is_recognised_and_can_be_taken_over(draft):
    crashed = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True, check=True)
    holder = draft_lock.this_holder()
    lock_path(draft).write_text(json.dumps({"user": holder.user, "machine": holder.machine, "pid": int(crashed.stdout),
                                            "since": holder.since, "token": "old"}), encoding="utf-8")
    with pytest.raises(DraftLocked) as locked:
        acquire(draft)
    assert locked.value.stale
    taken = acquire(draft, take_over=True)
    assert read_holder(lock_path(draft)).token == taken.holder.token


def test_a_lock_from_another_machine_is_never_called_stale_and_a_garbled_one_names_nobody(draft):
    lock_path(draft).write_text(json.dumps({"user": "wang.li", "machine": "FINANCE-PC-07", "pid": 1, "since": "2026-11-30T08:00:00+00:00"}),
                                encoding="utf-8")
    with pytest.raises(DraftLocked) as locked:
        acquire(draft)
    assert not locked.value.stale and "wang.li on FINANCE-PC-07" in str(locked.value)
    lock_path(draft).write_bytes(b"\xff\x00 not json")
    with pytest.raises(DraftLocked) as locked:
        acquire(draft)
    assert locked.value.holder is None and not locked.value.stale


def test_releasing_someone_elses_lock_leaves_it(draft):
    mine = acquire(draft)
    theirs = acquire(draft, take_over=True)
    mine.release()
    assert read_holder(lock_path(draft)).token == theirs.holder.token


def test_a_folder_where_no_lock_can_be_written_gives_no_lock_and_no_error(draft, monkeypatch):
    def refuse(*args, **kwargs):
        raise PermissionError("read-only share")

    monkeypatch.setattr(draft_lock, "_write", refuse)
    for take_over in (False, True):
        lock = acquire(draft, take_over=take_over)
        assert not lock_path(draft).exists()
        lock.release()
