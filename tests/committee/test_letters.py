"""The decision letter: its PDF in the applicant's language, amounts in words, and no
reviewer's name in it (canaries)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from filiere.committee.letters import amount_in_words, letter_pdf
from filiere.committee.services_decisions import edit_feedback
from filiere.errors import ServiceError
from tests.committee.factories import open_call, staff
from tests.committee.test_decisions_data import canaries, decided

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("amount", "language", "words"),
    [
        ("1400000", "fr", "un million quatre cent mille euros"),
        ("2000000", "fr", "deux millions d'euros"),
        ("80000", "fr", "quatre-vingt mille euros"),
        ("71", "fr", "soixante et onze euros"),
        ("200", "fr", "deux cents euros"),
        ("50000.12", "fr", "cinquante mille euros et douze centimes"),
        ("1400000", "en", "one million four hundred thousand euros"),
        ("1234", "en", "one thousand two hundred and thirty-four euros"),
        ("1400000", "nl", "een miljoen vierhonderdduizend euro"),
        ("22222", "nl", "tweeëntwintigduizend tweehonderdtweeëntwintig euro"),
    ],
)
def test_amounts_are_written_in_words_in_the_letters_language(amount, language, words):
    assert amount_in_words(Decimal(amount), language) == words


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("fr", b"trente mille euros"),
        ("en", b"thirty thousand euros"),
        ("nl", b"dertigduizend euro"),
    ],
)
def test_the_pdf_says_the_award_in_the_leads_language(language, words):
    letter, _reviewer = decided(open_call(), lead_language=language)
    assert letter.language == language
    pdf = letter_pdf(letter)
    assert pdf.startswith(b"%PDF")
    assert words in pdf
    assert letter.decision.application.reference.encode() in pdf
    assert b"Reviewer A: Un r" in pdf


def test_the_pdf_of_a_rejection_gives_its_reasons_and_no_amount():
    letter, _reviewer = decided(
        open_call(), outcome="reject", amount=Decimal(0), reason="Budget insuffisamment ventile"
    )
    pdf = letter_pdf(letter)
    assert b"Budget insuffisamment ventile" in pdf
    assert b"euros" not in pdf


def test_no_reviewer_name_nor_address_is_in_the_pdf_nor_the_confidential_note():
    letter, reviewer = decided(open_call())
    pdf = letter_pdf(letter)
    for canary in canaries(reviewer):
        assert canary.encode() not in pdf
        assert canary not in " ".join(letter.feedback)
    assert b"confidentielle" not in pdf
    assert b"conseille, comme" in pdf  # the opinion is there, without the names


def test_a_name_typed_back_by_the_staff_is_taken_out_again():
    letter, reviewer = decided(open_call())
    edited = edit_feedback(
        letter=letter,
        by=staff(),
        paragraphs=[f"Merci à {reviewer.email} et Zorglubine.", ""],
        expected_version=0,
    )
    assert edited.feedback == ["Merci à […] et […]."]
    assert edited.version == 1
    assert reviewer.email.encode() not in letter_pdf(edited)


def test_a_stale_edit_is_refused_and_changes_nothing():
    letter, _reviewer = decided(open_call())
    edit_feedback(letter=letter, by=staff(), paragraphs=["Première version"], expected_version=0)
    with pytest.raises(ServiceError) as refused:
        edit_feedback(letter=letter, by=staff(), paragraphs=["Seconde"], expected_version=0)
    assert refused.value.code == "committee.letter.stale"
    letter.refresh_from_db()
    assert letter.feedback == ["Première version"]
