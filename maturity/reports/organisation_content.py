"""The organisation report's words and tables, built from the data: the template's view model.

Pure (no Flask, no database): given the chart's :class:`Progress` and the records read by
:mod:`maturity.data.report_content`, it decides every string the PDF prints, so tests can
check the content without rendering, and the template only lays it out. Nothing here
assumes a number of domains, levels or periods.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from maturity.domain import narrative
from maturity.domain.progress import Progress, level_change

if TYPE_CHECKING:
    from maturity.data.report_content import AssessmentRecord, DecisionRecord, RatingRecord

APPROVED = "Approved"
# A submitted assessment can still be sent back and changed: the report calls it a draft
# and every page carries the watermark (see organisation_page.css) until all are approved.
DRAFT = "Draft (submitted, not yet approved)"
NOT_WRITTEN = "None given"
NOT_RECORDED = "Not recorded"
OVERDUE = "Overdue"
# The service's readers are in the UK: the dates printed are theirs, not UTC's.
LOCAL_TIME = ZoneInfo("Europe/London")


@dataclass(frozen=True)
class PeriodStatus:
    period: str
    status: str
    approved_by: str  # "" when not approved
    approved_on: str


@dataclass(frozen=True)
class CurrentRow:
    domain: str
    level: str
    ambition: str


@dataclass(frozen=True)
class PeriodEntry:
    """One period of one domain: the judged level and the words behind it."""

    period: str
    level: str  # the level the chart shows (moderated where set)
    is_draft: bool
    assessed_level: str | None  # set only when an approver moderated it
    moderated_note: str
    evidence: str
    reason_for_change: str


@dataclass(frozen=True)
class ActionRow:
    period: str
    what: str
    owner: str
    due: str
    status: str  # on the report's date: "Done", "Overdue" or "Open"

    @property
    def is_overdue(self) -> bool:
        return self.status == OVERDUE


@dataclass(frozen=True)
class DomainSection:
    anchor: str
    name: str
    colour: str
    ambition: str
    entries: tuple[PeriodEntry, ...]
    actions: tuple[ActionRow, ...]


@dataclass(frozen=True)
class ChangeRow:
    period: str
    previous: str
    changes: tuple[str, ...]  # one per domain, in the framework's order


@dataclass(frozen=True)
class ChartRow:
    """A row of the chart's data table: a period (or the ambition) across the domains."""

    label: str
    is_draft: bool
    cells: tuple[str, ...]


@dataclass(frozen=True)
class SignOffRow:
    """One decision of a period's sign-off: "Approved", "Alex Approver", "14 February 2019",
    "Checked against the minutes"."""

    decision: str  # "Moderated: Using the framework, Functioning" for a moderation
    by: str
    on: str
    note: str  # the comment, reason or moderation note; "" for a submission


@dataclass(frozen=True)
class SignOffPeriod:
    """A period's whole sign-off trail, oldest first: its submissions, moderations,
    send-backs, approvals and reopenings; the last submission and approval are the ones in
    force. ``is_draft``: submitted and not yet approved."""

    period: str
    is_draft: bool
    rows: tuple[SignOffRow, ...]


@dataclass(frozen=True)
class ReportContent:
    period_span: str
    statuses: tuple[PeriodStatus, ...]
    is_draft: bool
    summary: tuple[str, ...]
    latest_period: str | None
    current: tuple[CurrentRow, ...]
    chart_rows: tuple[ChartRow, ...]
    sections: tuple[DomainSection, ...]
    changes: tuple[ChangeRow, ...]
    sign_off: tuple[SignOffPeriod, ...]


def long_date(day: date | datetime) -> str:
    """ "24 November 2026": how GOV.UK writes dates, the same on every platform."""
    return f"{day.day} {day:%B %Y}"


def local_day(moment: datetime) -> date:
    """The UK day of a moment stored as naive UTC (an approval at 23:30 UTC in summer is
    the next day in London)."""
    return moment.replace(tzinfo=UTC).astimezone(LOCAL_TIME).date()


def level_text(progress: Progress, level: int | None) -> str:
    """ "Enabling (3)": the name a reader knows and the number the chart's axis counts."""
    return progress.level_name(level) + (f" ({level})" if level else "")


def period_span(periods: tuple[str, ...]) -> str:
    if len(periods) > 1:
        return f"{periods[0]} to {periods[-1]}"
    return "".join(periods)


def build(*, progress: Progress, records: list[AssessmentRecord], day: date) -> ReportContent:
    """``day`` is the report's date: an improvement action's status is the one on it."""
    by_period = {record.period: record for record in records}
    # The chart decides which periods the report covers; records only add the words.
    periods = tuple(p for p in progress.periods if p in by_period)
    latest = periods[-1] if periods else None
    return ReportContent(
        period_span=period_span(progress.periods),
        statuses=tuple(_status(by_period[p]) for p in periods),
        is_draft=any(not by_period[p].approved for p in periods),
        summary=tuple(narrative.summary(progress)),
        latest_period=latest,
        current=tuple(
            CurrentRow(
                domain.name,
                level_text(progress, progress.level(latest, domain.key)) if latest else "",
                _ambition(progress, domain.key),
            )
            for domain in progress.domains
        ),
        chart_rows=_chart_rows(progress),
        sections=tuple(
            _section(progress, index, domain.key, [by_period[p] for p in periods], day)
            for index, domain in enumerate(progress.domains, start=1)
        ),
        changes=_changes(progress),
        sign_off=tuple(_sign_off(by_period[p]) for p in periods),
    )


