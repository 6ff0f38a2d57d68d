"""Two people, one file on a shared drive: a save never overwrites what someone else saved since the
file was opened; the user saves a copy or takes their version instead."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys

import pytest

from dpia_app.core import drafts
from dpia_app.core.drafts import DraftError, read_draft

from .conftest import EXAMPLES

# Another process (a colleague's app, a sync program) rewrites the draft with a new title.
OTHER_SAVE = (
    "import json, sys\n"
    "path = sys.argv[1]\n"
    "document = json.load(open(path, encoding='utf-8'))\n"
    "document['metadata']['title'] = 'Saved by a colleague'\n"
    "open(path, 'w', encoding='utf-8').write(json.dumps(document, ensure_ascii=False))\n"
)


def _saved_elsewhere(path):
    subprocess.run([sys.executable, "-c", OTHER_SAVE, str(path)], check=True)


@pytest.fixture
def draft(tmp_path):
    path = tmp_path / "s1.dpia"
    shutil.copy(EXAMPLES / "s1-office-turnstiles.dpia", path)
    return path


def test_a_draft_knows_the_file_it_was_read_from(draft):
    assert read_draft(draft).file_sha256 == hashlib.sha256(draft.read_bytes()).hexdigest()


def test_a_save_over_a_file_changed_elsewhere_is_refused_and_the_file_kept(cn_pack, draft):
    opened = read_draft(draft, cn_pack)
    _saved_elsewhere(draft)
    theirs = draft.read_bytes()
    with pytest.raises(DraftError) as refused:
        drafts.save_draft(opened.assessment, draft, on_disk=opened.file_sha256)
    assert refused.value.code == "changed_on_disk" and draft.read_bytes() == theirs
    # Unchanged on disk: the save goes through.
    again = read_draft(draft, cn_pack)
    drafts.save_draft(again.assessment, draft, on_disk=again.file_sha256)
    # A file that was deleted meanwhile was changed too.
    draft.unlink()
    with pytest.raises(DraftError, match="changed by someone or something else"):
        drafts.save_draft(again.assessment, draft, on_disk=again.file_sha256)


def test_two_windows_on_one_file_the_second_save_asks_and_reload_takes_the_first(cn_pack, draft):
    from dpia_app.ui.session import AssessmentSession

    first, second = (read_draft(draft, cn_pack) for _ in range(2))
    mine = AssessmentSession(cn_pack, first.assessment, path=draft, file_sha256=first.file_sha256)
    theirs = AssessmentSession(cn_pack, second.assessment, path=draft, file_sha256=second.file_sha256)
    mine.update_metadata(title="Mine")
    theirs.update_metadata(title="Theirs")
    mine.save()
    with pytest.raises(DraftError) as refused:
        theirs.save()
    assert refused.value.code == "changed_on_disk"
    assert json.loads(draft.read_text(encoding="utf-8"))["metadata"]["title"] == "Mine"
    theirs.reload(read_draft(draft, cn_pack))
    assert theirs.assessment.metadata.title == "Mine" and not theirs.dirty
    theirs.update_metadata(title="Theirs, after reloading")
    theirs.save()
    assert json.loads(draft.read_text(encoding="utf-8"))["metadata"]["title"] == "Theirs, after reloading"
    # The first window is now the one behind: its next save is refused in turn.
    mine.update_metadata(title="Mine again")
    with pytest.raises(DraftError):
        mine.save()
