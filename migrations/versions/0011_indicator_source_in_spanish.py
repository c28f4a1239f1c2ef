"""indicators: the source in Spanish (source_es); the published view shows it, and when the
data last changed

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03 18:45:00.000000

Every published field has a Spanish version: an indicator's source was the one without.
The published view (migration 0010) gains the column at the end of
``published_indicators``, and ``published_data_version`` gains ``changed_at`` (the newest
audit event's time: open data's Last-Modified). On PostgreSQL the views are replaced in
place (CREATE OR REPLACE keeps the public role's grants and the views that read them); on
SQLite, which has no CREATE OR REPLACE VIEW, they are dropped and made again (a view names
another only when it runs, so the others need nothing). The new column is added with
ALTER TABLE ADD COLUMN, which SQLite does without rebuilding the table under the views.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Sequence
from pathlib import Path

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDICATORS = """
        SELECT id, code, result_id, name, name_es, lay_definition, lay_definition_es,
               technical_definition, technical_definition_es, unit, per, polarity,
               frequency, kind, source, dimensions, min_n, display_order{more}
        FROM indicators WHERE published"""
DATA_VERSION = "SELECT MAX(id) AS version{more} FROM audit_events"
#: Each replaced view's SELECT, with the columns added here in ``more``.
VIEWS = {"published_indicators": (INDICATORS, ", source_es"),
         "published_data_version": (DATA_VERSION, ", MAX(at) AS changed_at")}


def _views_of_0010() -> dict[str, str]:
    """Migration 0010's views, as it made them (read from its file, not copied)."""
    path = Path(__file__).with_name("0010_published_views.py")
    spec = importlib.util.spec_from_file_location("published_views_0010", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return dict(module.VIEWS)


#: Where a downgrade keeps the Spanish sources, so an upgrade gives them back.
KEPT = "indicator_sources_es_kept"


def upgrade() -> None:
    op.add_column("indicators", sa.Column("source_es", sa.Text(), nullable=True))
    if sa.inspect(op.get_bind()).has_table(KEPT):
        op.execute(f"UPDATE indicators SET source_es = (SELECT k.source_es FROM {KEPT} k "
                   f"WHERE k.code = indicators.code)")
        op.drop_table(KEPT)
    postgres = op.get_bind().dialect.name == "postgresql"
    for name, (select, more) in VIEWS.items():
        text = select.format(more=more).strip()
        if postgres:
            op.execute(f"CREATE OR REPLACE VIEW {name} AS {text}")
        else:
            op.execute(f"DROP VIEW IF EXISTS {name}")
            op.execute(f"CREATE VIEW {name} AS {text}")


def downgrade() -> None:
    # A column cannot be taken out of a view in place, and on PostgreSQL the views reading
    # published_indicators hold on to it: make every view of 0010 again (on PostgreSQL,
    # run `rba db public-role NAME` again afterwards to grant them).
    views = _views_of_0010()
    cascade = " CASCADE" if op.get_bind().dialect.name == "postgresql" else ""
    for name in reversed(views):
        op.execute(f"DROP VIEW IF EXISTS {name}{cascade}")
    # Walking down and back up must not lose a word: keep the Spanish sources aside.
    op.execute(f"CREATE TABLE {KEPT} AS SELECT code, source_es FROM indicators "
               f"WHERE source_es IS NOT NULL")
    op.drop_column("indicators", "source_es")
    for name, select in views.items():
        op.execute(f"CREATE VIEW {name} AS {select.strip()}")
