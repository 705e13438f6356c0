"""A browser's User-Agent header in words a person recognises: "Firefox on Windows".

Only the common browsers and systems are named; anything else is "Another browser" or
"another system". The header is whatever the browser (or anyone) sends, so this is a hint to
help people recognise their sessions, never a fact to rely on.
"""

from __future__ import annotations

import re

# Order matters: Edge and Opera say "Chrome" too, Chrome says "Safari", and so on.
_BROWSERS: tuple[tuple[str, str], ...] = (
    (r"\bEdg(?:e|A|iOS)?/", "Edge"),
    (r"\b(?:OPR|Opera)/", "Opera"),
    (r"\bSamsungBrowser/", "Samsung Internet"),
    (r"\b(?:Firefox|FxiOS)/", "Firefox"),
    (r"\b(?:Chrome|Chromium|CriOS)/", "Chrome"),
    (r"\bVersion/[\d.]+.*\bSafari/", "Safari"),
    (r"\bcurl/", "curl"),
)
_SYSTEMS: tuple[tuple[str, str], ...] = (
    (r"\biPhone\b", "an iPhone"),
    (r"\biPad\b", "an iPad"),
    (r"\bAndroid\b", "Android"),
    (r"\bCrOS\b", "ChromeOS"),
    (r"\bWindows\b", "Windows"),
    (r"\bMac OS X\b|\bMacintosh\b", "a Mac"),
    (r"\bLinux\b", "Linux"),
)


def describe(user_agent: str | None) -> str:
    text = user_agent or ""
    browser = next((name for pattern, name in _BROWSERS if re.search(pattern, text)), None)
    system = next((name for pattern, name in _SYSTEMS if re.search(pattern, text)), None)
    if browser and system:
        return f"{browser} on {system}"
    if browser:
        return f"{browser} on another system"
    if system:
        return f"A browser on {system}"
    return "An unrecognised browser"
