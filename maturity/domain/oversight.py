"""Who may see what through oversight: a body's people may read every body it oversees.

Roles are held directly; a role anywhere up the chain of parents gives read-only access.
"""

from __future__ import annotations

from collections.abc import Mapping

from maturity.domain.roles import MembershipRole


def effective_roles(
    *, direct: Mapping[int, MembershipRole], parents: Mapping[int, int | None]
) -> dict[int, MembershipRole]:
    """Each organisation id the person may open, with their role there.

    ``direct`` maps organisation ids to the roles held in them; ``parents`` maps every
    organisation id to its parent's id. A direct role always wins over oversight.
    """
    roles: dict[int, MembershipRole] = {}
    for organisation_id in parents:
        if organisation_id in direct:
            roles[organisation_id] = direct[organisation_id]
        elif any(ancestor in direct for ancestor in ancestors(organisation_id, parents)):
            roles[organisation_id] = MembershipRole.VIEWER
    return roles


def ancestors(organisation_id: int, parents: Mapping[int, int | None]) -> list[int]:
    """The chain of parents, nearest first; a cycle in bad data stops rather than loops."""
    chain: list[int] = []
    current = parents.get(organisation_id)
    while current is not None and current not in chain and current != organisation_id:
        chain.append(current)
        current = parents.get(current)
    return chain
