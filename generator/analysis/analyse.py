"""Analyse stage: the facts a briefing states, computed once from the data.

Owns: the one entry point ``analyse`` (threshold status in ``status``,
mechanism state in ``mechanisms``), the actor x mechanism matrix, likelihood
terms with their numeric ranges, and the public JSON of the facts. Templates
read these facts and never recompute them, so a briefing cannot contradict
its data.
Must not format text for a particular output (that is ``rendering``'s job).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..format.model import Actor, Judgment, Mechanism, Scenario
from ..format.vocabulary import LIKELIHOOD_SCALES, STATUSES
from .forks import Forks, analyse_forks
from .glance import Fact, glance
from .instruments import ranked
from .mechanisms import MechanismState, mechanism_state
from .status import ThresholdStatus, format_number, format_value, threshold_status

__all__ = [
    "Analysis",
    "MechanismState",
    "ThresholdStatus",
    "analyse",
    "format_number",
    "format_value",
]


@dataclass(frozen=True)
class LikelihoodTerm:
    """A judgment's calibrated term with the range it stands for."""

    term: str
    low: float
    high: float

    @property
    def range_text(self) -> str:
        return f"{self.low * 100:g}–{self.high * 100:g} %"


@dataclass
class Analysis:
    """Everything the templates state that is computed rather than written."""

    scenario: Scenario
    thresholds: list[ThresholdStatus]
    mechanisms: list[MechanismState]
    matrix: list[tuple[Actor, list[list[str]]]]
    status_counts: dict[str, int]
    forks: Forks  # the common path and each branch's lane
    actors: dict[str, Actor] = field(default_factory=dict)
    _by_id: dict[str, ThresholdStatus] = field(init=False, repr=False)
    _glance: list[Fact] | None = field(init=False, repr=False, default=None)
    _branch_names: dict[str, str] = field(init=False, repr=False)

    def __post_init__(self) -> None:  # templates look these up per row: indexed once
        self._by_id = {}
        for t in self.thresholds:
            self._by_id.setdefault(t.threshold.id, t)
        self._branch_names = {}
        for b in self.scenario.branches:
            self._branch_names.setdefault(b.id, b.name)

    def level_name(self, level: str) -> str:
        """A threshold level as the source names it (``levels``), else the canonical word."""
        levels = self.scenario.levels
        return levels.name(level) if levels is not None else level

    def level_title(self, level: str) -> str:
        """:meth:`level_name` with a capital first letter (and the rest as the source wrote)."""
        name = self.level_name(level)
        return name[:1].upper() + name[1:]

    def likelihood(self, judgment: Judgment) -> LikelihoodTerm | None:
        """The calibrated term of ``judgment`` with its range, if it has one."""
        scale = LIKELIHOOD_SCALES[self.scenario.likelihood_scale]
        if judgment.likelihood not in scale:
            return None
        return LikelihoodTerm(judgment.likelihood, *scale[judgment.likelihood])

    def actor_names(self, ids: list[str]) -> list[str]:
        return [self.actors[i].name for i in ids if i in self.actors]

    def branch_name(self, ident: str | None) -> str:
        """The name of branch ``ident`` (empty for none)."""
        return self._branch_names.get(ident, "") if ident is not None else ""

    def threshold(self, ident: str | None) -> ThresholdStatus | None:
        return self._by_id.get(ident) if ident is not None else None

    @property
    def grouped_thresholds(self) -> list[ThresholdStatus]:
        """Thresholds with each early warning just before the level it warns of."""
        by_id = {t.threshold.id: t for t in self.thresholds}

        def chain(t: ThresholdStatus) -> list[str]:
            ids = [t.threshold.id]
            while (nxt := by_id[ids[-1]].threshold.escalates_to) in by_id and nxt not in ids:
                ids.append(nxt)
            return ids

        groups: dict[str, list[tuple[int, int, ThresholdStatus]]] = {}
        for index, t in enumerate(self.thresholds):
            ids = chain(t)
            groups.setdefault(ids[-1], []).append((-len(ids), index, t))
        return [t for group in groups.values() for _, _, t in sorted(group, key=lambda g: g[:2])]

    def as_dict(self) -> dict[str, Any]:
        """The public facts (``scenario status --format json``): documented and stable."""
        return {
            "id": self.scenario.id,
            "date": self.scenario.date,
            "thresholds": [
                {
                    "id": t.threshold.id,
                    "status": t.status.replace(" ", "-"),
                    "evidence": t.evidence.as_dict() if t.evidence else None,
                    "projected": self.forks.projected(t.threshold.id),
                }
                for t in self.thresholds
            ],
            "mechanisms": [m.as_dict() for m in self.mechanisms],
            "glance": [f.as_dict() for f in self.glance],
        }

    def as_text(self) -> str:
        """The same facts for people: one line per threshold and per mechanism."""
        lines = [f"{self.scenario.id}, as of {self.scenario.date}", "thresholds:"]
        width = max((len(t.threshold.id) for t in self.thresholds), default=0)
        for t in self.thresholds:
            line = f"  {t.threshold.id:<{width}}  {t.status}"
            if t.evidence is not None:
                e = t.evidence
                line += f": {t.reading_text} ({e.kind}, {e.date}"
                line += f", source {e.source})" if e.source else ")"
            for p in self.forks.projected(t.threshold.id):
                line += f"; projected {p['date']}" + (f" ({p['branch']})" if p["branch"] else "")
            lines.append(line)
        lines.append("mechanisms:")
        for m in self.mechanisms:
            lines.append(f"  {m.mechanism.id}: {m.state}. {m.state_text}")
            for limit in m.limits_exceeded:
                lines.append(
                    f"    limit {limit.status.threshold.id} already exceeded: {limit.reading}"
                )
            if m.compliance is not None:
                lines.append(f"    compliance: {m.compliance.text}")
            for step in m.ladder:
                if step.status is None:
                    said = "a judgement, no threshold"
                else:
                    said = "reached" if step.reached else f"not reached ({step.status.status})"
                lines.append(f"    step {step.step.step}: {said}")
        return "\n".join(lines)

    @property
    def glance(self) -> list[Fact]:
        """The brief's at-a-glance facts (``glance.glance``), computed once."""
        if self._glance is None:
            self._glance = glance(self)
        return self._glance

    @property
    def summary_line(self) -> str:
        """``1 crossed · 2 alert · 1 clear · 1 not assessed`` for indexes and covers."""
        return format_counts(self.status_counts)


