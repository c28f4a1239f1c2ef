"""turn-the-curve records: draft or published, and who reviewed (published) them

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-03 19:00:00.000000

The published view of stories (migration 0010) then shows published versions only: a
draft is seen by its result team, never by the public site or open data. On PostgreSQL the
view is replaced in place (the public role keeps its grant); SQLite has no CREATE OR
REPLACE VIEW, so there it is dropped and made again.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


STORIES = """
        SELECT s.id, s.indicator_id, s.version, s.story_behind_the_curve,
               s.story_behind_the_curve_es, s.partners, s.partners_es, s.what_works,
               s.what_works_es, s.action_plan, s.action_plan_es, s.saved_at
        FROM turn_the_curve_records s JOIN published_indicators i ON i.id = s.indicator_id"""


def _stories_view(where: str) -> None:
    text = (STORIES + where).strip()
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"CREATE OR REPLACE VIEW published_stories AS {text}")
    else:
        op.execute("DROP VIEW IF EXISTS published_stories")
        op.execute(f"CREATE VIEW published_stories AS {text}")


def upgrade() -> None:
    with op.batch_alter_table("turn_the_curve_records", schema=None) as batch_op:
        batch_op.add_column(sa.Column("status", sa.String(length=20), nullable=False,
                                      server_default="published"))
        batch_op.add_column(sa.Column("reviewed_by", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("reviewed_at", sa.DateTime(timezone=True),
                                      nullable=True))
    _stories_view("\n        WHERE s.status = 'published'")


def downgrade() -> None:
    _stories_view("")
    with op.batch_alter_table("turn_the_curve_records", schema=None) as batch_op:
        batch_op.drop_column("reviewed_at")
        batch_op.drop_column("reviewed_by")
        batch_op.drop_column("status")
