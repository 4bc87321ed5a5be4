"""Consequences: what a change means for the briefing, from analysing both revisions.

Owns: threshold status transitions (clear / alert / crossed / not assessed) with
the observation or trigger that caused them, mechanisms that became or stopped
being triggered, judgments whose term or probability moved, forecast
estimates that moved, recommendations added or dropped, the scenario's
status, version and date, and the reviewer's warning when a probability moved
without a new changelog entry. Each consequence carries a rank (lower is more
important) so a brief can show the few that matter most.
Must not compare raw fields (see ``diff``).
"""

from __future__ import annotations

from typing import Any

from ..analysis.analyse import Analysis, ThresholdStatus, analyse
from . import match
from .canonical import canonical
from .fork_consequences import fork_consequences
from .records import RANKS, Consequence
from .sides import Scenario


def consequences(
    old: Scenario | None, new: Scenario | None, known: Analysis | None = None
) -> list[Consequence]:
    """Every consequence of going from ``old`` to ``new``, most important first.

    ``known`` is the analysis of ``new`` when the caller has it (a prepared scenario).
    """
    if old is None or new is None:
        return []
    a, b = analyse(old), known or analyse(new)
    found = [
        *_thresholds(a, b),
        *_mechanisms(a, b),
        *_judgments(old, new),
        *_forecasts(old, new),
        *_recommendations(old, new),
        *_scenario(old, new),
        *fork_consequences(a, b),
    ]
    return sorted(found, key=lambda c: c.rank)  # stable: document order within a rank


def _thresholds(a: Analysis, b: Analysis) -> list[Consequence]:
    out = []
    before = {t.threshold.id: t for t in a.thresholds}
    for now in b.thresholds:
        ident, name = now.threshold.id, now.threshold.name
        was = before.get(ident)
        if was is None:
            out.append(
                Consequence(
                    "threshold",
                    ident,
                    None,
                    now.status,
                    f"New threshold '{name}' ({now.status})",
                    rank=RANKS["added-removed"],
                )
            )
        elif was.status != now.status:
            cause = _cause(was, now, a, b)
            out.append(
                Consequence(
                    "threshold",
                    ident,
                    was.status,
                    now.status,
                    f"Threshold '{name}': {was.status} → {now.status}"
                    + (f", caused by {cause}" if cause else ""),
                    cause,
                    RANKS["threshold"] - (now.status == "crossed"),
                )
            )
    ids = {t.threshold.id for t in b.thresholds}
    for was in a.thresholds:
        if was.threshold.id not in ids:
            out.append(
                Consequence(
                    "threshold",
                    was.threshold.id,
                    was.status,
                    None,
                    f"Threshold '{was.threshold.name}' removed (was {was.status})",
                    rank=RANKS["added-removed"],
                )
            )
    return out


def _cause(was: ThresholdStatus, now: ThresholdStatus, a: Analysis, b: Analysis) -> str | None:
    """What made a threshold's status change: new evidence, a new trigger or a new date."""
    evidence, before = now.evidence, was.evidence
    if evidence is not None and evidence != before:
        return f"the {evidence.kind} of {evidence.date} ({evidence.text})"
    if now.threshold.condition != was.threshold.condition:
        return f"the trigger changed ({was.trigger_text or 'none'} → {now.trigger_text or 'none'})"
    if before is not None and evidence is None:
        return f"the {before.kind} of {before.date} no longer applies"
    if a.scenario.date != b.scenario.date:
        return f"the scenario date moved to {b.scenario.date}"
    return None


