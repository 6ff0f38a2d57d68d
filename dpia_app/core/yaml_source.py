"""Reading YAML data files and turning validation errors into 'file:line: where: what' problems."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from . import parse_cache

MAX_DATA_FILE_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a data file, located so that a reviewer can go straight to it."""

    file: str
    line: int | None
    where: str
    message: str

    def __str__(self) -> str:
        place = f"{self.file}:{self.line}" if self.line else self.file
        where = f" {self.where}:" if self.where else ""
        return f"{place}:{where} {self.message}"


class DataFileError(Exception):
    """A data file (form pack or catalog) that cannot be used, with every problem found."""

    def __init__(self, problems: Sequence[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


def read_yaml(path: Path, *, with_lines: bool = True) -> tuple[bytes, Any]:
    """Parse YAML 1.2; raise DataFileError naming the line on any failure.

    With lines (round-trip mode) every node knows its line, for error messages; without, the C
    parser of ruamel.yaml.clib reads a large pack about ten times faster. Both read YAML 1.2 alike.
    """
    name = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_DATA_FILE_BYTES:
            raise DataFileError([Problem(name, None, "", f"the file is {size:,} bytes; data files are limited to {MAX_DATA_FILE_BYTES:,}")])
        raw = path.read_bytes()
    except OSError as error:
        raise DataFileError([Problem(name, None, "", f"cannot read the file: {error.strerror or error}")]) from error
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise DataFileError([Problem(name, line, "", "the file is not UTF-8 text")]) from error
    if not with_lines:
        data = parse_cache.cached(raw)
        if data is not None:
            return raw, data  # parsed before from the very same bytes; validated by the caller as ever
    else:
        # Read with lines only after the fast read failed validation: if a cached parse was to
        # blame, it must not be used again.
        parse_cache.forget(raw)
    # Imported only when a file is parsed: with the parse cache, most starts never need ruamel.
    from ruamel.yaml import YAML
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    yaml = YAML(typ="rt" if with_lines else "safe")
    try:
        data = yaml.load(text)
    except MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark is not None else None
        message = " ".join(part for part in (error.context, error.problem) if part)
        raise DataFileError([Problem(name, line, "", f"not valid YAML: {message}")]) from error
    except YAMLError as error:
        raise DataFileError([Problem(name, None, "", f"not valid YAML: {error}")]) from error
    if not isinstance(data, dict):
        raise DataFileError([Problem(name, 1, "", "the file must be a YAML mapping (key: value pairs) at the top level")])
    if not with_lines:
        parse_cache.remember(raw, data)
    return raw, data


def line_of(data: Any, loc: Sequence[Any]) -> int | None:
    """The 1-based line of the deepest node a validation location reaches in ruamel data."""
    if not hasattr(data, "lc"):
        return None  # data of the fast read (or the parse cache) knows no lines
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    node = data
    line = node.lc.line + 1 if hasattr(node, "lc") and node.lc.line is not None else None
    for part in loc:
        if isinstance(node, CommentedMap) and isinstance(part, str) and part in node:
            key_line, _ = node.lc.key(part)
            line = key_line + 1
            node = node[part]
        elif isinstance(node, CommentedSeq) and isinstance(part, int) and 0 <= part < len(node):
            item_line, _ = node.lc.item(part)
            line = item_line + 1
            node = node[part]
        # Anything else (a union tag such as 'Compare', a function-validator name) is not a key
        # in the file: skip it and keep walking.
    return line


def describe_location(data: Any, loc: Sequence[Any]) -> str:
    """A readable path such as sections[alternatives].questions[alt.non_face_method].show_if."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    parts: list[str] = []
    node = data
    for part in loc:
        if isinstance(node, CommentedMap) and isinstance(part, str) and part in node:
            parts.append(part)
            node = node[part]
        elif isinstance(node, CommentedSeq) and isinstance(part, int) and 0 <= part < len(node):
            item = node[part]
            label = item.get("id") if isinstance(item, CommentedMap) else None
            parts[-1:] = [f"{parts[-1] if parts else ''}[{label if isinstance(label, str) else part}]"]
            node = item
        elif isinstance(part, str) and not _is_union_tag(part):
            parts.append(part)
            node = None
    return ".".join(parts)


def _is_union_tag(part: str) -> bool:
    return part[:1].isupper() or "[" in part or part.startswith("function-")


_LANGUAGE_KEYS = {"en", "zh-Hans"}


def problems_from_validation(name: str, data: Any, error: ValidationError) -> list[Problem]:
    problems: list[Problem] = []
    seen: set[tuple[Any, ...]] = set()
    for detail in error.errors(include_url=False):
        loc = detail["loc"]
        kind = detail["type"]
        last = loc[-1] if loc else ""
        if kind == "missing":
            if last in _LANGUAGE_KEYS:
                message = f"missing translation {last!r}"
                loc = loc[:-1]
            else:
                message = f"required field {last!r} is missing"
                loc = loc[:-1]
        elif kind == "extra_forbidden":
            message = f"unknown field {last!r}"
        else:
            message = detail["msg"].removeprefix("Value error, ")
            if kind in ("literal_error", "enum") and "input" in detail:
                message = f"{detail['input']!r} is not allowed: {message}"
        key = (tuple(loc), message)
        if key in seen:
            continue
        seen.add(key)
        problems.append(Problem(name, line_of(data, loc), describe_location(data, loc), message))
    problems.sort(key=lambda p: (p.line or 0))
    return problems
