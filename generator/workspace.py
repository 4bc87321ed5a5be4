"""A workspace: its root, its optional ``scenario.toml`` and where templates come from.

Owns: finding the workspace root, reading and checking the settings, and the
template search path (the workspace's ``templates/`` first, then the built-in
ones). Command-line options override settings; that merge happens here too.
Must not render or build anything.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from importlib import resources
from pathlib import Path
from typing import Any, get_args

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .errors import ConfigError, Diagnostic, did_you_mean
from .outputs import FORMATS, Format, Paper, PdfVariant

TEMPLATES = ("brief", "report")
CONFIG_NAME = "scenario.toml"


def builtin_templates() -> Path:
    """The folder of the built-in templates, CSS and fonts (inside the installed package)."""
    return Path(str(resources.files("generator.templates")))


AROUND: dict[str, Any] = {"json_schema_extra": {"shapes_documents": False}}
"""Marks a setting that does not change a document's bytes (see ``Settings.fingerprint``)."""


class FileSettings(BaseModel):
    """The keys of ``scenario.toml``: each one's type, allowed values and meaning, declared once."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    # A setting marked ``AROUND`` decides which documents are made, where, or how fast,
    # not what they say; every other setting shapes documents and is in their keys.
    output: str = Field(
        "output", description="Where builds go, relative to the workspace.", **AROUND
    )
    formats: tuple[Format, ...] = Field(
        FORMATS, description="Formats that builds produce.", **AROUND
    )
    templates: tuple[str, ...] = Field(
        TEMPLATES, description="Templates that builds render.", **AROUND
    )
    paper: Paper = Field("A4", description="Paper size of PDFs.")
    organisation: str | None = Field(None, description="Organisation printed on documents.")
    classification: str = Field("PUBLIC", description="Default marking on every page.")
    pdf_variant: PdfVariant | None = Field(None, description="PDF/UA-1 or PDF/A-3b.")
    jobs: int | None = Field(
        None, ge=1, description="Parallel PDF workers (default: cores).", **AROUND
    )
    baseline: str | None = Field(
        None,
        description='Tag pattern of the "what changed" baseline, e.g. briefing-*.',
        **AROUND,  # a document's key holds the baseline's bytes, not the pattern that found it
    )
    changelog_commits: bool = Field(
        False,
        description="List the file's commits, with their subjects, in the report's changelog "
        "annex (by default it lists the scenario's own changelog entries, each with the "
        "revision that first had it).",
    )


class Settings(FileSettings):
    """Workspace settings, from ``scenario.toml`` and the command line."""

    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True)

    root: Path
    output: Path  # type: ignore[assignment]  # resolved against the root
    config_file: Path | None = Field(None, exclude=True)

    @property
    def template_dirs(self) -> list[Path]:
        """Where templates are looked up, first match wins."""
        own = self.root / "templates"
        dirs = [own] if own.is_dir() else []
        return [*dirs, builtin_templates()]

    def override(self, **changes: Any) -> Settings:
        """These settings with the non-``None`` ``changes`` applied."""
        return self.model_copy(update={k: v for k, v in changes.items() if v is not None})

    def fingerprint(self) -> dict[str, Any]:
        """The settings that shape a document's bytes (for cache keys): every setting of
        ``scenario.toml`` not marked ``AROUND``, so a new setting is keyed unless declared not
        to be."""
        return {
            name: getattr(self, name)
            for name, info in FileSettings.model_fields.items()
            if (info.json_schema_extra or {}).get("shapes_documents", True)  # type: ignore[union-attr]
        }


def scenario_files(paths: Iterable[str | Path]) -> list[Path]:
    """The YAML files named by ``paths``; folders are searched recursively (hidden ones skipped)."""
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = [
                p
                for p in path.rglob("*")
                if p.suffix in (".yaml", ".yml")
                and p.is_file()
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            ]
            files.extend(sorted(found))
        else:
            files.append(path)
    return list(dict.fromkeys(files))


def find_root(start: Path | None = None) -> Path:
    """The nearest folder at or above ``start`` with a ``scenario.toml``, else ``start``."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / CONFIG_NAME).is_file():
            return folder
    return here


