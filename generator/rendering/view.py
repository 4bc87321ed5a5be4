"""The view model: what a brief or report says, in which order, before any format draws it.

Owns: each document's sections (which, in which order, with which items),
their headings and the words computed from the data (the mechanisms' section
heading, the brief's comparison table and the instruments it shows in full, the
recommendations a brief shows), and the note numbers, assigned here in
reading order before anything is drawn. Every format's template loops over
:attr:`View.sections` and draws each one in a block named by its key, so a
section added or moved here moves in Markdown, HTML and PDF alike. Must not
write markup: drawing is the templates' job.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..analysis.wording import plural_noun
from ..format.dates import long_date
from ..format.vocabulary import CITATION, cited_ids
from .boxes import BoxRow, layout, unstated_line
from .instruments import Comparison, ranked, row, shown_in_full
from .markup import Citations
from .phrases import common_framework, framework_labels, framework_note

if TYPE_CHECKING:
    from ..analysis.analyse import Analysis
    from ..analysis.mechanisms import MechanismState
    from ..format.model import Recommendation, Scenario
    from ..prepared import Prepared

BRIEF_RECOMMENDATIONS = 4  # a brief shows at most this many, the high-priority ones first


@dataclass(frozen=True)
class Section:
    """One section of a document: the block that draws it is named by ``key``."""

    key: str  # the block name in every format's template, and the HTML anchor
    heading: str | None  # as printed; None for the cover and the bottom line
    data: Any = None  # what the section draws, beyond the scenario and analysis
    contents: bool = True  # listed in the report's contents
    anchor_id: str | None = None  # where a key repeats (one section per instrument)

    @property
    def anchor(self) -> str:
        return self.anchor_id or self.key.replace("_", "-")


@dataclass(frozen=True)
class Featured:
    """A mechanism the brief shows in full, and its heading."""

    state: MechanismState
    title: str


@dataclass(frozen=True)
class Shown:
    """The recommendations a brief shows, and how many it leaves to the report."""

    items: list[Recommendation]
    more: int

    @property
    def more_text(self) -> str:
        return f"{self.more} more of lower priority in the full report." if self.more else ""


@dataclass
class View:
    """The sections of one document, in order, and its note numbers (already assigned)."""

    template: str
    sections: list[Section]
    citations: Citations = field(default_factory=Citations)

    def section(self, key: str) -> Section | None:
        return next((s for s in self.sections if s.key == key), None)

    @property
    def contents(self) -> list[Section]:
        """The report's contents: every section with a heading that is listed."""
        return [s for s in self.sections if s.heading and s.contents]

    @property
    def keys(self) -> list[str]:
        return [s.key for s in self.sections]

    def rows(self, state: MechanismState) -> tuple[list[BoxRow], bool]:
        """The parts of a mechanism as laid out on paper (:func:`~.boxes.layout`)."""
        return layout(state, self.template == "brief")

    def unstated(self, state: MechanismState) -> str:
        """``None stated: verification; exit criteria.`` (:func:`~.boxes.unstated_line`)."""
        return unstated_line(state)

    def boxes(self, state: MechanismState) -> list[str]:
        """The parts of a mechanism in reading order: Markdown's order, and the page's."""
        rows, table = self.rows(state)
        return [*(key for row in rows for key in row.keys), *(["actions"] if table else [])]


# --------------------------------------------------------------------------- words


def mechanisms_heading(analysis: Analysis) -> str:
    """``Pauses and response plans``: the section worded from what the instruments are."""
    nouns = list(dict.fromkeys(m.noun for m in analysis.mechanisms))
    if not nouns:
        return "Mechanisms"
    if len(nouns) > 3:
        return "Instruments"
    words = [plural_noun(n) for n in nouns]
    text = ", ".join(words[:-1]) + " and " + words[-1] if len(words) > 1 else words[0]
    return text[0].upper() + text[1:]


def position_heading(analysis: Analysis) -> str:
    """The actor table's stance column: on a pause only where some mechanism is one."""
    nouns = {m.noun for m in analysis.mechanisms}
    return "Position on a pause" if "pause" in nouns else "Position"


