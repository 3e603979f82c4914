"""Engine codes become sentences in the user's words, with the vocabulary of their country."""

from filiere.calls.phrases import message


def test_a_french_activity_code_is_named_naf():
    sentence = message("naf_code.passed", {"naf": "59.11C", "allowed": ("59",)})

    assert sentence == "The NAF/APE code 59.11C is accepted."


def test_a_belgian_activity_code_is_named_nace_bel():
    passed = message("naf_code.passed", {"naf": "59.111", "allowed": ("59",), "system": "nace-bel"})
    missing = message("naf.missing", {"allowed": ("59", "62.01Z"), "system": "nace-bel"})

    assert passed == "The NACE-BEL code 59.111 is accepted."
    assert missing == "The applicant's NACE-BEL activity code is missing (accepted: 59 or 62.01Z)."
