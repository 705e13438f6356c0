"""create-user and grant."""

from __future__ import annotations

import sys

import click

from maturity.data import organisations, users
from maturity.domain.errors import DomainError
from maturity.domain.roles import MembershipRole


def _read_password() -> str:
    if sys.stdin.isatty():
        return click.prompt("Password", hide_input=True, confirmation_prompt=True)
    return sys.stdin.readline().rstrip("\r\n")


@click.command("create-user")
@click.argument("email")
@click.option("--name", default="", help="The person's full name.")
@click.option("--admin", is_flag=True, help="Make the person an administrator.")
def create_user(email: str, name: str, admin: bool) -> None:
    """Create an account; the password is read from standard input."""
    password = _read_password()
    try:
        user = users.create(email=email, password=password, name=name, admin=admin)
    except DomainError as error:
        raise click.ClickException(error.message) from error
    click.echo(f"Created {user.email}{' (administrator)' if admin else ''}")


@click.command("grant")
@click.argument("email")
@click.argument("organisation")
@click.argument("role", type=click.Choice([r.value for r in MembershipRole]))
def grant(email: str, organisation: str, role: str) -> None:
    """Give EMAIL the ROLE (viewer, assessor or approver) in ORGANISATION (slug or name)."""
    try:
        user = users.find(email=email)
        target = organisations.find(reference=organisation)
        organisations.grant(user=user, organisation=target, role=MembershipRole(role))
    except DomainError as error:
        raise click.ClickException(error.message) from error
    click.echo(f"{user.email} is now {role} in {target.name}")


COMMANDS = [create_user, grant]
