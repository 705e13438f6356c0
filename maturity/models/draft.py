"""What a person is typing into a domain's answers, kept as they type (autosave).

A draft is one person's, for one rating, and is never a save: the rating, its version, its
history and its carried-forward mark are untouched until the person saves the domain, when
the draft is discarded (maturity/data/drafts.py).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from maturity.extensions import Model


class RatingDraft(Model):
    __tablename__ = "rating_draft"
    # One draft per person and domain: the latest typing replaces the one before.
    __table_args__ = (UniqueConstraint("rating_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # Keys only, no relationships: a draft must not touch its rating's unit of work (which
    # would count as a change to the organisation's report data).
    rating_id: Mapped[int] = mapped_column(ForeignKey("rating.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    # The form's fields as typed: level, evidence, reason_for_change, ambition,
    # ambition_reason, level_differs_reason, criteria (maturity/data/drafts.py, DraftAnswers).
    answers: Mapped[dict[str, Any]] = mapped_column(JSON)
    # The rating's version when the person opened the form: restored with the draft, so a
    # save after someone else's is still a conflict, never a silent overwrite.
    base_version: Mapped[int]
    # Naive UTC, set by the data layer (every backend keeps the same clock).
    updated_at: Mapped[datetime]
