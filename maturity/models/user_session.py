"""A signed-in session, one per browser a person has signed in on.

The session itself is Flask's signed cookie; this record is what lets a person see their
sessions and end one of them alone, and lets an administrator end a person's or everyone's.
The cookie carries a random session key; the record holds only its SHA-256, so a copy of the
database names no usable session. A request whose key has no record is signed out
(maturity/security/session_records.py).
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from maturity.extensions import Model

if TYPE_CHECKING:
    from maturity.models.organisation import User


class UserSession(Model):
    __tablename__ = "user_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # Which of the person's fs_uniquifier values (hashed) the session began under: rotating it
    # (sign-out, a password change or reset, a disabled account) ends every session at once,
    # and the record of one begun under an older value is stale.
    uniquifier_hash: Mapped[str] = mapped_column(String(64))
    signed_in_at: Mapped[datetime]
    # Written at most once a minute (SESSION_RECORD_TOUCH_SECONDS): it is for people to read,
    # not what the idle time-out is measured from (that is in the signed cookie).
    last_seen_at: Mapped[datetime]
    ip_address: Mapped[str | None] = mapped_column(String(64))
    user_agent: Mapped[str] = mapped_column(String(512), default="")

    user: Mapped[User] = relationship()
