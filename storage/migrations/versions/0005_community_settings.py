"""per-community settings chosen by moderators

Revision ID: 0005
Revises: 0004
"""
from alembic import op
import sqlalchemy as sa

import storage.types


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'community_setting',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('community_id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=40), nullable=False),
        sa.Column('value', sa.String(length=500), nullable=False),
        sa.Column('updated_by', sa.String(length=128), nullable=False),
        sa.Column('updated_at', storage.types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['community_id'], ['community.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('community_id', 'name', name='uq_community_setting'),
    )
    # WhatsApp's moderator flag used to mirror LIFTBOT_WHATSAPP_MODERATORS on every message; it
    # now means a `/lift moderator` grant, so the mirrored copies must not outlive the list.
    op.execute(
        "UPDATE member SET is_moderator = false WHERE community_id IN "
        "(SELECT id FROM community WHERE platform = 'whatsapp')"
    )


def downgrade() -> None:
    op.drop_table('community_setting')
