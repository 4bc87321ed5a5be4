"""Page fill: each brief's page count and how full its fullest and emptiest pages are.

Renders the brief PDF of every bundled scenario and of every test scenario that validates
(``tests/cases``, ``tests/hostile``) with the checkout's own code, rasterises each page with
``pdftoppm`` and measures the share of the page body (running head and foot left out)
between the first and last inked rows, the same measure as the contact-sheet tool.

    python benchmarks/page_fill.py                    # this checkout
    python benchmarks/page_fill.py --repo /tmp/before # another checkout, same scenarios

A page under a third full, other than the last, is what the layout rules exist to avoid;
the table marks it with ``!``.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from common import REPO

EMPTY = 0.33


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repo", type=Path, default=REPO, help="checkout whose code renders")
    parser.add_argument("--template", default="brief")
    args = parser.parse_args()
    try:
        from PIL import Image, ImageOps
    except ImportError:
        sys.exit("page_fill: needs Pillow (pip install pillow)")

    env = dict(os.environ, PYTHONPATH=str(args.repo.resolve()))
    root = args.repo.resolve()
    paths = sorted((root / "scenarios").glob("*.yaml"))
    paths += sorted((root / "tests" / "cases").glob("*.yaml"))
    paths += sorted((root / "tests" / "hostile").glob("*.yaml"))
    print(f"{'scenario':<44} {'pages':>5} {'fullest':>8} {'emptiest':>9}  per page")
    with tempfile.TemporaryDirectory() as tmp:
        for path in paths:
            pdf = Path(tmp) / f"{path.stem}.pdf"
            done = subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "generator",
                    "render",
                    str(path),
                    "-t",
                    args.template,
                    "-o",
                    str(pdf),
                ],
                cwd=str(path.parent),
                env=env,
                capture_output=True,
                text=True,
            )
            if done.returncode != 0 or not pdf.is_file():
                continue
            prefix = Path(tmp) / path.stem
            subprocess.run(["pdftoppm", "-png", "-r", "40", str(pdf), str(prefix)], check=True)
            shares = []
            pngs = sorted(
                Path(tmp).glob(f"{path.stem}-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1])
            )
            for png in pngs:
                grey = ImageOps.grayscale(Image.open(png))
                w, h = grey.size
                body = grey.crop((0, int(h * 0.06), w, int(h * 0.94)))
                box = body.point(lambda v: 255 if v < 200 else 0).getbbox()
                shares.append((box[3] - box[1]) / body.height if box else 0.0)
                png.unlink()
            if not shares:
                continue
            marks = " ".join(
                f"{s:.0%}" + ("!" if s < EMPTY and i < len(shares) - 1 else "")
                for i, s in enumerate(shares)
            )
            name = f"{path.parent.name}/{path.stem}"
            print(
                f"{name:<44} {len(shares):>5} {max(shares):>8.0%} {min(shares):>9.0%}  {marks}",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
