"""The security documents say what the code does: every way to sign in or change how one
signs in is in docs/security/authentication.md, its session limits are the configured ones,
and the authorisation document names every part of the service (OWASP ASVS 6.1.1, 6.1.3,
6.3.4, 7.1.1, 7.1.2, 8.1.1, 8.1.2, 3.5.4)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

DOCS = Path(__file__).resolve().parents[2] / "docs" / "security"
AUTHENTICATION = DOCS / "authentication.md"
# Routes that sign someone in, set or check a password or a second factor, or end sessions.
SIGN_IN_PREFIXES = ("security.", "invitations.")
SIGN_IN_ROUTES = {"account.end_other_sessions", "account.end_session", "admin.turn_off_two_factor"}


def _section(text: str, heading: str) -> str:
    return text.split(f"## {heading}", 1)[1].split("\n## ", 1)[0]


def test_every_sign_in_route_is_in_the_table_of_pathways(app):
    table = _section(AUTHENTICATION.read_text(), "Authentication pathways")
    routes = {
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith(SIGN_IN_PREFIXES) and rule.endpoint != "security.static"
    } | SIGN_IN_ROUTES
    missing = sorted(route for route in routes if f"`{route}`" not in table)
    assert missing == [], "add these to docs/security/authentication.md's pathways"
    assert "`flask --app maturity create-user`" in table


def test_the_rate_limits_documented_are_the_configured_ones(app):
    text = _section(AUTHENTICATION.read_text(), "Rate limiting")
    assert (
        f"default {app.config['SIGN_IN_LIMIT_PER_ACCOUNT'].replace(' per ', ' failures in ')}"
        in text
    )
    assert (
        f"default {app.config['SIGN_IN_LIMIT_PER_ADDRESS'].replace(' per ', ' failures in ')}"
        in text
    )
    assert "never locks the account" in text
    assert "`maturity/security/device_cookies.py`" in text


def test_the_session_limits_documented_are_the_configured_ones(app):
    text = _section(AUTHENTICATION.read_text(), "Session limits")
    assert app.config["SESSION_IDLE_TIMEOUT"] == timedelta(minutes=30)
    assert app.config["SESSION_ABSOLUTE_TIMEOUT"] == timedelta(hours=12)
    assert "default 30 minutes" in text and "default 12 hours" in text
    assert "NIST SP 800-63B" in text
    pathways = _section(AUTHENTICATION.read_text(), "Authentication pathways")
    assert app.config["SECURITY_FRESHNESS"] == timedelta(minutes=15)
    assert "over 15 minutes ago" in pathways


def test_concurrent_sessions_and_the_hostname_are_documented(app):
    text = AUTHENTICATION.read_text()
    assert "no limit on how many sessions" in _section(text, "Concurrent sessions")
    hostname = _section(text, "The service's own hostname")
    assert "`__Host-session`" in hostname
    assert app.config["SESSION_COOKIE_NAME"] == "__Host-session"
    assert app.config.get("SESSION_COOKIE_DOMAIN") in (None, False)


AUTHORISATION = DOCS / "authorisation.md"


def test_the_authorisation_document_names_every_part_and_command(app):
    text = AUTHORISATION.read_text()
    parts = _section(text, "Function-level rules")
    missing = sorted(name for name in app.blueprints if f"`{name}`" not in parts)
    assert missing == [], "say who may use these parts in docs/security/authorisation.md"
    commands = sorted(name for name in app.cli.list_commands(None) if f"`{name}`" not in parts)
    assert commands == [], "say who may run these commands in docs/security/authorisation.md"


def test_the_authorisation_document_gives_a_rule_for_every_field(app):
    from maturity.models import Assessment, Rating

    fields = _section(AUTHORISATION.read_text(), "Field-level rules")
    for model in (Rating, Assessment):
        for column in model.__table__.columns:
            if column.name in {"id", "assessment_id", "domain_id"}:
                continue
            assert f"`{column.name}`" in fields, f"{model.__name__}.{column.name}"
    assert "Separation of duties" in fields
    for status in ("draft", "submitted", "approved"):
        assert f"`{status}`" in fields
