"""The `rba` command: thin commands over rba.services, each with help text and an example.

One base group (`main`); each module of this package defines its commands and this module
registers them explicitly. Other installed packages contribute commands through the
``rba.commands`` entry points (the dashboard contributes `rba serve`, so the library never
imports it): they are listed with the rest and loaded only when run or asked for help.
"""

from __future__ import annotations

from importlib.metadata import entry_points

import click

from rba.cli import curves, database, imports, open_data, people, report_card, targets
from rba.config import SETTINGS

#: The entry-point group through which other packages add commands.
PLUGINS = "rba.commands"

SETTINGS_HELP = "\b\nSettings (environment variables):\n" + "\n".join(
    f"  {s.env}: {s.help}" for s in SETTINGS.values())


class Commands(click.Group):
    """The base group: its own commands, then those of installed plugins, by name."""

    def _plugins(self) -> dict[str, object]:
        return {point.name: point for point in entry_points(group=PLUGINS)
                if point.name not in self.commands}

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted([*self.commands, *self._plugins()])

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name in self.commands:
            return self.commands[name]
        point = self._plugins().get(name)
        return None if point is None else point.load()  # type: ignore[attr-defined]


@click.group(cls=Commands, context_settings={"help_option_names": ["-h", "--help"]},
             epilog=SETTINGS_HELP)
@click.version_option(package_name="rba")
def main() -> None:
    """Results-Based Accountability tracker: results, indicators, baselines and targets.

    Example: rba db upgrade && rba demo && rba serve
    """


for module in (database, imports, curves, people, targets, open_data, report_card):
    for command in module.COMMANDS:
        main.add_command(command)
