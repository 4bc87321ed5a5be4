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
    scenarios: dict[str, Cached], outputs: dict[str, Output], settings: Settings, last: str = ""
) -> str:
    """Render the index templates (workspace overrides apply) into the output folder.

    Returns the key of everything the index shows; when it is ``last`` (what the
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
        return key
    from ..rendering.document import template_environment

    for row, summary in zip(rows, shown, strict=True):
        row["summary_line"] = summary.summary_line  # words derived from the counts in the key
    for name in INDEX:
        fmt = name.rsplit(".", 1)[1]
        env = template_environment(settings, fmt)
        text = env.get_template(f"{name}.j2").render(
            rows=rows, classification=settings.classification
        )
        write_if_changed(settings.output / name, text.encode("utf-8"), inside=settings.output)
    return key
