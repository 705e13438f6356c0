"""Forms for starting an assessment and answering one domain."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovCharacterCount, GovSubmitInput, GovTextInput
from wtforms import HiddenField, RadioField, StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from maturity.domain.periods import InvalidPeriod, Period
from maturity.models import Framework

EVIDENCE_LIMIT = 10_000


def _valid_period(_form: FlaskForm, field: StringField) -> None:
    try:
        field.data = Period.parse(field.data or "").label
    except InvalidPeriod as exc:
        raise ValidationError(str(exc)) from exc


class StartAssessmentForm(FlaskForm):
    period = StringField(
        "Which period does this assessment cover?",
        description="A calendar year, like 2018, or a financial year, like 2018-19",
        validators=[InputRequired(message="Enter the period the assessment covers"), _valid_period],
        widget=GovTextInput(),
    )
    submit = SubmitField("Continue", widget=GovSubmitInput())


class RatingForm(FlaskForm):
    level = RadioField(coerce=int, validators=[Optional()])
    evidence = TextAreaField(
        "Evidence",
        description="What shows the organisation has reached this level: documents, reports, "
        "decisions, and who judged it",
        validators=[
            Length(max=EVIDENCE_LIMIT, message="Evidence must be 10,000 characters or less")
        ],
        widget=GovCharacterCount(),
    )
    reason_for_change = TextAreaField(
        "Reason for change",
        description="If the level differs from the previous period, say what changed and why",
        validators=[
            Length(
                max=EVIDENCE_LIMIT, message="Reason for change must be 10,000 characters or less"
            )
        ],
        widget=GovCharacterCount(),
    )
    ambition = RadioField(coerce=int, validators=[Optional()])
    version = HiddenField()
    save_and_continue = SubmitField("Save and continue")
    save_draft = SubmitField("Save as draft and come back later")

    def set_framework(self, framework: Framework) -> None:
        levels = [(level.number, level.name) for level in framework.levels]
        self.level.choices = [*levels, (0, f"Not yet at '{framework.levels[0].name}'")]
        self.ambition.choices = levels

    def validate(self, extra_validators: dict[str, list[object]] | None = None) -> bool:
        valid = super().validate(extra_validators)
        # A draft may be saved half-answered; moving on needs the level.
        if self.save_and_continue.data and self.level.data is None:
            self.level.errors = [*self.level.errors, "Select the level reached"]
            self._errors = None
            valid = False
        return valid
