"""Organisations and who holds which role in them."""

from __future__ import annotations

from sqlalchemy import func, or_, select
from sqlalchemy.orm import joinedload

from maturity.data import by_id, commit
from maturity.data.audit import record
from maturity.domain.errors import DomainError, NotFound
from maturity.domain.oversight import effective_roles
from maturity.domain.roles import MembershipRole
from maturity.domain.slugs import slugify
from maturity.extensions import db
from maturity.frameworks import DEFAULT_FRAMEWORK_KEY as DEFAULT_KEY
from maturity.models import Assessment, Membership, Organisation, OrganisationFramework, User

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
    # A new body starts with the shipped framework enabled; administrators may enable others.
    db.session.add(OrganisationFramework(organisation=organisation, framework_key=DEFAULT_KEY))
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


def names_and_slugs() -> list[str]:
    """Every organisation's name and slug: words a password must not be made of
    (maturity/security/passwords.py)."""
    rows = db.session.execute(select(Organisation.name, Organisation.slug)).all()
    return [text for row in rows for text in row]


def assessed_ids() -> set[int]:
    """The organisations with at least one assessment: those whose reports have anything in
    them."""
    return set(db.session.scalars(select(Assessment.organisation_id).distinct()))


def visible_to(*, user: User) -> list[Organisation]:
    """The organisations this person may open: those they hold a role in, those overseen by
    them (read only), and every one for administrators."""
    query = select(Organisation).order_by(Organisation.name)
    if not user.is_admin:
        query = query.where(Organisation.id.in_(list(_roles(user=user))))
    return list(db.session.scalars(query))


def role_of(*, user: User, organisation: Organisation) -> MembershipRole | None:
    """The person's role in the organisation: their own there, else viewer when they hold
    a role in a body that oversees it; administrators act as approvers everywhere."""
    if user.is_admin:
        return MembershipRole.APPROVER
    direct = db.session.scalar(
        select(Membership.role).where(
            Membership.user_id == user.id, Membership.organisation_id == organisation.id
        )
    )
    if direct is not None or organisation.parent_id is None:
        return direct
    return _roles(user=user).get(organisation.id)


def _roles(*, user: User) -> dict[int, MembershipRole]:
    memberships = select(Membership.organisation_id, Membership.role).where(
        Membership.user_id == user.id
    )
    direct = {organisation_id: role for organisation_id, role in db.session.execute(memberships)}
    if not direct:
        return {}
    tree = select(Organisation.id, Organisation.parent_id)
    parents = {organisation_id: parent for organisation_id, parent in db.session.execute(tree)}
    return effective_roles(direct=direct, parents=parents)


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


# Administration: listing with head counts, moving in the oversight tree, removing roles.


def get(*, organisation_id: int) -> Organisation:
    organisation = by_id(Organisation, organisation_id)
    if organisation is None:
        raise NotFound("No such organisation")
    return organisation


def with_people_counts() -> list[tuple[Organisation, int]]:
    """Every organisation, its parent loaded, and how many people hold a role in it."""
    # A correlated count rather than GROUP BY: PostgreSQL would make us group by every
    # column of the joined parent too.
    people = (
        select(func.count(Membership.id))
        .where(Membership.organisation_id == Organisation.id)
        .correlate(Organisation)
        .scalar_subquery()
    )
    query = (
        select(Organisation, people)
        .options(joinedload(Organisation.parent))
        .order_by(Organisation.name)
    )
    return [(organisation, count) for organisation, count in db.session.execute(query)]


def set_parent(
    *,
    organisation: Organisation,
    parent: Organisation | None,
    actor: User | None,
    remote_address: str | None = None,
) -> None:
    """Put the organisation under ``parent`` (or at the top); a body cannot oversee itself."""
    if parent is not None:
        # Oversight gives read access down the tree: a loop would give it all round.
        ancestor: Organisation | None = parent
        seen: set[int] = set()
        while ancestor is not None and ancestor.id not in seen:
            seen.add(ancestor.id)
            if ancestor.id == organisation.id:
                raise DomainError(
                    f"{parent.name} cannot oversee {organisation.name}: "
                    f"{organisation.name} already oversees it, directly or through others",
                    field="parent",
                )
            ancestor = ancestor.parent
    previous = organisation.parent
    if previous is parent:
        return
    organisation.parent = parent
    record(
        action="organisation.parent_changed",
        actor=actor,
        organisation=organisation,
        subject=organisation.name,
        details={
            "from": previous.name if previous else None,
            "to": parent.name if parent else None,
        },
        remote_address=remote_address,
    )
    commit()


def revoke(
    *,
    user: User,
    organisation: Organisation,
    actor: User | None,
    remote_address: str | None = None,
) -> None:
    membership = db.session.scalar(
        select(Membership).where(
            Membership.user_id == user.id, Membership.organisation_id == organisation.id
        )
    )
    if membership is None:
        return
    previous = membership.role.value
    db.session.delete(membership)
    record(
        action="role.revoked",
        actor=actor,
        organisation=organisation,
        subject=user.email,
        details={"role": previous},
        remote_address=remote_address,
    )
    commit()
