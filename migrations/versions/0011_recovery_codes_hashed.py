"""Recovery codes kept as argon2id hashes instead of encrypted (OWASP ASVS 6.5.2)

Codes made before were encrypted with RECOVERY_CODES_KEY. They are migrated, not invalidated:
each one still unused is decrypted with that key and hashed, so the codes people have printed
or saved keep working. A person whose codes cannot be decrypted (the key was changed or lost)
has them removed, and the audit trail says so (two_factor.recovery_codes_invalidated): their
account page then offers new ones, and an administrator can see who to tell.

Hashing is deliberately slow (argon2id, 19 MiB, two passes: about 30 ms a code), so this takes
about a second for every 6 people with two-factor sign-in.

The stored form changes from comma-separated to one a line, because argon2 hashes contain
commas. The column stays a text column.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06 19:30:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None

user = sa.table(
    'user',
    sa.column('id', sa.Integer),
    sa.column('email', sa.String),
    sa.column('mf_recovery_codes', sa.UnicodeText),
)
audit_event = sa.table(
    'audit_event',
    sa.column('occurred_at', sa.DateTime),
    sa.column('actor_id', sa.Integer),
    sa.column('action', sa.String),
    sa.column('subject', sa.String),
    sa.column('details', sa.JSON),
)


def upgrade():
    from datetime import datetime, timezone

    from argon2 import PasswordHasher

    connection = op.get_bind()
    rows = connection.execute(
        sa.select(user.c.id, user.c.email, user.c.mf_recovery_codes).where(
            user.c.mf_recovery_codes.is_not(None), user.c.mf_recovery_codes != ''
        )
    ).all()
    if not rows:
        return
    decrypt = _decrypter()
    # The parameters passwords are hashed with (maturity/config.py, ARGON2_OPTIONS).
    hasher = PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1)
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    for row in rows:
        codes = [decrypt(token) for token in row.mf_recovery_codes.split(',') if token]
        if codes and all(codes):
            value = '\n'.join(hasher.hash(code) for code in codes)
        else:
            value = None
            connection.execute(
                audit_event.insert().values(
                    occurred_at=now,
                    actor_id=None,
                    action='two_factor.recovery_codes_invalidated',
                    subject=row.email,
                    details={'reason': 'could not be decrypted to be hashed (migration 0011)'},
                )
            )
        connection.execute(
            user.update().where(user.c.id == row.id).values(mf_recovery_codes=value)
        )


def _decrypter():
    """A function from an encrypted code to the code, or None when no key opens it."""
    from cryptography.fernet import Fernet, InvalidToken, MultiFernet
    from flask import current_app

    keys = current_app.config.get('SECURITY_MULTI_FACTOR_RECOVERY_CODES_KEYS') or []
    cryptor = MultiFernet([Fernet(key) for key in keys]) if keys else None

    def decrypt(token):
        if cryptor is None:
            return None
        try:
            return cryptor.decrypt(token.encode()).decode()
        except InvalidToken:
            return None

    return decrypt


def downgrade():
    # A hash cannot be turned back into its code: the codes are removed, and their owners get
    # new ones from their account page.
    op.execute(sa.text('UPDATE "user" SET mf_recovery_codes = NULL'))
