"""Diffs as text: ``human`` (coloured on a terminal), ``md`` (GitHub tables), ``json``, ``stat``.

Owns: how change records and consequences are printed. The JSON shape is
documented in docs/DIFF.md and is stable: change it only with that page.
Must not compute anything about the scenarios (see ``diff``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..escaping import json_text, md_code, md_name, one_line, show_controls
from .diff import Change, ScenarioDiff

NO_CHANGE = "no semantic change"
COLOURS = {"added": "green", "removed": "red", "changed": "yellow", "moved": "cyan"}
MAX_VALUE = 120


def value_text(value: Any) -> str:
    """A value in one line: ``97``, ``0.75``, ``{date: 2026-03, value: 97.1}``, ``[a, b]``."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e16 else repr(value)
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {value_text(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(value_text(v) for v in value) + "]"
    if value is None:
        return "none"
    return str(value).replace("\n\n", " ¶ ")


def _line(text: object) -> str:
    """Data printed to a terminal: controls shown as ``\\xNN``, on one line, so that no
    value can clear the screen, recolour the output or print a line of its own."""
    return one_line(show_controls(str(text)))


def _clip(text: str) -> str:
    return text if len(text) <= MAX_VALUE else text[: MAX_VALUE - 1] + "…"


def totals(diffs: list[ScenarioDiff]) -> str:
    """``2 scenarios changed, 1 unchanged``."""
    changed = sum(d.semantic for d in diffs)
    skipped = sum(d.change == "skipped" for d in diffs)
    same = len(diffs) - changed - skipped
    noun = "scenario" if changed == 1 else "scenarios"
    if changed:
        line = f"{changed} {noun} changed, {same} unchanged"
    else:
        line = f"{NO_CHANGE} in {same} scenarios" if same > 1 else NO_CHANGE
    return line + (f", {skipped} file{'s' if skipped > 1 else ''} skipped" if skipped else "")


def _title(d: ScenarioDiff) -> str:
    if d.change == "moved":
        return _line(f"{d.id}: moved {d.old_path} → {d.new_path}")
    return _line(f"{d.id or '?'} ({d.new_path or d.old_path}): {d.change}")


# human ---------------------------------------------------------------------------------


def human(diffs: list[ScenarioDiff], colour: bool = False) -> str:
    """The terminal form: one block per changed scenario; a moved one in a line; the
    unchanged ones counted in the last line, as ``git diff --stat`` counts files."""

    def paint(text: str, fg: str, bold: bool = False) -> str:
        if not colour:
            return text
        import click

        return click.style(text, fg=fg, bold=bold)

    lines: list[str] = []
    for d in diffs:
        if d.change == "skipped":
            lines.append(_line(f"{d.new_path}: skipped: {'; '.join(d.notes)}"))
            continue
        if not d.semantic:  # counted in the last line; a move, or a lone scenario, has one
            if d.change == "moved" or len(diffs) == 1:
                moved = f" (moved {d.old_path} → {d.new_path})" if d.change == "moved" else ""
                lines.append(_line(f"{d.id or d.new_path}: {NO_CHANGE}{moved}"))
            continue
        lines.append(paint(_title(d), COLOURS.get(d.change, "white"), bold=True))
        lines += [f"  note: {_line(n)}" for n in d.notes]
        for c in d.changes:
            lines.append("  " + _human_change(c, paint))
        found = [c for c in d.consequences if c.kind != "warning"]
        if found:
            lines.append("  consequences:")
            lines += [f"    - {_line(c.text)}" for c in found]
        lines += [
            "  " + paint(f"warning: {_line(c.text)}", "magenta")
            for c in d.consequences
            if c.kind == "warning"
        ]
    if len(diffs) > 1 or any(d.change == "skipped" for d in diffs):
        lines.append(totals(diffs))
    return "\n".join(lines)


def _human_change(c: Change, paint: Callable[..., str]) -> str:
    mark = paint(f"{c.kind:<7}", COLOURS[c.kind])
    path = _line(c.path)
    if c.kind == "added":
        return f"{mark} {path}: {_clip(_line(value_text(c.new)))}"
    if c.kind == "removed":
        return f"{mark} {path}: {_clip(_line(value_text(c.old)))}"
    if c.words:
        parts = []
        for op, raw in c.words:
            text = _line(raw)
            if op == "=":
                parts.append(text)
            elif paint("x", "red") != "x":
                parts.append(paint(text, "red" if op == "-" else "green"))
            else:
                parts.append(f"[-{text}-]" if op == "-" else f"{{+{text}+}}")
        return f"{mark} {path}: " + " ".join(parts)
    return f"{mark} {path}: {_clip(_line(value_text(c.old)))} → {_clip(_line(value_text(c.new)))}"


# markdown ------------------------------------------------------------------------------


def _cell(text: str) -> str:
    """Data in the comment: printed as written (``escaping.md_name``), never structure."""
    return md_name(text)


def markdown(diffs: list[ScenarioDiff]) -> str:
    """A pull-request comment or CI job summary: a heading and a table per scenario."""
    lines = ["## Scenario changes", "", totals(diffs) + ".", ""]
    for d in diffs:
        if not d.semantic:
            if d.change == "moved":
                moved = f"{md_code(d.old_path or '')} → {md_code(d.new_path or '')}"
                lines += [f"- {md_code(d.id or '?')}: moved {moved}, {NO_CHANGE}", ""]
            elif d.change == "skipped":
                why = _cell("; ".join(d.notes))
                lines += [f"- {md_code(d.new_path or '')}: skipped, {why}", ""]
            continue
        lines += [f"### {md_code(d.id or '?')} — {d.change}", ""]
        if d.change == "moved":
            moved = f"{md_code(d.old_path or '')} to {md_code(d.new_path or '')}"
            lines += [f"Moved from {moved}.", ""]
        else:
            lines += [f"File: {md_code(d.new_path or d.old_path or '')}", ""]
        lines += [f"> **Note:** {_cell(n)}" for n in d.notes]
        lines += [f"> **Warning:** {_cell(c.text)}" for c in d.consequences if c.kind == "warning"]
        if d.notes or any(c.kind == "warning" for c in d.consequences):
            lines.append("")
        found = [c for c in d.consequences if c.kind != "warning"]
        if found:
            lines += ["**Consequences**", ""]
            lines += [f"- {_cell(c.text)}" for c in found]
            lines.append("")
        if d.changes:
            lines += ["| Change | Path | Old | New |", "|---|---|---|---|"]
            lines += [_md_row(c) for c in d.changes]
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def _md_row(c: Change) -> str:
    old = _cell(_clip(value_text(c.old))) if c.kind != "added" else ""
    new = _cell(_clip(value_text(c.new))) if c.kind != "removed" else ""
    if c.words:
        marked = []
        for op, text in c.words:
            if op == "=":
                marked.append(_cell(text))
            else:
                marked.append(f"~~{_cell(text)}~~" if op == "-" else f"**{_cell(text)}**")
        old, new = "", " ".join(marked)
    return f"| {c.kind} | {md_code(c.path, cell=True)} | {old} | {new} |"


# json and stat -------------------------------------------------------------------------


def as_json(diffs: list[ScenarioDiff]) -> str:
    """The documented JSON shape (docs/DIFF.md): a list of scenario objects."""
    return json_text([d.as_dict() for d in diffs], indent=2)


def stat(diffs: list[ScenarioDiff]) -> str:
    """One line per changed or moved scenario (path, what happened, how many changes and
    consequences), then the totals, which count the unchanged ones."""
    shown = [d for d in diffs if d.semantic or d.change in ("moved", "skipped")]
    width = max((len(d.new_path or d.old_path or "") for d in shown), default=0)
    lines = []
    for d in diffs:
        path = d.new_path or d.old_path or ""
        if d.semantic:
            counts = (
                f"{_count(len(d.changes), 'change')}, {_count(len(d.consequences), 'consequence')}"
            )
            lines.append(f"{path:<{width}} | {d.change}, {counts}")
        elif d.change == "skipped":
            lines.append(_line(f"{path:<{width}} | skipped: {'; '.join(d.notes)}"))
        elif d.change == "moved":  # an unchanged scenario is counted in the last line only
            lines.append(f"{path:<{width}} | {NO_CHANGE} (moved)")
    lines.append(totals(diffs))
    return "\n".join(lines)


def _count(n: int, noun: str) -> str:
    """``1 change``, ``2 changes``."""
    return f"{n} {noun}{'' if n == 1 else 's'}"
