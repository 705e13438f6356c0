"""A plain-English summary of an organisation's progress: one true sentence per domain.

Pure: no Flask, no database. Each sentence is built from a :class:`Fact` read off the data,
so the tests can check every fact against the data and every sentence against its fact.

For each domain, the *run* is the latest stretch of consecutive periods, ending at the last
answered period, with the same level; an unanswered period ends a run (it is unknown, not a
level). The sentence then says either how the domain moved into that level (when the run is
one period long and the period before it was answered) or since when it has held it.
"""

from __future__ import annotations

from dataclasses import dataclass

from maturity.domain.progress import Progress


@dataclass(frozen=True)
class Fact:
    domain: str
    # "unanswered": never answered; "moved": from ``before`` in ``previous`` to ``level`` in
    # ``since``; "held": at ``level`` in every period from ``since`` to ``until``.
    kind: str
    level: int | None = None
    since: str | None = None
    until: str | None = None
    before: int | None = None
    previous: str | None = None
    # The last answered period, when later periods were not answered.
    unanswered_after: str | None = None


def facts(progress: Progress) -> list[Fact]:
    periods = progress.periods
    result: list[Fact] = []
    if not periods:
        return result
    for domain in progress.domains:
        values = [progress.level(period, domain.key) for period in periods]
        answered = [i for i, value in enumerate(values) if value is not None]
        if not answered:
            result.append(Fact(domain.name, "unanswered"))
            continue
        end = answered[-1]
        level = values[end]
        start = end
        while start > 0 and values[start - 1] == level:
            start -= 1
        trailing = periods[end] if end < len(periods) - 1 else None
        if start == end and start > 0 and values[start - 1] is not None:
            result.append(
                Fact(
                    domain.name,
                    "moved",
                    level=level,
                    since=periods[start],
                    until=periods[end],
                    before=values[start - 1],
                    previous=periods[start - 1],
                    unanswered_after=trailing,
                )
            )
        else:
            result.append(
                Fact(
                    domain.name,
                    "held",
                    level=level,
                    since=periods[start],
                    until=periods[end],
                    unanswered_after=trailing,
                )
            )
    return result


def _name(progress: Progress, level: int | None) -> str:
    """The level as it reads mid-sentence: "Enabling", or "not yet at Existing" for 0."""
    if level == 0:
        return f"not yet at {progress.levels[0]}"
    return progress.level_name(level)


def sentence(progress: Progress, fact: Fact) -> str:
    if fact.kind == "unanswered":
        return f"{fact.domain} has not been answered in any period shown."
    level = _name(progress, fact.level)
    at = level if fact.level == 0 else f"at {level}"
    if fact.kind == "moved":
        assert fact.before is not None and fact.level is not None
        verb = "rose" if fact.level > fact.before else "fell"
        text = (
            f"{fact.domain} {verb} from {_name(progress, fact.before)} to {level} "
            f"between {fact.previous} and {fact.since}"
        )
    elif fact.since == fact.until:
        text = f"{fact.domain} was {at} in {fact.since}"
    elif fact.level == 0:
        first = progress.levels[0]
        if fact.unanswered_after is None:
            text = f"{fact.domain} has not yet reached {first} in any period since {fact.since}"
        else:
            text = f"{fact.domain} was not yet at {first} from {fact.since} to {fact.until}"
    elif fact.unanswered_after is None:
        text = f"{fact.domain} has been {at} since {fact.since}"
    else:
        text = f"{fact.domain} was {at} from {fact.since} to {fact.until}"
    if fact.unanswered_after is not None:
        text += f", and has not been answered since {fact.unanswered_after}"
    return text + "."


def summary(progress: Progress) -> list[str]:
    """One sentence per domain; none when nothing has been charted."""
    return [sentence(progress, fact) for fact in facts(progress)]
