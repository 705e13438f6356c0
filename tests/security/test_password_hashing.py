"""Passwords are stored as argon2id at the OWASP minimum (19 MiB, 2 passes, 1 lane); a hash
made with other parameters still signs in, and is replaced by one with these."""

from __future__ import annotations

import re

import argon2
from sqlalchemy import update

from maturity.data import users
from maturity.extensions import db
from maturity.models import User
from tests.conftest import PASSWORD, sign_in

PARAMETERS = re.compile(r"^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$")


def parameters(stored: str) -> tuple[int, int, int]:
    found = PARAMETERS.match(stored)
    assert found, f"not an argon2id hash: {stored[:30]}"
    memory, passes, lanes = found.groups()
    return int(memory), int(passes), int(lanes)


def stored_hash(email: str) -> str:
    db.session.expire_all()
    password = db.session.execute(db.select(User.password).where(User.email == email)).scalar_one()
    assert password is not None
    return str(password)


def test_a_new_password_is_stored_as_argon2id_at_the_owasp_minimum(app):
    person = users.create(email="hashed@example.org", password=PASSWORD)
    assert parameters(stored_hash(person.email)) == (19456, 2, 1)


def test_a_hash_with_older_parameters_signs_in_and_is_hashed_again(client):
    person = users.create(email="older@example.org", password=PASSWORD)
    # As stored before the parameters were set: argon2-cffi's defaults (64 MiB, 3 passes,
    # 4 lanes), which passlib used.
    older = argon2.PasswordHasher(memory_cost=65536, time_cost=3, parallelism=4).hash(PASSWORD)
    db.session.execute(update(User).where(User.id == person.id).values(password=older))
    db.session.commit()
    assert parameters(stored_hash(person.email)) == (65536, 3, 4)

    assert sign_in(client, person.email, PASSWORD).request.path == "/"

    again = stored_hash(person.email)
    assert parameters(again) == (19456, 2, 1)
    assert argon2.PasswordHasher().verify(again, PASSWORD)


def test_a_wrong_password_leaves_an_older_hash_alone(client):
    person = users.create(email="older-wrong@example.org", password=PASSWORD)
    older = argon2.PasswordHasher(memory_cost=65536, time_cost=3, parallelism=4).hash(PASSWORD)
    db.session.execute(update(User).where(User.id == person.id).values(password=older))
    db.session.commit()

    assert sign_in(client, person.email, "not the password at all").request.path == "/sign-in"
    assert stored_hash(person.email) == older
