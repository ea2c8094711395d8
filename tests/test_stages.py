"""Each stage on the examples the issue names, plus negative cases that must not change.

The repairs come from general mechanisms (lexicons, letter-shape confusions, the
corpus-induced lexicon); where a repair needs corpus evidence, the test text
carries that evidence, as a real document would.
"""

from __future__ import annotations

import codecs

import pytest
from conftest import clean

from pipeline.api import Config, clean_bytes, clean_text
from pipeline.errors import InputError
from pipeline.stages import decode

FILLER = ("The partisans fought on through the winter in the hills and the forests of the region. "
          "They knew the country well and the people helped them with food and news.")


# ---------------------------------------------------------------- decode
@pytest.mark.parametrize("data,encoding", [
    (codecs.BOM_UTF8 + "Café".encode(), "utf-8"),
    ("Café".encode("utf-16"), "utf-16-le"),
    ("Café noir".encode("utf-16-be"), "utf-16-be"),
    ("Café “quoted” – dash".encode("cp1252"), "cp1252"),
    ("Café".encode(), "utf-8"),
])
def test_decode_detects_encoding(data: bytes, encoding: str) -> None:
    doc = decode.load(data)
    assert doc.meta["encoding"] == encoding
    assert "Caf\u00e9" in doc.text


def test_decode_utf16_starting_with_nul_is_not_utf32() -> None:
    data = codecs.BOM_UTF16_LE + "\x00abc".encode("utf-16-le")
    doc = decode.load(data)
    assert doc.meta["encoding"] == "utf-16-le" and doc.text == "abc"


def test_decode_utf8_with_a_nul_is_not_utf16() -> None:
    doc = decode.load(b"\x00 th e ")
    assert doc.meta["encoding"] == "utf-8" and doc.text == " th e "


def test_decode_rejects_binary() -> None:
    with pytest.raises(InputError, match="binary"):
        decode.load(b"%PDF-1.4\n\x00\x01\x02binary")
    with pytest.raises(InputError, match="binary"):
        decode.load(bytes(range(0, 32)) * 20)


def test_decode_line_endings_and_controls_are_edits() -> None:
    doc = decode.load(b"one\r\ntwo\rthree\x00four\x0b")
    assert doc.text == "one\ntwo\nthreefour"
    kinds = sorted(e.kind for e in doc.edits)
    assert kinds == ["control", "control", "newline", "newline"]


def test_decode_repairs_mojibake() -> None:
    doc = decode.load("the Embassy\u00e2\u20ac\u2122s despatch".encode())
    assert doc.text == "the Embassy\u2019s despatch"


# ---------------------------------------------------------------- layout
def test_layout_removes_page_numbers_and_joins_lines() -> None:
    text = ("The Japanese troops were routed near the\nstation and the partisans took\n\n13\n\n"
            "the town after a long fight.\n")
    doc = clean_text(text)
    assert doc.paragraphs() == ["The Japanese troops were routed near the station and the partisans "
                                "took the town after a long fight."]
    fw = [e for e in doc.edits if e.kind == "fw"]
    assert [e.data["n"] for e in fw] == ["13"]


def test_layout_page_number_glued_to_word() -> None:
    text = ("Three times the partisans called upon the Japanese to sur40\n"
            "render the city and three times they refused it.\n")
    assert clean(text) == ("Three times the partisans called upon the Japanese to surrender the city and "
                           "three times they refused it.")


def test_layout_footnote_with_anchor_and_continuation() -> None:
    text = ("\"For they know that every month socialist Russia exists paves the way to\n"
            "their own doom.\" *\nImmediately after the victory of the Socialist Revolution the\n"
            "governments began to prepare for a campaign of intervention and\n\n"
            "* Lenin, Collected Works, Vol.\n\nXXIII, International Publishers, New York\n"
            " intrigue against the Soviet Republic.\n")
    doc = clean_text(text)
    assert [n.text for n in doc.notes] == ["Lenin, Collected Works, Vol. XXIII, International Publishers, "
                                              "New York"]
    assert doc.notes[0].anchor is not None
    body = "\n\n".join(doc.paragraphs())
    assert "*" not in body and "Lenin" not in body
    assert "campaign of intervention and intrigue against" in body


def test_layout_caption_is_lifted_out() -> None:
    text = ("In the interim the interventionists mobilized against the Russian\n"
            "people the overthrown landlords and capitalists and\n"
            " Japanese routed at Sitsa station on the Suchan Railway.\n\n"
            "every element of ignorance that could possibly be found in old Russia.\n")
    doc = clean_text(text)
    assert [c.text for c in doc.captions] == ["Japanese routed at Sitsa station on the Suchan Railway."]
    assert "capitalists and every element" in doc.paragraphs()[0]


