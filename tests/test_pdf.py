"""PDF output: a government briefing, not a web page, and the same bytes on every run.

Every test here is ``slow``: the brief and report of coordinated-pause are
rendered once per module (a few seconds), and the determinism tests render in
separate processes.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import sys
from io import BytesIO
from pathlib import Path

import pytest
from pypdf import PdfReader

import generator
from generator.workspace import load_settings

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
PAUSE = ROOT / "scenarios" / "coordinated-pause.yaml"
REVISION = "rev test"


@pytest.fixture(scope="module")
def scenario():
    loaded, diagnostics = generator.load(PAUSE)
    assert loaded is not None, [str(d) for d in diagnostics]
    return loaded


@pytest.fixture(scope="module")
def pdfs(scenario) -> dict[str, PdfReader]:
    from generator.pipeline import render_scenario

    settings = load_settings(ROOT)
    return {
        template: PdfReader(
            BytesIO(render_scenario(scenario, PAUSE, settings, template, "pdf", REVISION))
        )
        for template in ("brief", "report")
    }


@pytest.fixture(scope="module")
def texts(pdfs) -> dict[str, list[str]]:
    """Each page's extracted text, whitespace folded."""
    return {
        template: [" ".join(page.extract_text().split()) for page in reader.pages]
        for template, reader in pdfs.items()
    }


@pytest.mark.parametrize("template", ["brief", "report"])
def test_every_page_has_marking_page_number_and_stamp(texts, scenario, template) -> None:
    pages = texts[template]
    total = len(pages)
    assert scenario.title in pages[0]
    # the report's cover carries the marking only; every other page has it all
    first = 2 if template == "report" else 1
    assert total >= first
    for number, text in enumerate(pages, 1):
        assert text.count("PUBLIC") >= 2, f"page {number}: marking at top and bottom"
        if number < first:
            continue
        assert f"Page {number} of {total}" in text
        assert f"Scenario {scenario.id} · v{scenario.version} · {REVISION}" in text


def test_brief_is_two_to_four_pages(pdfs) -> None:
    assert 2 <= len(pdfs["brief"].pages) <= 4


def test_report_has_contents_with_page_numbers(texts) -> None:
    pages = texts["report"]
    (toc,) = [p for p in pages if "Contents" in p and "Key judgments" in p][:1]
    # each entry ends with the page it points to: "Key judgments .... 3"
    entries = re.findall(r"Key judgments[ .]*?(\d+)", toc)
    assert entries, toc
    target = int(entries[0])
    assert 1 < target <= len(pages)
    assert "Key judgments" in pages[target - 1]


@pytest.mark.parametrize("template", ["brief", "report"])
def test_bookmarks(pdfs, template) -> None:
    def titles(items) -> list[str]:
        out = []
        for item in items:
            out.extend(titles(item) if isinstance(item, list) else [item.title])
        return out

    outline = titles(pdfs[template].outline)
    assert outline
    assert "Key judgments" in outline


@pytest.mark.parametrize("template", ["brief", "report"])
def test_metadata(pdfs, scenario, template) -> None:
    meta = pdfs[template].metadata
    assert meta["/Title"] == scenario.title
    for author in scenario.authors:
        assert author.name in meta["/Author"]
    assert meta["/Subject"].startswith("A leading frontier developer, Anthropic, now says")
    for tag in scenario.tags:
        assert tag in meta["/Keywords"]


@pytest.mark.parametrize("template", ["brief", "report"])
def test_shipped_fonts_are_embedded(pdfs, template) -> None:
    fonts: dict[str, bool] = {}
    for page in pdfs[template].pages:
        for ref in page["/Resources"]["/Font"].values():
            font = ref.get_object()
            descendants = font.get("/DescendantFonts")
            inner = descendants[0].get_object() if descendants else font
            descriptor = inner["/FontDescriptor"].get_object()
            embedded = any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
            fonts[str(font["/BaseFont"])] = embedded
    assert fonts
    for name, embedded in fonts.items():
        assert embedded, f"{name} is not embedded"
        assert re.fullmatch(r"/[A-Z]{6}\+(Inter|Noto-?Serif)[-A-Za-z]*", name), name
    families = {re.sub(r"^/[A-Z]{6}\+", "", n).split("-")[0] for n in fonts}
    assert families == {"Inter", "Noto"}


RENDER_AND_HASH = """
import hashlib, os, sys
from pathlib import Path
if os.environ.get("TEST_FORCE_FONTTOOLS"):  # WeasyPrint's path when libharfbuzz-subset0 is absent
    import weasyprint.pdf.fonts
    weasyprint.pdf.fonts.harfbuzz_subset = None
import generator
from generator.pipeline import render_scenario
from generator.workspace import load_settings
root, path, formats = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3].split(",")
scenario, _ = generator.load(path)
settings = load_settings(root)
for fmt in formats:
    data = render_scenario(scenario, path, settings, "brief", fmt, "rev test")
    print(fmt, hashlib.sha256(data).hexdigest())
    if fmt == "pdf" and len(sys.argv) > 4:
        Path(sys.argv[4]).write_bytes(data)
"""


def _render_in_process(
    env_extra: dict[str, str] | None = None,
    out: Path | None = None,
    path: Path = PAUSE,
    formats: str = "md,html,pdf",
) -> dict[str, str]:
    """Render the brief in a fresh interpreter; the sha256 of each format."""
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    env.update(env_extra or {})
    args = [sys.executable, "-c", RENDER_AND_HASH, str(ROOT), str(path), formats]
    args += [str(out)] if out else []
    result = subprocess.run(args, capture_output=True, text=True, timeout=120, env=env, check=False)
    assert result.returncode == 0, result.stderr
    return dict(line.split() for line in result.stdout.splitlines())


