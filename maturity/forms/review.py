"""Forms an approver fills in: moderating a domain, sending back, reopening, approving."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovCharacterCount
from wtforms import HiddenField, RadioField, TextAreaField
from wtforms.validators import InputRequired, Length

from maturity.models import Framework

TEXT_LIMIT = 10_000
# The radio that clears a moderated level: the approver agrees with the assessor.
AGREE = "agree"


def _limit(what: str) -> Length:
    return Length(max=TEXT_LIMIT, message=f"{what} must be 10,000 characters or less")


class ModerationForm(FlaskForm):
    """One per domain on the review page, told apart by a ``prefix`` of the domain's key."""

    moderated_level = RadioField(
        # The data layer refuses levels outside the framework, with a message to match;
        # WTForms' own "Not a valid choice" would say less.
        validate_choice=False,
        validators=[
            InputRequired(
                message="Select the level you judge was reached, or agree with the assessed level"
            )
        ],
    )
    moderated_note = TextAreaField(
        "Why did you judge a different level?",
        description="Required when you set a moderated level. The assessor and the audit "
        "trail see it.",
        validators=[_limit("Your note")],
        widget=GovCharacterCount(),
    )
    version = HiddenField()

    def level(self) -> int | None:
        """The chosen level; ``None`` to agree with the assessed one. A value that is not a
        number becomes -1, which the data layer refuses as not on the list."""
        value = self.moderated_level.data
        if value == AGREE:
            return None
        try:
            return int(value or "")
        except ValueError:
            return -1


class SendBackForm(FlaskForm):
    comment = TextAreaField(
        "What needs to change before you can approve it?",
        description="The assessor sees this with the assessment, and it is kept in the "
        "audit trail.",
        validators=[_limit("Your comment")],
        widget=GovCharacterCount(),
    )

    def domain_comments(self, framework: Framework) -> dict[str, str]:
        return {d.key: self[comment_field(d.key)].data or "" for d in framework.domains}


def comment_field(domain_key: str) -> str:
    return f"comment-{domain_key}"


def send_back_form(framework: Framework, *, comments: dict[str, str]) -> SendBackForm:
    """A send-back form with a comment box per domain of the framework, pre-filled with
    ``comments`` (those from an earlier send-back) unless the form was posted."""
    fields = {
        comment_field(domain.key): TextAreaField(
            domain.name,
            description="Optional. Shown to the assessor on this domain's page.",
            validators=[_limit(f"Your comment on {domain.name}")],
            widget=GovCharacterCount(),
        )
        for domain in framework.domains
    }
    form_class = type("FrameworkSendBackForm", (SendBackForm,), fields)
    data = {comment_field(key): text for key, text in comments.items()}
    form: SendBackForm = form_class(data=data)
    return form


class ReopenForm(FlaskForm):
    reason = TextAreaField(
        "Why are you reopening the assessment?",
        description="For example, what has to be corrected. The reason is shown on the "
        "assessment and kept in the audit trail.",
        validators=[_limit("Your reason")],
        widget=GovCharacterCount(),
    )


class DecisionForm(FlaskForm):
    """Approving, with an optional comment for the sign-off."""

    comment = TextAreaField(
        "Comment on your approval (optional)",
        description="For example, what you checked. It is kept with your approval in the "
        "assessment's history and the report's sign-off.",
        validators=[_limit("Your comment")],
        widget=GovCharacterCount(),
    )
