"""The organisations a finished oversight report or ZIP holds, so that a download checks
the person may still read each of them (a body moved out of the oversight since)

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07 01:20:00

"""
import sqlalchemy as sa
from alembic import op


revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('report_job') as batch:
        batch.add_column(sa.Column('covered', sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table('report_job') as batch:
        batch.drop_column('covered')
