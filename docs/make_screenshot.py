"""Regenerate docs/scorecard.png: run `wa-audit demo`, then photograph its report in headless chromium.

    python docs/make_screenshot.py [--output docs/scorecard.png] [--height 1500]

Uses Debian's chromium through Playwright (never a downloaded browser), offline like the tests.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from playwright.sync_api import sync_playwright

HERE = Path(__file__).resolve().parent


def chromium_launcher() -> Callable[[Any], Any]:
    """The browser tests' launcher (tests/reports/chromium.py), so both see the same browser."""
    sys.path.insert(0, str(HERE.parent))
    from tests.reports.chromium import launch

    return launch


def run_demo(output_dir: Path) -> Path:
    """The demo as a user runs it; exit 1 is expected (the sample account fails on purpose)."""
    result = subprocess.run(  # noqa: S603 (our own interpreter and arguments)
        [sys.executable, "-m", "wa_audit", "demo", "--quiet", "--output-dir", str(output_dir)],
        capture_output=True,
        text=True,
        check=False,
    )
    report = output_dir / "results.html"
    if result.returncode not in (0, 1) or not report.exists():
        raise SystemExit(f"wa-audit demo failed ({result.returncode}):\n{result.stderr}")
    return report


def screenshot(report: Path, output: Path, width: int, height: int) -> None:
    with sync_playwright() as playwright:
        browser = chromium_launcher()(playwright)
        page = browser.new_page(viewport={"width": width, "height": height})
        page.goto(report.resolve().as_uri())
        page.screenshot(path=str(output))
        browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=HERE / "scorecard.png")
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--height", type=int, default=1500)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        screenshot(run_demo(Path(folder)), args.output, args.width, args.height)
    print(f"Wrote {args.output}")


if __name__ == "__main__":
    main()
