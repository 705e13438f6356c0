"""A report built in the background: an organisation's PDF report or its Figure 8 on one page,
the oversight PDF, or a ZIP of one report per body."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Enum, ForeignKey, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from maturity.extensions import Model, db

if TYPE_CHECKING:
    from maturity.models.organisation import Organisation, User


class JobKind(enum.StrEnum):
    ORGANISATION_PDF = "organisation-pdf"
    FIGURE_PDF = "figure-pdf"  # Figure 8 only, one page (maturity/reports/figure_pdf.py)
    OVERSIGHT_PDF = "oversight-pdf"
    REPORTS_ZIP = "reports-zip"


class JobStatus(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class ReportJob(Model):
    __tablename__ = "report_job"

    id: Mapped[int] = mapped_column(primary_key=True)
    # The URL names a job by this, not by its id: ids are guessable and count jobs.
    token: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[JobKind] = mapped_column(
        Enum(JobKind, name="job_kind", values_callable=lambda e: [m.value for m in e])
    )
    status: Mapped[JobStatus] = mapped_column(
        Enum(JobStatus, name="job_status", values_callable=lambda e: [m.value for m in e]),
        default=JobStatus.QUEUED,
        index=True,
    )
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"), index=True
    )
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    # What was asked for (periods and the like), so a retry builds the same thing.
    parameters: Mapped[dict[str, Any]] = mapped_column(db.JSON, default=dict)
    done: Mapped[int] = mapped_column(default=0)
    total: Mapped[int] = mapped_column(default=0)
    attempts: Mapped[int] = mapped_column(default=0)
    result_path: Mapped[str | None] = mapped_column(String(500))
    result_filename: Mapped[str | None] = mapped_column(String(300))
    # What the result is built from (maturity/reports/freshness.py), recorded as the run
    # starts: a download whose key is the same waits for this run, and once it is done is
    # served its file instead of waiting for a new one.
    source_key: Mapped[str | None] = mapped_column(String(64), index=True)
    # The organisations whose data a finished oversight report or ZIP holds: a download is
    # refused once any of them is no longer below the job's organisation (moved out of its
    # oversight since). None for one organisation's own reports, and until finished.
    covered: Mapped[list[int] | None] = mapped_column(db.JSON)
    error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())
    started_at: Mapped[datetime | None]
    # A worker touches this as it goes; a running job whose heartbeat is stale was left by a
    # worker that died, and is queued again rather than lost.
    heartbeat_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]

    organisation: Mapped[Organisation] = relationship()
    requested_by: Mapped[User | None] = relationship()
