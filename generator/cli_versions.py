"""The ``scenario diff`` and ``scenario textconv`` commands: thin layers over ``versions``.

Owns: their options, output streams and exit codes (``diff --exit-code``: 1
when anything changed in meaning, as in ``git diff``). Added to the main
group by ``cli``. Imports nothing heavy: never WeasyPrint, and git only when run.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from .errors import LoadError
from .escaping import show_controls


def _is_file_spec(arg: str) -> bool:
    """A file, or ``REV:PATH`` (git show syntax), rather than a folder of scenarios."""
    path = Path(arg)
    return not path.is_dir() and (path.exists() or ":" in arg or arg.endswith((".yaml", ".yml")))


@click.command("diff")
@click.argument("args", nargs=-1, metavar="[OLD NEW | PATH...]")
@click.option("--rev", metavar="A[..B]", help="Compare commit A with B, or A with the tree.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["human", "md", "json"]),
    default="human",
    show_default=True,
    help="human (coloured on a terminal), md (GitHub tables) or json (docs/DIFF.md).",
)
@click.option("--exit-code", is_flag=True, help="Exit 1 when there is any semantic change.")
@click.option("--stat", is_flag=True, help="One line per scenario.")
def diff(args: tuple[str, ...], rev: str | None, fmt: str, exit_code: bool, stat: bool) -> None:
    """Show what changed in meaning between two revisions of scenarios.

    \b
    scenario diff OLD NEW              two files; either may be REV:PATH
    scenario diff [PATH...] --rev A..B every scenario under PATH, commit A to B
    scenario diff [PATH...] --rev A    commit A to the working tree
    scenario diff [PATH...]            HEAD to the working tree

    Formatting (order, quoting, comments, re-wrapped text) is never a change.
    """
    from .versions import show
    from .versions.diff import diff as diff_two
    from .versions.tree import diff_tree

    if rev is not None and not rev.strip(". "):
        raise click.UsageError("--rev needs a revision, e.g. --rev main or --rev v1..v2")
    if rev is None and len(args) == 2 and all(_is_file_spec(a) for a in args):
        for arg in args:
            if ":" not in arg and not Path(arg).is_file():
                raise LoadError(f"{arg}: error: no such file")
        results = [diff_two(args[0], args[1])]
    else:
        results = diff_tree(list(args) or _default_paths(), rev)
    if stat:
        text = show.stat(results)
    elif fmt == "json":
        text = show.as_json(results)
    elif fmt == "md":
        text = show.markdown(results)
    else:
        colour = sys.stdout.isatty() and not os.environ.get("NO_COLOR")
        text = show.human(results, colour)
    click.echo(text, color=True)
    if exit_code and any(d.semantic for d in results):
        sys.exit(1)


def _default_paths() -> list[str]:
    """The workspace's scenarios/ folder (see workspace.default_scenarios)."""
    from .workspace import NoScenarios, default_scenarios

    try:
        return [os.path.relpath(default_scenarios())]
    except NoScenarios as exc:
        if _in_bare_repository():  # no folders to look in: every scenario file it holds
            return ["."]
        raise click.UsageError(str(exc)) from None


def _in_bare_repository() -> bool:
    from .errors import GitError
    from .versions.git import Repo

    try:
        with Repo() as repo:
            return repo.bare
    except GitError:
        return False


@click.command()
@click.argument("file", type=click.Path(dir_okay=False))
def textconv(file: str) -> None:
    """Print FILE as canonical text, for git's diff driver (see the README).

    One fact per line, entities sorted by identity, stable numbers: with
    `*.yaml diff=scenario` in .gitattributes, `git diff` shows changes of meaning only.
    """
    from .versions import sides
    from .versions.textconv import textconv as canonical_text

    side = sides.from_file(file)
    if side.data is None:
        raise LoadError(str(side.diagnostics[0]))
    click.echo(show_controls(canonical_text(side)), nl=False)  # git shows it on a terminal
