"""clarity, restatements, glossary and overruns

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 13:20:00
"""

from alembic import op
import sqlalchemy as sa
import models.base


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('terms',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('name_key', sa.String(length=400), nullable=False),
    sa.Column('aliases', sa.JSON(), nullable=False),
    sa.Column('metrics', sa.JSON(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', models.base.UtcDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', models.base.UtcDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_terms')),
    sa.UniqueConstraint('name_key', name=op.f('uq_terms_name_key'))
    )
    op.create_table('definitions',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('term_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('team_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', models.base.UtcDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', models.base.UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_definitions_team_id_teams')),
    sa.ForeignKeyConstraint(['term_id'], ['terms.id'], name=op.f('fk_definitions_term_id_terms')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_definitions')),
    sa.UniqueConstraint('term_id', 'team_id', name=op.f('uq_definitions_term_id_team_id'))
    )
    with op.batch_alter_table('definitions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_definitions_team_id'), ['team_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_definitions_term_id'), ['term_id'], unique=False)

    op.create_table('restatements',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('node_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('person_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('created_at', models.base.UtcDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', models.base.UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['node_id'], ['nodes.id'], name=op.f('fk_restatements_node_id_nodes')),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_restatements_person_id_people')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_restatements')),
    sa.UniqueConstraint('node_id', 'person_id', name=op.f('uq_restatements_node_id_person_id'))
    )
    with op.batch_alter_table('restatements', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_restatements_node_id'), ['node_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_restatements_person_id'), ['person_id'], unique=False)

    with op.batch_alter_table('nodes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('user_outcome', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('business_outcome', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('target_group', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('measure', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('budget', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('spent', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('done_at', models.base.UtcDateTime(timezone=True), nullable=True))
        batch_op.create_check_constraint(op.f('ck_nodes_budget'), 'budget IS NULL OR budget >= 0')
        batch_op.create_check_constraint(op.f('ck_nodes_spent'), 'spent IS NULL OR spent >= 0')
    # Nodes done before the service kept done_at: their last change is the best known moment.
    op.execute("UPDATE nodes SET done_at = updated_at WHERE status = 'done'")



def downgrade() -> None:
    with op.batch_alter_table('nodes', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_nodes_spent'), type_='check')
        batch_op.drop_constraint(op.f('ck_nodes_budget'), type_='check')
        batch_op.drop_column('done_at')
        batch_op.drop_column('spent')
        batch_op.drop_column('budget')
        batch_op.drop_column('measure')
        batch_op.drop_column('target_group')
        batch_op.drop_column('business_outcome')
        batch_op.drop_column('user_outcome')

    with op.batch_alter_table('restatements', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_restatements_person_id'))
        batch_op.drop_index(batch_op.f('ix_restatements_node_id'))

    op.drop_table('restatements')
    with op.batch_alter_table('definitions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_definitions_term_id'))
        batch_op.drop_index(batch_op.f('ix_definitions_team_id'))

    op.drop_table('definitions')
    op.drop_table('terms')
    op.execute(
        "DELETE FROM audit_events WHERE entity_type IN ('restatement', 'term', 'definition')"
    )
