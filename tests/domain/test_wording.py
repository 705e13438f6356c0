"""Saying what changed in a framework's words between the versions of two periods."""

from __future__ import annotations

from maturity.domain.wording import Words, along, between, differences

V1 = Words(
    version=1,
    domains={"planning": "Planning", "reporting": "Reporting"},
    levels=("Basic", "Managed", "Leading", "Excellent"),
    descriptors={("planning", 2): "Plans exist.", ("reporting", 2): "Reports exist."},
)


def _v2(**changes) -> Words:  # type: ignore[no-untyped-def]
    values = {"version": 2, "domains": V1.domains, "levels": V1.levels}
    values["descriptors"] = V1.descriptors
    values.update(changes)
    return Words(**values)


def test_the_same_version_has_no_change() -> None:
    assert between("2019", V1, "2020", V1) is None


def test_a_new_version_with_the_same_words_has_no_change() -> None:
    assert between("2019", V1, "2020", _v2()) is None


def test_a_renamed_domain_is_named_old_and_new() -> None:
    renamed = _v2(domains={"planning": "Planning and design", "reporting": "Reporting"})
    change = between("2019", V1, "2020", renamed)
    assert change is not None
    assert change.sentences == ("The domain 'Planning' is now called 'Planning and design'",)
    assert change.heading == (
        "The framework's wording changed between 2019 (version 1) and 2020 (version 2)"
    )


def test_a_renamed_level_and_a_changed_descriptor_are_both_said() -> None:
    changed = _v2(
        levels=("Basic", "Defined", "Leading", "Excellent"),
        descriptors={
            ("planning", 2): "Plans are written down.",
            ("reporting", 2): "Reports exist.",
        },
    )
    assert differences(V1, changed) == (
        "Level 2 'Managed' is now called 'Defined'",
        "The description of 'Planning' at level 2 ('Defined') changed",
    )


def test_domains_added_and_removed_and_a_new_level_count_are_said() -> None:
    changed = _v2(
        domains={"planning": "Planning", "using": "Using"},
        levels=(*V1.levels, "Transforming"),
    )
    assert differences(V1, changed) == (
        "The domain 'Reporting' is not in version 2",
        "The domain 'Using' is new in version 2",
        "Version 1 has 4 levels; version 2 has 5",
    )


def test_along_the_periods_only_the_changes_of_version_are_reported() -> None:
    renamed = _v2(domains={"planning": "Planning", "reporting": "Reporting results"})
    changes = along([("2018", V1), ("2019", V1), ("2020", renamed), ("2021", renamed)])
    assert [(c.before_period, c.after_period) for c in changes] == [("2019", "2020")]
