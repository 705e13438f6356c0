"""The typed models; import them from here."""

from maturity.models.assessment import (
    ActionStatus,
    Assessment,
    AssessmentStatus,
    ImprovementAction,
    Rating,
    RatingChange,
)
from maturity.models.audit import AuditEvent, AuditTrailIsAppendOnly
from maturity.models.decision import AssessmentDecision, DecisionKind
from maturity.models.framework import (
    Criterion,
    Descriptor,
    Framework,
    FrameworkDomain,
    FrameworkLevel,
    OrganisationFramework,
    RatingCriterion,
)
from maturity.models.organisation import Membership, MembershipRole, Organisation, Role, User
from maturity.models.report_job import JobKind, JobStatus, ReportJob
from maturity.models.user_session import UserSession

__all__ = [
    "ActionStatus",
    "Assessment",
    "AssessmentDecision",
    "AssessmentStatus",
    "AuditEvent",
    "AuditTrailIsAppendOnly",
    "Criterion",
    "DecisionKind",
    "Descriptor",
    "Framework",
    "FrameworkDomain",
    "FrameworkLevel",
    "ImprovementAction",
    "JobKind",
    "JobStatus",
    "Membership",
    "MembershipRole",
    "Organisation",
    "OrganisationFramework",
    "Rating",
    "RatingChange",
    "RatingCriterion",
    "ReportJob",
    "Role",
    "User",
    "UserSession",
]
