"""Regenerate docs/report.png, the README's picture of the HTML report.

    python scripts/report_screenshot.py [--out docs/report.png] [--browser chromium]

Builds the report of the committed extracted/ in a temporary folder (extracted/ is not touched),
renders two views in headless Chromium (the overview, then the first document with its records
highlighted) and stacks them into one PNG. Needs Chromium (Debian: ``apt-get install chromium``),
Korean fonts for it (``fonts-nanum``; without them Hangul shows as boxes) and Pillow (installed
with matplotlib) to stack the views; without Pillow only the overview is written.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.report import write_report  # noqa: E402

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
WIDTH = 1280


def chromium_command(browser: str, url: str, png: Path, height: int, profile: Path) -> list[str]:
    """Headless Chromium writing a ``WIDTH`` × ``height`` screenshot of ``url`` to ``png``, offline
    (no network services, no sync) with its own profile folder; tests/test_report.py uses it too."""
    return [
        browser,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={profile}",
        "--hide-scrollbars",
        "--force-device-scale-factor=1",
        f"--window-size={WIDTH},{height}",
        f"--screenshot={png}",
        url,
    ]


def screenshot(browser: str, url: str, png: Path, height: int, profile: Path) -> None:
    cmd = chromium_command(browser, url, png, height, profile)
    subprocess.run(cmd, capture_output=True, timeout=180, check=False)
    if not png.exists() or png.stat().st_size == 0:
        raise SystemExit(f"error: {browser} wrote no screenshot of {url}")


def _blank_rows(img) -> list[bool]:
    """For each pixel row: is it page background only (white, or the light grey of borders)?"""
    gray = img.convert("L")
    w, h = gray.size
    data = gray.tobytes()
    return [min(data[y * w : (y + 1) * w]) > 215 for y in range(h)]


def trim(img, keep_height: int | None = None, margin: int = 18):
    """The picture without blank rows above and below its content; with ``keep_height``, cut at
    the last blank row above that height (between two lines of text, never through one)."""
    blank = _blank_rows(img)
    content = [y for y, b in enumerate(blank) if not b]
    if not content:
        return img
    top = max(0, content[0] - margin)
    bottom = min(img.height, content[-1] + 1 + margin)
    if keep_height is not None and bottom - top > keep_height:
        limit = top + keep_height
        cut = next((y for y in range(limit, top, -1) if blank[y] and blank[y - 1] and blank[y - 2]), limit)
        bottom = cut
    return img.crop((0, top, img.width, bottom))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--extracted", type=Path, default=ROOT / "extracted", help="CSV folder (default: extracted/)")
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "report.png", help="PNG to write")
    ap.add_argument("--browser", help="Chromium or Chrome executable (default: the first found on PATH)")
    ap.add_argument("--document-height", type=int, default=1150, help="pixels of the document view to keep")
    args = ap.parse_args(argv)
    browser = args.browser or next((b for b in BROWSERS if shutil.which(b)), None)
    if not browser:
        print("error: no Chromium found (apt-get install chromium fonts-nanum)", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        html = write_report(args.extracted, html_path=tmp / "report.html", base_dir=ROOT)
        overview, document = tmp / "overview.png", tmp / "document.png"
        screenshot(browser, html.as_uri(), overview, 1400, tmp / "profile-1")
        screenshot(browser, html.as_uri() + "#doc-1", document, args.document_height + 400, tmp / "profile-2")
        args.out.parent.mkdir(parents=True, exist_ok=True)
        try:
            from PIL import Image
        except ImportError:
            shutil.copyfile(overview, args.out)
            print(f"{args.out}: overview only (install Pillow to add the document view)", file=sys.stderr)
            return 0
        top = trim(Image.open(overview).convert("RGB"))
        bottom = trim(Image.open(document).convert("RGB"), keep_height=args.document_height)
        gap = 6
        sheet = Image.new("RGB", (WIDTH, top.height + gap + bottom.height), (31, 45, 61))
        sheet.paste(top, (0, 0))
        sheet.paste(bottom, (0, top.height + gap))
        # 256 colours without dithering: text stays crisp and the file a third of the size
        sheet.quantize(colors=256, method=0, dither=0).save(args.out, optimize=True)  # 0, 0: median cut, none
    print(f"{args.out}: {sheet.width}×{sheet.height}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
