"""Administration of frameworks: the versions loaded, one version's matrix, uploading a
framework file, and which frameworks each organisation may assess against.

On the admin blueprint, so only administrators know these pages exist.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_security import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from govuk_frontend_wtf.wtforms_widgets import GovCheckboxesInput, GovFileInput
from wtforms import SelectMultipleField

from maturity.data import frameworks, organisations
from maturity.domain.errors import DomainError, NotFound
from maturity.forms import error_list
from maturity.frameworks import validation
from maturity.models import Framework, Organisation
from maturity.views.admin import bp


class UploadForm(FlaskForm):
    file = FileField("Upload a framework file", widget=GovFileInput())


class EnabledFrameworksForm(FlaskForm):
    keys = SelectMultipleField(
        "Which frameworks may this organisation assess against?",
        choices=[],
        validate_choice=False,  # the data layer checks the keys and says what is wrong
        widget=GovCheckboxesInput(),
    )


@bp.get("/frameworks")
def framework_list() -> ResponseReturnValue:
    return render_template("admin/frameworks.html", versions=frameworks.with_assessment_counts())


@bp.get("/frameworks/<int:framework_id>")
def framework_show(framework_id: int) -> ResponseReturnValue:
    framework = _framework(framework_id)
    return render_template(
        "admin/frameworks_show.html",
        framework=framework,
        assessments=frameworks.assessment_count(framework=framework),
    )


@bp.route("/frameworks/upload", methods=["GET", "POST"])
def framework_upload() -> ResponseReturnValue:
    form = UploadForm()
    problems: list[str] = []
    if form.validate_on_submit():
        upload = form.file.data
        if not upload or not upload.filename:
            problems = ["Select a framework file to upload"]
        else:
            # One byte over the limit is enough to know the file is too large.
            spec, found = validation.read(upload.stream.read(validation.MAX_BYTES + 1))
            problems = [str(problem) for problem in found]
            if spec is not None:
                try:
                    loaded = frameworks.load(spec=spec, actor=current_user)
                except DomainError as error:
                    problems = [error.message]
                else:
                    flash(loaded.message, "success")
                    return redirect(url_for(".framework_show", framework_id=loaded.framework.id))
    form.file.errors = [_summary(problems)] if problems else list(form.file.errors)
    items = [{"text": problem, "href": "#file"} for problem in problems] or error_list(form)
    return render_template("admin/frameworks_upload.html", form=form, error_list=items)


@bp.route("/organisations/<int:organisation_id>/frameworks", methods=["GET", "POST"])
def organisation_frameworks(organisation_id: int) -> ResponseReturnValue:
    organisation = _organisation(organisation_id)
    form = EnabledFrameworksForm()
    form.keys.choices = [(f.key, f.name) for f in frameworks.latest_versions()]
    if not form.is_submitted():
        form.keys.data = frameworks.enabled_keys(organisation=organisation)
    if form.validate_on_submit():
        try:
            frameworks.set_enabled(
                organisation=organisation, keys=set(form.keys.data or []), actor=current_user
            )
        except DomainError as error:
            form.keys.errors = [error.message]
        else:
            flash(f"Saved the frameworks {organisation.name} may assess against", "success")
            return redirect(url_for(".organisation_list"))
    return render_template(
        "admin/frameworks_organisation.html",
        organisation=organisation,
        form=form,
        error_list=error_list(form),
    )


def _summary(problems: list[str]) -> str:
    if len(problems) == 1:
        return problems[0]
    return f"The file has {len(problems)} problems, listed above; nothing was loaded"


def _framework(framework_id: int) -> Framework:
    try:
        return frameworks.get(framework_id=framework_id)
    except NotFound:
        abort(404)


def _organisation(organisation_id: int) -> Organisation:
    try:
        return organisations.get(organisation_id=organisation_id)
    except NotFound:
        abort(404)
