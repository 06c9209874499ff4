"""inbox as a queue: attempts and the time of the next retry

Revision ID: 0004
Revises: 0003
"""
from alembic import op
import sqlalchemy as sa

import storage.types


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('inbox_event') as batch:
        batch.add_column(sa.Column('attempts', sa.Integer(), nullable=False, server_default='0'))
        batch.add_column(sa.Column('next_attempt_at', storage.types.UTCDateTime(), nullable=True))
        batch.create_index('ix_inbox_event_due', ['source', 'status', 'next_attempt_at'])


def downgrade() -> None:
    with op.batch_alter_table('inbox_event') as batch:
        batch.drop_index('ix_inbox_event_due')
        batch.drop_column('next_attempt_at')
        batch.drop_column('attempts')
