"""`rba report-card`: the annual report card as a self-contained HTML page or a PDF."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import click

from rba.cli.common import refused, store
from rba.services import report_card


@click.command("report-card")
@click.option("--year", type=click.IntRange(1900, 2999), required=True,
              help="The year: final figures of periods ending by 31 December of it.")
@click.option("--lang", type=click.Choice(["en", "es"]), default="en", show_default=True,
              help="The language of the report card.")
@click.option("--out", "out", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="The file to write: FILE.html (one self-contained page) or FILE.pdf.")
@click.option("--today", type=click.DateTime(["%Y-%m-%d"]), default=None,
              help="Judge overdue figures as of this date, if before the year's end "
                   "(default: today).")
def report_card_command(year: int, lang: str, out: Path, today: datetime | None) -> None:
    """The annual report card: for each of the results, its headline indicators with their
    turn-the-curve charts and verdicts, the story behind the curve, accomplishments, where
    more work is needed and the programs' "Is anyone better off?" measures; then how every
    figure is computed. Published indicators and final figures only, small groups withheld.

    Example: rba report-card --year 2024 --lang es --out report-card-2024-es.pdf
    """
    suffix = out.suffix.lower()
    if suffix not in (".html", ".pdf"):
        raise click.BadParameter(f"{out.name}: write FILE.html or FILE.pdf", param_hint="--out")
    with store() as session, refused():
        html = report_card.report_card_html_text(
            session=session, year=year, lang=lang,
            today=today.date() if today is not None else None)
    try:
        if suffix == ".html":
            out.write_text(html, encoding="utf-8")
        else:
            out.write_bytes(report_card.report_card_pdf(html))
    except OSError as exc:
        raise click.ClickException(f"cannot write {out}: {exc.strerror or exc}") from exc
    click.echo(f"wrote the {year} report card ({lang}) to {out}")


COMMANDS = [report_card_command]
