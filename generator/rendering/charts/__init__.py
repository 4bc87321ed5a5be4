"""Charts: figures computed from the analysis, as SVG text the same on every run.

Owns: which charts a scenario has and how each is drawn — for now the trajectory of
each indicator that a quantitative threshold reads (``trajectory``). A chart is data
in, :class:`Chart` out: its SVG (no timestamp, no random id, numbers formatted to
fixed places, so the bytes depend on the data alone), its title and its text
alternative, which says in words what the figure shows. HTML and PDF embed the SVG
inline; Markdown links to it as an attachment written beside the document. The SVG
is written here, without a plotting library: a few hundred elements whose every
number is rounded to one decimal, so nothing (a hash salt, a date in metadata, an
id counter) can change the bytes. Must not read files or know a template.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Chart:
    """One figure: ``name`` is its file name's stem (``indicator-swe-bench``)."""

    name: str
    title: str
    alt: str
    svg: str
