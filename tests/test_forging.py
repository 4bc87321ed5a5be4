"""Names and text cannot forge Markdown structure: GitHub's parser proves it.

Every field of kind *name* of real scenarios gets the ``name`` payload of
``tests/hostile/forging.yaml`` appended, and every field of kind *text* the
``text`` payload (blank lines, headings, a marking, a state word, a table,
footnote and link definitions, an HTML comment, an unclosed fence). The brief
and the report are rendered as Markdown and read by ``cmark-gfm``: their
headings, tables, markings, state words, footnote definitions, rules, quotes
and code blocks must be exactly those of the clean document.
"""

from __future__ import annotations

import re
import types
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, Union, get_args, get_origin

import pytest
import yaml
from clients import cmark_gfm
from conftest import ROOT, render_file
from pydantic import BaseModel

from generator.escaping import md_code, md_name
from generator.format.model import Scenario
from generator.format.types import Kind

PAYLOADS = yaml.safe_load((ROOT / "tests" / "hostile" / "forging.yaml").read_text())
# A term of the scenario's scale (one of a fixed list); the marking, whose own forging
# test_the_issue_s_attacks_are_inert checks, would change the bold runs compared here.
FIXED = {"likelihood", "classification"}
SCENARIOS = ["coordinated-pause", "eu-ai-act-gpai", "ai-2027", "miri-draft-treaty"]


# -- the hostile scenario ----------------------------------------------------------------


def _kind(annotation: Any) -> str | None:
    metadata = getattr(annotation, "__metadata__", ())
    return next((m.name for m in metadata if isinstance(m, Kind)), None)


def _alternatives(annotation: Any) -> list[Any]:
    """The types a value of ``annotation`` may have: unions and lists unwrapped."""
    origin = get_origin(annotation)
    if origin in (Union, types.UnionType):
        return [t for a in get_args(annotation) for t in _alternatives(a)]
    if origin is list:
        return _alternatives(get_args(annotation)[0])
    return [annotation]


def _inject(value: Any, annotation: Any, count: list[int]) -> Any:
    """``value`` with the payload of its kind appended to every name and text inside it."""
    options = _alternatives(annotation)
    if isinstance(value, list):
        return [_inject(v, annotation, count) for v in value]
    if isinstance(value, str):
        kinds = {_kind(o) for o in options} | {
            _kind(getattr(o, "__origin__", None)) for o in options
        }
        for kind in ("name", "text"):
            if kind in kinds:
                count.append(1)
                return value + PAYLOADS[kind]
        return value
    if isinstance(value, dict):
        models = [o for o in options if isinstance(o, type) and issubclass(o, BaseModel)]
        for model in models:
            fields = {f.alias or n: f for n, f in model.model_fields.items()}
            if set(value) <= set(fields):
                return {
                    k: _inject(v, _annotated(fields[k]), count) if k in set(fields) - FIXED else v
                    for k, v in value.items()
                }
    return value


def _annotated(field: Any) -> Any:
    """A field's annotation with its ``Kind`` (pydantic keeps metadata apart)."""
    if field.metadata:
        from typing import Annotated

        return Annotated[(field.annotation, *field.metadata)]
    return field.annotation


def hostile_file(tmp_path: Path, name: str) -> tuple[Path, int]:
    data = yaml.safe_load((ROOT / "scenarios" / f"{name}.yaml").read_text())
    count: list[int] = []
    forged = _inject(data, Scenario, count)
    path = tmp_path / f"{name}.yaml"
    path.write_text(yaml.safe_dump(forged, allow_unicode=True, sort_keys=False))
    return path, len(count)


# -- what GitHub draws -------------------------------------------------------------------


