"""Writing to the append-only audit trail, inside the caller's unit of work."""

from __future__ import annotations

from typing import Any

from flask import has_request_context, request

from maturity.extensions import db
from maturity.models import AuditEvent, Organisation, User


def record(
    *,
    action: str,
    actor: User | None,
    organisation: Organisation | None = None,
    subject: str = "",
    details: dict[str, Any] | None = None,
    remote_address: str | None = None,
) -> None:
    if remote_address is None and has_request_context():
        # Every event made while serving a request says where that request came from.
        remote_address = request.remote_addr
    db.session.add(
        AuditEvent(
            action=action,
            # Objects, not ids: reading an id could flush half-made changes early.
            actor=actor,
            organisation=organisation,
            subject=subject,
            details=details or {},
            remote_address=remote_address,
        )
    )
