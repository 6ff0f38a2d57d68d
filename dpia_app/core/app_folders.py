"""The app's own per-user folders (platformdirs): settings, state (recovery copies) and cache.

DPIA_APP_CONFIG_DIR puts them all under one folder, which the tests and the self-test use so that
no run touches the user's own.
"""

from __future__ import annotations

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
