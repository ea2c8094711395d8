"""Kinds of word-spacing errors, each with fresh positive text and ordinary prose it leaves alone.

Kinds: a word glued to a stray letter, a one-letter word swallowed by a merge, a capital letter
split from its name, two real words closed up, a closed compound split, a function word glued to
a name, a rare word that is two common words run together. The texts are written for these tests.
"""

from __future__ import annotations

import hashlib

import pytest
from conftest import clean

from pipeline.api import Config, clean_bytes, clean_text
from pipeline.lexicon import get_lexicon
from pipeline.stages import spacing
from pipeline.tei import restore_bytes, to_tei


def spacing_edits(text: str) -> list[tuple[str, str, str]]:
    """(rule, before, after) of every spacing edit the whole pipeline makes on ``text``."""
    doc = clean_text(text)
    doc.check()
    return [(e.rule, e.before, e.after) for e in doc.edits if e.stage == "spacing"]


# ---------------------------------------------------------------- stray letters
@pytest.mark.parametrize("text,letter", [
    ("The old miller worked hard all summer long k\nand his sons carried the grain to market.", "k"),
    ("She counted the coins again and found them correct n\nbefore she locked the drawer.", "n"),
    ("They spoke with r great care about the harvest.", "r"),
])
def test_stray_letter_is_not_glued_to_a_word(text: str, letter: str) -> None:
    for _rule, before, after in spacing_edits(text):
        assert letter not in before.split(), (before, after)


def test_detached_plural_letter_still_joins() -> None:
    assert "the soldier s" not in clean("He watched the soldier s marching down the long road to the river.")


# ---------------------------------------------------------------- one-letter words
def test_one_letter_word_not_absorbed_into_unlisted_word() -> None:
    out = clean("The farmer said bb a matter of fact that the rain would come.")
    assert " a matter" in out


def test_lowercase_letter_not_closed_up_with_a_capital() -> None:
    for _rule, before, _after in spacing_edits("He closed the door q Then he sat down by the fire."):
        assert "q Then" not in before


def test_one_letter_word_joins_a_listed_word() -> None:
    # ``a`` + ``mong`` makes a dictionary word and ``mong`` is no word of its own
    assert "among the trees" in clean("The deer ran a mong the trees at dawn and hid there all day.")


# ---------------------------------------------------------------- name remnants
def test_capital_split_from_name_rejoins() -> None:
    out = clean("The letter was signed by Colonel B ukhvostov and sent to the town.")
    assert "Bukhvostov" in out


@pytest.mark.parametrize("text", [
    "The T shirt and the X ray were in the bag.",
    "I ate a pear and O dear, what a day it was.",
])
def test_capital_letter_before_a_word_stays(text: str) -> None:
    assert spacing_edits(text) == []


# ---------------------------------------------------------------- two real words
@pytest.mark.parametrize("text", [
    "They paid in cash and in kind, and in deed they kept faith.",
    "He stood a head taller than his brother.",
    "The team won in part because of luck.",
    "When the dog barked I ran to the gate.",
])
def test_function_word_and_real_word_not_closed_up(text: str) -> None:
    assert spacing_edits(text) == []


def test_fragments_still_rejoin() -> None:
    assert "the morning" in clean("We left early in the morn ing and walked to the village by the river.")


# ---------------------------------------------------------------- closed compounds
@pytest.mark.parametrize("word", ["shipwright", "bookbinder", "candlemaker", "woodcutter", "Stonebridge"])
def test_closed_compound_not_split(word: str) -> None:
    text = f"The old {word} lived near the square and worked every day."
    assert spacing_edits(text) == []


def test_glued_function_word_still_splits() -> None:
    out = clean("The committee decidedthat the meeting would be held in the town hall on Friday evening.")
    assert "decided that the meeting" in out


def test_closed_compound_predicate() -> None:
    lex = get_lexicon()
    assert spacing._closed_compound(["candle", "maker"], lex)
    assert not spacing._closed_compound(["tomorrow", "that"], lex)
    assert not spacing._closed_compound(["had", "bandages"], lex)


