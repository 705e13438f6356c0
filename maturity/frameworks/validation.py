"""Reading a framework file and listing every problem in it, each with where it is.

Pure: no Flask, no database. A file is checked in three passes, and every problem found is
reported (not just the first), so that one upload shows a person everything to fix:

1. the bytes: size, UTF-8, YAML syntax (read with PyYAML's safe loader only), one document,
   no duplicate mapping keys (PyYAML would silently keep the last) and no aliases;
2. the shipped JSON Schema (``framework.schema.json``): fields, types, level and domain counts;
3. the rules a schema cannot state: a descriptor for every level, unique keys and names,
   criteria naming real levels, colours that stand out against white.

Locations name the field as ``domains[2].descriptors`` (counted from 1, as a person reads
the file) and, for a file, the line it starts on.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from maturity.frameworks import colours
from maturity.frameworks.spec import DomainSpec, FrameworkSpec

MAX_BYTES = 1_000_000
DEFAULT_DEFINITIONS_TITLE = "Definitions of the levels of maturity"

Path = tuple[str | int, ...]


@dataclass(frozen=True)
class Problem:
    location: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"line {self.line}, {self.location}" if self.line else self.location
        return f"{where}: {self.message}"


def read(content: bytes) -> tuple[FrameworkSpec | None, list[Problem]]:
    """The framework in an uploaded or named file, or every problem that stops it loading."""
    if len(content) > MAX_BYTES:
        return None, [Problem("the file", "is larger than 1 MB, the most a framework file may be")]
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return None, [
            Problem(
                "the file",
                f"is not UTF-8 text (byte {exc.start + 1} is not valid UTF-8): save it as UTF-8",
            )
        ]
    try:
        loader = yaml.SafeLoader(text)
        try:
            node = loader.get_single_node()
            if node is None:
                return None, [Problem("the file", "is empty")]
            problems = list(_node_problems(node))
            if any(problem.message.startswith("aliases") for problem in problems):
                return None, problems
            data = loader.construct_document(node)
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        return None, [Problem("the file", f"is not valid YAML: {exc.problem or exc}", line)]
    except yaml.YAMLError as exc:
        return None, [Problem("the file", f"is not valid YAML: {exc}")]
    except RecursionError:
        # Lists or mappings nested thousands deep: no framework is, and the reader gives up.
        return None, [Problem("the file", "is nested too deeply to be a framework")]
    problems += [
        Problem(problem.location, problem.message, _line(node, path))
        for path, problem in _problems(_normalised(data))
    ]
    if problems:
        return None, sorted(problems, key=lambda problem: problem.line or 0)
    return build(_normalised(data)), []


def check(data: Any) -> list[Problem]:
    """Every problem in an already-parsed document (no line numbers)."""
    return [problem for _, problem in _problems(_normalised(data))]


def build(data: dict[str, Any]) -> FrameworkSpec:
    """The spec of a document ``check`` found no problem in."""
    levels = tuple(data["levels"])
    given = [domain.get("colour") for domain in data["domains"]]
    domains = []
    for domain, colour in zip(data["domains"], colours.assign(given), strict=True):
        criteria = domain.get("criteria") or {}
        domains.append(
            DomainSpec(
                key=domain["key"],
                name=domain["name"],
                colour=colour,
                descriptors=tuple(domain["descriptors"]),
                description=domain.get("description", ""),
                criteria=tuple(tuple(criteria.get(level, ())) for level in levels)
                if criteria
                else (),
            )
        )
    return FrameworkSpec(
        key=data["key"],
        version=data["version"],
        name=data["name"],
        figure_title=data.get("figure_title", data["name"]),
        definitions_title=data.get("definitions_title", DEFAULT_DEFINITIONS_TITLE),
        source=data["source"],
        notes=tuple(data.get("notes", ())),
        levels=levels,
        domains=tuple(domains),
    )


def location(path: Path) -> str:
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part + 1}]"
        elif re.fullmatch(r"[a-z_]+", part):
            text += f".{part}" if text else part
        else:
            text += f"[{json.dumps(part, ensure_ascii=False)}]"
    return text or "the file"


@cache
def schema() -> dict[str, Any]:
    text = resources.files(__package__).joinpath("framework.schema.json").read_text("utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded


def _normalised(data: Any) -> Any:
    """Surrounding white space is not part of any text (YAML block text ends in a newline)."""
    if isinstance(data, str):
        return data.strip()
    if isinstance(data, list):
        return [_normalised(item) for item in data]
    if isinstance(data, dict):
        return {str(key).strip(): _normalised(value) for key, value in data.items()}
    return data


def _node_problems(root: yaml.Node) -> Iterator[Problem]:
    seen: set[int] = set()

    def walk(node: yaml.Node, path: Path, line: int) -> Iterator[Problem]:
        # An alias is the same node met twice; refusing them also stops "billion laughs".
        if id(node) in seen:
            yield Problem(location(path), "aliases (*name) are not allowed", line)
            return
        seen.add(id(node))
        if isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                yield from walk(item, (*path, index), _mark(item))
        elif isinstance(node, yaml.MappingNode):
            keys: dict[str, int] = {}
            for key_node, value_node in node.value:
                key = str(key_node.value)
                if key in keys:
                    yield Problem(
                        location((*path, key)),
                        f"is given twice (first on line {keys[key]})",
                        _mark(key_node),
                    )
                keys.setdefault(key, _mark(key_node))
                yield from walk(value_node, (*path, key), _mark(key_node))

    yield from walk(root, (), _mark(root))


def _mark(node: yaml.Node) -> int:
    return int(node.start_mark.line) + 1


def _line(root: yaml.Node, path: Path) -> int:
    """The line where the deepest field on ``path`` that exists is named (a missing field:
    its parent's), as a person looks for it: a field's key, not its value below."""
    node, line = root, _mark(root)
    for part in path:
        if isinstance(node, yaml.MappingNode):
            pair = next(((k, v) for k, v in node.value if str(k.value).strip() == part), None)
            if pair is None:
                break
            line, node = _mark(pair[0]), pair[1]
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            if part >= len(node.value):
                break
            node = node.value[part]
            line = _mark(node)
        else:
            break
    return line


def _problems(data: Any) -> Iterator[tuple[Path, Problem]]:
    if not isinstance(data, dict):
        yield (
            (),
            Problem("the file", "should be a mapping of fields (key: value), as in the example"),
        )
        return
    errors = Draft202012Validator(schema()).iter_errors(data)
    for error in sorted(errors, key=lambda e: [str(p) for p in e.absolute_path]):
        path = tuple(error.absolute_path)
        yield path, Problem(location(path), _message(error))
    yield from _rule_problems(data)


_TYPES = {
    "string": "text",
    "integer": "a whole number",
    "array": "a list",
    "object": "a mapping of fields",
}


def _message(error: ValidationError) -> str:
    path = tuple(error.absolute_path)
    value: Any = error.instance
    rule: dict[str, Any] = error.schema if isinstance(error.schema, dict) else {}
    if error.validator == "required":
        missing = error.message.split("'")[1] if "'" in error.message else error.message
        return f"'{missing}' is missing"
    if error.validator == "additionalProperties" and isinstance(value, dict):
        known = set(rule.get("properties", {}))
        extra = ", ".join(f"'{key}'" for key in value if key not in known)
        return f"{extra}: not a field of a framework file (see the format's documentation)"
    if error.validator in ("minItems", "maxItems") and path in (("levels",), ("domains",)):
        low, high = rule["minItems"], rule["maxItems"]
        return f"a framework has from {low} to {high} {path[0]}; this file has {len(value)}"
    if error.validator == "minItems":
        return "list at least one statement, or leave this level out"
    if error.validator == "type":
        wanted = _TYPES.get(str(error.validator_value), str(error.validator_value))
        return f"should be {wanted}, not {_describe(value)}"
    if error.validator == "pattern":
        if path and path[-1] == "colour":
            return f"{value!r} is not a colour written as #RRGGBB (for example #12436D)"
        return f"{value!r} is not a valid key: use lower-case letters, digits and single hyphens"
    if error.validator == "minLength":
        return "should not be empty"
    if error.validator == "maxLength":
        return f"is longer than {error.validator_value} characters"
    if error.validator == "minimum":
        return f"should be {error.validator_value} or more"
    return error.message


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return f"{str(value).lower()} (a yes/no value: put text in quotes)"
    if isinstance(value, int | float):
        return f"the number {value}"
    if value is None:
        return "empty"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return f"{value!r}"


def _rule_problems(data: dict[str, Any]) -> Iterator[tuple[Path, Problem]]:
    def problem(path: Path, message: str) -> tuple[Path, Problem]:
        return path, Problem(location(path), message)

    levels = data.get("levels")
    level_names = (
        [level for level in levels if isinstance(level, str)] if isinstance(levels, list) else []
    )
    first_level: dict[str, int] = {}
    for index, level in enumerate(levels if isinstance(levels, list) else []):
        if not isinstance(level, str):
            continue
        if level.isdigit():
            # CSV files give a level as its number or its name: a numeric name is ambiguous.
            yield problem(("levels", index), f"'{level}' is a number; a level name must be words")
        if level.casefold() in first_level:
            number = first_level[level.casefold()]
            yield problem(("levels", index), f"'{level}' is already the name of level {number}")
        first_level.setdefault(level.casefold(), index + 1)

    domains = data.get("domains")
    seen_keys: dict[str, int] = {}
    seen_names: dict[str, int] = {}
    seen_colours: dict[str, int] = {}
    for index, domain in enumerate(domains if isinstance(domains, list) else []):
        if not isinstance(domain, dict):
            continue
        here: Path = ("domains", index)
        for field, seen in (("key", seen_keys), ("name", seen_names)):
            value = domain.get(field)
            if isinstance(value, str) and value:
                if value.casefold() in seen:
                    other = location(("domains", seen[value.casefold()]))
                    yield problem((*here, field), f"'{value}' is already the {field} of {other}")
                seen.setdefault(value.casefold(), index)
        descriptors = domain.get("descriptors")
        if (
            isinstance(descriptors, list)
            and isinstance(levels, list)
            and levels
            and len(descriptors) != len(levels)
        ):
            yield problem(
                (*here, "descriptors"),
                f"{len(descriptors)} descriptors for {len(levels)} levels: "
                "give one for every level, lowest first",
            )
        criteria = domain.get("criteria")
        if isinstance(criteria, dict):
            for level in criteria:
                if level not in level_names:
                    yield problem(
                        (*here, "criteria", level),
                        f"'{level}' is not a level name; the levels are " + ", ".join(level_names),
                    )
        colour = domain.get("colour")
        if isinstance(colour, str) and colours.HEX_COLOUR.match(colour):
            contrast = colours.contrast_with_white(colour)
            if contrast < colours.MINIMUM_CONTRAST:
                yield problem(
                    (*here, "colour"),
                    f"{colour} has a contrast of {contrast:.1f}:1 against white; a bar needs "
                    f"at least {colours.MINIMUM_CONTRAST:.0f}:1 (or leave the colour out)",
                )
            if colour.upper() in seen_colours:
                other = location(("domains", seen_colours[colour.upper()]))
                yield problem((*here, "colour"), f"{colour} is already the colour of {other}")
            seen_colours.setdefault(colour.upper(), index)
