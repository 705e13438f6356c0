"""Device cookies, so that nobody can keep a person out by failing to sign in as them (OWASP
ASVS 6.1.1; OWASP's "Slow Down Online Guessing Attacks with Device Cookies").

A browser where someone has signed in gets a signed cookie naming that account (by a keyed
hash, not the address). When it tries that account again, its failures are counted in a
bucket of its own, with the same per-account limit: failures from anywhere else (an attacker
who knows the address) pause everyone else's attempts at that account, but never the
person's own browser. The cookie grants nothing else: it is no session and signs nobody in.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta
from typing import Any

from flask import Flask, Response, after_this_request, current_app, request
from flask_security.signals import user_authenticated
from itsdangerous import BadSignature, URLSafeTimedSerializer

SALT = "maturity.device-cookie"
# A browser the person uses at least once a year keeps its own bucket.
LIFETIME = timedelta(days=365)


def init_app(app: Flask) -> None:
    user_authenticated.connect(_issue, app)


def bucket(account: str) -> str:
    """The per-account limit's key for this attempt at ``account``: the account's shared
    key, or one of this browser's own when it holds a device cookie for that account."""
    device = _device_for(account)
    return f"{account}|device:{device}" if device else account


def cookie_name() -> str:
    # __Host-: kept to this host, over HTTPS, for the whole site (as the session cookie).
    return "__Host-device" if current_app.config["SESSION_COOKIE_SECURE"] else "device"


def _device_for(account: str) -> str | None:
    raw = request.cookies.get(cookie_name())
    if not raw or not account:
        return None
    try:
        data = _serializer().loads(raw, max_age=int(LIFETIME.total_seconds()))
    except BadSignature:
        return None
    if not isinstance(data, dict) or not hmac.compare_digest(
        str(data.get("a", "")), _account_key(account)
    ):
        return None
    return str(data.get("d") or "") or None


def _issue(app: Flask, user: Any, **_: Any) -> None:
    token = _serializer().dumps({"a": _account_key(user.email), "d": secrets.token_urlsafe(16)})

    @after_this_request
    def set_cookie(response: Response) -> Response:
        response.set_cookie(
            cookie_name(),
            token,
            max_age=int(LIFETIME.total_seconds()),
            secure=current_app.config["SESSION_COOKIE_SECURE"],
            httponly=True,
            samesite="Lax",
            path="/",
        )
        return response


def _account_key(account: str) -> str:
    secret = str(current_app.config["SECRET_KEY"]).encode()
    return hmac.new(secret, account.strip().lower().encode(), hashlib.sha256).hexdigest()


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)
