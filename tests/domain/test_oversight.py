from hypothesis import given
from hypothesis import strategies as st

from maturity.domain.oversight import ancestors, effective_roles
from maturity.domain.roles import MembershipRole

APPROVER, VIEWER, ASSESSOR = MembershipRole.APPROVER, MembershipRole.VIEWER, MembershipRole.ASSESSOR
# 1 oversees 2, which oversees 3; 4 stands alone.
TREE = {1: None, 2: 1, 3: 2, 4: None}


def test_a_role_in_a_parent_reads_every_body_beneath_it():
    assert effective_roles(direct={1: APPROVER}, parents=TREE) == {
        1: APPROVER,
        2: VIEWER,
        3: VIEWER,
    }


def test_a_direct_role_wins_over_oversight():
    assert effective_roles(direct={1: VIEWER, 3: ASSESSOR}, parents=TREE)[3] == ASSESSOR


def test_oversight_never_reaches_up_or_across():
    assert effective_roles(direct={2: APPROVER}, parents=TREE) == {2: APPROVER, 3: VIEWER}


def test_a_cycle_in_bad_data_ends():
    assert ancestors(1, {1: 2, 2: 1}) == [2]


@given(st.dictionaries(st.integers(1, 8), st.one_of(st.none(), st.integers(1, 8)), min_size=1))
def test_roles_only_ever_cover_bodies_held_or_overseen(parents):
    direct = {next(iter(parents)): APPROVER}
    roles = effective_roles(direct=direct, parents=parents)
    for organisation_id, role in roles.items():
        assert organisation_id in direct or (
            role == VIEWER and set(ancestors(organisation_id, parents)) & set(direct)
        )
