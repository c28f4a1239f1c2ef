"""audit sources: upload, grid and undo beside form, import, cli and api

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-03 18:30:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD = ("form", "import", "cli", "api")
NEW = (*OLD, "upload", "grid", "undo")


def _source(values: tuple[str, ...]) -> sa.Enum:
    return sa.Enum(*values, name="source", native_enum=False, create_constraint=True,
                   length=20)


def upgrade() -> None:
    for table in ("batches", "audit_events"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column("source", existing_type=_source(OLD), type_=_source(NEW),
                                  existing_nullable=False)


def downgrade() -> None:
    for table in ("batches", "audit_events"):
        op.execute(sa.text(f"UPDATE {table} SET source = 'form' "
                           "WHERE source IN ('upload', 'grid', 'undo')"))
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column("source", existing_type=_source(NEW), type_=_source(OLD),
                                  existing_nullable=False)
