"""baseline points: the inner (80%) prediction band beside the agreed level's

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03 18:30:00.000000

A frozen baseline keeps both bands the chart draws, from the same fit. Baselines frozen
before this have no inner band (NULL): the chart draws their one band only.
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
    with op.batch_alter_table("baseline_points", schema=None) as batch_op:
        batch_op.add_column(sa.Column("lower_80", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("upper_80", sa.Float(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("baseline_points", schema=None) as batch_op:
        batch_op.drop_column("upper_80")
        batch_op.drop_column("lower_80")
