"""Authenticator codes are good for their own 30-second step and one step either side."""

import time

import pyotp
import pytest

from maturity.domain.roles import MembershipRole
from maturity.extensions import security
from tests import factories
from tests.conftest import PASSWORD


@pytest.mark.parametrize(
    ("offset", "accepted"), [(0, True), (-30, True), (-95, False), (95, False)]
)
def test_a_code_is_accepted_only_near_its_time(client, offset, accepted):
    person = factories.member(of=factories.organisation(), role=MembershipRole.VIEWER)
    factories.set_up_two_factor(person)
    client.post("/sign-in", data={"email": person.email, "password": PASSWORD})
    app = pyotp.TOTP(security.totp_factory.get_totp_b32_key(person.tf_totp_secret))
    response = client.post("/sign-in/code", data={"code": app.at(time.time() + offset)})
    signed_in = response.status_code == 302 and "/sign-in" not in response.headers["Location"]
    assert signed_in is accepted