def _mechanisms(a: Analysis, b: Analysis) -> list[Consequence]:
    out = []
    before = {m.mechanism.id: m for m in a.mechanisms}
    for now in b.mechanisms:
        ident, name = now.mechanism.id, now.mechanism.name
        was = before.get(ident)
        if was is None:
            out.append(
                Consequence(
                    "mechanism",
                    ident,
                    None,
                    now.state,
                    f"New mechanism '{name}' ({now.state})",
                    rank=RANKS["added-removed"],
                )
            )
            continue
        out += _instrument(was, now)
        if was.state != now.state and (
            "triggered" in (was.state, now.state) or was.status != now.status
        ):
            fired = ""
            if now.state == "triggered":  # say which trigger fired, at which level
                verb = "is now triggered"
                fired = ": " + now.state_text.removeprefix("Triggered: ").rstrip(".")
            elif was.state == "triggered":
                verb = "is no longer triggered"
            elif now.code == "applies":
                verb = "now applies"
            else:
                verb = f"is now {now.state}"
            out.append(
                Consequence(
                    "mechanism",
                    ident,
                    was.state,
                    now.state,
                    f"Mechanism '{name}' {verb} ({was.state} → {now.state}){fired}",
                    rank=RANKS["mechanism"],
                )
            )
    ids = {m.mechanism.id for m in b.mechanisms}
    out += [
        Consequence(
            "mechanism",
            m.mechanism.id,
            m.state,
            None,
            f"Mechanism '{m.mechanism.name}' removed",
            rank=RANKS["added-removed"],
        )
        for m in a.mechanisms
        if m.mechanism.id not in ids
    ]
    return out


def _instrument(was: Any, now: Any) -> list[Consequence]:
    """An instrument that now applies or no longer does, parties that joined or left as of
    the date, and compliance counts that moved."""
    ident, name = now.mechanism.id, now.mechanism.name
    out = []
    chip_reported = was.state != now.state and (
        "triggered" in (was.state, now.state) or was.status != now.status
    )
    if was.code != now.code and not chip_reported:
        verb = {"applies": "now applies", "not-in-force": "is no longer in force"}.get(
            now.code, f"is now {now.code.replace('-', ' ')}"
        )
        if was.code == "applies" and now.code != "not-in-force":
            verb = f"no longer applies (now {now.code.replace('-', ' ')})"
        out.append(
            Consequence(
                "mechanism",
                ident,
                was.code,
                now.code,
                f"Mechanism '{name}' {verb} ({was.code} → {now.code})",
                rank=RANKS["mechanism"],
            )
        )
    before = {a.id for a in was.parties}
    after = {a.id for a in now.parties}
    for actor in now.parties:
        if actor.id not in before:
            out.append(
                Consequence(
                    "mechanism", ident, None, actor.id,
                    f"{actor.name} is now a party to '{name}'", rank=RANKS["mechanism"],
                )
            )  # fmt: skip
    for actor in was.parties:
        if actor.id not in after:
            out.append(
                Consequence(
                    "mechanism", ident, actor.id, None,
                    f"{actor.name} is no longer a party to '{name}'", rank=RANKS["mechanism"],
                )
            )  # fmt: skip
    old_text = was.compliance.text if was.compliance else None
    new_text = now.compliance.text if now.compliance else None
    if old_text != new_text and new_text is not None:
        moved = f"{old_text} → {new_text}" if old_text else new_text
        out.append(
            Consequence(
                "mechanism", ident, old_text, new_text,
                f"Compliance with '{name}': {moved}", rank=RANKS["mechanism"],
            )
        )  # fmt: skip
    return out


def _term(judgment: Any) -> str:
    parts = [
        judgment.likelihood or "",
        f"{judgment.probability:g}" if judgment.probability is not None else "",
    ]
    return " ".join(p for p in parts if p) or "no likelihood"


def _pairs(
    name: str, old: list[Any], new: list[Any]
) -> tuple[list[tuple[int, int]], list[int], list[int]]:
    """Entities of ``name`` matched by identity, as in the diff."""
    canon = [canonical(x.model_dump(), type(x)) for x in old]
    return match.pair(name, canon, [canonical(x.model_dump(), type(x)) for x in new])


def _short(text: str, words: int = 12) -> str:
    parts = " ".join(text.split()).split(" ")
    return " ".join(parts[:words]) + ("…" if len(parts) > words else "")


