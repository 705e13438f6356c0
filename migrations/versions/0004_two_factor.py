"""Two-factor sign-in: authenticator app secrets and recovery codes

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25 00:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    # Batch mode: SQLite cannot add several columns or drop them without rebuilding the table.
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('tf_primary_method', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('tf_totp_secret', sa.String(length=255), nullable=True))
        batch_op.add_column(sa.Column('tf_phone_number', sa.String(length=128), nullable=True))
        batch_op.add_column(sa.Column('tf_totp_last_counter', sa.Integer(), nullable=True))
        # Flask-Security's AsaList: the codes joined by commas in one text column.
        batch_op.add_column(sa.Column('mf_recovery_codes', sa.UnicodeText(), nullable=True))


def downgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_column('mf_recovery_codes')
        batch_op.drop_column('tf_totp_last_counter')
        batch_op.drop_column('tf_phone_number')
        batch_op.drop_column('tf_totp_secret')
        batch_op.drop_column('tf_primary_method')
