"""Giving a password link to its person: by e-mail where SMTP is set up, else shown once.

The link is never stored. After the redirect that follows the POST, the confirmation page
rebuilds it from the signed session (person, purpose and issue time: no secret) and removes
those from the session, so reloading the page does not show it again.
"""

from __future__ import annotations

from flask import current_app, render_template, session, url_for
from flask.typing import ResponseReturnValue

from maturity.data import invitations
from maturity.data.invitations import Link
from maturity.security import hosts, mail
from maturity.views.admin import bp, person_or_404

SESSION_KEY = "admin_password_link"


def url_of(link: Link) -> str:
    """The link's address: SERVICE_URL and the path, never the request's Host header."""
    endpoint = "invitations.invitation" if link.purpose == "invitation" else "invitations.reset"
    base = hosts.link_base(current_app.config)
    if base:
        return base + url_for(endpoint, token=link.token)
    # Only in local development (cookies not secure, no MAIL_SERVER): link_base refuses
    # otherwise. The link is shown to the administrator, at the address they are using.
    return url_for(endpoint, token=link.token, _external=True)


def deliver(link: Link) -> None:
    emailed = mail_failed = False
    if mail.configured():
        try:
            mail.send(to=link.user.email, subject=_subject(link), body=_body(link))
        except mail.MailNotSent:
            mail_failed = True
        else:
            emailed = True
    session[SESSION_KEY] = {
        "user_id": link.user.id,
        "purpose": link.purpose,
        "issued_at": link.issued_at,
        "emailed": emailed,
        "mail_failed": mail_failed,
    }


@bp.get("/people/<int:user_id>/link")
def link(user_id: int) -> ResponseReturnValue:
    person = person_or_404(user_id)
    made = session.get(SESSION_KEY)
    shown: Link | None = None
    emailed = mail_failed = False
    if isinstance(made, dict) and made.get("user_id") == person.id:
        session.pop(SESSION_KEY)
        shown = invitations.reissue(
            user_id=person.id, purpose=made.get("purpose", ""), issued_at=made.get("issued_at", 0)
        )
        emailed, mail_failed = bool(made.get("emailed")), bool(made.get("mail_failed"))
    response = current_app.make_response(
        render_template(
            "admin/link.html",
            person=person,
            link=shown,
            url=url_of(shown) if shown and not emailed else None,
            emailed=emailed,
            mail_failed=mail_failed,
        )
    )
    response.headers["Cache-Control"] = "no-store"
    return response


def _subject(link: Link) -> str:
    service = current_app.config["SERVICE_NAME"]
    if link.purpose == "invitation":
        return f"You have been invited to {service}"
    return f"Reset your password for {service}"


def _body(link: Link) -> str:
    service = current_app.config["SERVICE_NAME"]
    greeting = f"Dear {link.user.name}," if link.user.name else "Hello,"
    if link.purpose == "invitation":
        what = f"An administrator has made you an account on {service}."
        action = "To start using it, create your password by opening this link:"
    else:
        what = f"An administrator has made you a link to reset your password on {service}."
        action = "To choose a new password, open this link:"
    expires = link.expires_at.strftime("%-d %B %Y at %H:%M UTC")
    return (
        f"{greeting}\n\n{what}\n\n{action}\n\n{url_of(link)}\n\n"
        f"The link works once, and only until {expires}.\n\n"
        "If you did not expect this email, you can ignore it: nothing changes until the "
        "link is used.\n"
    )
