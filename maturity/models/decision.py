"""The sign-off trail of an assessment: who submitted, moderated, sent back, approved or
reopened it, when, and why.

Append-only, like the ratings' history and the audit trail. It is its own table rather than
a reading of the audit trail so that an assessment's sign-off (for its history page and the
report's sign-off block) is one indexed query, whatever else the audit trail holds.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Enum, ForeignKey, String, Text, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from maturity.extensions import Model
from maturity.models.assessment import Assessment
from maturity.models.audit import AuditTrailIsAppendOnly
from maturity.models.organisation import User


class DecisionKind(enum.StrEnum):
    SUBMITTED = "submitted"
    MODERATED = "moderated"
    SENT_BACK = "sent-back"
    APPROVED = "approved"
    REOPENED = "reopened"


class AssessmentDecision(Model):
    __tablename__ = "assessment_decision"

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessment.id", ondelete="CASCADE"), index=True
    )
    # Not a native enum: a kind added later needs no ALTER TYPE on PostgreSQL.
    kind: Mapped[DecisionKind] = mapped_column(
        Enum(
            DecisionKind,
            native_enum=False,
            length=20,
            values_callable=lambda e: [m.value for m in e],
        )
    )
    # The domain a moderation was about; None for decisions on the whole assessment.
    domain_key: Mapped[str | None] = mapped_column(String(100))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    occurred_at: Mapped[datetime]
    # Why: the reopening's reason, the send-back's comment, the approval's comment, the
    # moderation's note. Empty when none was asked for or given.
    reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    # What else the decision changed, e.g. a moderation's levels before and after.
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    assessment: Mapped[Assessment] = relationship()
    actor: Mapped[User | None] = relationship()


@event.listens_for(AssessmentDecision, "before_update")
@event.listens_for(AssessmentDecision, "before_delete")
def _sign_off_is_kept(*_: object) -> None:
    raise AuditTrailIsAppendOnly("an assessment's sign-off trail is never changed or deleted")
