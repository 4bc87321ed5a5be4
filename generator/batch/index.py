"""Index phase of a build: ``OUTPUT/index.md`` and ``index.html``, every briefing with links.

Owns the rows of the index (one per valid scenario with at least one
document, sorted by id) and writing both files when their bytes change.
Must not render scenarios or read the manifest from disk.
"""

from __future__ import annotations

from ..workspace import Settings
from ..write import write_if_changed
from .layout import INDEX
from .manifest import Cached, Output


def write_index(
    scenarios: dict[str, Cached], outputs: dict[str, Output], settings: Settings
) -> None:
    """Render the index templates (workspace overrides apply) into the output folder."""
    from ..rendering.document import template_environment

    rows = []
    for summary in sorted((entry.summary for entry in scenarios.values()), key=lambda s: s.id):
        files = sorted(key for key in outputs if key.startswith(f"{summary.id}/"))
        if files:
            rows.append({**summary.as_dict(), "summary_line": summary.summary_line, "files": files})
    for name in INDEX:
        fmt = name.rsplit(".", 1)[1]
        env = template_environment(settings, fmt)
        text = env.get_template(f"{name}.j2").render(
            rows=rows, classification=settings.classification
        )
        write_if_changed(settings.output / name, text.encode("utf-8"), inside=settings.output)