def test_layout_drop_capital_heading_and_noise() -> None:
    text = (" INTRODUCTORY\n\nT\n\nH E Soviet Union is a great Pacific power. Her territory is vast and\n"
            "rich in every kind of resource.\n\nr ·>\n\nIV. THE PEOPLE FIGHT\nIn order to retain the gains "
            "of the Revolution the people rose.\n")
    doc = clean_text(text)
    assert doc.paragraphs()[:2] == ["INTRODUCTORY", "The Soviet Union is a great Pacific power. Her territory "
                                                    "is vast and rich in every kind of resource."]
    assert [b.kind for b in doc.blocks] == ["head", "p", "head", "p"]
    assert doc.paragraphs()[2] == "IV. THE PEOPLE FIGHT"
    assert any(e.kind == "noise" for e in doc.edits)


def test_layout_symbol_noise_between_lines() -> None:
    text = "The partisans fought on through the winter in the hills and\n\n. ~.\".'y~..J\n\nthe forests.\n"
    assert clean(text) == "The partisans fought on through the winter in the hills and the forests."


def test_layout_heading_split_over_two_lines_and_stray_numeral() -> None:
    text = ("They had won the day.\n\nII\n\nII. THE INTERVENTIONISTS \"ADMINISTRATE\"\nIt did not take long."
            "\n\nV.\n\nTHE PARTISANS FIGHT ON TO VICTORY\nThe fight went on.\n")
    assert clean(text).split("\n\n") == ["They had won the day.", "II. THE INTERVENTIONISTS \"ADMINISTRATE\"",
                                         "It did not take long.", "V. THE PARTISANS FIGHT ON TO VICTORY",
                                         "The fight went on."]


def test_layout_roman_heading_numeral() -> None:
    text = "1. PREPARATION FOR INTERVENTION\nThe war began.\n\nII. THE INTERVENTIONISTS\nIt went on.\n"
    assert clean(text).split("\n\n")[0] == "I. PREPARATION FOR INTERVENTION"


def test_layout_running_heads() -> None:
    page = "The partisans fought on through the winter in the hills and the forests\nof the region and won.\n"
    text = "".join(f"{n} JAPANESE INTERVENTION\n{page}" for n in (10, 11, 12))
    doc = clean_text(text, Config(normalize=False))
    assert "JAPANESE" not in doc.text
    heads = [e for e in doc.edits if e.rule == "running-head"]
    assert [e.data.get("n") for e in heads] == ["10", "11", "12"]
    assert all(e.data["type"] == "header" for e in heads)


def test_layout_repeated_sentence_is_not_a_running_head() -> None:
    text = "\n".join(["He said no more.", "They marched on through the snow and the night."] * 3) + "\n"
    assert clean(text).count("He said no more.") == 3


def test_layout_blank_lines_set_paragraphs_apart_in_an_etext() -> None:
    paragraph = ("The partisans fought on through the winter in the hills and the forests of the\n"
                 "region, and the people helped them with food and with news of the enemy.\n\n")
    text = "A Title Without A Stop\n\n" + paragraph * 4
    assert clean(text).split("\n\n") == ["A Title Without A Stop", *[" ".join(paragraph.split())] * 4]


def test_layout_ornamental_divider() -> None:
    text = "The Soviet troops were withdrawn.\n\n*\n\n*\n\n*\n\nThese events coincided with the war.\n"
    out = clean(text)
    assert "*" not in out
    assert "withdrawn." in out and "These events" in out


def test_layout_short_line_ends_paragraph() -> None:
    text = ("It is a territory of fertile valleys and high mountain ranges such\nas the Stanovoi and "
            "the Kolyma and the Anadyr and others.\nAnadyr.\nIt juts out far to sea in the vast peninsula "
            "of Kamchatka\nand the Bering Sea.\n")
    assert clean(text).split("\n\n") == [
        "It is a territory of fertile valleys and high mountain ranges such as the Stanovoi and the Kolyma and the "
        "Anadyr and others. Anadyr.", "It juts out far to sea in the vast peninsula of Kamchatka and the Bering Sea."]


# ---------------------------------------------------------------- hyphenation
@pytest.mark.parametrize("left,right,expected", [
    ("be-", "came increasingly severe.", "became increasingly severe."),
    ("counter-", "revolutionary regime.", "counter-revolutionary regime."),
    ("White-", "Guard uprising.", "White-Guard uprising."),
])
def test_hyphenation(left: str, right: str, expected: str) -> None:
    text = f"Later, when repression and persecution of the workers {left}\n{right}\n"
    assert clean(text).endswith(expected)


