"""The ``scenario`` command: a thin layer over the library API.

Owns: options, output streams and exit codes (0 success, 1 invalid input or a
failed render, 2 usage error). Heavy imports happen inside the command that
needs them so that ``scenario --help`` stays instant. Must not hold logic the
library API lacks.
"""

from __future__ import annotations

import json
import os
import sys
import traceback
from pathlib import Path
from typing import Any

import click

from . import cli_versions
from ._version import __version__
from .diagnostics import FORMATS as DIAGNOSTIC_FORMATS
from .errors import OutputError, ScenarioError
from .escaping import json_text, show_controls
from .outputs import FORMATS, PAPERS, PDF_VARIANTS, output_format

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


class _Group(click.Group):
    """Prints a :class:`ScenarioError` once and exits 1; a bug's traceback only with --debug."""

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
                click.echo(
                    f"internal error: {type(exc).__name__}: {show_controls(str(exc))}\n"
                    "run again with --debug for a traceback and report it",
                    err=True,
                )
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


def _default_paths(paths: tuple[str, ...], absolute: bool = False) -> list[str]:
    """``paths``, or the workspace's scenarios/ folder (see workspace.default_scenarios),
    relative to the current folder unless ``absolute``."""
    if paths:
        return list(paths)
    from .workspace import NoScenarios, default_scenarios

    try:
        found = default_scenarios()
        return [str(found) if absolute else os.path.relpath(found)]
    except NoScenarios as exc:
        raise click.UsageError(str(exc)) from None


def _render_format(fmt: str | None, output: str | None) -> str:
    """The format ``render`` writes: ``-f``, else the ``-o`` file's extension, else pdf.

    A ``-f`` that contradicts a known extension (``-f pdf -o brief.md``) is a
    mistake, not a choice: a PDF under a ``.md`` name misleads every program
    that opens it.
    """
    by_extension = {output_format(f).extension: f for f in FORMATS}
    suffix = Path(output).suffix.lower().lstrip(".") if output and output != "-" else ""
    named = by_extension.get(suffix)
    if fmt is None:
        return named or "pdf"
    if named is not None and named != fmt:
        raise OutputError.at(
            str(output),
            f"cannot write: -f {fmt} makes a {fmt} document but the file name ends in "
            f".{suffix}; drop -f or name the file *.{output_format(fmt).extension}",
        )
    return fmt


@main.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--strict", is_flag=True, help="Fail on warnings too (they stay warnings).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(DIAGNOSTIC_FORMATS),
    default="human",
    show_default=True,
    help="How to print the diagnostics.",
)
def validate(paths: tuple[str, ...], strict: bool, fmt: str) -> None:
    """Check scenario files; folders are searched for *.yaml and *.yml.

    Every problem is reported, located as file:line:col. Exit code 0 when
    valid, 1 when any file has errors (or warnings, with --strict).
    """
    from .diagnostics import fails, format_diagnostics
    from .format.validation import scenario_files
    from .format.validation import validate as run_validate

    targets = _default_paths(paths)
    files = scenario_files(targets)
    if not files:
        raise click.UsageError(f"no *.yaml or *.yml files in {', '.join(targets)}")
    _, diagnostics = run_validate(files)
    text = format_diagnostics(diagnostics, fmt, len(files), strict)
    if text:
        click.echo(text)
    if fails(diagnostics, strict):
        sys.exit(1)


@main.command()
@click.argument("file", type=click.Path(dir_okay=False))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["human", "json"]),
    default="human",
    show_default=True,
    help="How to print the facts.",
)
def status(file: str, fmt: str) -> None:
    """Print what the analysis computed as of the scenario's date.

    Each threshold's status with the evidence that decides it, and each
    mechanism's state: the same facts the documents print. The JSON shape is
    documented in docs/FORMAT.md. Exit 1 when the scenario has errors.
    """
    from .analysis.analyse import analyse
    from .format.validation import load_valid

    analysis = analyse(load_valid(file))
    if fmt == "json":
        click.echo(json_text(analysis.as_dict(), indent=2))
    else:
        click.echo(show_controls(analysis.as_text()))


@main.command()
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, writable=True, allow_dash=True),
    help="Write the schema to this file instead of standard output (- also means it).",
)
@click.option("--markdown", is_flag=True, help="Print the format reference in Markdown instead.")
def schema(output: str | None, markdown: bool) -> None:
    """Print the JSON Schema (draft 2020-12) of the scenario format, for editors."""
    if markdown:
        from .format.reference import format_reference

        text = format_reference() + "\n"
    else:
        from .format.model import json_schema

        text = json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"
    if output and output != "-":
        from .write import write_atomic

        write_atomic(Path(output), text.encode("utf-8"))
    else:
        click.echo(text, nl=False)


