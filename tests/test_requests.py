"""Text from the browser reaches the forms without NUL characters (maturity/requests.py)."""

from __future__ import annotations

from flask import request


def test_nul_characters_are_removed_from_form_fields_and_query_arguments(app):
    with app.test_request_context(
        "/?q=Home%00Office&plain=yes",
        method="POST",
        data={"comment": "Say more\x00 about it", "key\x00": "value"},
    ):
        assert request.args["q"] == "HomeOffice"
        assert request.args["plain"] == "yes"
        assert request.form["comment"] == "Say more about it"
        assert request.form["key"] == "value"


def test_text_without_them_is_untouched(app):
    with app.test_request_context("/?q=a", method="POST", data={"a": "b", "c": ["d", "e"]}):
        assert request.args.getlist("q") == ["a"]
        assert request.form.getlist("c") == ["d", "e"]
