"""The SQL views of the published view (made by migrations 0010, 0011, 0013 and 0014) as
SQLAlchemy tables, for rba.store.published to query. Not Base.metadata: they are views, not
tables to create."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from rba.store.stories import TEXT_FIELDS

VIEWS = sa.MetaData()  # not Base.metadata: the views are made by migration 0010, not tables


def _view(name: str, *columns: sa.Column) -> sa.Table:
    return sa.Table(name, VIEWS, *columns)


def _c(name: str, kind: Any = sa.String) -> sa.Column:
    return sa.Column(name, kind)


names, labels = (_c("name"), _c("name_es")), (_c("label"), _c("label_es"))

indicators = _view(
    "published_indicators", _c("id", sa.Integer), _c("code"), _c("result_id", sa.Integer),
    _c("name"), _c("name_es"), _c("lay_definition"), _c("lay_definition_es"),
    _c("technical_definition"), _c("technical_definition_es"), _c("unit"),
    _c("per", sa.Float), _c("polarity"), _c("frequency"), _c("kind"), _c("source"),
    _c("dimensions"), _c("min_n", sa.Integer), _c("display_order", sa.Integer),
    _c("source_es"))  # added by migration 0011
observations = _view(
    "published_observations", _c("id", sa.Integer), _c("indicator_id", sa.Integer),
    _c("period"), _c("dimensions"), _c("value", sa.Float), _c("numerator", sa.Float),
    _c("denominator", sa.Float), _c("status"),
    _c("entered_at", sa.DateTime(timezone=True)))  # added by migration 0014
targets = _view(
    "published_targets", _c("id", sa.Integer), _c("indicator_id", sa.Integer), _c("period"),
    _c("dimensions"), _c("value", sa.Float))
baselines = _view(
    "published_baselines", _c("id", sa.Integer), _c("indicator_id", sa.Integer),
    _c("dimensions"), _c("history_through"), _c("method"), _c("level", sa.Float),
    _c("baseline_value", sa.Float), _c("agreed_at", sa.DateTime(timezone=True)))
baseline_points = _view(
    "published_baseline_points", _c("id", sa.Integer), _c("baseline_id", sa.Integer),
    _c("period"), _c("forecast", sa.Float), _c("lower", sa.Float), _c("upper", sa.Float),
    _c("lower_80", sa.Float), _c("upper_80", sa.Float))
stories = _view(
    "published_stories", _c("id", sa.Integer), _c("indicator_id", sa.Integer),
    _c("version", sa.Integer), *(_c(f, sa.Text) for f in TEXT_FIELDS),
    _c("saved_at", sa.DateTime(timezone=True)))
results = _view(
    "published_results", _c("id", sa.Integer), _c("code"), _c("name"), _c("name_es"),
    _c("description"), _c("description_es"), _c("display_order", sa.Integer),
    _c("team_id", sa.Integer))
result_teams = _view("published_result_teams", _c("id", sa.Integer), _c("slug"), *names)
dimensions = _view("published_dimensions", _c("id", sa.Integer), _c("name"), *labels)
dimension_values = _view(
    "published_dimension_values", _c("id", sa.Integer), _c("dimension_id", sa.Integer),
    _c("value"), _c("label"), _c("label_es"), _c("display_order", sa.Integer))
partners = _view("published_partners", _c("id", sa.Integer), _c("name"), _c("type"),
                 _c("website"))
programs = _view(
    "published_programs", _c("id", sa.Integer), _c("code"), _c("name"), _c("name_es"),
    _c("description"), _c("description_es"), _c("lead_partner_id", sa.Integer),
    _c("population"), _c("annual_funding", sa.Float))
program_partners = _view("published_program_partners", _c("program_id", sa.Integer),
                         _c("partner_id", sa.Integer))
program_results = _view("published_program_results", _c("program_id", sa.Integer),
                        _c("result_id", sa.Integer))
program_indicators = _view("published_program_indicators", _c("program_id", sa.Integer),
                           _c("indicator_id", sa.Integer))
# Programs' performance measures, their final figures and targets (migration 0014).
measures = _view(
    "published_measures", _c("id", sa.Integer), _c("code"), _c("program_id", sa.Integer),
    _c("name"), _c("name_es"), _c("kind"), _c("unit"), _c("per", sa.Float), _c("polarity"),
    _c("frequency"), _c("display_order", sa.Integer))
measure_observations = _view(
    "published_measure_observations", _c("id", sa.Integer), _c("measure_id", sa.Integer),
    _c("period"), _c("dimensions"), _c("value", sa.Float), _c("numerator", sa.Float),
    _c("denominator", sa.Float), _c("status"), _c("entered_at", sa.DateTime(timezone=True)))
measure_targets = _view(
    "published_measure_targets", _c("id", sa.Integer), _c("measure_id", sa.Integer),
    _c("period"), _c("dimensions"), _c("value", sa.Float))
data_versions = _view("published_data_version", _c("version", sa.Integer),
                      _c("changed_at", sa.DateTime(timezone=True)))  # 0011: changed_at

#: Every view the public site reads (what `rba db public-role` grants).
VIEW_NAMES = tuple(VIEWS.tables)
