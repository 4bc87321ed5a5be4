"""Make the fonts shipped in templates/fonts/ from the upstream files in tools/fonts-source/.

Owns: which characters, layout features and tables the shipped fonts keep,
and the conversion of Inter's CFF outlines to TrueType ones. Run by hand
after changing either; the output is the same bytes on every run for the same
fontTools version (the fonts keep the upstream ``head`` dates).

Why: when Debian's ``libharfbuzz-subset0`` is missing, WeasyPrint subsets
every embedded font with fontTools at render time, and its cost grows with
the font: the layout tables are decompiled in full even though WeasyPrint
drops them, and CFF charstrings are interpreted in Python. Fonts cut down to
the scripts we support, with only the features a briefing uses and with
TrueType outlines, make that render-time subsetting cheap on both paths.

Usage: ``python tools/subset_fonts.py`` (needs fontTools, a dependency of WeasyPrint).
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

from fontTools import subset
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTFont, newTable
from fontTools.ttLib.tables._k_e_r_n import KernTable_format_0

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "tools" / "fonts-source"
TARGET = ROOT / "templates" / "fonts"

# The characters we support, by block: Latin (with Latin-1 and Extended-A, the
# Romanian comma-below letters of Extended-B), Greek, Cyrillic, the punctuation,
# super- and subscripts, currency, arrows and maths signs the templates print.
COVERAGE: dict[str, list[tuple[int, int]]] = {
    "Basic Latin": [(0x0020, 0x007E)],
    "Latin-1 Supplement": [(0x00A0, 0x00FF)],
    "Latin Extended-A": [(0x0100, 0x017F)],
    "Latin Extended-B (Romanian, florin)": [(0x0192, 0x0192), (0x0218, 0x021B)],
    "spacing and combining accents": [(0x02C6, 0x02C7), (0x02D8, 0x02DD), (0x0300, 0x0328)],
    "Greek": [(0x0370, 0x03FF)],
    "Cyrillic": [(0x0400, 0x045F), (0x0490, 0x0491)],
    "punctuation": [(0x2010, 0x2027), (0x2030, 0x203A), (0x2044, 0x2044)],
    "super- and subscripts": [(0x2070, 0x209F)],
    "currency": [(0x20AC, 0x20AC), (0x20A3, 0x20A4), (0x20B9, 0x20BD)],
    "letterlike": [(0x2116, 0x2116), (0x2122, 0x2122)],
    "arrows": [(0x2190, 0x2195)],
    "maths": [(0x2212, 0x2212), (0x2215, 0x2215), (0x221E, 0x221E), (0x2248, 0x2248)],
    "comparisons": [(0x2260, 0x2260), (0x2264, 0x2265)],
}

# Ligatures and the tabular figures of number columns (a GSUB of a few hundred
# bytes); the other features (stylistic sets, fractions, small caps) are not used
# by the templates. Kerning is kept too, but moved out of GPOS (below).
FEATURES = ["kern", "liga", "tnum"]

# Kerning moves from GPOS into a legacy 'kern' table, which HarfBuzz (so Pango,
# so WeasyPrint) applies when a font has no GPOS: fontTools decompiles all of
# GPOS at render time only to drop it, which made up most of the subsetting
# cost. A 'kern' subtable holds at most 10,920 pairs, so the pairs kept are
# those between the characters of running text: ASCII and Latin-1 letters,
# digits and punctuation, and the typographic quotes and dashes.
KERNED = [(0x0020, 0x007E), (0x00C0, 0x00FF), (0x2013, 0x2014), (0x2018, 0x201E)]
MAX_PAIRS = 10920

# How far (in font units, Inter has 2,816 to the em) a quadratic TrueType curve may
# stray from Inter's cubic one: about 1/1000 em, invisible even in a 21 pt heading,
# and fewer points make every render's fontTools pass cheaper.
MAX_ERR = 3.0


def unicodes() -> list[int]:
    return [c for ranges in COVERAGE.values() for a, b in ranges for c in range(a, b + 1)]


def cut(font: TTFont) -> None:
    """Keep the supported characters and features; drop hinting (WeasyPrint drops it too)."""
    options = subset.Options(
        layout_features=FEATURES,
        hinting=False,
        desubroutinize=True,
        name_IDs=["*"],  # keep the copyright and licence records
        name_languages=["*"],
        notdef_outline=True,
        recalc_timestamp=False,
        glyph_names=True,  # fontTools would otherwise rebuild them from cmap at every render
    )
    options.drop_tables += ["DSIG"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=unicodes())
    subsetter.subset(font)


def kerning_pairs(font: TTFont, glyphs: set[str]) -> dict[tuple[str, str], int]:
    """The horizontal advance adjustments of GPOS 'kern' between ``glyphs``, first rule wins."""
    gpos = font["GPOS"].table
    indices = sorted(
        {
            i
            for record in gpos.FeatureList.FeatureRecord
            if record.FeatureTag == "kern"
            for i in record.Feature.LookupListIndex
        }
    )
    pairs: dict[tuple[str, str], int] = {}
    for index in indices:
        lookup = gpos.LookupList.Lookup[index]
        for sub in lookup.SubTable:
            sub = getattr(sub, "ExtSubTable", sub)
            if type(sub).__name__ != "PairPos":
                continue
            found: dict[tuple[str, str], int] = {}
            if sub.Format == 1:
                for first, pair_set in zip(sub.Coverage.glyphs, sub.PairSet, strict=True):
                    if first in glyphs:
                        for rec in pair_set.PairValueRecord:
                            x = getattr(rec.Value1, "XAdvance", 0) if rec.Value1 else 0
                            if rec.SecondGlyph in glyphs and x:
                                found[first, rec.SecondGlyph] = x
            else:
                class1, class2 = sub.ClassDef1.classDefs, sub.ClassDef2.classDefs
                for first in glyphs.intersection(sub.Coverage.glyphs):
                    row = sub.Class1Record[class1.get(first, 0)].Class2Record
                    for second in glyphs:
                        value = row[class2.get(second, 0)].Value1
                        x = getattr(value, "XAdvance", 0) if value else 0
                        if x:
                            found[first, second] = x
            for pair, x in found.items():  # within a lookup, the first subtable applies
                pairs.setdefault(pair, x)
    return pairs


def move_kerning(font: TTFont) -> None:
    """Replace GPOS (and GDEF, which only served it) by a 'kern' table of running-text pairs."""
    cmap = font.getBestCmap()
    glyphs = {cmap[c] for a, b in KERNED for c in range(a, b + 1) if c in cmap}
    pairs = kerning_pairs(font, glyphs)
    if len(pairs) > MAX_PAIRS:
        raise SystemExit(f"{len(pairs)} kerning pairs: more than a 'kern' subtable holds")
    subtable = KernTable_format_0()
    subtable.version, subtable.format, subtable.coverage, subtable.tupleIndex = 0, 0, 1, 0
    subtable.kernTable = pairs
    kern = newTable("kern")
    kern.version = 0
    kern.kernTables = [subtable]
    font["kern"] = kern
    del font["GPOS"]
    if "GDEF" in font:
        del font["GDEF"]


def to_truetype(font: TTFont) -> None:
    """Replace CFF outlines by quadratic TrueType ones (fontTools' otf2ttf recipe)."""
    order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = {}
    for name in order:
        pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(pen, max_err=MAX_ERR, reverse_direction=True))
        glyf.glyphs[name] = pen.glyph()
    font["loca"] = newTable("loca")
    font["glyf"] = glyf
    del font["CFF "]
    glyf.compile(font)
    hmtx = font["hmtx"]
    for name, glyph in glyf.glyphs.items():  # left side bearing = xMin for TrueType
        hmtx[name] = (hmtx[name][0], getattr(glyph, "xMin", 0))
    maxp = newTable("maxp")
    maxp.tableVersion = 0x00010000
    for field in ("maxZones",):
        setattr(maxp, field, 1)
    for field in (
        "maxTwilightPoints",
        "maxStorage",
        "maxFunctionDefs",
        "maxInstructionDefs",
        "maxStackElements",
        "maxSizeOfInstructions",
    ):
        setattr(maxp, field, 0)
    maxp.maxComponentElements = 0
    font["maxp"] = maxp
    post = font["post"]
    post.formatType = 2.0  # glyph names stored: fontTools would derive them at every render
    post.extraNames, post.mapping = [], {}
    font.sfntVersion = "\x00\x01\x00\x00"
    font["head"].glyphDataFormat = 0


def make(source: Path) -> tuple[str, bytes]:
    font = TTFont(source, recalcTimestamp=False)
    cut(font)
    move_kerning(font)
    if "CFF " in font:
        to_truetype(font)
    # One Windows Unicode cmap is all Pango and WeasyPrint read; each more is decompiled too.
    cmap = font["cmap"]
    cmap.tables = [t for t in cmap.tables if (t.platformID, t.platEncID) == (3, 1)]
    out = io.BytesIO()
    font.save(out)
    return source.stem + ".ttf", out.getvalue()


def main() -> int:
    for source in sorted(SOURCE.glob("*.[ot]tf")):
        name, data = make(source)
        (TARGET / name).write_bytes(data)
        pairs = len(TTFont(io.BytesIO(data))["kern"].kernTables[0].kernTable)
        print(f"{source.name}: {source.stat().st_size} -> {name}: {len(data)} bytes, {pairs} pairs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
