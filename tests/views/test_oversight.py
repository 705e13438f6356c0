"""The oversight view: every body an organisation oversees, side by side for one period."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from maturity.data import organisations
from maturity.domain.roles import MembershipRole
from maturity.extensions import db
from maturity.models import AssessmentStatus, Rating
from tests import factories
from tests.conftest import download, link, page, sign_in

DEVELOPING = "developing-a-framework"
REPORTING = "reporting-performance-information"
USING = "using-the-framework"


@pytest.fixture
def tree():  # type: ignore[no-untyped-def]
    department = factories.organisation(name="Department")
    agency = factories.organisation(name="Agency", parent=department)
    board = factories.organisation(name="Board", parent=department)
    unit = factories.organisation(name="Unit", parent=agency)  # two levels down
    factories.organisation(name="Silent Body", parent=department)
    factories.organisation(name="Elsewhere")
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
    # A draft is never shown.
    factories.assessment(
        of=unit, period="2019", levels={DEVELOPING: 5}, status=AssessmentStatus.DRAFT
    )
    return department


def _rows(response):  # type: ignore[no-untyped-def]
    table = page(response).find("table", class_="app-oversight")
    return [
        [cell.get_text(" ", strip=True) for cell in row.find_all(["th", "td"])]
        for row in table.find("tbody").find_all("tr")
    ]


def test_the_table_shows_every_overseen_body_for_the_latest_period(client, tree):
    viewer = factories.member(of=tree, role=MembershipRole.VIEWER)
    sign_in(client, viewer.email)
    response = client.get("/organisations/department/oversight")
    assert response.status_code == 200
    rows = _rows(response)
    assert [row[0] for row in rows] == ["Agency", "Board", "Silent Body", "Unit"]
    assert rows[0][1].startswith("Functioning (2)") and "up since 2017" in rows[0][1]
    assert rows[0][3].startswith("Existing (1)") and "down since 2017" in rows[0][3]
    assert rows[1][1].startswith("Optimising (5)")
    assert rows[2][1] == "No assessment for 2018"
    assert rows[3][1].startswith("Enabling (3)")
    html = page(response)
    # The level name is written in every coloured cell; the body links to its page.
    assert html.find("td", class_="app-level--5").get_text(strip=True).startswith("Optimising")
    assert link(html, "Agency")["href"] == "/organisations/agency"
    assert "Elsewhere" not in response.get_data(as_text=True)
    assert [o.get_text() for o in html.select("#period option")] == ["2018", "2017"]


def test_another_period_and_moderated_levels(client, tree):
    viewer = factories.member(of=tree, role=MembershipRole.VIEWER)
    board_2018 = db.session.query(Rating).join(Rating.assessment).filter_by(period="2018")
    for rating in board_2018:
        if rating.assessment.organisation.name == "Board" and rating.domain.key == USING:
            rating.moderated_level = 2
    db.session.commit()
    sign_in(client, viewer.email)
    rows = _rows(client.get("/organisations/department/oversight"))
    assert rows[1][3].startswith("Functioning (2), moderated")
    rows = _rows(client.get("/organisations/department/oversight?period=2017"))
    assert [row[1].split(" (")[0] for row in rows] == [
        "Existing",
        "Challenging",
        "No assessment for 2017",
        "No assessment for 2017",
    ]


def test_sorting_by_a_domain_links_and_aria_sort(client, tree):
    viewer = factories.member(of=tree, role=MembershipRole.VIEWER)
    sign_in(client, viewer.email)
    response = client.get(f"/organisations/department/oversight?period=2018&sort={DEVELOPING}")
    assert [row[0] for row in _rows(response)] == ["Agency", "Unit", "Board", "Silent Body"]
    html = page(response)
    header = html.find("th", attrs={"aria-sort": "ascending"})
    assert header.get_text(strip=True) == "Developing a framework"
    assert f"sort={DEVELOPING}-desc" in header.a["href"]
    response = client.get(f"/organisations/department/oversight?sort={DEVELOPING}-desc")
    assert [row[0] for row in _rows(response)] == ["Board", "Unit", "Agency", "Silent Body"]
    assert page(response).find("th", attrs={"aria-sort": "descending"}) is not None


def test_distribution_and_moves(client, tree):
    viewer = factories.member(of=tree, role=MembershipRole.VIEWER)
    sign_in(client, viewer.email)
    html = page(client.get("/organisations/department/oversight"))
    distribution = {
        row.th.get_text(strip=True): [td.get_text(strip=True) for td in row.find_all("td")]
        for row in html.select("#distribution tbody tr")
    }
    assert distribution["Functioning (2)"] == ["1", "1", "0"]
    assert distribution["Optimising (5)"] == ["1", "0", "0"]
    assert distribution["No assessment"] == ["1", "1", "1"]
    moves = [
        [td.get_text(strip=True) for td in row.find_all("td")]
        for row in html.select("#movement tbody tr")
    ]
    # Agency and Board both have 2017 and 2018; Unit has no 2017 so is not counted.
    assert moves == [["2", "0", "0"], ["0", "1", "1"], ["0", "1", "1"]]


def test_csv_has_the_same_rows(client, tree):
    viewer = factories.member(of=tree, role=MembershipRole.VIEWER)
    sign_in(client, viewer.email)
    response = client.get("/organisations/department/oversight.csv?period=2018")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    lines = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert lines[0][:4] == [
        "organisation",
        "period",
        "Developing a framework level",
        "Developing a framework level name",
    ]
    assert lines[1][:4] == ["Agency", "2018", "2", "Functioning"]
    assert lines[3][:4] == ["Silent Body", "2018", "", "No assessment for 2018"]
    assert len(lines) == 5


def test_xlsx_opens_with_a_table_and_definitions(client, tree):
    viewer = factories.member(of=tree, role=MembershipRole.VIEWER)
    sign_in(client, viewer.email)
    response = client.get("/organisations/department/oversight.xlsx?period=2017")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == ["Oversight", "Definitions"]
    table = [list(row) for row in book["Oversight"].iter_rows(values_only=True)]
    assert table[1][:4] == ["Agency", "2017", 1, "Existing"]
    assert len(table) == 5
    definitions = [list(row) for row in book["Definitions"].iter_rows(values_only=True)]
    assert [row[1] for row in definitions[1:]] == [
        "Existing",
        "Functioning",
        "Enabling",
        "Challenging",
        "Optimising",
    ]
    assert all(len(row) == 5 and all(row) for row in definitions[1:])


def test_pdf_has_an_overview_and_a_page_per_body(client, tree):
    viewer = factories.member(of=tree, role=MembershipRole.VIEWER)
    sign_in(client, viewer.email)
    response = download(client, "/organisations/department/oversight.pdf?period=2018")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(response.data))
    assert len(reader.pages) >= 5
    text = "\n".join(p.extract_text() for p in reader.pages)
    for name in ("Agency", "Board", "Silent Body", "Unit"):
        assert name in text
    assert "Elsewhere" not in text
    assert "Bodies overseen by Department" in reader.pages[0].extract_text()


def test_access_follows_the_tree(client, tree):
    agency = organisations.find(reference="agency")
    viewer = factories.member(of=agency, role=MembershipRole.VIEWER)
    sign_in(client, viewer.email)
    # A body's own people see the bodies below it, never its siblings or its parent's view.
    rows = _rows(client.get("/organisations/agency/oversight"))
    assert [row[0] for row in rows] == ["Unit"]
    for suffix in ("", ".csv", ".xlsx", ".pdf"):
        assert client.get(f"/organisations/department/oversight{suffix}").status_code == 404
        assert client.get(f"/organisations/board/oversight{suffix}").status_code == 404
        assert client.get(f"/organisations/elsewhere/oversight{suffix}").status_code == 404
    assert client.get("/oversight").status_code == 404
    client.post("/sign-out")
    outsider = factories.member(
        of=organisations.find(reference="elsewhere"), role=MembershipRole.APPROVER
    )
    sign_in(client, outsider.email)
    assert client.get("/organisations/department/oversight").status_code == 404


def test_administrators_see_every_organisation(client, tree):
    admin = factories.user(admin=True)
    sign_in(client, admin.email)
    html = page(client.get("/"))
    assert link(html, "Every organisation side by side")["href"] == "/oversight"
    rows = _rows(client.get("/oversight"))
    assert [row[0] for row in rows] == [
        "Agency",
        "Board",
        "Department",
        "Elsewhere",
        "Silent Body",
        "Unit",
    ]
    assert client.get("/organisations/department/oversight").status_code == 200


def test_a_body_overseeing_nobody_says_so(client):
    body = factories.organisation(name="Lonely")
    viewer = factories.member(of=body, role=MembershipRole.VIEWER)
    sign_in(client, viewer.email)
    response = client.get("/organisations/lonely/oversight")
    assert "does not oversee any other body" in response.get_data(as_text=True)


def _bodies(department, count: int, periods: int) -> None:  # type: ignore[no-untyped-def]
    for index in range(count):
        body = factories.organisation(name=f"Body {count}-{index}", parent=department)
        for year in range(2000, 2000 + periods):
            factories.assessment(of=body, period=str(year), levels={DEVELOPING: year % 6})


@pytest.mark.parametrize("suffix", ["", ".csv", ".xlsx"])
def test_queries_do_not_grow_with_bodies_or_periods(client, count_queries, suffix):
    counts = []
    for count, periods in ((1, 1), (50, 1), (3, 6)):
        department = factories.organisation(name=f"Department {count}-{periods}")
        _bodies(department, count, periods)
        viewer = factories.member(of=department, role=MembershipRole.VIEWER)
        sign_in(client, viewer.email)
        url = f"/organisations/{department.slug}/oversight{suffix}"
        assert client.get(url).status_code == 200  # warm: the first request loads the framework
        counts.append(count_queries(lambda url=url: client.get(url)))
        client.post("/sign-out")
    assert counts[0] == counts[1] == counts[2], counts
    # As the page (tests/views/test_query_counts.py): the downloads read the same rows.
    assert counts[0] == 12, counts


def test_pdf_queries_do_not_grow_with_bodies(client, count_queries):
    counts = []
    for count in (1, 4):
        department = factories.organisation(name=f"Department {count}")
        _bodies(department, count, 2)
        viewer = factories.member(of=department, role=MembershipRole.VIEWER)
        sign_in(client, viewer.email)
        url = f"/organisations/{department.slug}/oversight.pdf"
        client.get(url)
        counts.append(count_queries(lambda url=url: client.get(url)))
        client.post("/sign-out")
    assert counts[0] == counts[1], counts


def test_home_links_to_the_bodies_a_person_oversees(client, tree):
    viewer = factories.member(of=tree, role=MembershipRole.VIEWER)
    sign_in(client, viewer.email)
    html = page(client.get("/"))
    assert link(html, "Bodies overseen by Department")["href"] == (
        "/organisations/department/oversight"
    )
    assert link(html, "Bodies overseen by Agency")["href"] == "/organisations/agency/oversight"
    assert link(html, "Bodies overseen by Board") is None  # Board oversees nobody
    assert link(html, "Every organisation side by side") is None  # administrators only


def test_the_organisation_page_links_to_the_bodies_it_oversees(client):
    from tests.conftest import link, page, sign_in

    parent = factories.organisation(name="Department")
    factories.organisation(name="Agency", parent=parent)
    factories.organisation(name="Lone Body")
    sign_in(client, factories.member(of=parent, role=MembershipRole.VIEWER).email)
    html = page(client.get("/organisations/department"))
    assert (
        link(html, "Bodies overseen by Department")["href"] == "/organisations/department/oversight"
    )
    assert link(page(client.get("/organisations/agency")), "Bodies overseen by") is None
