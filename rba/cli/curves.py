"""CLI commands for the turn-the-curve figures: curve, baseline freeze, scorecard."""

from __future__ import annotations

import csv
import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

import click

from rba.cli.common import refused, store, where_pairs
from rba.config import get_settings
from rba.i18n import note_words
from rba.services import curves, scorecard
from rba.services.curves import (
    DEFAULT_METHOD,
    METHODS,
    ROW_FIELDS,
    IndicatorCurve,
    json_value,
    series_dimensions,
)
from rba.services.exports import neutral_cell

METHOD = click.Choice(METHODS)

@click.command("curve")
@click.argument("code")
@click.option("--where", "where", multiple=True, metavar="DIM=VALUE",
              help="The series of this group, e.g. city=Altadena (all student groups in "
              "Altadena; repeatable: city=Altadena --where student_group=Latino).")
@click.option("--all-levels", is_flag=True, help="With --where: the group's sub-series "
              "too (e.g. each student group within Altadena).")
@click.option("--baseline-through", help="Fit the forecast on history through this period.")
@click.option("--method", type=METHOD, help="Forecast method (default: auto, chosen per "
              "series by backtesting its history).")
@click.option("--level", type=click.FloatRange(0, 1, min_open=True, max_open=True),
              help="Prediction interval level (default 0.95).")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table",
              show_default=True)
def curve_command(code: str, where: tuple[str, ...], all_levels: bool,
                  baseline_through: str | None, method: str | None, level: float | None,
                  fmt: str) -> None:
    """An indicator's turn-the-curve figures: actuals, baseline forecast, targets, status.

    Without --baseline-through, --method or --level it uses the frozen baseline if there is
    one, else a forecast fitted now on all history (auto: the method chosen per series by
    backtesting). Every level is a series: the total, each group, each combination, given
    or rolled up from the finest figures.

    Example: rba curve chronic_absence --where city=Altadena --all-levels --format json
    """
    with store() as session, refused():
        curve = curves.indicator_curve(session=session, code=code, where=where_pairs(where),
                                       baseline_through=baseline_through, method=method,
                                       level=level, all_levels=all_levels)
    if fmt == "json":
        click.echo(json.dumps(curves.curve_document(curve), indent=2, ensure_ascii=False))
    elif fmt == "csv":
        _write_curve_csv(curve)
    else:
        _print_curve_table(curve)


def _write_curve_csv(curve: IndicatorCurve) -> None:
    dims = {s: d for s, d in zip(curve.summary["series"], series_dimensions(curve.summary),
                                 strict=True)}
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(["indicator", *curve.dimensions, "period", *ROW_FIELDS])
    for r in curve.rows.to_dict("records"):
        groups = dims.get(r["series"], {})
        writer.writerow([neutral_cell(c) for c in [
            curve.indicator, *[groups.get(d, "") for d in curve.dimensions], r["period"],
            *["" if json_value(r[f]) is None else r[f] for f in ROW_FIELDS]]])


def _print_curve_table(curve: IndicatorCurve) -> None:
    for (_, s), dims in zip(curve.summary.iterrows(), series_dimensions(curve.summary),
                            strict=True):
        name = ", ".join(f"{k}={v}" for k, v in dims.items()) or "total"
        click.echo(f"{curve.indicator} ({name}): {s['method']} baseline through "
                   f"{s['history_through']}, level {s['level']}")
        click.echo(f"  {'period':<10}{'actual':>10}{'forecast':>10}{'lower':>10}{'upper':>10}"
                   f"{'target':>10}  status")
        rows = curve.rows[curve.rows["series"] == s["series"]]
        for r in rows.to_dict("records"):
            cells = [_cell(r[f]) for f in ("actual", "forecast", "forecast_lower",
                                             "forecast_upper", "target")]
            click.echo(f"  {r['period']:<10}" + "".join(f"{c:>10}" for c in cells)
                       + f"  {r['status'] or ''}")
        trend = f"{s['trend_direction']} ({s['trend_periods']})"
        click.echo(f"  latest {s['latest_period']}: {_cell(s['latest_value'])}; trend {trend}; "
                   f"baseline change {_cell(s['baseline_pct_change'])}%; "
                   f"progress {s['progress_status']}")
        for note in note_words(s["notes"] or ()):
            click.echo(f"  note: {note}")


def _cell(value: Any) -> str:
    value = json_value(value)
    return "" if value is None else f"{value:.4g}"


@click.group("baseline")
def baseline_group() -> None:
    """Freeze the baseline forecast partners agreed, so later data is judged against it.

    Example: rba baseline freeze grad_rate --through 2022-23
    """