def mechanism_title(state: MechanismState) -> str:
    """``Pause: NAME``, ``Obligations: NAME``: the heading noun from the data (see
    :data:`~generator.analysis.wording.HEADINGS`)."""
    return f"{state.noun[0].upper()}{state.noun[1:]}: {state.mechanism.name}"


def shown_recommendations(recommendations: list[Recommendation]) -> Shown:
    """All of them if few; else the high-priority ones (or the first few if none is high)."""
    if len(recommendations) <= BRIEF_RECOMMENDATIONS:
        items = list(recommendations)
    else:
        high = [r for r in recommendations if r.priority == "high"]
        items = high or list(recommendations[:BRIEF_RECOMMENDATIONS])
    return Shown(items, len(recommendations) - len(items))


# --------------------------------------------------------------------------- the documents


def brief_sections(prepared: Prepared) -> list[Section]:
    s, a = prepared.scenario, prepared.analysis
    first = next((r for r in s.recommendations if r.priority == "high"), None)
    sections = [
        Section("header", None, contents=False),
        Section("bottom_line", None, first, contents=False),
    ]
    if prepared.changes:
        sections.append(Section("what_changed", f"What changed since {prepared.changes.since}"))
    if s.judgments:
        sections.append(Section("judgments", "Key judgments"))
    if a.thresholds:
        sections.append(Section("thresholds", f"Thresholds, as of {long_date(s.date)}"))
    # The comparison stands with the thresholds (both as of the date), before the futures;
    # the instruments in full follow them.
    if len(a.mechanisms) > 1:
        table = Comparison([row(m) for m in ranked(a.mechanisms)])
        sections.append(Section("instruments", mechanisms_heading(a), table))
    if a.forks.has_branches:
        sections.append(Section("forks", "How it could unfold"))
    for shown in shown_in_full(a.mechanisms, s.featured):
        featured = Featured(shown, mechanism_title(shown))
        ident = f"mechanism-{shown.mechanism.id}" if len(a.mechanisms) > 1 else None
        sections.append(Section("mechanism", featured.title, featured, anchor_id=ident))
    if s.recommendations:
        sections.append(
            Section("recommendations", "Recommendations", shown_recommendations(s.recommendations))
        )
    sections.append(Section("sources", "Sources"))
    return sections


def report_sections(prepared: Prepared) -> list[Section]:
    s, a = prepared.scenario, prepared.analysis
    since = f"What changed since {prepared.changes.since}" if prepared.changes else ""
    candidates: list[tuple[str, str, object]] = [
        ("what_changed", since, prepared.changes),
        ("judgments", "Key judgments", s.judgments),
        # An indicator without a threshold (a pledge's signatories) still has its section.
        (
            "thresholds",
            "Thresholds and indicators" if a.thresholds else "Indicators",
            a.thresholds or s.indicators,
        ),
        ("actors", "Actors", s.actors),
        ("mechanisms", mechanisms_heading(a), a.mechanisms),
        ("matrix", "Who is party to what", s.mechanisms and s.actors),
        ("forecasts", "Forecasts", s.forecasts),
        ("branches", "Branches", s.branches),
        ("timeline", "Timeline", s.timeline),
        ("recommendations", "Recommendations", s.recommendations),
        ("questions", "Open questions", s.open_questions),
        ("annex_verification", "Annex A: Verification methods", s.mechanisms),
        ("annex_sources", "Annex B: Sources", s.sources),
        ("annex_changelog", "Annex C: Changelog", prepared.changelog),
    ]
    # "What changed" is news about the scenario, not a part of it: not in the contents.
    body = [
        Section(key, heading, contents=key != "what_changed")
        for key, heading, present in candidates
        if present
    ]
    listed = [x for x in body if x.contents]
    return [
        Section("cover", None, contents=False),
        Section("contents", "Contents", listed, contents=False),
        *body,
    ]


SECTIONS: dict[str, Callable[[Prepared], list[Section]]] = {
    "brief": brief_sections,
    "report": report_sections,
}


