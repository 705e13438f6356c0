"""create-user and grant, as an administrator's script runs them."""

import pytest
from flask_security import verify_password

from maturity.data import organisations, users
from maturity.domain.roles import MembershipRole
from tests import factories


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def test_create_user_reads_the_password_from_the_first_piped_line(runner):
    result = runner.invoke(
        args=["create-user", "Ada@Example.org", "--name", "Ada Lovelace"],
        input="a long enough passphrase\nignored second line\n",
    )
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "Created ada@example.org"
    person = users.find(email="ada@example.org")
    assert person.name == "Ada Lovelace"
    assert not person.is_admin
    assert verify_password("a long enough passphrase", person.password)


def test_create_user_makes_an_administrator(runner):
    result = runner.invoke(
        args=["create-user", "boss@example.org", "--admin"], input="twelve chars"
    )
    assert result.exit_code == 0, result.output
    assert users.find(email="boss@example.org").is_admin


@pytest.mark.parametrize(
    ("email", "password", "message"),
    [
        (
            "not an email@@",
            "a long enough passphrase",
            "Enter an email address in the correct format",
        ),
        ("ok@example.org", "too short", "Password must be 12 characters or more"),
    ],
)
def test_create_user_refuses_bad_input_with_a_message(runner, email, password, message):
    result = runner.invoke(args=["create-user", email], input=password + "\n")
    assert result.exit_code != 0
    assert message in result.output
    assert not users.exist()


def test_an_email_differing_only_in_case_is_the_same_person(runner):
    factories.user(email="x@example.org")
    result = runner.invoke(
        args=["create-user", "X@EXAMPLE.ORG"], input="a long enough passphrase\n"
    )
    assert result.exit_code != 0
    assert "x@example.org already has an account" in result.output


def test_grant_gives_a_role_by_slug_or_name_and_replaces_the_old_one(runner):
    body = factories.organisation(name="Home Office & NCA")
    person = factories.user(email="p@example.org")
    result = runner.invoke(args=["grant", "P@example.org", "home-office-nca", "viewer"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "p@example.org is now viewer in Home Office & NCA"
    result = runner.invoke(args=["grant", "p@example.org", "Home Office & NCA", "approver"])
    assert result.exit_code == 0, result.output
    assert organisations.role_of(user=person, organisation=body) == MembershipRole.APPROVER


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nobody@example.org", "home-office", "viewer"], "No one has the email address"),
        (["p@example.org", "no-such-body", "viewer"], "No organisation has the name or slug"),
        (
            ["p@example.org", "home-office", "owner"],
            "'owner' is not one of 'viewer', 'assessor', 'approver'",
        ),
    ],
)
def test_grant_refuses_unknown_people_organisations_and_roles(runner, args, message):
    factories.organisation(name="Home Office")
    factories.user(email="p@example.org")
    result = runner.invoke(args=["grant", *args])
    assert result.exit_code != 0
    assert message in result.output
