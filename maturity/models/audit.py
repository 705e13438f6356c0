"""The append-only audit trail."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import ForeignKey, String, event, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from maturity.extensions import Model, db

if TYPE_CHECKING:
    from maturity.models.organisation import Organisation, User


class AuditEvent(Model):
    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(server_default=func.now(), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(80), index=True)
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="SET NULL")
    )
    subject: Mapped[str] = mapped_column(String(300), default="")
    details: Mapped[dict[str, Any]] = mapped_column(db.JSON, default=dict)
    remote_address: Mapped[str | None] = mapped_column(String(64))

    actor: Mapped[User | None] = relationship()
    organisation: Mapped[Organisation | None] = relationship()


class AuditTrailIsAppendOnly(Exception):
    pass


@event.listens_for(AuditEvent, "before_update")
@event.listens_for(AuditEvent, "before_delete")
def _refuse_change(*_: object) -> None:
    raise AuditTrailIsAppendOnly("audit events are never changed or deleted")
