"""The typed models; import them from here."""

from maturity.models.assessment import Assessment, AssessmentStatus, Rating
from maturity.models.audit import AuditEvent, AuditTrailIsAppendOnly
from maturity.models.framework import Descriptor, Framework, FrameworkDomain, FrameworkLevel
from maturity.models.organisation import Membership, MembershipRole, Organisation, Role, User

__all__ = [
    "Assessment",
    "AssessmentStatus",
    "AuditEvent",
    "AuditTrailIsAppendOnly",
    "Descriptor",
    "Framework",
    "FrameworkDomain",
    "FrameworkLevel",
    "Membership",
    "MembershipRole",
    "Organisation",
    "Rating",
    "Role",
    "User",
]
