"""Hostile scenarios: text is data, never template code, markup or a fetch.

Fixtures are in ``tests/hostile/`` (see its README). The PDF tests are
``slow`` (about a second each).
"""

from __future__ import annotations

import datetime
import html
import http.server
import re
import threading
from collections.abc import Iterator
from io import BytesIO
from pathlib import Path

import pytest
from clients import cmark_gfm
from conftest import ROOT, load_valid_scenario, render_file
from pypdf import PdfReader

from generator.workspace import load_settings

HOSTILE = Path(__file__).resolve().parent / "hostile"
# The elements cmark-gfm makes of Markdown itself: any other tag came from raw HTML.
CMARK_TAGS = {
    *("p", "h1", "h2", "h3", "h4", "h5", "h6", "em", "strong", "del", "code", "pre", "a"),
    *("ul", "ol", "li", "blockquote", "hr", "br", "sup", "section"),
    *("table", "thead", "tbody", "tr", "th", "td"),
}
PASSWD_MARK = "root:x:0:0"
INJECTIONS = (
    "{{ 7*7 }}",
    "{% for x in ().__class__.__bases__ %}",
    "{{ ''.__class__.__mro__ }}",
)


_load = load_valid_scenario


def _render(path: Path, template: str, fmt: str) -> bytes:
    return render_file(path, template, fmt)


def _without_style(page: str) -> str:
    return re.sub(r"<style>.*?</style>", "", page, flags=re.S)


def _pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(data)).pages)


def _has_attachments(data: bytes) -> bool:
    reader = PdfReader(BytesIO(data))
    names = reader.trailer["/Root"].get("/Names")
    if names is not None and "/EmbeddedFiles" in names.get_object():
        return True
    for page in reader.pages:
        for annot in page.get("/Annots") or []:
            if annot.get_object().get("/Subtype") == "/FileAttachment":
                return True
    return b"/EmbeddedFile" in data


# -- template injection --------------------------------------------------------------


@pytest.mark.parametrize("template", ["brief", "report"])
@pytest.mark.parametrize("fmt", ["md", "html"])
def test_template_code_in_text_is_printed_not_run(template: str, fmt: str) -> None:
    text = _render(HOSTILE / "injection.yaml", template, fmt).decode()
    body = _without_style(text)
    shown = html.unescape(body) if fmt == "html" else body
    # in HTML, Markdown turns __class__ into bold "class": the code is still inert text
    for code in INJECTIONS if fmt == "md" else ("{{ 7*7 }}", "{% for x in ().", "{{ ''."):
        assert code in shown, code
    assert "{% if true %}yes{% endif %}" in shown
    assert not re.search(r"\b49\b", body)
    assert "<class " not in body and "&lt;class " not in body  # no object repr leaked


# -- script injection ------------------------------------------------------------------


@pytest.mark.parametrize("template", ["brief", "report"])
def test_html_output_has_no_active_content(template: str) -> None:
    page = _render(HOSTILE / "injection.yaml", template, "html").decode().lower()
    for bad in ("<script", "<iframe", "<object", "<embed", "<img"):
        assert bad not in page, bad
    for tag in re.findall(r"<[a-z][^>]*>", page):
        assert not re.search(r"\son\w+\s*=", tag), tag  # no event handler attribute
        assert "javascript:" not in tag, tag
    # the text is still there, inert
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


@pytest.mark.parametrize("template", ["brief", "report"])
def test_source_url_with_script_scheme_is_not_a_live_link(template: str) -> None:
    page = _render(HOSTILE / "source-url.yaml", template, "html").decode().lower()
    assert 'href="javascript:' not in page


@pytest.mark.parametrize("template", ["brief", "report"])
def test_markdown_output_has_no_raw_html(template: str) -> None:
    markdown = _render(HOSTILE / "injection.yaml", template, "md")
    drawn = cmark_gfm(markdown)  # GitHub's parser, raw HTML kept: only its own tags may appear
    tags = set(re.findall(r"</?([a-zA-Z][a-zA-Z0-9]*)", drawn))
    assert tags <= CMARK_TAGS, tags - CMARK_TAGS
    assert not re.search(r"<[^>]*(?:onerror|javascript:)", drawn)  # inside a tag, not as text


