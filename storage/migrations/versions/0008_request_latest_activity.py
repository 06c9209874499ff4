"""a help request's latest thread activity (bumps, follow-ups, answers)

Revision ID: 0008
Revises: 0007
"""
from alembic import op
import sqlalchemy as sa

import storage.types


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('message', sa.Column('latest_activity_at', storage.types.UTCDateTime(), nullable=True))


def downgrade() -> None:
    # A plain ALTER TABLE … DROP COLUMN (SQLite ≥ 3.35): a batch copy of `message` would have to
    # drop the table other rows point at.
    op.drop_column('message', 'latest_activity_at')
