"""Properties of the semantic diff, over the example scenarios and random re-stylings.

- diff(x, x) is empty;
- diff(x, reformat(x)) is empty when reformat reorders lists and keys, switches
  flow and block style, quoting, line width (re-wrapping text) and comments;
- diff(a, b) is diff(b, a) with added and removed (and old and new) swapped.
"""

from __future__ import annotations

import random
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from generator.versions import sides
from generator.versions.diff import Change, compare

pytestmark = pytest.mark.slow  # property tests over many re-styled scenarios

NO_SHRINK = (Phase.explicit, Phase.reuse, Phase.generate)  # each example takes ~0.2 s
ROOT = Path(__file__).resolve().parents[1]
FILES = sorted((ROOT / "scenarios").glob("*.yaml")) + sorted(
    (ROOT / "tests" / "versions").glob("*.yaml")
)
SIDES = {f.name: sides.from_file(f) for f in FILES}


def plain(value: Any) -> Any:
    """The parsed data with the loader's number types made plain for the YAML dumper."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, int):
        return int(value)
    return float(value)


def shuffled(value: Any, rnd: random.Random) -> Any:
    """Every list and every mapping in a random order."""
    if isinstance(value, dict):
        keys = list(value)
        rnd.shuffle(keys)
        return {k: shuffled(value[k], rnd) for k in keys}
    if isinstance(value, list):
        items = [shuffled(v, rnd) for v in value]
        rnd.shuffle(items)
        return items
    return value


def reformat(data: dict[str, Any], rnd: random.Random) -> bytes:
    style = rnd.choice([None, "'", '"'])

    class Dumper(yaml.SafeDumper):
        pass

    def text(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)

    Dumper.add_representer(str, text)
    body = yaml.dump(
        shuffled(plain(data), rnd),
        Dumper=Dumper,
        sort_keys=False,
        default_flow_style=rnd.choice([False, True, None]),
        width=rnd.randint(30, 200),
        allow_unicode=rnd.random() < 0.5,
    )
    return f"# re-styled copy {rnd.random()}\n{body}".encode()


@given(st.sampled_from(sorted(SIDES)), st.randoms(use_true_random=False))
@settings(
    max_examples=25, deadline=None, phases=NO_SHRINK, suppress_health_check=[HealthCheck.too_slow]
)
def test_reformatting_is_no_change(name: str, rnd: random.Random) -> None:
    original = SIDES[name]
    assert original.data is not None
    copy = sides.from_bytes(reformat(original.data, rnd), "copy.yaml", "copy.yaml")
    result = compare(original, copy)
    assert result.changes == []
    assert not result.semantic


@given(st.sampled_from(sorted(SIDES)))
@settings(max_examples=10, deadline=None, phases=NO_SHRINK)
def test_a_scenario_against_itself_is_empty(name: str) -> None:
    result = compare(SIDES[name], SIDES[name])
    assert (result.changes, result.consequences, result.change) == ([], [], "unchanged")


_SWAP = {"added": "removed", "removed": "added", "changed": "changed", "-": "+", "+": "-", "=": "="}


def _mirror(change: Change) -> tuple[Any, ...]:
    path = re.sub(r" ?#\d+\]", "]", change.path)  # position labels differ by side
    words: list[tuple[str, str]] = []
    for op, text in ((_SWAP[op], text) for op, text in change.words):
        if op == "-" and words and words[-1][0] == "+":  # removed words are shown first
            words.insert(len(words) - 1, (op, text))
        else:
            words.append((op, text))
    return (_SWAP[change.kind], path, repr(change.new), repr(change.old), tuple(words))


def _plain(change: Change) -> tuple[Any, ...]:
    path = re.sub(r" ?#\d+\]", "]", change.path)
    return (change.kind, path, repr(change.old), repr(change.new), change.words)


@given(
    st.sampled_from(sorted(SIDES)),
    st.sampled_from(sorted(SIDES)),
    st.randoms(use_true_random=False),
)
@settings(max_examples=15, deadline=None, phases=NO_SHRINK)
def test_diff_is_antisymmetric(a: str, b: str, rnd: random.Random) -> None:
    old = SIDES[a]
    mutated = shuffled(plain(SIDES[b].data), rnd)
    if mutated.get("judgments") and rnd.random() < 0.7:  # reword and re-weigh one judgment
        judgment = mutated["judgments"][0]
        judgment["statement"] = "Reworded: " + str(judgment["statement"])
        judgment.pop("probability", None)
    new = sides.from_bytes(yaml.safe_dump(mutated).encode(), "b.yaml", "b.yaml")
    forward = sorted(_plain(c) for c in compare(old, new).changes)
    backward = sorted(_mirror(c) for c in compare(new, old).changes)
    assert forward == backward
