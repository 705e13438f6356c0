"""Pages issue a fixed number of queries however many periods an organisation has."""

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
    # One of them asks whether this person must set up two-factor sign-in; one which
    # frameworks the organisation has (to show and switch between); three load good-practice
    # criteria (the framework's, and those ticked, with each of the two loads of ratings).
    assert one == 17
