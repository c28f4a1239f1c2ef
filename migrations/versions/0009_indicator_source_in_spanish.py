"""indicators: the source in Spanish (source_es)

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03 18:30:00.000000

Every published field has a Spanish version: an indicator's source was the one without.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("indicators", schema=None) as batch_op:
        batch_op.add_column(sa.Column("source_es", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("indicators", schema=None) as batch_op:
        batch_op.drop_column("source_es")
