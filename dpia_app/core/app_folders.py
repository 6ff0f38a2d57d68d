"""The app's own per-user folders (platformdirs): settings, state (recovery copies) and cache.

DPIA_APP_CONFIG_DIR puts them all under one folder, which the tests and the self-test use so that
no run touches the user's own.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

import platformdirs

APP_NAME = "dpia-app"


def _override() -> Path | None:
    folder = os.environ.get("DPIA_APP_CONFIG_DIR")
    return Path(folder) if folder else None


def config_dir() -> Path:
    override = _override()
    return override if override else Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def state_dir() -> Path:
    """Where recovery copies of unsaved work live (never next to the user's own files)."""
    override = _override()
    return override / "state" if override else Path(platformdirs.user_state_dir(APP_NAME, appauthor=False))


def cache_dir() -> Path:
    """What can be thrown away and made again (the parsed form packs)."""
    override = _override()
    return override / "cache" if override else Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False))


def write_cache_file(target: Path, text: str) -> None:
    """Write a cache file whole (a temporary file renamed over it), or not at all: a cache that
    cannot be written only means the work is done again next time, so no error is raised."""
    temporary = target.with_name(f"{target.name}.{os.getpid()}.tmp")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, target)  # another app instance may write the same file: last one wins
    except (OSError, ValueError):  # ValueError: text no file can hold (a lone surrogate read from a damaged cache)
        with contextlib.suppress(OSError):
            temporary.unlink(missing_ok=True)