def build_view(prepared: Prepared, template: str, commits: bool = False) -> View:
    """The view of ``template`` (brief or report) for ``prepared``, its notes numbered.

    ``commits`` is the workspace's ``changelog_commits``: without it the changelog
    annex lists the scenario's own entries only, and is left out when there are none.
    """
    # A workspace's own template (neither brief nor report) draws what it likes: no sections.
    sections = SECTIONS[template](prepared) if template in SECTIONS else []
    if not commits and not any(not c.commit for c in prepared.changelog):
        sections = [s for s in sections if s.key != "annex_changelog"]
    view = View(template, sections)
    cites = _Cites(prepared, view)
    for section in view.sections:
        for item in cites.of(section):
            for ident in [item] if isinstance(item, _Id) else _cited_in(item):
                view.citations.number(ident)
    known = {src.id for src in prepared.scenario.sources}
    if not any(i in known for i in view.citations.order):  # the brief's list would be empty
        view.sections = [s for s in view.sections if s.key != "sources"]
    return view


# --------------------------------------------------------------------------- notes

# Note numbers follow reading order, so they are assigned here, walking each section's
# texts (which may cite ``[@id]``) and structured sources in the order every format
# draws them. ``tests/test_view.py`` checks that order against the documents themselves.


class _Id(str):
    """A source id cited by a field (an observation's source), not found in a text."""


def _cited_in(text: object) -> list[str]:
    return [i for m in CITATION.finditer(str(text or "")) for i in cited_ids(m.group(1))]


def _ids(ids: Sequence[str | None]) -> Iterator[_Id]:
    """Several sources cited together: one mark, numbered in ascending order of first use."""
    yield from (_Id(i) for i in ids if i)


def _unless_in(ids: Sequence[str | None], text: str | None) -> Iterator[object]:
    """``text``, then the ``ids`` it does not cite itself (one mark per source)."""
    yield text
    yield from _ids([i for i in ids if i and f"[@{i}]" not in (text or "")])


