"""The request class: text from the browser without NUL characters.

No person types a NUL (U+0000) and no text of the service means anything by one, but a
crafted request can carry it in any field or query, and PostgreSQL refuses it in every text
column and parameter: the save would fail with a database error instead of storing the rest
of what was typed. It is removed once, here, from every form field and query argument, so
every form, the autosave and every search see text that can be stored.
"""

from __future__ import annotations

from flask import Request as FlaskRequest
from werkzeug.datastructures import ImmutableMultiDict, MultiDict
from werkzeug.utils import cached_property

NUL = "\x00"


def without_nul(values: MultiDict[str, str]) -> ImmutableMultiDict[str, str]:
    """``values`` with every NUL removed from keys and values (the same object, when none)."""
    items = list(values.items(multi=True))
    if not any(NUL in key or NUL in value for key, value in items):
        return values if isinstance(values, ImmutableMultiDict) else ImmutableMultiDict(items)
    return ImmutableMultiDict(
        [(key.replace(NUL, ""), value.replace(NUL, "")) for key, value in items]
    )


class Request(FlaskRequest):
    @cached_property
    def args(self) -> ImmutableMultiDict[str, str]:
        return without_nul(super().args)

    def _load_form_data(self) -> None:
        super()._load_form_data()
        form = self.__dict__.get("form")
        if form is not None:
            self.__dict__["form"] = without_nul(form)