# ---------------------------------------------------------------- function word glued to a name
def test_function_word_glued_to_unknown_name_splits() -> None:
    out = clean("The convoy reached Krasnopolyeand the drivers rested for the night.")
    assert "Krasnopolye and the drivers" in out


@pytest.mark.parametrize("text", [
    "They sailed from Cleveland and Rotterdam to the islands.",
    "The husband of the baroness read the thousand letters.",
])
def test_words_ending_like_function_words_stay(text: str) -> None:
    assert spacing_edits(text) == []


def test_unknown_name_ending_in_common_letters_stays() -> None:
    lex = get_lexicon()
    assert spacing._glued_function_word("Kirstenland", lex) is None  # ``-nland`` ends many words
    assert spacing._glued_function_word("Zembrowskiand", lex) == ("Zembrowski and", "split-glued-word", 0.8)


# ---------------------------------------------------------------- rare word = two common words
def test_rare_word_split_by_context() -> None:
    assert "wanted to go on with" in clean("The men wanted to goon with the digging before dark.")


@pytest.mark.parametrize("text", [
    "She wanted to atone for the mistake she had made.",
    "The goon with the cap stood by the door.",
    "It was often said that the river went into the sea upon the tide.",
    "A noncommunist government and a counterrevolutionary one.",
])
def test_real_words_in_ordinary_prose_stay(text: str) -> None:
    assert spacing_edits(text) == []


def test_edits_restore_the_original() -> None:
    text = "The convoy reached Krasnopolyeand the men wanted to goon with Colonel B ukhvostov.\n"
    data = text.encode("utf-8")
    doc = clean_bytes(data, "sample.txt", Config(normalize=False))
    doc.check()
    assert {e.rule for e in doc.edits if e.stage == "spacing"} >= {"split-glued-word", "rejoin-split-word"}
    tei = to_tei(doc, source_name="sample.txt", sha256=hashlib.sha256(data).hexdigest(), version="0")
    assert restore_bytes(tei) == data


@pytest.mark.parametrize("text", [
    "as shown (see p. 12, fig. 4) above",
    "the letters (vol. 2, ch. 3, no. 5) were",
    "1t is the end",
])
def test_abbreviations_and_letters_glued_to_digits_are_not_merged(text: str) -> None:
    """``see p.`` is no ``seep``; ``1t is`` is no ``1tis`` (the characters stage reads ``1t``)."""
    assert spacing.propose(text, get_lexicon()) == []


def test_a_capital_split_from_an_abbreviation_still_joins() -> None:
    """A fragment before a number (``A ug. 4``) is no abbreviation: the pieces join."""
    assert [p.replacement for p in spacing.propose("met on A ug. 4, 1922, in secret", get_lexicon())] == ["Aug"]


# ---------------------------------------------------------------- initials
@pytest.mark.parametrize("text", [
    "The first heat was won by H E Fulton, with A H Tucker second and T Amo third.",
    "Prizes went to O De Lassa and to J R Smith of Parramatta.",
])
def test_initials_written_without_stops_are_not_joined(text: str) -> None:
    assert not [e for e in spacing_edits(text) if e[0] == "rejoin-split-word"]
    assert clean(text).split() == text.split()


@pytest.mark.parametrize("text", [
    "The e-mail arrived at 11.15 p.m. and the x-ray was taken.",
    "A U-boat was sighted and the T-shirt stall closed early.",
])
def test_a_hyphenated_compound_is_not_merged_with_its_neighbour(text: str) -> None:
    assert clean(text).split() == text.split()


# ---------------------------------------------------------------- derived forms no list confirms
def test_fragments_are_not_merged_into_a_word_with_a_derivational_ending() -> None:
    """``foi lites`` (garbled ``for rates``) is no ``foil`` + ``-ites``: a derivational ending makes a word of
    fragments only after a name (``Gamov ites``); an inflection after any word does (``remem bered``)."""
    lex = get_lexicon()
    assert [p.replacement for p in spacing.propose("the sum paid foi lites and dues to the town", lex)] == []
    assert [p.replacement for p in spacing.propose("he had not remem bered the day", lex)] == ["remembered"]