# ---------------------------------------------------------------- spacing
def test_spacing_rejoins_split_words() -> None:
    assert clean("Kamchatka and th e ba nks of th e Amur, not to mention territories farther.") == (
        "Kamchatka and the banks of the Amur, not to mention territories farther.")


def test_spacing_uses_corpus_lexicon() -> None:
    text = (f"Vladivostok is a port. {FILLER} The Japanese landed in Vladivostok. "
            "Secret agents kept pouring into V la d ivosto k from Korea.")
    assert clean(text).endswith("pouring into Vladivostok from Korea.")


def test_spacing_splits_glued_compound_as_the_text_prints_it() -> None:
    text = "A White-Guard uprising began. Agents of the WhiteGuard intelligence services came."
    assert clean(text).endswith("of the White-Guard intelligence services came.")


def test_spacing_splits_glued_words() -> None:
    assert clean("Frunze came. Then Frunze went. Frunzecollected all the forces.").endswith(
        "Frunze collected all the forces.")
    assert "landing troops in" in clean("he would not object to the Japanese landingtroop s in the Far East.")


@pytest.mark.parametrize("text", [
    "I will come to day and go a way, in to the house.",
    "hee did doe as the bookes say, and onely then.",
    "The Sikhota Alin ranges and the Possiet bay.",
    "A noncommunist government and a counterrevolutionary one.",
])
def test_spacing_leaves_real_words_alone(text: str) -> None:
    assert clean(text) == text


# ---------------------------------------------------------------- characters
def test_characters_letter_shapes_towards_corpus_names() -> None:
    text = (f"Semyonov attacked. {FILLER} Semyonov retreated. Admiral Kolchak and Kolchak's men. "
            "The British and Sernyonov met KoIchak at Chita. Chita fell. \"Ataman Semyonov, Ghita. Urgent.\"")
    out = clean(text)
    assert "Sernyonov" not in out and "and Semyonov met Kolchak at Chita" in out
    assert "Semyonov, Chita. Urgent." in out


def test_characters_impossible_tokens() -> None:
    assert clean("I shaU goe with thee and wiU doe it weU.") == "I shall goe with thee and will doe it well."


def test_characters_garbled_split_word() -> None:
    assert clean("Lenin, Collected W01 -ks, Vol. XXIII.") == "Lenin, Collected Works, Vol. XXIII."


def test_characters_strokes_read_as_digits() -> None:
    assert clean("a general strike was being organized l11 protest against the atrocities.") == (
        "a general strike was being organized in protest against the atrocities.")
    # a run of digits only is a number (issue 8: ``There were 111 men`` is not ``in men``)
    assert clean("a general strike was being organized by 111 workers.") == (
        "a general strike was being organized by 111 workers.")


def test_characters_real_word_confusion_in_context() -> None:
    """The learned corrector (pipeline/correction) reads a real word as another where the word pairs
    overwhelm it in a noisy text, and leaves the word where it is English. In a clean text a dictionary word
    is far likelier meant than misread, so a reading short of near-certain leaves it (``been silting for``)."""
    noisy = "Tbe m3n went t0 b1ow up the bridges, arid so on; wbich th3y d1d."
    assert "bridges, and so on" in clean(noisy)
    assert clean("The arid lands of the south are dry.") == "The arid lands of the south are dry."
    assert clean("They went to blow up the bridges, arid so on.") == "They went to blow up the bridges, arid so on."


def test_characters_capital_inside_sentence() -> None:
    assert clean("And there is no power In the world which could take it.") == (
        "And there is no power in the world which could take it.")
    assert clean("They met Mr Bell in the hall.") == "They met Mr Bell in the hall."


def test_characters_impossible_word_starts() -> None:
    assert clean("He went Hke a thief and was kdled by the wdl of the lord.") == (
        "He went like a thief and was killed by the will of the lord.")


@pytest.mark.parametrize("text", [
    "Hsui fled from Mongolia; Djerzhinsky and Khabarovsk, Pskov, Tsar Vladimir and Mnemosyne stayed.",
    "Ljubljana, Gdansk, Dnieper, Nkrumah and Ngo are names too.",
])
def test_characters_leave_foreign_word_starts_alone(text: str) -> None:
    assert clean(text) == text


def test_characters_digits_in_dates() -> None:
    assert clean("By Oct. IS, 1920, the Revolution of 191 I was over.") == (
        "By Oct. 15, 1920, the Revolution of 1911 was over.")


