"""Instrument rules: parties, coverage, duties, compliance, ladders and level names.

Owns: the reserved adjudicator word ``each-party`` (no actor may take it as
an id), a party listed once with its dates in order, the covered classes
(ids of their own) and whom a duty falls on, the targets a deterrence regime
needs, a voluntary commitment without an enforcer, compliance recorded only
for parties (one entry per party and date, with a source), ladder steps named
once, and the source's level names distinct. Reads raw data defensively. Must
not check that references resolve (``references`` does).
"""

from __future__ import annotations

from typing import Any

from ..errors import did_you_mean
from .checker import Checker, format_path, items
from .loader import Path_, raw_text
from .model import date_bounds, is_date
from .vocabulary import EACH_PARTY, THRESHOLD_LEVELS


def party_ids(mechanism: dict[str, Any]) -> list[str]:
    """The party ids of a raw mechanism, whether written as ids or as {actor, ...}."""
    value = mechanism.get("parties")
    out = []
    for item in value if isinstance(value, list) else []:
        ident = item.get("actor") if isinstance(item, dict) else item
        if isinstance(ident, str):
            out.append(ident)
    return out


class InstrumentChecks(Checker):
    """The instrument rules, mixed into the validator's checker."""

    def check_instruments(self) -> None:
        for i, actor in items(self.data, "actors"):
            if actor.get("id") == EACH_PARTY:
                at = ("actors", i, "id")
                self.error(
                    at,
                    "reserved-id",
                    f"{format_path(at)}: '{EACH_PARTY}' is reserved (adjudicator: "
                    f"{EACH_PARTY} means each party judges itself); choose another id",
                )
        for i, mech in items(self.data, "mechanisms"):
            path = ("mechanisms", i)
            self._check_party_list(path, mech)
            self._check_covers(path, mech)
            self._check_compliance(path, mech)
            self._check_kind(path, mech)
            self._check_entry_date(path, mech)
            seen: set[str] = set()
            for j, step in items(mech, "ladder"):
                name = raw_text(step.get("step"))
                if isinstance(name, str) and name in seen:
                    where = (*path, "ladder", j, "step")
                    self.error(
                        where,
                        "duplicate-step",
                        f"{format_path(where)}: a second step named '{name}'; "
                        "name each step of a ladder once",
                    )
                seen.add(str(name))
        self._check_level_names()

    def _check_party_list(self, path: Path_, mech: dict[str, Any]) -> None:
        seen: set[str] = set()
        parties = mech.get("parties")
        for j, item in enumerate(parties if isinstance(parties, list) else []):
            ident = item.get("actor") if isinstance(item, dict) else item
            if isinstance(ident, str) and ident in seen:
                at = (*path, "parties", j)
                self.error(
                    at,
                    "duplicate-party",
                    f"{format_path(at)}: '{ident}' is listed twice; list each party once",
                )
            seen.add(str(ident))
            if not isinstance(item, dict):
                continue
            joined, left = raw_text(item.get("joined")), raw_text(item.get("left"))
            if (
                is_date(joined)
                and is_date(left)
                and date_bounds(str(left))[1] < date_bounds(str(joined))[0]
            ):
                where = (*path, "parties", j, "left")
                self.error(
                    where,
                    "party-dates",
                    f"{format_path(where)}: '{ident}' left on {left}, before it joined on {joined}",
                )

    def _check_covers(self, path: Path_, mech: dict[str, Any]) -> None:
        actors = self.ids.get("actors", {})
        classes: dict[str, Path_] = {}
        for j, item in items(mech, "covers"):
            ident = item.get("id")
            if not isinstance(ident, str):
                continue
            at = (*path, "covers", j, "id")
            if ident in actors:
                self.error(
                    at,
                    "class-id-is-actor",
                    f"{format_path(at)}: '{ident}' is an actor's id; a class of actors is "
                    "not an actor and needs an id of its own",
                )
            elif ident in classes:
                self.error(
                    at,
                    "duplicate-class",
                    f"{format_path(at)}: a second class with id '{ident}'",
                )
            classes.setdefault(ident, at)
        for j, duty in items(mech, "requires"):
            covers = duty.get("covers")
            for k, ident in enumerate(covers if isinstance(covers, list) else []):
                if not isinstance(ident, str):
                    continue
                if ident in actors:
                    self.used_actors.add(ident)
                    continue
                if ident in classes:
                    continue
                at = (*path, "requires", j, "covers", k)
                known = [*classes, *actors]
                hint = did_you_mean(ident, known) or (
                    f" (its classes: {', '.join(classes)})"
                    if classes
                    else " (it covers no class; declare one under covers)"
                )
                self.error(
                    at,
                    "unknown-covered",
                    f"{format_path(at)}: '{ident}' is neither a class this mechanism covers "
                    f"nor an actor{hint}",
                )

    def _check_compliance(self, path: Path_, mech: dict[str, Any]) -> None:
        parties = set(party_ids(mech))
        name = mech.get("id")
        seen: set[tuple[str, str]] = set()
        for j, entry in items(mech, "compliance"):
            at = (*path, "compliance", j)
            actor, date = entry.get("actor"), raw_text(entry.get("date"))
            known = isinstance(actor, str) and actor in self.ids.get("actors", {})
            if known and actor not in parties:
                self.error(
                    (*at, "actor"),
                    "compliance-not-party",
                    f"{format_path(at)}.actor: '{actor}' is not a party of '{name}'; "
                    "compliance is recorded for parties only (add it to parties)",
                )
            if isinstance(actor, str) and is_date(date):
                if (actor, str(date)) in seen:
                    self.error(
                        (*at, "date"),
                        "duplicate-compliance",
                        f"{format_path(at)}: a second compliance entry for '{actor}' dated "
                        f"{date}; keep one per party and date",
                    )
                seen.add((actor, str(date)))
            if entry.get("source") is None:
                self.warn(
                    at, "unsourced-compliance", f"{format_path(at)}: compliance has no source"
                )

    def _check_kind(self, path: Path_, mech: dict[str, Any]) -> None:
        kind = mech.get("kind")
        targets = mech.get("targets")
        if kind == "deterrence" and not (isinstance(targets, list) and targets):
            self.error(
                path,
                "no-targets",
                f"{format_path(path)}: a deterrence mechanism needs at least one target "
                "(targets: the actors it acts against)",
            )
        if kind == "voluntary-commitment" and mech.get("enforcer") is not None:
            self.warn(
                (*path, "enforcer"),
                "voluntary-enforcer",
                f"{format_path(path)}.enforcer: a voluntary commitment has no external "
                "enforcement; if someone enforces it, choose the kind it is "
                "(regulation, treaty, code-of-practice)",
            )

    def _check_entry_date(self, path: Path_, mech: dict[str, Any]) -> None:
        entry = mech.get("entry_into_force")
        start = raw_text(entry.get("date")) if isinstance(entry, dict) else None
        today = raw_text(self.data.get("date"))
        if (mech.get("status") or "in-force") != "in-force" or not (
            is_date(start) and is_date(today)
        ):
            return
        if date_bounds(str(start))[0] > date_bounds(str(today))[1]:
            at = (*path, "entry_into_force", "date")
            self.warn(
                at,
                "future-entry",
                f"{format_path(at)}: it enters into force on {start}, after the scenario's "
                f"date ({today}), yet its status is in-force; write status: agreed until "
                "then, or correct the date",
            )

    def _check_level_names(self) -> None:
        levels = self.data.get("levels")
        if not isinstance(levels, dict):
            return
        named: dict[str, str] = {}
        for level in THRESHOLD_LEVELS:
            name = raw_text(levels.get(level))
            if not isinstance(name, str):
                continue
            key = name.strip().casefold()
            if key in named:
                self.error(
                    ("levels", level),
                    "duplicate-level-name",
                    f"levels.{level}: '{name}' is also the name of {named[key]}; "
                    "each level needs a name of its own",
                )
            named.setdefault(key, level)