@main.command()
@click.argument("file", type=click.Path(dir_okay=False))
@click.option(
    "-t",
    "--template",
    default="brief",
    show_default=True,
    help="Template: brief, report, or one of the workspace's own.",
)
@click.option(
    "-f",
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    help="Output format (default: from the -o file's extension, else pdf).",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, allow_dash=True),
    help="Output file, - for standard output (default: output/ID/TEMPLATE.FORMAT).",
)
@click.option("--paper", type=click.Choice(PAPERS), help="Paper size (PDF).")
@click.option(
    "--pdf-variant",
    type=click.Choice(PDF_VARIANTS),
    help="Produce an accessible (PDF/UA-1) or archival (PDF/A-3b) PDF.",
)
@click.option("--since", metavar="REV", help='Baseline of the "what changed" section.')
def render(
    file: str,
    template: str,
    fmt: str,
    output: str | None,
    paper: str | None,
    pdf_variant: str | None,
    since: str | None,
) -> None:
    """Render one scenario FILE into a document.

    An invalid scenario prints its located errors, exits 1 and writes nothing.
    """
    from . import pipeline
    from .batch.layout import output_path
    from .prepared import prepare_file
    from .workspace import builtin_templates, find_root, load_settings
    from .write import write_document

    fmt = _render_format(fmt, output)
    settings = load_settings(find_root()).override(paper=paper, pdf_variant=pdf_variant)
    prepared = prepare_file(Path(file), settings.baseline, since)
    scenario = prepared.scenario
    if output_format(fmt).fonts:  # characters no font has would be empty boxes: say which
        from .coverage import font_warnings

        for warning in font_warnings(scenario, file, builtin_templates() / "fonts"):
            click.echo(str(warning), err=True)
    drawn = pipeline.rendered(prepared, settings, template, fmt)
    if output == "-":  # the document itself on standard output (bytes, for a PDF too)
        if drawn.attachments:  # nowhere to put them: the document says what they show
            n = len(drawn.attachments)
            click.echo(
                f"note: {n} attachment{'s' if n > 1 else ''} not written to standard output; "
                f"the document gives {'their' if n > 1 else 'its'} text instead",
                err=True,
            )
        stream = sys.stdout.buffer
        stream.write(drawn.unlinked())
        stream.flush()
        return
    target = Path(output) if output else output_path(settings.output, scenario.id, template, fmt)
    write_document(target, drawn, template)
    click.echo(show_controls(f"wrote {target}"))


@main.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    help="Worker processes for PDFs (default: the machine's cores).",
)
@click.option("--force", is_flag=True, help="Rebuild every output, changed or not.")
@click.option("--fail-fast", is_flag=True, help="Stop at the first failure.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar and no summary.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["human", "json"]),
    default="human",
    show_default=True,
    help="How to print the summary.",
)
@click.option(
    "--executor",
    type=click.Choice(["local", "dask"]),
    default="local",
    show_default=True,
    help="Render PDFs locally or on a Dask cluster.",
)
@click.option(
    "--scheduler", metavar="ADDRESS", help="Dask scheduler address (with --executor dask)."
)
@click.option(
    "-o",
    "--output",
    type=click.Path(file_okay=False),
    help="Output folder (default: output/ in the workspace).",
)
@click.option("--since", metavar="REV", help='Baseline of the "what changed" sections.')
def build(
    paths: tuple[str, ...],
    jobs: int | None,
    force: bool,
    fail_fast: bool,
    quiet: bool,
    fmt: str,
    executor: str,
    scheduler: str | None,
    output: str | None,
    since: str | None,
) -> None:
    """Render every scenario x template x format into the output folder.

    Incremental (unchanged outputs are skipped), parallel, and crash-safe.
    PATHS default to the workspace's scenarios/ folder. Exit 1 if anything failed.
    """
    from .batch import BuildResult, Interrupted
    from .batch import build as run_build
    from .workspace import find_root, load_settings

    try:
        settings = load_settings(find_root())
    except ScenarioError as exc:  # a malformed scenario.toml: no build at all
        if fmt != "json":
            raise
        failed = BuildResult()
        failed.report(exc.located("scenario.toml"))
        click.echo(json.dumps(failed.as_dict(), indent=2))
        sys.exit(1)
    paths = tuple(_default_paths(paths, absolute=True))
    if output:
        settings = settings.override(output=Path(output).resolve())
    if executor == "dask" and not scheduler:
        raise click.UsageError("--executor dask needs --scheduler ADDRESS")
    show_bar = not quiet and fmt == "human" and sys.stderr.isatty()
    bar: Any = None

    def progress(done: int, total: int) -> None:
        nonlocal bar
        if not show_bar:
            return
        if bar is None:
            bar = click.progressbar(length=total, label="rendering", file=sys.stderr, show_pos=True)
            bar.__enter__()
        bar.update(1)

    try:
        result = run_build(
            list(paths) or None,
            settings=settings,
            jobs=jobs or settings.jobs,
            force=force,
            fail_fast=fail_fast,
            executor=executor,
            scheduler=scheduler,
            progress=progress,
            since=since,
        )
    except Interrupted as stop:  # workers stopped, finished outputs and manifest kept
        if bar is not None:
            bar.__exit__(None, None, None)
            bar = None
        click.echo(str(stop), err=True)
        sys.exit(stop.exit_code)
    except ScenarioError as exc:  # no build at all: another holds the lock, an unknown --since
        if fmt != "json":
            raise
        result = BuildResult()
        result.report(exc.located(str(settings.output)))
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)
    if fmt == "json":
        click.echo(json.dumps(result.as_dict(), indent=2))
    elif not quiet or not result.ok:
        for diagnostic in result.diagnostics:  # each once, however many outputs it failed
            click.echo(str(diagnostic), err=True)
        click.echo(
            f"built {len(result.built)}, skipped {len(result.skipped)}, "
            f"failed {len(result.failed)}, removed {len(result.removed)} "
            + show_controls(f"in {result.seconds:.1f} s → {settings.output}")
        )
    if not result.ok:
        sys.exit(1)


main.add_command(cli_versions.diff)
main.add_command(cli_versions.textconv)