def _status(record: AssessmentRecord) -> PeriodStatus:
    if not record.approved:
        return PeriodStatus(record.period, DRAFT, "", "")
    return PeriodStatus(
        record.period,
        APPROVED,
        record.approved_by or NOT_RECORDED,
        long_date(local_day(record.approved_at)) if record.approved_at else NOT_RECORDED,
    )


def _sign_off(record: AssessmentRecord) -> SignOffPeriod:
    """Every decision of the period's trail in the order made. The submission and approval
    in force (the last of each) are dated and named from the assessment itself, as on the
    cover; a period submitted before the trail was kept still says who and when."""
    trail = record.decisions
    submission = _last(trail, "submitted")
    approval = _last(trail, "approved") if record.approved else None
    rows: list[SignOffRow] = []
    if submission is None:
        rows.append(_submitted(record))
    for decision in trail:
        if decision is submission:
            rows.append(_submitted(record, decision))
        elif decision is approval:
            rows.append(_approved(record, decision))
        else:
            rows.append(_decision(decision))
    if record.approved and approval is None:
        rows.append(_approved(record))
    return SignOffPeriod(record.period, not record.approved, tuple(rows))


def _last(trail: tuple[DecisionRecord, ...], kind: str) -> DecisionRecord | None:
    return next((d for d in reversed(trail) if d.kind == kind), None)


def _on(moment: datetime | None) -> str:
    return long_date(local_day(moment)) if moment is not None else NOT_RECORDED


def _submitted(record: AssessmentRecord, decision: DecisionRecord | None = None) -> SignOffRow:
    by = record.submitted_by or (decision.by if decision else NOT_RECORDED)
    return SignOffRow(
        "Submitted", by, _on(record.submitted_at or (decision.at if decision else None)), ""
    )


def _approved(record: AssessmentRecord, decision: DecisionRecord | None = None) -> SignOffRow:
    by = record.approved_by or (decision.by if decision else NOT_RECORDED)
    return SignOffRow(
        "Approved",
        by,
        _on(record.approved_at or (decision.at if decision else None)),
        record.approval_comment.strip() or NOT_WRITTEN,
    )


def _decision(decision: DecisionRecord) -> SignOffRow:
    """An earlier submission or approval, a moderation, a send-back or a reopening; words as
    on the assessment's history page."""
    what = decision.label
    if decision.domain:
        what += f": {decision.domain}, {decision.outcome}"
    note = decision.reason.strip()
    if decision.kind != "submitted":
        note = note or NOT_WRITTEN
    return SignOffRow(what, decision.by, _on(decision.at), note)


def _ambition(progress: Progress, domain_key: str) -> str:
    target = progress.ambition.get(domain_key)
    return "Not set" if target is None else level_text(progress, target)


def _chart_rows(progress: Progress) -> tuple[ChartRow, ...]:
    """Periods down the page, domains across: any number of periods fits on A4."""
    rows = [
        ChartRow(
            period,
            not progress.is_approved(period),
            tuple(
                level_text(progress, progress.level(period, d.key))
                + (", moderated" if progress.is_moderated(period, d.key) else "")
                for d in progress.domains
            ),
        )
        for period in progress.periods
    ]
    if progress.has_ambition:
        rows.append(
            ChartRow(
                progress.ambition_label,
                False,
                tuple(_ambition(progress, d.key) for d in progress.domains),
            )
        )
    return tuple(rows)


def _section(
    progress: Progress,
    index: int,
    domain_key: str,
    records: list[AssessmentRecord],
    day: date,
) -> DomainSection:
    domain = next(d for d in progress.domains if d.key == domain_key)
    entries: list[PeriodEntry] = []
    actions: list[ActionRow] = []
    for record in records:
        rating = record.ratings.get(domain_key)
        if rating is None:
            continue
        entries.append(_entry(progress, record, rating))
        actions.extend(
            ActionRow(
                record.period,
                action.what,
                action.owner or "Not named",
                long_date(action.due_date) if action.due_date else "No date set",
                action.status_on(day),
            )
            for action in rating.actions
        )
    return DomainSection(
        # Positional, so a key with any characters makes a valid link target.
        anchor=f"domain-{index}",
        name=domain.name,
        colour=domain.colour,
        ambition=_ambition(progress, domain_key),
        entries=tuple(entries),
        actions=tuple(actions),
    )


def _entry(progress: Progress, record: AssessmentRecord, rating: RatingRecord) -> PeriodEntry:
    moderated = rating.moderated_level is not None
    return PeriodEntry(
        period=record.period,
        level=level_text(progress, rating.moderated_level if moderated else rating.level),
        is_draft=not record.approved,
        assessed_level=level_text(progress, rating.level) if moderated else None,
        moderated_note=rating.moderated_note.strip(),
        evidence=rating.evidence.strip() or NOT_WRITTEN,
        reason_for_change=rating.reason_for_change.strip(),
    )


def _changes(progress: Progress) -> tuple[ChangeRow, ...]:
    """Each period against the one before it, in words ("Up 1 level to Enabling (3)")."""
    rows = []
    for previous, period in itertools.pairwise(progress.periods):
        cells = []
        for domain in progress.domains:
            before, after = progress.level(previous, domain.key), progress.level(period, domain.key)
            change = level_change(before, after)
            if after is not None and before != after and before is not None:
                change += f" to {level_text(progress, after)}"
            cells.append(change)
        rows.append(ChangeRow(period, previous, tuple(cells)))
    return tuple(rows)
