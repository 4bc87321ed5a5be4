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
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from typing import Any

from .errors import ConfigError, Diagnostic

FORMATS = ("md", "html", "pdf")
TEMPLATES = ("brief", "report")
PAPERS = ("A4", "Letter")
PDF_VARIANTS = ("pdf/ua-1", "pdf/a-3b")
CONFIG_NAME = "scenario.toml"


def builtin_templates() -> Path:
    """The folder of the built-in templates, CSS and fonts (inside the installed package)."""
    return Path(str(resources.files("generator.templates")))


@dataclass(frozen=True)
class Settings:
    """Workspace settings, from ``scenario.toml`` and the command line."""

    root: Path
    output: Path
    formats: tuple[str, ...] = ("md", "html", "pdf")
    templates: tuple[str, ...] = TEMPLATES
    paper: str = "A4"
    organisation: str | None = None
    classification: str = "PUBLIC"
    pdf_variant: str | None = None
    jobs: int | None = None
    baseline: str | None = None  # tag pattern of the "what changed" baseline, e.g. briefing-*
    config_file: Path | None = field(default=None, compare=False)

    @property
    def template_dirs(self) -> list[Path]:
        """Where templates are looked up, first match wins."""
        own = self.root / "templates"
        dirs = [own] if own.is_dir() else []
        return [*dirs, builtin_templates()]

    def override(self, **changes: Any) -> Settings:
        """These settings with the non-``None`` ``changes`` applied."""
        return replace(self, **{k: v for k, v in changes.items() if v is not None})

    def fingerprint(self) -> dict[str, Any]:
        """The settings that shape a document's bytes (for cache keys)."""
        return {
            "paper": self.paper,
            "organisation": self.organisation,
            "classification": self.classification,
            "pdf_variant": self.pdf_variant,
            "baseline": self.baseline,
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


_SCHEMA: dict[str, tuple[type | tuple[type, ...], tuple[str, ...] | None]] = {
    "output": (str, None),
    "formats": (list, FORMATS),
    "templates": (list, None),
    "paper": (str, PAPERS),
    "organisation": (str, None),
    "classification": (str, None),
    "pdf_variant": (str, PDF_VARIANTS),
    "jobs": (int, None),
    "baseline": (str, None),
}


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

    values: dict[str, Any] = {}
    for key, value in data.items():
        if key not in _SCHEMA:
            from .validation import did_you_mean

            hint = did_you_mean(key, _SCHEMA) or f" (settings: {', '.join(_SCHEMA)})"
            raise _config_error(file, f"unknown setting '{key}'{hint}", line_of(key))
        kind, choices = _SCHEMA[key]
        if not isinstance(value, kind) or isinstance(value, bool):
            raise _config_error(file, f"setting '{key}' has the wrong type", line_of(key))
        items = value if isinstance(value, list) else [value]
        if choices and any(v not in choices for v in items):
            raise _config_error(
                file, f"setting '{key}': choose from {', '.join(choices)}", line_of(key)
            )
        values[key] = tuple(value) if isinstance(value, list) else value
    if "output" in values:
        values["output"] = (root / values["output"]).resolve()
    if values.get("jobs") is not None and values["jobs"] < 1:
        raise _config_error(file, "setting 'jobs' must be at least 1", line_of("jobs"))
    return replace(settings, config_file=file, **values)
