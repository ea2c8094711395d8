"""Corrections that generalize: each rule with a fresh positive case (not from the development
documents) and ordinary modern prose it leaves alone."""

from __future__ import annotations

from collections import Counter

from pipeline.api import clean_text
from pipeline.lexicon import get_lexicon
from pipeline.stages.characters import capitalised_in_document
from pipeline.stages.layout.lines import is_noise


def test_a_misread_name_takes_the_capital_the_document_prints() -> None:
    text = ("Mr. Carter left Melbourne on Monday. He had lived in Melbourne for ten years, and the\n"
            "people of Melbourne were sorry to see him go. The road from rnelbourne to the coast was long.\n")
    out = clean_text(text).text
    assert "from Melbourne to the coast" in out
    assert "rnelbourne" not in out and "melbourne" not in out


def test_capital_only_where_the_document_prints_it_so() -> None:
    lex = get_lexicon().with_corpus("")
    lex.cased = Counter({"Melbourne": 3, "Spring": 2, "spring": 4, "At": 9, "at": 1})
    assert capitalised_in_document("melbourne", lex) == "Melbourne"
    assert capitalised_in_document("spring", lex) == "spring"  # printed small as often: a word, not a name
    assert capitalised_in_document("harbour", lex) == "harbour"  # no evidence
    assert capitalised_in_document("at", lex) == "at"  # a short text opening sentences with `At`
    assert capitalised_in_document("Harbour", lex) == "Harbour"


def test_years_sums_and_signatures_on_their_own_line_are_text() -> None:
    # a headline rule (``--``, ``-»-``) and a section break (``* * *``) are printed text too
    for line in ("1935.", "of £31/8/.", "- F. S. B.", "J. W.", "--", "-»-", "* * *"):
        assert not is_noise(line), line
    for line in ("r ·>", ". ~.\".'y~..J", "-.", "' ,. ;", "B 2"):
        assert is_noise(line), line
    text = ("The committee met on the night of October 9,\n1935.\n"
            "The report was signed by the secretary.\n- F. S. B.\n")
    out = clean_text(text).text
    assert "October 9, 1935." in out
    assert "F. S. B." in out


def test_modern_prose_with_dates_and_initials_is_left_alone() -> None:
    text = ("The meeting was held on 12 March 2019. Minutes were taken by J. R. Smith, and the\n"
            "budget of £4,500 was approved without objection.\n")
    assert clean_text(text).text.split() == text.split()


def test_in_a_clean_text_only_a_spelling_like_no_word_loses_its_odds() -> None:
    from pipeline.correction import corrector_for
    from pipeline.correction.corrector import CLEAN_SHIFT, OOV_LOGP

    corrector = corrector_for(get_lexicon())
    corrector.error_shift = CLEAN_SHIFT - 0.5  # a text cleaner than the training OCR
    # old and foreign spellings spell like words: their odds are untouched
    for word in ("stomacke", "coniuration", "gundamaroo"):
        assert corrector.unknown_logp(word) == OOV_LOGP, word
    # a spelling almost no word has loses, but less than in a noisy text
    clean = corrector.unknown_logp("bvdnej")
    assert clean < OOV_LOGP
    corrector.error_shift = CLEAN_SHIFT + 0.3
    assert corrector.unknown_logp("bvdnej") < clean


def test_in_a_clean_text_an_odd_capitalised_spelling_keeps_its_odds() -> None:
    from pipeline.correction import corrector_for
    from pipeline.correction.corrector import CAPITAL_OOV_BONUS, CLEAN_SHIFT, OOV_LOGP

    corrector = corrector_for(get_lexicon())
    corrector.error_shift = CLEAN_SHIFT - 0.5
    assert corrector.unknown_logp("Bvdnej") == OOV_LOGP + CAPITAL_OOV_BONUS  # a name, as printed
