"""The service needs SERVICE_URL to start with secure cookies, and answers only to its own host
names (Flask's TRUSTED_HOSTS): a request naming another host gets a plain 400, never a page
or a link carrying that host; /healthz answers whatever the Host, for load balancers."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from flask import Flask

from maturity import create_app
from maturity.config import ConfigurationError
from maturity.security.hosts import service_url_problem, trusted_hosts

ROOT = Path(__file__).resolve().parents[2]
EVIL = "evil.example"


def _app(tmp_path: Path, **config: object) -> Flask:
    return create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'hosts.db'}",
            "SECRET_KEY": "test-secret-key",
            **config,
        }
    )


def test_with_secure_cookies_and_no_service_url_it_refuses_to_start_saying_what_to_set(
    tmp_path, monkeypatch
):
    monkeypatch.delenv("SERVICE_URL")
    monkeypatch.delenv("SESSION_COOKIE_SECURE", raising=False)

    with pytest.raises(ConfigurationError) as refused:
        _app(tmp_path)

    message = refused.value.message
    assert message.startswith("Set SERVICE_URL to the address people open the service at")
    assert "Host header" in message and "SESSION_COOKIE_SECURE=false" in message
    # One sentence.
    assert message.endswith(".") and ". " not in message and "\n" not in message


def test_commands_run_without_it_as_scripts_rely_on_them(tmp_path):
    environment = {
        name: value
        for name, value in os.environ.items()
        if name not in ("SERVICE_URL", "SESSION_COOKIE_SECURE", "TEST_DATABASE_URL")
    }
    environment["DATABASE_URL"] = f"sqlite:///{tmp_path / 'cli.db'}"
    flask = [str(Path(sys.executable).parent / "flask"), "--app", "maturity"]

    for command in (["db", "upgrade"], ["frameworks", "list"]):
        result = subprocess.run(
            [*flask, *command],
            cwd=ROOT,
            env=environment,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr
    assert "nao-performance-measurement" in result.stdout


def test_a_server_made_by_a_command_still_makes_no_link_from_the_request(tmp_path, monkeypatch):
    """``flask run`` with secure cookies and no SERVICE_URL: it starts (as every command
    does), but gives no invitation or reset link rather than one built from the Host."""
    from maturity.security import hosts

    monkeypatch.delenv("SERVICE_URL")
    monkeypatch.delenv("SESSION_COOKIE_SECURE", raising=False)
    monkeypatch.setenv("FLASK_RUN_FROM_CLI", "true")
    made = _app(tmp_path)
    with pytest.raises(ConfigurationError, match="Set SERVICE_URL"):
        hosts.link_base(made.config)


def test_local_development_starts_without_it_and_accepts_any_host(tmp_path, monkeypatch):
    monkeypatch.delenv("SERVICE_URL")
    monkeypatch.delenv("TRUSTED_HOSTS")

    app = _app(tmp_path, SESSION_COOKIE_SECURE=False)

    assert app.config["TRUSTED_HOSTS"] is None
    assert app.test_client().get("/sign-in", headers={"Host": "127.0.0.1:5000"}).status_code == 200


def test_mail_without_service_url_refuses_to_start_even_in_development():
    problem = service_url_problem(
        {"SESSION_COOKIE_SECURE": False, "SERVICE_URL": "", "MAIL_SERVER": "smtp.example.org"}
    )
    assert problem is not None and problem.startswith("Set SERVICE_URL")
    assert "MAIL_SERVER is set" in problem


@pytest.mark.parametrize("address", ["maturity.example.org", "ftp://maturity.example.org", "//x"])
def test_a_service_url_that_is_not_an_address_refuses_to_start(address):
    problem = service_url_problem({"SESSION_COOKIE_SECURE": True, "SERVICE_URL": address})
    assert problem is not None and problem.startswith("SERVICE_URL must be the address")


def test_the_hosts_are_service_urls_and_any_added():
    assert trusted_hosts("https://Maturity.Example.org:8443", []) == ["maturity.example.org"]
    assert trusted_hosts("https://maturity.example.org", ["health.internal", " .svc.local"]) == [
        "maturity.example.org",
        "health.internal",
        ".svc.local",
    ]
    # Werkzeug reads an empty list as "any host": nothing configured says None.
    assert trusted_hosts("", []) is None


def test_trusted_hosts_from_the_environment_are_added_to_service_urls(tmp_path, monkeypatch):
    monkeypatch.setenv("SERVICE_URL", "https://maturity.example.org/")
    monkeypatch.setenv("TRUSTED_HOSTS", "health.internal, maturity-1.internal")

    app = _app(tmp_path)

    assert app.config["SERVICE_URL"] == "https://maturity.example.org"
    assert app.config["TRUSTED_HOSTS"] == [
        "maturity.example.org",
        "health.internal",
        "maturity-1.internal",
    ]
    client = app.test_client()
    for host in ("maturity.example.org", "health.internal:8000", "maturity-1.internal"):
        assert client.get("/sign-in", headers={"Host": host}).status_code == 200, host
    assert client.get("/sign-in", headers={"Host": "other.internal"}).status_code == 400


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/sign-in"),
        ("POST", "/sign-in"),
        ("GET", "/"),
        ("GET", "/organisations/home-office"),
        ("GET", "/invitation/not-a-token"),
        ("GET", "/no-such-page"),
        ("GET", "/static/css/application.css"),
    ],
)
def test_a_request_naming_another_host_gets_a_plain_400(client, method, path):
    response = client.open(path, method=method, headers={"Host": EVIL})

    assert response.status_code == 400
    assert response.mimetype == "text/plain"
    body = response.get_data(as_text=True)
    assert "does not answer to that host name" in body and EVIL not in body
    assert "Location" not in response.headers and "Set-Cookie" not in response.headers


def test_a_forwarded_host_from_a_trusted_proxy_is_checked_too(app):
    proxied = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "TRUSTED_PROXY_HOPS": 1,
        }
    )
    client = proxied.test_client()

    forged = client.get("/sign-in", headers={"X-Forwarded-Host": EVIL})
    assert forged.status_code == 400 and EVIL not in forged.get_data(as_text=True)
    assert (
        client.get("/sign-in", headers={"X-Forwarded-Host": "maturity.example.org"}).status_code
        == 200
    )


@pytest.mark.parametrize("host", ["10.0.3.17:8000", "127.0.0.1", EVIL])
def test_healthz_answers_a_load_balancer_probing_by_address(client, host):
    response = client.get("/healthz", headers={"Host": host})

    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "reachable"}


def test_only_a_probe_of_healthz_itself_is_let_through(client):
    assert client.post("/healthz", headers={"Host": EVIL}).status_code == 400
    assert client.get("/healthz/", headers={"Host": EVIL}).status_code == 400
