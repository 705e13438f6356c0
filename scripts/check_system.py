"""Say in one sentence what to install when the machine lacks something maturity needs.

Run by `make` with whatever python3 the machine has, before anything is installed, so it
uses the standard library only.
"""

from __future__ import annotations

import ctypes.util
import shutil
import subprocess
import sys
from pathlib import Path

FONTS = ("Liberation Sans", "Arial", "Helvetica")
# What tests/browser launches (never a browser Playwright downloads).
CHROMIUM = "/usr/bin/chromium"


def fail(sentence: str) -> None:
    print(f"maturity cannot start: {sentence}", file=sys.stderr)
    sys.exit(1)


def main() -> None:
    if sys.version_info < (3, 11):  # noqa: UP036 - run by whatever python3 the machine has
        fail(f"it needs Python 3.11 or newer (this is {sys.version.split()[0]}).")
    if shutil.which("npm") is None:
        fail(
            "it needs Node.js and npm to build its stylesheets: "
            "install them (Debian: apt-get install nodejs npm)."
        )
    if not all(ctypes.util.find_library(name) for name in ("pango-1.0", "pangoft2-1.0")):
        fail(
            "WeasyPrint needs the Pango library to draw PDF reports: install it (Debian/Ubuntu: "
            "apt-get install libpango-1.0-0 libpangoft2-1.0-0; macOS: brew install pango)."
        )
    if shutil.which("fc-list") is not None:
        families = subprocess.run(
            ["fc-list", ":", "family"], capture_output=True, text=True, check=False
        ).stdout
        if not any(font in families for font in FONTS):
            fail(
                "PDF reports are set in Arial or a metric twin: install one "
                "(Debian/Ubuntu: apt-get install fonts-liberation2)."
            )
    if not Path(CHROMIUM).exists():
        # Only the browser tests need it, and they skip without it: say so, do not stop.
        print(
            f"maturity: {CHROMIUM} is missing, so the browser and accessibility tests will be "
            "skipped: install it to run them (Debian/Ubuntu: apt-get install chromium).",
            file=sys.stderr,
        )


if __name__ == "__main__":
    main()
