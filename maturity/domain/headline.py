"""The one-line headline under a report's figure: a true sentence about the charted data.

Pure: no Flask, no database. The sentence compares the first charted period with the last,
domain by domain, because "between 2014 and 2018" is what a board reads it as; the years
in between are on the chart.
"""

from __future__ import annotations

from dataclasses import dataclass

from maturity.domain.progress import Progress


@dataclass(frozen=True)
class Movement:
    """How many domains rose, fell or stayed the same from the first period to the last."""

    rose: int
    fell: int
    same: int

    @property
    def compared(self) -> int:
        return self.rose + self.fell + self.same


def movement(progress: Progress) -> Movement:
    """Only domains answered in both the first and the last period are compared:
    an unanswered level is unknown, not a move."""
    if len(progress.periods) < 2:
        return Movement(0, 0, 0)
    first, last = progress.periods[0], progress.periods[-1]
    rose = fell = same = 0
    for domain in progress.domains:
        before, after = progress.level(first, domain.key), progress.level(last, domain.key)
        if before is None or after is None:
            continue
        if after > before:
            rose += 1
        elif after < before:
            fell += 1
        else:
            same += 1
    return Movement(rose, fell, same)


def possessive(name: str) -> str:
    return f"{name.strip()}'s"


def _share(count: int, total: int) -> str:
    """Like "in 2 of 3 domains"; nothing for a one-domain framework, where it is implied."""
    if total == 1:
        return ""
    if count == total:
        return f" in all {total} domains"
    return f" in {count} of {total} domains"


def chosen_range(first: str | None, last: str | None) -> str:
    """The periods a reader asked for, in words: either bound may be open (None)."""
    if first and last:
        return f"in {first}" if first == last else f"between {first} and {last}"
    if first:
        return f"from {first} on"
    if last:
        return f"up to {last}"
    return "in the chosen periods"


def headline(
    organisation_name: str,
    progress: Progress,
    *,
    first: str | None = None,
    last: str | None = None,
    assessed_outside: bool = False,
) -> str:
    """``first`` and ``last`` are the chosen bounds (None: open); ``assessed_outside`` says
    the organisation has submitted assessments outside them. An empty chart then means
    "none in the periods you chose", not "none yet": the reader should widen the range."""
    subject = f"{possessive(organisation_name)} maturity"
    periods = progress.periods
    if not periods:
        if assessed_outside:
            return (
                f"{organisation_name.strip()} has no submitted assessments "
                f"{chosen_range(first, last)}."
            )
        return f"{organisation_name.strip()} has no submitted assessments yet."
    if len(periods) == 1:
        return f"{subject} was assessed in {periods[0]}."
    span = f"between {periods[0]} and {periods[-1]}"
    moved = movement(progress)
    total = len(progress.domains)
    if moved.compared == 0:
        return f"{subject} was assessed in {len(periods)} periods {span}."
    if moved.same == moved.compared:
        sentence = f"{subject} stayed the same{_share(moved.same, total)} {span}"
    else:
        clauses = []
        if moved.rose:
            clauses.append(f"rose{_share(moved.rose, total)}")
        if moved.fell:
            # After "rose in 2 of 3 domains", "and fell in 1" reads on without the total.
            clauses.append(
                f"fell in {moved.fell}" if clauses else f"fell{_share(moved.fell, total)}"
            )
        sentence = f"{subject} {' and '.join(clauses)} {span}"
    missing = total - moved.compared
    if missing:
        sentence += f"; {missing} {'was' if missing == 1 else 'were'} not assessed in both years"
    return sentence + "."
