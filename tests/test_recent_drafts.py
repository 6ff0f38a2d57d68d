"""The start screen's descriptions of recent drafts: read once, then remembered until the draft, the
day, the language or the app changes; a damaged cache is ignored. Also: what starting imports."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from dpia_app.core import recent_drafts
from dpia_app.core.pack_headers import builtin_pack_headers
from dpia_app.core.recent_drafts import describe

from .conftest import EXAMPLES, TODAY


@pytest.fixture
def cache_in(tmp_path, monkeypatch):
    monkeypatch.setattr(recent_drafts, "cache_file", lambda: tmp_path / "cache" / "recent-drafts.json")
    return tmp_path / "cache" / "recent-drafts.json"


@pytest.fixture
def draft(tmp_path):
    copy = tmp_path / "s2.dpia"
    shutil.copyfile(EXAMPLES / "s2-mall-vip-recognition.dpia", copy)
    return copy


def _reads(monkeypatch) -> list[Path]:
    """Count the drafts actually read (and evaluated), as opposed to taken from the cache."""
    read: list[Path] = []
    original = recent_drafts.describe
    monkeypatch.setattr(recent_drafts, "describe", lambda path, *a: read.append(path) or original(path, *a))
    return read


def test_a_draft_is_read_once_and_then_described_from_the_cache(cn_pack, cache_in, draft, monkeypatch):
    read = _reads(monkeypatch)
    packs = lambda: {"cn-frt-2025": cn_pack}  # noqa: E731
    first = recent_drafts.recent_drafts([draft], packs, TODAY, "en")
    assert read == [draft] and cache_in.is_file()
    assert first[0].title.startswith("Mall entrances") and first[0].verdict == "Must not proceed"
    loaded = []
    again = recent_drafts.recent_drafts([draft], lambda: loaded.append(1) or packs(), TODAY, "en")
    assert again == first and read == [draft] and loaded == [], "neither read nor the packs loaded"


def test_a_cached_description_changed_on_disk_is_not_shown(cn_pack, cache_in, draft, monkeypatch):
    """A damaged byte in the cache (still JSON, the draft unchanged) must not become the draft's verdict."""
    packs = lambda: {"cn-frt-2025": cn_pack}  # noqa: E731
    first = recent_drafts.recent_drafts([draft], packs, TODAY, "en")
    cache_in.write_text(cache_in.read_text(encoding="utf-8").replace("Must not proceed", "May proceed"), encoding="utf-8")
    read = _reads(monkeypatch)
    assert recent_drafts.recent_drafts([draft], packs, TODAY, "en") == first and read == [draft]


@pytest.mark.parametrize("change", ["file", "day", "language"])
def test_a_change_to_what_the_description_depends_on_reads_the_draft_again(cn_pack, cache_in, draft, monkeypatch, change):
    packs = lambda: {"cn-frt-2025": cn_pack}  # noqa: E731
    recent_drafts.recent_drafts([draft], packs, TODAY, "en")
    read = _reads(monkeypatch)
    today, language = TODAY, "en"
    if change == "file":
        draft.write_bytes(draft.read_bytes().replace(b"Mall entrances", b"Mall doors"))
    elif change == "day":
        today = TODAY + dt.timedelta(days=1)  # a review may have fallen due
    else:
        language = "zh-Hans"
    described = recent_drafts.recent_drafts([draft], packs, today, language)
    assert read == [draft]
    if change == "file":
        assert described[0].title.startswith("Mall doors")
    if change == "language":
        assert described[0].verdict == "不得实施"


@pytest.mark.parametrize("damage", [b"", b"{broken", b"[]", b'{"format": 1, "drafts": []}', b'{"format": 99, "drafts": {}}',
                                    b'{"format": 1, "drafts": {"%s": {"fingerprint": 1, "shown": {"title": 3}}}}',
                                    b"[" * 100_000 + b"]" * 100_000, b"\xff\xfe{"])
