"""The oversight page's reads: the frameworks and periods of the bodies below an
organisation, and one lean row per body with its levels for two periods."""

from __future__ import annotations

import pytest

from maturity.data import frameworks
from maturity.data import oversight_page as reads
from maturity.domain.errors import NotFound
from maturity.extensions import db
from maturity.models import AssessmentStatus, Organisation, Rating
from tests import factories

DEVELOPING = "developing-a-framework"
REPORTING = "reporting-performance-information"
USING = "using-the-framework"


@pytest.fixture
def department() -> Organisation:
    department = factories.organisation(name="Department")
    agency = factories.organisation(name="Agency", parent=department)
    unit = factories.organisation(name="Unit", parent=agency)  # two levels down
    factories.organisation(name="Silent", parent=department)
    factories.organisation(name="Elsewhere")
    factories.assessment(of=agency, period="2017", levels={DEVELOPING: 1, REPORTING: 2, USING: 3})
    factories.assessment(
        of=agency, period="2018", levels={DEVELOPING: 2, REPORTING: None, USING: 0}
    )
    factories.assessment(of=unit, period="2018", levels={DEVELOPING: 4, REPORTING: 4, USING: 4})
    factories.assessment(of=unit, period="2019", status=AssessmentStatus.DRAFT)
    return department


def _standings(organisation: Organisation | None, period: str | None, previous: str | None):  # type: ignore[no-untyped-def]
    found = reads.standings(
        framework=frameworks.current(),
        organisation=organisation,
        period=period,
        previous=previous,
    )
    return {standing.name: standing for standing in found}


def test_one_row_per_body_below_with_its_levels_then_and_before(department) -> None:  # type: ignore[no-untyped-def]
    found = _standings(department, "2018", "2017")
    assert sorted(found) == ["Agency", "Silent", "Unit"]  # never the department or Elsewhere
    agency, unit, silent = found["Agency"], found["Unit"], found["Silent"]
    assert agency.assessed and agency.levels == (2, None, 0)  # None: not answered
    assert agency.before == (1, 2, 3)
    assert unit.assessed and unit.levels == (4, 4, 4) and unit.before == (None, None, None)
    assert not silent.assessed and silent.levels == (None, None, None)
    assert not any(agency.moderated + unit.moderated)


def test_the_approvers_level_is_the_one_shown(department) -> None:  # type: ignore[no-untyped-def]
    for rating in db.session.query(Rating).join(Rating.assessment).filter_by(period="2018"):
        if rating.domain.key == USING and rating.assessment.organisation.name == "Unit":
            rating.moderated_level = 0  # level 0 moderated is still moderated
    db.session.commit()
    unit = _standings(department, "2018", None)["Unit"]
    assert unit.levels == (4, 4, 0) and unit.moderated == (False, False, True)


def test_drafts_and_no_period_show_nothing(department) -> None:  # type: ignore[no-untyped-def]
    assert not _standings(department, "2019", "2018")["Unit"].assessed  # a draft only
    nothing = _standings(department, None, None)
    assert sorted(nothing) == ["Agency", "Silent", "Unit"]
    assert not any(standing.assessed for standing in nothing.values())


def test_every_organisation_for_an_administrator(department) -> None:  # type: ignore[no-untyped-def]
    assert {"Department", "Elsewhere", "Agency"} <= set(_standings(None, "2018", "2017"))


def test_a_cycle_in_the_tree_ends(department) -> None:  # type: ignore[no-untyped-def]
    agency = db.session.query(Organisation).filter_by(name="Agency").one()
    department.parent_id = agency.id  # bad data: Department under Agency under Department
    db.session.commit()
    assert sorted(_standings(department, "2018", "2017")) == ["Agency", "Silent", "Unit"]


def test_frameworks_and_periods_in_one_pass(department) -> None:  # type: ignore[no-untyped-def]
    framework, options, periods = reads.framework_and_periods(organisation=department, key=None)
    assert framework.key == frameworks.current().key
    assert [option.key for option in options] == [framework.key]
    assert periods == ("2017", "2018")  # 2019 has a draft only
    with pytest.raises(NotFound):
        reads.framework_and_periods(organisation=department, key="no-such-framework")
    _, _, every = reads.framework_and_periods(organisation=None, key=None)
    assert every == ("2017", "2018")
