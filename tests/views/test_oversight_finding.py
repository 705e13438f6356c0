"""The oversight page for many bodies: find a body by name, filter by the level in a domain,
sort, page through, and the summary of every body that stays whatever is shown."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from maturity.domain import portfolio_page
from maturity.domain.roles import MembershipRole
from maturity.models import AssessmentStatus
from tests import factories
from tests.conftest import link, page, sign_in

DEVELOPING = "developing-a-framework"
REPORTING = "reporting-performance-information"
USING = "using-the-framework"
URL = "/organisations/department/oversight"


@pytest.fixture
def viewer(client):  # type: ignore[no-untyped-def]
    """A viewer of a department over Agency, Board, Unit (below Agency) and Silent Body (no
    assessment), as tests/views/test_oversight.py has them, signed in."""
    department = factories.organisation(name="Department")
    agency = factories.organisation(name="Agency", parent=department)
    board = factories.organisation(name="Board", parent=department)
    unit = factories.organisation(name="Unit", parent=agency)
    factories.organisation(name="Silent Body", parent=department)
    factories.assessment(of=agency, period="2017", levels={DEVELOPING: 1, REPORTING: 2, USING: 3})
    factories.assessment(of=agency, period="2018", levels={DEVELOPING: 2, REPORTING: 2, USING: 1})
    factories.assessment(of=board, period="2017", levels={DEVELOPING: 4, REPORTING: 4, USING: 4})
    factories.assessment(
        of=board,
        period="2018",
        levels={DEVELOPING: 5, REPORTING: 1, USING: 4},
        status=AssessmentStatus.APPROVED,
    )
    factories.assessment(of=unit, period="2018", levels={DEVELOPING: 3, REPORTING: 3, USING: 3})
    person = factories.member(of=department, role=MembershipRole.VIEWER)
    sign_in(client, person.email)
    return person


def _names(html) -> list[str]:  # type: ignore[no-untyped-def]
    table = html.find("table", class_="app-oversight")
    if table is None:
        return []
    return [row.th.get_text(strip=True) for row in table.find("tbody").find_all("tr")]


def _status(html) -> str:  # type: ignore[no-untyped-def]
    return html.select_one("#shown").get_text(" ", strip=True)


def _summary(html) -> list[list[str]]:  # type: ignore[no-untyped-def]
    return [
        [cell.get_text(strip=True) for cell in row.find_all(["th", "td"])]
        for row in html.select("#distribution tbody tr, #movement tbody tr")
    ]


def _query(href: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(href).query)


def test_find_a_body_by_part_of_its_name_in_any_case(client, viewer):  # type: ignore[no-untyped-def]
    everything = page(client.get(URL))
    html = page(client.get(f"{URL}?q=GEN"))
    assert _names(html) == ["Agency"]
    assert _status(html).startswith("Showing 1 to 1 of 1 body whose name contains “GEN”.")
    assert html.select_one("#q")["value"] == "GEN"
    assert html.find("label", attrs={"for": "q"}).get_text(strip=True) == "Body name"
    # The summary is of every body, whatever the search; the page says so.
    assert _summary(html) == _summary(everything)
    assert "do not change them" in html.select_one("#summary").find_next("p").get_text()
    clear = link(html, "Clear the search and filter")
    assert "q" not in _query(clear["href"])
    assert _names(page(client.get(clear["href"]))) == ["Agency", "Board", "Silent Body", "Unit"]


def test_nothing_found_says_so(client, viewer):  # type: ignore[no-untyped-def]
    html = page(client.get(f"{URL}?q=nowhere"))
    assert _status(html) == "No bodies whose name contains “nowhere”."
    assert _names(html) == []
    assert html.select("#distribution")  # the summary stays


@pytest.mark.parametrize("level", ["3", "Enabling", "enabling"])
def test_filter_by_the_level_in_a_domain(client, viewer, level):  # type: ignore[no-untyped-def]
    html = page(client.get(f"{URL}?domain={USING}&compare=at-most&level={level}"))
    # Agency is at 1 and Unit at 3 in Using the framework; Board at 4; Silent Body has none.
    assert _names(html) == ["Agency", "Unit"]
    assert _status(html).startswith(
        "Showing 1 to 2 of 2 bodies whose level in Using the framework is at most Enabling (3)."
    )
    assert html.select_one("#domain option[selected]")["value"] == USING
    assert html.select_one("#compare option[selected]").get_text() == "at most"
    assert html.select_one("#level option[selected]").get_text() == "Enabling (3)"
    exactly = page(client.get(f"{URL}?domain={DEVELOPING}&compare=exactly&level=5"))
    assert _names(exactly) == ["Board"]
    at_least = page(client.get(f"{URL}?domain={DEVELOPING}&compare=at-least&level=3&q=a"))
    assert _names(at_least) == ["Board"]  # Unit is at 3 but has no "a" in its name


def test_sort_by_the_change_since_the_period_before(client, viewer):  # type: ignore[no-untyped-def]
    html = page(client.get(f"{URL}?sort=change"))
    # Agency +1, 0, -2: -1. Board +1, -3, 0: -2. Unit and Silent Body: nothing to compare.
    assert _names(html) == ["Board", "Agency", "Silent Body", "Unit"]
    changes = [
        row.find_all("td")[-1].get_text(" ", strip=True)
        for row in html.select("table.app-oversight tbody tr")
    ]
    # Written with a minus sign (read out as "minus"), not a hyphen.
    minus, dash = "\N{MINUS SIGN}", "\N{EN DASH}"
    assert changes == [f"{minus}2", f"{minus}1", f"{dash} not compared", f"{dash} not compared"]
    header = html.find("th", attrs={"aria-sort": "ascending"})
    assert header.get_text(strip=True) == "Net change since 2017"
    assert _query(header.a["href"])["sort"] == ["change-desc"]
    html = page(client.get(f"{URL}?sort=change-desc"))
    assert _names(html) == ["Agency", "Board", "Silent Body", "Unit"]


def test_sort_links_keep_the_search_and_filter_and_go_back_to_page_one(client, viewer):  # type: ignore[no-untyped-def]
    html = page(client.get(f"{URL}?q=a&domain={DEVELOPING}&compare=at-least&level=1&page=2"))
    header = html.find("th", string=None, attrs={"aria-sort": "none"})
    query = _query(header.a["href"])
    assert query["q"] == ["a"] and query["level"] == ["1"] and query["domain"] == [DEVELOPING]
    assert "page" not in query
    assert urlsplit(header.a["href"]).fragment == "bodies"


def test_page_through_keeping_the_sort_filter_and_summary(client, viewer, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setattr(portfolio_page, "PER_PAGE", 2)
    first = page(client.get(f"{URL}?sort=name-desc"))
    assert _names(first) == ["Unit", "Silent Body"]
    assert _status(first).startswith("Showing 1 to 2 of 4 bodies.")
    assert "(page 1 of 2)" in first.select_one("table.app-oversight caption").get_text()
    pages = first.find("nav", attrs={"aria-label": "Pages of bodies"})
    assert pages.select_one("[aria-current=page]").get_text(strip=True) == "1"
    following = link(pages, "Next")
    assert _query(following["href"]) == {"sort": ["name-desc"], "page": ["2"], "period": ["2018"]}
    second = page(client.get(following["href"]))
    assert _names(second) == ["Board", "Agency"]
    assert _status(second).startswith("Showing 3 to 4 of 4 bodies.")
    assert _summary(second) == _summary(first)
    assert link(second.find("nav", attrs={"aria-label": "Pages of bodies"}), "Previous")

    # With a filter: its choices stay in every page link.
    filtered = page(client.get(f"{URL}?domain={DEVELOPING}&compare=at-least&level=1"))
    assert _names(filtered) == ["Agency", "Board"]
    query = _query(link(filtered.find("nav", attrs={"aria-label": "Pages of bodies"}), "2")["href"])
    assert query["domain"] == [DEVELOPING] and query["compare"] == ["at-least"]
    assert query["level"] == ["1"] and query["page"] == ["2"]
    assert _names(page(client.get(f"{URL}?domain={DEVELOPING}&compare=at-least&level=1&page=2")))
    # A page past the last shows the last; one that is not a number, the first.
    assert _names(page(client.get(f"{URL}?page=9"))) == ["Silent Body", "Unit"]
    assert _names(page(client.get(f"{URL}?page=second"))) == ["Agency", "Board"]


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        (f"domain={USING}&compare=at-most&level=9", "level", "Select a level from the list"),
        (f"domain={USING}&level=Enablingx", "level", "Select a level from the list"),
        ("domain=nonsense&level=2", "domain", "Select the domain the level is in"),
        (f"domain={USING}&compare=below&level=2", "compare", "Select at most, exactly or at least"),
        ("q=" + "x" * 201, "q", "Body name must be 200 characters or fewer"),
    ],
)
def test_bad_input_is_a_message_by_the_field_never_a_500(client, viewer, query, field, message):  # type: ignore[no-untyped-def]
    response = client.get(f"{URL}?{query}")
    assert response.status_code == 400
    html = page(response)
    assert html.title.get_text().startswith("Error: ")
    summary = html.select_one(".govuk-error-summary")
    assert summary.a["href"] == f"#{field}" and summary.a.get_text().startswith(message)
    inline = html.select_one(f"#{field}-error").get_text(" ", strip=True)
    assert inline.startswith(f"Error: {message}")
    assert f"{field}-error" in html.select_one(f"#{field}")["aria-describedby"]
    # Nothing is filtered by what could not be understood.
    assert _names(html) == ["Agency", "Board", "Silent Body", "Unit"]


@pytest.mark.parametrize("query", ["sort=nonsense", "period=rubbish", "period=1999", "compare="])
def test_nonsense_from_an_edited_address_falls_back_quietly(client, viewer, query):  # type: ignore[no-untyped-def]
    response = client.get(f"{URL}?{query}")
    assert response.status_code == 200
    assert _names(page(response)) == ["Agency", "Board", "Silent Body", "Unit"]


def test_downloads_have_every_body_whatever_the_search(client, viewer):  # type: ignore[no-untyped-def]
    html = page(client.get(f"{URL}?q=agency"))
    csv_link = link(html, "CSV")
    assert "q" not in _query(csv_link["href"])
    lines = client.get(csv_link["href"]).get_data(as_text=True).splitlines()
    assert [line.split(",")[0] for line in lines[1:]] == ["Agency", "Board", "Silent Body", "Unit"]
    assert "whatever the search or filter" in csv_link.parent.get_text()


def test_administrators_search_every_organisation(client):  # type: ignore[no-untyped-def]
    factories.organisation(name="Needle Agency")
    factories.organisation(name="Haystack")
    admin = factories.user(admin=True)
    sign_in(client, admin.email)
    factories.assessment(
        of=factories.organisation(name="Needle Board"), period="2018", levels={DEVELOPING: 2}
    )
    html = page(client.get("/oversight?q=needle"))
    assert _names(html) == ["Needle Agency", "Needle Board"]
    assert _query(link(html, "Body")["href"])["q"] == ["needle"]
