"""Reading YAML data files and turning validation errors into 'file:line: where: what' problems.

Form packs and catalogs may come from anyone (`dpia forms check FILE`), so a file is measured before
it is built: only a regular file of at most MAX_DATA_FILE_BYTES is read, and its YAML events are
counted (nesting, values, values repeated by aliases) before the C parser builds anything, since it
overflows its stack on a file nested 100,000 deep and an alias bomb ("billion laughs") would be
expanded by validation. What a problem quotes from the file is a short excerpt: a file that is not
a pack at all (a link to some other file) is refused in one problem, never echoed line by line.
"""

from __future__ import annotations

import gc
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from . import parse_cache
from .bounded_read import FileTooLarge, NotARegularFile, read_bounded

MAX_DATA_FILE_BYTES = 5 * 1024 * 1024
# Lists and mappings inside each other. The built-in pack reaches 17 levels, its catalog 4; Python's
# recursion (validation, evaluation) copes with a few hundred.
MAX_DEPTH = 100
# Values in one file (each key, value and list item; a list or mapping counts as one more), with
# every alias counted as the values it repeats. The built-in pack has about 25,000, and 5 MB written
# like it would have about 180,000; parsing and validating costs some 10 µs a value.
MAX_NODES = 500_000
# Problems listed for one file; beyond them a count. A broken copy-and-paste gives thousands.
MAX_PROBLEMS = 100
# Characters of the file quoted in a problem (a field name, a value).
EXCERPT_CHARS = 40


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
    """A data file (form pack or catalog) that cannot be used, with every problem found.

    `problems` lists the first MAX_PROBLEMS and then says how many more there are; `all_problems`
    has them all, `total` counts them. `located` is False when the problems come from data without
    lines (the parse cache): reading the file again with lines would place them."""

    def __init__(self, problems: Sequence[Problem], *, located: bool = True):
        self.all_problems = list(problems)
        self.problems = capped(self.all_problems)
        self.total = len(self.all_problems)
        self.located = located
        super().__init__("\n".join(str(p) for p in self.problems))


def excerpt(value: Any, limit: int = EXCERPT_CHARS) -> str:
    """A value quoted from a file as repr() shows it, cut to its first `limit` characters and '…'."""
    if isinstance(value, str):
        return repr(value if len(value) <= limit else value[:limit] + "…")
    try:
        text = repr(value)
    except ValueError:  # an integer too long to print
        return "a number too long to print"
    return text if len(text) <= limit else text[:limit] + "…"


def capped(problems: list[Problem]) -> list[Problem]:
    """The first MAX_PROBLEMS problems, and a last one saying how many more there are."""
    if len(problems) <= MAX_PROBLEMS:
        return problems
    first = problems[:MAX_PROBLEMS]
    more = len(problems) - MAX_PROBLEMS
    return first + [Problem(first[0].file, None, "", f"and {more:,} more problems (only the first {MAX_PROBLEMS} are listed)")]


class YamlMap(dict):
    """A mapping read from a file, knowing its line and its keys' lines (0-based)."""

    __slots__ = ("line", "key_lines")


class YamlList(list):
    """A list read from a file, knowing its line and its items' lines (0-based)."""

    __slots__ = ("line", "item_lines")


def read_yaml(path: Path, *, with_lines: bool = True, max_expanded: int | None = None,
              remember: bool = True) -> tuple[bytes, Any]:
    """Parse YAML 1.2; raise DataFileError naming the line on any failure.

    A file parsed here comes back with lines (YamlMap, YamlList), for error messages; without
    `with_lines` the data may instead come from the parse cache, which knows no lines, and is
    kept there unless `remember` is False (the loaders keep it once it has validated). With
    `max_expanded`, a file whose aliases repeat parts of it to more values than that is refused
    (packs and catalogs pass MAX_NODES; the start screen, reading titles only, need not).
    """
    name = str(path)
    raw = _read_bounded(path, name)
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
    _measure(name, text, max_expanded)
    data = _parse(name, text)
    if not isinstance(data, dict):
        raise DataFileError([Problem(name, 1, "", "the file must be a YAML mapping (key: value pairs) at the top level")])
    if remember and not with_lines:
        parse_cache.remember(raw, data)
    return raw, data


