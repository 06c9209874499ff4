"""when a member left the group (retention erases departed members' names)

Revision ID: 0007
Revises: 0006
"""
from alembic import op
import sqlalchemy as sa

import storage.types


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('member') as batch:
        batch.add_column(sa.Column('departed_at', storage.types.UTCDateTime(), nullable=True))


def downgrade() -> None:
    # A plain ALTER TABLE … DROP COLUMN (SQLite ≥ 3.35): a batch copy of `member` would have to
    # drop the table every message, tag and expertise row points at.
    op.drop_column('member', 'departed_at')
