"""How a level is named to a reader, whatever the framework's shape."""

from __future__ import annotations

from collections.abc import Sequence


def level_name(levels: Sequence[str], number: int | None) -> str:
    """``levels`` are the framework's level names, lowest first; 0 is below the first."""
    if number is None:
        return "Not answered"
    if number == 0:
        return f"Not yet at {levels[0]}"
    return levels[number - 1]