def default_scenarios(start: Path | None = None) -> Path:
    """The ``scenarios/`` folder a command uses when given no PATH.

    The one rule for every command: the ``scenarios/`` folder of the workspace
    root (the nearest folder at or above ``start`` with a ``scenario.toml``),
    else of ``start`` itself, else of the git repository's root. Raises
    :class:`NoScenarios` (naming the workspace root) when none exists.
    """
    here = (start or Path.cwd()).resolve()
    root = find_root(here)
    candidates = [root / "scenarios", here / "scenarios"]
    found = next((c for c in candidates if c.is_dir()), None)
    if found is None:
        from .versions.git import find_repo

        repo = find_repo(here)
        if repo is not None and (repo.root / "scenarios").is_dir():
            found = repo.root / "scenarios"
    if found is None:
        raise NoScenarios(f"no PATH given and no scenarios/ folder in {root}")
    return found


class NoScenarios(Exception):
    """No PATH was given and the workspace has no ``scenarios/`` folder (a usage error)."""


def _config_error(file: Path, message: str, line: int = 1, col: int = 1) -> ConfigError:
    diag = Diagnostic(str(file), line, col, "error", "config", message)
    return ConfigError(str(diag), [diag])


def load_settings(root: Path | None = None) -> Settings:
    """Read ``scenario.toml`` at the workspace root (if any) into :class:`Settings`."""
    root = (root or find_root()).resolve()
    file = root / CONFIG_NAME
    settings = Settings(root=root, output=root / "output")
    if not file.is_file():
        return settings
    try:
        data = tomllib.loads(file.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        line, col = (int(found[1]), int(found[2])) if found else (1, 1)
        message = str(exc).split(" (at ")[0]
        raise _config_error(file, f"invalid TOML: {message}", line, col) from exc
    except UnicodeDecodeError as exc:
        raise _config_error(file, "file is not valid UTF-8") from exc
    lines = file.read_text(encoding="utf-8").splitlines()

    def line_of(key: str) -> int:
        pattern = re.compile(rf"^\s*{re.escape(key)}\s*=")
        return next((n for n, text in enumerate(lines, 1) if pattern.match(text)), 1)

    for key in data:
        if key not in FileSettings.model_fields:
            known = list(FileSettings.model_fields)
            hint = did_you_mean(key, known) or f" (settings: {', '.join(known)})"
            raise _config_error(file, f"unknown setting '{key}'{hint}", line_of(key))
    values = {k: tuple(v) if isinstance(v, list) else v for k, v in data.items()}
    try:
        checked = FileSettings.model_validate(values)
    except ValidationError as exc:
        err = exc.errors(include_url=False)[0]
        key = str(err["loc"][0])
        raise _config_error(file, _setting_problem(key, err), line_of(key)) from None
    chosen = checked.model_dump(include=set(data))
    if "output" in chosen:
        chosen["output"] = (root / chosen["output"]).resolve()
    return settings.model_copy(update={"config_file": file, **chosen})


def _setting_problem(key: str, err: Any) -> str:
    """The message for one bad value in ``scenario.toml``."""
    if err["type"] == "literal_error":
        choices = get_args(FileSettings.model_fields[key].annotation)
        while choices and get_args(choices[0]):  # tuple[Literal[...], ...] or Literal | None
            choices = get_args(choices[0])
        shown = [c for c in choices if isinstance(c, str)]
        return f"setting '{key}': choose from {', '.join(shown)}"
    if err["type"] == "greater_than_equal":
        return f"setting '{key}' must be at least {err['ctx']['ge']}"
    return f"setting '{key}' has the wrong type"