def format_counts(counts: dict[str, int]) -> str:
    """``1 crossed · 2 alert · 1 not assessed``: the non-zero counts, most severe first."""
    return " · ".join(f"{counts[s]} {s}" for s in STATUSES if counts.get(s))


def analyse(scenario: Scenario) -> Analysis:
    """Compute every derived fact of a valid scenario."""
    indicators = {i.id: i for i in scenario.indicators}
    actors = {a.id: a for a in scenario.actors}
    statuses = [threshold_status(t, indicators, actors, scenario.date) for t in scenario.thresholds]
    by_id = {s.threshold.id: s for s in statuses}
    # By state, then level, then id: a reorder of the file changes no document.
    mechanisms = ranked(
        [mechanism_state(m, by_id, actors, scenario.date) for m in scenario.mechanisms]
    )
    matrix = [
        (actor, [_roles(actor.id, m) for m in scenario.mechanisms]) for actor in scenario.actors
    ]
    counts = {status: sum(s.status == status for s in statuses) for status in STATUSES}
    return Analysis(scenario, statuses, mechanisms, matrix, counts, analyse_forks(scenario), actors)


def _roles(actor: str, mech: Mechanism) -> list[str]:
    """What an actor is in a mechanism: convener, party, declined, target, covered,
    adjudicator, enforcer, verifier."""
    roles = [
        ("convener", actor in mech.conveners),
        ("party", actor in mech.party_ids),
        ("declined", actor in mech.declined),
        ("target", actor in mech.targets),
        ("covered", actor in mech.covered_actors and actor not in mech.party_ids),
        ("adjudicator", mech.adjudicator == actor),
        ("enforcer", mech.enforcer == actor),
        ("verifier", any(actor in v.verifiers for v in mech.verification)),
    ]
    return [name for name, holds in roles if holds]
