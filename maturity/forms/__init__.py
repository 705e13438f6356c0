"""WTForms forms and the GOV.UK error summary built from them."""

from __future__ import annotations

from flask_wtf import FlaskForm


def error_list(form: FlaskForm, *, anchors: dict[str, str] | None = None) -> list[dict[str, str]]:
    """The GOV.UK error summary's items: each message links to the field it is about."""
    anchors = anchors or {}
    items = []
    for name, messages in form.errors.items():
        if name == "csrf_token":
            items.append(
                {"text": "Your session has expired: please try again", "href": "#main-content"}
            )
            continue
        for message in messages[:1]:
            items.append({"text": str(message), "href": "#" + anchors.get(name, name)})
    return items
