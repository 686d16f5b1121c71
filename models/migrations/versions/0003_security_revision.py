"""graph_state.security_revision: the last write that changed who a caller is

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01 00:30:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('graph_state', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('security_revision', sa.BigInteger(), server_default='0', nullable=False)
        )
    # Principals cached before this migration are looked up again.
    op.execute("UPDATE graph_state SET security_revision = revision")


def downgrade() -> None:
    with op.batch_alter_table('graph_state', schema=None) as batch_op:
        batch_op.drop_column('security_revision')
