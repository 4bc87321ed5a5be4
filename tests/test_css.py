"""The stylesheets on their own: they parse, and each output gets exactly the rules it needs.

The golden HTML files leave the inlined stylesheet out, so that a CSS change
fails these tests (when it breaks something) instead of every golden file.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import tinycss2

from generator.format.validation import load_valid
from generator.pipeline import render_scenario
from generator.workspace import builtin_templates, load_settings

ROOT = Path(__file__).resolve().parents[1]
PAUSE = ROOT / "scenarios" / "coordinated-pause.yaml"
PRINT_ONLY = ("string-set", "bookmark-level", "@page", "string(")
COMMENT = re.compile(r"/\*.*?\*/", re.S)


def _print_only(css: str) -> list[str]:
    """The paged-media words in a stylesheet's rules (its comments may name them)."""
    rules = COMMENT.sub("", css)
    return [word for word in PRINT_ONLY if word in rules]


def _errors(css: str) -> list[str]:
    """Every parse error in a stylesheet, rule by rule and declaration by declaration."""
    out = []
    for rule in tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True):
        if rule.type == "error":
            out.append(f"{rule.source_line}: {rule.message}")
        elif rule.type == "qualified-rule":
            for decl in tinycss2.parse_declaration_list(rule.content, True, True):
                if decl.type == "error":
                    out.append(f"{decl.source_line}: {decl.message}")
    return out


@pytest.mark.parametrize("name", ["briefing.css", "print.css"])
def test_each_stylesheet_parses_without_an_error(name: str) -> None:
    css = (builtin_templates() / name).read_text(encoding="utf-8")
    assert css.strip()
    assert _errors(css) == []


def test_the_screen_stylesheet_holds_no_paged_media_rule() -> None:
    css = (builtin_templates() / "briefing.css").read_text(encoding="utf-8")
    assert _print_only(css) == []


@pytest.mark.parametrize("template", ["brief", "report"])
def test_html_inlines_the_screen_stylesheet_and_pdf_adds_the_print_one(template: str) -> None:
    from generator.prepared import from_model
    from generator.rendering.document import render_text

    scenario = load_valid(PAUSE)
    settings = load_settings(ROOT)
    screen = (builtin_templates() / "briefing.css").read_text(encoding="utf-8").strip()
    printed = (builtin_templates() / "print.css").read_text(encoding="utf-8").strip()
    html = render_scenario(scenario, PAUSE, settings, template, "html", "rev").decode()
    style = re.search(r"<style>(.*?)</style>", html, re.S).group(1)
    assert screen in style and printed not in style
    assert _print_only(style) == []
    paged = render_text(from_model(scenario, "rev"), settings, template, "pdf")
    style = re.search(r"<style>(.*?)</style>", paged, re.S).group(1)
    assert screen in style and printed in style and "@page" in style
