"""The sign-off trail: each assessment's submissions, moderations, send-backs, approvals and
reopenings with who, when and why, filled in from the audit trail for what happened before

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-08 10:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

# Audit actions that were decisions, and where each kept its reason.
_FROM_AUDIT = {
    'assessment.approved': ('approved', None),
    'assessment.sent_back': ('sent-back', 'comment'),
    'assessment.reopened': ('reopened', 'reason'),
    'rating.moderated': ('moderated', None),
}


def upgrade():
    decision = op.create_table('assessment_decision',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assessment_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('submitted', 'moderated', 'sent-back', 'approved', 'reopened', name='decisionkind', native_enum=False, length=20), nullable=False),
    sa.Column('domain_key', sa.String(length=100), nullable=True),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('occurred_at', sa.DateTime(), nullable=False),
    sa.Column('reason', sa.Text(), server_default='', nullable=False),
    sa.Column('details', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['user.id'], name=op.f('fk_assessment_decision_actor_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['assessment_id'], ['assessment.id'], name=op.f('fk_assessment_decision_assessment_id_assessment'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assessment_decision'))
    )
    with op.batch_alter_table('assessment_decision', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assessment_decision_assessment_id'), ['assessment_id'], unique=False)
    op.bulk_insert(decision, _earlier_decisions(op.get_bind()))


def _earlier_decisions(connection):
    """What the audit trail and the assessments already say, oldest first."""
    audit = sa.table(
        'audit_event',
        sa.column('id', sa.Integer), sa.column('occurred_at', sa.DateTime),
        sa.column('actor_id', sa.Integer), sa.column('action', sa.String),
        sa.column('organisation_id', sa.Integer), sa.column('subject', sa.String),
        sa.column('details', sa.JSON),
    )
    assessment = sa.table(
        'assessment',
        sa.column('id', sa.Integer), sa.column('organisation_id', sa.Integer),
        sa.column('period', sa.String), sa.column('submitted_at', sa.DateTime),
        sa.column('submitted_by_id', sa.Integer), sa.column('approved_at', sa.DateTime),
        sa.column('approved_by_id', sa.Integer),
    )
    assessments = connection.execute(sa.select(assessment)).mappings().all()
    known = {a['id'] for a in assessments}
    by_period = {}
    for a in assessments:
        by_period.setdefault((a['organisation_id'], a['period']), []).append(a['id'])
    events = connection.execute(
        sa.select(audit)
        .where(audit.c.action.in_([*_FROM_AUDIT, 'assessment.submitted']))
        .order_by(audit.c.occurred_at, audit.c.id)
    ).mappings()
    rows = []
    for event in events:
        details = event['details'] or {}
        if event['action'] == 'assessment.submitted':
            # Submissions did not name the assessment: only a period with one is certain.
            found = by_period.get((event['organisation_id'], event['subject']), [])
            target, kind, reason, extra, domain = (found[0] if len(found) == 1 else None), 'submitted', '', {}, None
        else:
            kind, reason_key = _FROM_AUDIT[event['action']]
            target = details.get('assessment_id')
            reason = details.get(reason_key, '') if reason_key else ''
            extra, domain = {}, None
            if kind == 'moderated':
                domain = event['subject'].partition(' ')[2] or None
                after = details.get('after') or {}
                reason = after.get('moderated_note') or ''
                extra = {
                    'level_before': (details.get('before') or {}).get('moderated_level'),
                    'level_after': after.get('moderated_level'),
                }
        if target not in known:
            continue
        rows.append({
            'assessment_id': target, 'kind': kind, 'domain_key': domain,
            'actor_id': event['actor_id'], 'occurred_at': event['occurred_at'],
            'reason': reason if isinstance(reason, str) else '', 'details': extra,
        })
    # Assessments decided without an audit event (the demo, imports): their own columns.
    seen = {(row['assessment_id'], row['kind']) for row in rows}
    for a in assessments:
        for kind, at, by in (
            ('submitted', a['submitted_at'], a['submitted_by_id']),
            ('approved', a['approved_at'], a['approved_by_id']),
        ):
            if at is not None and (a['id'], kind) not in seen:
                rows.append({
                    'assessment_id': a['id'], 'kind': kind, 'domain_key': None,
                    'actor_id': by, 'occurred_at': at, 'reason': '', 'details': {},
                })
    rows.sort(key=lambda row: row['occurred_at'])
    return rows


def downgrade():
    with op.batch_alter_table('assessment_decision', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assessment_decision_assessment_id'))
    op.drop_table('assessment_decision')