def _read_bounded(path: Path, name: str) -> bytes:
    """The bytes of a regular file of at most MAX_DATA_FILE_BYTES (see bounded_read)."""
    def refuse(message: str) -> DataFileError:
        return DataFileError([Problem(name, None, "", message)])

    try:
        return read_bounded(path, MAX_DATA_FILE_BYTES)
    except NotARegularFile as error:
        raise refuse("this is not a regular file (a folder, device or pipe), so not a form pack or catalog") from error
    except FileTooLarge as error:
        raise refuse(f"the file is {error.size:,} bytes; data files are limited to {MAX_DATA_FILE_BYTES:,}") from error
    except OSError as error:
        raise refuse(f"cannot read the file: {error.strerror or error}") from error


def _measure(name: str, text: str, max_expanded: int | None) -> None:
    """Walk the YAML events (the parser's, so quotes, comments and block text are read as YAML
    reads them) and refuse a file nested too deep, holding too many values, or whose aliases repeat
    parts of it beyond `max_expanded` values or inside themselves. Linear, stops at the first
    excess, and builds nothing: the C parser would recurse once per level while building."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import MarkedYAMLError, YAMLError
    from ruamel.yaml.events import (
        AliasEvent,
        MappingEndEvent,
        MappingStartEvent,
        ScalarEvent,
        SequenceEndEvent,
        SequenceStartEvent,
        StreamEndEvent,
    )

    def refuse(event: Any, message: str) -> DataFileError:
        mark = getattr(event, "start_mark", None)
        return DataFileError([Problem(name, mark.line + 1 if mark is not None else None, "", message)])

    _, parser = YAML(typ="safe").get_constructor_parser(text)
    written = expanded = depth = 0
    open_starts: list[tuple[int, str | None]] = []  # values counted before each open list or mapping, and its anchor
    sizes: dict[str, int | None] = {}  # anchor -> values it stands for (None while still open)
    try:
        while True:
            event = parser.get_event()
            kind = type(event)
            if kind is ScalarEvent:
                written += 1
                expanded += 1
                if event.anchor is not None:
                    sizes[event.anchor] = 1
            elif kind is MappingStartEvent or kind is SequenceStartEvent:
                written += 1
                expanded += 1
                depth += 1
                if depth > MAX_DEPTH:
                    raise refuse(event, f"nested more than {MAX_DEPTH} levels deep (lists and mappings inside each other); "
                                        "no form pack or catalog needs that")
                open_starts.append((expanded - 1, event.anchor))
                if event.anchor is not None:
                    sizes[event.anchor] = None
            elif kind is MappingEndEvent or kind is SequenceEndEvent:
                depth -= 1
                begin, anchor = open_starts.pop()
                if anchor is not None:
                    sizes[anchor] = expanded - begin
            elif kind is AliasEvent:
                written += 1
                size = sizes.get(event.anchor, 1)  # an unknown alias is reported by the parser
                if size is None:
                    raise refuse(event, f"the alias *{_name(event.anchor)} is inside the list or mapping it names, "
                                        "so it would repeat without end")
                expanded += size
            elif kind is StreamEndEvent:
                return
            if written > MAX_NODES:
                raise refuse(event, f"the file holds more than {MAX_NODES:,} values; form packs and catalogs are far smaller")
            if max_expanded is not None and expanded > max_expanded:
                raise refuse(event, f"its aliases (*name) would expand the file to more than {max_expanded:,} values; "
                                    "no form pack or catalog is that large")
    except MarkedYAMLError as error:
        raise DataFileError([_yaml_problem(name, error)]) from error
    except YAMLError as error:
        raise DataFileError([Problem(name, None, "", _short(f"not valid YAML: {error}"))]) from error
    finally:
        parser.dispose()


class _ValueAt(Exception):
    """A scalar that cannot become a value (a date that does not exist, a number too long for
    Python), with its line."""

    def __init__(self, line: int, message: str):
        self.line = line
        self.message = message


def _loader_classes() -> tuple[type, type]:
    """The constructor and resolver of the parse, made once ruamel is imported: SafeConstructor
    building YamlMap and YamlList with their lines, and the YAML 1.2 resolver without its search
    for the version on every value (a fifth of the time of a parse)."""
    global _LOADER_CLASSES
    if _LOADER_CLASSES is not None:
        return _LOADER_CLASSES
    from ruamel.yaml.constructor import SafeConstructor
    from ruamel.yaml.resolver import VersionedResolver

    class Yaml12Resolver(VersionedResolver):
        # The C parser never reports a %YAML directive, so ruamel reads every file as YAML 1.2;
        # so does this, with the pure-Python parser too.
        @property
        def processing_version(self) -> Any:
            return (1, 2)

        @property
        def versioned_resolver(self) -> Any:
            try:
                return self._resolvers_1_2
            except AttributeError:
                self._resolvers_1_2 = VersionedResolver.versioned_resolver.fget(self)  # type: ignore[attr-defined]
                return self._resolvers_1_2

    class LinedConstructor(SafeConstructor):
        def construct_non_recursive_object(self, node: Any, tag: str | None = None) -> Any:
            try:
                return super().construct_non_recursive_object(node, tag)
            except ValueError as error:
                raise _ValueAt(node.start_mark.line + 1, _value_message(error)) from error

        def construct_yaml_map(self, node: Any) -> Any:
            data = YamlMap()
            data.line = node.start_mark.line
            yield data
            data.update(self.construct_mapping(node))
            lines: dict[Any, int] = {}
            built = self.constructed_objects
            for key_node, _value in node.value:  # merged keys first, as construct_mapping takes them
                key = built.get(key_node)
                try:
                    lines[key] = key_node.start_mark.line
                except TypeError:
                    pass  # an unhashable key is refused by construct_mapping
            data.key_lines = lines

        def construct_yaml_seq(self, node: Any) -> Any:
            data = YamlList()
            data.line = node.start_mark.line
            yield data
            data.extend(self.construct_sequence(node))
            data.item_lines = [child.start_mark.line for child in node.value]

    LinedConstructor.add_constructor("tag:yaml.org,2002:map", LinedConstructor.construct_yaml_map)
    LinedConstructor.add_constructor("tag:yaml.org,2002:seq", LinedConstructor.construct_yaml_seq)
    _LOADER_CLASSES = (LinedConstructor, Yaml12Resolver)
    return _LOADER_CLASSES


_LOADER_CLASSES: tuple[type, type] | None = None


def _value_message(error: ValueError) -> str:
    if "integer string conversion" in str(error):
        return "a number of more than 4,300 digits; no field takes a number that long"
    return _short(f"the value cannot be read: {error}")


def _parse(name: str, text: str) -> Any:
    # Imported only when a file is parsed: with the parse cache, most starts never need ruamel.
    from ruamel.yaml import YAML
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    yaml = YAML(typ="safe")  # the C parser of ruamel.yaml.clib when installed
    yaml.Constructor, yaml.Resolver = _loader_classes()
    collecting = gc.isenabled()
    gc.disable()  # building 25,000 values triggers collections that find nothing to free
    try:
        return yaml.load(text)
    except MarkedYAMLError as error:
        raise DataFileError([_yaml_problem(name, error)]) from error
    except _ValueAt as error:
        raise DataFileError([Problem(name, error.line, "", error.message)]) from error
    except RecursionError as error:
        raise DataFileError([Problem(name, None, "", "the file is nested too deeply to be read")]) from error
    except (YAMLError, ValueError) as error:
        raise DataFileError([Problem(name, None, "", _short(f"not valid YAML: {error}"))]) from error
    finally:
        if collecting:
            gc.enable()


def _yaml_problem(name: str, error: Any) -> Problem:
    from ruamel.yaml.constructor import DuplicateKeyError

    mark = error.problem_mark or error.context_mark
    line = mark.line + 1 if mark is not None else None
    if isinstance(error, DuplicateKeyError):
        # ruamel's message repeats both values in full, whatever their size.
        return Problem(name, line, "", "not valid YAML: this key is already used in the same mapping")
    message = " ".join(part for part in (error.context, error.problem) if part)
    return Problem(name, line, "", _short(f"not valid YAML: {message}"))


def _short(message: str, limit: int = 160) -> str:
    """A message that may quote the file (a parser's, a validator's), cut to a readable length."""
    message = " ".join(message.split())
    return message if len(message) <= limit else message[:limit] + "…"


def has_lines(data: Any) -> bool:
    return isinstance(data, (YamlMap, YamlList))


def line_of(data: Any, loc: Sequence[Any]) -> int | None:
    """The 1-based line of the deepest node a validation location reaches in data read with lines."""
    if not has_lines(data):
        return None  # data of the parse cache knows no lines
    node = data
    line: int | None = node.line + 1
    for part in loc:
        if isinstance(node, YamlMap) and isinstance(part, (str, int)) and not isinstance(part, bool) and part in node:
            key_line = node.key_lines.get(part)
            line = key_line + 1 if key_line is not None else line
            node = node[part]
        elif isinstance(node, YamlList) and isinstance(part, int) and 0 <= part < len(node):
            line = node.item_lines[part] + 1
            node = node[part]
        # Anything else (a union tag such as 'Compare', a function-validator name) is not a key
        # in the file: skip it and keep walking.
    return line


def describe_location(data: Any, loc: Sequence[Any]) -> str:
    """A readable path such as sections[alternatives].questions[alt.non_face_method].show_if."""
    parts: list[str] = []
    node = data
    for part in loc:
        if isinstance(node, dict) and isinstance(part, (str, int)) and not isinstance(part, bool) and part in node:
            parts.append(_name(part))
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            item = node[part]
            label = item.get("id") if isinstance(item, dict) else None
            parts[-1:] = [f"{parts[-1] if parts else ''}[{_name(label) if isinstance(label, str) else part}]"]
            node = item
        elif isinstance(part, str) and not _is_union_tag(part):
            parts.append(_name(part))
            node = None
    return ".".join(parts)


def _name(part: Any) -> str:
    text = str(part)
    return text if len(text) <= EXCERPT_CHARS else text[:EXCERPT_CHARS] + "…"


def _is_union_tag(part: str) -> bool:
    return part[:1].isupper() or "[" in part or part.startswith("function-")


_LANGUAGE_KEYS = {"en", "zh-Hans"}


def problems_from_validation(name: str, data: Any, error: ValidationError) -> list[Problem]:
    """Every problem, by line. Only the first MAX_PROBLEMS say where in the pack's structure they
    are: capped() keeps no more, and a pasted-in block can give a hundred thousand."""
    found: list[tuple[int, tuple[Any, ...], str]] = []
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
                message = f"required field {excerpt(last)} is missing"
                loc = loc[:-1]
        elif kind == "extra_forbidden":
            message = f"unknown field {excerpt(last)}"
        else:
            message = _short(detail["msg"].removeprefix("Value error, "), 300)
            if kind in ("literal_error", "enum") and "input" in detail:
                message = f"{excerpt(detail['input'])} is not allowed: {message}"
        key = (tuple(loc), message)
        if key in seen:
            continue
        seen.add(key)
        found.append((line_of(data, loc) or 0, key[0], message))
    found.sort(key=lambda item: item[0])
    return [Problem(name, line or None, describe_location(data, loc) if rank < MAX_PROBLEMS else "", message)
            for rank, (line, loc, message) in enumerate(found)]


def require_format(name: str, data: dict, expected: str, what: str, others: dict[str, str]) -> None:
    """Refuse at once, in one problem, a file whose top level does not say it is `expected`:
    anything else (a link to some other file) would otherwise be listed field by field."""
    found = data.get("format")
    if found == expected:
        return
    line = line_of(data, ["format"]) if "format" in data else 1
    if isinstance(found, str) and found in others:
        message = f"this is {others[found]}, not {what}"
    elif "format" in data:
        message = f"this is not {what}: its `format` is {excerpt(found)}, not {expected}"
    else:
        first = next(iter(data), None)
        begins = f" (it begins with {excerpt(first)})" if first is not None else ""
        message = f"this is not {what}: it has no `format: {expected}` at the top level{begins}"
    raise DataFileError([Problem(name, line, "format" if "format" in data else "", message)])
