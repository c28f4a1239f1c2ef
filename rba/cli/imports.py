"""CLI commands for moving data in and out: import (and undo), export, entry templates."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from rba.cli.common import Progress, refused, store
from rba.config import get_settings
from rba.services import exports, imports, words
from rba.services.exports import SHEETS_BY_NAME
from rba.services.imports import ImportPlan, InputRejected, Problem


class _ImportGroup(click.Group):
    """`rba import FILE` imports; `rba import undo BATCH` undoes an import."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("-h", "--help"):
            args = ["file", *args]
        return super().parse_args(ctx, args)


@click.group("import", cls=_ImportGroup, subcommand_metavar="FILE [--dry-run] | undo BATCH")
def import_group() -> None:
    """Import a workbook or CSV (rba import FILE), or undo an import (rba import undo BATCH).

    Example: rba import observations-2025-Q1.csv --dry-run
    """


@import_group.command("undo")
@click.argument("batch")
@click.option("--yes", is_flag=True, help="Undo without asking to confirm the preview.")
def import_undo(batch: str, yes: bool) -> None:
    """Restore every value a batch changed, as one new audited batch.

    Shows what would be restored (and anything that stops the undo) and asks to confirm.

    Example: rba import undo 20251015-101500-a1b2c3
    """
    with store() as session:
        with refused("; nothing was changed"):
            preview = imports.undo_preview(session=session, batch_id=batch)
        for line in undo_lines(preview, words.namer(session=session, codes=preview.owners)):
            click.echo(line)
        if preview.blocked:
            raise click.ClickException(f"batch {batch} cannot be undone as it stands; "
                                       "nothing was changed")
        if not yes and not click.confirm(f"undo batch {batch}?", default=False):
            click.echo("nothing was changed")
            return
        with refused("; nothing was changed"):
            new = imports.undo(session=session, batch_id=batch, actor=get_settings().actor)
    click.echo(f"undid batch {batch} as batch {new}")


def undo_lines(preview: imports.UndoPreview, namer: words.Namer) -> list[str]:
    """The undo preview as lines: each value restored (old -> new, in names and periods),
    then each value changed since and each locked period that stops it."""
    lines = [f"undoing batch {preview.batch} would:"]
    for change in preview.changes:
        what = namer.figure(change.owner, change.period or "", change.dimensions) \
            if change.owner else f"{change.sheet} {change.record}"
        fields = "; ".join(f"{field} {_cell(old)} -> {_cell(new)}"
                           for field, old, new in change.fields)
        verb = {"changed": "restore", "added": "re-add"}.get(change.action, change.action)
        lines.append(f"  {verb} {what}: {fields}")
    for r in preview.later.itertuples():
        lines.append(f"  cannot restore {namer.figure(r.owner, r.period, r.dimensions)}: "
                     f"{r.field} was changed since (this batch left {_cell(r.left)}, now "
                     f"{_cell(r.now)}); undo the later batches first, newest first")
    for r in preview.locked.itertuples():
        lines.append(f"  cannot restore {namer.figure(r.owner, r.period)}: the period is "
                     f"locked (by {r.locked_by}); an admin must unlock it first")
    return lines


def _cell(value: object) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return "(none)"
    return f"{value:g}" if isinstance(value, float) else repr(value) if isinstance(
        value, str) else str(value)


@import_group.command("file")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check and show what would change; write nothing.")
@click.option("--sheet", help="Sheet a CSV holds, when its file name does not say.")
@click.option("--encoding", help="Text encoding of a CSV (default: UTF-8, else Windows-1252).")
@click.option("--decimal-comma", is_flag=True, help="Numbers are written 1.234,5 (not 1,234.5).")
def import_(file: Path, dry_run: bool, sheet: str | None, encoding: str | None,
            decimal_comma: bool) -> None:
    """Import a workbook (.xlsx) or one sheet as CSV: all of it, or nothing if any row is bad.

    Example: rba import observations-2025-Q1.csv --dry-run
    """
    with store() as session, Progress() as progress:
        try:
            plan = imports.plan_file(session=session, path=file, sheet=sheet,
                                     encoding=encoding, decimal_comma=decimal_comma,
                                     progress=progress.step)
        except InputRejected as exc:
            progress.close()
            print_problems(exc.problems)
            sys.exit(1)
        progress.close()
        print_summary(plan, details=True)
        if plan.problems:
            print_problems(plan.problems)
            sys.exit(1)
        if dry_run:
            click.echo("dry run: nothing was written")
            return
        if not plan.has_changes:
            click.echo("nothing to change")
            return
        progress.step(f"writing {sum(p.n_added + p.n_changed for p in plan.sheets.values()):,}"
                      " records")
        with refused():
            batch = imports.apply(session=session, plan=plan, actor=get_settings().actor,
                                  description=file.name)
        progress.close()
    click.echo(f"imported as batch {batch}")


