"""Sending e-mail through the SMTP server the environment names, with the standard library.

Without ``MAIL_SERVER`` the service sends nothing and shows links to the administrator instead.
"""

from __future__ import annotations

import logging
import smtplib
from email.message import EmailMessage

from flask import current_app

logger = logging.getLogger(__name__)
TIMEOUT_SECONDS = 10


class MailNotSent(Exception):
    pass


def configured() -> bool:
    return bool(current_app.config.get("MAIL_SERVER"))


def send(*, to: str, subject: str, body: str) -> None:
    """Send a plain-text message; raises :class:`MailNotSent` so the caller can fall back."""
    config = current_app.config
    message = EmailMessage()
    message["From"] = config.get("MAIL_SENDER") or config.get("MAIL_USERNAME") or "maturity"
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    try:
        with smtplib.SMTP(
            config["MAIL_SERVER"], int(config.get("MAIL_PORT") or 587), timeout=TIMEOUT_SECONDS
        ) as smtp:
            if config.get("MAIL_USE_TLS", True):
                smtp.starttls()
            if config.get("MAIL_USERNAME"):
                smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as exc:
        # The message holds a password link: log that it failed, never what it said.
        logger.warning("mail to %s not sent: %s", to, type(exc).__name__)
        raise MailNotSent(str(exc)) from exc
