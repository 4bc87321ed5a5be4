"""PDF stage: HTML to PDF through WeasyPrint, offline and reproducible.

Owns: the URL fetcher that confines WeasyPrint to ``data:`` URLs and files
inside the workspace and the built-in templates (no network, no file outside
them, no symlink out), the document metadata, the PDF variants, and the
settings that make the bytes the same on every run. This is the only module
that imports WeasyPrint, and it is imported only when a PDF is rendered.
"""

from __future__ import annotations

import hashlib
import logging
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

import weasyprint
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from ..errors import RenderError
from ..format.model import Scenario
from ..workspace import Settings

logging.getLogger("weasyprint").setLevel(logging.ERROR)
logging.getLogger("fontTools").setLevel(logging.ERROR)


class ConfinedFetcher(URLFetcher):
    """Fetches ``data:`` URLs and files under the allowed roots; refuses everything else.

    Every refusal is recorded in :attr:`refused` so that tests (and callers)
    can prove nothing was requested from the network or the wider disk.
    """

    def __init__(self, roots: list[Path]) -> None:
        super().__init__(timeout=1, allowed_protocols={"file", "data"}, allow_redirects=False)
        self.roots = [r.resolve() for r in roots]
        self.refused: list[str] = []
        self.fetched: list[str] = []

    def allowed(self, url: str) -> bool:
        parts = urlsplit(url)
        if parts.scheme == "data":
            return True
        if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
            return False
        path = Path(unquote(parts.path))
        try:
            real = path.resolve(strict=True)
        except (OSError, RuntimeError):
            return False
        return real.is_file() and any(real.is_relative_to(root) for root in self.roots)

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        if not self.allowed(url):
            self.refused.append(url)
            raise ValueError(f"refused to fetch {url[:200]}: outside the workspace")
        self.fetched.append(url)
        if url.startswith("data:"):
            return super().fetch(url, headers)
        path = Path(unquote(urlsplit(url).path)).resolve()
        return URLFetcherResponse(path.as_uri(), path.read_bytes(), {})


@lru_cache(maxsize=1)
def _font_config() -> FontConfiguration:
    """One font configuration per process: WeasyPrint caches each @font-face in it.

    Reusing it across documents (as the warm build workers do) saves about a
    quarter of a brief's render time; the bytes produced are the same.
    """
    return FontConfiguration()


def html_to_pdf(
    html: str, scenario: Scenario, settings: Settings, fetcher: ConfinedFetcher | None = None
) -> bytes:
    """Lay out ``html`` and return the PDF bytes; identical input gives identical bytes."""
    builtin = settings.template_dirs[-1]
    fetcher = fetcher or ConfinedFetcher([settings.root, builtin])
    digest = hashlib.sha256(html.encode("utf-8")).hexdigest()[:32].encode("ascii")
    # Tagging (structure for screen readers) costs about a tenth of the render time, so
    # it comes with the accessible variant (pdf/ua-1 turns it on) rather than always.
    options: dict[str, object] = {"pdf_identifier": digest}
    if settings.pdf_variant:
        options["pdf_variant"] = settings.pdf_variant
    try:
        document = weasyprint.HTML(
            string=html, base_url=builtin.as_uri() + "/", url_fetcher=fetcher
        )
        return document.write_pdf(font_config=_font_config(), **options)
    except Exception as exc:  # WeasyPrint raises many types; all mean "this render failed"
        raise RenderError(
            f"{scenario.id}: error: PDF rendering failed: {type(exc).__name__}: {exc}"
        ) from exc
