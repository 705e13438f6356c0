"""Drafts of a domain's answers, kept as a person types (autosave), one per person and rating

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-08 14:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('rating_draft',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('rating_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('answers', sa.JSON(), nullable=False),
    sa.Column('base_version', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['rating_id'], ['rating.id'], name=op.f('fk_rating_draft_rating_id_rating'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_rating_draft_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rating_draft')),
    sa.UniqueConstraint('rating_id', 'user_id', name=op.f('uq_rating_draft_rating_id_user_id'))
    )
    with op.batch_alter_table('rating_draft', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rating_draft_rating_id'), ['rating_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_rating_draft_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('rating_draft', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rating_draft_user_id'))
        batch_op.drop_index(batch_op.f('ix_rating_draft_rating_id'))
    op.drop_table('rating_draft')
