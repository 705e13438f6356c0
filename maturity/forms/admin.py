"""Forms for the administration pages and for setting a password from a link."""

from __future__ import annotations

from datetime import date

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovRadioInput,
    GovSelect,
    GovTextArea,
    GovTextInput,
)
from wtforms import Form, PasswordField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import EqualTo, InputRequired, Length, NoneOf, Optional

from maturity.domain.roles import MembershipRole
from maturity.models import Organisation

NO_ORGANISATION = 0
ROLE_CHOICES = [
    (MembershipRole.VIEWER.value, "Viewer"),
    (MembershipRole.ASSESSOR.value, "Assessor"),
    (MembershipRole.APPROVER.value, "Approver"),
]
ROLE_HINTS = {
    MembershipRole.VIEWER.value: "Sees the organisation's assessments and reports",
    MembershipRole.ASSESSOR.value: "Also fills in and submits assessments",
    MembershipRole.APPROVER.value: "Also approves, sends back and reopens assessments",
}


def organisation_choices(
    organisations: list[Organisation], *, none_label: str | None
) -> list[tuple[int, str]]:
    choices = [(o.id, o.name) for o in organisations]
    return [(NO_ORGANISATION, none_label), *choices] if none_label else choices


class ActionForm(FlaskForm):
    """A button that changes something: only its CSRF token is posted."""


class OrganisationForm(FlaskForm):
    name = StringField(
        "Name",
        validators=[
            InputRequired(message="Enter the organisation's name"),
            Length(max=200, message="Name must be 200 characters or fewer"),
        ],
        widget=GovTextInput(),
    )
    parent = SelectField(
        "Overseen by (optional)",
        description="Viewers in the overseeing organisation can see this one's assessments",
        coerce=int,
        default=NO_ORGANISATION,
        widget=GovSelect(),
    )


class ParentForm(FlaskForm):
    parent = SelectField("Overseen by", coerce=int, widget=GovSelect())


class InviteForm(FlaskForm):
    name = StringField(
        "Full name",
        validators=[
            InputRequired(message="Enter the person's full name"),
            Length(max=200, message="Name must be 200 characters or fewer"),
        ],
        widget=GovTextInput(),
    )
    email = StringField(
        "Email address",
        validators=[InputRequired(message="Enter the person's email address")],
        widget=GovTextInput(),
    )
    organisation = SelectField(
        "Organisation (optional)",
        description="You can give them roles later, on their page",
        coerce=int,
        default=NO_ORGANISATION,
        widget=GovSelect(),
    )
    role = RadioField(
        "Role in that organisation",
        choices=ROLE_CHOICES,
        validators=[Optional()],
        widget=GovRadioInput(),
    )


# How an administrator may confirm who is asking before turning off their two-factor sign-in
# (OWASP ASVS 6.4.4): the person was enrolled on an administrator's word, so their identity is
# checked again at least that well: face to face or by video against photo ID, or by calling
# back on a number the organisation holds (docs/security/authentication.md).
IDENTITY_CHECKS = [
    ("in-person", "Met them in person and checked their photo ID or staff pass"),
    ("video", "Video call, and checked their photo ID or staff pass"),
    ("call-back", "Called them back on a number from their organisation's staff directory"),
]


class TurnOffTwoFactorForm(FlaskForm):
    identity_check = RadioField(
        "How did you confirm it is them asking?",
        choices=IDENTITY_CHECKS,
        validators=[InputRequired(message="Select how you confirmed it is them")],
        widget=GovRadioInput(),
    )
    details = TextAreaField(
        "Details of the check",
        validators=[
            InputRequired(message="Enter who you spoke to, when, and what you checked"),
            Length(max=500, message="Details must be 500 characters or fewer"),
        ],
        widget=GovTextArea(),
    )


class RoleForm(FlaskForm):
    organisation = SelectField(
        "Organisation",
        coerce=int,
        widget=GovSelect(),
        validators=[
            InputRequired(message="Select an organisation"),
            NoneOf([NO_ORGANISATION], message="Select an organisation"),
        ],
    )
    role = RadioField(
        "Role",
        choices=ROLE_CHOICES,
        validators=[InputRequired(message="Select a role")],
        widget=GovRadioInput(),
    )


class SetPasswordForm(FlaskForm):
    """Worded as the service's change and reset password forms (maturity.security.passwords)."""

    password = PasswordField(
        "New password", validators=[InputRequired(message="Enter a new password")]
    )
    password_confirm = PasswordField(
        "Confirm new password",
        validators=[
            InputRequired(message="Re-type your new password"),
            EqualTo("password", message="The passwords you entered do not match"),
        ],
    )


class AuditFilterForm(Form):
    """Read from the query string: filtering changes nothing, so there is no CSRF token."""

    action = SelectField("Action", default="", widget=GovSelect())
    person = StringField(
        "Person",
        description="Part of the email address of who did it or who it was done to",
        validators=[Optional(), Length(max=255, message="Enter 255 characters or fewer")],
        widget=GovTextInput(),
    )
    organisation = SelectField(
        "Organisation", coerce=int, default=NO_ORGANISATION, widget=GovSelect()
    )
    from_day = StringField()
    from_month = StringField()
    from_year = StringField()
    to_day = StringField()
    to_month = StringField()
    to_year = StringField()

    def date(self, which: str) -> date | None:
        """The from or to date, None when left blank; ``errors`` gets a message if not real."""
        parts = [getattr(self, f"{which}_{part}").data or "" for part in ("day", "month", "year")]
        parts = [part.strip() for part in parts]
        if not any(parts):
            return None
        label = "Date from" if which == "from" else "Date to"
        try:
            day, month, year = (int(part) for part in parts)
            if year < 1000:
                raise ValueError(year)
            return date(year, month, day)
        except (ValueError, OverflowError):
            self.date_errors[which] = f"{label} must be a real date, like 27 3 2025"
            return None

    @property
    def date_errors(self) -> dict[str, str]:
        if not hasattr(self, "_date_errors"):
            self._date_errors: dict[str, str] = {}
        return self._date_errors
