"""An id in an address larger than any row could have is not found, like any other unknown
id, rather than an error from the database (PostgreSQL refuses integers past 2**31 - 1)."""

from __future__ import annotations

import pytest

from tests import factories

HUGE = "9" * 25


@pytest.mark.parametrize(
    "path",
    [
        f"/admin/people/{HUGE}",
        f"/admin/people/{HUGE}/link",
        f"/admin/people/{HUGE}/two-factor/turn-off",
        f"/admin/organisations/{HUGE}/parent",
        f"/admin/organisations/{HUGE}/frameworks",
        f"/admin/frameworks/{HUGE}",
        f"/admin/frameworks/{2**31}",
    ],
)
def test_a_page_for_an_id_no_row_could_have_is_not_found(client, admin, path):
    assert client.get(path).status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        f"/admin/people/{HUGE}/disable",
        f"/admin/people/{HUGE}/sign-out-everywhere",
        f"/admin/people/{HUGE}/roles",
        f"/admin/people/{{person}}/roles/{HUGE}/remove",
        f"/account/sessions/{HUGE}/end",
    ],
)
def test_an_action_on_an_id_no_row_could_have_is_not_found(client, admin, path):
    person = factories.user(email="someone@example.org")
    assert client.post(path.format(person=person.id)).status_code == 404
