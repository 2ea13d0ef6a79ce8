"""Debian's chromium under Playwright, launched one way by the browser tests and the screenshot.

Never a downloaded browser (no ``playwright install``): ``.ci/run`` installs Debian's package.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


def launch(playwright: Any) -> Any:
    """A headless chromium that makes no network requests of its own."""
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
