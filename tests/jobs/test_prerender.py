"""Reports are rendered again by the workers when the data behind them changes, so that the
next download is a file read: every kind of change queues its organisation's report and the
oversight reports above it, a burst of changes is one job, and a change is never lost for a
render that could not be queued."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import date, datetime

import pytest
from sqlalchemy import select

from maturity.data import (
    actions,
    assessments,
    backup,
    frameworks,
    imports,
    organisations,
    report_jobs,
    review,
)
from maturity.domain.roles import MembershipRole
from maturity.extensions import db
from maturity.jobs import huey, prerender
from maturity.jobs.queue import PRIORITY_BACKGROUND, PRIORITY_REQUESTED
from maturity.models import (
    AssessmentStatus,
    JobKind,
    JobStatus,
    Organisation,
    ReportJob,
)
from tests import factories
from tests.conftest import page, run_jobs, sign_in
from tests.frameworks.test_loading import example
from tests.jobs.conftest import Tree, department_with

NAO = "nao-performance-measurement"


@pytest.fixture
def prerendering(app, monkeypatch, tmp_path):  # type: ignore[no-untyped-def]
    """Changes queue renders, as in production (the tests' default is not to), into a
    cache of this test's own (the same data and day is the same PDF in any test)."""
    run_jobs()  # whatever earlier set-up left queued is not this test's
    monkeypatch.setitem(app.config, "REPORT_PRERENDER", True)
    monkeypatch.setitem(app.config, "REPORT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setitem(app.config, "REPORT_JOBS_DIR", str(tmp_path / "jobs"))


def _background() -> Counter[tuple[JobKind, int]]:
    """Queued renders nobody asked for, by kind and organisation."""
    db.session.expire_all()
    jobs = db.session.scalars(
        select(ReportJob).where(
            ReportJob.status == JobStatus.QUEUED, ReportJob.requested_by_id.is_(None)
        )
    )
    return Counter((job.kind, job.organisation_id) for job in jobs)


def _version(organisation: Organisation) -> int:
    db.session.refresh(organisation)
    return organisation.data_version


def _expected(tree: Tree, body: Organisation) -> Counter[tuple[JobKind, int]]:
    # The body's report and its one-page Figure 8 (both linked from its page), and the
    # oversight report above it.
    return Counter(
        {
            (JobKind.ORGANISATION_PDF, body.id): 1,
            (JobKind.FIGURE_PDF, body.id): 1,
            (JobKind.OVERSIGHT_PDF, tree.department.id): 1,
        }
    )


def test_a_save_queues_the_bodys_report_and_the_oversight_above_it_once(prerendering):
    tree = department_with(2)
    body = tree.bodies[0]
    run_jobs()
    draft = assessments.start(
        organisation=body, framework=frameworks.current(), period="2019", actor=None
    )
    before = _version(body)
    for level in (1, 2, 3):  # a burst of saves
        assessments.save_rating(
            assessment=draft,
            domain_key=draft.framework.domains[0].key,
            level=level,
            evidence=f"Evidence {level}",
            reason_for_change="",
            ambition=None,
            actor=None,
        )
    assert _background() == _expected(tree, body)
    # Each committed change counted once, in its own transaction.
    assert _version(body) == before + 3
    # Not run at once: the workers wait a little for the burst to end, behind people's asks.
    waiting = huey.pending()
    assert len(waiting) == 3  # the body's report and figure, the oversight report
    assert all(task.eta is not None for task in waiting)
    assert {task.priority for task in waiting} == {PRIORITY_BACKGROUND}


def _submit(tree: Tree, body: Organisation) -> None:
    made = factories.assessment(of=body, period="2019", status=AssessmentStatus.DRAFT)
    for domain in made.framework.domains:
        assessments.save_rating(
            assessment=made,
            domain_key=domain.key,
            level=2,
            evidence="Board papers",
            reason_for_change="The framework was rebuilt",
            ambition=4,
            actor=None,
            complete=True,
        )
    run_jobs()
    assessments.submit(assessment=made, actor=None)


def _latest(body: Organisation):  # type: ignore[no-untyped-def]
    found = assessments.by_period(framework=frameworks.current(), organisations=[body])
    return found[(body.id, "2018")]


def _approve(tree: Tree, body: Organisation) -> None:
    review.approve(assessment=_latest(body), actor=None)


def _moderate(tree: Tree, body: Organisation) -> None:
    made = _latest(body)
    review.moderate(
        assessment=made,
        domain_key=made.framework.domains[0].key,
        level=1,
        note="Evidence does not support it",
        actor=None,
    )


def _reopen(tree: Tree, body: Organisation) -> None:
    made = _latest(body)
    review.approve(assessment=made, actor=None)
    run_jobs()
    review.reopen(assessment=made, actor=None, reason="A figure was wrong")


def _send_back(tree: Tree, body: Organisation) -> None:
    review.send_back(
        assessment=_latest(body), actor=None, comment="Say more about the data", domain_comments={}
    )


def _import(tree: Tree, body: Organisation) -> None:
    rows = [f"{body.slug},2020,{domain.key},2,,Imported" for domain in frameworks.current().domains]
    imports.import_csv(
        data="organisation,period,domain,level,ambition,evidence\n" + "\n".join(rows)
    )


def _action(tree: Tree, body: Organisation) -> None:
    made = factories.assessment(of=body, period="2019", status=AssessmentStatus.DRAFT)
    run_jobs()
    actions.add(
        assessment=made,
        domain_key=made.framework.domains[0].key,
        what="Publish the framework",
        owner="Head of Performance",
        due_date=None,
        actor=None,
    )


def _enable(tree: Tree, body: Organisation) -> None:
    other = factories.framework(domains=2, levels=3)
    run_jobs()
    frameworks.enable(organisation=body, key=other.key, actor=None)


CHANGES: dict[str, Callable[[Tree, Organisation], None]] = {
    "submitted": _submit,
    "approved": _approve,
    "moderated": _moderate,
    "reopened": _reopen,
    "sent back": _send_back,
    "imported": _import,
    "an improvement action added": _action,
    "a framework enabled": _enable,
}


@pytest.mark.parametrize("change", CHANGES)
def test_every_kind_of_change_queues_a_render(prerendering, change):
    tree = department_with(2)
    body = tree.bodies[0]
    bystander = tree.bodies[1]
    run_jobs()
    before = _version(body), _version(bystander)
    CHANGES[change](tree, body)
    assert _background() == _expected(tree, body)
    assert _version(body) > before[0]
    assert _version(bystander) == before[1]


def test_a_body_moved_elsewhere_changes_both_overseers_reports(prerendering):
    tree = department_with(2)
    other = factories.organisation(name="Other department")
    run_jobs()
    organisations.set_parent(organisation=tree.bodies[0], parent=other, actor=None)
    queued = _background()
    assert queued[(JobKind.OVERSIGHT_PDF, tree.department.id)] == 1
    assert queued[(JobKind.OVERSIGHT_PDF, other.id)] == 1


def test_a_new_version_of_a_framework_queues_the_reports_of_those_using_it(prerendering):
    first = example()
    frameworks.load(spec=first, actor=None)
    user_of_it = factories.organisation(name="Uses it")
    frameworks.enable(organisation=user_of_it, key=first.key, actor=None)
    bystander = factories.organisation(name="Does not")
    run_jobs()
    frameworks.load(spec=example(version=first.version + 1, name="Renamed"), actor=None)
    queued = _background()
    assert (JobKind.ORGANISATION_PDF, user_of_it.id) in queued
    assert (JobKind.ORGANISATION_PDF, bystander.id) not in queued


def test_a_restore_queues_every_organisations_report(app, prerendering):
    tree = department_with(1)
    document = backup.dump()
    for table in reversed(db.metadata.sorted_tables):
        if table.name not in {"alembic_version"}:
            db.session.execute(table.delete())
    db.session.commit()
    backup.restore(document)
    queued = _background()
    assert (JobKind.ORGANISATION_PDF, tree.bodies[0].id) in queued
    assert (JobKind.OVERSIGHT_PDF, tree.department.id) in queued


def test_a_render_that_cannot_be_queued_costs_no_change(prerendering, monkeypatch):
    tree = department_with(1)
    draft = factories.assessment(of=tree.bodies[0], period="2019", status=AssessmentStatus.DRAFT)

    def broken(**kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("the database refused the job")

    monkeypatch.setattr(report_jobs, "create_background", broken)
    assessments.save_rating(
        assessment=draft,
        domain_key=draft.framework.domains[0].key,
        level=2,
        evidence="Kept whatever happens to the render",
        reason_for_change="",
        ambition=None,
        actor=None,
    )
    db.session.expire_all()
    kept = assessments.get(organisation=tree.bodies[0], assessment_id=draft.id)
    assert kept.ratings[0].evidence == "Kept whatever happens to the render"


def test_once_the_workers_have_run_the_download_is_the_file_with_no_render(
    app, client, prerendering, no_rendering_in_requests
):
    tree = department_with(1)
    body = tree.bodies[0]
    viewer = factories.member(of=body, role=MembershipRole.VIEWER)
    run_jobs()
    _submit(tree, body)
    # The body's report, its one-page figure and the department's oversight PDF.
    assert run_jobs() >= 3
    sign_in(client, viewer.email)
    for name in ("report.pdf", "figure.pdf"):
        response = client.get(f"/organisations/{body.slug}/{name}")
        assert response.status_code == 200, name
        assert response.mimetype == "application/pdf"
        assert response.data.startswith(b"%PDF-")
    overseer = app.test_client()
    sign_in(overseer, tree.overseer.email)
    response = overseer.get(f"/organisations/{tree.department.slug}/oversight.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert not huey.pending() and not huey.scheduled()

    # The files are ready, and still nobody without a role there gets them, by any address.
    outsider = app.test_client()
    sign_in(outsider, tree.outsider.email)
    built = db.session.scalars(select(ReportJob).where(ReportJob.status == JobStatus.DONE))
    addresses = [
        f"/organisations/{body.slug}/report.pdf",
        f"/organisations/{body.slug}/figure.pdf",
    ] + [f"/organisations/{job.organisation.slug}/reports/{job.token}/download" for job in built]
    for address in addresses:
        refused = outsider.get(address)
        assert refused.status_code == 404, address
        assert not refused.data.startswith(b"%PDF-")


def test_someone_waiting_moves_a_background_render_ahead(client, prerendering):
    tree = department_with(1)
    body = tree.bodies[0]
    viewer = factories.member(of=body, role=MembershipRole.VIEWER)
    run_jobs()
    _submit(tree, body)
    queued = report_jobs.unfinished_like(
        organisation=body,
        kind=JobKind.ORGANISATION_PDF,
        parameters=prerender.DEFAULT,
        source_key=None,
    )
    assert queued is not None and queued.requested_by_id is None
    sign_in(client, viewer.email)
    response = client.get(f"/organisations/{body.slug}/report.pdf")
    assert response.status_code == 202
    assert page(response).h1.get_text(strip=True) == "Your report is being prepared"
    db.session.expire_all()
    waited_for = report_jobs.get(job_id=queued.id)
    assert waited_for.requested_by_id == viewer.id  # the same job, now someone's
    asked = [task for task in huey.pending() if task.priority == PRIORITY_REQUESTED]
    assert [task.args for task in asked] == [(queued.id,)]
    assert asked[0].eta is None  # no waiting out the background delay
    assert (
        report_jobs.unfinished_like(
            organisation=body,
            kind=JobKind.ORGANISATION_PDF,
            parameters=prerender.DEFAULT,
            source_key=None,
        ).id
        == queued.id
    )
    run_jobs()
    assert client.get(f"/organisations/{body.slug}/report.pdf").mimetype == "application/pdf"


def test_a_new_day_queues_every_assessed_organisations_reports(prerendering):
    tree = department_with(2)
    factories.organisation(name="Never assessed")
    run_jobs()

    answered = prerender.new_day()

    bodies = {body.id for body in tree.bodies}
    assert answered == bodies
    assert _background() == Counter(
        {
            **{(JobKind.ORGANISATION_PDF, body): 1 for body in bodies},
            **{(JobKind.FIGURE_PDF, body): 1 for body in bodies},
            (JobKind.OVERSIGHT_PDF, tree.department.id): 1,
        }
    )


def test_a_new_day_queues_nothing_when_prerendering_is_off(app, monkeypatch):
    department_with(1)
    run_jobs()
    monkeypatch.setitem(app.config, "REPORT_PRERENDER", False)
    assert prerender.new_day() == set()
    assert _background() == Counter()


@pytest.mark.parametrize(
    ("utc", "due"),
    [
        (datetime(2026, 12, 7, 0, 5), True),  # winter: the UK's midnight is UTC's
        (datetime(2026, 12, 6, 23, 5), False),
        (datetime(2026, 7, 1, 23, 5), True),  # summer: 00:05 in London
        (datetime(2026, 7, 2, 0, 5), False),  # 01:05 in London
        (datetime(2026, 12, 7, 0, 6), False),
        # Clocks go forward at 01:00 UTC on 29 March: that night's midnight is still GMT,
        # the next one BST.
        (datetime(2026, 3, 29, 0, 5), True),
        (datetime(2026, 3, 29, 23, 5), True),
        (datetime(2026, 3, 30, 0, 5), False),
        # Back at 01:00 UTC on 25 October: that night's midnight is BST, the next GMT.
        (datetime(2026, 10, 24, 23, 5), True),
        (datetime(2026, 10, 25, 0, 5), False),
        (datetime(2026, 10, 25, 23, 5), False),
        (datetime(2026, 10, 26, 0, 5), True),
    ],
)
def test_the_new_day_renders_are_due_at_five_past_midnight_in_the_uk(utc, due):
    # As the consumer's scheduler asks: its clock in UTC, without a zone.
    from maturity.jobs.tasks import render_for_the_new_day

    assert render_for_the_new_day.task_class().validate_datetime(utc) is due


def test_only_one_worker_queues_a_days_renders(prerendering):
    from maturity.jobs import tasks

    department_with(1)
    run_jobs()
    day = date(2031, 1, 2)  # a day no other test claims: the queue's storage outlives tests
    assert tasks.new_day_claimed(day)
    assert not tasks.new_day_claimed(day)
    assert tasks.new_day_claimed(date(2031, 1, 3))
