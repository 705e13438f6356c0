"""Configuration, read from the environment only."""

from __future__ import annotations

import base64
import os
import secrets
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import click

# Password hashing (passlib's CryptContext options, as Flask-Security passes them): argon2id,
# memory in KiB (19 MiB), passes, lanes. OWASP Password Storage Cheat Sheet: "Use Argon2id
# with a minimum configuration of 19 MiB of memory, an iteration count of 2, and 1 degree of
# parallelism."
ARGON2_OPTIONS: dict[str, Any] = {
    "argon2__type": "id",
    "argon2__memory_cost": 19456,
    "argon2__rounds": 2,
    "argon2__parallelism": 1,
}


def _secret(
    instance_path: Path, name: str, make: Callable[[], str] = lambda: secrets.token_urlsafe(48)
) -> str:
    """The secret in the environment variable ``name``, or one generated once into
    instance/ (the file is ``name`` in lower case)."""
    if key := os.environ.get(name):
        return key
    path = instance_path / name.lower()
    if not path.exists():
        instance_path.mkdir(parents=True, exist_ok=True)
        # O_EXCL: two workers starting together must not write two different keys.
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "w") as handle:
                handle.write(make())
    return path.read_text().strip()


def _fernet_key() -> str:
    """32 random bytes in url-safe base64: the form cryptography's Fernet takes a key in."""
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode("ascii")


class ConfigurationError(click.ClickException):
    """The environment does not let the service start; the message says what to set.

    A ClickException, so that ``flask --app maturity ...`` prints the one sentence rather than a
    traceback; gunicorn stops rather than restarting workers that cannot boot."""


def _list_env(name: str) -> list[str]:
    """A comma-separated environment variable as a list, without blanks."""
    return [item.strip() for item in os.environ.get(name, "").split(",") if item.strip()]


