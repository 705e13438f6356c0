"""Maturity frameworks shipped as data files, read into plain values (no Flask, no database).

A file is immutable once released: a changed model is a new file with a higher version.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources
from typing import Any

DEFAULT_FRAMEWORK_KEY = "nao-performance-measurement"


class FrameworkFileError(ValueError):
    pass


@dataclass(frozen=True)
class DomainSpec:
    key: str
    name: str
    colour: str
    descriptors: tuple[str, ...]


@dataclass(frozen=True)
class FrameworkSpec:
    key: str
    version: int
    name: str
    figure_title: str
    definitions_title: str
    source: str
    notes: tuple[str, ...]
    levels: tuple[str, ...]
    domains: tuple[DomainSpec, ...]


def parse(data: dict[str, Any]) -> FrameworkSpec:
    levels = tuple(data["levels"])
    if not levels:
        raise FrameworkFileError("a framework needs at least one level")
    domains = tuple(
        DomainSpec(d["key"], d["name"], d["colour"], tuple(d["descriptors"]))
        for d in data["domains"]
    )
    if not domains:
        raise FrameworkFileError("a framework needs at least one domain")
    for domain in domains:
        if len(domain.descriptors) != len(levels):
            raise FrameworkFileError(
                f"domain {domain.key!r} has {len(domain.descriptors)} descriptors "
                f"for {len(levels)} levels"
            )
    if len({d.key for d in domains}) != len(domains):
        raise FrameworkFileError("domain keys must be unique")
    return FrameworkSpec(
        key=data["key"],
        version=int(data["version"]),
        name=data["name"],
        figure_title=data["figure_title"],
        definitions_title=data["definitions_title"],
        source=data["source"],
        notes=tuple(data.get("notes", ())),
        levels=levels,
        domains=domains,
    )


def load(filename: str) -> FrameworkSpec:
    text = resources.files(__package__).joinpath(filename).read_text(encoding="utf-8")
    return parse(json.loads(text))
