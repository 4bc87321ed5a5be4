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
    for entry in sorted(scenarios.values(), key=lambda e: e.summary.id):
        summary = entry.summary
        files = sorted(by_id.get(summary.id, []))
        if files:
            shown.append(summary)
            news = entry.git.news if entry.git and entry.git.baseline else None
            changed = news.as_dict() if news else None
            rows.append({**summary.as_dict(), "files": files, "changed": changed})
    cover = pack(rows)
    inputs = {
        "rows": rows,
        "pack": cover,
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
            text = _render(name, rows, cover, settings)
            write_if_changed(target, text.encode("utf-8"), inside=settings.output)
        except ScenarioError as exc:
            failed[str(target)] = exc
    return ("" if failed else key), failed


def pack(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """What the top of a pack's cover says: its date (the latest as-of date of its
    scenarios; nothing here reads the clock), how many scenarios it holds, how many of those
    changed since their baselines and how many have no baseline to compare with."""
    from ..format.model import date_bounds

    dates = sorted((r["date"] for r in rows), key=lambda d: date_bounds(d)[1])
    changed = [r for r in rows if r["changed"] and r["changed"]["line"]]
    unknown = [r for r in rows if not r["changed"]]
    return {
        "date": dates[-1] if dates else "",
        "count": len(rows),
        "changed": len(changed),
        "without_baseline": len(unknown),
    }


def _render(name: str, rows: list[dict[str, Any]], pack: dict[str, Any], settings: Settings) -> str:
    """The text of one index file; a template's failure as a located template error."""
    from ..rendering.document import template_environment
    from ..rendering.template_errors import template_error

    env = template_environment(settings, name.rsplit(".", 1)[1])
    try:
        return env.get_template(f"{name}.j2").render(
            rows=rows, pack=pack, classification=settings.classification
        )
    except Exception as exc:  # located at the template line; a bug is raised as it is
        raise template_error(exc, f"{name}.j2", "the index", settings.template_dirs) from exc
