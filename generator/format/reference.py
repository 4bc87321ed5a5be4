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

### Instruments: laws, pledges, deterrence regimes and tiers

A mechanism is any instrument a briefing compares. `requires` holds its
standing duties (what it obliges whether or not anything has fired);
`actions` holds the responses to a trigger. A law in force:

```yaml
- id: frontier-ai-act
  name: Frontier AI statute
  kind: regulation
  status: in-force
  entry_into_force: {text: On 1 January 2026, date: 2026-01-01}  # "in force since"
  covers:                           # whom it binds: actor ids and/or classes
    - id: large-frontier-developers
      name: Large frontier developers
      criteria: [Trained a model with more than 10^26 operations]
      # members: [openai]           # omitted: "coverage not established"
  requires:
    - {duty: Publish a frontier AI framework, covers: [large-frontier-developers]}
    - {duty: Report a critical safety incident, within: 15 days, to: oes}
  definitions:
    - {term: Catastrophic risk, meaning: Death of more than 50 people.}
  adjudicator: each-party           # each covered actor decides for itself
  enforcer: attorney-general        # who enforces: a court, a regulator
  penalties: [A civil penalty of up to USD 1 million per violation.]
```

`to` is who *receives* a duty's report: an office that receives incident
reports is never counted as verifying them. `each-party` is reserved: no
actor may take it as an id.

A multi-party pledge: `kind: voluntary-commitment` (several parties, no
external enforcement), `convener` an id or a list, parties with the dates
they joined or left, and compliance per party and date:

```yaml
- id: seoul-commitments
  kind: voluntary-commitment
  convener: [uk-government, korea-government]
  parties:
    - {actor: openai, joined: 2024-05-21}
    - {actor: zhipu-ai, joined: 2024-05-21}
    - {actor: lab-c, joined: 2024-11, note: Joined after the summit.}
  adjudicator: each-party
  requires: [Publish a safety framework before the next summit.]
  compliance:
    - {actor: openai, date: 2025-02-10, status: met, source: tracker}  # met|partly|not-met|unknown
```

A deterrence regime: `parties` are bound by it, `targets` are the actors it
acts against, `ladder` the ordered responses (each `when` a text, or a
trigger `{threshold, at}` that moves a party to that step), and `measures`
what makes it work (not `conditions`, which are preconditions). A
`kind: deterrence` needs at least one party and one target:

```yaml
- id: maim
  kind: deterrence
  parties: [state-a, state-b]
  targets: [state-c]
  ladder:
    - {step: Espionage, response: Watch the project, by: state-a}
    - {step: Sabotage, response: Degrade the training run,
       when: {threshold: bid-for-dominance, at: crossing}}
  measures: [Clear escalation thresholds.]
```

A release tier that applies *while* a threshold is not crossed is
`triggered_by: [{threshold: bio-high, at: not-crossed}]`. The top-level
`levels: {warning: High, critical: Critical}` names the canonical levels as
the source does (a level may be left unnamed); thresholds keep
`level: watch|warning|critical`. A timeline event with `scheduled: true` is
a date fixed by law or agreement, not a projection.
`recommendations[].proposed_by` says whose proposal it is (omitted: the
scenario's authors), with its `sources`.

**Computed state** (`state` in `scenario status --format json`), as of the
scenario's date:

| state | meaning |
|---|---|
| `not-in-force` | `status` is proposed, agreed, suspended or ended |
| `triggered` | a trigger fired, or a ladder step's trigger was reached |
| `applies` | a `not-crossed` trigger holds; or, with no trigger, whom it binds is known |
| `not-triggered` | it has triggers and none fired |
| `not-assessed` | none of its triggers' thresholds has been assessed |
| `in-force` | in force, but coverage not established (a class with no members) |

"Whom it binds is known": covered actors or class members, standing
`limits`, or parties bound by its duties. Parties count as of the date:
those that joined on or before it and have not left. Compliance counts
each such party's latest entry dated on or before the date
("1 of 3 met · 1 not met · 1 not recorded").

### Choosing the words

Every heading and state word a document prints follows from the data. An
instrument's heading is the first of these that fits (the others that fit
are lines under it: "Also requires 3 standing duties."). Tiers are a
`not-crossed` trigger, or triggers on thresholds of two levels.

| the data | heading |
|---|---|
| `targets` or a `ladder` | Deterrence: NAME |
| `requires` | Obligations: NAME |
| `halts` training or development, with a trigger | Pause: NAME |
| `limits` | Standing limit: NAME |
| `halts` deployment only, with tiers (see below) | Release policy: NAME |
| `halts` deployment only, without tiers | Deployment hold: NAME |
| `halts: []`, with a trigger | Response plan: NAME |
| none of these (format 1 without `halts`) | its kind: Treaty: NAME, Regulation: NAME … |

| the data | state word |
|---|---|
| `status` proposed / agreed / suspended / ended | proposed, not in force (agreed, …) |
| in force, `entry_into_force.date` reached | in force since DATE |
| a trigger fired, or a ladder step's trigger was reached | triggered |
| a `not-crossed` tier holds, or whom it binds is known | applies (never "triggered") |
| triggers, none fired | not triggered (the sentence names an early warning passed) |
| triggers, none assessed | not assessed |
| in force, no trigger, coverage not established | in force |
| in force, nothing to trigger and nothing standing | no trigger defined |

A brief with more than one instrument opens its instruments part with a
table of all of them (what each stops or requires and of whom; who decides,
enforces and verifies, or "no one" / "not stated"; its state), in the order
of their state, then the level that set them off, then id — never the file's
order, so a reorder of `mechanisms` changes no byte. In full after the table:
every instrument that applies or is triggered; else those named in the
top-level `featured: [ID…]`; else the first in that order. Boxes that would
only say "None stated" become one line ("None stated: verification; exit
criteria."). Threshold levels print as `levels` names them.
`recommendations[].proposed_by` prints "— proposed by NAME".

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
 "mechanisms": [{"id": "…", "kind": "regulation|treaty|…",
                 "status": "proposed|agreed|in-force|suspended|ended",
                 "state": "applies|in-force|triggered|not-triggered|not-assessed|not-in-force",
                 "triggered": true | false | null,
                 "by": [{"threshold": "…", "at": "alert|crossing"}],
                 "limits_exceeded": [{"threshold": "…", "reading": "…"}],
                 "parties": ["actor-id"],
                 "compliance": null | {"parties": 20, "met": 12, "partly": 0, "not-met": 3,
                   "unknown": 1, "not-recorded": 4, "text": "12 of 20 met · …"},
                 "ladder": [{"step": "…", "by": "actor-id", "when": "…" | {"threshold": "…",
                   "at": "crossing"}, "threshold_status": null | "clear|…",
                   "reached": true | false | null}]}],
 "glance": [{"kind": "thresholds|lead|instruments|scheduled|headline", "text": "…"}]}
```

`triggered` is null for a mechanism with no trigger; `parties` are those
bound as of the date; `reached` is null for a ladder step whose `when` is a
text; `value` and `reading`
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
        "name the real adjudicator; if each party judges itself by design, write "
        "`adjudicator: each-party`; a company's own policy is `kind: voluntary-policy`",
    ),
    (
        "`unsourced-compliance`",
        "a compliance entry without a source",
        "add the source that reports whether the party complied",
    ),
    (
        "`voluntary-enforcer`",
        "a voluntary commitment with an enforcer",
        "remove the enforcer, or choose the kind it is (regulation, treaty, code-of-practice)",
    ),
    (
        "`future-entry`",
        "in force before its entry-into-force date",
        "write `status: agreed` until that date, or correct the date",
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
