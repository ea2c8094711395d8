"""Phrases of another language inside English text (:mod:`pipeline.foreign`): found by word frequencies,
left as printed by the word-repairing stages, and kept out of the document's noise estimate.

All texts are written for these tests."""

from __future__ import annotations

from pipeline.api import clean_text
from pipeline.foreign import foreign_phrases, held, inside, outside

#: A noisy OCR paragraph (``tbe``, ``wbich``, ``aud``) quoting a German sentence whose words are one or two
#: letters from English ones (``nicht``/``night``, ``soll``/``sell``, ``dass``/``class``): before the phrase
#: guard, all three were "corrected".
NOISY_WITH_GERMAN = (
    "Tho annual meeting of tbe Horticultural Society was hold on Tuesday evening in tho Town Hall, wbich was "
    "crowded. Tho chairman said that tbe past season had been a trying ono for growers, aud that tbe society "
    "had lost several of its oldest members. A German visitor, Herr Muller, who had travelled from Hamburg, "
    'thanked tho members in his own tongue: "Ich weiss nicht, wie ich Ihnen danken soll, dass Sie mich so '
    'freundlich aufgenommen haben," and tbe audience cheered him warmly. Tho secretary then read tbe report, '
    "wbich showed a small balanco in hand, aud tbe meeting closed with a vote of thanks to tho chair.")


def _phrases(text: str) -> list[tuple[str, str]]:
    return [(text[s:e], lang) for s, e, lang in foreign_phrases(text)]


def test_phrases_of_three_languages_are_found() -> None:
    text = ('At the border the guard asked, "Haben Sie etwas zu verzollen?" and we shook our heads. '
            'Her grandmother sang "Il y a longtemps que je t\'aime" every night. '
            'The farmer said "No hay mal que por bien no venga" and went back to work.')
    found = _phrases(text)
    # ``verzollen`` is too rare in German to lean; the phrase is the words that do
    assert ("Haben Sie etwas zu", "de") in found
    assert ("Il y a longtemps que je t'aime", "fr") in found
    assert any(lang == "es" and "mal que por bien no venga" in phrase for phrase, lang in found)


def test_short_or_sparse_leaning_words_are_no_phrase() -> None:
    # ``hat`` and ``die`` lean to German (commoner there than in English); short and apart, they are English
    assert _phrases("The die was cast when his hat blew off.") == []
    # two long leaning words side by side are as often two garbles (``havo heen`` for ``have been``)
    assert _phrases("We havo heen told that the goed deel was done.") == []


def test_garbles_that_spell_foreign_words_are_no_phrase_under_the_channel() -> None:
    """Helper break test: garbled English whose garbles happen to be Dutch or German words (``havo``, ``mede``,
    ``te``; ``hirn``, ``wo``, ``bis``, ``im``) was taken for a phrase and left uncorrected."""
    out = clean_text("Tho meeting was hold on Tuesday, and they havo mede en offer te tbe owner of the land. "
                     "He told hirn tbat wo bad seen bis horse im tbe paddock.").text
    assert "they have made" in out and "offer to the owner" in out
    assert "told him that we" in out and "seen his horse" in out


def test_ordinary_english_prose_has_no_phrase() -> None:
    text = ("The committee met on Tuesday to discuss the new bus route, which will connect the station with "
            "the hospital and the university campus. A spokesman said the plan had wide support, per the "
            "council's survey, and that work would begin in March. Die-hard opponents were not convinced.")
    assert foreign_phrases(text) == []


def test_garbled_english_is_no_phrase() -> None:
    text = ("Tho meeting was hold in tho hall, aud a resolution wns carried to observo tho rules of tbe "
            "club. Mr. Smith said ho wonld not stand again, as his health was nob good, and tbe members "
            "regretted it.")
    assert foreign_phrases(text) == []


def test_a_phrase_stops_at_the_end_of_a_sentence() -> None:
    found = _phrases("He said nicht. Das war alles, und wir gingen nach Hause.")
    assert found and all("nicht" not in phrase for phrase, _ in found)


def test_noisy_text_keeps_a_quoted_phrase_and_still_has_its_garbles_read() -> None:
    out = clean_text(NOISY_WITH_GERMAN).text
    assert '"Ich weiss nicht, wie ich Ihnen danken soll, dass Sie mich so freundlich aufgenommen haben,"' in out
    assert "the Horticultural Society" in out and "which was crowded" in out and "a small balance" in out


def test_clean_text_keeps_a_line_of_verse_in_german() -> None:
    line = 'She sang "Ich weiß nicht, was soll es bedeuten, dass ich so traurig bin" at the concert.'
    assert clean_text(line).text.strip() == line


def test_a_split_word_is_not_rejoined_inside_a_phrase() -> None:
    line = "The refrain ran: Il y a des jours où tout va mal, et ce jour était un de ceux-là."
    assert "Il y a des jours" in clean_text(line).text


def test_a_phrase_ends_at_a_stop_inside_quotation_marks() -> None:
    found = _phrases('"Ich weiss nicht." Wo bave you been, and what have you done with it?')
    assert all("Wo" not in phrase for phrase, _ in found)


def test_held_corrections_are_recorded_as_suggestions() -> None:
    doc = clean_text('She sang "Ich weiß nicht, was soll es bedeuten, dass ich so traurig bin" at the concert.')
    held_edits = [e for e in doc.edits if not e.applied and (e.data or {}).get("held")]
    assert any(e.before == "nicht" for e in held_edits)
    assert "nicht" in doc.text


def test_inside_and_outside_read_the_sorted_spans() -> None:
    spans = [(10, 20, "fr"), (30, 40, "de")]
    assert inside(spans, 15, 16) and inside(spans, 5, 11) and inside(spans, 39, 50)
    assert not inside(spans, 0, 10) and not inside(spans, 20, 30) and not inside(spans, 40, 45)

    class Edit:
        def __init__(self, start: int, end: int) -> None:
            self.start, self.end = start, end

    edits = [Edit(0, 5), Edit(12, 14), Edit(25, 28), Edit(35, 45)]
    assert [(e.start, e.end) for e in outside(spans, edits)] == [(0, 5), (25, 28)]
    assert [(e.start, e.end) for e in held(spans, edits)] == [(12, 14), (35, 45)]
