"""Two-factor sign-in with an authenticator app, and recovery codes for a lost phone.

Flask-Security runs the flows; this module supplies what it leaves to the application:
administrators and approvers may use nothing but the set-up page until they have set it up,
a code cannot be used twice, recovery codes are accepted however they are typed, every change
goes to the audit trail, and the account page that links it all together.
"""

from __future__ import annotations

import re
import secrets
from typing import TYPE_CHECKING, Any

from argon2 import PasswordHasher
from flask import (
    Blueprint,
    Flask,
    current_app,
    flash,
    g,
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
    VerifyForm,
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
from maturity.forms.admin import ActionForm
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

# 6 random bytes: 12 hexadecimal characters, 48 bits (ASVS 6.5.4 asks for at least 20).
CODE_BYTES = 6

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
    """Recovery codes kept as argon2id hashes (OWASP ASVS 6.5.2: a code of under 112 bits is
    stored with a salted password hash), so a copy of the database gives none of them away,
    even with every key. The price is that a code is shown once, when it is made, and never
    again. Codes are checked however they are typed ("ABCD EF01 2345"), and each use, refusal
    and new set is audited."""

    def __init__(self, app: Flask) -> None:
        super().__init__(app)
        # Flask-Security would encrypt the codes with SECURITY_MULTI_FACTOR_RECOVERY_CODES_KEYS;
        # hashes need no key. (Migration 0011 used the key once, to hash the codes made before.)
        self.cryptor = None

    def create_recovery_codes(self, user: Any) -> list[str]:
        from maturity.extensions import security

        codes = new_recovery_codes(current_app.config["SECURITY_MULTI_FACTOR_RECOVERY_CODES_N"])
        hasher = _code_hasher()
        security.datastore.mf_set_recovery_codes(user, [hasher.hash(code) for code in codes])
        _audit("two_factor.recovery_codes_generated", user, {"codes": len(codes)})
        # Whoever saw the old codes may have used one to sign in (ASVS 7.4.3).
        _end_other_sessions(user, "new recovery codes")
        return codes

    def get_recovery_codes(self, user: Any) -> list[str]:
        # Only hashes are kept: there is nothing to show again.
        return []

    def count(self, user: Any) -> int:
        from maturity.extensions import security

        return len(security.datastore.mf_get_recovery_codes(user))

    def check_recovery_code(self, user: Any, code: str) -> bool:
        if self._matching(user, code) is not None:
            return True
        _audit("two_factor.recovery_code_refused", user)
        return False

    def delete_recovery_code(self, user: Any, code: str) -> bool:
        from maturity.extensions import security

        index = self._matching(user, code)
        deleted = index is not None and security.datastore.mf_delete_recovery_code(user, index)
        left = self.count(user)
        _audit("two_factor.recovery_code_used", user, {"codes_left": left})
        flash(
            f"You signed in with a recovery code. You have {left} left: "
            "get new ones from your account page before you run out.",
            "info",
        )
        return deleted

    def _matching(self, user: Any, code: str) -> int | None:
        """Which stored hash the code matches. Flask-Security checks a code, then deletes it:
        the answer is kept for the request, so the slow hash is worked through once."""
        from argon2.exceptions import InvalidHashError, VerificationError

        from maturity.extensions import security

        typed = _normalise_code(code)
        cache = g.setdefault("recovery_code_matches", {})
        if (user.id, typed) not in cache:
            found = None
            hasher = _code_hasher()
            for index, stored in enumerate(security.datastore.mf_get_recovery_codes(user)):
                try:
                    hasher.verify(stored, typed)
                except (VerificationError, InvalidHashError):
                    continue
                found = index
                break
            cache[(user.id, typed)] = found
        return cache[(user.id, typed)]


def new_recovery_codes(count: int) -> list[str]:
    """``count`` codes of 12 hexadecimal characters (48 bits each, ASVS 6.5.4) from the
    operating system's secure random source (``secrets``, ASVS 6.5.3), in three groups of
    four to make them easier to copy."""
    codes = []
    for _ in range(count):
        bare = secrets.token_hex(CODE_BYTES)
        codes.append("-".join(bare[i : i + 4] for i in range(0, len(bare), 4)))
    return codes


def _code_hasher() -> PasswordHasher:
    """argon2id with the parameters passwords are hashed with (maturity/config.py)."""
    options = current_app.config["SECURITY_PASSWORD_HASH_PASSLIB_OPTIONS"]
    return PasswordHasher(
        time_cost=options["argon2__rounds"],
        memory_cost=options["argon2__memory_cost"],
        parallelism=options["argon2__parallelism"],
    )


class CodeForm(TwoFactorVerifyCodeForm):
    code = StringField(
        "Code",
        render_kw={"autocomplete": "one-time-code", "inputmode": "numeric"},
        validators=[IsStringOrInt(), RequiredLocalize(message="TWO_FACTOR_CODE_NOT_PROVIDED")],
    )


class ConfirmItIsYouForm(VerifyForm):
    """Flask-Security's "verify" form, asked before a change to how someone signs in or to
    their sessions when they last proved who they are a while ago. Full re-authentication
    (OWASP ASVS 7.5.1): the password, and for someone with two-factor sign-in a code from
    their app as well, so a password seen over someone's shoulder is not enough."""

    code = StringField(
        "Code from your authenticator app",
        render_kw={"autocomplete": "one-time-code", "inputmode": "numeric"},
    )

    def validate(self, **kwargs: Any) -> bool:
        if not super().validate(**kwargs):
            return False
        if not is_tf_setup(self.user):
            return True
        from maturity.extensions import security

        typed = re.sub(r"\s", "", self.code.data or "")
        errors = self.code.errors
        assert isinstance(errors, list)
        if not typed:
            errors.append(current_app.config["SECURITY_MSG_TWO_FACTOR_CODE_NOT_PROVIDED"][0])
            return False
        if not security.totp_factory.verify_totp(
            token=typed,
            totp_secret=self.user.tf_totp_secret or "",
            user=self.user,
            window=current_app.config["SECURITY_TWO_FACTOR_AUTHENTICATOR_VALIDITY"],
        ):
            errors.append(current_app.config["SECURITY_MSG_TWO_FACTOR_INVALID_TOKEN"][0])
            _audit("two_factor.code_refused", self.user, {"method": "authenticator"})
            return False
        return True


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
    app.config.setdefault("SECURITY_VERIFY_FORM", ConfirmItIsYouForm)

    security.tf_token_validation_context_processor(_code_page_context)
    security.mf_recovery_codes_context_processor(_recovery_codes_context)
    security.verify_context_processor(lambda: {"two_factor_on": is_tf_setup(current_user)})
    app.before_request(_require_two_factor)
    # The account page's session routes, on this blueprint: added before it is registered.
    from maturity.views import account_sessions  # noqa: F401

    app.register_blueprint(bp)

    tf_profile_changed.connect(_set_up, app)
    tf_disabled.connect(_removed, app)
    tf_code_confirmed.connect(_code_accepted, app)
    user_failed_authn.connect(_code_refused, app)


@bp.get("/account")
def account() -> ResponseReturnValue:
    from maturity.views import account_sessions

    return render_template(
        "auth/account.html",
        two_factor_on=is_tf_setup(current_user),
        recovery_codes_left=_recovery_codes_left(),
        signed_in_sessions=account_sessions.rows(current_user),
        action_form=ActionForm(formdata=None),
    )


def turn_off(
    *,
    user: User,
    actor: User,
    identity_check: str,
    details: str,
    remote_address: str | None = None,
) -> None:
    """For an administrator, when someone has lost both their phone and their recovery codes,
    once the administrator has confirmed it is them asking (``identity_check``, one of
    maturity/forms/admin.py's IDENTITY_CHECKS, and ``details``; both kept in the audit trail,
    OWASP ASVS 6.4.4). They sign in with their password next time, and approvers must set it
    up again. Every session they have ends: whoever has the lost phone may be signed in."""
    from maturity.data import user_sessions
    from maturity.domain.errors import DomainError
    from maturity.extensions import security
    from maturity.forms.admin import IDENTITY_CHECKS

    if identity_check not in dict(IDENTITY_CHECKS):
        raise DomainError("Select how you confirmed it is them", field="identity_check")
    details = details.strip()
    if not details:
        raise DomainError("Enter who you spoke to, when, and what you checked", field="details")
    if user.id == actor.id:
        raise DomainError("Another administrator must do this for you", field="identity_check")
    security.datastore.tf_reset(user)
    user.mf_recovery_codes = None
    user.tf_totp_last_counter = None
    record(
        action="two_factor.turned_off_by_administrator",
        actor=actor,
        subject=user.email,
        details={"identity_check": identity_check, "details": details[:500]},
        remote_address=remote_address,
    )
    commit()
    user_sessions.end_others(
        user=user,
        keep=None,
        actor=actor,
        reason="two-factor turned off by an administrator",
        remote_address=remote_address,
    )


def _require_two_factor() -> ResponseReturnValue | None:
    # The rescue page offers help by e-mail, which this service does not send; recovery
    # codes are the way back in.
    if request.endpoint == "security.two_factor_rescue":
        return redirect(url_for("security.mf_recovery"))
    # Codes are shown once, when made (only their hashes are kept): an old "show" link gets
    # the page that explains that, not Flask-Security's "you have no codes".
    if request.endpoint == "security.mf_recovery_codes" and "show_codes" in request.args:
        return redirect(url_for("security.mf_recovery_codes"))
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

    util = security.mf_recovery_codes_util
    assert isinstance(util, RecoveryCodes)
    return util.count(current_user)


def _set_up(app: Flask, user: User, method: str, **_: Any) -> None:
    _audit("two_factor.set_up", user, {"method": method})
    ended = _end_other_sessions(user, "two-factor set up or changed")
    flash(
        "Two-factor authentication is on. Get recovery codes now, in case you lose your phone."
        + _SIGNED_OUT_ELSEWHERE * bool(ended),
        "success",
    )


def _removed(app: Flask, user: User, **_: Any) -> None:
    # Codes for a second factor that is no longer asked for would only be left lying about.
    user.mf_recovery_codes = None
    _audit("two_factor.removed", user)
    ended = _end_other_sessions(user, "two-factor turned off")
    flash("Two-factor authentication is off." + _SIGNED_OUT_ELSEWHERE * bool(ended), "success")


_SIGNED_OUT_ELSEWHERE = " You have been signed out everywhere else."


def _end_other_sessions(user: User, reason: str) -> int:
    """A change to how someone signs in ends their other sessions (OWASP ASVS 7.4.3): a
    session opened with the old factor must not outlive it."""
    from maturity.security import session_records

    return session_records.end_other_sessions(user=user, reason=reason)


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
