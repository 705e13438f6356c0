"""Figure 8 only: a one-page PDF of an organisation's figure, rendered by the report workers
like its full report (a new kind of report job)

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07 10:00:00

"""
from alembic import op


revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name == 'postgresql':
        # A new value of a native enum cannot be used in the transaction that adds it;
        # nothing here uses it. SQLite keeps the kind as text: nothing to do there.
        op.execute("ALTER TYPE job_kind ADD VALUE IF NOT EXISTS 'figure-pdf'")


def downgrade():
    # PostgreSQL cannot drop a value from an enum; an unused one does no harm. Jobs of this
    # kind are removed, so that the older code never reads a kind it does not know.
    op.execute("DELETE FROM report_job WHERE kind = 'figure-pdf'")
