"""Passwords made only of words anyone would guess for this service are refused: the
documented context-specific words, the service's and organisations' names, and the person's
own name and e-mail address (OWASP ASVS 6.1.2, 6.2.11)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from maturity.data import users
from maturity.domain.errors import DomainError
from maturity.security import passwords
from tests import factories

DOCUMENT = Path(__file__).resolve().parents[2] / "docs" / "security" / "authentication.md"


def _documented_words() -> list[str]:
    text = DOCUMENT.read_text()
    section = text.split("## Context-specific words", 1)[1].split("\n## ", 1)[0]
    listed = section.split("Always:", 1)[1].split("And, for each password", 1)[0]
    return re.findall(r"^- `([^`]+)`$", listed, flags=re.MULTILINE)


def test_the_document_lists_the_words_the_code_refuses(app):
    assert sorted(_documented_words()) == sorted(passwords.CONTEXT_WORDS)


@pytest.mark.parametrize("word", passwords.CONTEXT_WORDS)
@pytest.mark.parametrize(
    "dressed", ["{word} 2024 2024!", "{Word}{Word}{Word}{Word}", "!!{WORD}12345678"]
)
def test_every_documented_word_is_refused_however_it_is_dressed(app, word, dressed):
    password = dressed.format(word=word, Word=word.title(), WORD=word.upper())
    if len(password) < passwords.MINIMUM_LENGTH:
        password += "1" * (passwords.MINIMUM_LENGTH - len(password))
    assert passwords.problems(password) in ([passwords.IS_CONTEXT], [passwords.TOO_COMMON])


def test_words_strung_together_are_refused(app):
    assert passwords.problems("Maturity NAO Figure 8!") == [passwords.IS_CONTEXT]
    assert passwords.problems("performancemeasurement99") == [passwords.IS_CONTEXT]


def test_the_service_and_organisation_names_and_slugs_are_refused(app):
    factories.organisation(name="Department for Levelling Up")
    assert passwords.problems("Performance measurement maturity") == [passwords.IS_CONTEXT]
    assert passwords.problems("department-for-levelling-up-1") == [passwords.IS_CONTEXT]
    assert passwords.problems("DepartmentForLevellingUp2024") == [passwords.IS_CONTEXT]


def test_the_persons_own_name_and_email_are_refused(app):
    refused = ["Ada Lovelace 1815", "lovelace lovelace", "ADA.LOVELACE!!!!", "analytical 1843!"]
    for password in refused:
        found = passwords.problems(
            password, email="ada.lovelace@analytical.gov.uk", name="Ada Lovelace"
        )
        assert found == [passwords.IS_CONTEXT], password


def test_a_passphrase_with_words_of_its_own_is_allowed(app):
    factories.organisation(name="Home Office")
    for password in [
        "maturity of lichen on old stone",
        "the home office kettle is broken",
        "Ada's marmalade train to Hull",
    ]:
        assert passwords.problems(password, email="ada@example.org", name="Ada Lovelace") == []


def test_creating_an_account_refuses_the_persons_name(app):
    with pytest.raises(DomainError) as refused:
        users.create(email="grace@example.org", name="Grace Hopper", password="GraceHopper1906")
    assert str(refused.value) == passwords.IS_CONTEXT
    assert refused.value.field == "password"
