"""revisions name their figure and outlive a withdrawn observation

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 15:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COPY_KEY = """
UPDATE observation_revisions SET
  indicator_id = (SELECT o.indicator_id FROM observations o
                  WHERE o.id = observation_revisions.observation_id),
  measure_id = (SELECT o.measure_id FROM observations o
                WHERE o.id = observation_revisions.observation_id),
  period = (SELECT o.period FROM observations o
            WHERE o.id = observation_revisions.observation_id),
  dimensions = (SELECT o.dimensions FROM observations o
                WHERE o.id = observation_revisions.observation_id)
"""


def upgrade() -> None:
    with op.batch_alter_table("observation_revisions") as batch:
        batch.add_column(sa.Column("indicator_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("measure_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("period", sa.String(16), nullable=True))
        batch.add_column(sa.Column("dimensions", sa.String(400), nullable=True))
    op.execute(COPY_KEY)
    with op.batch_alter_table("observation_revisions") as batch:
        batch.alter_column("period", existing_type=sa.String(16), nullable=False)
        batch.alter_column("dimensions", existing_type=sa.String(400), nullable=False)
        batch.alter_column("observation_id", existing_type=sa.Integer(), nullable=True)
        batch.drop_constraint(
            "fk_observation_revisions_observation_id_observations", type_="foreignkey"
        )
        batch.create_foreign_key(
            "fk_observation_revisions_observation_id_observations",
            "observations",
            ["observation_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch.create_foreign_key(
            "fk_observation_revisions_indicator_id_indicators",
            "indicators",
            ["indicator_id"],
            ["id"],
            ondelete="CASCADE",
        )
        batch.create_foreign_key(
            "fk_observation_revisions_measure_id_performance_measures",
            "performance_measures",
            ["measure_id"],
            ["id"],
            ondelete="CASCADE",
        )
        batch.create_index("ix_observation_revisions_indicator_id", ["indicator_id"])
        batch.create_index("ix_observation_revisions_measure_id", ["measure_id"])


def downgrade() -> None:
    # Revisions of withdrawn observations have nothing to point at in the old schema.
    op.execute("DELETE FROM observation_revisions WHERE observation_id IS NULL")
    with op.batch_alter_table("observation_revisions") as batch:
        batch.drop_index("ix_observation_revisions_measure_id")
        batch.drop_index("ix_observation_revisions_indicator_id")
        batch.drop_constraint(
            "fk_observation_revisions_measure_id_performance_measures", type_="foreignkey"
        )
        batch.drop_constraint(
            "fk_observation_revisions_indicator_id_indicators", type_="foreignkey"
        )
        batch.drop_constraint(
            "fk_observation_revisions_observation_id_observations", type_="foreignkey"
        )
        batch.create_foreign_key(
            "fk_observation_revisions_observation_id_observations",
            "observations",
            ["observation_id"],
            ["id"],
            ondelete="CASCADE",
        )
        batch.alter_column("observation_id", existing_type=sa.Integer(), nullable=False)
        batch.drop_column("dimensions")
        batch.drop_column("period")
        batch.drop_column("measure_id")
        batch.drop_column("indicator_id")
