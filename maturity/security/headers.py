"""Security headers on every response."""

from __future__ import annotations

from flask import Flask, Response, request
from flask_security import current_user

# No inline script or style anywhere: the pages load our own files only. data: images are
# for the two-factor QR code.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
HSTS = "max-age=31536000; includeSubDomains"


def init_app(app: Flask) -> None:
    app.after_request(_add_headers)


def _add_headers(response: Response) -> Response:
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers["X-Content-Type-Options"] = "nosniff"
    headers["X-Frame-Options"] = "DENY"
    headers["Referrer-Policy"] = "same-origin"
    headers["Cross-Origin-Opener-Policy"] = "same-origin"
    headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=()"
    if request.is_secure:
        headers["Strict-Transport-Security"] = HSTS
    # A signed-in person's pages hold their organisation's data: keep them out of caches.
    # The header test comes first: a page that set its own (the database-down page does)
    # must not ask the database who is signed in.
    if "Cache-Control" not in headers and current_user and current_user.is_authenticated:
        headers["Cache-Control"] = "no-store"
    return response
