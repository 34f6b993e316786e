"""The ``kadstudy`` command line.

Sub-command groups live in their own modules and are imported only when used,
so ``kadstudy --help`` stays fast (no pandas, matplotlib or statsmodels).
"""

from __future__ import annotations

import importlib
import sys

import click

from kadstudy import __version__
from kadstudy.errors import KadError

# name -> (module, attribute of a click command or group, one-line help)
SUBCOMMANDS: dict[str, tuple[str, str, str]] = {
    "run": ("kadstudy.cli.pipeline", "run_cmd", "Build every analysis that is out of date, and its report."),
    "status": ("kadstudy.cli.pipeline", "status_cmd", "Which targets are stale, and why."),
    "list": ("kadstudy.cli.pipeline", "list_cmd", "The analyses declared in analyses/*.yaml."),
    "clean": ("kadstudy.cli.pipeline", "clean_cmd", "Remove generated reports and build state."),
    "data": ("kadstudy.cli.data", "cli", "Coded case datasets: validate, build, show, add-case, agreement."),
    "qca": ("kadstudy.cli.qca", "cli",
            "QCA on a CSV: calibrate, truth-table, minimize, necessity, super-subset."),
    "reproduce": ("kadstudy.cli.reproduce", "cli", "Rebuild published tables and compare them cell by cell."),
    "survey": ("kadstudy.cli.survey", "cli", "Trust and social-capital survey: validate, scales, aggregate."),
}


class LazyGroup(click.Group):
    """A click group whose sub-commands are imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(SUBCOMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in SUBCOMMANDS:
            return None
        module_name, attr, _ = SUBCOMMANDS[cmd_name]
        return getattr(importlib.import_module(module_name), attr)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, SUBCOMMANDS[name][2]) for name in self.list_commands(ctx)]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kadstudy")
def cli() -> None:
    """kadstudy: comparative case analysis of inter-regional cooperation (KAD)."""


def main(argv: list[str] | None = None) -> None:
    """Console entry point: user errors become one line on stderr and exit code 2."""
    try:
        code = cli.main(args=argv, prog_name="kadstudy", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(1)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except KadError as exc:
        for line in str(exc).splitlines():
            click.echo(f"error: {line}", err=True)
        sys.exit(exc.exit_code)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    # In non-standalone mode click returns the code of a ctx.exit()/Exit instead of raising.
    if isinstance(code, int) and code:
        sys.exit(code)
