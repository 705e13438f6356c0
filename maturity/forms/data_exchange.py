"""Forms for importing ratings from a CSV file through the web."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from govuk_frontend_wtf.wtforms_widgets import GovFileInput
from wtforms import HiddenField

# Thousands of ratings with long evidence fit comfortably in this.
MAX_UPLOAD_BYTES = 5 * 1024 * 1024


class ImportUploadForm(FlaskForm):
    file = FileField(
        "Upload a CSV file",
        description="Columns: organisation, period, domain, level, ambition, evidence. Up to 5 MB.",
        validators=[FileRequired(message="Select a CSV file")],
        widget=GovFileInput(),
    )


class ImportConfirmForm(FlaskForm):
    """The previewed file, signed by the service so a changed copy is refused."""

    upload = HiddenField()
    fingerprint = HiddenField()
