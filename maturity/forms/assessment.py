"""Forms for starting an assessment, answering one domain and adding an improvement action.

They check only what a browser sends (choices, lengths, a real date); the rules about the
answers themselves live in :mod:`maturity.domain.assessment_rules` and are enforced by the
data layer, which reports them back here field by field.
"""

from __future__ import annotations

from datetime import date

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCharacterCount,
    GovRadioInput,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    HiddenField,
    RadioField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import AnyOf, InputRequired, Length, Optional, ValidationError

from maturity.domain.assessment_rules import (
    EVIDENCE_LIMIT,
    OWNER_LIMIT,
    WHAT_LIMIT,
    Answers,
    parse_due_date,
)
from maturity.domain.errors import DomainError
from maturity.domain.periods import InvalidPeriod, Period
from maturity.domain.whole_numbers import whole_number
from maturity.models import Framework, FrameworkDomain, ImprovementAction


def _valid_period(_form: FlaskForm, field: StringField) -> None:
    try:
        field.data = Period.parse(field.data or "").label
    except InvalidPeriod as exc:
        raise ValidationError(str(exc)) from exc


def _long_text(label: str, description: str, *, called: str | None = None) -> TextAreaField:
    return TextAreaField(
        label,
        description=description,
        validators=[
            Length(
                max=EVIDENCE_LIMIT,
                message=f"{called or label} must be 10,000 characters or less",
            )
        ],
        widget=GovCharacterCount(),
    )


class StartAssessmentForm(FlaskForm):
    # Asked only when more than one framework is enabled for the organisation (see
    # :meth:`set_frameworks`); the choices are the enabled keys, so nothing else validates.
    framework = RadioField(
        "Which framework is this assessment on?",
        validators=[Optional()],
        widget=GovRadioInput(),
    )
    period = StringField(
        "Which period does this assessment cover?",
        description="A calendar year, like 2018, or a financial year, like 2018-19",
        validators=[InputRequired(message="Enter the period the assessment covers"), _valid_period],
        widget=GovTextInput(),
    )
    submit = SubmitField("Continue", widget=GovSubmitInput())

    def set_frameworks(self, frameworks: list[Framework]) -> None:
        self.framework.choices = [(f.key, f.name) for f in frameworks]
        if len(frameworks) > 1:
            self.framework.validators = [InputRequired(message="Select the framework")]

    def chosen(self, frameworks: list[Framework]) -> Framework:
        """The framework chosen, or the only one when the question was not asked."""
        if len(frameworks) == 1:
            return frameworks[0]
        return next(f for f in frameworks if f.key == self.framework.data)


