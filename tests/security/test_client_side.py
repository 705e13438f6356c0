"""Only supported client-side technology (OWASP ASVS 3.7.1): GOV.UK Frontend, of the major
version its team supports, exactly the locked release, and no plugins (the Content Security
Policy's object-src 'none' is tested with the other headers)."""

from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# GOV.UK Frontend supports its latest major version (v6 since 2025; v5 gets security fixes
# only for a time). When v7 is released, move to it and change this.
SUPPORTED_MAJOR = 6


def _json(path: Path) -> dict:  # type: ignore[type-arg]
    return json.loads(path.read_text())


def test_the_only_client_side_dependency_is_a_supported_govuk_frontend():
    declared = _json(ROOT / "package.json")["dependencies"]
    assert list(declared) == ["govuk-frontend"]
    pinned = declared["govuk-frontend"]
    locked = _json(ROOT / "package-lock.json")["packages"]["node_modules/govuk-frontend"]
    assert locked["version"] == pinned
    assert int(pinned.split(".")[0]) == SUPPORTED_MAJOR
    installed = ROOT / "node_modules" / "govuk-frontend" / "package.json"
    if installed.exists():
        assert _json(installed)["version"] == pinned


def test_pages_load_only_the_services_own_scripts(client):
    from tests.conftest import page

    html = page(client.get("/sign-in"))
    sources = [script.get("src") for script in html.find_all("script")]
    assert sources and all(src.startswith("/static/") for src in sources)
    assert not html.find(["object", "embed", "applet"])
