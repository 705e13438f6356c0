"""Figure 8 in words: the text alternative (<desc>) every chart carries, page or PDF."""

from __future__ import annotations

from maturity.domain.chart_layout import NO_DATA_MESSAGE, rows
from maturity.domain.progress import Progress

# Said wherever a moderated level is charted: the page, the PDF and the SVG's <desc>.
MODERATION_NOTE = "Moderated levels are shown where an approver set one"


def describe(progress: Progress) -> str:
    """The chart as sentences, for <desc> and for anyone who cannot see it."""

    def name(level: int | None, is_ambition: bool) -> str:
        if level is None:
            return "Not set" if is_ambition else "Not answered"
        return progress.level_name(level)

    def moderated(label: str, key: str, is_ambition: bool) -> str:
        return " (moderated)" if not is_ambition and progress.is_moderated(label, key) else ""

    def heading(label: str, is_ambition: bool) -> str:
        pending = not is_ambition and label in progress.unapproved
        return f"{label} (submitted, not yet approved)" if pending else label

    parts = [
        f"{heading(label, is_ambition)}: "
        + ", ".join(
            f"{d.name} {name(level, is_ambition)}{moderated(label, d.key, is_ambition)}"
            for d, level in zip(progress.domains, levels, strict=True)
        )
        for label, levels, is_ambition in rows(progress)
    ]
    body = "; ".join(parts) if parts else NO_DATA_MESSAGE
    text = f"{body}. Levels from lowest to highest: {', '.join(progress.levels)}."
    if progress.has_moderation:
        text += f" {MODERATION_NOTE}."
    return text