def test_a_damaged_cache_is_ignored_and_written_again(cn_pack, cache_in, draft, damage):
    packs = lambda: {"cn-frt-2025": cn_pack}  # noqa: E731
    expected = recent_drafts.recent_drafts([draft], packs, TODAY, "en")
    cache_in.write_bytes(damage.replace(b"%s", str(draft).encode()))
    assert recent_drafts.recent_drafts([draft], packs, TODAY, "en") == expected
    assert recent_drafts._read_cache()[str(draft)]["shown"]["title"] == expected[0].title


def test_a_draft_that_cannot_be_read_says_why_and_a_cache_that_cannot_be_written_is_no_problem(cn_pack, tmp_path, monkeypatch):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be")
    monkeypatch.setattr(recent_drafts, "cache_file", lambda: blocker / "recent-drafts.json")
    broken = tmp_path / "broken.dpia"
    broken.write_text("{ not json")
    missing = tmp_path / "gone.dpia"
    described = recent_drafts.recent_drafts([broken, missing], lambda: {"cn-frt-2025": cn_pack}, TODAY, "en")
    assert [d.path for d in described] == [broken, missing]
    assert all(d.problem for d in described) and described[0].problem != described[1].problem


def test_a_draft_of_a_pack_the_app_does_not_have_has_no_verdict(cache_in, draft):
    assert describe(draft, lambda: {}, TODAY, "en").verdict == ""


def test_the_built_in_packs_are_listed_by_title_and_version_without_the_models(cn_pack):
    headers = {h.id: h for h in builtin_pack_headers()}
    header = headers["cn-frt-2025"]
    assert header.version == cn_pack.version and header.path == cn_pack.path
    assert header.title("zh-Hans") == cn_pack.pack.title.zh_hans and header.title("en") == cn_pack.pack.title.en


def test_starting_the_app_builds_no_models_until_an_assessment_is_opened(tmp_path):
    """Building the pack and draft models costs more than showing the start screen itself."""
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from PySide6.QtWidgets import QApplication\n"
        "from dpia_app.ui.app import DesktopApp\n"
        "from dpia_app.ui.preferences import Preferences\n"
        "from dpia_app.ui.recovery import RecoveryStore\n"
        "app = QApplication([])\n"
        "folder = Path(sys.argv[1])\n"
        "desktop = DesktopApp(Preferences(folder), RecoveryStore(folder / 'recovery'))\n"
        "desktop.offer_recovery()\n"
        "desktop.show_start()\n"
        "app.processEvents()\n"
        "heavy = ('dpia_app.core.formpack', 'dpia_app.core.assessment', 'dpia_app.core.evaluation', 'weasyprint')\n"
        "print(' '.join(m for m in heavy if m in sys.modules) or 'none')\n"
    )
    environment = dict(os.environ, QT_QPA_PLATFORM="offscreen", DPIA_APP_CONFIG_DIR=str(tmp_path))
    result = subprocess.run([sys.executable, "-c", script, str(tmp_path)], capture_output=True, text=True,
                            env=environment, cwd=Path(__file__).parent.parent, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["none"]


def test_whatever_goes_wrong_with_a_recent_draft_the_start_screen_stays_up(cn_pack, cache_in, draft, monkeypatch):
    import dpia_app.core.drafts as drafts_module

    def broken(*args, **kwargs):
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(drafts_module, "read_draft", broken)
    described = recent_drafts.recent_drafts([draft], lambda: {"cn-frt-2025": cn_pack}, TODAY, "en")
    assert described[0].problem.startswith("RecursionError") and described[0].title == draft.name


def test_a_cache_that_cannot_hold_its_text_is_not_written_and_raises_nothing(tmp_path):
    from dpia_app.core.app_folders import write_cache_file

    target = tmp_path / "cache" / "recent-drafts.json"
    write_cache_file(target, '{"title": "\udc00"}')  # a lone surrogate, as a damaged cache could hand back
    assert not target.exists() and list(target.parent.iterdir()) == []
