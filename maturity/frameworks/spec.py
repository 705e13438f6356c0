"""A framework as plain values, and the checksum that identifies its content."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class DomainSpec:
    key: str
    name: str
    colour: str
    # One per level, in level order.
    descriptors: tuple[str, ...]
    description: str = ""
    # One tuple of good-practice statements per level, in level order (empty where none).
    criteria: tuple[tuple[str, ...], ...] = field(default=())

    def criteria_for(self, level_number: int) -> tuple[str, ...]:
        return self.criteria[level_number - 1] if self.criteria else ()


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


def canonical(spec: FrameworkSpec) -> dict[str, Any]:
    """Everything that makes up a framework version, in a fixed shape: two files that say
    the same thing (whatever their layout, comments or colour spelling) give the same value."""
    return {
        "key": spec.key,
        "version": spec.version,
        "name": spec.name,
        "figure_title": spec.figure_title,
        "definitions_title": spec.definitions_title,
        "source": spec.source,
        "notes": list(spec.notes),
        "levels": list(spec.levels),
        "domains": [
            {
                "key": domain.key,
                "name": domain.name,
                "description": domain.description,
                "colour": domain.colour.upper(),
                "descriptors": list(domain.descriptors),
                "criteria": [
                    list(domain.criteria_for(number)) for number in range(1, len(spec.levels) + 1)
                ],
            }
            for domain in spec.domains
        ],
    }


def checksum(spec: FrameworkSpec) -> str:
    text = json.dumps(canonical(spec), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