def test_markdown_output_escapes_raw_html_in_markdown_fields() -> None:
    # the fields that go through the Markdown filter are escaped already
    markdown = _render(HOSTILE / "injection.yaml", "brief", "md").decode()
    summary = next(line for line in markdown.splitlines() if "Bottom line." in line)
    assert "<script" not in summary and "&lt;script>" in summary
    assert "<iframe" not in summary and "<img" not in summary


@pytest.mark.slow
def test_injection_pdf_renders_inert_text() -> None:
    data = _render(HOSTILE / "injection.yaml", "brief", "pdf")
    text = _pdf_text(data)
    assert "{{ 7*7 }}" in text
    assert not re.search(r"\b49\b", text)
    assert b"/JavaScript" not in data and b"/JS " not in data


# -- no fetches ------------------------------------------------------------------------


class _Recorder(http.server.BaseHTTPRequestHandler):
    requests: list[str]

    def do_GET(self) -> None:
        self.requests.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.end_headers()

    do_POST = do_HEAD = do_GET

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[tuple[str, list[str]]]:
    """A local HTTP server that records every request: ``(base url, requests)``."""
    requests: list[str] = []
    handler = type("Handler", (_Recorder,), {"requests": requests})
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", requests
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(5)


def test_server_fixture_records_requests(server) -> None:
    # the check below is only worth something if the server does record
    import urllib.request

    url, requests = server
    urllib.request.urlopen(f"{url}/probe", timeout=5).close()
    assert requests == ["/probe"]


@pytest.fixture
def fetch_scenario(tmp_path: Path, server) -> Path:
    url, _ = server
    path = tmp_path / "fetch.yaml"
    path.write_text(
        (HOSTILE / "fetch.yaml").read_text(encoding="utf-8").replace("@@SERVER@@", url),
        encoding="utf-8",
    )
    return path


@pytest.mark.slow
@pytest.mark.parametrize("template", ["brief", "report"])
def test_pdf_fetches_nothing_from_scenario_text(fetch_scenario: Path, server, template) -> None:
    _, requests = server
    data = _render(fetch_scenario, template, "pdf")
    assert data.startswith(b"%PDF-")
    assert requests == []
    assert PASSWD_MARK not in _pdf_text(data)
    assert PASSWD_MARK.encode() not in data
    assert not _has_attachments(data)


@pytest.mark.parametrize("template", ["brief", "report"])
def test_html_references_nothing_from_scenario_text(fetch_scenario: Path, template) -> None:
    page = _render(fetch_scenario, template, "html").decode()
    assert not re.search(r"<(img|link|object|embed|iframe)\b", page, flags=re.I)
    assert not re.search(r"url\(\s*['\"]?(https?:|file:)", page)
    assert not re.search(r"\ssrc\s*=", page)


HOSTILE_HTML = """<!DOCTYPE html><html lang="en"><head>
<link rel="stylesheet" href="{url}/linked.css">
<link rel="attachment" href="file:///etc/passwd">
<style>
@import url("{url}/imported.css");
@font-face {{ font-family: X; src: url("{url}/font.otf"); }}
body {{ background: url("{url}/background.png"); font-family: X; }}
</style></head><body>
<p>Hostile page</p>
<img src="{url}/image.png"> <img src="file:///etc/passwd">
<a rel="attachment" href="file:///etc/passwd">attached</a>
<object data="{url}/object"></object>
<iframe src="file:///etc/passwd"></iframe>
</body></html>"""


