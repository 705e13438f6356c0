"""Ratings in and out through the web: CSV and Excel downloads, and a CSV import with a
preview of what will change before anything is written.

Between the preview and the confirmation the file travels in a hidden field, signed (and
compressed) with the service's secret key, bound to the organisation and the person, and
valid for an hour: the client cannot change it without the signature failing, nothing is
stored on the server (so it works behind several app servers), and the person does not
have to upload it twice. The confirmation checks the preview again and refuses if the
ratings changed meanwhile, so what is written is what the person saw.
"""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_security import current_user
from itsdangerous import BadSignature, URLSafeTimedSerializer

from maturity.data import imports
from maturity.data.imports import ImportRejected, Preview
from maturity.domain import csv_format
from maturity.domain.errors import DomainError
from maturity.domain.roles import MembershipRole
from maturity.forms import error_list
from maturity.forms.data_exchange import MAX_UPLOAD_BYTES, ImportConfirmForm, ImportUploadForm
from maturity.models import Organisation
from maturity.reports import xlsx
from maturity.views.auth import organisation_for, require_sign_in
from maturity.views.organisations import FrameworkChoice, chosen_framework

bp = Blueprint("data_exchange", __name__, url_prefix="/organisations")
bp.before_request(require_sign_in)

TOKEN_MAX_AGE = 60 * 60


@bp.get("/<slug>/ratings.csv")
def ratings_csv(slug: str) -> ResponseReturnValue:
    organisation, _ = organisation_for(slug, needs=MembershipRole.VIEWER)
    framework = chosen_framework(organisation).framework
    text = csv_format.to_csv(imports.export_rows(organisation=organisation, framework=framework))
    return _download(text.encode("utf-8"), "text/csv", f"{slug}-ratings.csv")


@bp.get("/<slug>/ratings.xlsx")
def ratings_xlsx(slug: str) -> ResponseReturnValue:
    organisation, _ = organisation_for(slug, needs=MembershipRole.VIEWER)
    framework = chosen_framework(organisation).framework
    content = xlsx.workbook(
        records=imports.export_rows(organisation=organisation, framework=framework),
        framework=framework,
    )
    return _download(content, xlsx.MIMETYPE, f"{slug}-ratings.xlsx")


@bp.route("/<slug>/import", methods=["GET", "POST"])
def import_ratings(slug: str) -> ResponseReturnValue:
    organisation, _ = organisation_for(slug, needs=MembershipRole.ASSESSOR)
    choice = chosen_framework(organisation)
    form = ImportUploadForm()
    errors: list[dict[str, str]] = []
    if form.validate_on_submit():
        assert form.file.data is not None
        data = form.file.data.stream.read(MAX_UPLOAD_BYTES + 1)
        if len(data) > MAX_UPLOAD_BYTES:
            form.file.errors = ["The selected file must be smaller than 5 MB"]
        else:
            try:
                found = imports.preview(
                    data=data, organisation=organisation, framework=choice.framework
                )
            except ImportRejected as rejected:
                errors = _line_errors(rejected)
                form.file.errors = [rejected.message]
            except DomainError as error:
                form.file.errors = [error.message]
            else:
                return _preview_page(organisation, data.decode("utf-8-sig"), found, choice)
    return render_template(
        "data_exchange/import.html",
        organisation=organisation,
        framework_choice=choice,
        form=form,
        error_list=errors or error_list(form),
    )


@bp.post("/<slug>/import/confirm")
def confirm_import(slug: str) -> ResponseReturnValue:
    organisation, _ = organisation_for(slug, needs=MembershipRole.ASSESSOR)
    # The form is URL-encoded (not multipart), so MAX_FORM_MEMORY_SIZE does not cap the
    # signed file; only a file this service signed in the last hour is accepted.
    form = ImportConfirmForm()
    signed = _unsign(form.upload.data or "", organisation) if form.validate_on_submit() else None
    if signed is None:
        flash("The file could not be imported: upload it again", "error")
        return redirect(url_for("data_exchange.import_ratings", slug=slug))
    # The framework previewed travels signed with the file, so the import writes to it.
    text, key = signed
    choice = chosen_framework(organisation, key=key)
    upload = ImportUploadForm(formdata=None)
    try:
        found = imports.preview(data=text, organisation=organisation, framework=choice.framework)
        if found.fingerprint() != form.fingerprint.data:
            return _preview_page(organisation, text, found, choice, changed=True)
        summary = imports.import_csv(data=text, actor=current_user, framework=choice.framework)
    except ImportRejected as rejected:
        upload.file.errors = [rejected.message]
        return render_template(
            "data_exchange/import.html",
            organisation=organisation,
            framework_choice=choice,
            form=upload,
            error_list=_line_errors(rejected),
        )
    except DomainError as error:
        upload.file.errors = [error.message]
        return render_template(
            "data_exchange/import.html",
            organisation=organisation,
            framework_choice=choice,
            form=upload,
            error_list=error_list(upload),
        )
    flash(_imported(summary.ratings, summary.unchanged), "success")
    return redirect(url_for("organisations.show", slug=slug, **choice.query))


def _preview_page(
    organisation: Organisation,
    text: str,
    found: Preview,
    choice: FrameworkChoice,
    *,
    changed: bool = False,
) -> ResponseReturnValue:
    confirm = ImportConfirmForm(
        formdata=None,
        upload=_sign(text, organisation, choice.framework.key),
        fingerprint=found.fingerprint(),
    )
    framework = choice.framework
    return render_template(
        "data_exchange/preview.html",
        organisation=organisation,
        framework_choice=choice,
        preview=found,
        form=confirm,
        changed=changed,
        domains={domain.key: domain.name for domain in framework.domains},
        level_name=framework.level_name,
    )


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="data-exchange.import")


def _sign(text: str, organisation: Organisation, framework_key: str) -> str:
    payload = {"o": organisation.id, "u": current_user.id, "csv": text, "f": framework_key}
    return _serializer().dumps(payload)


def _unsign(token: str, organisation: Organisation) -> tuple[str, str] | None:
    """The file and the framework key it was previewed against."""
    try:
        payload = _serializer().loads(token, max_age=TOKEN_MAX_AGE)
    except BadSignature:
        return None
    if not isinstance(payload, dict) or payload.get("o") != organisation.id:
        return None
    if payload.get("u") != current_user.id or not isinstance(payload.get("csv"), str):
        return None
    if not isinstance(payload.get("f"), str):
        return None
    return str(payload["csv"]), str(payload["f"])


def _line_errors(rejected: ImportRejected) -> list[dict[str, str]]:
    return [{"text": str(error), "href": "#file"} for error in rejected.errors]


def _imported(ratings: int, unchanged: int) -> str:
    text = f"Imported {ratings} rating{'' if ratings == 1 else 's'}"
    if unchanged:
        text += f"; {unchanged} of approved assessments already held what the file says"
    return text


def _download(content: bytes, mimetype: str, filename: str) -> Response:
    response = Response(content, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response
