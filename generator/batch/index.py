"""Index phase of a build: ``OUTPUT/index.md`` and ``index.html``, every briefing with links.

Owns the rows of the index (one per valid scenario with at least one
document, sorted by id) and writing both files when their bytes change. A
broken index template (a workspace may override it) fails that file alone,
located like a document's template error. Must not render scenarios or read
the manifest from disk.
"""

from __future__ import annotations

from typing import Any

from ..errors import ScenarioError
from ..workspace import Settings
from ..write import write_if_changed
from .layout import INDEX
from .manifest import Cached, Output


def write_index(
    scenarios: dict[str, Cached], outputs: dict[str, Output], settings: Settings, last: str = ""
) -> tuple[str, dict[str, ScenarioError]]:
    """Render the index templates (workspace overrides apply) into the output folder.

    Returns the key of everything the index shows, and the error of each index
    file that could not be rendered or written (by its path; the key is then
    empty, so the next build tries again). When the key is ``last`` (what the
    previous build wrote) and both files are there, nothing is rendered.
    """
    import hashlib
    import json

    from .plan import template_files

    by_id: dict[str, list[str]] = {}
    for key in outputs:
        by_id.setdefault(key.split("/", 1)[0], []).append(key)
    rows, shown = [], []
    for summary in sorted((entry.summary for entry in scenarios.values()), key=lambda s: s.id):
        files = sorted(by_id.get(summary.id, []))
        if files:
            shown.append(summary)
            rows.append({**summary.as_dict(), "files": files})
    inputs = {
        "rows": rows,
        "classification": settings.classification,
        "templates": [template_files(settings, "index", n.rsplit(".", 1)[1]) for n in INDEX],
    }
    key = hashlib.sha256(json.dumps(inputs, sort_keys=True).encode()).hexdigest()
    if key == last and all((settings.output / name).is_file() for name in INDEX):
        return key, {}
    for row, summary in zip(rows, shown, strict=True):
        row["summary_line"] = summary.summary_line  # words derived from the counts in the key
    failed: dict[str, ScenarioError] = {}
    for name in INDEX:
        target = settings.output / name
        try:
            text = _render(name, rows, settings)
            write_if_changed(target, text.encode("utf-8"), inside=settings.output)
        except ScenarioError as exc:
            failed[str(target)] = exc
    return ("" if failed else key), failed


def _render(name: str, rows: list[dict[str, Any]], settings: Settings) -> str:
    """The text of one index file; a template's failure as a located template error."""
    from ..rendering.document import template_environment
    from ..rendering.template_errors import template_error

    env = template_environment(settings, name.rsplit(".", 1)[1])
    try:
        return env.get_template(f"{name}.j2").render(
            rows=rows, classification=settings.classification
        )
    except Exception as exc:  # located at the template line; a bug is raised as it is
        raise template_error(exc, f"{name}.j2", "the index", settings.template_dirs) from exc
