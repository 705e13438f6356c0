"""Reports rendered in the background: organisation report jobs, the key a job's result
was built from, and a counter of changes to the data behind each organisation's reports

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-05 22:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name == 'postgresql':
        # A new value of a native enum cannot be used in the transaction that adds it;
        # nothing here uses it.
        op.execute("ALTER TYPE job_kind ADD VALUE IF NOT EXISTS 'organisation-pdf'")
    with op.batch_alter_table('report_job', schema=None) as batch_op:
        batch_op.add_column(sa.Column('source_key', sa.String(length=64), nullable=True))
        batch_op.create_index(batch_op.f('ix_report_job_source_key'), ['source_key'], unique=False)
    with op.batch_alter_table('organisation', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('data_version', sa.Integer(), nullable=False, server_default='1')
        )


def downgrade():
    with op.batch_alter_table('organisation', schema=None) as batch_op:
        batch_op.drop_column('data_version')
    with op.batch_alter_table('report_job', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_report_job_source_key'))
        batch_op.drop_column('source_key')
    # PostgreSQL cannot drop a value from an enum; an unused one does no harm.
