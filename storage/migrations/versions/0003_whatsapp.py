"""whatsapp: helper opt-in and a sealed (encrypted) contact on members

Revision ID: 0003
Revises: 0001
"""
from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('member') as batch:
        batch.add_column(sa.Column('helper_opt_in', sa.Boolean(), nullable=True))
        batch.add_column(sa.Column('contact_sealed', sa.String(length=400), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('member') as batch:
        batch.drop_column('contact_sealed')
        batch.drop_column('helper_opt_in')