class RatingForm(FlaskForm):
    # Guided scoring: the ids of the good-practice criteria met (see set_framework); the
    # page draws them as GOV.UK checkboxes grouped by level.
    criteria = SelectMultipleField(coerce=int, validators=[Optional()])
    level = RadioField(coerce=int, validators=[Optional()])
    level_differs_reason = _long_text(
        "Why is the level different from the suggested level?",
        "Needed only if you choose a level other than the one suggested",
        called="The reason the level differs",
    )
    evidence = _long_text(
        "Evidence",
        "What shows the organisation has reached this level: documents, reports, "
        "decisions, and who judged it",
    )
    reason_for_change = _long_text(
        "Reason for change",
        "If the level differs from the previous period, say what changed and why",
    )
    ambition = RadioField(coerce=int, validators=[Optional()])
    ambition_reason = _long_text(
        "Why is the ambition below the level reached?",
        "Only needed if the ambition is lower than the level reached",
        called="The reason for the ambition",
    )
    version = HiddenField()
    save_and_continue = SubmitField("Save and continue")
    save_draft = SubmitField("Save as draft and come back later")
    # Without JavaScript the suggestion is worked out on the server: this saves the draft
    # and shows the page again with it.
    suggest = SubmitField("Save and update the suggested level")
    # The improvement actions' buttons sit inside this form so that pressing one saves
    # what has been typed above first; each carries the action's id as its value.
    add_action = SubmitField("Add an improvement action")
    mark_done = StringField()
    mark_open = StringField()
    edit_action = StringField()
    remove_action = StringField()

    def set_framework(
        self, framework: Framework, domain: FrameworkDomain, *, ambition_zero: bool = False
    ) -> None:
        """The framework's levels as the choices; ``ambition_zero`` when the saved ambition
        is 0 (an import may set it), which is then offered too, so saving keeps it."""
        levels = [(level.number, level.name) for level in framework.levels]
        below_first = (0, f"Not yet at '{framework.levels[0].name}'")
        self.level.choices = [*levels, below_first]
        self.ambition.choices = [*levels, below_first] if ambition_zero else levels
        self.criteria.choices = [
            (criterion.id, criterion.text)
            for descriptor in domain.descriptors
            for criterion in descriptor.criteria
        ]

    def answers(self) -> Answers:
        """What was typed, to show beside someone else's saved answers."""
        return Answers(
            level=self.level.data,
            evidence=self.evidence.data or "",
            reason_for_change=self.reason_for_change.data or "",
            ambition=self.ambition.data,
            ambition_reason=self.ambition_reason.data or "",
            ticked=frozenset(self.criteria.data or ()),
            level_differs_reason=self.level_differs_reason.data or "",
        )

    def action_button(self) -> tuple[str, int] | None:
        """Which action button was pressed, and for which action: ("done", 3), or None.

        A tampered id comes back as -1, which no action has.
        """
        if self.add_action.data:
            return ("add", 0)
        for name, field in (
            ("done", self.mark_done),
            ("open", self.mark_open),
            ("edit", self.edit_action),
            ("remove", self.remove_action),
        ):
            if field.data:
                number = whole_number(field.data.strip())
                return (name, -1 if number is None else number)
        return None


class ActionForm(FlaskForm):
    what = TextAreaField(
        "What will be done?",
        validators=[
            Length(
                max=WHAT_LIMIT,
                message=f"What will be done must be {WHAT_LIMIT:,} characters or less",
            )
        ],
        widget=GovTextArea(),
    )
    owner = StringField(
        "Who owns it?",
        description="The person or team answerable for getting it done",
        validators=[
            Length(max=OWNER_LIMIT, message=f"Owner must be {OWNER_LIMIT} characters or less")
        ],
        widget=GovTextInput(),
    )
    due_day = StringField()
    due_month = StringField()
    due_year = StringField()
    submit = SubmitField("Add action")

    due_date: date | None = None

    def validate(self, extra_validators: dict[str, list[object]] | None = None) -> bool:
        valid = super().validate(extra_validators)
        try:
            self.due_date = parse_due_date(
                self.due_day.data or "", self.due_month.data or "", self.due_year.data or ""
            )
        except DomainError as error:
            # Shown once, at the date's first box, where the error summary's link lands.
            self.due_day.errors = [*self.due_day.errors, error.message]
            self._errors = None
            valid = False
        return valid


class EditActionForm(ActionForm):
    """Changing an action: the same questions as adding one, and whether it is done."""

    status = RadioField(
        "Is it done?",
        choices=[("open", "Not yet: it is open"), ("done", "Yes: it is done")],
        # One message for a missing or a tampered answer, rather than WTForms' own.
        validate_choice=False,
        validators=[AnyOf(("open", "done"), message="Select whether the action is done")],
        widget=GovRadioInput(),
    )

    # What the action said when the form was opened (maturity/data/actions.py, fingerprint).
    seen = HiddenField()

    def fill_from(self, action: ImprovementAction) -> None:
        """Show the action's saved answers, the due date in its three boxes."""
        self.what.data = action.what
        self.owner.data = action.owner
        self.status.data = action.status.value
        if action.due_date:
            self.due_day.data = str(action.due_date.day)
            self.due_month.data = str(action.due_date.month)
            self.due_year.data = str(action.due_date.year)
