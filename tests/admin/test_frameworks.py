"""Administrators list framework versions, view one, upload a file, and choose which
frameworks each organisation may assess against."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

from sqlalchemy import func, select

from maturity.data import frameworks
from maturity.extensions import db
from maturity.frameworks import DEFAULT_FRAMEWORK_KEY, FrameworkSpec, validation
from maturity.models import Framework
from tests import factories
from tests.admin.conftest import banner, errors, events, inline_error
from tests.conftest import link, page, sign_in

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "frameworks" / "example-framework.yaml"


def upload(client, content: bytes, filename: str = "framework.yaml"):  # type: ignore[no-untyped-def]
    return client.post(
        "/admin/frameworks/upload",
        data={"file": (BytesIO(content), filename)},
        content_type="multipart/form-data",
    )


def framework_count() -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(Framework)) or 0


def cells(response) -> list[list[str]]:  # type: ignore[no-untyped-def]
    return [
        [cell.get_text(" ", strip=True) for cell in row.find_all(["th", "td"])]
        for row in page(response).select("tbody tr")
    ]


def test_the_list_shows_each_version_and_whether_it_is_in_use(client, admin):
    factories.assessment(of=factories.organisation(), period="2019")
    rows = cells(client.get("/admin/frameworks"))
    assert rows == [
        [
            "NAO maturity of performance measurement",
            DEFAULT_FRAMEWORK_KEY,
            "1",
            "5 levels, 3 domains",
            "In use: 1 assessment",
            rows[0][5],
            "View NAO maturity of performance measurement version 1",
        ]
    ]


def test_uploading_the_example_loads_it_and_shows_its_matrix(client, admin):
    response = upload(client, EXAMPLE.read_bytes())
    assert response.status_code == 302
    shown = client.get(response.headers["Location"])
    assert banner(shown) == (
        "Success Loaded version 1 of example-data-maturity "
        "(Example framework: maturity of data management (illustrative))"
    )
    html = page(shown)
    assert html.h1 is not None
    assert html.h1.get_text(strip=True) == (
        "Example framework: maturity of data management (illustrative)"
    )
    table = html.select_one("table.govuk-table")
    assert table is not None
    head = [th.get_text(strip=True) for th in table.select("thead th")]
    assert head == [
        "Level",
        "Knowing your data",
        "Data quality",
        "Using data in decisions",
        "Skills and culture",
    ]
    managed = table.select("tbody tr")[1]
    assert managed.th is not None and managed.th.get_text(strip=True) == "2 Managed"
    first_cell = managed.select("td")[0]
    assert "Every data set is listed with 'the data owner'." in first_cell.get_text()
    assert [li.get_text(strip=True) for li in first_cell.select("li")] == [
        "A register of data sets exists and names an owner for each.",
        "The register is available to everyone who handles the data.",
    ]
    notes = [li.get_text(strip=True) for li in html.select("ol.govuk-list--number li")]
    assert notes[0].startswith("This is an example framework.")
    assert "No assessment uses this version yet" in html.get_text()
    assert f"by {admin.name}" in html.get_text()
    [event] = events("framework.loaded")
    assert event.actor_id == admin.id


def test_a_file_with_problems_lists_each_one_with_its_line_and_saves_nothing(client, admin):
    text = EXAMPLE.read_text().replace("key: skills", "key: using-data")
    text = text.replace("levels:\n  - Initial\n", "levels:\n")
    before = framework_count()
    response = upload(client, text.encode())
    assert response.status_code == 200
    listed = errors(response)
    lines = [int(problem.split(",")[0].removeprefix("line ")) for problem in listed]
    assert lines == sorted(lines)
    short = "4 descriptors for 3 levels: give one for every level, lowest first"
    assert [problem.split(", ", 1)[1] for problem in listed] == [
        f"domains[1].descriptors: {short}",
        f"domains[2].descriptors: {short}",
        "domains[2].criteria[\"Initial\"]: 'Initial' is not a level name; "
        "the levels are Managed, Defined, Embedded",
        f"domains[3].descriptors: {short}",
        "domains[4].key: 'using-data' is already the key of domains[3]",
        f"domains[4].descriptors: {short}",
    ]
    assert inline_error(response, "file") == (
        "The file has 6 problems, listed above; nothing was loaded"
    )
    assert framework_count() == before


def test_files_that_cannot_be_read_say_why(client, admin):
    assert errors(upload(client, b"key: caf\xe9\n")) == [
        "the file: is not UTF-8 text (byte 9 is not valid UTF-8): save it as UTF-8"
    ]
    response = client.post("/admin/frameworks/upload", data={}, content_type="multipart/form-data")
    assert errors(response) == ["Select a framework file to upload"]
    assert inline_error(response, "file") == "Select a framework file to upload"


def test_a_changed_file_under_the_same_version_is_refused(client, admin):
    upload(client, EXAMPLE.read_bytes())
    changed = EXAMPLE.read_text().replace("Skills and culture", "Skills")
    response = upload(client, changed.encode())
    assert errors(response) == [
        "Version 1 of example-data-maturity is already loaded with different content; "
        "give the file a higher version"
    ]
    again = upload(client, EXAMPLE.read_bytes())
    assert again.status_code == 302
    assert "nothing changed" in banner(client.get(again.headers["Location"]))


def test_choosing_the_frameworks_an_organisation_may_assess_against(client, admin):
    frameworks.load(spec=frameworks_example(), actor=None)
    body = factories.organisation(name="Border Force")
    listing = page(client.get("/admin/organisations"))
    address = link(listing, "Frameworks")["href"]
    assert address == f"/admin/organisations/{body.id}/frameworks"
    form = page(client.get(address))
    boxes = {box["value"]: box.has_attr("checked") for box in form.select("input[type=checkbox]")}
    assert boxes == {"example-data-maturity": False, DEFAULT_FRAMEWORK_KEY: True}
    response = client.post(address, data={"keys": ["example-data-maturity"]})
    assert response.status_code == 302
    assert frameworks.enabled_keys(organisation=body) == ["example-data-maturity"]
    assert banner(client.get("/admin/organisations")) == (
        "Success Saved the frameworks Border Force may assess against"
    )
    response = client.post(address, data={})
    assert errors(response) == [
        "Select at least one framework: an organisation needs one to assess against"
    ]
    assert frameworks.enabled_keys(organisation=body) == ["example-data-maturity"]


def test_the_pages_do_not_exist_for_anyone_else(client):
    body = factories.organisation()
    person = factories.member(of=body)
    sign_in(client, person.email)
    for address in (
        "/admin/frameworks",
        "/admin/frameworks/1",
        "/admin/frameworks/upload",
        f"/admin/organisations/{body.id}/frameworks",
    ):
        assert client.get(address).status_code == 404
    assert upload(client, EXAMPLE.read_bytes()).status_code == 404


def test_an_unknown_version_is_not_found(client, admin):
    assert client.get("/admin/frameworks/999999").status_code == 404


def frameworks_example() -> FrameworkSpec:
    spec, problems = validation.read(EXAMPLE.read_bytes())
    assert spec is not None, problems
    return spec


def test_a_version_page_reads_the_same_few_queries_whatever_its_size(client, admin, count_queries):
    small = factories.framework(domains=1, levels=3, criteria=1)
    large = factories.framework(domains=12, levels=7, criteria=3)
    client.get(f"/admin/frameworks/{small.id}")  # warm up: sign-in checks, templates
    db.session.expire_all()
    few = count_queries(lambda: client.get(f"/admin/frameworks/{small.id}"))
    many = count_queries(lambda: client.get(f"/admin/frameworks/{large.id}"))
    assert many == few
    html = page(client.get(f"/admin/frameworks/{large.id}"))
    assert len(html.select("tbody tr")) == 7
    assert len(html.select("tbody td li")) == 12 * 7 * 3
