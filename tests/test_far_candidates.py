"""Far candidates, the letter model and corpus repetitions explained as misreadings (issue 8)."""

from __future__ import annotations

import pytest

from pipeline.api import Config, clean_text
from pipeline.correction import corrector_for
from pipeline.correction.channel import ChannelModel
from pipeline.correction.corrector import Corrector
from pipeline.correction.letters import LetterModel
from pipeline.correction.search import BUDGET, MAX_FOUND, ConfusionSearch
from pipeline.lexicon import get_lexicon


@pytest.fixture(scope="module")
def corrector() -> Corrector:
    return corrector_for(get_lexicon())


@pytest.mark.parametrize(("scanned", "printed"), [
    # several common confusions in one long word: c/e, ii/n, rn/m, u/n, l/i (made up, not from the data)
    ("govcrnmcnt", "government"),
    ("cornrnittee", "committee"),
    ("cxamiuatiou", "examination"),
    ("rcspcctfully", "respectfully"),
])
def test_far_candidates_reach_words_many_confusions_away(corrector: Corrector, scanned: str, printed: str) -> None:
    assert printed in corrector.far_candidates(scanned)


def test_far_candidates_search_rarer_confusions_only_where_the_likely_ones_reach_no_word(corrector: Corrector) -> None:
    search = corrector.far
    assert search is not None
    # made up: ``u``, ``c`` and ``n`` read for ``o``, ``e`` and ``o``; the likely confusions alone reach no word
    assert search._search("guvcrnor", BUDGET) == set()
    assert "governor" in search.candidates("guvcrnor")
    # a token the first pass finds words for is not searched again (the second pass would add ``cowboy``)
    first = search._search("colouy", BUDGET)
    assert first and search.candidates("colouy") == first


def test_far_candidates_need_likely_confusions_not_any_edits() -> None:
    channel = ChannelModel()
    channel.fit([("tbe", "the"), ("tbe", "the"), ("tbe", "the")])
    search = ConfusionSearch(["the", "then", "xylophone"], channel)
    assert "the" in search.candidates("tbe")
    assert search.candidates("qzv") == set()  # no confusion leads from it to a word


def test_far_search_is_bounded_on_junk(corrector: Corrector) -> None:
    assert corrector.far is not None
    found = corrector.far.candidates("iiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiii")
    assert len(found) <= MAX_FOUND


def test_letter_model_tells_spellings_from_garble() -> None:
    model = LetterModel(["harbour", "station", "meeting", "window", "council", "morning", "street", "lantern",
                         "garden", "parish", "warden", "windows", "member", "members", "tender", "tenders"])
    assert model.shortfall("wardens") < model.shortfall("wqrdfnx")
    assert model.shortfall("gardens") < model.shortfall("gqrdcnx")


def test_shipped_letter_model_scores_names_above_garble(corrector: Corrector) -> None:
    letters = corrector.letters
    assert letters is not None
    for name, garble in [("tarrawingee", "tqrrqwlngcc"), ("kingsborough", "klngsbcrcngh"),
                         ("gundamaroo", "gnndqmqrcc")]:
        assert letters.shortfall(name) < letters.shortfall(garble)


NOISY = ("Tho Council mot on Tuesday, whon tho Mayor prosided. It was rosolved that tho roport of the "
         "Works Committoo be adopted, and that tenders bo called for tho new bridgo. Tho Town Clerk road "
         "a lottor from tho Minister for Works, who stated that tho grant would bo paid. ")


def test_repeated_misreading_of_a_common_word_is_corrected_anyway() -> None:
    """``tho`` repeated a dozen times is the text's commonest misreading, not a word of its own."""
    out = clean_text(NOISY * 3, Config(normalize=False)).text
    assert out.count("tho ") + out.count("Tho ") < NOISY.count("tho ") + NOISY.count("Tho ")
    assert "the Mayor" in out


def test_repeated_name_without_a_common_neighbour_is_kept(corrector: Corrector) -> None:
    lex = get_lexicon().with_corpus("The party reached Gundamaroo at noon. " * 6)
    c = corrector_for(lex)
    assert c.decide("Gundamaroo", "reached", "at").reading == "Gundamaroo"
    assert not c.explained("Gundamaroo", c.static_readings("Gundamaroo"))


@pytest.mark.parametrize("text", [
    "The committee met in the government offices and examined the respectfully worded petition.",
    "Sessions of the tribunal in Tarrawingee and Kingsborough's reply were reported at length.",
])
def test_clean_prose_passes_unchanged(text: str) -> None:
    assert clean_text(text, Config(normalize=False)).text.split() == text.split()


@pytest.mark.parametrize("text", [
    'He turned to the secretary, "I\'m surely not the man you want," and left.',
    "The clerk said I'll see to it that the papers arrive.",
])
def test_the_pronoun_i_keeps_its_capital_between_small_words(text: str) -> None:
    assert clean_text(text, Config(normalize=False)).text.split() == text.split()


def test_the_pronoun_i_keeps_its_capital_in_a_noisy_text() -> None:
    text = NOISY + 'The Mayor said to the secretary, "I\'m surely not the man for it," and sat down. '
    assert "I'm surely" in clean_text(text, Config(normalize=False)).text


def test_far_candidates_of_a_capitalised_token_undo_confusions_of_capitals(corrector: Corrector) -> None:
    """``Il`` is a common reading of a printed ``B`` or ``H``: the search reaches the name's small-letter form."""
    assert "benedict" in corrector.far_candidates("Ilenedict")  # made-up misreadings, not from the data
    assert "hospital" in corrector.far_candidates("Ilospitnl")


DIGIT_NOISE = ("Tho Counc1l met on Tuesday wh0n the Mayor pres1ded. The captain came ashore at noon. Ho said that "
               "the sh1p was late. The papers were signed by Wm Moylan and Mr Smith on Tuesday. W1th that the "
               "meet1ng closed.")


def test_capitalised_pair_before_a_small_word_is_weighed_but_titles_are_not() -> None:
    """``Ho said`` in a noisy text is ``He said``; ``Wm Moylan`` and ``Mr Smith`` (before a name) stay."""
    out = clean_text(DIGIT_NOISE, Config(normalize=False)).text
    assert "He said" in out
    assert "Wm Moylan" in out and "Mr Smith" in out


def test_elided_words_are_printed_so() -> None:
    text = "Tho' tired, he walked on thro' the night, and o' course he arrived."
    assert clean_text(text, Config(normalize=False)).text.split() == text.split()
