"""Organisations and who holds which role in them."""

from __future__ import annotations

from sqlalchemy import or_, select

from maturity.data import commit
from maturity.data.audit import record
from maturity.domain.errors import DomainError, NotFound
from maturity.domain.roles import MembershipRole
from maturity.domain.slugs import slugify
from maturity.extensions import db
from maturity.models import Membership, Organisation, User

NAME_LENGTH = Organisation.name.type.length


def create(
    *,
    name: str,
    parent: Organisation | None = None,
    actor: User | None = None,
    illustrative: bool = False,
) -> Organisation:
    name = name.strip()
    if not name:
        raise DomainError("Enter the organisation's name", field="name")
    if len(name) > NAME_LENGTH:
        raise DomainError(
            f"An organisation's name must be {NAME_LENGTH} characters or fewer", field="name"
        )
    slug = slugify(name)
    if not slug:
        raise DomainError("The name must contain a letter or a digit", field="name")
    organisation = Organisation(name=name, slug=slug, parent=parent, illustrative=illustrative)
    db.session.add(organisation)
    record(action="organisation.created", actor=actor, organisation=organisation, subject=name)
    commit(
        on_integrity_error=DomainError(
            f"An organisation called {name!r} (or with the address {slug!r}) already exists",
            field="name",
        )
    )
    return organisation


def find(*, reference: str) -> Organisation:
    """An organisation by slug or exact name, as the command line and CSV files name them."""
    organisation = db.session.scalar(
        select(Organisation).where(
            or_(Organisation.slug == reference.strip(), Organisation.name == reference.strip())
        )
    )
    if organisation is None:
        raise NotFound(f"No organisation has the name or slug {reference!r}")
    return organisation


def all_by_reference() -> dict[str, Organisation]:
    """Every organisation keyed by both its slug and its name, for bulk lookups."""
    organisations = db.session.scalars(select(Organisation)).all()
    keyed = {o.slug: o for o in organisations}
    keyed.update({o.name: o for o in organisations})
    return keyed


def visible_to(*, user: User) -> list[Organisation]:
    """The organisations this person may open: those they hold a role in (all, for admins)."""
    query = select(Organisation).order_by(Organisation.name)
    if not user.is_admin:
        query = query.join(Membership).where(Membership.user_id == user.id)
    return list(db.session.scalars(query))


def role_of(*, user: User, organisation: Organisation) -> MembershipRole | None:
    """The person's role in the organisation; administrators act as approvers everywhere."""
    if user.is_admin:
        return MembershipRole.APPROVER
    return db.session.scalar(
        select(Membership.role).where(
            Membership.user_id == user.id, Membership.organisation_id == organisation.id
        )
    )


def grant(
    *, user: User, organisation: Organisation, role: MembershipRole, actor: User | None = None
) -> Membership:
    """Give the person this role in the organisation, replacing any role they had there."""
    membership = db.session.scalar(
        select(Membership).where(
            Membership.user_id == user.id, Membership.organisation_id == organisation.id
        )
    )
    previous = membership.role.value if membership else None
    if membership is None:
        membership = Membership(user=user, organisation=organisation, role=role)
        db.session.add(membership)
    else:
        membership.role = role
    record(
        action="role.granted",
        actor=actor,
        organisation=organisation,
        subject=user.email,
        details={"role": role.value, "previous": previous},
    )
    commit()
    return membership
