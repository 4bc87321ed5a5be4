"""Every documented form renders: each field that may take several forms, in each form.

The fields are found by walking the model from :class:`Scenario` (a union of
forms, as ``types.either`` declares one, or any other union that is more than
"a value or nothing"), never from a list typed here. For each form, one
bundled scenario is rewritten with that field in that form (the first item
that has the field, so the documents show it), and the result must validate
and render through every template and format. A new union field whose form
this file cannot write fails :func:`test_every_form_has_an_example`: add its
example to :data:`EXAMPLES` or a sample to :data:`SAMPLES`.
"""

from __future__ import annotations

import copy
import json
import types
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, Union, get_args, get_origin

import pytest
import yaml
from pydantic import BaseModel, Tag

import generator
from generator.format import model
from generator.format.loader import load_document
from generator.format.types import Kind, Ref
from generator.prepared import from_model
from generator.rendering.document import render_text
from generator.rendering.renderers import renderer
from generator.workspace import TEMPLATES, load_settings

ROOT = Path(__file__).parent.parent
BASE = ROOT / "scenarios" / "miri-draft-treaty.yaml"

# A minimal valid instance of each mapping a form may be, or that must be added to reach
# a field; the ids are those of the base scenario.
EXAMPLES: dict[type[BaseModel], dict[str, Any]] = {
    model.Trigger: {"threshold": "reportable-run-1e22", "at": "crossing"},
    model.Action: {"action": "Report the run", "thresholds": ["reportable-run-1e22"]},
    model.EntryIntoForce: {"text": "After the 20th ratification", "ratifications": 20},
    model.Duration: {"min": "6 months", "max": "12 months"},
    model.CustomUnit: {"label": "H100-equivalents", "scale": "log"},
    model.Verification: {"method": "compute-accounting", "by": "isia"},
    model.Mechanism: {"id": "form-sample", "name": "Form sample", "kind": "unilateral"},
    model.Indicator: {"id": "form-sample", "name": "Form sample", "unit": "count"},
    model.Party: {"actor": "united-states", "joined": "2026-01", "note": "Joined first"},
    model.CoveredClass: {
        "id": "large-developers",
        "name": "Large developers",
        "criteria": ["Trained a model above 10^24 FLOP"],
        "members": ["united-states"],
    },
    model.Duty: {"duty": "Report the run", "within": "15 days", "to": "united-states"},
    model.LadderStep: {"step": "Sabotage", "response": "Degrade the run", "when": "A bid"},
    model.StepTrigger: {"threshold": "reportable-run-1e22", "at": "crossing"},
}

# A sample of each kind of scalar value, by the name ``types.Kind`` gives it. The text is
# the one that once crashed the documents as an entry into force.
SAMPLES: dict[str, Any] = {
    "text": "1 January 2026",
    "name": "A name",
    "id": "form-sample",
    "date": "2026-01",
}


@dataclass(frozen=True)
class Step:
    """One key on the way from the scenario to a mapping: a list of items or one item."""

    key: str
    many: bool
    model: type[BaseModel]


@dataclass(frozen=True)
class Site:
    """A field that takes several forms, and how to reach the mapping that holds it."""

    route: tuple[Step, ...]
    owner: type[BaseModel]
    key: str
    many: bool  # a list of items, each in one of the forms
    forms: tuple[tuple[str, Any], ...]  # (name, type) of each alternative

    @property
    def name(self) -> str:
        return f"{self.owner.__name__}.{self.key}{'[]' if self.many else ''}"


def _strip(annotation: Any) -> tuple[Any, list[Any]]:
    """The type under ``Annotated`` (and ``None``), and the metadata found on the way."""
    metadata: list[Any] = []
    while True:
        if get_origin(annotation) is typing.Annotated:
            metadata += annotation.__metadata__
            annotation = annotation.__origin__
            continue
        if get_origin(annotation) in (Union, types.UnionType):
            args = [a for a in get_args(annotation) if a is not type(None)]
            if len(args) == 1:  # "a value or nothing" is one form
                annotation = args[0]
                continue
        return annotation, metadata


def _alternatives(annotation: Any) -> tuple[tuple[str, Any], ...]:
    """The named forms of a union (the names ``either`` tags them with), else ``()``."""
    union, _ = _strip(annotation)
    if get_origin(union) not in (Union, types.UnionType):
        return ()
    forms = []
    for arm in get_args(union):
        if arm is type(None):
            continue
        _, metadata = _strip(arm)
        tag = next((m.tag for m in metadata if isinstance(m, Tag)), None)
        forms.append((tag or repr(_strip(arm)[0]), arm))
    return tuple(forms)


def _models(annotation: Any) -> list[type[BaseModel]]:
    """Every model a type may hold, through lists, unions and annotations."""
    inner, _ = _strip(annotation)
    if isinstance(inner, type) and issubclass(inner, BaseModel):
        return [inner]
    return [m for arg in get_args(inner) for m in _models(arg)]