@click.command("export")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--sheet", help="Write only this sheet as CSV (e.g. observations).")
def export(file: Path, sheet: str | None) -> None:
    """Export everything as a workbook (.xlsx), or one sheet as CSV with --sheet.

    Example: rba export everything.xlsx; rba export obs.csv --sheet observations
    """
    if sheet or file.suffix.lower() == ".csv":
        name = sheet or file.stem
        if name not in SHEETS_BY_NAME:
            raise click.BadParameter(
                f"{name!r} is not a sheet; sheets: {', '.join(SHEETS_BY_NAME)}",
                param_hint="--sheet")
        with store() as session:
            rows = exports.export_sheet(session=session, path=file, sheet=name)
        click.echo(f"wrote {rows} {name} rows to {file}")
        return
    if file.suffix.lower() != ".xlsx":
        raise click.BadParameter("expected a .xlsx file, or --sheet for CSV", param_hint="FILE")
    with store() as session:
        counts = exports.export_workbook(session=session, path=file)
    click.echo(f"wrote {sum(counts.values())} rows in {len(counts)} sheets to {file}")


@click.command("template")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--period", help="Period to enter, e.g. 2025-Q3 (default: each indicator's next).")
@click.option("--team", help="Only this result team's indicators (its slug).")
@click.option("--program", help="A program's performance measures instead (its code).")
@click.option("--lang", type=click.Choice(["en", "es"]), default="en", show_default=True,
              help="Language of the headers and instructions (both import back).")
def template(file: Path, period: str | None, team: str | None, program: str | None,
             lang: str) -> None:
    """Write an entry workbook: the rows to fill in, last period's values alongside.

    Example: rba template entry-2025-Q3.xlsx --period 2025-Q3 --team healthy-students --lang es
    """
    with store() as session, refused():
        rows = exports.write_entry_template(session=session, path=file, period=period,
                                            team=team, program=program, lang=lang)
    click.echo(f"wrote {rows} rows to fill in to {file}")


def print_summary(plan: ImportPlan, details: bool = False) -> None:
    """Per sheet, how many records would be added, changed, unchanged, skipped, rejected;
    with ``details``, every addition and change."""
    header = f"{'sheet':<22}{'added':>8}{'changed':>9}{'unchanged':>11}{'skipped':>9}" \
             f"{'rejected':>10}"
    click.echo(header)
    for name, counts in plan.summary().items():
        click.echo(f"{name:<22}{counts['added']:>8}{counts['changed']:>9}"
                   f"{counts['unchanged']:>11}{counts['skipped']:>9}{counts['rejected']:>10}")
    if details:
        for line in change_lines(plan):
            click.echo(line)


def change_lines(plan: ImportPlan, limit: int = 200) -> list[str]:
    """Lines for every addition and change (rba.report.changes), the first ``limit``.

    A figure is listed with its fields ("value 45.0; status 'final'"), a new descriptive
    record by its key, a change as "field old -> new".
    """
    lines = []
    for change in imports.changes(plan, limit=limit):
        if change.action == "added" and not change.figure:
            lines.append(f"added {change.sheet} {change.record}")
        elif change.action == "added":
            lines.append(f"added {change.sheet} {change.record}: " + "; ".join(
                f"{field} {new!r}" for field, _old, new in change.fields))
        else:
            lines.append(f"changed {change.sheet} {change.record}: " + "; ".join(
                f"{field} {old!r} -> {new!r}" for field, old, new in change.fields))
    total = imports.count_changes(plan)
    if total > limit:
        lines.append(f"... and {total - limit} more changes")
    return lines


def print_problems(problems: list[Problem], limit: int = 500) -> None:
    """Every problem on its own line (the first ``limit``), on stderr."""
    click.echo(f"rejected: {len(problems)} problem(s); nothing was written", err=True)
    for problem in problems[:limit]:
        click.echo(f"  {problem}", err=True)
    if len(problems) > limit:
        click.echo(f"  ... and {len(problems) - limit} more", err=True)


COMMANDS = [import_group, export, template]
