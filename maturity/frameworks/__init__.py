"""Maturity frameworks as data files, read into plain values (no Flask, no database).

The format is documented in docs/frameworks/format.md and checked against the shipped JSON
Schema (framework.schema.json) by :mod:`maturity.frameworks.validation`. JSON is a subset of
YAML, so the NAO file below is a framework file like any other.

A file is immutable once released: a changed model is a new file with a higher version.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

from maturity.frameworks.spec import DomainSpec, FrameworkSpec, canonical, checksum

DEFAULT_FRAMEWORK_KEY = "nao-performance-measurement"

__all__ = [
    "DEFAULT_FRAMEWORK_KEY",
    "DomainSpec",
    "FrameworkFileError",
    "FrameworkSpec",
    "canonical",
    "checksum",
    "load",
    "parse",
]


class FrameworkFileError(ValueError):
    """A framework document with problems; ``problems`` lists each with its location."""

    def __init__(self, problems: list[Any]) -> None:
        self.problems = problems
        super().__init__("; ".join(str(problem) for problem in problems))


def parse(data: dict[str, Any]) -> FrameworkSpec:
    """The framework in a parsed document; every problem in it raises together."""
    from maturity.frameworks import validation  # it imports this package's submodules

    problems = validation.check(data)
    if problems:
        raise FrameworkFileError(problems)
    return validation.build(validation._normalised(data))


def load(filename: str) -> FrameworkSpec:
    """A framework file shipped in this package (the migrations install them)."""
    text = resources.files(__package__).joinpath(filename).read_text(encoding="utf-8")
    return parse(json.loads(text))
