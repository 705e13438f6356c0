"""Sign-in attempts: limited per account and per address, and failures audited.

Flask-Security draws the sign-in page; we wrap its view so that only failed attempts count
against the limits (a successful sign-in answers with a redirect).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask, Response, render_template, request, session
from flask.typing import ResponseReturnValue
from flask_limiter import Limiter, RateLimitExceeded
from flask_limiter.util import get_remote_address
from flask_security import current_user

from maturity.data import commit
from maturity.data.audit import record


def init_app(app: Flask) -> None:
    from maturity.security import device_cookies

    device_cookies.init_app(app)
    app.config.setdefault("RATELIMIT_STORAGE_URI", "memory://")
    app.config.setdefault("RATELIMIT_HEADERS_ENABLED", False)
    # One limiter per app, not a module-level one: a Limiter keeps its storage on itself,
    # so a second app (another test, another configuration) would take over the first's.
    limiter = Limiter(key_func=get_remote_address, default_limits=[])
    limiter.init_app(app)
    app.extensions["sign_in_limiter"] = limiter

    def failed_posts(setting: str, key: Callable[[], str], scope: str) -> Callable[..., Any]:
        """Count failed POSTs (a success redirects) against ``setting``, by ``key``."""
        return limiter.limit(
            lambda: app.config[setting],
            key_func=key,
            methods=["POST"],
            deduct_when=_failed,
            scope=scope,
        )

    per_address = failed_posts("SIGN_IN_LIMIT_PER_ADDRESS", get_remote_address, "sign-in-address")
    per_account = failed_posts("SIGN_IN_LIMIT_PER_ACCOUNT", _account_bucket, "sign-in-account")
    # A password-verified session could otherwise try every six-digit code in turn.
    per_pending = failed_posts("SIGN_IN_LIMIT_PER_ACCOUNT", _pending_person, "sign-in-code")
    # Signed-in pages that check the password again must not become a place to guess it.
    per_person = failed_posts("SIGN_IN_LIMIT_PER_ACCOUNT", _signed_in_person, "password-check")
    wrappers: dict[str, tuple[Callable[..., Any], ...]] = {
        "security.login": (per_account, per_address, _audit_failures),
        "security.two_factor_token_validation": (per_pending, per_address),
        "security.mf_recovery": (per_pending, per_address),
        "security.verify": (per_person,),
        "security.change_password": (per_person,),
    }
    for endpoint, layers in wrappers.items():
        if endpoint in app.view_functions:
            view: Callable[..., Any] = app.view_functions[endpoint]
            for layer in reversed(layers):
                view = layer(view)
            app.view_functions[endpoint] = view
    app.register_error_handler(RateLimitExceeded, _too_many)


def _account() -> str:
    return (request.form.get("email") or "").strip().lower()


def _account_bucket() -> str:
    """Failures at an account are counted per browser that has signed in to it before, and
    together for every other (device_cookies.py): nobody can pause the person's own."""
    from maturity.security import device_cookies

    return device_cookies.bucket(_account())


def _signed_in_person() -> str:
    return str(getattr(current_user, "fs_uniquifier", None) or get_remote_address())


def _pending_person() -> str:
    """Whoever has given their password and now owes a code (Flask-Security's session key)."""
    return str(session.get("tf_user_id") or get_remote_address())


def _failed(response: Response) -> bool:
    return response.status_code != 302


def _audit_failures(view: Callable[..., Any]) -> Callable[..., Any]:
    def audited(*args: Any, **kwargs: Any) -> ResponseReturnValue:
        response = view(*args, **kwargs)
        if request.method == "POST" and getattr(response, "status_code", 200) == 200:
            record(
                action="sign_in.failed",
                actor=None,
                subject=_account()[:300],
                remote_address=request.remote_addr,
            )
            commit()
        return response

    audited.__name__ = view.__name__
    return audited


def _too_many(error: RateLimitExceeded) -> ResponseReturnValue:
    record(
        action="sign_in.limited",
        actor=None,
        subject=_account()[:300],
        details={"limit": str(error.limit.limit)},
        remote_address=request.remote_addr,
    )
    commit()
    return (
        render_template(
            "errors/error.html",
            code=429,
            title="Too many attempts to sign in",
            detail="For your security, signing in is paused after several failed attempts. "
            "Wait 15 minutes, then try again. If you have forgotten your password, ask an "
            "administrator for a reset link.",
        ),
        429,
    )
