"""The format reference in Markdown, generated from the model (``scenario schema --markdown``).

Owns: turning the typed declaration in ``model`` into the human reference
(docs/FORMAT.md), so the docs can never drift from what the validator checks.
"""

from __future__ import annotations

import inspect
import types
from typing import Any, Literal, Union, get_args, get_origin

import yaml
from pydantic import BaseModel

from .model import Scenario
from .types import Kind
from .vocabulary import LIKELIHOOD_SCALES


def _kind(metadata: Any) -> str | None:
    """The value kind declared on a type (``Kind`` in ``types``), if any."""
    return next((m.name for m in metadata if isinstance(m, Kind)), None)


def _type_name(annotation: Any, nested: list[type[BaseModel]]) -> str:
    origin = get_origin(annotation)
    if origin is Literal:
        return " \\| ".join(f"`{a}`" for a in get_args(annotation))
    if origin in (Union, types.UnionType):
        args = [a for a in get_args(annotation) if a is not type(None)]
        return " or ".join(_type_name(a, nested) for a in args)
    if origin is list:
        return f"list of {_type_name(get_args(annotation)[0], nested)}"
    metadata = getattr(annotation, "__metadata__", None)
    kind = _kind(metadata or ())
    if kind:
        return kind
    if metadata is not None:  # an alternative of ``either``, or another annotation
        return _type_name(annotation.__origin__, nested)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        if annotation not in nested:
            nested.append(annotation)
        return f"[{annotation.__name__}](#{annotation.__name__.lower()})"
    if annotation is float:
        return "number"
    if annotation is int:
        return "integer"
    return "text"


def format_reference() -> str:
    """Markdown tables of every mapping of the format, its keys, types and meaning."""
    lines = [
        "# Scenario format, version 1",
        "",
        "Generated from the tool's own declaration by `scenario schema --markdown`; "
        "required keys are marked ✱. Text fields accept Markdown and `[@source-id]` "
        "citations. Dates are `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.",
        "",
    ]
    nested: list[type[BaseModel]] = [Scenario]
    index = 0
    while index < len(nested):
        model = nested[index]
        index += 1
        lines += [
            f"## {model.__name__}",
            "",
            inspect.cleandoc(model.__doc__ or ""),
            "",
            "| key | type | meaning |",
            "|---|---|---|",
        ]
        for name, field in model.model_fields.items():
            mark = " ✱" if field.is_required() else ""
            kind = _kind(field.metadata) or _type_name(field.annotation, nested)
            key = field.alias or name
            meaning = (field.description or "").replace("|", "\\|")
            lines.append(f"| `{key}`{mark} | {kind} | {meaning} |")
        lines.append("")
        extra = model.model_config.get("json_schema_extra")
        shown = extra.get("examples") if isinstance(extra, dict) else None
        for example in shown if isinstance(shown, list) else []:
            text = yaml.safe_dump(example, sort_keys=False, allow_unicode=True, width=88)
            lines += ["```yaml", text.rstrip(), "```", ""]
    table = ["| warning | what it means | how to satisfy it honestly |", "|---|---|---|"]
    table += [f"| {code} | {means} | {fix} |" for code, means, fix in WARNINGS]
    lines += [*ANALYSIS.strip().replace("{warnings}", "\n".join(table)).split("\n"), ""]
    lines += ["## Likelihood scales", ""]
    for scale, terms in LIKELIHOOD_SCALES.items():
        lines += [f"### {scale}", "", "| term | probability |", "|---|---|"]
        lines += [f"| {term} | {low:.0%}–{high:.0%} |" for term, (low, high) in terms.items()]
        lines.append("")
    return "\n".join(lines)