class _Structure(HTMLParser):
    """The parts of a drawn page that a forger would fake, in document order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.headings: list[tuple[str, str]] = []
        self.tables: list[list[int]] = []  # cells per row
        self.strong: list[str] = []  # every bold run that is a marking or state word
        self.blocks: list[str] = []  # rules, quotes, code blocks, and every other tag seen
        self.notes: list[str] = []  # each footnote definition's links
        self._text: list[str] | None = None
        self._in: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._in.append(tag)
        attrs_ = dict(attrs)
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6", "strong"):
            self._text = []
        elif tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self.tables[-1].append(0)
        elif tag in ("td", "th"):
            self.tables[-1][-1] += 1
        elif tag in ("hr", "blockquote", "pre"):
            self.blocks.append(tag)
        elif tag == "li" and (attrs_.get("id") or "").startswith("fn-"):
            self.notes.append(attrs_["id"] or "")  # a footnote definition, by number
        elif tag not in {"p", "em", "code", "a", "ul", "ol", "li", "br", "del", "sup", "section"}:
            self.blocks.append(tag)  # raw HTML would add a tag cmark never makes

    def handle_endtag(self, tag: str) -> None:
        if self._in and self._in[-1] == tag:
            self._in.pop()
        if self._text is None:
            return
        text = " ".join("".join(self._text).split())
        if tag.startswith("h") and len(tag) == 2:
            self.headings.append((tag, text))
            self._text = None
        elif tag == "strong":
            if re.fullmatch(r"[A-Z][A-Z /-]+", text):
                self.strong.append(text)
            self._text = None

    def handle_data(self, data: str) -> None:
        if self._text is not None:
            self._text.append(data)


def structure(markdown: bytes) -> _Structure:
    parsed = _Structure()
    parsed.feed(cmark_gfm(markdown))
    return parsed


# -- the proof ---------------------------------------------------------------------------


@pytest.mark.parametrize("template", ["brief", "report"])
@pytest.mark.parametrize("name", SCENARIOS)
def test_no_name_or_text_forges_structure(tmp_path: Path, name: str, template: str) -> None:
    path, injected = hostile_file(tmp_path, name)
    assert injected > 20  # the payloads reached the fields
    clean = structure(render_file(ROOT / "scenarios" / f"{name}.yaml", template, "md"))
    forged_md = render_file(path, template, "md")
    forged = structure(forged_md)
    assert "Forged heading" in forged_md.decode()  # the payload is printed, as text
    assert [level for level, _ in forged.headings] == [level for level, _ in clean.headings]
    for (_, mine), (_, theirs) in zip(forged.headings, clean.headings, strict=True):
        assert mine[:8] == theirs[:8]  # the payload follows the real words, it never leads
    assert forged.tables == clean.tables
    names = {str(a["name"]).upper() for a in yaml.safe_load(path.read_text()).get("actors", [])}
    real = [s for s in clean.strong if not any(n.startswith(s + " X") for n in names)]
    assert [s for s in forged.strong] == real  # markings and state words, no more
    assert forged.notes == clean.notes  # the same definitions, linking the same sources
    assert forged.blocks == clean.blocks


def test_a_clean_name_is_printed_as_it_is() -> None:
    for name in ("Frontier Model Forum", "AI R&D-4", "Gemini 3.1 Pro", "GPT-4o (May 2024)"):
        assert md_name(name) == name
    assert md_name("01.AI") == "01.AI"


@pytest.mark.parametrize(
    ("name", "printed"),
    [
        ("a\n\n# b", "a # b"),  # one line: "#" mid-line starts nothing
        ("# b", "\\# b"),
        ("> q", "\\> q"),
        ("- item", "\\- item"),
        ("+ item", "\\+ item"),
        ("1. item", "1\\. item"),
        ("2) item", "2\\) item"),
        ("a | b", "a \\| b"),
        ("[^1]: x", "\\[^1\\]: x"),
        ("`x`", "\\`x\\`"),
        ("*a* _b_ ~c~", "\\*a\\* \\_b\\_ \\~c\\~"),
        ("<!-- c -->", "\\<\\!-- c --\\>".replace("\\>", ">")),
        ("a\\b", "a\\\\b"),
        ("&amp; &", "\\&amp; &"),
        ("bell\x07 esc\x1b[2J", r"bell\\x07 esc\\x1b\[2J"),  # GitHub shows bell\x07 esc\x1b[2J
    ],
)
def test_a_name_escapes_only_what_would_start_structure(name: str, printed: str) -> None:
    assert md_name(name) == printed


def test_a_code_span_holds_any_text() -> None:
    assert md_code("authors[Ann]") == "`authors[Ann]`"
    assert md_code("a`b") == "``a`b``"
    assert md_code("`x`") == "`` `x` ``"
    assert md_code("a | b\n\nc", cell=True) == "`a \\| b c`"
    drawn = cmark_gfm(f"| p |\n|---|\n| {md_code('x ``` | y', cell=True)} |\n".encode())
    assert "<code>x ``` | y</code>" in drawn