@pytest.mark.parametrize("text", [
    "The hindred wayes of the theeves were intreated with favour.",
    "Mr. Simbo and General Horvath met in Harbin.",
])
def test_characters_leave_plausible_spellings_alone(text: str) -> None:
    assert clean(text) == text


# ---------------------------------------------------------------- punctuation
@pytest.mark.parametrize("raw,expected", [
    ("Japanese agents kept ,pouring into the city.", "Japanese agents kept pouring into the city."),
    # a space before a mark is OCR noise where the text shows spurious spaces inside words (``th e``)
    ("th e high mountain ranges , such as the Stanovoi.", "the high mountain ranges, such as the Stanovoi."),
    ("looking for an ex cuse to fabricate an \" incident .\" The notes", "looking for an excuse to fabricate an "
                                                                          "\"incident.\" The notes"),
    ("the boundless taiga-all were to belong to the people.", "the boundless taiga\u2014all were to belong to "
                                                              "the people."),
    ("This was a British vessel-H.M.S. Suffolk.", "This was a British vessel\u2014H.M.S. Suffolk."),
    ("Lazo's forces had swelled to 9 ,00 0 men.", "Lazo's forces had swelled to 9,000 men."),
    ("In January, 191 8, the cruiser came.", "In January, 1918, the cruiser came."),
    ('"Long live the Soviets I" At this they stuck needles.', '"Long live the Soviets!" At this they stuck needles.'),
    ("But as soon as the, main body came halfway.", "But as soon as the main body came halfway."),
    ("a Directorate consisting of the. Socialist-Revolutionaries.", "a Directorate consisting of the "
                                                                     "Socialist-Revolutionaries."),
    ("displayed a keen interest · in Russian Central Asia.", "displayed a keen interest in Russian Central Asia."),
    ("The army was routed and hurled back 'into Manchuria.", "The army was routed and hurled back into Manchuria."),
    ("The Japanese command was to -help Semyonov.", "The Japanese command was to help Semyonov."),
    ("The officers and Kolchak 's agents went through.", "The officers and Kolchak's agents went through."),
    ("Kolchak ruled. I fought against Kolchak 's ty ranny here.", "Kolchak ruled. I fought against Kolchak's "
                                                                "tyranny here."),
    ("the devotion of Lenin and Stalin. were an inspiration", "the devotion of Lenin and Stalin, were an "
                                                              "inspiration"),
    ("the organizations a!1d formed secret nuclei", "the organizations and formed secret nuclei"),
    ("lose my conscience and betray my com- rades, but", "lose my conscience and betray my comrades, but"),
    ("espionage in the service of the] apanese imperialists.", "espionage in the service of the Japanese "
                                                              "imperialists."),
    ("the embodiment 0 f America's Open Door policy.", "the embodiment of America's Open Door policy."),
    ("a front which extended over 3'75 miles, and 26 0 miles of track.", "a front which extended over 375 miles, "
                                                                        "and 260 miles of track."),
    ("the underground den yesterday. \\ Ve worked out a plan.", "the underground den yesterday. We worked out "
                                                                "a plan."),
    ('until the masses of the people were"ready to take action."', 'until the masses of the people were "ready to '
                                                                   'take action."'),
    ("the notorious Twenty- One Demands and a one- day battle", "the notorious Twenty-One Demands and a one-day "
                                                                "battle"),
    ("Japan decIded to resort to a ruse.", "Japan decided to resort to a ruse."),
])
def test_punctuation(raw: str, expected: str) -> None:
    assert clean(raw) == expected


@pytest.mark.parametrize("text", [
    "He waited . . . and waited.",
    "a semi-colonial country, an ex-captain and self-interest.",
    "This unheard-of violation of the sovereignty of the state.",
    "What is thy name ? said he ; and what is thine ?",
    "\"Parade, 'shun! Present arms!\" And 'tis a pity.",
    "The tale goes on -Sometimes I meete them, said he.",
    "The atamans' troop trains and the goin' home.",
    "Sb. dogovorov Rossii. Russ. ed. 1952; see Vol. iii and pre- and post-war years.",
])
def test_punctuation_leaves_conventions_alone(text: str) -> None:
    assert clean(text) == text


# ---------------------------------------------------------------- confidence threshold
def test_low_confidence_corrections_are_only_suggested() -> None:
    text = "I shaU goe with thee."
    doc = clean_text(text, Config(min_confidence=0.999))
    assert "shaU" in doc.text
    assert any(not e.applied and e.after == "shall" for e in doc.edits)


def test_empty_input() -> None:
    doc = clean_bytes(b"")
    assert doc.text == "" and doc.paragraphs() == []
    doc = clean_bytes(b"\n\n  \n")
    assert doc.paragraphs() == []
