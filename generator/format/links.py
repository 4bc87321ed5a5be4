"""Link rules: how thresholds, mechanisms and actors hang together.

Owns: escalation chains (``escalates_to``) and ``part_of`` without cycles,
the party rules of each mechanism kind, self-adjudication (a warning except
where it is the design: a company's own policy), trigger levels that can
fire, parties that also declined, and the "none stated" distinction for
verification and exit criteria (an omitted key warns, an explicit empty list
is a fact). Reads raw data defensively. Must not check that references
resolve (``references`` does).
"""

from __future__ import annotations

from typing import Any

from .checker import Checker, format_path, items, strings
from .instrument_rules import party_ids
from .loader import Path_
from .vocabulary import EXACT_PARTIES, MIN_PARTIES, SELF_GOVERNED_KINDS


def _cycle(start: str, parent: dict[str, str]) -> list[str] | None:
    """The ids of the cycle that following ``parent`` from ``start`` returns to ``start`` by."""
    chain, current = [start], parent.get(start)
    while current is not None and current not in chain:
        chain.append(current)
        current = parent.get(current)
    return [*chain, start] if current == start else None


class LinkChecks(Checker):
    """The link rules, mixed into the validator's checker."""

    def check_cycles(self) -> None:
        """``escalates_to`` and ``part_of`` never lead back to where they start."""
        for key, field, verb in (
            ("thresholds", "escalates_to", "escalates to"),
            ("actors", "part_of", "is part of"),
        ):
            parent = {
                item["id"]: item[field]
                for _, item in items(self.data, key)
                if isinstance(item.get("id"), str) and isinstance(item.get(field), str)
            }
            reported: set[str] = set()
            for index, item in items(self.data, key):
                ident = item.get("id")
                if not isinstance(ident, str) or ident in reported:
                    continue
                cycle = _cycle(ident, parent)
                if cycle is None:
                    continue
                reported.update(cycle)
                path = (key, index, field)
                shown = " → ".join(f"'{c}'" for c in cycle)
                what = "itself" if len(cycle) == 2 else "a cycle"
                self.error(
                    path,
                    f"{field.replace('_', '-')}-cycle",
                    f"{format_path(path)}: '{ident}' {verb} {what} ({shown}); the chain must end",
                )

    def check_mechanisms(self) -> None:
        for i, item in items(self.data, "mechanisms"):
            path = ("mechanisms", i)
            kind = item.get("kind")
            parties = party_ids(item)
            self._check_parties(path, kind, parties)
            for j, actor in enumerate(strings(item.get("declined"))):
                if isinstance(actor, str) and actor in parties:
                    self.error(
                        (*path, "declined", j),
                        "declined-party",
                        f"{format_path(path)}.declined[{j}]: '{actor}' is also listed "
                        "as a party; an actor either joined or declined",
                    )
            adjudicator = item.get("adjudicator")
            if (
                isinstance(adjudicator, str)
                and adjudicator in parties
                and kind not in SELF_GOVERNED_KINDS
            ):
                self.warn(
                    (*path, "adjudicator"),
                    "self-adjudication",
                    f"{format_path(path)}.adjudicator: '{adjudicator}' is also a party, "
                    "so it would judge its own compliance; if each party judges itself by "
                    "design, write adjudicator: each-party (a company's own policy is "
                    "kind: voluntary-policy)",
                )
            asked = (("verification", "verification methods"), ("exit_criteria", "exit criteria"))
            for key, what in asked:
                if key not in item:
                    self.warn(
                        path,
                        f"no-{key.replace('_', '-')}",
                        f"{format_path(path)}: mechanism has no {what}; list them, or "
                        f"write {key}: [] if the source states none",
                    )
            self._check_trigger_levels(path, item)

    def _check_parties(self, path: Path_, kind: Any, parties: list[str]) -> None:
        count = len(set(parties))
        if not isinstance(kind, str):
            return
        words = {1: "one", 2: "two"}
        if kind in EXACT_PARTIES and count != EXACT_PARTIES[kind]:
            needed = f"exactly {words[EXACT_PARTIES[kind]]}"
        elif kind in MIN_PARTIES and count < MIN_PARTIES[kind]:
            needed = f"at least {words[MIN_PARTIES[kind]]}"
        else:
            return
        self.error(
            path,
            "too-few-parties" if count < MIN_PARTIES.get(kind, 0) else "party-count",
            f"{format_path(path)}: a {kind} mechanism needs {needed} "
            f"part{'y' if needed.endswith('one') else 'ies'} (has {count})",
        )

    def _check_trigger_levels(self, path: Path_, item: dict[str, Any]) -> None:
        """A trigger at the alert level needs a threshold that can be at alert."""
        for j, trigger in enumerate(strings(item.get("triggered_by"))):
            if not isinstance(trigger, dict) or trigger.get("at") != "alert":
                continue
            threshold = self.find("thresholds", trigger.get("threshold"))
            if threshold is None or threshold.get("assessments"):
                continue
            condition = threshold.get("condition")
            if isinstance(condition, dict) and condition.get("alert") is None:
                at = (*path, "triggered_by", j, "at")
                self.warn(
                    at,
                    "alert-trigger-without-alert",
                    f"{format_path(at)}: fires at the alert level, but threshold "
                    f"'{trigger.get('threshold')}' has no alert value and no assessments, "
                    "so it can fire only on crossing; add condition.alert or write "
                    "at: crossing",
                )
