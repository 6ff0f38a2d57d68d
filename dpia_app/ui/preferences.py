"""What the app remembers between sessions: language, recent drafts, window geometry, the step each draft was left on.

Stored in an INI file in the per-OS configuration folder (platformdirs), or in the folder named by
DPIA_APP_CONFIG_DIR, which the tests use to keep every run independent.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

from ..core.app_folders import APP_NAME, config_dir, state_dir
from ..core.text import Language

__all__ = ["APP_NAME", "MAX_RECENT", "Preferences", "config_dir", "state_dir"]

MAX_RECENT = 10


class Preferences:
    def __init__(self, folder: Path | None = None):
        folder = folder or config_dir()
        folder.mkdir(parents=True, exist_ok=True)
        self._settings = QSettings(str(folder / "preferences.ini"), QSettings.Format.IniFormat)

    @property
    def language(self) -> Language | None:
        value = self._settings.value("language")
        return value if value in ("en", "zh-Hans") else None  # type: ignore[return-value]

    @language.setter
    def language(self, language: Language) -> None:
        self._settings.setValue("language", language)
        self._settings.sync()

    def recent_files(self) -> list[Path]:
        value = self._settings.value("recent_files") or []
        if isinstance(value, str):  # QSettings returns a lone item as a string
            value = [value]
        # No file name holds a NUL: such an entry (a damaged settings file) is no file, and the
        # system refuses to even look it up.
        return [Path(item) for item in value if isinstance(item, str) and item and "\0" not in item]

    def add_recent_file(self, path: Path) -> None:
        path = path.resolve()
        files = [path] + [p for p in self.recent_files() if p != path]
        self._settings.setValue("recent_files", [str(p) for p in files[:MAX_RECENT]])
        self._settings.sync()

    def remove_recent_file(self, path: Path) -> None:
        files = [p for p in self.recent_files() if p != path]
        self._settings.setValue("recent_files", [str(p) for p in files])
        self._settings.sync()

    def geometry(self, window: str) -> QByteArray | None:
        value = self._settings.value(f"geometry/{window}")
        return value if isinstance(value, QByteArray) else None

    def set_geometry(self, window: str, geometry: QByteArray) -> None:
        self._settings.setValue(f"geometry/{window}", geometry)
        self._settings.sync()

    # Where each recent draft was left, so reopening it lands on that step. Keyed by a hash of the
    # resolved path: settings keys cannot hold the slashes and drive letters of a path.
    def last_step(self, path: Path) -> str | None:
        value = self._settings.value(f"last_step/{_path_key(path)}")
        return value if isinstance(value, str) else None

    def set_last_step(self, path: Path, step_key: str) -> None:
        self._settings.setValue(f"last_step/{_path_key(path)}", step_key)
        self._settings.sync()


def _path_key(path: Path) -> str:
    return hashlib.sha256(str(path.resolve()).encode("utf-8")).hexdigest()[:32]
