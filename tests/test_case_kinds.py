"""Units of the repairs of the shared cases' kinds: nation adjectives, lost letter runs, floating commas,
letters read for an exclamation mark, cropped line starts (the golden cases run them whole)."""

from __future__ import annotations

from pipeline.api import clean_text
from pipeline.demonyms import proper_adjectives
from pipeline.lexicon import get_lexicon
from pipeline.stages.characters import _lost_run, proper_adjective_case
from pipeline.stages.punctuation import exclamation_read_as_letter, lost_dash, stray_commas


def test_proper_adjectives_are_derived_not_listed() -> None:
    names = proper_adjectives(frozenset(get_lexicon().dictionary))
    assert {"french", "american", "japanese", "iraqi", "australian", "german"} <= names
    # short language names that are English words, and words formed from generic parts of country names
    assert not {"afar", "ewe", "republican", "seen", "martini", "manic"} & names


def test_proper_adjective_case_leaves_verbs_and_compounds() -> None:
    lex = get_lexicon()
    found = proper_adjective_case("the french ports; to polish the brass; Anglo-french; mail french@x.org", lex)
    assert [(p.replacement, p.rule) for p in found] == [("French", "proper-adjective-case")]


def test_lost_run_needs_a_run_inside_the_word() -> None:
    assert _lost_run("philaphia", "philadelphia")
    assert not _lost_run("philaphia", "philadelphian")  # the run must be two to four letters
    assert not _lost_run("machiry", "machinery")  # and leave three letters at each end
    assert not _lost_run("cat", "chart")


def test_floating_comma_kept_before_a_clause() -> None:
    text = ("He sent , his men north. We reached the beach , but it rained. At that time , he slept. The world , "
            "was bound. In one of them , the village")
    assert [text[m.start():m.end() + 5] for m in stray_commas(text)] == [" , his "]


def test_letter_for_exclamation_only_before_a_function_word() -> None:
    assert [p.replacement for p in exclamation_read_as_letter("she lit the lamp t It was dark")] == ["!"]
    assert exclamation_read_as_letter("the plan t London approved") == []
    assert exclamation_read_as_letter("Press t to start") == []


def test_lost_dash_not_after_an_article_or_a_pronoun() -> None:
    lex = get_lexicon()
    assert [p.replacement for p in lost_dash("and thendisaster struck", lex)] == ["\u2014"]
    assert lost_dash("we met youtill noon and saw thebuilding", lex) == []


def test_cropped_first_letter_only_at_a_printed_line_start() -> None:
    assert "an hour later" in clean_text("He came back half an\nour later.").text
    # within a line the same words are not a cropped line start
    inline = clean_text("They said our later plans were fine and our house was ready.")
    assert not [e for e in inline.edits if e.rule == "cropped-first-letter"]


def test_sentence_opener_kept_where_a_stop_may_be_lost() -> None:
    # the capital of ``It`` after a word a sentence may end on opens a sentence whose stop the scan lost: a
    # proposal that only writes it small is dropped; after ``that`` (no sentence ends on it) it stands
    from pipeline.document import Proposal
    from pipeline.stages.characters import _capitals_kept

    text = "The boat was towed in by a tug It is thought she will sail, and they said that It was so."
    lost = text.index("It is")
    inside = text.index("It was")
    proposals = [Proposal(lost, lost + 2, "it", "noisy-channel", 0.8),
                 Proposal(inside, inside + 2, "it", "noisy-channel", 0.8),
                 Proposal(text.index("tug"), text.index("tug") + 3, "tag", "noisy-channel", 0.8)]
    kept = _capitals_kept(proposals, text, frozenset())
    assert [p.start for p in kept] == [inside, text.index("tug")]