def candidates_text(frame: Any, code: str, through: str) -> str:
    """The candidate methods side by side: one line per series, backtest MASE per method,
    auto's choice marked with *, and the flags a team should look at."""
    methods = list(dict.fromkeys(frame["method"]))
    lines = [f"{code}, history through {through}: backtest MASE per method (lower is better;"
             " * auto's choice; ! the forecast reaches 0 or 100)"]
    header = ["series", *methods, "flags"]
    table = []
    flags_of = curves.candidate_flags(frame)
    for dims, rows in frame.groupby("dimensions", sort=False):
        cells = [str(dims)]
        for method in methods:
            r = rows[rows["method"] == method].iloc[0]
            mase = "-" if r["backtest_mase"] != r["backtest_mase"] else f"{r['backtest_mase']:.2f}"
            cells.append(mase + ("*" if r["chosen"] else "") + ("!" if r["reaches_bound"] else ""))
        flags = []
        if flags_of.loc[dims, "shock"]:
            flags.append("history ends in an unusual shock")
        if flags_of.loc[dims, "reaches_bound"]:
            flags.append("auto's forecast reaches a bound")
        cells.append("; ".join(flags))
        table.append(cells)
    widths = [max(len(str(row[i])) for row in [header, *table]) for i in range(len(header))]
    for row in [header, *table]:
        lines.append("  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
    if any(r[-1] for r in table):
        lines.append("flagged series: look at them before agreeing; say why in --note")
    return "\n".join(lines)


@baseline_group.command("candidates")
@click.argument("code")
@click.option("--where", "where", multiple=True, metavar="DIM=VALUE",
              help="Only series with this group (repeatable); default: every series.")
@click.option("--through", required=True, help="Last period of history the forecast uses.")
def baseline_candidates(code: str, where: tuple[str, ...], through: str) -> None:
    """Compare the forecast methods on each series' history before agreeing a baseline
    (stores nothing).

    Example: rba baseline candidates youth_program_enroll --through 2020-Q4
    """
    with store() as session, refused():
        frame = curves.baseline_candidates(session=session, code=code, through=through,
                                           where=where_pairs(where))
    click.echo(candidates_text(frame, code, through))


@baseline_group.command("freeze")
@click.argument("code")
@click.option("--where", "where", multiple=True, metavar="DIM=VALUE",
              help="Only series with this group (repeatable); default: every series.")
@click.option("--through", required=True, help="Last period of history the forecast uses.")
@click.option("--method", type=METHOD, default=DEFAULT_METHOD, show_default=True,
              help="Forecast method; auto chooses per series by backtesting its history.")
@click.option("--level", type=click.FloatRange(0, 1, min_open=True, max_open=True),
              default=0.95, show_default=True)
@click.option("--note", help="Why this baseline was agreed (kept with it).")
def baseline_freeze(code: str, where: tuple[str, ...], through: str, method: str,
                    level: float, note: str | None) -> None:
    """Store the forecast from history through a period as the agreed (frozen) baseline.

    Example: rba baseline freeze chronic_absence --through 2021-22 --method linear
    """
    with store() as session, refused():
        shown = curves.baseline_candidates(session=session, code=code, through=through,
                                           where=where_pairs(where))
        click.echo(candidates_text(shown, code, through))
        frozen = curves.freeze_baseline(session=session, code=code, where=where_pairs(where),
                                        candidates=shown,
                                        through=through, method=method, level=level,
                                        actor=get_settings().actor, note=note)
    click.echo(f"froze {frozen} baseline(s) of {code} through {through} ({method}, "
               f"level {level})")


@click.command("scorecard")
@click.option("--format", "fmt", type=click.Choice(["csv", "json"]), default="csv",
              show_default=True)
@click.option("--out", "out", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to this file instead of the terminal.")
@click.option("--today", type=click.DateTime(["%Y-%m-%d"]), help="Judge freshness as of this "
              "date (default: today).")
@click.option("--lag-days", default=120, show_default=True,
              help="Days after a period ends before its figure is overdue.")
def scorecard_command(fmt: str, out: Path | None, today: Any, lag_days: int) -> None:
    """Every series of every indicator: latest value, trend, baseline change, targets, progress.

    Example: rba scorecard --format json --out scorecard.json
    """
    as_of = today.date() if today else date.today()
    with store() as session:
        frame = scorecard.scorecard(session=session, today=as_of, lag_days=lag_days)
    if fmt == "json":
        text = json.dumps(scorecard.scorecard_records(frame), indent=2,
                          ensure_ascii=False) + "\n"
    else:
        text = scorecard.scorecard_csv(frame)
    if out:
        out.write_text(text, encoding="utf-8")
    else:
        click.echo(text, nl=False)
    if out:
        click.echo(f"wrote {len(frame)} series to {out}")


COMMANDS = [curve_command, baseline_group, scorecard_command]
