"""Personal-information protection impact assessment (PIPIA) for facial recognition in China."""

from __future__ import annotations

from pathlib import Path

DISTRIBUTION = "dpia-app"
UNKNOWN_VERSION = "0+unknown"


def _version_from_source_tree(package: Path) -> str | None:
    """The version in the pyproject.toml beside the package, when running from a clone.

    It wins over installed metadata there: an editable install's metadata keeps the version it was
    installed with until the next reinstall, while pyproject.toml is what was just edited.
    """
    pyproject = package.parent / "pyproject.toml"
    if not pyproject.is_file():
        return None
    import tomllib

    try:
        project = tomllib.loads(pyproject.read_text(encoding="utf-8")).get("project", {})
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None
    # Some other project's pyproject.toml (the package copied into a folder of theirs) is not ours.
    if project.get("name") != DISTRIBUTION or not isinstance(project.get("version"), str):
        return None
    return project["version"]


def _version_from_metadata() -> str | None:
    """The installed distribution's version: wheels, and the frozen app, which carries the metadata."""
    from importlib import metadata

    try:
        return metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        return None


def find_version(package: Path = Path(__file__).resolve().parent) -> str:
    """pyproject.toml's `version` is the one place the version is written; everything reads it from there."""
    return _version_from_source_tree(package) or _version_from_metadata() or UNKNOWN_VERSION


__version__ = find_version()
