"""Configuration, read from the environment only."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any


def _secret_key(instance_path: Path) -> str:
    """The SECRET_KEY from the environment, or one generated once into instance/."""
    if key := os.environ.get("SECRET_KEY"):
        return key
    path = instance_path / "secret_key"
    if not path.exists():
        instance_path.mkdir(parents=True, exist_ok=True)
        # O_EXCL: two workers starting together must not write two different keys.
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_urlsafe(48))
    return path.read_text().strip()


def from_environment(instance_path: Path) -> dict[str, Any]:
    database_url = os.environ.get("DATABASE_URL") or f"sqlite:///{instance_path / 'maturity.db'}"
    # Heroku-style URLs name the old driver; we use psycopg 3.
    if database_url.startswith("postgres://"):
        database_url = "postgresql+psycopg://" + database_url[len("postgres://") :]
    elif database_url.startswith("postgresql://"):
        database_url = "postgresql+psycopg://" + database_url[len("postgresql://") :]
    session_cookie_secure = os.environ.get("SESSION_COOKIE_SECURE", "false").lower() == "true"
    return {
        "SECRET_KEY": _secret_key(instance_path),
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "SERVICE_NAME": os.environ.get("SERVICE_NAME", "Performance measurement maturity"),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": session_cookie_secure,
        "REMEMBER_COOKIE_SECURE": session_cookie_secure,
        "REMEMBER_COOKIE_HTTPONLY": True,
        # A person writing evidence for an hour must not lose it to an expired token.
        "WTF_CSRF_TIME_LIMIT": None,
        # Flask-Security-Too
        "SECURITY_PASSWORD_HASH": "argon2",
        # argon2 is salted already; the extra HMAC layer would add a second secret to keep.
        "SECURITY_PASSWORD_SINGLE_HASH": True,
        "SECURITY_LOGIN_URL": "/sign-in",
        "SECURITY_LOGOUT_URL": "/sign-out",
        "SECURITY_POST_LOGIN_VIEW": "/",
        "SECURITY_POST_LOGOUT_VIEW": "/sign-in",
        "SECURITY_LOGIN_USER_TEMPLATE": "auth/sign_in.html",
        "SECURITY_REGISTERABLE": False,
        "SECURITY_RECOVERABLE": False,
        "SECURITY_CHANGEABLE": False,
        "SECURITY_TRACKABLE": False,
        "SECURITY_FLASH_MESSAGES": False,
        "SECURITY_EMAIL_VALIDATOR_ARGS": {"check_deliverability": False},
        "SECURITY_MSG_LOGIN": ("Sign in to continue", "info"),
        "SECURITY_MSG_INVALID_PASSWORD": ("Enter a correct email address and password", "error"),
        "SECURITY_MSG_USER_DOES_NOT_EXIST": (
            "Enter a correct email address and password",
            "error",
        ),
        "SECURITY_MSG_GENERIC_AUTHN_FAILED": (
            "Enter a correct email address and password",
            "error",
        ),
        "SECURITY_MSG_PASSWORD_NOT_PROVIDED": ("Enter your password", "error"),
        "SECURITY_MSG_EMAIL_NOT_PROVIDED": ("Enter your email address", "error"),
        "SECURITY_MSG_INVALID_EMAIL_ADDRESS": (
            "Enter an email address in the correct format, like name@example.org",
            "error",
        ),
        "SECURITY_MSG_DISABLED_ACCOUNT": ("Your account has been disabled", "error"),
        "SECURITY_RETURN_GENERIC_RESPONSES": True,
    }
