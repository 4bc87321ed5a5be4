"""Where templates come from: the workspace's ``templates/`` first, then the built-in ones.

Owns: the template loader (``builtin/NAME`` always names the built-in
template, so an override can extend what it replaces) and the file name of a
template for a format. Light on purpose (Jinja2 and the format registry only):
a no-op build reads template sources to key its documents without loading the
rest of the render stage.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

import jinja2

from ..outputs import output_format


class TemplateLoader(jinja2.FileSystemLoader):
    """Workspace templates first, then built-in; ``builtin/NAME`` always means the built-in."""

    def __init__(self, dirs: list[Path]) -> None:
        super().__init__([str(d) for d in dirs])
        self.builtin = jinja2.FileSystemLoader(str(dirs[-1]))

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        if template.startswith("builtin/"):
            return self.builtin.get_source(environment, template.removeprefix("builtin/"))
        return super().get_source(environment, template)


def template_name(template: str, fmt: str) -> str:
    """File name of a template for a format: ``brief.html.j2`` serves html and pdf."""
    return output_format(fmt).template_file(template)


@lru_cache(maxsize=8)
def source_environment(dirs: tuple[Path, ...]) -> jinja2.Environment:
    """An environment that only finds and parses templates (for their dependencies)."""
    return jinja2.Environment(loader=TemplateLoader(list(dirs)))
