"""CLI commands for what the public reads: the open data package (`rba publish`) and the
check that every published field has its Spanish version (`rba check translations`)."""

from __future__ import annotations

from pathlib import Path

import click

from rba.cli.common import store
from rba.services import open_data
from rba.services.translations import untranslated_fields


@click.command("publish")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
def publish(folder: Path) -> None:
    """Write the open data to FOLDER as a Frictionless Data Package: datapackage.json and
    one CSV per resource (results, indicators, dimensions, observations, targets,
    baselines), the same as /api/v1/datapackage.json serves. Only published indicators
    and final figures; small groups withheld. FOLDER is made if missing; its files of
    the same names are replaced.

    Example: rba publish site/open-data && frictionless validate site/open-data/datapackage.json
    """
    if folder.exists() and not folder.is_dir():
        raise click.ClickException(f"{folder}: not a folder")
    with store() as session:
        rows = open_data.write_package(session=session, folder=folder)
    for name, count in rows.items():
        click.echo(f"{folder / (name + '.csv')}: {count} rows")
    click.echo(f"{folder / 'datapackage.json'}: the package's descriptor")


@click.group("check")
def check() -> None:
    """Checks of the store's content before it is published.

    Example: rba check translations
    """


@check.command("translations")
def translations() -> None:
    """List every published field (names, definitions, technical definitions, sources,
    stories, program and measure names, labels) written in English without its Spanish
    version; exit code 1 when any is missing.

    Example: rba check translations
    """
    with store() as session:
        missing = untranslated_fields(session=session)
    if missing.empty:
        click.echo("every published field has its Spanish version")
        return
    for row in missing.itertuples(index=False):
        english = " ".join(str(row.english).split())
        click.echo(f"{row.kind} {row.code}: {row.field}_es missing "
                   f"(English: {english[:60]}{'...' if len(english) > 60 else ''})")
    raise click.ClickException(f"{len(missing)} published fields have no Spanish version")


COMMANDS = [publish, check]
