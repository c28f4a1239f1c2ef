"""published views: what the public site may read

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03 18:30:00.000000

The public site (`rba serve --public`) and open data read the store only through these
views (rba.store.published): indicators marked published; of them, only final observations,
their targets, frozen baselines and turn-the-curve records; results, result teams (names
only), dimension labels, programs and partners. No view carries a person: no user, no
e-mail, no "entered by", "agreed by" or "saved by", no facilitator or member names, no
notes. On PostgreSQL `rba db public-role NAME` makes a role that may SELECT these views and
nothing else, so a public server running as it cannot read a base table whatever it is asked.

A later migration may rebuild a table these views read (SQLite's batch mode copies, drops
and renames it): migrations/env.py turns on SQLite's legacy_alter_table, whose rename does
not check views, so the views stay and read the new table. A migration that drops or
renames a column a view names must drop that view first and create it again after.
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: Each view's name and its SELECT, in creation order (a view may read an earlier one).
VIEWS: dict[str, str] = {
    "published_indicators": """
        SELECT id, code, result_id, name, name_es, lay_definition, lay_definition_es,
               technical_definition, technical_definition_es, unit, per, polarity,
               frequency, kind, source, dimensions, min_n, display_order
        FROM indicators WHERE published""",
    "published_observations": """
        SELECT o.id, o.indicator_id, o.period, o.dimensions, o.value, o.numerator,
               o.denominator, o.status
        FROM observations o JOIN published_indicators i ON i.id = o.indicator_id
        WHERE o.status = 'final'""",
    "published_targets": """
        SELECT t.id, t.indicator_id, t.period, t.dimensions, t.value
        FROM targets t JOIN published_indicators i ON i.id = t.indicator_id""",
    "published_baselines": """
        SELECT b.id, b.indicator_id, b.dimensions, b.history_through, b.method, b.level,
               b.baseline_value, b.agreed_at
        FROM baselines b JOIN published_indicators i ON i.id = b.indicator_id""",
    "published_baseline_points": """
        SELECT p.id, p.baseline_id, p.period, p.forecast, p.lower, p.upper, p.lower_80, p.upper_80
        FROM baseline_points p JOIN published_baselines b ON b.id = p.baseline_id""",
    "published_stories": """
        SELECT s.id, s.indicator_id, s.version, s.story_behind_the_curve,
               s.story_behind_the_curve_es, s.partners, s.partners_es, s.what_works,
               s.what_works_es, s.action_plan, s.action_plan_es, s.saved_at
        FROM turn_the_curve_records s JOIN published_indicators i ON i.id = s.indicator_id""",
    "published_results": """
        SELECT id, code, name, name_es, description, description_es, display_order, team_id
        FROM results""",
    "published_result_teams": """
        SELECT id, slug, name, name_es FROM result_teams""",
    "published_dimensions": """
        SELECT id, name, label, label_es FROM dimensions""",
    "published_dimension_values": """
        SELECT id, dimension_id, value, label, label_es, display_order
        FROM dimension_values""",
    "published_partners": """
        SELECT id, name, type, website FROM partners""",
    "published_programs": """
        SELECT id, code, name, name_es, description, description_es, lead_partner_id,
               population, annual_funding
        FROM programs""",
    "published_program_partners": """
        SELECT program_id, partner_id FROM program_partners""",
    "published_program_results": """
        SELECT program_id, result_id FROM program_results""",
    "published_program_indicators": """
        SELECT p.program_id, p.indicator_id
        FROM program_indicators p JOIN published_indicators i ON i.id = p.indicator_id""",
    # The data version caches key on (rba.store.audit.data_version), without the events.
    "published_data_version": """
        SELECT MAX(id) AS version FROM audit_events""",
}


def upgrade() -> None:
    for name, select in VIEWS.items():
        op.execute(f"CREATE VIEW {name} AS {select.strip()}")


def downgrade() -> None:
    for name in reversed(VIEWS):
        op.execute(f"DROP VIEW IF EXISTS {name}")