def test_two_processes_give_identical_bytes(tmp_path: Path) -> None:
    first = _render_in_process(env_extra={"PYTHONHASHSEED": "1"})
    second = _render_in_process(env_extra={"PYTHONHASHSEED": "2"})
    assert set(first) == {"md", "html", "pdf"}
    assert first == second


def test_source_date_epoch_sets_creation_date(tmp_path: Path) -> None:
    epoch = 1700000000  # 2023-11-14T22:13:20Z
    out = tmp_path / "brief.pdf"
    minimal = ROOT / "tests" / "cases" / "minimal.yaml"
    _render_in_process({"SOURCE_DATE_EPOCH": str(epoch)}, out, minimal, "pdf")
    meta = PdfReader(out).metadata
    assert meta.creation_date == dt.datetime.fromtimestamp(epoch, tz=dt.UTC)
    assert meta["/CreationDate"].startswith("D:20231114221320")


def test_without_source_date_epoch_creation_date_is_the_scenario_date(pdfs) -> None:
    # never the clock: the module's renders ran without SOURCE_DATE_EPOCH (unless set outside)
    expected = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    created = pdfs["brief"].metadata.creation_date
    if expected.isdigit():
        assert created == dt.datetime.fromtimestamp(int(expected), tz=dt.UTC)
    else:
        assert created == dt.datetime(2026, 11, 20, tzinfo=dt.UTC)  # the scenario's date


def _embedded_fonts(pdf: Path) -> list[bytes]:
    """The font files embedded in ``pdf`` (FontFile2/FontFile3 streams)."""
    found = {}
    for page in PdfReader(pdf).pages:
        for ref in page["/Resources"]["/Font"].values():
            descendants = ref.get_object().get("/DescendantFonts")
            inner = descendants[0].get_object() if descendants else ref.get_object()
            descriptor = inner["/FontDescriptor"].get_object()
            for key in ("/FontFile2", "/FontFile3"):
                if key in descriptor:
                    stream = descriptor.raw_get(key)  # the indirect reference
                    found[stream.idnum] = stream.get_object().get_data()
    return list(found.values())


def _font_date(data: bytes) -> dt.datetime:
    from fontTools.ttLib import TTFont

    font = TTFont(BytesIO(data), checkChecksums=2)  # a wrong table checksum raises
    total = sum(
        int.from_bytes(data[i : i + 4].ljust(4, b"\0"), "big") for i in range(0, len(data), 4)
    )
    assert total & 0xFFFFFFFF == 0xB1B0AFBA, "checkSumAdjustment is wrong"
    return dt.datetime(1904, 1, 1, tzinfo=dt.UTC) + dt.timedelta(seconds=font["head"].modified)


@pytest.mark.parametrize("force_fonttools", [True, False], ids=["fonttools", "default"])
def test_fonts_carry_the_document_date_on_either_subsetting_path(tmp_path, force_fonttools):
    env = {"TEST_FORCE_FONTTOOLS": "1"} if force_fonttools else {}
    first, second = tmp_path / "1.pdf", tmp_path / "2.pdf"
    hashes = [_render_in_process(env, out, formats="pdf") for out in (first, second)]
    assert hashes[0] == hashes[1]
    fonts = _embedded_fonts(first)
    assert len(fonts) >= 4
    for data in fonts:
        assert _font_date(data) == dt.datetime(2026, 11, 20, tzinfo=dt.UTC)  # the scenario date


def test_stamp_font_rewrites_only_the_date() -> None:
    from generator.rendering.pdf import stamp_font

    original = (ROOT / "templates" / "fonts" / "NotoSerif-Regular.ttf").read_bytes()
    when = dt.datetime(2030, 5, 6, 7, 8, 9, tzinfo=dt.UTC)
    stamped = stamp_font(original, when)
    assert len(stamped) == len(original)
    assert _font_date(stamped) == when
    differing = [i for i, (a, b) in enumerate(zip(original, stamped, strict=True)) if a != b]
    assert len(differing) <= 16  # the date, the head checksum and checkSumAdjustment
    assert stamp_font(b"ttcf" + original[4:], when) == b"ttcf" + original[4:]


LONG_TOKENS = ROOT / "tests" / "hostile" / "long-tokens.yaml"


@pytest.mark.skipif(
    not shutil.which("pdftotext"), reason="pdftotext (Debian poppler-utils) missing"
)
def test_tokens_longer_than_a_line_are_broken_and_kept_whole(tmp_path: Path) -> None:
    """A 5,000-character token in a title, a summary, a table cell and a URL: all on the page."""
    from generator.pipeline import render_scenario

    scenario, _ = generator.load(LONG_TOKENS)
    pdf = tmp_path / "brief.pdf"
    pdf.write_bytes(
        render_scenario(scenario, LONG_TOKENS, load_settings(ROOT), "brief", "pdf", "x")
    )
    # The page body only (A4, 24 mm top and 22 mm bottom margins): the running header
    # repeats the title, cut short on purpose; everything else must be there in full.
    body = subprocess.run(
        ["pdftotext", "-x", "0", "-y", "69", "-W", "596", "-H", "709", str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    fields = {
        scenario.title: "ΣΑΒΓΔΕΖΗΘΙΚ",
        scenario.summary.removesuffix(" [@src]"): "Жабвгдежзик",
        scenario.thresholds[0].name: "ωαβγδεζηθικ",
        str(scenario.sources[0].url).removeprefix("https://example.org/"): "U0123456789",
    }
    for token, alphabet in fields.items():
        assert len(token) == 5000
        # each token has an alphabet no other text on the page uses: keep only it, so
        # that a repeated table header or the next column between two lines falls away
        assert token in "".join(c for c in body if c in alphabet), token[:6]