class _Cites:
    """The cited texts and ids of each section, in the order the templates draw them."""

    def __init__(self, prepared: Prepared, view: View) -> None:
        self.prepared = prepared
        self.s: Scenario = prepared.scenario
        self.a: Analysis = prepared.analysis
        self.view = view

    def of(self, section: Section) -> Iterator[object]:
        method = getattr(self, section.key, None)
        return iter(method(section)) if method else iter(())

    def bottom_line(self, section: Section) -> Iterator[object]:
        yield self.s.summary
        if section.data is not None:
            yield section.data.text

    def cover(self, section: Section) -> Iterator[object]:
        yield self.s.summary

    def judgments(self, section: Section) -> Iterator[object]:
        for j in self.s.judgments:
            yield from _unless_in(j.sources, j.statement)

    def _threshold_rows(self) -> Iterator[object]:
        common = common_framework(self.a.grouped_thresholds)
        yield framework_note(self.a.grouped_thresholds)
        for t in self.a.grouped_thresholds:
            yield t.threshold.name
            yield from framework_labels(t, common)
            if t.indicator:
                yield t.indicator.name
            if t.evidence:
                yield from _ids([t.evidence.source])

    def thresholds(self, section: Section) -> Iterator[object]:
        yield from self._threshold_rows()
        if self.view.template != "report":
            return
        for t in self.a.grouped_thresholds:
            for f in t.threshold.frameworks:
                yield f.framework
                yield f.label
            yield t.threshold.description
            for finding in t.threshold.assessments:
                yield from _ids([finding.source])
                yield finding.subject
                yield finding.note
        for ind in self.s.indicators:
            yield ind.description
            for o in ind.observations:
                yield o.subject
                yield from _ids([o.source])
                yield o.note
            for _lane, values in self.a.forks.projections(ind):
                for p in values:
                    yield from _ids([p.source] if f"[@{p.source}]" not in (p.note or "") else [])
                    yield p.note

    def forks(self, section: Section) -> Iterator[object]:
        forks = self.a.forks
        last = forks.last_common
        if last:
            yield from _unless_in([last.event.source], last.event.event)
        lanes = list(reversed(forks.top))
        while lanes:  # depth first, as the lanes are drawn: a lane, then its forks
            lane = lanes.pop()
            yield lane.branch.condition if lane.branch else None
            for le in lane.key_events:
                yield from _unless_in([le.event.source], le.event.event)
            lanes.extend(reversed(forks.children(lane)))
        if forks.any_crossings:
            for ms in forks.milestones:
                if ms.forecasts:
                    yield ms.threshold.name
                    yield from dict.fromkeys(f.given for f in ms.forecasts if f.given)
                    yield from _ids([f.source for f in ms.forecasts])

    def instruments(self, section: Section) -> Iterator[object]:
        for r in section.data.rows:
            yield r.state.mechanism.name
            yield r.what

    def mechanism(self, section: Section) -> Iterator[object]:
        yield from self._mechanism(section.data.state, full=False)

    def mechanisms(self, section: Section) -> Iterator[object]:
        for state in self.a.mechanisms:
            yield from self._mechanism(state, full=True)

    def _mechanism(self, ms: MechanismState, full: bool) -> Iterator[object]:
        mech = ms.mechanism
        yield ms.state_text
        yield mech.scope
        if full:
            yield mech.description
        for box in self.view.boxes(ms):
            if box == "triggers":
                for t in ms.triggers:
                    yield t.status.label
                for limit in ms.limits:
                    yield limit.status.label
                    if limit.exceeded and limit.status.evidence:
                        yield from _ids([limit.status.evidence.source])
            elif box == "actions":
                for x in ms.actions:
                    yield x.action.action
                    yield x.deadline
            elif box == "verification":
                for v in mech.verification:
                    yield v.method
                    if full:
                        yield v.description
            elif box == "duration":
                yield from mech.exit_criteria
                entry = mech.entry_into_force
                yield getattr(entry, "text", entry)
                yield mech.withdrawal
            elif box == "requires":
                for duty in ms.duties:
                    yield duty.duty
                    yield duty.within
            elif box == "ladder":
                for step in ms.ladder:
                    yield step.step.response
                    if isinstance(step.step.when, str):
                        yield step.step.when
                yield from mech.measures
            elif box == "law":
                for term in mech.definitions:
                    yield term.meaning
                yield from mech.penalties
            elif box == "conditions":
                yield from mech.conditions
            elif box == "fallback":
                if full:
                    yield mech.enforcement
                yield mech.fallback
        if full:
            yield from mech.work_during_pause
            yield from mech.failure_modes

    def actors(self, section: Section) -> Iterator[object]:
        for actor in self.s.actors:
            yield actor.role
            yield from actor.commitments
            yield actor.position

    def forecasts(self, section: Section) -> Iterator[object]:
        for f in self.a.forks.distributions:
            yield from _unless_in([f.source], f.event)
            yield f.note
            yield f.given
        for f in self.s.forecasts:
            if f.distribution is None:
                yield f.given
                yield from _ids([f.source])
                yield f.note

    def branches(self, section: Section) -> Iterator[object]:
        for lane in self.a.forks.lanes:
            if lane.branch:
                yield lane.branch.description
                yield lane.branch.condition

    def timeline(self, section: Section) -> Iterator[object]:
        forks = self.a.forks
        lanes = [forks.common, *forks.lanes] if forks.has_branches else [forks.common]
        for lane in lanes:
            for le in lane.events:
                yield from _unless_in([le.event.source], le.event.event)

    def recommendations(self, section: Section) -> Iterator[object]:
        items = section.data.items if section.data else self.s.recommendations
        for r in items:
            yield r.text
            yield r.timeframe

    def questions(self, section: Section) -> Iterator[object]:
        yield from self.s.open_questions

    def annex_verification(self, section: Section) -> Iterator[object]:
        for mech in self.s.mechanisms:
            for v in mech.verification:
                yield v.method
                yield v.description

    def annex_sources(self, section: Section) -> Iterator[object]:
        cited = set(self.view.citations.order)
        by_id = {src.id: src for src in self.s.sources}
        yield from (by_id[i].note for i in self.view.citations.order if i in by_id)
        yield from (src.note for src in self.s.sources if src.id not in cited)

    def annex_changelog(self, section: Section) -> Iterator[object]:
        for c in self.prepared.changelog:
            if not c.commit:
                yield c.summary