@pytest.mark.slow
def test_pdf_stage_itself_refuses_network_and_outside_files(server) -> None:
    """Even HTML that got past the sanitiser cannot make the PDF stage fetch anything."""
    from generator.rendering.pdf import ConfinedFetcher, html_to_pdf

    url, requests = server
    settings = load_settings(ROOT)
    fetcher = ConfinedFetcher([settings.root, settings.template_dirs[-1]])
    scenario = _load(HOSTILE / "css-classification.yaml")
    created = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    data = html_to_pdf(HOSTILE_HTML.format(url=url), scenario.id, created, settings, fetcher)
    assert "Hostile page" in _pdf_text(data)
    assert requests == []
    assert any(u.startswith(url) for u in fetcher.refused)
    assert "file:///etc/passwd" in fetcher.refused
    assert not [u for u in fetcher.fetched if u.startswith(("http", "file:///etc"))]
    assert PASSWD_MARK.encode() not in data
    assert not _has_attachments(data)


# -- the fetcher itself ----------------------------------------------------------------------


@pytest.fixture
def confined(tmp_path: Path):
    from generator.rendering.pdf import ConfinedFetcher

    root = tmp_path / "root"
    root.mkdir()
    (root / "inside.css").write_text("p { color: red }", encoding="utf-8")
    outside = tmp_path / "outside.txt"
    outside.write_text("secret", encoding="utf-8")
    (root / "link.txt").symlink_to(outside)
    (root / "dirlink").symlink_to(tmp_path)
    return ConfinedFetcher([root]), root, outside


def test_fetcher_allows_data_and_files_inside_the_root(confined) -> None:
    fetcher, root, _ = confined
    response = fetcher.fetch((root / "inside.css").as_uri())
    assert b"color: red" in _body(response)
    assert fetcher.fetch("data:text/plain;base64,aGVsbG8=") is not None
    assert fetcher.refused == []
    assert len(fetcher.fetched) == 2


def _body(response) -> bytes:
    for name in ("string", "body", "content"):
        value = getattr(response, name, None)
        if isinstance(value, bytes):
            return value
    read = getattr(response, "read", None)
    return read() if read else b""


@pytest.mark.parametrize(
    "make_url",
    [
        lambda root, outside: "http://127.0.0.1:9/x.png",
        lambda root, outside: "https://example.com/x.css",
        lambda root, outside: "ftp://example.com/x",
        lambda root, outside: "file:///etc/passwd",
        lambda root, outside: "file://otherhost" + str(root / "inside.css"),
        lambda root, outside: (root / "link.txt").as_uri(),
        lambda root, outside: (root / "dirlink" / "outside.txt").as_uri(),
        lambda root, outside: (root / ".." / "outside.txt").as_uri(),
        lambda root, outside: "file://" + str(root) + "/%2E%2E/outside.txt",
        lambda root, outside: outside.as_uri(),
        lambda root, outside: (root / "missing.css").as_uri(),
        lambda root, outside: root.as_uri(),
    ],
    ids=[
        "http",
        "https",
        "ftp",
        "etc-passwd",
        "file-with-host",
        "symlink-out",
        "dir-symlink-out",
        "dotdot",
        "encoded-dotdot",
        "outside",
        "missing",
        "directory",
    ],
)
def test_fetcher_refuses_and_records(confined, make_url) -> None:
    fetcher, root, outside = confined
    url = make_url(root, outside)
    with pytest.raises(ValueError, match="refused"):
        fetcher.fetch(url)
    assert fetcher.refused == [url]
    assert fetcher.fetched == []


# -- CSS string breakout -----------------------------------------------------------------------


@pytest.mark.slow
def test_classification_cannot_break_out_of_its_css_string() -> None:
    path = HOSTILE / "css-classification.yaml"
    data = _render(path, "brief", "pdf")
    pages = [page.extract_text() for page in PdfReader(BytesIO(data)).pages]
    for text in pages:
        assert "PUBLIC" in text  # the marking is still printed on every page
    # the injected "body { display: none }" did not hide the document
    assert "The classification marking must stay a marking." in pages[0]
    page = _render(path, "brief", "html").decode()
    assert 'PUBLIC"; }' not in page.split("</style>", 1)[0]