ANALYSIS = """
## How the analysis works

The documents and `scenario status` print the same computed facts, as of the
scenario's `date`.

### A threshold's status

- **Evidence** is a threshold's indicator readings (`observations`, each read
  against the `condition`) and its `assessments` (findings by evaluation).
  Evidence dated after the scenario date is ignored.
- The **latest** evidence decides: a reading or an assessment, whichever is
  later. Readings and assessments that name a `subject` (the model measured)
  form one line of evidence per subject; the most severe subject decides,
  since one model past a level is enough.
- A reading is `crossed` when it meets the condition, `alert` when it has
  reached `condition.alert` (the early warning), else `clear`. An assessment
  says its status directly, which is how a level judged by evaluation, with no
  public number, reaches `alert` (`condition.alert` is for numbers only).
- A threshold with no evidence is **not assessed**: nothing has been
  published on it yet. It is never shown as a reading of zero.
- `escalates_to` makes a threshold the early warning of another; the
  documents list it just before the level it warns of.
- Position bars use a log scale for `flop`, for custom units with
  `scale: log`, and wherever the values span three or more orders of
  magnitude.

### A mechanism's state

- A trigger written as an id fires when its threshold is **crossed**; written
  `{threshold: ID, at: alert}` it fires at the **alert** level (alert or
  crossed). A mechanism is triggered when any of its triggers has fired, and
  the documents name the threshold and the level.
- A mechanism whose `status` is `proposed`, `agreed`, `suspended` or `ended`
  is **not in force**: it is never shown as triggered or active, whatever its
  thresholds say. Omitted, `status` means in force.
- `limits` are standing prohibitions, not triggers: the documents list them as
  forbidden outright and, where a limit's threshold is already crossed, say so
  with the reading (value, subject, date).
- `halts` words the mechanism: a **pause** halts training or development, a
  **deployment hold** holds only deployment, a **response plan** halts nothing
  (`halts: []`). Without `halts` it is called a pause mechanism, as in format 1.
- Who decides is stated as a fact: for `voluntary-policy` and `unilateral`
  mechanisms an adjudicator that is (or is `part_of`) the only party is the
  design ("Adjudicated by X alone; no external verifier").

### "None stated"

An explicit empty list (`verification: []`, `exit_criteria: []`,
`triggered_by: []`, `actions: []`) says the source states none; the documents
print "None stated" and no warning is given. Omitting the key means it was not
filled in, and a warning may ask for it. `duration: none` means no end date.

### Warnings, and how to satisfy them honestly

{warnings}

`scenario validate --strict` fails on any warning but still prints it as a
warning. A `final` scenario may keep no warning.

### `scenario status --format json`

```json
{"id": "…", "date": "2026-03-01",
 "thresholds": [{"id": "…", "status": "clear|alert|crossed|not-assessed",
                 "evidence": null | {"kind": "observation|assessment", "date": "…",
                   "status": "…", "subject": "…", "value": 5e24, "reading": "5×10²⁴ FLOP",
                   "by": "actor-id", "source": "source-id", "note": "…"},
                 "projected": [{"date": "2027-03", "branch": null | "branch-id"}]}],
 "mechanisms": [{"id": "…", "status": "proposed|agreed|in-force|suspended|ended",
                 "triggered": true | false | null,
                 "by": [{"threshold": "…", "at": "alert|crossing"}],
                 "limits_exceeded": [{"threshold": "…", "reading": "…"}]}]}
```

`triggered` is null for a mechanism with no trigger; `value` and `reading`
are given for an observation, `by` for an assessment. `projected` lists the
dates at which the scenario's story reaches the threshold (`crosses` on a
timeline event), with the branch (null: the common path); a projection is
never evidence and never changes `status`.
"""

WARNINGS: tuple[tuple[str, str, str], ...] = (
    (
        "`uncited-source`",
        "a source that no text, observation, assessment or judgment cites",
        "cite it where it is used, or remove it",
    ),
    (
        "`unused-actor`",
        "an actor with no role or position that no field names",
        "name it where it acts, or give it a `role` if it is there for context",
    ),
    (
        "`no-verification`, `no-exit-criteria`",
        "a mechanism without the key",
        "list them, or write `[]` when the source states none",
    ),
    (
        "`self-adjudication`",
        "a party judges its own compliance in a joint mechanism",
        "name the real adjudicator; a company's own policy is `kind: voluntary-policy`",
    ),
    (
        "`unsourced-observation`, `unsourced-assessment`, `unsourced-judgment`",
        "evidence without a source",
        "add the source that reports it",
    ),
    (
        "`assessment-disagrees`",
        "a reading and an assessment of one date and subject disagree",
        "correct one, or date each as it was published",
    ),
    (
        "`alert-trigger-without-alert`",
        "a trigger at the alert level that cannot fire there",
        "add `condition.alert`, or write `at: crossing`",
    ),
    (
        "`outside-horizon`",
        "a dated item outside the horizon",
        "widen the horizon, or correct the date",
    ),
)
"""Every warning the validator gives, what it means and the honest way to satisfy it."""
