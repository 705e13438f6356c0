"""Recovery codes: made from a secure random source, long enough, kept only as argon2id
hashes and so shown once (OWASP ASVS 6.5.2, 6.5.3, 6.5.4); codes made before they were hashed
still work after migration 0011."""

from __future__ import annotations

import importlib.util
import math
import random
import re
from pathlib import Path

import pytest
from alembic.migration import MigrationContext
from alembic.operations import Operations
from argon2 import PasswordHasher
from argon2.exceptions import VerifyMismatchError
from flask import current_app
from sqlalchemy import select, text

from maturity.domain.roles import MembershipRole
from maturity.extensions import db, security
from maturity.models import AuditEvent, User
from maturity.security import two_factor
from tests import factories
from tests.conftest import PASSWORD, page, sign_in

CODE = re.compile(r"^[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}$")
MIGRATION = (
    Path(__file__).resolve().parents[2]
    / "migrations"
    / "versions"
    / "0011_recovery_codes_hashed.py"
)


@pytest.fixture
def person(client) -> User:
    body = factories.organisation(name="Home Office")
    someone = factories.member(of=body, role=MembershipRole.VIEWER, two_factor=True)
    sign_in(client, someone.email)
    return someone


def _new_codes(client) -> list[str]:  # type: ignore[no-untyped-def]
    made = client.post("/account/recovery-codes", data={"generate_new_codes": "1"})
    return [item.get_text(strip=True) for item in page(made).select("#recovery-codes li")]


def _stored(person: User) -> list[str]:
    db.session.expire_all()
    return list(db.session.get(User, person.id).mf_recovery_codes or [])


def test_codes_are_stored_as_argon2id_hashes_of_themselves(client, person):
    codes = _new_codes(client)
    stored = _stored(person)
    assert len(stored) == len(codes) == 5
    hasher = PasswordHasher()
    for code, hashed in zip(codes, stored, strict=True):
        assert hashed.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
        assert hasher.verify(hashed, code)
        with pytest.raises(VerifyMismatchError):
            hasher.verify(hashed, "0000-0000-0000")
    # Salted: the same code never gives the same stored value twice.
    assert len(set(stored)) == len(stored)


def test_codes_are_shown_once_and_never_again(client, person):
    codes = _new_codes(client)
    later = client.get("/account/recovery-codes")
    text_shown = page(later).get_text(" ")
    assert "You have 5 unused recovery codes" in text_shown
    assert "shown only once" in text_shown
    assert not any(code in text_shown for code in codes)
    asked_to_show = client.get("/account/recovery-codes?show_codes=1")
    assert asked_to_show.status_code == 302
    assert asked_to_show.headers["Location"].endswith("/account/recovery-codes")
    assert not any(code in asked_to_show.get_data(as_text=True) for code in codes)


def test_codes_come_from_the_operating_systems_secure_random_source(app, monkeypatch):
    """Every code is made from ``secrets`` (ASVS 6.5.3): replace it, and the codes follow."""
    import secrets

    drawn: list[int] = []

    def spy(nbytes: int) -> str:
        drawn.append(nbytes)
        return "0123456789ab"

    monkeypatch.setattr(secrets, "token_hex", spy)
    assert two_factor.new_recovery_codes(5) == ["0123-4567-89ab"] * 5
    assert drawn == [two_factor.CODE_BYTES] * 5


def test_authenticator_secrets_come_from_the_secure_random_source(app, monkeypatch):
    """The TOTP seed comes from passlib's generator, which must be the operating system's
    (``random.SystemRandom``), not its seeded fallback (ASVS 6.5.3)."""
    import passlib.totp

    assert isinstance(passlib.totp.rng, random.SystemRandom)
    calls: list[int] = []

    class Spy(random.SystemRandom):
        def getrandbits(self, k: int) -> int:
            calls.append(k)
            return super().getrandbits(k)

    monkeypatch.setattr(passlib.totp, "rng", Spy())
    first = security.totp_factory.generate_totp_secret()
    second = security.totp_factory.generate_totp_secret()
    assert calls, "the seed was not drawn from the patched generator"
    assert security.totp_factory.get_totp_b32_key(first) != (
        security.totp_factory.get_totp_b32_key(second)
    )


def test_codes_have_48_bits_of_entropy(app):
    """Twelve hexadecimal characters, each 4 bits: 48 bits, over the 20 ASVS 6.5.4 asks."""
    codes = two_factor.new_recovery_codes(200)
    assert all(CODE.match(code) for code in codes)
    bits = len(codes[0].replace("-", "")) * math.log2(16)
    assert bits == 48 >= 20
    assert len(set(codes)) == len(codes)


def test_a_code_typed_after_a_wrong_one_still_signs_in_once(client, person):
    codes = _new_codes(client)
    client.post("/sign-out")
    client.post("/sign-in", data={"email": person.email, "password": PASSWORD})
    wrong = client.post("/sign-in/recovery-code", data={"code": "ffff-ffff-ffff"})
    assert wrong.status_code == 200
    right = client.post("/sign-in/recovery-code", data={"code": codes[3].upper()})
    assert right.status_code == 302
    assert len(_stored(person)) == 4


def _run_migration_0011() -> None:
    spec = importlib.util.spec_from_file_location("migration_0011", MIGRATION)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    with db.engine.begin() as connection:
        context = MigrationContext.configure(connection)
        with Operations.context(Operations(context)):
            module.upgrade()


def _store_raw(person: User, value: str | None) -> None:
    db.session.execute(
        text('UPDATE "user" SET mf_recovery_codes = :value WHERE id = :id'),
        {"value": value, "id": person.id},
    )
    db.session.commit()


def test_codes_encrypted_before_migration_0011_still_work_after_it(client, person):
    from cryptography.fernet import Fernet, MultiFernet

    keys = current_app.config["SECURITY_MULTI_FACTOR_RECOVERY_CODES_KEYS"]
    cryptor = MultiFernet([Fernet(key) for key in keys])
    old_codes = ["abcd-ef01-2345", "6789-abcd-ef01"]
    _store_raw(person, ",".join(cryptor.encrypt(code.encode()).decode() for code in old_codes))
    client.post("/sign-out")

    _run_migration_0011()

    stored = _stored(person)
    assert len(stored) == 2 and all(value.startswith("$argon2id$") for value in stored)
    client.post("/sign-in", data={"email": person.email, "password": PASSWORD})
    signed_in = client.post("/sign-in/recovery-code", data={"code": old_codes[1]})
    assert signed_in.status_code == 302
    assert client.get("/").status_code == 200


def test_codes_the_key_cannot_open_are_removed_and_the_removal_audited(client, person):
    from cryptography.fernet import Fernet

    other_key = Fernet(Fernet.generate_key())
    _store_raw(person, other_key.encrypt(b"abcd-ef01-2345").decode())

    _run_migration_0011()

    assert _stored(person) == []
    db.session.expire_all()
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "two_factor.recovery_codes_invalidated")
    ).one()
    assert event.subject == person.email
