"""needs: node kind need with segment and need_type; link type serves

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 10:30:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

_OLD_KINDS = "kind IN ('mission', 'vision', 'strategy', 'goal', 'work')"
_NEW_KINDS = "kind IN ('mission', 'vision', 'strategy', 'goal', 'work', 'need')"
_OLD_TYPES = "type IN ('supports', 'depends_on', 'conflicts_with')"
_NEW_TYPES = "type IN ('supports', 'depends_on', 'conflicts_with', 'serves')"
_NEED_TYPE = "need_type IS NULL OR need_type IN ('functional', 'psychological')"


def upgrade() -> None:
    with op.batch_alter_table('nodes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('segment', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('need_type', sa.String(length=16), nullable=True))
        batch_op.drop_constraint(op.f('ck_nodes_kind'), type_='check')
        batch_op.create_check_constraint(op.f('ck_nodes_kind'), _NEW_KINDS)
        batch_op.create_check_constraint(op.f('ck_nodes_need_type'), _NEED_TYPE)
    with op.batch_alter_table('links', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_links_type'), type_='check')
        batch_op.create_check_constraint(op.f('ck_links_type'), _NEW_TYPES)


def downgrade() -> None:
    op.execute("DELETE FROM links WHERE type = 'serves'")
    op.execute("DELETE FROM links WHERE source_id IN (SELECT id FROM nodes WHERE kind = 'need')")
    op.execute("DELETE FROM links WHERE target_id IN (SELECT id FROM nodes WHERE kind = 'need')")
    op.execute(
        "DELETE FROM key_results WHERE node_id IN (SELECT id FROM nodes WHERE kind = 'need')"
    )
    op.execute("DELETE FROM nodes WHERE kind = 'need'")
    with op.batch_alter_table('links', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_links_type'), type_='check')
        batch_op.create_check_constraint(op.f('ck_links_type'), _OLD_TYPES)
    with op.batch_alter_table('nodes', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_nodes_need_type'), type_='check')
        batch_op.drop_constraint(op.f('ck_nodes_kind'), type_='check')
        batch_op.create_check_constraint(op.f('ck_nodes_kind'), _OLD_KINDS)
        batch_op.drop_column('need_type')
        batch_op.drop_column('segment')