def _int_env(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def _days_env(name: str, default: int, *, most: int = 3650) -> int:
    days = _int_env(name, default)
    if not 1 <= days <= most:
        raise ConfigurationError(f"Set {name} to a number of days from 1 to {most:,}, not {days}.")
    return days


def from_environment(instance_path: Path) -> dict[str, Any]:
    database_url = os.environ.get("DATABASE_URL") or f"sqlite:///{instance_path / 'maturity.db'}"
    # Heroku-style URLs name the old driver; we use psycopg 3.
    if database_url.startswith("postgres://"):
        database_url = "postgresql+psycopg://" + database_url[len("postgres://") :]
    elif database_url.startswith("postgresql://"):
        database_url = "postgresql+psycopg://" + database_url[len("postgresql://") :]
    # Secure cookies except where local development says otherwise (`make run` does).
    session_cookie_secure = os.environ.get("SESSION_COOKIE_SECURE", "true").lower() != "false"
    service_name = os.environ.get("SERVICE_NAME", "Performance measurement maturity")
    return {
        "SECRET_KEY": _secret(instance_path, "SECRET_KEY"),
        "SQLALCHEMY_DATABASE_URI": database_url,
        # pool_pre_ping: a connection the database dropped (a restart) is replaced, not used.
        # hide_parameters: a failed statement's values (e-mail addresses, evidence) stay out
        # of error messages and so out of the logs.
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True, "hide_parameters": True},
        "SERVICE_NAME": service_name,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": session_cookie_secure,
        # __Host-: the browser keeps it to this exact host, over HTTPS, for the whole site.
        "SESSION_COOKIE_NAME": "__Host-session" if session_cookie_secure else "session",
        # No "remember me": a session lasts no longer than the time-outs below allow.
        "REMEMBER_COOKIE_DURATION": timedelta(0),
        "REMEMBER_COOKIE_SECURE": session_cookie_secure,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        # Behind a reverse proxy, how many trusted hops set X-Forwarded-For/-Proto/-Host.
        "TRUSTED_PROXY_HOPS": _int_env("TRUSTED_PROXY_HOPS", 0),
        # Sessions and sign-in attempts (maturity/security/sessions.py and sign_in.py).
        "SESSION_IDLE_TIMEOUT": timedelta(minutes=_int_env("SESSION_IDLE_MINUTES", 30)),
        "SESSION_ABSOLUTE_TIMEOUT": timedelta(hours=_int_env("SESSION_ABSOLUTE_HOURS", 12)),
        "PERMANENT_SESSION_LIFETIME": timedelta(hours=_int_env("SESSION_ABSOLUTE_HOURS", 12)),
        # The time-out warning (WCAG 2.2.1) opens this long before a session ends.
        "SESSION_WARNING_LEAD": timedelta(minutes=_int_env("SESSION_WARNING_MINUTES", 2)),
        # Browser tests only (tests/browser/conftest.py): a session may carry shorter limits.
        "SESSION_TIMEOUTS_FROM_SESSION": False,
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI", "memory://"),
        "SIGN_IN_LIMIT_PER_ACCOUNT": os.environ.get(
            "SIGN_IN_LIMIT_PER_ACCOUNT", "5 per 15 minutes"
        ),
        "SIGN_IN_LIMIT_PER_ADDRESS": os.environ.get(
            "SIGN_IN_LIMIT_PER_ADDRESS", "30 per 15 minutes"
        ),
        # Invitation and password reset links (maturity/data/invitations.py). They are
        # e-mailed when MAIL_SERVER is set, otherwise shown once to the administrator.
        "INVITATION_VALIDITY_DAYS": _int_env("INVITATION_VALIDITY_DAYS", 7),
        # An unsaved draft of a domain's answers is deleted this long after it was last typed
        # into: evidence can be sensitive, and a draft nobody came back for is not a record.
        # At least a day: 0 would delete drafts as they are typed.
        "DRAFT_KEEP_DAYS": _days_env("DRAFT_KEEP_DAYS", 30),
        "PASSWORD_RESET_VALIDITY_DAYS": _int_env(
            "PASSWORD_RESET_VALIDITY_DAYS", _int_env("INVITATION_VALIDITY_DAYS", 7)
        ),
        # Links in e-mail use this address, not the Host header of the request that made them;
        # required when cookies are secure or MAIL_SERVER is set (maturity/security/hosts.py).
        "SERVICE_URL": os.environ.get("SERVICE_URL", "").rstrip("/"),
        # Host names accepted besides SERVICE_URL's (an internal name, say): create_app adds
        # SERVICE_URL's and hands the list to Flask, which answers any other Host with 400.
        "TRUSTED_HOSTS": _list_env("TRUSTED_HOSTS"),
        "MAIL_SERVER": os.environ.get("MAIL_SERVER", ""),
        "MAIL_PORT": _int_env("MAIL_PORT", 587),
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME", ""),
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD", ""),
        "MAIL_USE_TLS": os.environ.get("MAIL_USE_TLS", "true").lower() != "false",
        "MAIL_SENDER": os.environ.get("MAIL_SENDER", ""),
        # Where the accessibility statement (/accessibility) tells people to report problems.
        "ACCESSIBILITY_CONTACT_EMAIL": os.environ.get("ACCESSIBILITY_CONTACT_EMAIL", ""),
        # Rendered PDFs by a hash of their inputs, and finished background reports: folders
        # every app server and worker must share (maturity/reports/cache.py, maturity/jobs/).
        # Set but empty: no cache (every download renders).
        "REPORT_CACHE_DIR": os.environ.get("REPORT_CACHE_DIR", str(instance_path / "report-cache")),
        "REPORT_CACHE_MAX_MB": _int_env("REPORT_CACHE_MAX_MB", 500),
        "REPORT_JOBS_DIR": os.environ.get("REPORT_JOBS_DIR") or str(instance_path / "report-jobs"),
        # A running job whose worker has not reported for this long is taken to have died and
        # is queued again, up to REPORT_JOB_MAX_ATTEMPTS runs in all.
        "REPORT_JOB_STALE_SECONDS": _int_env("REPORT_JOB_STALE_SECONDS", 600),
        "REPORT_JOB_MAX_ATTEMPTS": _int_env("REPORT_JOB_MAX_ATTEMPTS", 3),
        # When the data behind a report changes, the workers render it again, so that its next
        # download is ready: an organisation's own report after this many seconds (a burst of
        # saves is one render), the oversight reports that include it after the longer delay
        # (each is many pages). REPORT_PRERENDER=false leaves every render to the first
        # download that needs it.
        "REPORT_PRERENDER": os.environ.get("REPORT_PRERENDER", "true").lower() != "false",
        "REPORT_PRERENDER_DELAY_SECONDS": _int_env("REPORT_PRERENDER_DELAY_SECONDS", 10),
        "REPORT_OVERSIGHT_PRERENDER_DELAY_SECONDS": _int_env(
            "REPORT_OVERSIGHT_PRERENDER_DELAY_SECONDS", 300
        ),
        # Report workers yield the processor to the web servers on the same machine: a page
        # is someone waiting; a render is not, yet (see docs/production.md).
        "REPORT_WORKER_NICE": _int_env("REPORT_WORKER_NICE", 10),
        # Tests keep the queue in memory and run its jobs when they choose (tests/conftest.py).
        "JOBS_IN_MEMORY": False,
        # A person writing evidence for an hour must not lose it to an expired token.
        "WTF_CSRF_TIME_LIMIT": None,
        # Flask-Security-Too
        "SECURITY_PASSWORD_HASH": "argon2",
        # argon2id at the OWASP Password Storage Cheat Sheet's minimum: 19 MiB, 2 passes, one
        # lane (docs/production.md, "Passwords", says why). A stored hash made with other
        # parameters still verifies, and is hashed again with these when its owner signs in.
        "SECURITY_PASSWORD_HASH_PASSLIB_OPTIONS": ARGON2_OPTIONS,
        # argon2 is salted already; the extra HMAC layer would add a second secret to keep.
        "SECURITY_PASSWORD_SINGLE_HASH": True,
        "SECURITY_LOGIN_URL": "/sign-in",
        "SECURITY_LOGOUT_URL": "/sign-out",
        "SECURITY_POST_LOGIN_VIEW": "/",
        "SECURITY_POST_LOGOUT_VIEW": "/sign-in",
        "SECURITY_LOGIN_USER_TEMPLATE": "auth/sign_in.html",
        "SECURITY_REGISTERABLE": False,
        "SECURITY_RECOVERABLE": False,
        "SECURITY_CHANGEABLE": True,  # change password: maturity/security/passwords.py
        "SECURITY_TRACKABLE": False,
        "SECURITY_FLASH_MESSAGES": False,
        "SECURITY_EMAIL_VALIDATOR_ARGS": {"check_deliverability": False},
        "SECURITY_MSG_LOGIN": ("Sign in to continue", "info"),
        # Sign-in answers with GENERIC_AUTHN_FAILED; this one is for re-entering a password.
        "SECURITY_MSG_INVALID_PASSWORD": ("The password you entered is not correct", "error"),
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
        # Two-factor sign-in and passwords (maturity/security/two_factor.py, passwords.py).
        # An authenticator app only: the service sends no codes by e-mail or SMS.
        "SECURITY_TWO_FACTOR": True,
        "SECURITY_TWO_FACTOR_ENABLED_METHODS": ["authenticator"],
        # Accept the code for the current 30-second step and one step either side (clock
        # drift), not Flask-Security's default two minutes.
        "SECURITY_TWO_FACTOR_AUTHENTICATOR_VALIDITY": 30,
        "SECURITY_TWO_FACTOR_RESCUE_EMAIL": False,
        "SECURITY_TOTP_ISSUER": service_name,
        # Encrypts each person's TOTP secret in the database; keep it to keep their set-up.
        "SECURITY_TOTP_SECRETS": {"1": _secret(instance_path, "TOTP_SECRET")},
        "SECURITY_MULTI_FACTOR_RECOVERY_CODES": True,
        # Recovery codes are stored encrypted with this key, so a copy of the database alone
        # does not give them away.
        "SECURITY_MULTI_FACTOR_RECOVERY_CODES_KEYS": [
            _secret(instance_path, "RECOVERY_CODES_KEY", make=_fernet_key).encode("ascii")
        ],
        "SECURITY_TWO_FACTOR_SETUP_URL": "/account/two-factor",
        "SECURITY_TWO_FACTOR_TOKEN_VALIDATION_URL": "/sign-in/code",
        "SECURITY_TWO_FACTOR_RESCUE_URL": "/sign-in/problem-with-code",
        "SECURITY_MULTI_FACTOR_RECOVERY_URL": "/sign-in/recovery-code",
        "SECURITY_MULTI_FACTOR_RECOVERY_CODES_URL": "/account/recovery-codes",
        "SECURITY_TWO_FACTOR_POST_SETUP_VIEW": "/account",
        "SECURITY_VERIFY_URL": "/account/confirm-password",
        # Changing how someone signs in needs their password again if it was given more than
        # this long ago (OWASP ASVS 7.5.1); well within the session's own time-outs.
        "SECURITY_FRESHNESS": timedelta(minutes=15),
        "SECURITY_FRESHNESS_GRACE_PERIOD": timedelta(minutes=15),
        "SECURITY_CHANGE_URL": "/account/password",
        "SECURITY_POST_CHANGE_VIEW": "/account",
        # Flask-Security mails through Flask-Mail(man), which we do not use; a notice of the
        # change needs a MailUtil over maturity/security/mail.py first.
        "SECURITY_SEND_PASSWORD_CHANGE_EMAIL": False,
        # At least 12 characters, no composition rules; common ones refused (passwords.py).
        "SECURITY_PASSWORD_LENGTH_MIN": 12,
        "SECURITY_TWO_FACTOR_SETUP_TEMPLATE": "auth/two_factor_setup.html",
        "SECURITY_TWO_FACTOR_VERIFY_CODE_TEMPLATE": "auth/two_factor_code.html",
        "SECURITY_MULTI_FACTOR_RECOVERY_CODES_TEMPLATE": "auth/recovery_codes.html",
        "SECURITY_MULTI_FACTOR_RECOVERY_TEMPLATE": "auth/recovery_code.html",
        "SECURITY_VERIFY_TEMPLATE": "auth/confirm_password.html",
        "SECURITY_CHANGE_PASSWORD_TEMPLATE": "auth/change_password.html",
        "SECURITY_RESET_PASSWORD_TEMPLATE": "auth/reset_password.html",
        "SECURITY_MSG_TWO_FACTOR_INVALID_TOKEN": (
            "The code is not correct or has expired: enter the code your app shows now",
            "error",
        ),
        "SECURITY_MSG_TWO_FACTOR_CODE_NOT_PROVIDED": (
            "Enter the 6-digit code from your authenticator app",
            "error",
        ),
        "SECURITY_MSG_TWO_FACTOR_METHOD_NOT_AVAILABLE": (
            "Select how you want to get codes",
            "error",
        ),
        "SECURITY_MSG_RECOVERY_CODE_NOT_PROVIDED": ("Enter a recovery code", "error"),
        "SECURITY_MSG_INVALID_RECOVERY_CODE": (
            "The recovery code is not correct or has already been used",
            "error",
        ),
        "SECURITY_MSG_NO_RECOVERY_CODES_SETUP": ("You have no recovery codes", "error"),
        "SECURITY_MSG_PASSWORD_IS_THE_SAME": (
            "Your new password must be different from your current password",
            "error",
        ),
        "SECURITY_MSG_RETYPE_PASSWORD_MISMATCH": (
            "The passwords you entered do not match",
            "error",
        ),
        "SECURITY_MSG_NEW_PASSWORD_NOT_PROVIDED": ("Enter a new password", "error"),
        "SECURITY_MSG_RETYPE_PASSWORD_NOT_PROVIDED": ("Re-type your new password", "error"),
    }
