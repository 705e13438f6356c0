"""Pages issue a fixed number of queries however many periods an organisation has, and the
oversight page however many bodies it shows, whatever the search, filter, sort or page."""

import pytest

from maturity.domain.roles import MembershipRole
from tests import factories
from tests.conftest import sign_in


def _organisation_page_queries(client, count_queries, periods: int) -> int:
    body = factories.organisation(name=f"Body with {periods}")
    for year in range(2000, 2000 + periods):
        factories.assessment(of=body, period=str(year), ambition={"using-the-framework": 3})
    viewer = factories.member(of=body, role=MembershipRole.VIEWER)
    sign_in(client, viewer.email)
    url = f"/organisations/{body.slug}"
    client.get(url)  # warm: the first request loads the framework
    return count_queries(lambda: client.get(url))


def test_the_organisation_page_does_not_query_per_period(client, count_queries):
    one = _organisation_page_queries(client, count_queries, 1)
    client.post("/sign-out")
    twenty = _organisation_page_queries(client, count_queries, 20)
    assert one == twenty, (one, twenty)
    # One of them asks whether this person must set up two-factor sign-in; one finds this
    # session's record (maturity/security/session_records.py); one which
    # frameworks the organisation has (to show and switch between); three load good-practice
    # criteria (the framework's, and those ticked, with each of the two loads of ratings);
    # one the latest assessment's improvement actions, to flag those overdue.
    assert one == 19


def _oversight_page_queries(client, count_queries, bodies: int, periods: int, query: str) -> int:
    department = factories.organisation(name=f"Department {bodies}x{periods}")
    for index in range(bodies):
        body = factories.organisation(name=f"Body {bodies}x{periods} {index}", parent=department)
        for year in range(2000, 2000 + periods):
            factories.assessment(of=body, period=str(year), levels={"using-the-framework": 2})
    viewer = factories.member(of=department, role=MembershipRole.VIEWER)
    sign_in(client, viewer.email)
    url = f"/organisations/{department.slug}/oversight?{query}"
    assert client.get(url).status_code == 200  # warm: the first request loads the framework
    count = count_queries(lambda: client.get(url))
    client.post("/sign-out")
    return count


@pytest.mark.parametrize(
    "query",
    [
        "",
        "q=body&domain=using-the-framework&compare=at-least&level=1&sort=change-desc&page=2",
        "sort=using-the-framework-desc&page=99",
    ],
)
def test_the_oversight_page_does_not_query_per_body_or_period(client, count_queries, query):
    counts = [
        _oversight_page_queries(client, count_queries, bodies, periods, query)
        for bodies, periods in ((1, 1), (60, 1), (3, 6))
    ]
    # The signed-in person and their roles (4); this session's record (1); the frameworks the
    # bodies have assessed on with their periods (1); the framework shown, with its domains,
    # levels, descriptors and criteria (5); one row per body with its levels for the two
    # periods shown (1).
    assert counts == [12, 12, 12], counts


def _ready_download_queries(client, count_queries, periods: int) -> int:
    from tests.conftest import run_jobs

    body = factories.organisation(name=f"Reported body with {periods}")
    for year in range(2000, 2000 + periods):
        factories.assessment(of=body, period=str(year))
    viewer = factories.member(of=body, role=MembershipRole.VIEWER)
    sign_in(client, viewer.email)
    url = f"/organisations/{body.slug}/report.pdf"
    assert client.get(url).status_code == 202  # not built yet: a worker builds it
    run_jobs()
    assert client.get(url).mimetype == "application/pdf"
    count = count_queries(lambda: client.get(url))
    client.post("/sign-out")
    return count


def test_a_ready_report_is_downloaded_without_reading_the_report_data(client, count_queries):
    """A download names its file by the organisation's change counter
    (maturity/reports/freshness.py): it never builds the report's HTML to find it."""
    one = _ready_download_queries(client, count_queries, 1)
    twenty = _ready_download_queries(client, count_queries, 20)
    assert one == twenty, (one, twenty)
    # The person, their memberships and session record; the organisation and the role
    # there; the finished job holding the file.
    assert one == 6, one
