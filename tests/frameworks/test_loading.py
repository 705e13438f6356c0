"""Loading framework versions: all or nothing, immutable, and assessments keep theirs."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import func, select

from maturity.data import frameworks
from maturity.domain.errors import DomainError
from maturity.extensions import db
from maturity.frameworks import DEFAULT_FRAMEWORK_KEY, FrameworkSpec, checksum, validation
from maturity.models import AuditEvent, Criterion, Descriptor, Framework, FrameworkDomain
from tests import factories

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "frameworks" / "example-framework.yaml"


def example(**changes: object) -> FrameworkSpec:
    spec, problems = validation.read(EXAMPLE.read_bytes())
    assert spec is not None, problems
    return replace(spec, **changes)  # type: ignore[arg-type]


def rows() -> dict[str, int]:
    db.session.expire_all()
    return {
        model.__name__: db.session.scalar(select(func.count()).select_from(model)) or 0
        for model in (Framework, FrameworkDomain, Descriptor, Criterion)
    }


def test_loading_writes_every_level_domain_descriptor_and_criterion_in_order():
    admin = factories.user(admin=True)
    loaded = frameworks.load(spec=example(), actor=admin)
    assert loaded.created
    assert loaded.message == (
        "Loaded version 1 of example-data-maturity "
        "(Example framework: maturity of data management (illustrative))"
    )
    db.session.expire_all()
    framework = frameworks.current(key="example-data-maturity")
    assert framework.id == loaded.framework.id
    assert [level.name for level in framework.levels] == [
        "Initial",
        "Managed",
        "Defined",
        "Embedded",
    ]
    assert framework.level_name(3) == "Defined" and framework.top_level == 4
    knowing = framework.domains[0]
    assert knowing.description.startswith("Whether the body knows what data it holds")
    assert [d.level_number for d in knowing.descriptors] == [1, 2, 3, 4]
    assert knowing.descriptors[1].text == "Every data set is listed with 'the data owner'."
    assert [c.text for c in knowing.descriptors[1].criteria] == [
        "A register of data sets exists and names an owner for each.",
        "The register is available to everyone who handles the data.",
    ]
    assert knowing.descriptors[0].criteria == []
    assert framework.notes[0].startswith("This is an example framework.")
    assert framework.loaded_by_id == admin.id
    assert framework.checksum == checksum(example())
    [event] = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "framework.loaded"))
    assert event.actor_id == admin.id
    assert event.subject == "example-data-maturity version 1"


def test_loading_the_same_content_again_changes_nothing():
    frameworks.load(spec=example(), actor=None)
    before = rows()
    again = frameworks.load(spec=example(), actor=None)
    assert not again.created
    assert again.message == (
        "Version 1 of example-data-maturity is already loaded with exactly this content: "
        "nothing changed"
    )
    assert rows() == before


def test_the_nao_file_is_recognised_as_the_version_the_migration_installed():
    spec = validation.read(
        (
            Path(__file__).resolve().parents[2] / "maturity" / "frameworks" / "nao-performance"
            "-measurement.v1.json"
        ).read_bytes()
    )[0]
    assert spec is not None
    before = rows()
    loaded = frameworks.load(spec=spec, actor=None)
    assert not loaded.created
    assert loaded.framework.key == DEFAULT_FRAMEWORK_KEY and loaded.framework.version == 1
    assert rows() == before


def test_different_content_under_a_loaded_version_is_refused():
    frameworks.load(spec=example(), actor=None)
    before = rows()
    with pytest.raises(DomainError) as refused:
        frameworks.load(spec=example(name="Another name"), actor=None)
    assert refused.value.message == (
        "Version 1 of example-data-maturity is already loaded with different content; "
        "give the file a higher version"
    )
    assert refused.value.field == "file"
    assert rows() == before


def test_a_new_version_is_added_beside_the_old_one_which_assessments_keep():
    first = frameworks.load(spec=example(), actor=None).framework
    body = factories.organisation()
    made = factories.assessment(of=body, period="2019", framework=first)
    changed = example(version=2, levels=("Starting", "Managed", "Defined", "Embedded"))
    second = frameworks.load(spec=changed, actor=None).framework
    assert second.id != first.id
    db.session.expire_all()
    assert frameworks.current(key="example-data-maturity").version == 2
    # The assessment made with version 1 still shows version 1's words.
    assert made.framework.version == 1
    assert made.framework.level_name(1) == "Initial"
    assert second.level_name(1) == "Starting"
    counts = {(f.key, f.version): n for f, n in frameworks.with_assessment_counts()}
    assert counts[("example-data-maturity", 1)] == 1
    assert counts[("example-data-maturity", 2)] == 0
    assert frameworks.assessment_count(framework=first) == 1


def test_a_version_below_the_latest_is_refused():
    frameworks.load(spec=example(version=3), actor=None)
    with pytest.raises(DomainError, match="give the file a version above 3"):
        frameworks.load(spec=example(version=2), actor=None)


def test_nothing_half_loads_when_the_database_refuses_a_row():
    # Two domains with one key pass no validation; here the database's unique constraint
    # stops the load part-way, and none of it may remain.
    spec = example()
    broken = replace(
        spec, domains=(spec.domains[0], replace(spec.domains[1], key="knowing-your-data"))
    )
    before = rows()
    with pytest.raises(DomainError):
        frameworks.load(spec=broken, actor=None)
    assert rows() == before
    assert db.session.scalar(select(Framework).where(Framework.key == spec.key)) is None


def test_a_new_organisation_has_the_default_framework_enabled():
    body = factories.organisation()
    assert frameworks.enabled_keys(organisation=body) == [DEFAULT_FRAMEWORK_KEY]
    assert [f.key for f in frameworks.for_organisation(organisation=body)] == [
        DEFAULT_FRAMEWORK_KEY
    ]


def test_enabling_and_disabling_frameworks_for_an_organisation():
    frameworks.load(spec=example(), actor=None)
    frameworks.load(spec=example(version=2), actor=None)
    body = factories.organisation()
    frameworks.set_enabled(
        organisation=body, keys={DEFAULT_FRAMEWORK_KEY, "example-data-maturity"}, actor=None
    )
    offered = frameworks.for_organisation(organisation=body)
    assert [(f.key, f.version) for f in offered] == [
        ("example-data-maturity", 2),
        (DEFAULT_FRAMEWORK_KEY, 1),
    ]
    frameworks.set_enabled(organisation=body, keys={"example-data-maturity"}, actor=None)
    assert frameworks.enabled_keys(organisation=body) == ["example-data-maturity"]
    actions = [
        (e.action, e.subject)
        for e in db.session.scalars(
            select(AuditEvent)
            .where(AuditEvent.action.like("framework.%abled"))
            .order_by(AuditEvent.id)
        )
    ]
    assert actions == [
        ("framework.enabled", "example-data-maturity"),
        ("framework.disabled", DEFAULT_FRAMEWORK_KEY),
    ]
    with pytest.raises(DomainError, match="Select at least one framework"):
        frameworks.set_enabled(organisation=body, keys=set(), actor=None)
    with pytest.raises(DomainError, match="Choose frameworks from the list"):
        frameworks.set_enabled(organisation=body, keys={"not-loaded"}, actor=None)
    assert frameworks.enabled_keys(organisation=body) == ["example-data-maturity"]
