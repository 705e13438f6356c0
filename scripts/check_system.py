"""Say in one sentence what to install when the machine lacks something maturity needs."""

from __future__ import annotations

import shutil
import sys


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
    if "--weasyprint" in sys.argv:
        try:
            import weasyprint  # noqa: F401
        except OSError:
            fail(
                "WeasyPrint needs the Pango library: install it (Debian/Ubuntu: "
                "apt-get install libpango-1.0-0 libpangoft2-1.0-0; macOS: brew install pango)."
            )


if __name__ == "__main__":
    main()
