"""published view: when final figures were entered, and programs' performance measures

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-03 21:30:00.000000

The annual report card is a public document, so the public site serves it, reading only
the published view (rba.store.published). It needs three things the view lacked:
``published_observations`` gains ``entered_at`` at the end (the report card's and the
charts' "Figures as of" date: how current the figures are); and the programs' performance
measures with their final figures and targets, in ``published_measures``,
``published_measure_observations`` and ``published_measure_targets`` (programs are all
public already). No view names a person, a note or who entered anything.

On PostgreSQL the observations view is replaced in place (CREATE OR REPLACE VIEW keeps its
grants and may add a column at the end), and every role that may read
``published_indicators`` (a role `rba db public-role` made) is granted the new views, so a
public site keeps working after `rba db upgrade`. SQLite has no CREATE OR REPLACE VIEW: the
view is dropped and made again (no other view reads it). The downgrade drops the new views
and makes the observations view as it was, granted again to the same roles.
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OBSERVATIONS = """
        SELECT o.id, o.indicator_id, o.period, o.dimensions, o.value, o.numerator,
               o.denominator, o.status{more}
        FROM observations o JOIN published_indicators i ON i.id = o.indicator_id
        WHERE o.status = 'final'"""
#: The views made here, in creation order (a view may read an earlier one).
VIEWS: dict[str, str] = {
    "published_measures": """
        SELECT id, code, program_id, name, name_es, kind, unit, per, polarity, frequency,
               display_order
        FROM performance_measures""",
    "published_measure_observations": """
        SELECT o.id, o.measure_id, o.period, o.dimensions, o.value, o.numerator,
               o.denominator, o.status, o.entered_at
        FROM observations o JOIN published_measures m ON m.id = o.measure_id
        WHERE o.status = 'final'""",
    "published_measure_targets": """
        SELECT t.id, t.measure_id, t.period, t.dimensions, t.value
        FROM targets t JOIN published_measures m ON m.id = t.measure_id""",
}
#: The roles (other than the owner) that may read published_indicators: the public roles.
READERS = """
    SELECT DISTINCT r.rolname
    FROM pg_class c CROSS JOIN LATERAL aclexplode(c.relacl) a
    JOIN pg_roles r ON r.oid = a.grantee
    WHERE c.oid = 'published_indicators'::regclass AND a.privilege_type = 'SELECT'
      AND a.grantee <> c.relowner
    ORDER BY r.rolname"""


def _postgres() -> bool:
    return bool(op.get_bind().dialect.name == "postgresql")


def _grant(views: list[str]) -> None:
    """Grant SELECT on ``views`` to every role that may read published_indicators."""
    bind = op.get_bind()
    quote = bind.dialect.identifier_preparer.quote
    for role in bind.exec_driver_sql(READERS).scalars().all():
        for view in views:
            op.execute(f"GRANT SELECT ON {view} TO {quote(role)}")


def upgrade() -> None:
    text = OBSERVATIONS.format(more=", o.entered_at").strip()
    if _postgres():
        op.execute(f"CREATE OR REPLACE VIEW published_observations AS {text}")
    else:
        op.execute("DROP VIEW IF EXISTS published_observations")
        op.execute(f"CREATE VIEW published_observations AS {text}")
    for name, select in VIEWS.items():
        op.execute(f"CREATE VIEW {name} AS {select.strip()}")
    if _postgres():
        _grant(list(VIEWS))


def downgrade() -> None:
    for name in reversed(VIEWS):
        op.execute(f"DROP VIEW IF EXISTS {name}")
    # A column cannot be taken out of a view in place: make it again, and grant it again.
    op.execute("DROP VIEW IF EXISTS published_observations")
    op.execute(f"CREATE VIEW published_observations AS "
               f"{OBSERVATIONS.format(more='').strip()}")
    if _postgres():
        _grant(["published_observations"])
