"""scenario: validate frontier-AI policy scenarios and render them into briefings.

The library API, which the ``scenario`` command is a thin layer over:

- :func:`load` reads and validates one file: ``(Scenario | None, diagnostics)``;
- :func:`validate` validates files and folders, ids unique across files;
- :func:`render` turns one valid scenario into a brief or report (md, html, pdf);
- :func:`build` renders a whole workspace, incrementally and in parallel;
- :func:`diff` compares two revisions of a scenario: changes and their consequences.

Heavy modules (WeasyPrint) are imported only when a PDF is rendered.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._version import __version__
from .errors import Diagnostic, ScenarioError

__all__ = [
    "Diagnostic",
    "ScenarioError",
    "__version__",
    "build",
    "diff",
    "load",
    "render",
    "validate",
]


if TYPE_CHECKING:  # pragma: no cover
    from .batch import build
    from .format.validation import load, validate
    from .pipeline import render
    from .versions.diff import diff


def __getattr__(name: str) -> Any:
    # Imported on first use, so that `scenario --help` loads neither pydantic nor WeasyPrint.
    if name in ("load", "validate"):
        from .format import validation

        return getattr(validation, name)
    if name == "render":
        from .pipeline import render

        return render
    if name == "build":
        from .batch import build

        return build
    if name == "diff":
        from .versions.diff import diff

        return diff
    raise AttributeError(f"module 'generator' has no attribute {name!r}")
