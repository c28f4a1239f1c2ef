"""owner indexes of figures cover only the rows that owner column names

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-22 18:00:00.000000

An observation belongs to an indicator or a measure, never both, so the unique index on
(measure_id, period, dimensions) held an entry with a null measure for every indicator
observation (and the other way round), and never constrained anything there: nulls do
not conflict. Partial indexes keep the same uniqueness and lookups with half the entries.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OBSERVATION_KEYS = {"indicator_id": "uq_observations_indicator_id_period_dimensions",
                    "measure_id": "uq_observations_measure_id_period_dimensions"}
REVISION_OWNERS = {"indicator_id": "ix_observation_revisions_indicator_id",
                   "measure_id": "ix_observation_revisions_measure_id"}


def _where(owner: str) -> dict[str, sa.TextClause]:
    clause = sa.text(f"{owner} IS NOT NULL")
    return {"sqlite_where": clause, "postgresql_where": clause}


def upgrade() -> None:
    with op.batch_alter_table("observations", schema=None) as batch_op:
        for name in OBSERVATION_KEYS.values():
            batch_op.drop_constraint(name, type_="unique")
    for owner, name in OBSERVATION_KEYS.items():
        op.create_index(name, "observations", [owner, "period", "dimensions"], unique=True,
                        **_where(owner))
    for owner, name in REVISION_OWNERS.items():
        op.drop_index(name, table_name="observation_revisions")
        op.create_index(name, "observation_revisions", [owner], **_where(owner))


def downgrade() -> None:
    for owner, name in REVISION_OWNERS.items():
        op.drop_index(name, table_name="observation_revisions")
        op.create_index(name, "observation_revisions", [owner])
    for name in OBSERVATION_KEYS.values():
        op.drop_index(name, table_name="observations")
    with op.batch_alter_table("observations", schema=None) as batch_op:
        for owner, name in OBSERVATION_KEYS.items():
            batch_op.create_unique_constraint(name, [owner, "period", "dimensions"])