def _judgments(old: Scenario, new: Scenario) -> list[Consequence]:
    out = []
    pairs, removed, added = _pairs("judgments", old.judgments, new.judgments)
    new_versions = {c.version for c in new.changelog} - {c.version for c in old.changelog}
    for i, j in pairs:
        was, now = old.judgments[i], new.judgments[j]
        subject = now.id or f"#{j + 1}"
        if (was.likelihood, was.probability) == (now.likelihood, now.probability):
            continue
        text = f"Judgment “{_short(now.statement)}”: {_term(was)} → {_term(now)}"
        out.append(
            Consequence("judgment", subject, _term(was), _term(now), text, rank=RANKS["judgment"])
        )
        if was.probability != now.probability and not new_versions:
            out.append(
                Consequence(
                    "warning",
                    subject,
                    _term(was),
                    _term(now),
                    f"Judgment {subject}: probability changed "
                    f"({_term(was)} → {_term(now)}) with no new changelog entry",
                    rank=RANKS["warning"],
                )
            )
    for j in added:
        now = new.judgments[j]
        out.append(
            Consequence(
                "judgment",
                now.id or f"#{j + 1}",
                None,
                _term(now),
                f"New judgment “{_short(now.statement)}” ({_term(now)})",
                rank=RANKS["judgment"],
            )
        )
    for i in removed:
        was = old.judgments[i]
        out.append(
            Consequence(
                "judgment",
                was.id or f"#{i + 1}",
                _term(was),
                None,
                f"Judgment dropped: “{_short(was.statement)}”",
                rank=RANKS["judgment"],
            )
        )
    return out


def _forecasts(old: Scenario, new: Scenario) -> list[Consequence]:
    out = []
    before = {f.id: f for f in old.forecasts}
    for now in new.forecasts:
        was = before.get(now.id)
        if was is None:
            continue
        old_p = {e.by: e.p for e in was.estimates}
        for est in now.estimates:
            p = old_p.get(est.by)
            if p != est.p:
                moved = f"{p:g} → {est.p:g}" if p is not None else f"new estimate {est.p:g}"
                out.append(
                    Consequence(
                        "forecast",
                        now.id,
                        None if p is None else f"{p:g}",
                        f"{est.p:g}",
                        f"Forecast '{_short(now.event)}' by {est.by}: {moved}",
                        rank=RANKS["forecast"],
                    )
                )
    return out


def _recommendations(old: Scenario, new: Scenario) -> list[Consequence]:
    pairs, removed, added = _pairs("recommendations", old.recommendations, new.recommendations)
    out = []
    for i, j in pairs:
        was, now = old.recommendations[i], new.recommendations[j]
        if was.priority != now.priority:
            out.append(
                Consequence(
                    "recommendation",
                    now.id or f"#{j + 1}",
                    was.priority,
                    now.priority,
                    f"Recommendation “{_short(now.text)}”: priority "
                    f"{was.priority} → {now.priority}",
                    rank=RANKS["recommendation"],
                )
            )
    for j in added:
        rec = new.recommendations[j]
        out.append(
            Consequence(
                "recommendation",
                rec.id or f"#{j + 1}",
                None,
                rec.priority,
                f"New recommendation ({rec.priority}): “{_short(rec.text)}”",
                rank=RANKS["recommendation"],
            )
        )
    for i in removed:
        rec = old.recommendations[i]
        out.append(
            Consequence(
                "recommendation",
                rec.id or f"#{i + 1}",
                rec.priority,
                None,
                f"Recommendation dropped: “{_short(rec.text)}”",
                rank=RANKS["recommendation"],
            )
        )
    return out


def _scenario(old: Scenario, new: Scenario) -> list[Consequence]:
    out = []
    for field, rank in (("status", "status"), ("version", "version"), ("date", "version")):
        was, now = getattr(old, field), getattr(new, field)
        if was != now:
            out.append(
                Consequence(
                    "scenario",
                    field,
                    was,
                    now,
                    f"{field.capitalize()}: {was or 'none'} → {now or 'none'}",
                    rank=RANKS[rank],
                )
            )
    return out
