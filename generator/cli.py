"""The ``scenario`` command: a thin layer over the library API.

Owns: options, output streams and exit codes (0 success, 1 invalid input or a
failed render, 2 usage error). Heavy imports happen inside the command that
needs them so that ``scenario --help`` stays instant. Must not hold logic the
library API lacks.
"""

from __future__ import annotations

import json
import sys
import traceback
from pathlib import Path
from typing import Any

import click

from . import __version__
from .errors import ScenarioError

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


class _Group(click.Group):
    """Prints a :class:`ScenarioError` once and exits 1; shows bugs' tracebacks only with --debug."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ScenarioError as exc:
            click.echo(str(exc), err=True)
            sys.exit(1)
        except (click.exceptions.Exit, click.ClickException, click.Abort, SystemExit):
            raise
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            sys.exit(130)
        except Exception as exc:  # a bug: say so plainly, details on request
            if ctx.meta.get("debug"):
                traceback.print_exc()
            else:
                click.echo(f"internal error: {type(exc).__name__}: {exc}\n"
                           "run again with --debug for a traceback and report it", err=True)
            sys.exit(1)


@click.group(cls=_Group, context_settings=CONTEXT)
@click.version_option(__version__, "-V", "--version", prog_name="scenario")
@click.option("--debug", is_flag=True, help="Show a Python traceback when the tool fails.")
@click.pass_context
def main(ctx: click.Context, debug: bool) -> None:
    """Validate frontier-AI policy scenarios and render them into briefings.

    Scenarios are YAML files (format version 1). Run `scenario validate` to check
    them, `scenario render FILE` for one document, `scenario build` for all.
    """
    ctx.meta["debug"] = debug


def _default_paths(paths: tuple[str, ...]) -> list[str]:
    if paths:
        return list(paths)
    if Path("scenarios").is_dir():
        return ["scenarios"]
    raise click.UsageError("no PATH given and no scenarios/ folder here")


@main.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option("--format", "fmt", type=click.Choice(["human", "json", "github"]),
              default="human", show_default=True, help="How to print the diagnostics.")
def validate(paths: tuple[str, ...], strict: bool, fmt: str) -> None:
    """Check scenario files; folders are searched for *.yaml and *.yml.

    Every problem is reported, located as file:line:col. Exit code 0 when
    valid, 1 when any file has errors (or warnings, with --strict).
    """
    from .report import format_diagnostics, strictly
    from .validate import scenario_files
    from .validate import validate as run_validate

    targets = _default_paths(paths)
    files = scenario_files(targets)
    if not files:
        raise click.UsageError(f"no *.yaml or *.yml files in {', '.join(targets)}")
    _, diagnostics = run_validate(targets)
    diagnostics = strictly(diagnostics, strict)
    text = format_diagnostics(diagnostics, fmt, len(files))
    if text:
        click.echo(text)
    if any(d.severity == "error" for d in diagnostics):
        sys.exit(1)


@main.command()
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True),
              help="Write the schema to this file instead of standard output.")
def schema(output: str | None) -> None:
    """Print the JSON Schema (draft 2020-12) of the scenario format, for editors."""
    from .model import json_schema

    text = json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"
    if output:
        from .write import write_atomic

        write_atomic(Path(output), text.encode("utf-8"))
    else:
        click.echo(text, nl=False)
