"""The roles a person can hold in an organisation, and what each allows."""

from __future__ import annotations

import enum


class MembershipRole(enum.StrEnum):
    VIEWER = "viewer"
    ASSESSOR = "assessor"
    APPROVER = "approver"


_RANK = {MembershipRole.VIEWER: 1, MembershipRole.ASSESSOR: 2, MembershipRole.APPROVER: 3}


def at_least(role: MembershipRole | None, needed: MembershipRole) -> bool:
    return role is not None and _RANK[role] >= _RANK[needed]
