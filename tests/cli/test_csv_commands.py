"""import-csv and export-csv, run as a script would run them."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from maturity.data import assessments, frameworks
from maturity.domain.csv_format import HEADER
from maturity.extensions import db
from maturity.models import Assessment, AssessmentStatus, AuditEvent, Organisation, Rating
from tests import factories

GOOD = [
    "Home Office,2014,developing-a-framework,1,,",
    "Home Office,2014,reporting-performance-information,1,,Reports are produced",
    "Home Office,2014,using-the-framework,0,,Not yet reported to the board",
    "Home Office,2015,developing-a-framework,1,4,",
    'Home Office,2015,reporting-performance-information,2,4,"Timely, and of high quality"',
    'Home Office,2015,using-the-framework,1,3,"Said ""monitored""\nacross two lines"',
]


def csv(*rows: str, header: str = HEADER) -> str:
    return "\n".join((header, *rows)) + "\n"


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def run(runner, tmp_path):
    def run(text: str | bytes, *options: str):
        path = tmp_path / "ratings.csv"
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8", newline="")
        return runner.invoke(args=["import-csv", str(path), *options])

    return run


def counts() -> dict[str, int]:
    db.session.expire_all()
    return {
        "organisations": db.session.scalar(select(func.count(Organisation.id))),
        "assessments": db.session.scalar(select(func.count(Assessment.id))),
        "answered": db.session.scalar(
            select(func.count(Rating.id)).where(Rating.level.is_not(None))
        ),
        "audit": db.session.scalar(select(func.count(AuditEvent.id))),
    }


def test_a_good_file_imports_and_exports_back_the_same(runner, run):
    home_office = factories.organisation(name="Home Office")
    text = csv(*GOOD)

    result = run(text)

    assert result.exit_code == 0, result.output
    assert result.stdout == "Imported 6 ratings for 1 organisation (2 periods)\n"
    made = assessments.for_organisation(organisation=home_office)
    assert [(a.period, a.status) for a in made] == [
        ("2014", AssessmentStatus.SUBMITTED),
        ("2015", AssessmentStatus.SUBMITTED),
    ]
    exported = runner.invoke(args=["export-csv", "home-office"])
    assert exported.exit_code == 0
    assert exported.stdout == text


def test_round_trip_through_a_file_with_a_bom_and_windows_line_endings(runner, run, tmp_path):
    factories.organisation(name="Home Office")
    text = csv(*GOOD[:3])
    assert run(("\ufeff" + text.replace("\n", "\r\n")).encode()).exit_code == 0

    out = tmp_path / "out.csv"
    result = runner.invoke(args=["export-csv", "Home Office", "--out", str(out)])

    assert result.exit_code == 0
    assert result.stdout == f"Wrote 3 ratings to {out}\n"
    assert out.read_text(encoding="utf-8") == text


def test_level_names_are_read_in_any_case(run):
    home_office = factories.organisation(name="Home Office")
    names = [level.name for level in frameworks.current().levels]
    level, ambition = names[2].upper(), names[3].lower()

    result = run(csv(f"home-office,2018,Using the framework,{level},{ambition},"))

    assert result.exit_code == 0, result.output
    (made,) = assessments.for_organisation(organisation=home_office)
    (rating,) = [r for r in made.ratings if r.level is not None]
    assert (rating.level, rating.ambition) == (3, 4)


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        (["Home Office,2016,finance,1,,"], "line 3: domain 'finance' is not in this framework"),
        (["Home Office,2016,developing-a-framework,7,,"], "line 3: level 7 is out of range"),
        (["Home Office,16,developing-a-framework,1,,"], "line 3: period '16' is not valid"),
        (["Home Office,2016,developing-a-framework,1,"], "line 3: expected 6 fields"),
        (
            ["Home Office,2014,developing-a-framework,2,,"],
            "line 3: duplicate of line 2",
        ),
        (
            ["home-office,2014,Developing a framework,2,,"],
            "line 3: duplicate of line 2",
        ),
        (
            ["Home Office,2016,developing-a-framework,1,,", "Nowhere,2016,using-the-framework,1,,"],
            "line 4: no organisation has the name or slug 'Nowhere'",
        ),
    ],
)
def test_a_bad_row_is_reported_at_its_line_and_nothing_is_written(run, rows, expected):
    factories.organisation(name="Home Office")
    before = counts()

    result = run(csv(GOOD[0], *rows))

    assert result.exit_code != 0
    lines = result.stderr.splitlines()
    assert lines[0].startswith(expected), result.stderr
    assert lines[-1] == "Nothing was imported: 1 line has errors"
    assert result.stdout == ""
    assert counts() == before


def test_a_missing_column_is_reported_on_line_1(run):
    factories.organisation(name="Home Office")
    before = counts()

    result = run(csv(GOOD[0], header="organisation,period,domain,level,evidence"))

    assert result.exit_code != 0
    assert result.stderr.startswith("line 1: the header has missing column ambition")
    assert counts() == before


def test_every_bad_row_is_reported_once_in_line_order(run):
    factories.organisation(name="Home Office")
    before = counts()

    result = run(
        csv(
            "Home Office,2016,finance,1,,",
            GOOD[5],  # spans lines 3 and 4
            "Nowhere,2016,using-the-framework,1,,",
            "Home Office,2016,developing-a-framework,9,,",
        )
    )

    assert result.exit_code == 1
    assert [line.split(":")[0] for line in result.stderr.splitlines()[:-1]] == [
        "line 2",
        "line 5",
        "line 6",
    ]
    assert counts() == before


def test_without_the_option_unknown_organisations_are_not_created(run):
    before = counts()

    result = run(csv(*GOOD))

    assert result.exit_code != 0
    assert len(result.stderr.splitlines()) == len(GOOD) + 1
    assert "--create-organisations" in result.stderr
    assert counts() == before


def test_create_organisations_creates_them(run):
    result = run(csv(*GOOD, "New Body,2018-19,using-the-framework,2,,"), "--create-organisations")

    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "Imported 7 ratings for 2 organisations (3 periods); "
        "created 2 organisations: Home Office, New Body\n"
    )
    names = db.session.scalars(select(Organisation.name).order_by(Organisation.name)).all()
    assert names == ["Home Office", "New Body"]
    assert db.session.scalar(select(Organisation.slug).where(Organisation.name == "New Body")) == (
        "new-body"
    )


@pytest.mark.parametrize("slug_first", [False, True])
def test_a_new_body_named_on_one_row_and_by_its_slug_on_another_is_one_body(run, slug_first):
    rows = [
        "Home Office & NCA,2023,using-the-framework,2,,x",
        "home-office-nca,2023,developing-a-framework,3,,y",
    ]
    result = run(csv(*(reversed(rows) if slug_first else rows)), "--create-organisations")

    assert result.exit_code == 0, result.output
    assert "created 1 organisation: Home Office & NCA" in result.stdout
    names = db.session.scalars(select(Organisation.name)).all()
    assert names == ["Home Office & NCA"]
    # The same domain twice, once by name and once by slug, is still a duplicate.
    result = run(
        csv(
            "Other & Co,2023,using-the-framework,2,,x",
            "other-co,2023,using-the-framework,3,,y",
        ),
        "--create-organisations",
    )
    assert result.exit_code != 0
    assert "line 3:" in result.stderr


def test_a_new_name_clashing_with_an_existing_address_is_refused(run):
    factories.organisation(name="Home Office")
    before = counts()

    result = run(csv("HOME OFFICE,2018,using-the-framework,1,,"), "--create-organisations")

    assert result.exit_code != 0
    assert "already has the address 'home-office'" in result.stderr
    assert counts() == before


@pytest.mark.parametrize("status", [AssessmentStatus.APPROVED, AssessmentStatus.SUBMITTED])
def test_a_decided_assessment_is_not_changed_and_nothing_else_is_written(run, status):
    home_office = factories.organisation(name="Home Office")
    factories.assessment(of=home_office, period="2015", status=status)
    before = counts()

    result = run(csv(GOOD[0], GOOD[3]))

    assert result.exit_code != 0
    assert result.stderr.startswith(
        f"line 3: the 2015 assessment of Home Office has been {status.value} and is locked"
    )
    assert counts() == before


def test_a_period_the_file_answers_in_part_becomes_a_draft(run):
    factories.organisation(name="Home Office")

    result = run(csv(*GOOD[:5]))

    assert result.exit_code == 0, result.output
    db.session.expire_all()
    statuses = {a.period: a.status for a in db.session.scalars(select(Assessment)).all()}
    assert statuses == {"2014": AssessmentStatus.SUBMITTED, "2015": AssessmentStatus.DRAFT}


def test_an_existing_draft_is_updated_in_place_and_stays_a_draft(run):
    home_office = factories.organisation(name="Home Office")
    draft = factories.assessment(
        of=home_office, period="2014", status=AssessmentStatus.DRAFT, evidence="old"
    )

    result = run(csv(*GOOD[:3]))

    assert result.exit_code == 0, result.output
    db.session.expire_all()
    (only,) = assessments.for_organisation(organisation=home_office)
    assert only.id == draft.id
    assert only.status == AssessmentStatus.DRAFT
    assert [r.level for r in only.ordered_ratings] == [1, 1, 0]
    assert [r.evidence for r in only.ordered_ratings][1] == "Reports are produced"


def test_export_of_an_unknown_organisation_fails_with_a_message(runner):
    result = runner.invoke(args=["export-csv", "nowhere"])

    assert result.exit_code != 0
    assert "No organisation has the name or slug 'nowhere'" in result.stderr


def test_export_leaves_out_unanswered_ratings(runner):
    body = factories.organisation(name="Body")
    factories.assessment(of=body, period="2018", levels={"using-the-framework": None})

    result = runner.invoke(args=["export-csv", "body"])

    assert [line.split(",")[2] for line in result.stdout.splitlines()[1:]] == [
        "developing-a-framework",
        "reporting-performance-information",
    ]


def test_a_failure_while_writing_rolls_everything_back(run, monkeypatch):
    from maturity.data import imports

    calls = []
    begin = assessments.begin

    def failing_begin(**kwargs):
        calls.append(kwargs["period"])
        if len(calls) == 2:
            raise RuntimeError("the disk is full")
        return begin(**kwargs)

    monkeypatch.setattr(imports.assessments, "begin", failing_begin)
    before = counts()

    result = run(csv(*GOOD), "--create-organisations")

    assert isinstance(result.exception, RuntimeError)
    assert calls == ["2014", "2015"]
    assert counts() == before


def test_re_importing_an_export_of_approved_history_changes_nothing(runner, run):
    home_office = factories.organisation(name="Home Office")
    for period in ("2016", "2017"):
        factories.assessment(
            of=home_office,
            period=period,
            status=AssessmentStatus.APPROVED,
            evidence="Board minutes",
        )
    exported = runner.invoke(args=["export-csv", "home-office"]).stdout
    before = counts()

    result = run(exported)

    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "Imported 0 ratings for 0 organisations (0 periods); left 6 ratings of approved "
        "assessments as they were (the file matches them)\n"
    )
    assert counts() == before