def union_sites(root: type[BaseModel] = model.Scenario) -> list[Site]:
    """Every field of ``root`` and the models under it whose value may take several forms."""
    routes: dict[type[BaseModel], tuple[Step, ...]] = {root: ()}
    queue, sites = [root], []
    while queue:
        owner = queue.pop(0)
        for name, field in owner.model_fields.items():
            key = field.alias or name
            annotation, _ = _strip(field.annotation)
            many = get_origin(annotation) is list
            item = get_args(annotation)[0] if many else field.annotation
            forms = _alternatives(item)
            if forms:
                sites.append(Site(routes[owner], owner, key, many, forms))
            for found in _models(item):
                if found not in routes:
                    routes[found] = (*routes[owner], Step(key, many, found))
                    queue.append(found)
    return sites


SITES = union_sites()
CASES = [(site, form) for site in SITES for form, _ in site.forms]
IDS = [f"{site.name}={form}" for site, form in CASES]


def _base() -> dict[str, Any]:
    """The base scenario as plain data (the loader's numbers as plain numbers)."""
    return json.loads(json.dumps(load_document(BASE).data))


def sample(annotation: Any, data: dict[str, Any], current: Any = None) -> Any:
    """A valid value of type ``annotation`` in the scenario ``data``."""
    inner, metadata = _strip(annotation)
    target = next((m.target for m in metadata if isinstance(m, Ref)), None)
    if target is not None:
        ids = [item["id"] for item in data.get(target, [])]
        assert ids, f"the base scenario has no {target} for a reference to name"
        return ids[0]
    if isinstance(inner, type) and issubclass(inner, BaseModel):
        assert inner in EXAMPLES, f"no example of {inner.__name__} in EXAMPLES"
        return copy.deepcopy(EXAMPLES[inner])
    if get_origin(inner) is list:
        return [sample(get_args(inner)[0], data)]
    if get_origin(inner) is Literal:  # the author's own choice when it is of this form
        choices = get_args(inner)
        return current if current in choices else choices[0]
    kind = next((m.name for m in metadata if isinstance(m, Kind)), None)
    assert kind in SAMPLES, f"no sample of {kind or inner!r} in SAMPLES"
    return SAMPLES[kind]


def written_in(site: Site, form: str) -> dict[str, Any]:
    """The base scenario with the first item holding ``site`` rewritten in ``form``."""
    data = _base()
    node = data
    for step in site.route:  # the first item on the way, added when there is none
        if step.many:
            items = node.setdefault(step.key, [])
            if not items:
                items.append(sample(step.model, data))
            node = items[0]
        else:
            node = node.setdefault(step.key, sample(step.model, data))
    kind = dict(site.forms)[form]
    if site.many:  # the first item in this form, the others kept (a treaty needs two parties)
        node[site.key] = [sample(kind, data), *node.get(site.key, [])[1:]]
    else:
        node[site.key] = sample(kind, data, node.get(site.key))
    return data


def _valid(site: Site, form: str, tmp_path: Path) -> model.Scenario:
    path = tmp_path / f"{site.name}-{form.strip('<>')}.yaml"
    path.write_text(yaml.safe_dump(written_in(site, form), sort_keys=False, allow_unicode=True))
    scenario, diagnostics = generator.load(path)
    errors = [str(d) for d in diagnostics if d.severity == "error"]
    assert scenario is not None and not errors, errors
    return scenario


def test_the_walk_finds_the_forms_the_reference_documents() -> None:
    """A check on the walk itself: forms the format reference names are among those found."""
    found = {site.name: [form for form, _ in site.forms] for site in SITES}
    assert found["Mechanism.entry_into_force"] == ["<scalar>", "<mapping>"]
    assert found["Verification.by"] == ["<one>", "<list>"]
    assert found["Mechanism.triggered_by[]"] == ["<scalar>", "<mapping>"]


def test_every_form_has_an_example() -> None:
    """Fails when a union field appears whose forms this file cannot write."""
    for site, form in CASES:
        written_in(site, form)


@pytest.mark.parametrize(("site", "form"), CASES, ids=IDS)
def test_each_form_validates_and_renders_in_every_template_as_text(
    site: Site, form: str, tmp_path: Path
) -> None:
    scenario = _valid(site, form, tmp_path)
    settings = load_settings(ROOT)
    prepared = from_model(scenario, "rev")
    for template in TEMPLATES:
        for fmt in ("md", "html"):
            assert render_text(prepared, settings, template, fmt).strip()


@pytest.mark.slow
@pytest.mark.parametrize(("site", "form"), CASES, ids=IDS)
def test_each_form_renders_in_every_template_as_pdf(site: Site, form: str, tmp_path: Path) -> None:
    scenario = _valid(site, form, tmp_path)
    settings = load_settings(ROOT)
    prepared = from_model(scenario, "rev")
    for template in TEMPLATES:
        assert renderer("pdf").render(prepared, settings, template).data.startswith(b"%PDF-")
