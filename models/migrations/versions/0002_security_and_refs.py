"""tokens, rate limits, audit scope, refs

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24 17:14:30.788134
"""

from alembic import op
import sqlalchemy as sa
import models.base


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('auth_failures',
    sa.Column('address', sa.String(length=64), nullable=False),
    sa.Column('window', sa.Integer(), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('address', 'window', name=op.f('pk_auth_failures'))
    )
    op.create_table('api_tokens',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=True),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('prefix', sa.String(length=16), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('person_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('expires_at', models.base.UtcDateTime(timezone=True), nullable=True),
    sa.Column('revoked_at', models.base.UtcDateTime(timezone=True), nullable=True),
    sa.Column('created_by', sa.String(length=200), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', models.base.UtcDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("role IN ('viewer', 'editor', 'admin')", name=op.f('ck_api_tokens_role')),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_api_tokens_person_id_people')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_api_tokens')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_api_tokens_token_hash'))
    )
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_api_tokens_person_id'), ['person_id'], unique=False)

    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('subject_node_id', sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column('other_node_id', sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column('restricted', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.create_index(batch_op.f('ix_audit_events_subject_node_id'), ['subject_node_id'], unique=False)

    with op.batch_alter_table('key_results', schema=None) as batch_op:
        batch_op.add_column(sa.Column('ref', sa.String(length=200), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_key_results_ref'), ['ref'])

    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.add_column(sa.Column('ref', sa.String(length=200), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_people_ref'), ['ref'])

    with op.batch_alter_table('periods', schema=None) as batch_op:
        batch_op.add_column(sa.Column('ref', sa.String(length=200), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_periods_ref'), ['ref'])

    with op.batch_alter_table('teams', schema=None) as batch_op:
        batch_op.add_column(sa.Column('ref', sa.String(length=200), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_teams_ref'), ['ref'])



def downgrade() -> None:
    with op.batch_alter_table('teams', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_teams_ref'), type_='unique')
        batch_op.drop_column('ref')

    with op.batch_alter_table('periods', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_periods_ref'), type_='unique')
        batch_op.drop_column('ref')

    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_people_ref'), type_='unique')
        batch_op.drop_column('ref')

    with op.batch_alter_table('key_results', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_key_results_ref'), type_='unique')
        batch_op.drop_column('ref')

    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_events_subject_node_id'))
        batch_op.drop_column('restricted')
        batch_op.drop_column('other_node_id')
        batch_op.drop_column('subject_node_id')

    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_api_tokens_person_id'))

    op.drop_table('api_tokens')
    op.drop_table('auth_failures')
