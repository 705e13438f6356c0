"""A department overseeing two bodies with submitted assessments, and its people."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from bs4 import BeautifulSoup

from maturity.data import frameworks
from maturity.domain.roles import MembershipRole
from maturity.models import Organisation, User
from tests import factories


@dataclass
class Tree:
    department: Organisation
    bodies: list[Organisation]
    overseer: User  # a viewer in the department: reads every body below it
    body_viewer: User  # a viewer in one body: may not read the department's oversight
    outsider: User


def department_with(count: int, *, periods: tuple[str, ...] = ("2017", "2018")) -> Tree:
    department = factories.organisation(name="Department")
    keys = [domain.key for domain in frameworks.current().domains]
    bodies = []
    for number in range(1, count + 1):
        body = factories.organisation(name=f"Agency {number}", parent=department)
        for step, period in enumerate(periods):
            factories.assessment(
                of=body,
                period=period,
                levels={key: min(1 + step + number % 2, 4) for key in keys},
                ambition={key: 4 for key in keys},
            )
        bodies.append(body)
    return Tree(
        department=department,
        bodies=bodies,
        overseer=factories.member(of=department, role=MembershipRole.VIEWER),
        body_viewer=factories.member(of=bodies[0], role=MembershipRole.VIEWER),
        outsider=factories.member(of=factories.organisation(name="Elsewhere")),
    )


def prepare_form(oversight: BeautifulSoup, which: str) -> tuple[str, dict[str, str]]:
    """Where the oversight page's button ``which`` posts, and what (its form's fields)."""
    button = oversight.find("button", string=which)
    assert button is not None, f"no button {which!r} on the oversight page"
    form = oversight.find("form", id=button["form"]) if button.get("form") else None
    form = form or button.find_parent("form")
    data = {i["name"]: i.get("value", "") for i in form.find_all("input")}
    return form["action"], data


@pytest.fixture
def tree() -> Tree:
    return department_with(2)
