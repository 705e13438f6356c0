"""Two-factor sign-in with an authenticator app, and recovery codes for a lost phone.

Flask-Security runs the flows; this module supplies what it leaves to the application:
administrators and approvers may use nothing but the set-up page until they have set it up,
a code cannot be used twice, recovery codes are accepted however they are typed, every change
goes to the audit trail, and the account page that links it all together.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from flask import (
    Blueprint,
    Flask,
    flash,
    has_request_context,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_security import Totp, current_user
from flask_security.forms import (
    IsString,
    IsStringOrInt,
    RequiredLocalize,
    StringField,
    TwoFactorVerifyCodeForm,
)
from flask_security.recovery_codes import MfRecoveryCodesUtil, MfRecoveryForm
from flask_security.signals import (
    tf_code_confirmed,
    tf_disabled,
    tf_profile_changed,
    user_failed_authn,
)
from flask_security.twofactor import is_tf_setup

from maturity.data import commit
from maturity.data.audit import record
from maturity.views.auth import require_sign_in

if TYPE_CHECKING:
    from flask_security import Security
    from passlib.totp import TotpMatch

    from maturity.models import User

# What someone who must set up two-factor sign-in can still reach before they have.
OPEN_BEFORE_SET_UP = frozenset(
    {
        "security.two_factor_setup",
        "security.two_factor_setup_validate",
        "security.two_factor_token_validation",
        "security.verify",  # set-up asks for the password again after a while
        "security.logout",
        "static",
        "health.healthz",
    }
)

bp = Blueprint("account", __name__)
bp.before_request(require_sign_in)


class ReplayProtectedTotp(Totp):
    """Refuses a code from a time step already used (OWASP ASVS 6.5.1): someone watching a
    person type their code cannot sign in with it in the same 30 seconds."""

    def get_last_counter(self, user: Any) -> int | None:
        return user.tf_totp_last_counter

    def set_last_counter(self, user: Any, tmatch: TotpMatch) -> None:
        user.tf_totp_last_counter = tmatch.counter


class RecoveryCodes(MfRecoveryCodesUtil):
    """Codes are checked however they are typed ("ABCD EF01 2345"), and each use, refusal and
    new set is audited."""

    def create_recovery_codes(self, user: Any) -> list[str]:
        codes = super().create_recovery_codes(user)
        _audit("two_factor.recovery_codes_generated", user, {"codes": len(codes)})
        return codes

    def check_recovery_code(self, user: Any, code: str) -> bool:
        if super().check_recovery_code(user, _normalise_code(code)):
            return True
        _audit("two_factor.recovery_code_refused", user)
        return False

    def delete_recovery_code(self, user: Any, code: str) -> bool:
        deleted = super().delete_recovery_code(user, _normalise_code(code))
        left = len(self.get_recovery_codes(user))
        _audit("two_factor.recovery_code_used", user, {"codes_left": left})
        flash(
            f"You signed in with a recovery code. You have {left} left: "
            "get new ones from your account page before you run out.",
            "info",
        )
        return deleted


class CodeForm(TwoFactorVerifyCodeForm):
    code = StringField(
        "Code",
        render_kw={"autocomplete": "one-time-code", "inputmode": "numeric"},
        validators=[IsStringOrInt(), RequiredLocalize(message="TWO_FACTOR_CODE_NOT_PROVIDED")],
    )


class RecoveryCodeForm(MfRecoveryForm):
    code = StringField(
        "Recovery code",
        validators=[IsString(), RequiredLocalize(message="RECOVERY_CODE_NOT_PROVIDED")],
    )


SIGN_IN_STEPS = {
    "security.two_factor_token_validation",
    "security.mf_recovery",
    "security.tf_select",
}


def init_app(app: Flask, security: Security) -> None:
    """Call before ``security.init_app``: Flask-Security builds its helpers from these then."""
    # Security() is made without an app in maturity.extensions; these classes are
    # constructor arguments there, so they are set here, before init_app instantiates them.
    security._totp_cls = ReplayProtectedTotp
    security._mf_recovery_codes_util_cls = RecoveryCodes
    app.config.setdefault("SECURITY_TWO_FACTOR_VERIFY_CODE_FORM", CodeForm)
    app.config.setdefault("SECURITY_MF_RECOVERY_FORM", RecoveryCodeForm)

    security.tf_token_validation_context_processor(_code_page_context)
    security.mf_recovery_codes_context_processor(_recovery_codes_context)
    app.before_request(_require_two_factor)
    app.register_blueprint(bp)

    tf_profile_changed.connect(_set_up, app)
    tf_disabled.connect(_removed, app)
    tf_code_confirmed.connect(_code_accepted, app)
    user_failed_authn.connect(_code_refused, app)


@bp.get("/account")
def account() -> ResponseReturnValue:
    return render_template(
        "auth/account.html",
        two_factor_on=is_tf_setup(current_user),
        recovery_codes_left=_recovery_codes_left(),
    )


def turn_off(*, user: User, actor: User, remote_address: str | None = None) -> None:
    """For an administrator, when someone has lost both their phone and their recovery codes:
    they sign in with their password next time, and approvers must set it up again."""
    from maturity.extensions import security

    security.datastore.tf_reset(user)
    user.mf_recovery_codes = None
    user.tf_totp_last_counter = None
    record(
        action="two_factor.turned_off_by_administrator",
        actor=actor,
        subject=user.email,
        remote_address=remote_address,
    )
    commit()


def _require_two_factor() -> ResponseReturnValue | None:
    # The rescue page offers help by e-mail, which this service does not send; recovery
    # codes are the way back in.
    if request.endpoint == "security.two_factor_rescue":
        return redirect(url_for("security.mf_recovery"))
    # Flask-Security signs out a signed-in person who opens the code page outside a change
    # of their two-factor set-up: a link from anywhere could sign people out. Send them on.
    if (
        request.endpoint in SIGN_IN_STEPS
        and current_user.is_authenticated
        and session.get("tf_state") != "validating_profile"
    ):
        return redirect(url_for("home.index"))
    if request.endpoint in OPEN_BEFORE_SET_UP or not current_user.is_authenticated:
        return None
    if is_tf_setup(current_user) or not current_user.two_factor_required:
        return None
    return redirect(url_for("security.two_factor_setup"))


def _code_page_context() -> dict[str, Any]:
    """On a wrong code during set-up, the page shows the QR code again (Flask-Security keeps
    the new secret in the session until a code from it is confirmed)."""
    secret = session.get("tf_totp_secret")
    setting_up = current_user.is_authenticated and session.get("tf_state") == "validating_profile"
    if not setting_up or not secret:
        return {"setting_up": False}
    from maturity.extensions import security

    values = security.totp_factory.fetch_setup_values(secret, current_user)
    return {
        "setting_up": True,
        "authr_qrcode": values["image"],
        "authr_key": values["key"],
        "authr_username": values["username"],
        "authr_issuer": values["issuer"],
    }


def _recovery_codes_context() -> dict[str, Any]:
    return {
        "two_factor_on": is_tf_setup(current_user),
        "recovery_codes_left": _recovery_codes_left(),
    }


def _recovery_codes_left() -> int:
    from maturity.extensions import security

    return len(security.mf_recovery_codes_util.get_recovery_codes(current_user))


def _set_up(app: Flask, user: User, method: str, **_: Any) -> None:
    _audit("two_factor.set_up", user, {"method": method})
    flash(
        "Two-factor authentication is on. Get recovery codes now, in case you lose your phone.",
        "success",
    )


def _removed(app: Flask, user: User, **_: Any) -> None:
    # Codes for a second factor that is no longer asked for would only be left lying about.
    user.mf_recovery_codes = None
    _audit("two_factor.removed", user)
    flash("Two-factor authentication is off", "success")


def _code_accepted(app: Flask, user: User, method: str, **_: Any) -> None:
    _audit("two_factor.code_accepted", user, {"method": method})


def _code_refused(app: Flask, user: User, auth_type: str, tfa: bool = False, **_: Any) -> None:
    if tfa:
        _audit("two_factor.code_refused", user, {"method": auth_type})


def _audit(action: str, user: Any, details: dict[str, Any] | None = None) -> None:
    record(
        action=action,
        actor=user,
        subject=user.email,
        details=details,
        remote_address=request.remote_addr if has_request_context() else None,
    )
    commit()


def _normalise_code(code: str) -> str:
    """Flask-Security's form of a recovery code: lower-case hex in groups of four."""
    bare = re.sub(r"[\s-]", "", code).lower()
    if len(bare) != 12:
        return code.strip()
    return "-".join(bare[i : i + 4] for i in range(0, 12, 4))
