"""The rules for a domain's answers and actions, as plain functions: no database needed."""

from datetime import date

import pytest

from maturity.domain.assessment_rules import (
    Answers,
    Problem,
    TaskStatus,
    action_problems,
    ambition_reason_needed,
    parse_due_date,
    problems,
    reason_needed,
    task_status,
)
from maturity.domain.errors import DomainError

LEVELS = ["Existing", "Functioning", "Enabling", "Challenging", "Optimising"]


def _problems(previous_level=None, **answers):
    return problems(Answers(**answers), previous_level=previous_level, level_names=LEVELS)


def test_a_finished_answer_needs_a_level():
    assert _problems(level=None) == [Problem("level", "Select the level reached")]
    assert _problems(level=0) == []


@pytest.mark.parametrize(
    ("level", "previous", "needed"),
    [
        (2, 2, False),
        (3, 2, True),
        (1, 2, True),
        (0, None, False),
        (2, None, False),
        (None, 2, False),
        (0, 1, True),
    ],
)
def test_a_reason_is_needed_exactly_when_the_level_moved(level, previous, needed):
    assert reason_needed(level, previous) is needed


def test_a_moved_level_without_a_reason_names_the_previous_level():
    assert _problems(level=3, previous_level=2) == [
        Problem("reason_for_change", "Enter the reason the level changed from Functioning")
    ]
    assert _problems(level=1, previous_level=0)[0].message == (
        "Enter the reason the level changed from Not yet at Existing"
    )
    assert _problems(level=3, previous_level=2, reason_for_change="  ") != []
    assert _problems(level=3, previous_level=2, reason_for_change="New framework") == []


def test_an_ambition_below_the_level_needs_a_reason():
    assert ambition_reason_needed(3, 2) and not ambition_reason_needed(3, 3)
    assert not ambition_reason_needed(3, None) and not ambition_reason_needed(None, 1)
    message = "Enter why the ambition is below the level reached, or choose a higher ambition"
    assert _problems(level=3, ambition=2) == [Problem("ambition_reason", message)]
    assert _problems(level=3, ambition=2, ambition_reason="Resources moved") == []
    assert _problems(level=3, ambition=4) == []


def test_every_problem_is_reported_in_page_order():
    found = _problems(level=4, previous_level=2, ambition=1)
    assert [p.field for p in found] == ["reason_for_change", "ambition_reason"]


@pytest.mark.parametrize(
    ("answers", "carried", "found", "status"),
    [
        (Answers(level=None), False, [Problem("level", "x")], TaskStatus.NOT_STARTED),
        (Answers(level=None, evidence="a"), False, [Problem("level", "x")], TaskStatus.IN_PROGRESS),
        (Answers(level=2), False, [Problem("reason_for_change", "x")], TaskStatus.IN_PROGRESS),
        (Answers(level=2), False, [], TaskStatus.COMPLETED),
        (Answers(level=2), True, [], TaskStatus.CARRIED_FORWARD),
    ],
)
def test_task_status(answers, carried, found, status):
    assert task_status(answers, carried_forward=carried, problems=found) == status


def test_an_action_needs_what_and_who():
    assert action_problems(what=" ", owner="") == [
        Problem("what", "Enter what will be done"),
        Problem("owner", "Enter who owns the action"),
    ]
    assert action_problems(what="Publish", owner="Jo") == []
    assert action_problems(what="x" * 2001, owner="y" * 201)[1].message == (
        "Owner must be 200 characters or less"
    )


@pytest.mark.parametrize(
    ("parts", "message"),
    [
        (("31", "2", "2020"), "Enter a real due date"),
        (("1", "", "2020"), "Due date must include a month"),
        (("", "", "2020"), "Due date must include a day and a month"),
        (("1", "2", "20"), "Year must include 4 numbers"),
        (("a", "2", "2020"), "Enter a real due date"),
        (("\u0661", "2", "2020"), "Enter a real due date"),  # an Arabic-Indic 1
        (("1", "2", "1066"), "Due date must be between 1990 and 2100"),
        (("99999999999999999999", "2", "2020"), "Enter a real due date"),
    ],
)
def test_a_due_date_that_is_not_real_is_refused_in_govuk_wording(parts, message):
    with pytest.raises(DomainError) as refused:
        parse_due_date(*parts)
    assert (refused.value.message, refused.value.field) == (message, "due_date")


def test_a_due_date_is_optional_and_read_from_its_three_boxes():
    assert parse_due_date("", " ", "") is None
    assert parse_due_date(" 31", "03", "2020 ") == date(2020, 3, 31)


def test_a_level_other_than_the_suggested_one_needs_a_reason():
    message = "Enter why the level differs from the suggested level (Functioning)"
    assert _problems(level=3, suggested=2) == [Problem("level_differs_reason", message)]
    assert _problems(level=3, suggested=2, level_differs_reason="  Seen in board papers") == []
    assert _problems(level=2, suggested=2) == []
    # A domain without criteria suggests nothing, so nothing needs explaining.
    assert _problems(level=3, suggested=None) == []
    below = "Enter why the level differs from the suggested level (Not yet at Existing)"
    assert _problems(level=1, suggested=0) == [Problem("level_differs_reason", below)]


def test_ticking_a_criterion_starts_a_domain():
    status = task_status(
        Answers(level=None, ticked=frozenset({7})),
        carried_forward=False,
        problems=[Problem("level", "Select the level reached")],
    )
    assert status == TaskStatus.IN_PROGRESS
